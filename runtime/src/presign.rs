//! Presigned requests: a request signed with SigV4 in its query string (`X-Amz-Algorithm`,
//! `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
//! `X-Amz-Security-Token`, `X-Amz-Signature`) that anyone holding the URL can send, with any
//! HTTP client, until it expires, as the AWS SDKs' `presigned()`.
//!
//! Generated fluent builders of restJson1 and restXml operations call [`presign_operation`]:
//!
//! ```ignore
//! let presigned = client
//!     .get_object()
//!     .bucket("bucket")
//!     .key("key")
//!     .presigned(PresigningConfig::expires_in(Duration::from_secs(900))?)
//!     .await?;
//! // curl "$(presigned.uri())"
//! ```
//!
//! What is signed, and why:
//! * the endpoint is the one `send()` would use (the same rules, parameters and `authSchemes`
//!   signing name and region: [`crate::client`]'s resolution is reused, not copied);
//! * the headers the operation's input sets (e.g. `Content-Type`, `x-amz-meta-*`) and the
//!   endpoint's headers are signed and returned by [`PresignedRequest::headers`]: the caller
//!   must send them; `host` is signed but not returned (every HTTP client sends it from the
//!   URI);
//! * none of the headers a client adds per call (`user-agent`, `x-amz-user-agent`,
//!   `amz-sdk-invocation-id`, `amz-sdk-request`) is added: the URL is sent by someone else,
//!   later, and the AWS SDKs strip them too;
//! * for S3 (signing names `s3` and `s3-outposts`) the payload is `UNSIGNED-PAYLOAD` and the
//!   body is not part of the presigned request: whoever sends a presigned `PutObject` or
//!   `UploadPart` sends whatever bytes they like, as with the AWS SDKs. Other services sign the
//!   SHA-256 of the serialized body, which the sender must then send exactly
//!   ([`PresignedRequest::body`]; empty for an operation bound wholly to the URI).

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::client::{Config, Operation, Service};
use crate::credentials::Credentials;
use crate::error::{BuildError, SdkError};
use crate::http::RequestParts;
use crate::sigv4::{
    sign_request_with_body, SignableBody, SignatureLocation, SigningParams, SigningSettings,
    MAX_EXPIRES_IN,
};
use crate::{Bytes, DateTime};

/// How long a presigned request is valid, and from when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresigningConfig {
    start_time: Option<SystemTime>,
    expires_in: Duration,
}

impl PresigningConfig {
    /// Valid for `expires_in` from the moment of presigning. More than 7 days (the most AWS
    /// accepts) or less than a second is an error.
    pub fn expires_in(expires_in: Duration) -> Result<PresigningConfig, PresigningConfigError> {
        PresigningConfig::builder().expires_in(expires_in).build()
    }

    /// A builder, for a start time other than now.
    pub fn builder() -> PresigningConfigBuilder {
        PresigningConfigBuilder::default()
    }

    /// The signing time, if one was set (otherwise the time of presigning).
    pub fn start_time(&self) -> Option<SystemTime> {
        self.start_time
    }

    /// How long the request is valid from its start time (`X-Amz-Expires`).
    pub fn expires(&self) -> Duration {
        self.expires_in
    }
}

/// Builds a [`PresigningConfig`].
#[derive(Clone, Debug, Default)]
pub struct PresigningConfigBuilder {
    start_time: Option<SystemTime>,
    expires_in: Option<Duration>,
}

impl PresigningConfigBuilder {
    /// The signing time (`X-Amz-Date`) instead of now: a URL valid from then, or a fixed time
    /// that makes the signature reproducible (tests).
    pub fn start_time(mut self, start_time: SystemTime) -> Self {
        self.start_time = Some(start_time);
        self
    }

    /// How long the request is valid (required; at most 7 days, at least 1 second; whole
    /// seconds are signed, the fraction is dropped).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = Some(expires_in);
        self
    }

    /// The configuration, or why it is invalid.
    pub fn build(self) -> Result<PresigningConfig, PresigningConfigError> {
        let expires_in = self
            .expires_in
            .ok_or(PresigningConfigError::ExpiresInRequired)?;
        if expires_in > MAX_EXPIRES_IN {
            return Err(PresigningConfigError::ExpiresInTooLong(expires_in));
        }
        if expires_in.as_secs() == 0 {
            return Err(PresigningConfigError::ExpiresInTooShort(expires_in));
        }
        Ok(PresigningConfig {
            start_time: self.start_time,
            expires_in: Duration::from_secs(expires_in.as_secs()),
        })
    }
}

/// Why a [`PresigningConfig`] is invalid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PresigningConfigError {
    /// No `expires_in` was given.
    ExpiresInRequired,
    /// Longer than the 7 days AWS accepts.
    ExpiresInTooLong(Duration),
    /// Under a second (`X-Amz-Expires` counts whole seconds, and 0 is refused).
    ExpiresInTooShort(Duration),
}

impl fmt::Display for PresigningConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ExpiresInRequired => f.write_str("a presigned request needs `expires_in`"),
            Self::ExpiresInTooLong(d) => write!(
                f,
                "a presigned request is valid for at most 7 days ({} s), not {} s",
                MAX_EXPIRES_IN.as_secs(),
                d.as_secs()
            ),
            Self::ExpiresInTooShort(d) => write!(
                f,
                "a presigned request must be valid for at least 1 s, not {d:?}"
            ),
        }
    }
}

impl std::error::Error for PresigningConfigError {}

/// A presigned request: method, URL (carrying the signature) and the headers the sender must
/// send with it.
#[derive(Clone)]
pub struct PresignedRequest {
    method: http::Method,
    uri: http::Uri,
    /// `uri` as text, kept so [`PresignedRequest::uri`] can lend it.
    uri_text: String,
    headers: http::HeaderMap,
    body: Bytes,
}

impl fmt::Debug for PresignedRequest {
    // The URL is a bearer credential until it expires: its signature and token stay out of
    // logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.uri.path();
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("uri", &format_args!("{path}?<presigned>"))
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl PresignedRequest {
    /// The HTTP method (`GET` for `GetObject`, `PUT` for `PutObject`).
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The full URL, signature included.
    pub fn uri(&self) -> &str {
        &self.uri_text
    }

    /// The headers the sender must send (they are signed), `host` excepted: none for a
    /// `GetObject` of nothing but bucket and key.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.to_str().unwrap_or_default()))
    }

    /// The serialized body whose hash is signed: empty for S3 (`UNSIGNED-PAYLOAD`, the sender
    /// sends any body) and for operations bound wholly to the URI; otherwise the exact bytes
    /// the sender must send.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// An `http::Request` with this method, URL and headers, and `body`.
    pub fn into_http_request<B>(self, body: B) -> http::Request<B> {
        let mut request = http::Request::new(body);
        *request.method_mut() = self.method;
        *request.uri_mut() = self.uri;
        *request.headers_mut() = self.headers;
        request
    }
}

/// The SigV4 signing of a request as resolved by the pipeline (see
/// [`crate::client`]'s `presigning_target`).
pub(crate) struct SigningTarget {
    pub(crate) credentials: Credentials,
    pub(crate) region: String,
    pub(crate) name: String,
    pub(crate) settings: SigningSettings,
}

/// Presigns an operation's request: what generated `presigned()` calls with the serialized
/// input. Only construction errors happen (nothing is sent): an incomplete input or
/// configuration, or a service that does not sign with SigV4.
// `SdkError` is large (it keeps whole responses); presigning returns only its small variant.
#[allow(clippy::result_large_err)]
pub async fn presign_operation<E>(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
    presigning: PresigningConfig,
) -> Result<PresignedRequest, SdkError<E>> {
    presign(config, service, operation, parts, presigning)
        .await
        .map_err(SdkError::Construction)
}

async fn presign(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
    presigning: PresigningConfig,
) -> Result<PresignedRequest, BuildError> {
    let mut parts = parts?;
    if config.disable_host_prefix() {
        parts.clear_host_prefix();
    }
    let (endpoint, target) =
        crate::client::presigning_target(config, service, operation, &parts).await?;
    let target = target.ok_or_else(|| {
        BuildError::other(format!(
            "{} cannot be presigned: {} does not sign its requests with SigV4",
            operation.name, service.sdk_id
        ))
    })?;
    for (name, values) in &endpoint.headers {
        for value in values {
            parts.push_header(name, value.clone());
        }
    }
    let s3 = crate::client::is_s3_signing_name(&target.name);
    let mut request = parts.into_request(&endpoint.url)?;
    let body = match request.body().as_bytes() {
        Some(bytes) => bytes.clone(),
        None => {
            if !s3 {
                return Err(BuildError::other(format!(
                    "{} cannot be presigned with a streamed body: its hash is signed; give \
                     the body in memory",
                    operation.name
                )));
            }
            Bytes::new()
        }
    };
    // The body is the sender's: neither its length nor (for S3) its bytes are signed.
    request.headers_mut().remove(http::header::CONTENT_LENGTH);
    let settings = SigningSettings {
        signature_location: SignatureLocation::QueryParams,
        expires_in: presigning.expires_in,
        // A header-signing-only knob; the payload hash is in the canonical request anyway.
        content_sha256_header: false,
        ..target.settings
    };
    let time = presigning
        .start_time
        .map(DateTime::from)
        .unwrap_or_else(DateTime::now);
    let params = SigningParams {
        credentials: &target.credentials,
        region: &target.region,
        service_name: &target.name,
        time,
        settings,
    };
    let signable = if s3 {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(&body)
    };
    sign_request_with_body(&mut request, signable, &params)
        .map_err(|e| BuildError::other(format!("cannot presign the request: {e}")))?;
    let (head, _) = request.into_parts();
    let mut headers = head.headers;
    headers.remove(http::header::HOST);
    Ok(PresignedRequest {
        method: head.method,
        uri_text: head.uri.to_string(),
        uri: head.uri,
        headers,
        body: if s3 { Bytes::new() } else { body },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use std::convert::Infallible;

    const SERVICE: Service = Service {
        sdk_id: "Example",
        api_version: "2015-08-30",
        signing_name: Some("service"),
        endpoint_rules: None,
    };
    const S3: Service = Service {
        sdk_id: "S3",
        api_version: "2006-03-01",
        signing_name: Some("s3"),
        endpoint_rules: None,
    };
    const OPERATION: Operation = Operation {
        name: "Get",
        retryable_errors: &[],
    };

    fn config(endpoint: &str, credentials: Credentials) -> Config {
        Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .credentials_provider(credentials)
            .build()
            .unwrap()
    }

    fn at(time: &str) -> SystemTime {
        let time: DateTime = time.parse().unwrap();
        SystemTime::UNIX_EPOCH + Duration::from_secs(time.secs() as u64)
    }

    /// The SigV4 suite's `get-vanilla-with-session-token`, query form, through the whole
    /// presigning path: the suite's `query-signed-request.txt` URL, byte for byte.
    #[tokio::test]
    async fn sigv4_suite_get_vanilla_with_session_token() {
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267".to_owned()),
            None,
        );
        let config = config("https://example.amazonaws.com", credentials);
        let presigning = PresigningConfig::builder()
            .start_time(at("2015-08-30T12:36:00Z"))
            .expires_in(Duration::from_secs(3600))
            .build()
            .unwrap();
        let mut parts = RequestParts::new("GET");
        parts.push_path("/");
        let presigned =
            presign_operation::<Infallible>(&config, &SERVICE, &OPERATION, Ok(parts), presigning)
                .await
                .unwrap();
        assert_eq!(presigned.method(), "GET");
        assert_eq!(
            presigned.uri(),
            "https://example.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request\
             &X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600\
             &X-Amz-Security-Token=6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\
             &X-Amz-Signature=7ff2b50b376cb4d151970630573d6291dc128cc5c2a12ffb237f73cc53f67b6c"
        );
        assert_eq!(presigned.headers().count(), 0);
    }

    /// AWS's own worked example of a presigned S3 GET ("Authenticating Requests: Using Query
    /// Parameters", S3 API reference): `UNSIGNED-PAYLOAD`, `host` the only signed header.
    #[tokio::test]
    async fn s3_documentation_example() {
        let credentials = Credentials::from_keys(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        );
        let config = config("https://examplebucket.s3.amazonaws.com", credentials);
        let presigning = PresigningConfig::builder()
            .start_time(at("2013-05-24T00:00:00Z"))
            .expires_in(Duration::from_secs(86400))
            .build()
            .unwrap();
        let mut parts = RequestParts::new("GET");
        parts.push_path("/test.txt");
        let presigned =
            presign_operation::<Infallible>(&config, &S3, &OPERATION, Ok(parts), presigning)
                .await
                .unwrap();
        let uri = presigned.uri();
        assert!(
            uri.ends_with(
                "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{uri}"
        );
        assert!(uri.contains("X-Amz-Expires=86400"), "{uri}");
        assert!(!uri.contains("X-Amz-Security-Token"), "{uri}");
    }

    /// Input headers are signed and must be sent; the body is the sender's for S3; nothing
    /// per-call (user agent, invocation id) is added.
    #[tokio::test]
    async fn s3_put_signs_input_headers_and_drops_the_body() {
        let credentials = Credentials::from_keys("AKID", "SECRET");
        let config = config("http://127.0.0.1:9000", credentials);
        let mut parts = RequestParts::new("PUT");
        parts.push_path("/bucket/key");
        parts.push_header("x-amz-meta-color", "blue");
        parts.set_body("text/plain", Bytes::from_static(b"hello"));
        let presigned = presign_operation::<Infallible>(
            &config,
            &S3,
            &OPERATION,
            Ok(parts),
            PresigningConfig::expires_in(Duration::from_secs(60)).unwrap(),
        )
        .await
        .unwrap();
        let headers: Vec<_> = presigned.headers().collect();
        assert_eq!(
            headers,
            [("x-amz-meta-color", "blue"), ("content-type", "text/plain")]
        );
        assert!(presigned.body().is_empty());
        let uri = presigned.uri();
        assert!(
            uri.contains("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-meta-color"),
            "{uri}"
        );
        let request = presigned.into_http_request(());
        assert_eq!(request.method(), http::Method::PUT);
        assert!(!request.headers().contains_key("user-agent"));
        assert!(!request.headers().contains_key("amz-sdk-invocation-id"));
    }

    #[test]
    fn expires_in_is_bounded() {
        assert!(PresigningConfig::expires_in(MAX_EXPIRES_IN).is_ok());
        assert_eq!(
            PresigningConfig::expires_in(MAX_EXPIRES_IN + Duration::from_secs(1)),
            Err(PresigningConfigError::ExpiresInTooLong(
                MAX_EXPIRES_IN + Duration::from_secs(1)
            ))
        );
        assert!(PresigningConfig::expires_in(Duration::from_millis(500)).is_err());
        assert_eq!(
            PresigningConfig::builder().build(),
            Err(PresigningConfigError::ExpiresInRequired)
        );
    }

    #[tokio::test]
    async fn an_unsigned_service_cannot_presign() {
        let unsigned = Service {
            signing_name: None,
            ..SERVICE
        };
        let config = config("https://example.com", Credentials::from_keys("a", "b"));
        let error = presign_operation::<Infallible>(
            &config,
            &unsigned,
            &OPERATION,
            Ok(RequestParts::new("GET")),
            PresigningConfig::expires_in(Duration::from_secs(1)).unwrap(),
        )
        .await
        .unwrap_err();
        assert!(error.to_string().contains("does not sign"), "{error}");
    }
}
