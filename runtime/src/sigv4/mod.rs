//! AWS Signature Version 4 request signing.
//!
//! Hand-written on `ring` (SHA-256 and HMAC; rustls already compiles it) instead of depending on
//! `aws-sigv4` (whose dependency tree is large); it is checked against every case of the
//! official SigV4 test suite (`runtime/tests/sigv4_suite.rs`).
//!
//! Two entry points:
//! * [`sign`] works on a [`SignableRequest`] made of plain strings, so it can sign anything
//!   (including requests `http::Uri` cannot represent) and returns a [`SigningOutput`]: the
//!   intermediate canonical request and string to sign, the signature, and the headers or
//!   query parameters to add.
//! * [`sign_request`] signs an `http::Request` in place.
//!
//! ```
//! use smithy_runtime::credentials::Credentials;
//! use smithy_runtime::sigv4::{sign_request, SigningParams};
//!
//! let credentials = Credentials::from_keys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! let time: smithy_runtime::DateTime = "2015-08-30T12:36:00Z".parse().unwrap();
//! let params = SigningParams::new(&credentials, "us-east-1", "service", time);
//! let mut request = http::Request::get("https://example.amazonaws.com/")
//!     .body(bytes::Bytes::new())
//!     .unwrap();
//! let output = sign_request(&mut request, &params).unwrap();
//! assert_eq!(
//!     output.signature,
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! assert!(request.headers().contains_key("authorization"));
//! ```

mod canonical;
mod http_request;

use std::fmt;
use std::time::Duration;

use crate::DateTime;
use ring::{digest, hmac};

use crate::credentials::Credentials;

pub use http_request::{sign_request, sign_request_with_body};

/// The only algorithm this module implements.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Payload hash of an empty body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Payload "hash" that tells the service the body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Longest validity AWS accepts for a presigned (query-signed) request: 7 days.
pub const MAX_EXPIRES_IN: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Header names the signer never signs: they are set by the signer itself (`authorization`) or
/// are commonly added, changed or dropped between client and service by HTTP stacks and
/// proxies, which would break the signature.
pub const EXCLUDED_HEADERS: [&str; 5] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
    "expect",
];

const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
const AUTHORIZATION: &str = "authorization";

/// Query parameters the signer owns in query-signing mode; stale ones already on the request
/// (e.g. from an earlier attempt) are replaced.
const SIGNING_QUERY_PARAMS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

/// Where the signature goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureLocation {
    /// `Authorization` header (plus `X-Amz-Date`, `X-Amz-Security-Token`): normal requests.
    #[default]
    Headers,
    /// `X-Amz-*` query parameters: presigned URLs.
    QueryParams,
}

/// Knobs that differ between services or uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// Encode the (already encoded) request path again in the canonical URI. True for every
    /// service except S3.
    pub double_uri_encode: bool,
    /// Remove `.`/`..` segments and empty segments from the path before encoding. True for
    /// every service except S3.
    pub normalize_path: bool,
    /// Leave the session token out of the signature; it is still sent (added after signing).
    /// Some services (e.g. IoT) want this.
    pub omit_session_token: bool,
    /// Header or query-parameter signing.
    pub signature_location: SignatureLocation,
    /// Validity of a query-signed request (`X-Amz-Expires`); at most [`MAX_EXPIRES_IN`].
    pub expires_in: Duration,
    /// Also send and sign `x-amz-content-sha256` with the payload hash (header signing only;
    /// S3 requires it).
    pub content_sha256_header: bool,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            double_uri_encode: true,
            normalize_path: true,
            omit_session_token: false,
            signature_location: SignatureLocation::Headers,
            // The AWS CLI's `presign` default.
            expires_in: Duration::from_secs(3600),
            content_sha256_header: false,
        }
    }
}

/// Everything needed to sign besides the request.
#[derive(Clone, Debug)]
pub struct SigningParams<'a> {
    /// Who signs.
    pub credentials: &'a Credentials,
    /// Signing region (the resolved region, or an endpoint's `signingRegion`).
    pub region: &'a str,
    /// Signing name (`aws.auth#sigv4` `name`, or an endpoint's `signingName`).
    pub service_name: &'a str,
    /// Signing time; AWS rejects requests more than 5 minutes off.
    pub time: DateTime,
    /// Service-specific knobs.
    pub settings: SigningSettings,
}

impl<'a> SigningParams<'a> {
    /// Parameters with default [`SigningSettings`].
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        service_name: &'a str,
        time: DateTime,
    ) -> Self {
        Self {
            credentials,
            region,
            service_name,
            time,
            settings: SigningSettings::default(),
        }
    }
}

/// The request body as far as signing is concerned.
#[derive(Clone, Copy, Debug)]
pub enum SignableBody<'a> {
    /// The whole body; its SHA-256 is signed.
    Bytes(&'a [u8]),
    /// Sign the literal `UNSIGNED-PAYLOAD` (services that allow it, e.g. S3 over HTTPS).
    UnsignedPayload,
    /// A hex SHA-256 computed elsewhere (e.g. while streaming the body to disk).
    Precomputed(&'a str),
}

impl SignableBody<'_> {
    fn payload_hash(&self) -> String {
        match self {
            Self::Bytes(bytes) => sha256_hex(bytes),
            Self::UnsignedPayload => UNSIGNED_PAYLOAD.to_owned(),
            Self::Precomputed(hash) => (*hash).to_owned(),
        }
    }
}

/// A request as plain strings.
#[derive(Clone, Debug)]
pub struct SignableRequest<'a> {
    /// HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// Path as sent on the wire (already percent-encoded once), without the query.
    pub path: &'a str,
    /// Raw query string without the `?`, if any.
    pub query: Option<&'a str>,
    /// All headers, in order, repeated names allowed; must include `host`.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The body.
    pub body: SignableBody<'a>,
}

/// Why a request could not be signed. Never contains secrets.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// There is no `host` header and the URI has no authority to derive one from.
    MissingHost,
    /// A header value is not UTF-8, so its canonical form is undefined.
    InvalidHeaderValue {
        /// The header's name.
        name: String,
    },
    /// `expires_in` is outside what AWS accepts for presigned requests.
    InvalidExpiresIn {
        /// The rejected value.
        seconds: u64,
    },
    /// The signing results could not be written into the request.
    Apply(&'static str),
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHost => f.write_str(
                "cannot sign a request without a host: give it an absolute URI or a `host` header",
            ),
            Self::InvalidHeaderValue { name } => write!(
                f,
                "header `{name}` has a value that is not valid UTF-8 and cannot be signed"
            ),
            Self::InvalidExpiresIn { seconds } => write!(
                f,
                "expires_in of {seconds}s is invalid: it must be between 1 second and 7 days"
            ),
            Self::Apply(what) => write!(f, "could not apply the signature to the request: {what}"),
        }
    }
}

impl std::error::Error for SigningError {}

/// The result of signing: intermediate values (for debugging and tests) and what to add to the
/// request.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// The canonical request that was hashed. Contains the session token when it is signed.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// Hex signature.
    pub signature: String,
    /// The `;`-joined names of the signed headers.
    pub signed_headers: String,
    /// Where the signature goes.
    pub signature_location: SignatureLocation,
    /// Headers to set on the request (replacing existing ones), in order.
    pub headers: Vec<(&'static str, String)>,
    /// Query parameters to append (unencoded), in order.
    pub query_params: Vec<(&'static str, String)>,
}

impl fmt::Debug for SigningOutput {
    // The canonical request, the token header and the token query parameter hold the session
    // token, so only names and non-secret values are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(&'static str, String)]| {
            pairs.iter().map(|(name, _)| *name).collect::<Vec<_>>()
        };
        f.debug_struct("SigningOutput")
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("signed_headers", &self.signed_headers)
            .field("signature_location", &self.signature_location)
            .field("header_names", &names(&self.headers))
            .field("query_param_names", &names(&self.query_params))
            .finish_non_exhaustive()
    }
}

/// Signs `request`, returning what to add to it.
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let query_mode = params.settings.signature_location == SignatureLocation::QueryParams;
    if query_mode {
        check_expires_in(params.settings.expires_in)?;
    }
    if !request
        .headers
        .iter()
        .any(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
    {
        return Err(SigningError::MissingHost);
    }
    let context = Context::new(params, request.body.payload_hash());
    Ok(if query_mode {
        context.sign_query(request)
    } else {
        context.sign_headers(request)
    })
}

fn check_expires_in(expires_in: Duration) -> Result<(), SigningError> {
    if expires_in.as_secs() == 0 || expires_in > MAX_EXPIRES_IN {
        return Err(SigningError::InvalidExpiresIn {
            seconds: expires_in.as_secs(),
        });
    }
    Ok(())
}

/// `YYYYMMDD'T'HHMMSS'Z'`, the `x-amz-date` form of the signing time.
pub(crate) fn amz_date(time: &DateTime) -> String {
    let civil = time.civil();
    format!(
        "{}T{:02}{:02}{:02}Z",
        date_stamp(time),
        civil.hour,
        civil.minute,
        civil.second
    )
}

/// `YYYYMMDD`, the date of the credential scope.
pub(crate) fn date_stamp(time: &DateTime) -> String {
    let civil = time.civil();
    format!("{}{:02}{:02}", civil.year_text(), civil.month, civil.day)
}

/// Values derived from the parameters that every step needs.
struct Context<'a> {
    params: &'a SigningParams<'a>,
    amz_date: String,
    scope: String,
    payload_hash: String,
}

impl<'a> Context<'a> {
    fn new(params: &'a SigningParams<'a>, payload_hash: String) -> Self {
        let amz_date = amz_date(&params.time);
        let scope = format!(
            "{}/{}/{}/aws4_request",
            date_stamp(&params.time),
            params.region,
            params.service_name
        );
        Self {
            params,
            amz_date,
            scope,
            payload_hash,
        }
    }

    /// The session token, if there is one and it is signed.
    fn signed_token(&self) -> Option<&'a str> {
        let token = self.params.credentials.session_token()?;
        (!self.params.settings.omit_session_token).then_some(token)
    }

    /// Headers the signer sets before signing, in the order they are added to the request. The
    /// token is always sent; whether it is signed is decided in [`Self::sign_headers`].
    fn header_additions(&self) -> Vec<(&'static str, String)> {
        let mut added = vec![(X_AMZ_DATE, self.amz_date.clone())];
        if let Some(token) = self.params.credentials.session_token() {
            added.push((X_AMZ_SECURITY_TOKEN, token.to_owned()));
        }
        if self.params.settings.content_sha256_header {
            added.push((X_AMZ_CONTENT_SHA256, self.payload_hash.clone()));
        }
        added
    }

    /// Whether header signing replaces the request's own value of `lowercase_name` (e.g. one
    /// left by an earlier signing of the same request).
    fn replaces_header(&self, lowercase_name: &str) -> bool {
        lowercase_name == X_AMZ_DATE
            || lowercase_name == X_AMZ_SECURITY_TOKEN
            || (self.params.settings.content_sha256_header
                && lowercase_name == X_AMZ_CONTENT_SHA256)
    }

    fn sign_headers(&self, request: &SignableRequest<'_>) -> SigningOutput {
        let mut added = self.header_additions();
        let existing = request
            .headers
            .iter()
            .copied()
            .filter(|(name, _)| !self.replaces_header(&name.trim().to_ascii_lowercase()));
        let all = existing.chain(added.iter().map(|(name, value)| (*name, value.as_str())));
        let include = |name: &str| {
            is_signable(name) && (name != X_AMZ_SECURITY_TOKEN || self.signed_token().is_some())
        };
        let headers = canonical::canonical_headers(all, include);
        let query = canonical::canonical_query(request.query, |_| false, &[]);
        let mut output = self.finish(request, &query, headers);
        let authorization = format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={}",
            self.params.credentials.access_key_id(),
            self.scope,
            output.signed_headers,
            output.signature
        );
        added.push((AUTHORIZATION, authorization));
        output.headers = added;
        output
    }

    /// The `X-Amz-*` parameters that are part of the signed query (all but the signature).
    fn query_signing_params(&self, signed_headers: &str) -> Vec<(&'static str, String)> {
        let credential = format!("{}/{}", self.params.credentials.access_key_id(), self.scope);
        let expires = self.params.settings.expires_in.as_secs().to_string();
        let mut params = vec![
            ("X-Amz-Algorithm", ALGORITHM.to_owned()),
            ("X-Amz-Credential", credential),
            ("X-Amz-Date", self.amz_date.clone()),
            ("X-Amz-SignedHeaders", signed_headers.to_owned()),
            ("X-Amz-Expires", expires),
        ];
        if let Some(token) = self.signed_token() {
            params.push(("X-Amz-Security-Token", token.to_owned()));
        }
        params
    }

    fn sign_query(&self, request: &SignableRequest<'_>) -> SigningOutput {
        let headers = canonical::canonical_headers(request.headers.iter().copied(), is_signable);
        let mut params = self.query_signing_params(&headers.signed);
        let query = canonical::canonical_query(request.query, is_signing_query_param, &params);
        let mut output = self.finish(request, &query, headers);
        // An omitted token is still sent, just not covered by the signature.
        if let (None, Some(token)) = (self.signed_token(), self.params.credentials.session_token())
        {
            params.push(("X-Amz-Security-Token", token.to_owned()));
        }
        params.push(("X-Amz-Signature", output.signature.clone()));
        output.query_params = params;
        output
    }

    /// Canonical request, string to sign and signature; fills everything but the additions.
    fn finish(
        &self,
        request: &SignableRequest<'_>,
        query: &str,
        headers: canonical::CanonicalHeaders,
    ) -> SigningOutput {
        let settings = &self.params.settings;
        let uri = canonical::canonical_uri(
            request.path,
            settings.normalize_path,
            settings.double_uri_encode,
        );
        let canonical_request = format!(
            "{}\n{uri}\n{query}\n{}\n{}\n{}",
            request.method, headers.block, headers.signed, self.payload_hash
        );
        let string_to_sign = format!(
            "{ALGORITHM}\n{}\n{}\n{}",
            self.amz_date,
            self.scope,
            sha256_hex(canonical_request.as_bytes())
        );
        let key = signing_key(
            self.params.credentials.secret_access_key(),
            &date_stamp(&self.params.time),
            self.params.region,
            self.params.service_name,
        );
        SigningOutput {
            signature: hex(&hmac_sha256(&key, string_to_sign.as_bytes())),
            canonical_request,
            string_to_sign,
            signed_headers: headers.signed,
            signature_location: settings.signature_location,
            headers: Vec::new(),
            query_params: Vec::new(),
        }
    }
}

fn is_signable(lowercase_name: &str) -> bool {
    !EXCLUDED_HEADERS.contains(&lowercase_name)
}

fn is_signing_query_param(decoded_name: &[u8]) -> bool {
    SIGNING_QUERY_PARAMS
        .iter()
        .any(|name| name.as_bytes() == decoded_name)
}

/// Lower-case hex SHA-256 of `bytes` (the SigV4 payload hash).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

/// The SigV4 signing key: HMAC chain over date (`YYYYMMDD`), region, service and
/// `aws4_request`, starting from `"AWS4" + secret`.
pub fn signing_key(
    secret_access_key: &str,
    date: &str,
    region: &str,
    service_name: &str,
) -> [u8; 32] {
    let k_secret = format!("AWS4{secret_access_key}");
    let k_date = hmac_sha256(k_secret.as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service_name.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data);
    // An HMAC-SHA256 tag is always 32 bytes; the fallback only keeps this free of panics.
    <[u8; 32]>::try_from(tag.as_ref()).unwrap_or_default()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}
