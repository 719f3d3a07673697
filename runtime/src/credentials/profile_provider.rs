//! Static credentials from the selected profile of the shared config and credentials files.

use super::env::{Env, Fs};
use super::profile::{LoadedProfiles, ProfileFiles};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};

const PROVIDER: &str = "profile";

/// Reads `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token` of the selected
/// profile (`AWS_PROFILE`, default `default`) from `~/.aws/credentials` and `~/.aws/config`
/// (paths overridable with `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`).
///
/// Profiles that obtain credentials some other way (`role_arn`, `sso_*`, `credential_process`)
/// are reported as not supported rather than silently ignored.
#[derive(Clone, Debug, Default)]
pub struct ProfileCredentialsProvider {
    files: ProfileFiles,
}

impl ProfileCredentialsProvider {
    /// Uses the real environment and file system.
    pub fn new() -> Self {
        Self::with_env_and_fs(Env::real(), Fs::real())
    }

    /// Uses `env` and `fs` instead of the real ones (for tests).
    pub fn with_env_and_fs(env: Env, fs: Fs) -> Self {
        Self {
            files: ProfileFiles::new(env, fs),
        }
    }

    /// Uses profile `name` regardless of `AWS_PROFILE`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.files = self.files.with_profile_name(name);
        self
    }

    /// The lookup itself. Synchronous: the files are small and local, so blocking briefly is
    /// cheaper than requiring a file-system capable async runtime.
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let loaded = self.files.load()?;
        credentials_from(&loaded)
    }
}

fn credentials_from(loaded: &LoadedProfiles) -> Result<Credentials, CredentialsError> {
    let sources = loaded.describe_sources();
    let Some(profile) = loaded.selected_profile() else {
        let reason = format!(
            "profile `{}` not found (looked in {sources})",
            loaded.selected
        );
        return Err(CredentialsError::not_loaded(PROVIDER, reason));
    };
    let where_ = || format!("profile `{}` (from {sources})", loaded.selected);
    let access_key_id = profile.get("aws_access_key_id");
    let secret_access_key = profile.get("aws_secret_access_key");
    match (access_key_id, secret_access_key) {
        (Some(access_key_id), Some(secret_access_key)) => Ok(Credentials::new(
            access_key_id,
            secret_access_key,
            profile.get("aws_session_token").map(str::to_owned),
            None,
        )),
        (None, None) => Err(CredentialsError::not_loaded(
            PROVIDER,
            format!(
                "{} has no aws_access_key_id{}",
                where_(),
                unsupported_source(profile)
            ),
        )),
        (Some(_), None) => Err(invalid(format!(
            "{} sets aws_access_key_id but not aws_secret_access_key",
            where_()
        ))),
        (None, Some(_)) => Err(invalid(format!(
            "{} sets aws_secret_access_key but not aws_access_key_id",
            where_()
        ))),
    }
}

/// Names a credential source the profile configures that this provider cannot use.
fn unsupported_source(profile: &super::profile::Profile) -> String {
    const UNSUPPORTED: [&str; 5] = [
        "role_arn",
        "credential_process",
        "sso_session",
        "sso_start_url",
        "web_identity_token_file",
    ];
    UNSUPPORTED
        .iter()
        .find(|key| profile.get(key).is_some())
        .map(|key| format!(" (it sets `{key}`, which is not supported)"))
        .unwrap_or_default()
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::InvalidConfiguration {
        provider: PROVIDER.to_owned(),
        message,
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.credentials();
        Box::pin(async move { result })
    }
}
