//! AWS credentials and region resolution.
//!
//! The pieces:
//!
//! * [`Credentials`]: an access key pair plus optional session token and expiry. Its `Debug`
//!   output redacts the secret and the token, and it has no `Display`, so secrets cannot leak
//!   into logs by accident.
//! * [`ProvideCredentials`]: an object-safe, async-capable source of credentials, so a client
//!   can hold an `Arc<dyn ProvideCredentials>`. Providers: [`StaticCredentialsProvider`],
//!   [`EnvironmentCredentialsProvider`], [`WebIdentityTokenCredentialsProvider`],
//!   [`ProfileCredentialsProvider`] (static keys, roles, SSO, `credential_process`),
//!   [`AssumeRoleProvider`], [`SsoCredentialsProvider`], [`CredentialProcessProvider`],
//!   [`ContainerCredentialsProvider`] and [`ImdsCredentialsProvider`], combined by
//!   [`CredentialsProviderChain`]; [`DefaultCredentialsChain`] is the AWS SDKs' order, cached
//!   by [`CachedCredentialsProvider`].
//! * [`Region`] and [`ProvideRegion`], with [`DefaultRegionChain`]: explicit, then `AWS_REGION`,
//!   then `AWS_DEFAULT_REGION`, then the selected profile's `region` in the config file, then
//!   the EC2 instance metadata service.
//!
//! The STS, SSO and SSO OIDC calls go through clients this project generates from its own
//! small models (`runtime/models/`).
//!
//! Each provider works alone, from a builder:
//!
//! ```no_run
//! use smithy_runtime::credentials::*;
//! use std::time::Duration;
//!
//! let imds = ImdsCredentialsProvider::builder()
//!     .endpoint("http://127.0.0.1:1338") // or .endpoint_mode(ImdsEndpointMode::IPv6)
//!     .token_ttl(Duration::from_secs(21_600))
//!     .build();
//! let ecs = ContainerCredentialsProvider::builder()
//!     .endpoint("http://127.0.0.1:8080/creds")
//!     .authorization_token("token")
//!     .build();
//! let web = WebIdentityTokenCredentialsProvider::builder()
//!     .token_file("/var/run/secrets/token")
//!     .role_arn("arn:aws:iam::123456789012:role/app")
//!     .session_name("app")
//!     .region("eu-west-1")
//!     .endpoint_url("http://localhost:5000")
//!     .build();
//! let role = AssumeRoleProvider::builder("arn:aws:iam::123456789012:role/admin")
//!     .session_name("me")
//!     .external_id("x")
//!     .duration_seconds(900)
//!     .region("eu-west-1")
//!     .build(Credentials::from_keys("AKID", "SECRET")); // any provider is a source
//! let sso = SsoCredentialsProvider::builder()
//!     .session_name("corp")
//!     .start_url("https://corp.awsapps.com/start")
//!     .region("us-east-2")
//!     .account_id("123456789012")
//!     .role_name("Dev")
//!     .build();
//! let process = CredentialProcessProvider::builder("/usr/local/bin/get-creds --json")
//!     .timeout(Duration::from_secs(60))
//!     .build();
//! let profile = ProfileCredentialsProvider::builder()
//!     .profile_name("dev")
//!     .sts_endpoint_url("http://localhost:5000")
//!     .build();
//! let cached = CachedCredentialsProvider::builder()
//!     .refresh_margin(Duration::from_secs(300))
//!     .build(imds);
//! let chain = DefaultCredentialsChain::builder().profile_name("dev").build();
//! # let _ = (ecs, web, role, sso, process, profile, cached, chain);
//! ```
//!
//! Every lookup of environment variables and files goes through [`Env`] and [`Fs`], which have
//! in-memory fakes, so all of this can be tested without touching the process environment or the
//! user's home directory.

mod cache;
mod chain;
mod clients;
mod container;
mod env;
mod environment;
mod fetch;
pub mod imds;
mod process;
pub mod profile;
mod profile_provider;
mod region;
mod sso;
mod sts;
mod time;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::DateTime;

pub use cache::{
    CachedCredentialsProvider, CachedCredentialsProviderBuilder, DEFAULT_EXPIRATION,
    DEFAULT_REFRESH_JITTER, DEFAULT_REFRESH_MARGIN,
};
pub use chain::{
    default_credentials_chain, default_credentials_chain_with, CredentialsProviderChain,
    DefaultCredentialsChain, DefaultCredentialsChainBuilder,
};
pub use container::{ContainerCredentialsProvider, ContainerCredentialsProviderBuilder};
pub use env::{Env, Fs};
pub use environment::EnvironmentCredentialsProvider;
pub use imds::{
    ImdsClient, ImdsClientBuilder, ImdsCredentialsProvider, ImdsCredentialsProviderBuilder,
    ImdsEndpointMode, ImdsError, ImdsRegionProvider,
};
pub use process::{
    CredentialProcessProvider, CredentialProcessProviderBuilder, DEFAULT_PROCESS_TIMEOUT,
};
pub use profile::ProfileFileError;
pub use profile_provider::{ProfileCredentialsProvider, ProfileCredentialsProviderBuilder};
pub use region::{
    DefaultRegionChain, EnvironmentRegionProvider, ProfileRegionProvider, ProvideRegion, Region,
    RegionError,
};
pub use sso::{cached_token_path, SsoCredentialsProvider, SsoCredentialsProviderBuilder};
pub use sts::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, WebIdentityTokenCredentialsProvider,
    WebIdentityTokenCredentialsProviderBuilder,
};
pub use time::{SharedTimeSource, SystemTimeSource, TimeSource, TokioTimeSource};

/// A boxed, `Send` future; the return type of the object-safe provider traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What [`Debug`](fmt::Debug) prints in place of a secret.
const REDACTED: &str = "** redacted **";

/// AWS credentials: access key id, secret access key, optional session token and expiry.
///
/// Fields are private so that the only way to see the secret is to ask for it by name
/// ([`Credentials::secret_access_key`]); `Debug` redacts it.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<DateTime>,
}

impl Credentials {
    /// Creates credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<DateTime>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry,
        }
    }

    /// Creates long-term credentials (no session token, no expiry).
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        Self::new(access_key_id, secret_access_key, None, None)
    }

    /// The access key id (an identifier, not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. Never log this.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials. Never log this.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When these credentials stop being valid, if known.
    pub fn expiry(&self) -> Option<DateTime> {
        self.expiry
    }

    /// Whether the credentials have expired at `now` (never, when there is no expiry).
    pub fn is_expired_at(&self, now: DateTime) -> bool {
        self.expiry.is_some_and(|expiry| expiry <= now)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| REDACTED),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why credentials could not be provided.
///
/// No variant ever carries a secret: messages name providers, variables, files, profiles and
/// line numbers only.
#[derive(Debug)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider is not configured (e.g. variables unset, profile absent); a chain moves on to
    /// its next provider.
    NotLoaded {
        /// Name of the provider that was tried.
        provider: String,
        /// What it looked for and did not find.
        reason: String,
    },
    /// The provider is configured, but wrongly (e.g. a key id without its secret); a chain stops
    /// here rather than silently using some other identity.
    InvalidConfiguration {
        /// Name of the provider that failed.
        provider: String,
        /// What is wrong.
        message: String,
    },
    /// A shared config or credentials file could not be read or parsed.
    ProfileFile(ProfileFileError),
    /// Any other provider failure (e.g. a custom provider's network error).
    ProviderError {
        /// Name of the provider that failed.
        provider: String,
        /// What went wrong.
        message: String,
    },
    /// No provider of a chain had credentials; `tried` holds each provider's reason, in order.
    NoneFound {
        /// The `NotLoaded` error of every provider that was tried.
        tried: Vec<CredentialsError>,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotLoaded { provider, reason } => write!(f, "{provider}: {reason}"),
            Self::InvalidConfiguration { provider, message } => {
                write!(f, "{provider}: invalid configuration: {message}")
            }
            Self::ProfileFile(error) => fmt::Display::fmt(error, f),
            Self::ProviderError { provider, message } => write!(f, "{provider}: {message}"),
            Self::NoneFound { tried } => {
                write!(f, "no AWS credentials found; tried: {}", join_errors(tried))
            }
        }
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::ProfileFile(error) => error.source(),
            _ => None,
        }
    }
}

impl From<ProfileFileError> for CredentialsError {
    fn from(error: ProfileFileError) -> Self {
        Self::ProfileFile(error)
    }
}

impl CredentialsError {
    /// Shorthand for [`CredentialsError::NotLoaded`].
    pub fn not_loaded(provider: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::NotLoaded {
            provider: provider.into(),
            reason: reason.into(),
        }
    }

    /// Whether a chain should try its next provider after this error.
    pub fn is_not_loaded(&self) -> bool {
        matches!(self, Self::NotLoaded { .. } | Self::NoneFound { .. })
    }
}

fn join_errors(errors: &[CredentialsError]) -> String {
    if errors.is_empty() {
        return "no providers".to_owned();
    }
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An asynchronous source of [`Credentials`].
///
/// Object safe (it returns a boxed future) so that a client can hold an
/// `Arc<dyn ProvideCredentials>` chosen at run time.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Produces credentials, or says why it cannot.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

/// Always provides the same credentials (e.g. given explicitly in code).
#[derive(Clone, Debug)]
pub struct StaticCredentialsProvider {
    credentials: Credentials,
}

impl StaticCredentialsProvider {
    /// Creates a provider that always returns `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials }
    }
}

impl ProvideCredentials for StaticCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.credentials.provide_credentials()
    }
}
