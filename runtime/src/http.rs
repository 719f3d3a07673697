//! The HTTP layer: a transport trait with a hyper (rustls) implementation, and the request
//! builder that generated serializers fill in (labels, query, headers, body).

mod no_proxy;
mod proxy;
mod proxy_connector;

pub use crate::body::{Body, BoxError};
use crate::checksum::{ChecksumAlgorithm, RequestChecksumCalculation, ResponseChecksumValidation};
use crate::error::{BuildError, DispatchError};
use crate::ByteStream;
use bytes::Bytes;
use hyper_rustls::ConfigBuilderExt;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
pub use proxy::ProxyConfig;
use proxy_connector::{ProxyConnector, ProxyStream};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tower_service::Service;

/// A boxed, sendable future (keeps the transport trait object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An HTTP request as sent by the client: its body is in memory or streams from a file or
/// reader, with its length always known (and sent as `Content-Length`).
pub type HttpRequest = http::Request<Body>;

/// An HTTP response with its whole body read: what generated parsers see. The body of a
/// successful response of an operation with a `@streaming` output payload is not in it but
/// left on the connection; [`ByteStream::from_response`] finds it.
pub type HttpResponse = http::Response<Bytes>;

/// An HTTP response as the transport returns it: status and headers, the body still to read.
pub type StreamingResponse = http::Response<Body>;

/// Sends HTTP requests. Implement it to use another HTTP stack, or to fake the network in tests.
///
/// The transport returns as soon as the response head has arrived; the pipeline reads the body
/// (whole, or chunk by chunk for `@streaming` outputs). A fake answers with an in-memory body:
///
/// ```
/// use smithy_runtime::error::DispatchError;
/// use smithy_runtime::http::{Body, BoxFuture, HttpClient, HttpRequest, StreamingResponse};
///
/// #[derive(Debug)]
/// struct Canned;
///
/// impl HttpClient for Canned {
///     fn call(&self, _: HttpRequest) -> BoxFuture<'_, Result<StreamingResponse, DispatchError>> {
///         Box::pin(async { Ok(http::Response::new(Body::from("{}"))) })
///     }
/// }
/// ```
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends one request (streaming its body) and returns the response once its head is read.
    fn call(&self, request: HttpRequest)
        -> BoxFuture<'_, Result<StreamingResponse, DispatchError>>;
}

/// The default transport: hyper's HTTP/1.1 client over rustls (ring, Mozilla's root
/// certificates from `webpki-roots`; no OpenSSL, no system TLS library).
///
/// Connections are pooled per host (idle ones are closed after 90 s) and shared by clones.
/// Both `http://` and `https://` endpoints work. Redirects are never followed: a signed request
/// is for one host and path, and a redirect is an answer to report, not to chase. Requests go
/// through HTTP proxies when a [`ProxyConfig`] says so ([`HyperClient::with_proxy`]; the
/// configuration loaders read `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`). Request bodies are
/// streamed to the socket as they are produced and response bodies read from it as they are
/// consumed, so neither is ever held whole by the transport. HTTP/1.1 is spoken: AWS endpoints
/// accept it for everything but a few HTTP/2 event streams, and it keeps the HTTP/2 stack out
/// of the build of every user who does not need those.
///
/// With the `http2` feature, requests marked HTTP/2 (the event-stream operations whose
/// protocol says `eventStreamHttp: ["h2"]`: Transcribe streaming, Kinesis SubscribeToShard,
/// Lex StartConversation, Q Business Chat) go over a second pool that speaks only HTTP/2 (ALPN
/// `h2` over TLS, prior knowledge over `http://`); without it they fail with a clear error.
#[derive(Clone, Debug)]
pub struct HyperClient {
    client: Client<TimeoutConnector, Body>,
    proxies: Arc<ProxyConfig>,
    #[cfg(feature = "http2")]
    h2: Client<TimeoutConnector, Body>,
}

impl HyperClient {
    /// A client with default settings and the given connect timeout (covering the TCP
    /// connection and the TLS handshake), without proxies.
    pub fn new(connect_timeout: Option<Duration>) -> Result<HyperClient, BuildError> {
        HyperClient::with_proxy(connect_timeout, ProxyConfig::disabled())
    }

    /// Like [`new`](Self::new), sending requests through the proxies of `proxies`. The connect
    /// timeout then covers reaching the proxy and, for `https://` endpoints, the tunnel and
    /// the TLS handshake through it.
    pub fn with_proxy(
        connect_timeout: Option<Duration>,
        proxies: ProxyConfig,
    ) -> Result<HyperClient, BuildError> {
        // The provider is chosen explicitly rather than through rustls' process-wide default,
        // which panics when another crate in the program also enables aws-lc-rs.
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| BuildError::other(format!("cannot create the TLS configuration: {e}")))?
        .with_webpki_roots()
        .with_no_client_auth();
        Ok(HyperClient::with_tls_config_and_proxy(
            tls,
            connect_timeout,
            proxies,
        ))
    }

    /// A client using the given rustls (0.23) configuration, for other root certificates or
    /// client certificates, and the given connect timeout. Its ALPN protocols are replaced by
    /// `http/1.1` (and `h2` for the HTTP/2 pool of the `http2` feature).
    pub fn with_tls_config(
        tls: rustls::ClientConfig,
        connect_timeout: Option<Duration>,
    ) -> HyperClient {
        HyperClient::with_tls_config_and_proxy(tls, connect_timeout, ProxyConfig::disabled())
    }

    /// [`with_tls_config`](Self::with_tls_config) and [`with_proxy`](Self::with_proxy) at once.
    pub fn with_tls_config_and_proxy(
        mut tls: rustls::ClientConfig,
        connect_timeout: Option<Duration>,
        proxies: ProxyConfig,
    ) -> HyperClient {
        let proxies = Arc::new(proxies);
        #[cfg(feature = "http2")]
        let h2 = {
            let mut tls = tls.clone();
            tls.alpn_protocols = vec![b"h2".to_vec()];
            Client::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .pool_idle_timeout(Duration::from_secs(90))
                .http2_only(true)
                .build(connector(tls, connect_timeout, &proxies))
        };
        // hyper-rustls leaves ALPN empty for HTTP/1.1 (its builder even refuses a preset list);
        // saying `http/1.1` is explicit, and stops an `h2` left in a caller's configuration
        // from being negotiated on a connection we would speak HTTP/1.1 on.
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        // The pool timer is what actually closes idle connections after the idle timeout.
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(connector(tls, connect_timeout, &proxies));
        HyperClient {
            client,
            proxies,
            #[cfg(feature = "http2")]
            h2,
        }
    }

    /// The pool for `request`'s HTTP version.
    fn pool_for(
        &self,
        request: &HttpRequest,
    ) -> Result<&Client<TimeoutConnector, Body>, DispatchError> {
        if request.version() != http::Version::HTTP_2 {
            return Ok(&self.client);
        }
        #[cfg(feature = "http2")]
        {
            Ok(&self.h2)
        }
        #[cfg(not(feature = "http2"))]
        {
            Err(DispatchError::new(
                "this operation is sent over HTTP/2: enable the `http2` feature of smithy-runtime",
                false,
            ))
        }
    }
}

/// The TLS-or-TCP connector, through `proxies`, with our TCP settings.
fn connector(
    tls: rustls::ClientConfig,
    connect_timeout: Option<Duration>,
    proxies: &Arc<ProxyConfig>,
) -> TimeoutConnector {
    let mut http = HttpConnector::new();
    // The HTTPS connector checks the scheme; the TCP connector must let `https` through.
    http.enforce_http(false);
    // Requests are written in one go and answered; Nagle's algorithm only adds latency.
    http.set_nodelay(true);
    // Built from parts (not hyper-rustls' builder) to keep the ALPN list; `http://` is allowed.
    TimeoutConnector {
        inner: ProxyConnector::new(http, Arc::new(tls), Arc::clone(proxies)),
        timeout: connect_timeout,
    }
}

impl HttpClient for HyperClient {
    fn call(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, DispatchError>> {
        Box::pin(async move {
            check_uri(request.uri())?;
            let mut request = request;
            self.authorize_forwarded(&mut request);
            let response = self
                .pool_for(&request)?
                .request(request)
                .await
                .map_err(transport_error)?;
            // hyper's `Incoming` reads from the connection as it is polled.
            Ok(response.map(Body::from_body))
        })
    }
}

impl HyperClient {
    /// A plain `http://` request forwarded by a proxy carries the proxy's credentials itself
    /// (an `https://` one is tunnelled: its `CONNECT` request carries them).
    fn authorize_forwarded(&self, request: &mut HttpRequest) {
        if request.uri().scheme_str() != Some("http") {
            return;
        }
        let authorization = self
            .proxies
            .intercept(request.uri())
            .and_then(|proxy| proxy.authorization());
        if let Some(value) = authorization {
            request
                .headers_mut()
                .insert(http::header::PROXY_AUTHORIZATION, value.clone());
        }
    }
}

/// Rejects, as not transient, a URI the client cannot send: it needs an absolute `http` or
/// `https` URI. Retrying would fail the same way.
fn check_uri(uri: &http::Uri) -> Result<(), DispatchError> {
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    if scheme_ok && uri.host().is_some_and(|h| !h.is_empty()) {
        Ok(())
    } else {
        Err(DispatchError::new(
            format!(
                "cannot send a request to `{uri}`: an absolute http:// or https:// URI is needed"
            ),
            false,
        ))
    }
}

/// Classifies a transport error. Everything that goes wrong once a request is on its way
/// (refused or reset connections, a connection closed before the response, TLS failures) is
/// transient: the pipeline decides whether to retry. A connection that did not complete within
/// the connect timeout is reported as such, so the pipeline can call it a `connect` timeout.
fn transport_error(error: hyper_util::client::legacy::Error) -> DispatchError {
    if error.is_connect() && is_timeout(&error) {
        return DispatchError::connect_timeout(error);
    }
    // A peer whose certificate is not trusted (or a failed TLS negotiation) will fail the
    // same way on the next attempt; everything else on the wire may well be transient.
    let transient = !is_tls_rejection(&error) && !is_proxy_auth_rejection(&error);
    DispatchError::new(error, transient)
}

/// Whether a proxy answered the `CONNECT` with 407 (the credentials in the proxy URL are
/// missing or wrong): the next attempt would be refused too. hyper-util's tunnel error type is
/// private, so it is known by its message; should that change, the error is merely retried.
fn is_proxy_auth_rejection(error: &(dyn std::error::Error + 'static)) -> bool {
    error_chain(error)
        .any(|error| error.to_string() == "tunnel error: proxy authorization required")
}

/// Whether a timeout is anywhere in the error's chain: ours ([`ConnectTimedOut`]) or the
/// operating system's (`ETIMEDOUT`).
fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    error_chain(error).any(|error| {
        error.is::<ConnectTimedOut>()
            || error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    })
}

/// Whether rustls rejected the connection (an untrusted or invalid certificate, no common
/// protocol version or cipher suite) anywhere in the error's chain.
fn is_tls_rejection(error: &(dyn std::error::Error + 'static)) -> bool {
    error_chain(error).any(|error| error.is::<rustls::Error>())
}

/// An error and everything it wraps. An `io::Error`'s `source()` skips the error it wraps
/// (rustls reports through `io::Error`s wrapping its own error, sometimes twice), so wrapped
/// errors are followed with `get_ref()`.
fn error_chain<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |error| {
        match error.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        }
    })
}

/// Wraps the HTTPS connector so that the connect timeout covers the whole connection set-up,
/// TLS handshake included (hyper-util's own connect timeout covers only TCP).
#[derive(Clone, Debug)]
struct TimeoutConnector {
    inner: ProxyConnector,
    timeout: Option<Duration>,
}

impl Service<http::Uri> for TimeoutConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<Self::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match timeout {
                None => connecting.await,
                Some(limit) => match tokio::time::timeout(limit, connecting).await {
                    Ok(result) => result,
                    Err(_) => Err(Box::new(ConnectTimedOut(limit)) as BoxError),
                },
            }
        })
    }
}

/// The connect timeout fired before the connection (TCP and TLS) was established.
#[derive(Debug)]
struct ConnectTimedOut(Duration);

impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connecting took longer than {:?}", self.0)
    }
}

impl std::error::Error for ConnectTimedOut {}

/// Everything except `A-Z a-z 0-9 - . _ ~` is percent-encoded (RFC 3986 unreserved set).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Like [`UNRESERVED`] but keeps `/` (greedy labels).
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// A request whose body is an input event stream, with the [`SigningSlot`] the pipeline's
/// signer fills (as a request extension) so the body can chain its event signatures.
///
/// [`SigningSlot`]: crate::event_stream::sender::SigningSlot
fn event_stream_request(
    builder: http::request::Builder,
    source: &crate::event_stream::sender::EventStreamSource,
    uri: &str,
) -> Result<HttpRequest, BuildError> {
    use crate::event_stream::sender::{EventStreamBody, SigningSlot};
    let messages = source.take().ok_or_else(|| {
        BuildError::other("the input event stream was already sent (an event stream is sent once)")
    })?;
    let slot = SigningSlot::default();
    let body = Body::from_body(EventStreamBody::new(messages, slot.clone()));
    builder
        .extension(slot)
        .body(body)
        .map_err(|e| BuildError::other(format!("invalid request `{uri}`: {e}")))
}

/// Percent-encodes a label or query value.
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// A request under construction: path, query, headers and body, relative to the endpoint.
#[derive(Clone, Debug, Default)]
pub struct RequestParts {
    method: &'static str,
    path: String,
    query: Vec<(String, Option<String>)>,
    headers: Vec<(String, String)>,
    body: Bytes,
    /// A `@streaming` payload not in memory (a file, a reader); `body` is then empty.
    stream: Option<ByteStream>,
    host_prefix: Option<String>,
    endpoint: Option<String>,
    endpoint_params: Vec<(&'static str, crate::endpoint::Value)>,
    /// `@httpChecksum` on the request side, applied by the pipeline, which knows the
    /// configuration.
    request_checksum: Option<RequestChecksum>,
    /// `@httpChecksum` on the response side.
    response_checksum: Option<ResponseChecksum>,
    /// A one-shot `stream` sent `aws-chunked` with this checksum as its trailer.
    chunked_trailer: Option<ChecksumAlgorithm>,
    /// An input event stream: the body, framed and signed event by event.
    event_stream: Option<crate::event_stream::sender::EventStreamSource>,
    /// Send over HTTP/2 (event-stream operations whose protocol says `eventStreamHttp: [h2]`).
    http2: bool,
}

/// What `@httpChecksum` says about an operation's request checksum (see
/// [`RequestParts::set_request_checksum`]).
#[derive(Clone, Debug)]
struct RequestChecksum {
    algorithm: Option<String>,
    algorithm_header: Option<&'static str>,
    required: bool,
}

/// What `@httpChecksum` says about validating an operation's response.
#[derive(Clone, Debug)]
struct ResponseChecksum {
    mode_header: Option<&'static str>,
    enabled: bool,
    algorithms: Vec<ChecksumAlgorithm>,
}

impl RequestParts {
    /// A request with the given method and an empty path.
    pub fn new(method: &'static str) -> RequestParts {
        RequestParts {
            method,
            ..RequestParts::default()
        }
    }

    /// Appends a literal part of the URI pattern.
    pub fn push_path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a label value; an unset or empty label is an error before anything is sent.
    pub fn push_label(
        &mut self,
        member: &'static str,
        value: Option<&str>,
        greedy: bool,
    ) -> Result<(), BuildError> {
        let value = required_label(member, value)?;
        let set = if greedy {
            UNRESERVED_AND_SLASH
        } else {
            UNRESERVED
        };
        self.path
            .push_str(&utf8_percent_encode(value, set).to_string());
        Ok(())
    }

    /// Adds a query parameter (name and value are encoded when the URI is built).
    pub fn push_query(&mut self, name: &str, value: impl Into<String>) {
        self.query.push((name.to_string(), Some(value.into())));
    }

    /// Adds a literal query key with no value (`?flag` in a URI pattern).
    pub fn push_query_key(&mut self, name: &str) {
        self.query.push((name.to_string(), None));
    }

    /// Whether a query parameter is already set (explicit members win over `@httpQueryParams`).
    pub fn has_query(&self, name: &str) -> bool {
        self.query.iter().any(|(n, _)| n == name)
    }

    /// Adds a header.
    pub fn push_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.push((name.to_string(), value.into()));
    }

    /// Whether a header is already set (case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// Sets the body and its content type.
    pub fn set_body(&mut self, content_type: &str, body: impl Into<Bytes>) {
        if !self.has_header("content-type") {
            self.push_header("content-type", content_type);
        }
        self.body = body.into();
    }

    /// Sets a `@streaming` payload and its content type. An in-memory stream becomes the
    /// ordinary body (so it can be checksummed, compressed and its hash signed); a file or
    /// one-shot stream is sent as it is read, with its length as `Content-Length`.
    pub fn set_body_stream(&mut self, content_type: &str, stream: ByteStream) {
        if stream.is_in_memory() {
            self.set_body(content_type, stream.to_bytes());
        } else {
            if !self.has_header("content-type") {
                self.push_header("content-type", content_type);
            }
            self.body = Bytes::new();
            self.stream = Some(stream);
        }
    }

    /// Makes an input event stream the body (`application/vnd.amazon.eventstream`).
    pub fn set_event_stream(&mut self, messages: crate::event_stream::sender::MessageStream) {
        if !self.has_header("content-type") {
            self.push_header("content-type", "application/vnd.amazon.eventstream");
        }
        self.body = Bytes::new();
        self.event_stream = Some(crate::event_stream::sender::EventStreamSource::new(
            messages,
        ));
    }

    /// Sends the request over HTTP/2 (which the transport must support, see [`HyperClient`]).
    pub fn set_http2(&mut self) {
        self.http2 = true;
    }

    /// The body set so far (empty when the body is a stream not in memory).
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Whether the body can be sent again by a retry (see [`ByteStream::is_replayable`]).
    pub fn is_body_replayable(&self) -> bool {
        self.event_stream.is_none() && self.stream.as_ref().is_none_or(ByteStream::is_replayable)
    }

    /// Adds `Content-MD5` (base64 of the body's MD5) unless already set
    /// (`@httpChecksumRequired`).
    ///
    /// Nothing is added for a streamed body (a file, a reader): it is not at hand to hash, and
    /// the MD5 of nothing would be wrong; set the header on the input if the service needs it.
    pub fn add_content_md5(&mut self) {
        if self.stream.is_none() && !self.has_header("content-md5") {
            let digest = crate::checksum::md5(&self.body);
            self.push_header("Content-MD5", crate::wire::base64_text(&digest));
        }
    }

    /// Declares the operation's `@httpChecksum` request side: `algorithm` is the value of its
    /// `requestAlgorithmMember` (`CRC32`, ...) if the input set it, `algorithm_header` the header
    /// that member is bound to, `required` its `requestChecksumRequired`. The pipeline then
    /// adds the `x-amz-checksum-*` header as the configuration's
    /// [`RequestChecksumCalculation`] says.
    pub fn set_request_checksum(
        &mut self,
        algorithm: Option<&str>,
        algorithm_header: Option<&'static str>,
        required: bool,
    ) {
        self.request_checksum = Some(RequestChecksum {
            algorithm: algorithm.map(str::to_string),
            algorithm_header,
            required,
        });
    }

    /// Declares the operation's `@httpChecksum` response side: `mode_header` is the header its
    /// `requestValidationModeMember` is bound to, `enabled` whether the input set it to
    /// `ENABLED`, `algorithms` its `responseAlgorithms` (names the runtime does not know are
    /// ignored).
    pub fn set_response_checksum(
        &mut self,
        mode_header: Option<&'static str>,
        enabled: bool,
        algorithms: &[&str],
    ) {
        self.response_checksum = Some(ResponseChecksum {
            mode_header,
            enabled,
            algorithms: algorithms
                .iter()
                .filter_map(|name| ChecksumAlgorithm::from_name(name))
                .collect(),
        });
    }

    /// The response checksums to validate, once
    /// [`apply_flexible_checksums`](Self::apply_flexible_checksums) has decided to.
    pub(crate) fn response_checksum_algorithms(&self) -> Option<&[ChecksumAlgorithm]> {
        self.response_checksum
            .as_ref()
            .filter(|r| r.enabled && !r.algorithms.is_empty())
            .map(|r| r.algorithms.as_slice())
    }

    /// Applies `@httpChecksum` as the configuration says (the pipeline calls it once, before
    /// the first attempt).
    ///
    /// Request side: unless the input already set an `x-amz-checksum-*` header (its checksum
    /// value member), adds the checksum of the chosen algorithm (or CRC32, when
    /// `WhenSupported` or the operation requires one) and the algorithm member's header. An
    /// in-memory body is hashed as it is, the checksum sent as a header. Any other body (a file,
    /// a reader, a `Stream`), as in the AWS SDKs, is read only once: it is sent `aws-chunked`
    /// (one chunk of the whole payload, its length being known) with the checksum as a trailer
    /// (`x-amz-trailer`, `x-amz-decoded-content-length`, signed as
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`), computed as it is sent; a retry of a file body
    /// reads the file again and computes it again.
    ///
    /// Response side: with `WhenSupported` the mode member's header is set to `ENABLED`
    /// unless the input set it, and the response is then validated.
    pub async fn apply_flexible_checksums(
        &mut self,
        request: RequestChecksumCalculation,
        response: ResponseChecksumValidation,
    ) -> Result<(), BuildError> {
        if let Some(checksum) = self.request_checksum.take() {
            self.add_request_checksum(checksum, request).await?;
        }
        if let Some(mut checksum) = self.response_checksum.take() {
            if !checksum.enabled && response == ResponseChecksumValidation::WhenSupported {
                if let Some(header) = checksum.mode_header {
                    if !self.has_header(header) {
                        self.push_header(header, "ENABLED");
                    }
                    checksum.enabled = true;
                }
            }
            self.response_checksum = Some(checksum);
        }
        Ok(())
    }

    async fn add_request_checksum(
        &mut self,
        checksum: RequestChecksum,
        setting: RequestChecksumCalculation,
    ) -> Result<(), BuildError> {
        let user_set = self.headers.iter().any(|(n, _)| {
            n.len() > "x-amz-checksum-".len()
                && n[.."x-amz-checksum-".len()].eq_ignore_ascii_case("x-amz-checksum-")
        });
        if user_set {
            return Ok(());
        }
        let chosen = checksum.algorithm.is_some();
        let algorithm = match &checksum.algorithm {
            Some(name) => ChecksumAlgorithm::from_name(name).ok_or_else(|| {
                BuildError::other(format!(
                    "checksum algorithm `{name}` is not supported (CRC32, CRC32C, CRC64NVME, SHA1, SHA256 are)"
                ))
            })?,
            None if checksum.required || setting == RequestChecksumCalculation::WhenSupported => {
                ChecksumAlgorithm::Crc32
            }
            None => return Ok(()),
        };
        let value = match &self.stream {
            None => algorithm.checksum_base64(&self.body),
            // Bytes are hashed where they lie; a file (or any stream) is read once, as it is
            // sent, like a one-shot stream (below), rather than once more beforehand.
            Some(stream) if stream.is_in_memory() => {
                let mut hasher = algorithm.hasher();
                let mut copy = stream.clone();
                while let Some(chunk) = copy.next().await {
                    let chunk = chunk.map_err(|e| {
                        BuildError::other(format!("cannot read the body to checksum it: {e}"))
                    })?;
                    hasher.update(&chunk);
                }
                hasher.finish_base64()
            }
            Some(stream) => {
                // Read once per attempt, as it is sent: `aws-chunked` with the checksum as a
                // trailer (a file is opened again, and checksummed again, by a retry).
                let Some(length) = stream.content_length() else {
                    if chosen {
                        return Err(BuildError::other(format!(
                            "a {algorithm} checksum needs the length of the body"
                        )));
                    }
                    return Ok(());
                };
                match self
                    .headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case("content-encoding"))
                {
                    Some((_, value)) if !value.is_empty() => value.push_str(", aws-chunked"),
                    Some((_, value)) => value.push_str("aws-chunked"),
                    None => self.push_header("Content-Encoding", "aws-chunked"),
                }
                self.push_header("x-amz-decoded-content-length", length.to_string());
                self.push_header("x-amz-trailer", algorithm.header_name());
                self.chunked_trailer = Some(algorithm);
                if let Some(header) = checksum.algorithm_header {
                    if !self.has_header(header) {
                        self.push_header(header, algorithm.name());
                    }
                }
                return Ok(());
            }
        };
        self.push_header(algorithm.header_name(), value);
        if let Some(header) = checksum.algorithm_header {
            if !self.has_header(header) {
                self.push_header(header, algorithm.name());
            }
        }
        Ok(())
    }

    /// Gzips the body when it has at least `min_size` bytes (`@requestCompression`), appending
    /// `gzip` to any `Content-Encoding` the input set.
    pub fn compress_gzip(&mut self, min_size: usize) {
        if self.body.len() < min_size {
            return;
        }
        self.body = Bytes::from(crate::checksum::gzip(&self.body));
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-encoding"))
        {
            Some((_, value)) if !value.is_empty() => value.push_str(", gzip"),
            Some((_, value)) => value.push_str("gzip"),
            None => self.push_header("Content-Encoding", "gzip"),
        }
    }

    /// Adds Amazon Glacier's payload checksums (`X-Amz-Content-Sha256`, the SHA-256 of the body,
    /// and `X-Amz-Sha256-Tree-Hash`, the SHA-256 tree hash over 1 MiB chunks) unless set.
    ///
    /// Nothing is added for a streamed body (see [`add_content_md5`](Self::add_content_md5)).
    pub fn add_glacier_checksums(&mut self) {
        use ring::digest::{digest, Context, SHA256};
        if self.stream.is_some() {
            return;
        }
        let hex = |bytes: &[u8]| -> String { bytes.iter().map(|b| format!("{b:02x}")).collect() };
        let sha256 = |bytes: &[u8]| digest(&SHA256, bytes).as_ref().to_vec();
        if !self.has_header("x-amz-content-sha256") {
            self.push_header("X-Amz-Content-Sha256", hex(&sha256(&self.body)));
        }
        if !self.has_header("x-amz-sha256-tree-hash") {
            let mut level: Vec<Vec<u8>> = self.body.chunks(1024 * 1024).map(sha256).collect();
            if level.is_empty() {
                level.push(sha256(b""));
            }
            while level.len() > 1 {
                level = level
                    .chunks(2)
                    .map(|pair| match pair {
                        [a, b] => {
                            let mut pair = Context::new(&SHA256);
                            pair.update(a);
                            pair.update(b);
                            pair.finish().as_ref().to_vec()
                        }
                        [a] => a.clone(),
                        _ => unreachable!("chunks(2) yields one or two"),
                    })
                    .collect();
            }
            self.push_header("X-Amz-Sha256-Tree-Hash", hex(&level[0]));
        }
    }

    /// Sets the `@endpoint` host prefix (labels already expanded), put in front of the
    /// resolved endpoint's host when the request is built.
    pub fn set_host_prefix(&mut self, prefix: impl Into<String>) {
        self.host_prefix = Some(prefix.into());
    }

    /// Drops the `@endpoint` host prefix, so the request goes to the resolved endpoint's host
    /// as it is (the configuration's `disable_host_prefix`).
    pub fn clear_host_prefix(&mut self) {
        self.host_prefix = None;
    }

    /// Sends the request to `endpoint` (a URL) instead of the resolved endpoint: for operations
    /// whose input names their endpoint (Amazon Machine Learning's `Predict`).
    pub fn set_endpoint(&mut self, endpoint: impl Into<String>) {
        self.endpoint = Some(endpoint.into());
    }

    /// Sets an endpoint rule parameter from the operation (`@staticContextParams`, or an input
    /// member's `@contextParam`: S3's `Bucket`), which the endpoint rules read beside the
    /// configuration's; a later value of the same name wins.
    pub fn set_endpoint_param(
        &mut self,
        name: &'static str,
        value: impl Into<crate::endpoint::Value>,
    ) {
        self.endpoint_params.retain(|(n, _)| *n != name);
        self.endpoint_params.push((name, value.into()));
    }

    /// The endpoint rule parameters the operation set.
    pub fn endpoint_params(&self) -> &[(&'static str, crate::endpoint::Value)] {
        &self.endpoint_params
    }

    /// The host prefix, if the operation has one.
    pub fn host_prefix(&self) -> Option<&str> {
        self.host_prefix.as_deref()
    }

    /// The method.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// Builds the final request against an endpoint URL (`https://host[:port][/base]`).
    ///
    /// A file body is opened here (each attempt reads it afresh); a one-shot stream is taken,
    /// so building a request from a clone of these parts a second time fails.
    pub fn into_request(self, endpoint: &str) -> Result<HttpRequest, BuildError> {
        let uri = self.uri(endpoint);
        let mut builder = http::Request::builder().method(self.method).uri(&uri);
        if self.http2 {
            builder = builder.version(http::Version::HTTP_2);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(source) = &self.event_stream {
            return event_stream_request(builder, source, &uri);
        }
        let body = match self.stream {
            Some(stream) => {
                // Every constructor of a request stream knows its length; only a stream made
                // from a body of unknown length falls back to the transport's framing.
                let length = stream.content_length();
                let body = stream
                    .into_body()
                    .map_err(|e| BuildError::other(format!("cannot send the request body: {e}")))?;
                match (self.chunked_trailer, length) {
                    (Some(algorithm), Some(length)) => {
                        let chunked = crate::checksum::AwsChunkedBody::new(body, algorithm, length);
                        builder = builder.header("content-length", chunked.encoded_len());
                        Body::from_body(chunked)
                    }
                    _ => {
                        if let Some(length) = length {
                            builder = builder.header("content-length", length);
                        }
                        body
                    }
                }
            }
            None => {
                if !self.body.is_empty() {
                    builder = builder.header("content-length", self.body.len());
                }
                Body::from(self.body)
            }
        };
        builder
            .body(body)
            .map_err(|e| BuildError::other(format!("invalid request `{uri}`: {e}")))
    }

    fn uri(&self, endpoint: &str) -> String {
        let endpoint = self.endpoint.as_deref().unwrap_or(endpoint);
        let endpoint = match &self.host_prefix {
            Some(prefix) => prefix_host(endpoint, prefix),
            None => endpoint.to_string(),
        };
        let base = endpoint.trim_end_matches('/');
        let mut uri = format!("{base}{}", self.path);
        for (index, (name, value)) in self.query.iter().enumerate() {
            uri.push(if index == 0 { '?' } else { '&' });
            uri.push_str(&percent_encode(name));
            if let Some(value) = value {
                uri.push('=');
                uri.push_str(&percent_encode(value));
            }
        }
        uri
    }
}

/// A label's value, which must be set and not empty (checked even where the label is not in
/// the path: S3's bucket, which the endpoint rules place).
pub fn required_label<'a>(
    member: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, BuildError> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(BuildError::missing_field(
            member,
            "cannot be empty or unset",
        )),
    }
}

/// Puts `prefix` in front of the host of an endpoint URL (`https://h/p` -> `https://{prefix}h/p`).
pub fn prefix_host(endpoint: &str, prefix: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{prefix}{rest}"),
        None => format!("{prefix}{endpoint}"),
    }
}

/// A `@hostLabel` value for a host prefix: unset, empty, or not a valid host label (letters,
/// digits and `-`, dot-separated, at most 63 characters per part) is an error before sending.
pub fn host_label<'a>(member: &'static str, value: Option<&'a str>) -> Result<&'a str, BuildError> {
    let value = value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| BuildError::missing_field(member, "cannot be empty or unset"))?;
    let valid = value.split('.').all(|part| {
        !part.is_empty()
            && part.len() <= 63
            && !part.starts_with('-')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if valid {
        Ok(value)
    } else {
        Err(BuildError::missing_field(
            member,
            "is not a valid host label",
        ))
    }
}

/// Quotes a header list element that contains `,` or `"` (restJson1 list headers).
pub fn quote_header_value(value: &str) -> String {
    if value.contains(',') || value.contains('"') {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_string()
    }
}

/// Splits a list-valued header on commas, honouring double quotes.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    items.push(current.trim().to_string());
    items
}

/// The first value of a response header, as text.
pub fn header<'a>(response: &'a HttpResponse, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_percent_encoded() {
        let mut parts = RequestParts::new("GET");
        parts.push_path("/a/");
        parts
            .push_label("X", Some(" %:/?#[]@!$&'()*+,;=😹"), false)
            .unwrap();
        assert_eq!(
            parts.uri("http://h"),
            "http://h/a/%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
    }

    #[test]
    fn host_prefix_goes_in_front_of_the_host() {
        let mut parts = RequestParts::new("GET");
        parts.push_path("/x");
        parts.set_host_prefix("api-fulfill.");
        assert_eq!(
            parts.uri("https://dataexchange.us-east-1.amazonaws.com"),
            "https://api-fulfill.dataexchange.us-east-1.amazonaws.com/x"
        );
        assert_eq!(prefix_host("localhost:80", "a."), "a.localhost:80");
        assert_eq!(host_label("G", Some("g-1")), Ok("g-1"));
        assert!(host_label("G", Some("")).is_err());
        assert!(host_label("G", Some("a/b")).is_err());
        assert!(host_label("G", None).is_err());
    }

    #[tokio::test]
    async fn a_streamed_body_gets_content_length_and_no_checksums_of_nothing() {
        let mut parts = RequestParts::new("PUT");
        parts.set_body_stream(
            "application/octet-stream",
            ByteStream::from_reader(&b"abcd"[..], 4),
        );
        assert!(!parts.is_body_replayable());
        parts.add_content_md5();
        parts.add_glacier_checksums();
        assert!(!parts.has_header("content-md5"));
        assert!(!parts.has_header("x-amz-content-sha256"));
        let request = parts.into_request("https://h").unwrap();
        assert_eq!(request.headers()["content-length"], "4");
        assert_eq!(request.body().as_bytes(), None, "streamed, not in memory");
        assert_eq!(
            request.into_body().collect().await.unwrap(),
            Bytes::from("abcd")
        );

        let mut parts = RequestParts::new("PUT");
        parts.set_body_stream("text/plain", ByteStream::from("in memory"));
        assert!(parts.is_body_replayable());
        assert_eq!(parts.body(), &Bytes::from("in memory"));
        let request = parts.into_request("https://h").unwrap();
        assert_eq!(request.body().as_bytes(), Some(&Bytes::from("in memory")));
    }

    #[test]
    fn empty_or_unset_labels_are_errors() {
        let mut parts = RequestParts::new("GET");
        let err = parts.push_label("Name", Some(""), false).unwrap_err();
        assert_eq!(err.to_string(), "`Name` cannot be empty or unset");
        assert!(parts.push_label("Name", None, false).is_err());
    }

    /// A request for `url` through a [`HyperClient`] with a 200 ms connect timeout.
    async fn send(url: &str) -> Result<StreamingResponse, DispatchError> {
        let client = HyperClient::new(Some(Duration::from_millis(200))).unwrap();
        let request = http::Request::get(url).body(Body::empty()).unwrap();
        client.call(request).await
    }

    #[tokio::test]
    async fn a_refused_connection_is_transient_but_not_a_timeout() {
        // Bind then drop a listener: nothing listens on that port any more.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);

        let error = send(&format!("http://{address}/")).await.unwrap_err();

        assert!(error.is_transient(), "{error}");
        assert!(!error.is_connect_timeout(), "{error}");
    }

    #[tokio::test]
    async fn a_stalled_tls_handshake_is_a_connect_timeout() {
        // The server accepts TCP connections but never answers the TLS client hello, so only
        // a connect timeout covering the handshake can end the attempt.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let mut held = Vec::new();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                held.push(stream);
            }
        });

        let error = send(&format!("https://{address}/")).await.unwrap_err();

        assert!(error.is_connect_timeout(), "{error}");
        assert!(error.is_transient(), "{error}");
        server.abort();
    }

    #[tokio::test]
    async fn a_uri_that_cannot_be_sent_is_not_transient() {
        for url in ["ftp://example.com/", "/relative"] {
            let error = send(url).await.unwrap_err();
            assert!(!error.is_transient(), "{url}: {error}");
        }
    }

    #[test]
    fn header_lists_round_trip() {
        let joined = ["a", "b,c", "d\"e"].map(quote_header_value).join(", ");
        assert_eq!(joined, "a, \"b,c\", \"d\\\"e\"");
        assert_eq!(split_header_list(&joined), vec!["a", "b,c", "d\"e"]);
    }
}
