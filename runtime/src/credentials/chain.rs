//! Trying several credentials providers in order.

use std::sync::Arc;

use super::env::{Env, Fs};
use super::{
    BoxFuture, Credentials, CredentialsError, EnvironmentCredentialsProvider,
    ProfileCredentialsProvider, ProvideCredentials,
};

/// Tries providers in order and returns the first credentials found.
///
/// A provider that is merely not configured ([`CredentialsError::is_not_loaded`]) passes to the
/// next one; any other error stops the chain, because falling back to a different identity after
/// a misconfiguration would be surprising. When no provider has credentials the error is
/// [`CredentialsError::NoneFound`], listing why each provider declined.
#[derive(Clone, Debug, Default)]
pub struct CredentialsProviderChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsProviderChain {
    /// A chain whose first provider is `provider`.
    pub fn first_try(provider: impl ProvideCredentials + 'static) -> Self {
        Self::default().or_else(provider)
    }

    /// Appends `provider` to the chain.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for provider in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(CredentialsError::NoneFound { tried: inner }) => tried.extend(inner),
                Err(error) if error.is_not_loaded() => tried.push(error),
                Err(error) => return Err(error),
            }
        }
        Err(CredentialsError::NoneFound { tried })
    }
}

impl ProvideCredentials for CredentialsProviderChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// The default chain over the real environment and file system: environment variables, then the
/// shared profile files.
pub fn default_credentials_chain() -> CredentialsProviderChain {
    default_credentials_chain_with(Env::real(), Fs::real())
}

/// [`default_credentials_chain`] reading `env` and `fs` instead (for tests).
pub fn default_credentials_chain_with(env: Env, fs: Fs) -> CredentialsProviderChain {
    CredentialsProviderChain::first_try(EnvironmentCredentialsProvider::with_env(env.clone()))
        .or_else(ProfileCredentialsProvider::with_env_and_fs(env, fs))
}
