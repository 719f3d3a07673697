//! The HTTP layer: a transport trait with a reqwest (rustls) implementation, and the request
//! builder that generated serializers fill in (labels, query, headers, body).

use crate::error::{BuildError, DispatchError};
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future (keeps the transport trait object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An HTTP request as sent by the client.
pub type HttpRequest = http::Request<Bytes>;

/// An HTTP response with its whole body read.
pub type HttpResponse = http::Response<Bytes>;

/// Sends HTTP requests. Implement it to use another HTTP stack, or to fake the network in tests.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends one request and reads the whole response.
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, DispatchError>>;
}

/// The default transport: reqwest with rustls (no OpenSSL, no system TLS library).
#[derive(Clone, Debug)]
pub struct ReqwestClient {
    client: reqwest::Client,
}

impl ReqwestClient {
    /// A client with default settings and the given connect timeout.
    pub fn new(connect_timeout: Option<std::time::Duration>) -> Result<ReqwestClient, BuildError> {
        // An AWS client must not follow redirects: the signed request is for one host and path,
        // and a redirect is an answer to report, not to chase.
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        let client = builder
            .build()
            .map_err(|e| BuildError::other(format!("cannot create the HTTP client: {e}")))?;
        Ok(ReqwestClient { client })
    }

    /// Wraps an existing reqwest client (to share its connection pool).
    pub fn from_client(client: reqwest::Client) -> ReqwestClient {
        ReqwestClient { client }
    }
}

impl HttpClient for ReqwestClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, DispatchError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request.map(reqwest::Body::from))
                .map_err(|e| DispatchError::new(e, false))?;
            let response = self
                .client
                .execute(request)
                .await
                .map_err(transport_error)?;
            let status = response.status();
            let headers = response.headers().clone();
            let version = response.version();
            let body = response.bytes().await.map_err(transport_error)?;
            let mut out = http::Response::new(body);
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            *out.version_mut() = version;
            Ok(out)
        })
    }
}

fn transport_error(error: reqwest::Error) -> DispatchError {
    if error.is_connect() && error.is_timeout() {
        return DispatchError::connect_timeout(error);
    }
    let transient =
        error.is_connect() || error.is_timeout() || error.is_request() || error.is_body();
    DispatchError::new(error, transient)
}

/// Everything except `A-Z a-z 0-9 - . _ ~` is percent-encoded (RFC 3986 unreserved set).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Like [`UNRESERVED`] but keeps `/` (greedy labels).
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

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
    host_prefix: Option<String>,
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
        let value = match value {
            Some(v) if !v.is_empty() => v,
            _ => {
                return Err(BuildError::missing_field(
                    member,
                    "cannot be empty or unset",
                ))
            }
        };
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

    /// The body set so far.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Adds `Content-MD5` (base64 of the body's MD5) unless already set
    /// (`@httpChecksumRequired`).
    pub fn add_content_md5(&mut self) {
        if !self.has_header("content-md5") {
            let digest = crate::checksum::md5(&self.body);
            self.push_header("Content-MD5", crate::wire::base64_text(&digest));
        }
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
    pub fn add_glacier_checksums(&mut self) {
        use sha2::{Digest, Sha256};
        let hex = |bytes: &[u8]| -> String { bytes.iter().map(|b| format!("{b:02x}")).collect() };
        if !self.has_header("x-amz-content-sha256") {
            let digest = Sha256::digest(&self.body);
            self.push_header("X-Amz-Content-Sha256", hex(&digest));
        }
        if !self.has_header("x-amz-sha256-tree-hash") {
            let mut level: Vec<Vec<u8>> = self
                .body
                .chunks(1024 * 1024)
                .map(|c| Sha256::digest(c).to_vec())
                .collect();
            if level.is_empty() {
                level.push(Sha256::digest(b"").to_vec());
            }
            while level.len() > 1 {
                level = level
                    .chunks(2)
                    .map(|pair| match pair {
                        [a, b] => {
                            let mut h = Sha256::new();
                            h.update(a);
                            h.update(b);
                            h.finalize().to_vec()
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

    /// The host prefix, if the operation has one.
    pub fn host_prefix(&self) -> Option<&str> {
        self.host_prefix.as_deref()
    }

    /// The method.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// Builds the final request against an endpoint URL (`https://host[:port][/base]`).
    pub fn into_request(self, endpoint: &str) -> Result<HttpRequest, BuildError> {
        let uri = self.uri(endpoint);
        let mut builder = http::Request::builder().method(self.method).uri(&uri);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if !self.body.is_empty() {
            builder = builder.header("content-length", self.body.len());
        }
        builder
            .body(self.body)
            .map_err(|e| BuildError::other(format!("invalid request `{uri}`: {e}")))
    }

    fn uri(&self, endpoint: &str) -> String {
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

    #[test]
    fn empty_or_unset_labels_are_errors() {
        let mut parts = RequestParts::new("GET");
        let err = parts.push_label("Name", Some(""), false).unwrap_err();
        assert_eq!(err.to_string(), "`Name` cannot be empty or unset");
        assert!(parts.push_label("Name", None, false).is_err());
    }

    #[test]
    fn header_lists_round_trip() {
        let joined = ["a", "b,c", "d\"e"].map(quote_header_value).join(", ");
        assert_eq!(joined, "a, \"b,c\", \"d\\\"e\"");
        assert_eq!(split_header_list(&joined), vec!["a", "b,c", "d\"e"]);
    }
}
