//! The EC2 instance metadata service (IMDSv2): a session-token client, the instance role's
//! credentials, and the instance's region.
//!
//! IMDSv2 first asks for a session token (`PUT /latest/api/token` with the TTL in
//! `x-aws-ec2-metadata-token-ttl-seconds`), then sends it in `x-aws-ec2-metadata-token` with
//! every `GET`. The token is reused until shortly before its TTL ends, and fetched again when
//! IMDS answers 401 (it expired or IMDS restarted). Timeouts are short (1 s to connect, 2 s per
//! attempt) and attempts few (3, and none again after a failed connection), so a machine that is
//! not on EC2 learns it in about a second.
//!
//! Settings: `AWS_EC2_METADATA_DISABLED=true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT`
//! (profile `ec2_metadata_service_endpoint`) replaces the endpoint;
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (profile `ec2_metadata_service_endpoint_mode`)
//! picks `IPv4` (`http://169.254.169.254`, the default) or `IPv6` (`http://[fd00:ec2::254]`).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Mutex as AsyncMutex;

use super::env::{Env, Fs};
use super::fetch::{request, FetchError, Fetcher, Reply};
use super::profile::ProfileFiles;
use super::region::{ProvideRegion, Region, RegionError};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::http::HttpClient;
use crate::sleep::{SharedSleep, Sleep};
use crate::DateTime;

const PROVIDER: &str = "EC2 instance metadata (IMDS)";
const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// How long one IMDS attempt may take (the default transport gives up connecting after 1 s).
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);

/// The default session token lifetime (6 hours, the most IMDS grants).
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(21_600);

/// Which address family the default endpoint uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImdsEndpointMode {
    /// `http://169.254.169.254`.
    #[default]
    IPv4,
    /// `http://[fd00:ec2::254]`.
    IPv6,
}

impl ImdsEndpointMode {
    /// Parses `IPv4` or `IPv6` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ipv4" => Some(Self::IPv4),
            "ipv6" => Some(Self::IPv6),
            _ => None,
        }
    }

    fn endpoint(self) -> &'static str {
        match self {
            Self::IPv4 => IPV4_ENDPOINT,
            Self::IPv6 => IPV6_ENDPOINT,
        }
    }
}

/// Why IMDS gave no answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImdsError {
    /// Disabled by `AWS_EC2_METADATA_DISABLED`, or a test environment without an endpoint.
    Disabled(String),
    /// Nothing answers at the endpoint (not on EC2).
    Unreachable(String),
    /// IMDS answered with an error status (e.g. 404: no such path).
    Status {
        /// The path asked for.
        path: String,
        /// The HTTP status.
        status: u16,
    },
    /// Anything else (timeouts, bad settings, transport errors).
    Other(String),
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Disabled(why) => f.write_str(why),
            Self::Unreachable(why) | Self::Other(why) => f.write_str(why),
            Self::Status { path, status } => write!(f, "IMDS answered {path} with HTTP {status}"),
        }
    }
}

impl std::error::Error for ImdsError {}

/// An IMDSv2 client: fetches metadata paths with a cached session token.
#[derive(Clone, Debug)]
pub struct ImdsClient {
    inner: Arc<ClientInner>,
}

#[derive(Debug)]
struct ClientInner {
    /// `Err` when disabled (the reason).
    endpoint: Result<String, String>,
    fetcher: Result<Fetcher, String>,
    token_ttl: Duration,
    token: AsyncMutex<Option<Token>>,
}

struct Token {
    value: String,
    /// When to stop using it (a little before IMDS would reject it).
    use_until: Instant,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(** redacted **)")
    }
}

impl ImdsClient {
    /// A builder reading the real environment.
    pub fn builder() -> ImdsClientBuilder {
        ImdsClientBuilder::default()
    }

    /// The endpoint in use, or why IMDS is disabled.
    pub fn endpoint(&self) -> Result<&str, &str> {
        match &self.inner.endpoint {
            Ok(endpoint) => Ok(endpoint),
            Err(why) => Err(why),
        }
    }

    /// The text at `path` (e.g. `/latest/meta-data/placement/region`).
    pub async fn get(&self, path: &str) -> Result<String, ImdsError> {
        let endpoint = self
            .inner
            .endpoint
            .as_ref()
            .map_err(|why| ImdsError::Disabled(why.clone()))?;
        let fetcher = self
            .inner
            .fetcher
            .as_ref()
            .map_err(|e| ImdsError::Other(e.clone()))?;
        let url = format!("{}{path}", endpoint.trim_end_matches('/'));
        for fresh_token in [false, true] {
            let token = self.token(fetcher, endpoint, fresh_token).await?;
            let reply = fetcher
                .send(&url, || {
                    request(http::Method::GET, &url, &[(TOKEN_HEADER, &token)])
                })
                .await
                .map_err(fetch_error)?;
            match reply.status {
                200 => return Ok(reply.text()),
                // The token expired (or IMDS restarted): once more with a new one.
                401 if !fresh_token => continue,
                status => {
                    return Err(ImdsError::Status {
                        path: path.to_owned(),
                        status,
                    })
                }
            }
        }
        Err(ImdsError::Other(format!(
            "IMDS rejected a new session token for {path} (HTTP 401)"
        )))
    }

    async fn token(
        &self,
        fetcher: &Fetcher,
        endpoint: &str,
        renew: bool,
    ) -> Result<String, ImdsError> {
        let mut cached = self.inner.token.lock().await;
        if let Some(token) = cached.as_ref() {
            if !renew && Instant::now() < token.use_until {
                return Ok(token.value.clone());
            }
        }
        let url = format!("{}{TOKEN_PATH}", endpoint.trim_end_matches('/'));
        let ttl = self.inner.token_ttl.as_secs().max(1).to_string();
        let reply = fetcher
            .send(&url, || {
                request(http::Method::PUT, &url, &[(TTL_HEADER, &ttl)])
            })
            .await
            .map_err(fetch_error)?;
        let token = new_token(&reply, self.inner.token_ttl)?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }
}

fn new_token(reply: &Reply, asked_ttl: Duration) -> Result<Token, ImdsError> {
    if reply.status != 200 {
        return Err(ImdsError::Status {
            path: TOKEN_PATH.to_owned(),
            status: reply.status,
        });
    }
    let value = reply.text().trim().to_owned();
    if value.is_empty() {
        return Err(ImdsError::Other(
            "IMDS returned an empty session token".into(),
        ));
    }
    // IMDS says how long the token lasts; trust it over what was asked.
    let ttl = reply
        .headers
        .get(TTL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(asked_ttl, Duration::from_secs);
    // Renew a little early so a token never expires between fetch and use.
    let margin = (ttl / 10).min(Duration::from_secs(60));
    Ok(Token {
        value,
        use_until: Instant::now() + ttl.saturating_sub(margin),
    })
}

fn fetch_error(error: FetchError) -> ImdsError {
    match error {
        FetchError::Unreachable(why) => ImdsError::Unreachable(why),
        FetchError::Failed(why) => ImdsError::Other(why),
    }
}

/// Settings of an [`ImdsClient`].
#[derive(Debug, Default)]
pub struct ImdsClientBuilder {
    env: Option<Env>,
    fs: Option<Fs>,
    endpoint: Option<String>,
    mode: Option<ImdsEndpointMode>,
    token_ttl: Option<Duration>,
    timeout: Option<Duration>,
    max_attempts: Option<u32>,
    http_client: Option<Arc<dyn HttpClient>>,
    sleep: Option<SharedSleep>,
}

impl ImdsClientBuilder {
    /// Reads settings from `env` and `fs` instead of the real ones.
    ///
    /// A fake [`Env`] (made by [`Env::from_vars`]) that names no endpoint leaves IMDS
    /// disabled: tests must never reach a real link-local address by accident.
    pub fn env_and_fs(mut self, env: Env, fs: Fs) -> Self {
        self.env = Some(env);
        self.fs = Some(fs);
        self
    }

    /// Uses this endpoint (e.g. `http://127.0.0.1:8080`) whatever the settings say.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Uses the default endpoint of this address family.
    pub fn endpoint_mode(mut self, mode: ImdsEndpointMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Asks for session tokens lasting this long (default 6 hours).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = Some(ttl);
        self
    }

    /// Gives up on an attempt after this long (default 2 s; the default transport's connect
    /// timeout is 1 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Tries at most this many times on server errors and timeouts (default 3; a connection
    /// that cannot be made is not retried).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Sends through `client` instead of the default transport (1 s connect timeout).
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Sleeps (timeouts, backoff) with `sleep`.
    pub fn sleep_impl(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// The client. Bad settings do not fail here: they fail each request with a clear error,
    /// so a chain can still list IMDS among what it tried.
    pub fn build(self) -> ImdsClient {
        let env = self.env.clone().unwrap_or_else(Env::real);
        let fs = self.fs.clone().unwrap_or_else(Fs::real);
        let endpoint = self.resolve_endpoint(&env, &fs);
        let fetcher = Fetcher::new(
            self.http_client,
            self.sleep,
            // Longer than the transport's 1 s connect timeout, so that a machine without IMDS
            // gets the connect timeout (not retried) rather than this one (retried).
            self.timeout.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT),
            self.max_attempts.unwrap_or(3),
        );
        ImdsClient {
            inner: Arc::new(ClientInner {
                endpoint,
                fetcher,
                token_ttl: self.token_ttl.unwrap_or(DEFAULT_TOKEN_TTL),
                token: AsyncMutex::new(None),
            }),
        }
    }

    fn resolve_endpoint(&self, env: &Env, fs: &Fs) -> Result<String, String> {
        if let Some(endpoint) = &self.endpoint {
            return Ok(endpoint.clone());
        }
        if env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Err("IMDS is disabled (AWS_EC2_METADATA_DISABLED=true)".into());
        }
        let profile = ProfileFiles::new(env.clone(), fs.clone())
            .load()
            .ok()
            .and_then(|loaded| loaded.selected_profile().cloned());
        let setting = |var: &str, key: &str| {
            env.get(var)
                .or_else(|| profile.as_ref()?.get(key).map(str::to_owned))
        };
        if let Some(endpoint) = setting(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        ) {
            return Ok(endpoint.trim().to_owned());
        }
        let mode = match self.mode {
            Some(mode) => mode,
            None => match setting(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                "ec2_metadata_service_endpoint_mode",
            ) {
                None => ImdsEndpointMode::IPv4,
                Some(text) => ImdsEndpointMode::parse(&text).ok_or_else(|| {
                    format!(
                        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be `IPv4` or `IPv6`, not `{text}`"
                    )
                })?,
            },
        };
        if env.is_fake() {
            return Err(
                "IMDS is not contacted from a test environment (Env::from_vars) unless it names an endpoint"
                    .into(),
            );
        }
        Ok(mode.endpoint().to_owned())
    }
}

/// Credentials of the IAM role attached to the EC2 instance, from IMDS.
///
/// Not loaded (a chain goes on) when IMDS is disabled, unreachable, or no role is attached.
#[derive(Clone, Debug)]
pub struct ImdsCredentialsProvider {
    client: ImdsClient,
}

impl ImdsCredentialsProvider {
    /// Reads the real environment.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder (the same settings as [`ImdsClient::builder`]).
    pub fn builder() -> ImdsCredentialsProviderBuilder {
        ImdsCredentialsProviderBuilder::default()
    }

    /// A provider using an existing client (sharing its session token).
    pub fn from_client(client: ImdsClient) -> Self {
        Self { client }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let role = match self.client.get(CREDENTIALS_PATH).await {
            Ok(text) => text.lines().next().unwrap_or("").trim().to_owned(),
            Err(ImdsError::Status { status: 404, .. }) => {
                return Err(not_loaded(
                    "no IAM role is attached to this instance".into(),
                ))
            }
            Err(error) => return Err(imds_failure(error)),
        };
        if role.is_empty() {
            return Err(not_loaded(
                "no IAM role is attached to this instance".into(),
            ));
        }
        let document = self
            .client
            .get(&format!("{CREDENTIALS_PATH}{role}"))
            .await
            .map_err(imds_failure)?;
        parse_credentials(&document, &role)
    }
}

impl Default for ImdsCredentialsProvider {
    fn default() -> Self {
        Self::new()
    }
}

fn imds_failure(error: ImdsError) -> CredentialsError {
    match error {
        ImdsError::Disabled(_) | ImdsError::Unreachable(_) => not_loaded(error.to_string()),
        error => provider_error(error.to_string()),
    }
}

fn not_loaded(reason: String) -> CredentialsError {
    CredentialsError::not_loaded(PROVIDER, reason)
}

fn provider_error(message: String) -> CredentialsError {
    CredentialsError::ProviderError {
        provider: PROVIDER.to_owned(),
        message,
    }
}

/// The role's credentials document: `Code`, `AccessKeyId`, `SecretAccessKey`, `Token`,
/// `Expiration`.
fn parse_credentials(document: &str, role: &str) -> Result<Credentials, CredentialsError> {
    let json: Value = serde_json::from_str(document).map_err(|e| {
        provider_error(format!(
            "the credentials of role `{role}` are not JSON: {e}"
        ))
    })?;
    let text = |key: &str| json.get(key).and_then(Value::as_str);
    if let Some(code) = text("Code").filter(|code| *code != "Success") {
        return Err(provider_error(format!(
            "IMDS could not give the credentials of role `{role}`: {code}"
        )));
    }
    let field = |key: &str| {
        text(key).map(str::to_owned).ok_or_else(|| {
            provider_error(format!("the credentials of role `{role}` have no `{key}`"))
        })
    };
    let expiry = text("Expiration")
        .map(|e| e.parse::<DateTime>())
        .transpose()
        .map_err(|_| provider_error(format!("role `{role}`: `Expiration` is not a date")))?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("Token")?),
        expiry,
    ))
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// Builds an [`ImdsCredentialsProvider`]; every setting is [`ImdsClientBuilder`]'s.
#[derive(Debug, Default)]
pub struct ImdsCredentialsProviderBuilder {
    client: ImdsClientBuilder,
}

impl ImdsCredentialsProviderBuilder {
    /// See [`ImdsClientBuilder::env_and_fs`].
    pub fn env_and_fs(mut self, env: Env, fs: Fs) -> Self {
        self.client = self.client.env_and_fs(env, fs);
        self
    }

    /// See [`ImdsClientBuilder::endpoint`].
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.client = self.client.endpoint(endpoint);
        self
    }

    /// See [`ImdsClientBuilder::endpoint_mode`].
    pub fn endpoint_mode(mut self, mode: ImdsEndpointMode) -> Self {
        self.client = self.client.endpoint_mode(mode);
        self
    }

    /// See [`ImdsClientBuilder::token_ttl`].
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.client = self.client.token_ttl(ttl);
        self
    }

    /// See [`ImdsClientBuilder::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.client = self.client.timeout(timeout);
        self
    }

    /// See [`ImdsClientBuilder::max_attempts`].
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.client = self.client.max_attempts(attempts);
        self
    }

    /// See [`ImdsClientBuilder::http_client`].
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.client = self.client.http_client(client);
        self
    }

    /// See [`ImdsClientBuilder::sleep_impl`].
    pub fn sleep_impl(mut self, sleep: impl Sleep + 'static) -> Self {
        self.client = self.client.sleep_impl(sleep);
        self
    }

    /// The provider.
    pub fn build(self) -> ImdsCredentialsProvider {
        ImdsCredentialsProvider {
            client: self.client.build(),
        }
    }
}

/// The instance's region, from IMDS (`/latest/meta-data/placement/region`).
#[derive(Clone, Debug)]
pub struct ImdsRegionProvider {
    client: ImdsClient,
}

impl ImdsRegionProvider {
    /// Uses `client`.
    pub fn from_client(client: ImdsClient) -> Self {
        Self { client }
    }

    /// The lookup: `Err` describes what was tried.
    pub async fn lookup(&self) -> Result<Region, String> {
        match self.client.get(REGION_PATH).await {
            Ok(region) if !region.trim().is_empty() => Ok(Region::new(region.trim())),
            Ok(_) => Err("IMDS region (empty answer)".to_owned()),
            Err(error) => Err(format!("IMDS region ({error})")),
        }
    }
}

impl ProvideRegion for ImdsRegionProvider {
    fn region(&self) -> BoxFuture<'_, Result<Region, RegionError>> {
        Box::pin(async move {
            self.lookup()
                .await
                .map_err(|tried| RegionError::NotFound { tried: vec![tried] })
        })
    }
}
