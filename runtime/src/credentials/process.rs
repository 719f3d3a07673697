//! Credentials printed by an external program: the profile's `credential_process`.

use std::fmt;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::sleep::{SharedSleep, Sleep, TokioSleep};
use crate::DateTime;

const PROVIDER: &str = "credential_process";

/// How long the program may run before it is killed (it may be asking for an MFA code).
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Runs a `credential_process` command.
///
/// Credentials printed by an external program: the profile's `credential_process`.
///
/// The command line runs through the shell (`sh -c` on Unix, `cmd /C` on Windows), as the AWS
/// CLI does, so quoting and `~` work as users expect. It must exit 0 and print JSON:
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`; an
/// `Expiration` (RFC 3339) makes the credentials temporary, so the cache runs it again before
/// then.
#[derive(Clone)]
pub struct CredentialProcessProvider {
    command: String,
    timeout: Duration,
    sleep: SharedSleep,
}

impl fmt::Debug for CredentialProcessProvider {
    // The command line may embed secrets (some tools take a key on the command line).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialProcessProvider")
            .field("command", &super::REDACTED)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl CredentialProcessProvider {
    /// Runs `command` (a shell command line).
    pub fn new(command: impl Into<String>) -> Self {
        Self::builder(command).build()
    }

    /// A builder for `command`.
    pub fn builder(command: impl Into<String>) -> CredentialProcessProviderBuilder {
        CredentialProcessProviderBuilder {
            command: command.into(),
            timeout: DEFAULT_PROCESS_TIMEOUT,
            sleep: None,
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut command = shell(&self.command);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let child = command
            .spawn()
            .map_err(|e| failure(format!("cannot start the command: {e}")))?;
        let output =
            crate::timeout::timeout(&*self.sleep, Some(self.timeout), child.wait_with_output())
                .await
                .map_err(|_| {
                    failure(format!(
                        "the command did not finish within {:?}",
                        self.timeout
                    ))
                })?
                .map_err(|e| failure(format!("waiting for the command failed: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(failure(format!(
                "the command failed ({}){}",
                output.status,
                describe_stderr(&stderr)
            )));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        parse_output(&stdout)
    }
}

/// The first lines of the program's error output (its stdout, which holds the secrets, is
/// never shown).
fn describe_stderr(stderr: &str) -> String {
    let text = stderr.trim();
    if text.is_empty() {
        return String::new();
    }
    let mut shown: String = text.chars().take(300).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    format!(": {shown}")
}

#[cfg(unix)]
fn shell(command: &str) -> tokio::process::Command {
    let mut shell = tokio::process::Command::new("sh");
    shell.arg("-c").arg(command);
    shell
}

#[cfg(not(unix))]
fn shell(command: &str) -> tokio::process::Command {
    let mut shell = tokio::process::Command::new("cmd");
    shell.arg("/C").arg(command);
    shell
}

/// Parses the program's JSON output.
pub(crate) fn parse_output(stdout: &str) -> Result<Credentials, CredentialsError> {
    let json: Value = serde_json::from_str(stdout.trim())
        .map_err(|e| failure(format!("the command's output is not JSON: {e}")))?;
    match json.get("Version").and_then(Value::as_u64) {
        Some(1) => {}
        Some(other) => {
            return Err(failure(format!(
                "the command's output has Version {other}; only 1 is supported"
            )))
        }
        None => return Err(failure("the command's output has no `Version: 1`".into())),
    }
    let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
    let required = |key: &str| {
        text(key).ok_or_else(|| failure(format!("the command's output has no `{key}`")))
    };
    let expiry = match text("Expiration") {
        Some(value) => Some(value.parse::<DateTime>().map_err(|_| {
            failure(format!(
                "the command's `Expiration` `{value}` is not an RFC 3339 date"
            ))
        })?),
        None => None,
    };
    Ok(Credentials::new(
        required("AccessKeyId")?,
        required("SecretAccessKey")?,
        text("SessionToken"),
        expiry,
    ))
}

fn failure(message: String) -> CredentialsError {
    CredentialsError::ProviderError {
        provider: PROVIDER.to_owned(),
        message,
    }
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// Settings of a [`CredentialProcessProvider`].
#[derive(Debug)]
pub struct CredentialProcessProviderBuilder {
    command: String,
    timeout: Duration,
    sleep: Option<SharedSleep>,
}

impl CredentialProcessProviderBuilder {
    /// Kills the program after this long (default 5 minutes).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Measures the timeout with `sleep`.
    pub fn sleep_impl(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// The provider.
    pub fn build(self) -> CredentialProcessProvider {
        CredentialProcessProvider {
            command: self.command,
            timeout: self.timeout,
            sleep: self.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
        }
    }
}
