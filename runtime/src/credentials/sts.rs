//! Credentials from AWS STS: assuming a role with other credentials (`AssumeRole`) or with a
//! web identity token (`AssumeRoleWithWebIdentity`, as EKS IAM roles for service accounts do).
//!
//! Both call STS through the clients generated from `runtime/models/sts.smithy`, at
//! `https://sts.{region}.amazonaws.com` unless the builder's `endpoint_url` says otherwise.
//! The region is the builder's, else `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's
//! `region`, else `us-east-1`.

use std::path::PathBuf;
use std::sync::Arc;

use super::clients::{failure, sts_signed, sts_unsigned, ClientSettings};
use super::env::{Env, Fs};
use super::region::{EnvironmentRegionProvider, ProfileRegionProvider, Region};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::http::HttpClient;
use crate::DateTime;

const ASSUME_ROLE: &str = "STS AssumeRole";
const WEB_IDENTITY: &str = "web identity token (STS AssumeRoleWithWebIdentity)";

/// The STS region when nothing configures one.
const FALLBACK_REGION: &str = "us-east-1";

/// A session name unique enough to tell sessions apart in CloudTrail.
pub(crate) fn default_session_name() -> String {
    format!("smithy-rust-{}", DateTime::now().as_millis())
}

/// The STS region from the environment and profile (see the module documentation).
pub(crate) fn sts_region(env: &Env, fs: &Fs, profile: Option<&str>) -> Region {
    if let Ok(region) = EnvironmentRegionProvider::with_env(env.clone()).lookup() {
        return region;
    }
    let mut from_profile = ProfileRegionProvider::with_env_and_fs(env.clone(), fs.clone());
    if let Some(name) = profile {
        from_profile = from_profile.with_profile_name(name);
    }
    match from_profile.lookup() {
        Ok(Ok(region)) => region,
        _ => Region::new(FALLBACK_REGION),
    }
}

fn from_sts(credentials: Option<&sts_signed::types::Credentials>) -> Option<Credentials> {
    let c = credentials?;
    Some(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        Some(*c.expiration()),
    ))
}

fn from_sts_unsigned(
    credentials: Option<&sts_unsigned::types::Credentials>,
) -> Option<Credentials> {
    let c = credentials?;
    Some(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        Some(*c.expiration()),
    ))
}

/// Assumes a role with the credentials of another provider (the source).
#[derive(Clone, Debug)]
pub struct AssumeRoleProvider {
    role_arn: String,
    session_name: Option<String>,
    external_id: Option<String>,
    duration_seconds: Option<i32>,
    client: Result<sts_signed::Client, String>,
}

impl AssumeRoleProvider {
    /// A builder for assuming `role_arn`.
    pub fn builder(role_arn: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            role_arn: role_arn.into(),
            ..AssumeRoleProviderBuilder::default()
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| failure(ASSUME_ROLE, e.clone()))?;
        let session_name = self
            .session_name
            .clone()
            .unwrap_or_else(default_session_name);
        let output = client
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(session_name)
            .set_external_id(self.external_id.clone())
            .set_duration_seconds(self.duration_seconds)
            .send()
            .await
            .map_err(|e| failure(ASSUME_ROLE, format!("assuming {}: {e}", self.role_arn)))?;
        from_sts(output.credentials()).ok_or_else(|| {
            failure(
                ASSUME_ROLE,
                format!("STS returned no credentials for {}", self.role_arn),
            )
        })
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// Settings of an [`AssumeRoleProvider`].
#[derive(Debug, Default)]
pub struct AssumeRoleProviderBuilder {
    role_arn: String,
    session_name: Option<String>,
    external_id: Option<String>,
    duration_seconds: Option<i32>,
    settings: ClientSettings,
}

impl AssumeRoleProviderBuilder {
    /// The session name (default `smithy-rust-<milliseconds since the epoch>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The external id the role's trust policy requires.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// How long the credentials last, in seconds (STS's default: one hour).
    pub fn duration_seconds(mut self, seconds: i32) -> Self {
        self.duration_seconds = Some(seconds);
        self
    }

    /// The STS region (default: `us-east-1`; the profile chain passes the configured one).
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// Sends to this STS endpoint (e.g. a local emulator) instead of the regional one.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.settings.endpoint_url = Some(url.into());
        self
    }

    /// Sends through `client`.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.settings.http_client = Some(Arc::new(client));
        self
    }

    pub(crate) fn settings(mut self, settings: ClientSettings) -> Self {
        self.settings = settings;
        self
    }

    /// The provider, signing its AssumeRole calls with `source`'s credentials.
    pub fn build(mut self, source: impl ProvideCredentials + 'static) -> AssumeRoleProvider {
        if self.settings.region.is_none() {
            self.settings.region = Some(Region::new(FALLBACK_REGION));
        }
        let client = self
            .settings
            .config(Some(Arc::new(source)))
            .map(sts_signed::Client::from_conf);
        AssumeRoleProvider {
            role_arn: self.role_arn,
            session_name: self.session_name,
            external_id: self.external_id,
            duration_seconds: self.duration_seconds,
            client,
        }
    }
}

/// Assumes a role with a web identity token read from a file (again on every call, since the
/// token is rotated): `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME`, or the same given to the builder (the profile's
/// `web_identity_token_file`, `role_arn`, `role_session_name`).
#[derive(Clone, Debug)]
pub struct WebIdentityTokenCredentialsProvider {
    /// `Err` is the not-loaded or invalid-configuration error to return.
    config: Result<WebIdentityConfig, BuildIssue>,
    fs: Fs,
    duration_seconds: Option<i32>,
    client: Result<sts_unsigned::Client, String>,
}

#[derive(Clone, Debug)]
struct WebIdentityConfig {
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
}

/// A cloneable form of the errors decided at build time.
#[derive(Clone, Debug)]
enum BuildIssue {
    NotLoaded(String),
    Invalid(String),
}

impl WebIdentityTokenCredentialsProvider {
    /// A builder reading the real environment.
    pub fn builder() -> WebIdentityTokenCredentialsProviderBuilder {
        WebIdentityTokenCredentialsProviderBuilder::default()
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let config = match &self.config {
            Ok(config) => config,
            Err(BuildIssue::NotLoaded(reason)) => {
                return Err(CredentialsError::not_loaded(WEB_IDENTITY, reason.clone()))
            }
            Err(BuildIssue::Invalid(message)) => {
                return Err(CredentialsError::InvalidConfiguration {
                    provider: WEB_IDENTITY.to_owned(),
                    message: message.clone(),
                })
            }
        };
        let token = self.read_token(&config.token_file)?;
        let client = self
            .client
            .as_ref()
            .map_err(|e| failure(WEB_IDENTITY, e.clone()))?;
        let session_name = config
            .session_name
            .clone()
            .unwrap_or_else(default_session_name);
        let output = client
            .assume_role_with_web_identity()
            .role_arn(&config.role_arn)
            .role_session_name(session_name)
            .web_identity_token(token)
            .set_duration_seconds(self.duration_seconds)
            .send()
            .await
            .map_err(|e| failure(WEB_IDENTITY, format!("assuming {}: {e}", config.role_arn)))?;
        from_sts_unsigned(output.credentials()).ok_or_else(|| {
            failure(
                WEB_IDENTITY,
                format!("STS returned no credentials for {}", config.role_arn),
            )
        })
    }

    fn read_token(&self, path: &std::path::Path) -> Result<String, CredentialsError> {
        let token = self
            .fs
            .read_optional(path)
            .map_err(|e| {
                failure(
                    WEB_IDENTITY,
                    format!("cannot read the token file {}: {e}", path.display()),
                )
            })?
            .ok_or_else(|| {
                failure(
                    WEB_IDENTITY,
                    format!("the token file {} does not exist", path.display()),
                )
            })?;
        let token = token.trim().to_owned();
        if token.is_empty() {
            return Err(failure(
                WEB_IDENTITY,
                format!("the token file {} is empty", path.display()),
            ));
        }
        Ok(token)
    }
}

impl ProvideCredentials for WebIdentityTokenCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// Settings of a [`WebIdentityTokenCredentialsProvider`]; unset ones come from the
/// environment.
#[derive(Debug, Default)]
pub struct WebIdentityTokenCredentialsProviderBuilder {
    env: Option<Env>,
    fs: Option<Fs>,
    token_file: Option<PathBuf>,
    role_arn: Option<String>,
    session_name: Option<String>,
    duration_seconds: Option<i32>,
    settings: ClientSettings,
}

impl WebIdentityTokenCredentialsProviderBuilder {
    /// Reads variables from `env` and the token file from `fs`.
    pub fn env_and_fs(mut self, env: Env, fs: Fs) -> Self {
        self.env = Some(env);
        self.fs = Some(fs);
        self
    }

    /// The token file (instead of `AWS_WEB_IDENTITY_TOKEN_FILE`).
    pub fn token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token_file = Some(path.into());
        self
    }

    /// The role (instead of `AWS_ROLE_ARN`).
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// The session name (instead of `AWS_ROLE_SESSION_NAME`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last, in seconds.
    pub fn duration_seconds(mut self, seconds: i32) -> Self {
        self.duration_seconds = Some(seconds);
        self
    }

    /// The STS region (default: from the environment and profile, else `us-east-1`).
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// Sends to this STS endpoint instead of the regional one.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.settings.endpoint_url = Some(url.into());
        self
    }

    /// Sends through `client`.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.settings.http_client = Some(Arc::new(client));
        self
    }

    pub(crate) fn settings(mut self, settings: ClientSettings) -> Self {
        self.settings = settings;
        self
    }

    /// The provider.
    pub fn build(mut self) -> WebIdentityTokenCredentialsProvider {
        let env = self.env.clone().unwrap_or_else(Env::real);
        let fs = self.fs.clone().unwrap_or_else(Fs::real);
        let token_file = self
            .token_file
            .take()
            .or_else(|| env.get("AWS_WEB_IDENTITY_TOKEN_FILE").map(PathBuf::from));
        let role_arn = self.role_arn.take().or_else(|| env.get("AWS_ROLE_ARN"));
        let session_name = self
            .session_name
            .take()
            .or_else(|| env.get("AWS_ROLE_SESSION_NAME"));
        let config = match (token_file, role_arn) {
            (None, _) => Err(BuildIssue::NotLoaded(
                "AWS_WEB_IDENTITY_TOKEN_FILE is not set".into(),
            )),
            (Some(_), None) => Err(BuildIssue::Invalid(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not".into(),
            )),
            (Some(token_file), Some(role_arn)) => Ok(WebIdentityConfig {
                token_file,
                role_arn: role_arn.trim().to_owned(),
                session_name,
            }),
        };
        // Only a configured provider needs a client (and its transport).
        let client = match &config {
            Ok(_) => {
                if self.settings.region.is_none() {
                    self.settings.region = Some(sts_region(&env, &fs, None));
                }
                self.settings
                    .config(None)
                    .map(sts_unsigned::Client::from_conf)
            }
            Err(_) => Err("not configured".to_owned()),
        };
        WebIdentityTokenCredentialsProvider {
            config,
            fs,
            duration_seconds: self.duration_seconds,
            client,
        }
    }
}
