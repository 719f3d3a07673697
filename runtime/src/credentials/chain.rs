//! Trying several credentials providers in order.

use std::sync::Arc;

use super::cache::{CachedCredentialsProvider, CachedCredentialsProviderBuilder};
use super::container::ContainerCredentialsProvider;
use super::env::{Env, Fs};
use super::fetch::SharedHttpClient;
use super::imds::ImdsCredentialsProvider;
use super::sts::WebIdentityTokenCredentialsProvider;
use super::{
    BoxFuture, Credentials, CredentialsError, EnvironmentCredentialsProvider,
    ProfileCredentialsProvider, ProvideCredentials,
};
use crate::http::HttpClient;

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

/// The default chain over the real environment and file system; see [`DefaultCredentialsChain`].
pub fn default_credentials_chain() -> DefaultCredentialsChain {
    DefaultCredentialsChain::builder().build()
}

/// [`default_credentials_chain`] reading `env` and `fs` instead (for tests).
pub fn default_credentials_chain_with(env: Env, fs: Fs) -> DefaultCredentialsChain {
    DefaultCredentialsChain::builder()
        .env_and_fs(env, fs)
        .build()
}

/// The AWS SDKs' default credentials chain, cached: in order,
///
/// 1. environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`);
/// 2. a web identity token (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
///    `AWS_ROLE_SESSION_NAME`; EKS IAM roles for service accounts);
/// 3. the selected profile of the shared files (static keys, roles, SSO, `credential_process`,
///    web identity);
/// 4. a container credentials endpoint (ECS task roles, EKS Pod Identity);
/// 5. the EC2 instance metadata service (IMDSv2).
///
/// The first provider that has credentials wins; one that is configured wrongly stops the
/// chain; when none has any, the error lists what each one tried. Credentials are cached and
/// refreshed before they expire ([`CachedCredentialsProvider`]).
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    cached: CachedCredentialsProvider,
}

impl DefaultCredentialsChain {
    /// A builder.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.cached.provide_credentials()
    }
}

/// Settings of a [`DefaultCredentialsChain`].
#[derive(Debug, Default)]
pub struct DefaultCredentialsChainBuilder {
    env: Option<Env>,
    fs: Option<Fs>,
    profile: Option<String>,
    sts_endpoint: Option<String>,
    imds_endpoint: Option<String>,
    http_client: Option<Arc<dyn HttpClient>>,
    cache: Option<CachedCredentialsProviderBuilder>,
}

impl DefaultCredentialsChainBuilder {
    /// Reads `env` and `fs` instead of the real ones.
    pub fn env_and_fs(mut self, env: Env, fs: Fs) -> Self {
        self.env = Some(env);
        self.fs = Some(fs);
        self
    }

    /// Uses profile `name` regardless of `AWS_PROFILE`.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Sends the STS calls of the web identity and profile providers here.
    pub fn sts_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.sts_endpoint = Some(url.into());
        self
    }

    /// Uses this IMDS endpoint.
    pub fn imds_endpoint(mut self, url: impl Into<String>) -> Self {
        self.imds_endpoint = Some(url.into());
        self
    }

    /// Sends the STS and SSO calls through `client`.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Caches with these settings (e.g. a test's time source).
    pub fn cache(mut self, cache: CachedCredentialsProviderBuilder) -> Self {
        self.cache = Some(cache);
        self
    }

    /// The chain.
    pub fn build(self) -> DefaultCredentialsChain {
        let env = self.env.unwrap_or_else(Env::real);
        let fs = self.fs.unwrap_or_else(Fs::real);
        let mut web_identity =
            WebIdentityTokenCredentialsProvider::builder().env_and_fs(env.clone(), fs.clone());
        let mut profile = ProfileCredentialsProvider::builder().env_and_fs(env.clone(), fs.clone());
        let mut imds = ImdsCredentialsProvider::builder().env_and_fs(env.clone(), fs.clone());
        if let Some(name) = self.profile {
            profile = profile.profile_name(name);
        }
        if let Some(url) = self.sts_endpoint {
            web_identity = web_identity.endpoint_url(url.clone());
            profile = profile.sts_endpoint_url(url);
        }
        if let Some(url) = self.imds_endpoint {
            imds = imds.endpoint(url.clone());
            profile = profile.imds_endpoint(url);
        }
        if let Some(client) = self.http_client {
            let shared = SharedHttpClient(client);
            web_identity = web_identity.http_client(shared.clone());
            profile = profile.http_client(shared);
        }
        let chain = CredentialsProviderChain::first_try(EnvironmentCredentialsProvider::with_env(
            env.clone(),
        ))
        .or_else(web_identity.build())
        .or_else(profile.build())
        .or_else(
            ContainerCredentialsProvider::builder()
                .env_and_fs(env, fs)
                .build(),
        )
        .or_else(imds.build());
        DefaultCredentialsChain {
            cached: self.cache.unwrap_or_default().build(chain),
        }
    }
}
