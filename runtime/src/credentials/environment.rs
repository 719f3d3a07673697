//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.

use super::env::Env;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};

const PROVIDER: &str = "environment";

/// Reads credentials from environment variables: `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY` (both required), `AWS_SESSION_TOKEN` (optional).
#[derive(Clone, Debug, Default)]
pub struct EnvironmentCredentialsProvider {
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// Reads the real process environment.
    pub fn new() -> Self {
        Self::with_env(Env::real())
    }

    /// Reads `env` instead of the process environment (for tests).
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    /// The lookup itself; synchronous because it only reads variables.
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let access_key_id = self.env.get("AWS_ACCESS_KEY_ID");
        let secret_access_key = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => Ok(Credentials::new(
                access_key_id.trim(),
                secret_access_key.trim(),
                self.env
                    .get("AWS_SESSION_TOKEN")
                    .map(|t| t.trim().to_owned()),
                None,
            )),
            (None, None) => Err(not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
            (Some(_), None) => Err(not_loaded(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(not_loaded(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
        }
    }
}

fn not_loaded(reason: &str) -> CredentialsError {
    CredentialsError::not_loaded(PROVIDER, reason)
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.credentials();
        Box::pin(async move { result })
    }
}
