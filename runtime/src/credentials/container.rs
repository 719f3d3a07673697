//! Credentials from a container credentials endpoint: Amazon ECS task roles and EKS Pod

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::env::{Env, Fs};
use super::fetch::{request, FetchError, Fetcher};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::http::HttpClient;
use crate::sleep::{SharedSleep, Sleep};
use crate::DateTime;

const PROVIDER: &str = "container credentials (ECS/EKS)";
const ECS_HOST: &str = "http://169.254.170.2";

/// Credentials from the container credentials endpoint.
///
/// Credentials from a container credentials endpoint: Amazon ECS task roles and EKS Pod
/// Identity.
///
/// * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: a path on `http://169.254.170.2` (ECS).
/// * `AWS_CONTAINER_CREDENTIALS_FULL_URI`: a whole URL. `https` may name any host; plain
///   `http` only a loopback address or the ECS/EKS link-local ones (`169.254.170.2`,
///   `169.254.170.23`, `fd00:ec2::23`), since credentials must not cross a network in clear.
/// * `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on every fetch, since EKS rotates
///   it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`: sent as the `Authorization` header.
///
/// The endpoint answers `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`.
#[derive(Clone, Debug)]
pub struct ContainerCredentialsProvider {
    /// `Err` holds the not-loaded or invalid-configuration error to return.
    endpoint: Result<String, Setting>,
    token: TokenSource,
    fs: Fs,
    fetcher: Result<Fetcher, String>,
}

#[derive(Clone, Debug)]
enum Setting {
    NotSet,
    Invalid(String),
}

#[derive(Clone, Debug)]
enum TokenSource {
    None,
    File(PathBuf),
    /// The token itself (never printed: `Debug` of the provider shows only that one is set).
    Value(Redacted),
}

#[derive(Clone)]
struct Redacted(String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(super::REDACTED)
    }
}

impl ContainerCredentialsProvider {
    /// Reads the real environment.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder.
    pub fn builder() -> ContainerCredentialsProviderBuilder {
        ContainerCredentialsProviderBuilder::default()
    }

    /// The URL credentials are fetched from, if configured and allowed.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref().ok()
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let url = match &self.endpoint {
            Ok(url) => url,
            Err(Setting::NotSet) => {
                return Err(CredentialsError::not_loaded(
                    PROVIDER,
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
                ))
            }
            Err(Setting::Invalid(message)) => return Err(invalid(message.clone())),
        };
        let fetcher = self.fetcher.as_ref().map_err(|e| failure(e.clone()))?;
        let token = self.authorization()?;
        let reply = fetcher
            .send(url, || {
                let headers: Vec<(&str, &str)> = token
                    .as_deref()
                    .map(|t| ("authorization", t))
                    .into_iter()
                    .collect();
                request(http::Method::GET, url, &headers)
            })
            .await
            .map_err(|e| match e {
                FetchError::Unreachable(why) | FetchError::Failed(why) => failure(why),
            })?;
        if reply.status != 200 {
            return Err(failure(format!(
                "{url} answered HTTP {}{}",
                reply.status,
                error_detail(&reply.text())
            )));
        }
        parse_credentials(&reply.text())
    }

    /// The `Authorization` value: the token file's contents (read now) or the variable's.
    fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let token = match &self.token {
            TokenSource::None => return Ok(None),
            TokenSource::Value(Redacted(token)) => token.clone(),
            TokenSource::File(path) => self
                .fs
                .read_optional(path)
                .map_err(|e| {
                    invalid(format!(
                        "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}: {e}",
                        path.display()
                    ))
                })?
                .ok_or_else(|| {
                    invalid(format!(
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {} does not exist",
                        path.display()
                    ))
                })?,
        };
        let token = token.trim().to_owned();
        if token.contains(['\r', '\n']) {
            return Err(invalid(
                "the container authorization token contains a line break".into(),
            ));
        }
        Ok(Some(token))
    }
}

impl Default for ContainerCredentialsProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// The `code` and `message` of an error answer, if it has them (they hold no secrets).
fn error_detail(body: &str) -> String {
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return String::new();
    };
    let field = |k: &str| json.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    match (field("code"), field("message")) {
        (code, message) if code.is_empty() && message.is_empty() => String::new(),
        (code, message) => format!(" ({code}: {message})"),
    }
}

fn parse_credentials(body: &str) -> Result<Credentials, CredentialsError> {
    let json: Value = serde_json::from_str(body)
        .map_err(|e| failure(format!("the credentials are not JSON: {e}")))?;
    let field = |key: &str| {
        json.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| failure(format!("the answer has no `{key}`")))
    };
    let expiry = match json.get("Expiration").and_then(Value::as_str) {
        Some(text) => Some(
            text.parse::<DateTime>()
                .map_err(|_| failure("`Expiration` is not a date".into()))?,
        ),
        None => None,
    };
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        json.get("Token").and_then(Value::as_str).map(str::to_owned),
        expiry,
    ))
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::InvalidConfiguration {
        provider: PROVIDER.to_owned(),
        message,
    }
}

fn failure(message: String) -> CredentialsError {
    CredentialsError::ProviderError {
        provider: PROVIDER.to_owned(),
        message,
    }
}

impl ProvideCredentials for ContainerCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// Whether plain `http` may be used with `host` (loopback, or the ECS/EKS link-local hosts).
fn http_host_allowed(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match bare.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(ip) => ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
            .iter()
            .any(|allowed| allowed.parse::<IpAddr>().ok() == Some(ip)),
        Err(_) => false,
    }
}

/// Checks an `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
fn check_full_uri(uri: &str) -> Result<String, String> {
    let parsed: http::Uri = uri
        .parse()
        .map_err(|_| format!("AWS_CONTAINER_CREDENTIALS_FULL_URI `{uri}` is not a URL"))?;
    let host = parsed.host().unwrap_or("");
    match parsed.scheme_str() {
        Some("https") if !host.is_empty() => Ok(uri.to_owned()),
        Some("http") if http_host_allowed(host) => Ok(uri.to_owned()),
        Some("http") => Err(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI `{uri}`: plain http is only allowed to a loopback \
             address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23 (use https for other hosts)"
        )),
        _ => Err(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI `{uri}` must be an http or https URL"
        )),
    }
}

/// Settings of a [`ContainerCredentialsProvider`].
#[derive(Debug, Default)]
pub struct ContainerCredentialsProviderBuilder {
    env: Option<Env>,
    fs: Option<Fs>,
    endpoint: Option<String>,
    token: Option<String>,
    timeout: Option<Duration>,
    max_attempts: Option<u32>,
    http_client: Option<Arc<dyn HttpClient>>,
    sleep: Option<SharedSleep>,
}

impl ContainerCredentialsProviderBuilder {
    /// Reads the variables from `env` and the token file from `fs`.
    pub fn env_and_fs(mut self, env: Env, fs: Fs) -> Self {
        self.env = Some(env);
        self.fs = Some(fs);
        self
    }

    /// Fetches from this URL, whatever the variables say (and without their host check).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Sends this `Authorization` value instead of the variables' token.
    pub fn authorization_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Gives up on an attempt after this long (default 2 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Tries at most this many times on server errors (default 3).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Sends through `client` instead of the default transport.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Sleeps (timeouts, backoff) with `sleep`.
    pub fn sleep_impl(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// The provider (bad settings fail each fetch with a clear error).
    pub fn build(self) -> ContainerCredentialsProvider {
        let env = self.env.unwrap_or_else(Env::real);
        let endpoint = match self.endpoint {
            Some(url) => Ok(url),
            None => endpoint_from(&env),
        };
        let token = match (
            self.token,
            env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
        ) {
            (Some(token), _) => TokenSource::Value(Redacted(token)),
            (None, Some(file)) => TokenSource::File(PathBuf::from(file.trim())),
            (None, None) => env
                .get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                .map_or(TokenSource::None, |t| TokenSource::Value(Redacted(t))),
        };
        ContainerCredentialsProvider {
            endpoint,
            token,
            fs: self.fs.unwrap_or_else(Fs::real),
            fetcher: Fetcher::new(
                self.http_client,
                self.sleep,
                self.timeout.unwrap_or(Duration::from_secs(2)),
                self.max_attempts.unwrap_or(3),
            ),
        }
    }
}

fn endpoint_from(env: &Env) -> Result<String, Setting> {
    if let Some(relative) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        let relative = relative.trim();
        let slash = if relative.starts_with('/') { "" } else { "/" };
        return Ok(format!("{ECS_HOST}{slash}{relative}"));
    }
    match env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        Some(full) => check_full_uri(full.trim()).map_err(Setting::Invalid),
        None => Err(Setting::NotSet),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uri_hosts() {
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/x",
            "http://localhost/x",
            "http://[::1]:80/x",
            "http://169.254.170.2/v2/credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://creds.example.com/x",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/x",
            "http://example.com/x",
            "http://169.254.169.254/x",
            "ftp://127.0.0.1/x",
            "not a url",
        ] {
            assert!(check_full_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn relative_uri_goes_to_the_ecs_host() {
        let env = Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/abc",
        )]);
        assert_eq!(
            endpoint_from(&env).ok().as_deref(),
            Some("http://169.254.170.2/v2/credentials/abc")
        );
    }
}
