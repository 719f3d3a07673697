//! Credentials from AWS IAM Identity Center (SSO), using the token `aws sso login` cached.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use super::clients::{failure, sso, sso_oidc, ClientSettings};
use super::env::{Env, Fs};
use super::region::Region;
use super::time::{self, SharedTimeSource, SystemTimeSource, TimeSource};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::http::HttpClient;
use crate::DateTime;

const PROVIDER: &str = "SSO";

/// Tokens closer than this to expiry are refreshed (when they can be).
const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// The path of the cached token for `key` (a session name, or a legacy start URL).
pub fn cached_token_path(home: &std::path::Path, key: &str) -> PathBuf {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    home.join(".aws")
        .join("sso")
        .join("cache")
        .join(format!("{hex}.json"))
}

/// Credentials of an SSO role.
///
/// Credentials from AWS IAM Identity Center (SSO), using the token `aws sso login` cached.
///
/// Two profile forms:
///
/// * `sso_session = NAME` with an `[sso-session NAME]` section (`sso_start_url`,
///   `sso_region`): the token is `~/.aws/sso/cache/<sha1 of NAME>.json`, and when it is within
///   5 minutes of expiry it is refreshed through SSO OIDC `CreateToken` with the cached
///   `refreshToken`, `clientId` and `clientSecret`, and the file is updated.
/// * legacy: `sso_start_url` and `sso_region` in the profile itself: the token is
///   `~/.aws/sso/cache/<sha1 of the start URL>.json` and is never refreshed.
///
/// Either way the profile's `sso_account_id` and `sso_role_name` are exchanged for role
/// credentials with the portal's `GetRoleCredentials` (`GET /federation/credentials`, the
/// token in `x-amz-sso_bearer_token`).
#[derive(Clone, Debug)]
pub struct SsoCredentialsProvider {
    account_id: String,
    role_name: String,
    /// The session name (`sso_session` form) or `None` (legacy form).
    session_name: Option<String>,
    start_url: String,
    cache_file: Result<PathBuf, String>,
    fs: Fs,
    time: SharedTimeSource,
    portal: Result<sso::Client, String>,
    oidc: Result<sso_oidc::Client, String>,
}

impl SsoCredentialsProvider {
    /// A builder.
    pub fn builder() -> SsoCredentialsProviderBuilder {
        SsoCredentialsProviderBuilder::default()
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let token = self.access_token().await?;
        let portal = self
            .portal
            .as_ref()
            .map_err(|e| failure(PROVIDER, e.clone()))?;
        let output = portal
            .get_role_credentials()
            .account_id(&self.account_id)
            .role_name(&self.role_name)
            .access_token(token)
            .send()
            .await
            .map_err(|e| {
                failure(
                    PROVIDER,
                    format!(
                        "GetRoleCredentials of role `{}` in account {}: {e}",
                        self.role_name, self.account_id
                    ),
                )
            })?;
        let role = output
            .role_credentials()
            .ok_or_else(|| failure(PROVIDER, "the portal returned no credentials"))?;
        let field = |value: Option<&str>, name: &str| {
            value.map(str::to_owned).ok_or_else(|| {
                failure(PROVIDER, format!("the portal's credentials have no {name}"))
            })
        };
        Ok(Credentials::new(
            field(role.access_key_id(), "accessKeyId")?,
            field(role.secret_access_key(), "secretAccessKey")?,
            role.session_token().map(str::to_owned),
            role.expiration().map(DateTime::from_millis),
        ))
    }

    fn login_hint(&self) -> String {
        match &self.session_name {
            Some(name) => format!("run `aws sso login --sso-session {name}`"),
            None => format!("run `aws sso login` for {}", self.start_url),
        }
    }

    /// The cached access token, refreshed first when it is about to expire and can be.
    async fn access_token(&self) -> Result<String, CredentialsError> {
        let path = self
            .cache_file
            .as_ref()
            .map_err(|e| failure(PROVIDER, e.clone()))?;
        let mut cached = self.read_cache(path)?;
        let now = self.time.now();
        let expires = cached.expires_at()?;
        let expiring = time::until(now, expires) < REFRESH_WINDOW;
        if expiring && self.session_name.is_some() {
            match self.refresh(&mut cached, now).await {
                Ok(()) => {
                    if let Err(error) = self.fs.write(path, &cached.to_string()) {
                        tracing::warn!(
                            "could not update the SSO token cache {}: {error}",
                            path.display()
                        );
                    }
                    return cached.access_token();
                }
                Err(error) if now < expires => {
                    tracing::warn!(
                        "refreshing the SSO token failed; using it until it expires: {error}"
                    );
                }
                Err(error) => {
                    return Err(failure(
                        PROVIDER,
                        format!(
                            "the SSO token expired and could not be refreshed ({error}); {}",
                            self.login_hint()
                        ),
                    ))
                }
            }
        } else if now >= expires {
            return Err(failure(
                PROVIDER,
                format!(
                    "the cached SSO token expired at {expires}; {}",
                    self.login_hint()
                ),
            ));
        }
        cached.access_token()
    }

    fn read_cache(&self, path: &std::path::Path) -> Result<CachedToken, CredentialsError> {
        let text = self
            .fs
            .read_optional(path)
            .map_err(|e| failure(PROVIDER, format!("cannot read {}: {e}", path.display())))?
            .ok_or_else(|| {
                failure(
                    PROVIDER,
                    format!(
                        "no cached SSO token at {}; {}",
                        path.display(),
                        self.login_hint()
                    ),
                )
            })?;
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Ok(CachedToken(map)),
            _ => Err(failure(
                PROVIDER,
                format!(
                    "{} is not a JSON object; {}",
                    path.display(),
                    self.login_hint()
                ),
            )),
        }
    }

    /// Exchanges the cached refresh token for a new access token, updating `cached`.
    async fn refresh(&self, cached: &mut CachedToken, now: DateTime) -> Result<(), String> {
        let (Some(client_id), Some(client_secret), Some(refresh_token)) = (
            cached.text("clientId"),
            cached.text("clientSecret"),
            cached.text("refreshToken"),
        ) else {
            return Err("the cache has no refresh token and client registration".into());
        };
        if let Some(registration) = cached.text("registrationExpiresAt") {
            if registration.parse::<DateTime>().is_ok_and(|at| at <= now) {
                return Err("the client registration expired".into());
            }
        }
        let oidc = self.oidc.as_ref().map_err(Clone::clone)?;
        let output = oidc
            .create_token()
            .client_id(client_id)
            .client_secret(client_secret)
            .grant_type("refresh_token")
            .refresh_token(refresh_token)
            .send()
            .await
            .map_err(|e| format!("SSO OIDC CreateToken: {e}"))?;
        let access_token = output
            .access_token()
            .ok_or("SSO OIDC returned no access token")?;
        let expires_in = output.expires_in().ok_or("SSO OIDC returned no expiry")?;
        let expires_at = time::add(
            now,
            Duration::from_secs(u64::try_from(expires_in).unwrap_or(0)),
        );
        cached.set("accessToken", access_token);
        cached.set("expiresAt", &rfc3339_seconds(expires_at));
        if let Some(refresh) = output.refresh_token() {
            cached.set("refreshToken", refresh);
        }
        Ok(())
    }
}

/// `2026-12-01T18:00:00Z`: the form the AWS CLI writes.
fn rfc3339_seconds(at: DateTime) -> String {
    DateTime::from_secs(at.secs()).to_string()
}

/// The token cache file's JSON object.
struct CachedToken(Map<String, Value>);

impl CachedToken {
    fn text(&self, key: &str) -> Option<String> {
        self.0.get(key).and_then(Value::as_str).map(str::to_owned)
    }

    fn set(&mut self, key: &str, value: &str) {
        self.0
            .insert(key.to_owned(), Value::String(value.to_owned()));
    }

    fn access_token(&self) -> Result<String, CredentialsError> {
        self.text("accessToken")
            .ok_or_else(|| failure(PROVIDER, "the cached SSO token has no accessToken"))
    }

    fn expires_at(&self) -> Result<DateTime, CredentialsError> {
        self.text("expiresAt")
            .and_then(|t| t.parse::<DateTime>().ok())
            .ok_or_else(|| failure(PROVIDER, "the cached SSO token has no valid expiresAt"))
    }
}

impl std::fmt::Display for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = serde_json::to_string_pretty(&self.0).map_err(|_| std::fmt::Error)?;
        f.write_str(&text)
    }
}

impl ProvideCredentials for SsoCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// Settings of an [`SsoCredentialsProvider`].
#[derive(Debug, Default)]
pub struct SsoCredentialsProviderBuilder {
    env: Option<Env>,
    fs: Option<Fs>,
    account_id: Option<String>,
    role_name: Option<String>,
    start_url: Option<String>,
    session_name: Option<String>,
    region: Option<Region>,
    portal_endpoint: Option<String>,
    oidc_endpoint: Option<String>,
    http_client: Option<Arc<dyn HttpClient>>,
    time: Option<SharedTimeSource>,
}

impl SsoCredentialsProviderBuilder {
    /// Finds the home directory (token cache) in `env` and reads/writes files through `fs`.
    pub fn env_and_fs(mut self, env: Env, fs: Fs) -> Self {
        self.env = Some(env);
        self.fs = Some(fs);
        self
    }

    /// The account (`sso_account_id`).
    pub fn account_id(mut self, id: impl Into<String>) -> Self {
        self.account_id = Some(id.into());
        self
    }

    /// The role (`sso_role_name`).
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// The portal's start URL (`sso_start_url`).
    pub fn start_url(mut self, url: impl Into<String>) -> Self {
        self.start_url = Some(url.into());
        self
    }

    /// The `sso-session` name; without one the legacy cache key (the start URL) is used and the
    /// token is not refreshed.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The SSO region (`sso_region`).
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends GetRoleCredentials here instead of `https://portal.sso.{region}.amazonaws.com`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.portal_endpoint = Some(url.into());
        self
    }

    /// Sends CreateToken here instead of `https://oidc.{region}.amazonaws.com`.
    pub fn oidc_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.oidc_endpoint = Some(url.into());
        self
    }

    /// Sends through `client`.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    pub(crate) fn shared_http_client(mut self, client: Option<Arc<dyn HttpClient>>) -> Self {
        self.http_client = client;
        self
    }

    /// Reads the time (token expiry) from `time`.
    pub fn time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time = Some(Arc::new(time));
        self
    }

    /// The provider. Missing settings make each call fail with an error naming them.
    pub fn build(self) -> SsoCredentialsProvider {
        let env = self.env.unwrap_or_else(Env::real);
        let missing = [
            ("sso_account_id", self.account_id.is_none()),
            ("sso_role_name", self.role_name.is_none()),
            ("sso_start_url", self.start_url.is_none()),
            ("sso_region", self.region.is_none()),
        ]
        .iter()
        .filter(|(_, missing)| *missing)
        .map(|(name, _)| *name)
        .collect::<Vec<_>>();
        let start_url = self.start_url.unwrap_or_default();
        let cache_key = self
            .session_name
            .clone()
            .unwrap_or_else(|| start_url.clone());
        let cache_file = if missing.is_empty() {
            env.home_dir()
                .map(|home| cached_token_path(&home, &cache_key))
                .ok_or_else(|| "no home directory (HOME) to find the SSO token cache in".into())
        } else {
            Err(format!(
                "the SSO configuration lacks {}",
                missing.join(", ")
            ))
        };
        let client = |endpoint: Option<String>| ClientSettings {
            region: self.region.clone(),
            endpoint_url: endpoint,
            http_client: self.http_client.clone(),
        };
        SsoCredentialsProvider {
            account_id: self.account_id.unwrap_or_default(),
            role_name: self.role_name.unwrap_or_default(),
            session_name: self.session_name,
            start_url,
            cache_file,
            fs: self.fs.unwrap_or_else(Fs::real),
            time: self.time.unwrap_or_else(|| Arc::new(SystemTimeSource)),
            portal: client(self.portal_endpoint.clone())
                .config(None)
                .map(sso::Client::from_conf),
            oidc: client(self.oidc_endpoint.clone())
                .config(None)
                .map(sso_oidc::Client::from_conf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_keys_are_sha1_hex() {
        // SHA-1 of "abc" (FIPS 180 test vector).
        let path = cached_token_path(std::path::Path::new("/h"), "abc");
        assert_eq!(
            path,
            PathBuf::from("/h/.aws/sso/cache/a9993e364706816aba3e25717850c26c9cd0d89d.json")
        );
    }
}
