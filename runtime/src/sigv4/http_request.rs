//! Signing `http::Request`s in place.

use http::header::{HeaderName, HeaderValue};
use http::uri::{PathAndQuery, Uri};
use http::{HeaderMap, Request};

use super::canonical::{decode_query, encode_bytes};
use super::{
    is_signing_query_param, sign, SignableBody, SignableRequest, SignatureLocation, SigningError,
    SigningOutput, SigningParams, X_AMZ_SECURITY_TOKEN,
};

/// Signs `request` (whose body bytes are at hand) in place and returns the signing details.
///
/// The `host` signed is the request's `host` header if present, else the URI authority (port
/// included unless it is the scheme's default), which is what HTTP clients send.
pub fn sign_request<B: AsRef<[u8]>>(
    request: &mut Request<B>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let output = signature_for(
        request,
        SignableBody::Bytes(request.body().as_ref()),
        params,
    )?;
    output.apply_to_request(request)?;
    Ok(output)
}

/// Like [`sign_request`], for any body type, with the payload described by `body` (e.g.
/// [`SignableBody::UnsignedPayload`] or a precomputed hash for a streaming body).
pub fn sign_request_with_body<B>(
    request: &mut Request<B>,
    body: SignableBody<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let output = signature_for(request, body, params)?;
    output.apply_to_request(request)?;
    Ok(output)
}

fn signature_for<B>(
    request: &Request<B>,
    body: SignableBody<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let host = host_of(request);
    let mut headers = header_pairs(request.headers())?;
    if !request.headers().contains_key(http::header::HOST) {
        headers.push(("host", host.as_deref().ok_or(SigningError::MissingHost)?));
    }
    let signable = SignableRequest {
        method: request.method().as_str(),
        path: request.uri().path(),
        query: request.uri().query(),
        headers,
        body,
    };
    sign(&signable, params)
}

/// `host[:port]` from the URI, omitting the scheme's default port as HTTP clients do.
fn host_of<B>(request: &Request<B>) -> Option<String> {
    let uri = request.uri();
    let host = uri.host()?;
    let default_port = match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    };
    Some(match uri.port_u16() {
        Some(port) if Some(port) != default_port => format!("{host}:{port}"),
        _ => host.to_owned(),
    })
}

fn header_pairs(headers: &HeaderMap) -> Result<Vec<(&str, &str)>, SigningError> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = std::str::from_utf8(value.as_bytes()).map_err(|_| {
                SigningError::InvalidHeaderValue {
                    name: name.as_str().to_owned(),
                }
            })?;
            Ok((name.as_str(), value))
        })
        .collect()
}

impl SigningOutput {
    /// Writes the signature into `request`: sets the signing headers (replacing existing ones)
    /// or appends the signing query parameters (replacing stale ones).
    pub fn apply_to_request<B>(&self, request: &mut Request<B>) -> Result<(), SigningError> {
        if self.signature_location == SignatureLocation::Headers {
            // A token header left from an earlier signing must not outlive the credentials.
            request.headers_mut().remove(X_AMZ_SECURITY_TOKEN);
        }
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| SigningError::Apply("a signing header name is invalid"))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                SigningError::Apply("a signing header value is not a valid header value")
            })?;
            // Keeps the credential-bearing values out of `Debug` output of the request.
            value
                .set_sensitive(name == http::header::AUTHORIZATION || name == X_AMZ_SECURITY_TOKEN);
            request.headers_mut().insert(name, value);
        }
        if !self.query_params.is_empty() {
            let uri = self.uri_with_query_params(request.uri())?;
            *request.uri_mut() = uri;
        }
        Ok(())
    }

    fn uri_with_query_params(&self, uri: &Uri) -> Result<Uri, SigningError> {
        let kept = uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|piece| !piece.is_empty())
            .filter(|piece| {
                let decoded = decode_query(piece);
                !decoded
                    .first()
                    .is_some_and(|(name, _)| is_signing_query_param(name))
            });
        let added = self.query_params.iter().map(|(name, value)| {
            format!(
                "{}={}",
                encode_bytes(name.as_bytes()),
                encode_bytes(value.as_bytes())
            )
        });
        let query = kept
            .map(str::to_owned)
            .chain(added)
            .collect::<Vec<_>>()
            .join("&");
        let path_and_query =
            PathAndQuery::try_from(format!("{}?{query}", uri.path())).map_err(|_| {
                SigningError::Apply("the signed path and query do not form a valid URI")
            })?;
        let mut parts = uri.clone().into_parts();
        parts.path_and_query = Some(path_and_query);
        Uri::from_parts(parts).map_err(|_| SigningError::Apply("the signed URI is invalid"))
    }
}
