//! Text forms of values in HTTP labels, query strings and headers, and reading them back from
//! response headers (restJson1 HTTP bindings).

use crate::http::{split_header_list, HttpResponse};
use crate::primitives::{Blob, DateTime};
use crate::timestamp::{self, Format};
use base64::Engine as _;

/// A float as text, with the non-numeric spellings `NaN`, `Infinity`, `-Infinity`.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        value.to_string()
    }
}

/// A `float` as text (printed at `f32` precision: `1.1`, not `1.100000023841858`).
pub fn float32_text(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        float_text(f64::from(value))
    }
}

/// A timestamp as text in `format`.
pub fn timestamp_text(value: &DateTime, format: Format) -> String {
    timestamp::format(value, format)
}

/// Bytes as base64 (blobs and `@mediaType` strings in headers).
pub fn base64_text(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Values of a response header: every occurrence, each split on commas for list members.
fn header_values(response: &HttpResponse, name: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for value in response.headers().get_all(name) {
        let text = value
            .to_str()
            .map_err(|_| format!("header `{name}` is not valid text"))?;
        out.push(text.to_string());
    }
    Ok(out)
}

/// A single-valued header as text.
pub fn header_text(response: &HttpResponse, name: &str) -> Result<Option<String>, String> {
    let values = header_values(response, name)?;
    Ok(if values.is_empty() {
        None
    } else {
        Some(values.join(", "))
    })
}

/// A single-valued header parsed with `FromStr` (numbers, booleans).
pub fn header_parsed<T: std::str::FromStr>(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<T>, String> {
    match header_text(response, name)? {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("header `{name}` has an invalid value `{text}`")),
    }
}

/// A float header (accepts `NaN`, `Infinity`, `-Infinity`).
pub fn header_float(response: &HttpResponse, name: &str) -> Result<Option<f64>, String> {
    header_parsed::<f64>(response, name)
}

/// A timestamp header in `format`.
pub fn header_timestamp(
    response: &HttpResponse,
    name: &str,
    format: Format,
) -> Result<Option<DateTime>, String> {
    match header_text(response, name)? {
        None => Ok(None),
        Some(text) => timestamp::parse(text.trim(), format).map(Some),
    }
}

/// A base64 header (blob or `@mediaType` string).
pub fn header_base64(response: &HttpResponse, name: &str) -> Result<Option<Blob>, String> {
    match header_text(response, name)? {
        None => Ok(None),
        Some(text) => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map(|b| Some(Blob::new(b)))
            .map_err(|e| format!("header `{name}` is not base64: {e}")),
    }
}

/// A list header: comma-separated (quotes honoured), each item parsed by `parse`.
pub fn header_list<T>(
    response: &HttpResponse,
    name: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<Vec<T>>, String> {
    let values = header_values(response, name)?;
    if values.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for value in values {
        for item in split_header_list(&value) {
            out.push(parse(&item)?);
        }
    }
    Ok(Some(out))
}

/// A list of http-date timestamps: these contain commas themselves, so items are every
/// second comma-separated piece.
pub fn header_http_date_list(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<Vec<DateTime>>, String> {
    let Some(text) = header_text(response, name)? else {
        return Ok(None);
    };
    let pieces: Vec<&str> = text.split(',').map(str::trim).collect();
    pieces
        .chunks(2)
        .map(|pair| timestamp::parse(&pair.join(", "), Format::HttpDate))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Every header starting with `prefix` (case-insensitive), keyed by the rest of its name.
pub fn prefix_headers(
    response: &HttpResponse,
    prefix: &str,
) -> std::collections::HashMap<String, String> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = std::collections::HashMap::new();
    for name in response.headers().keys() {
        if let Some(rest) = name.as_str().strip_prefix(&prefix) {
            if let Ok(Some(value)) = header_text(response, name.as_str()) {
                out.insert(rest.to_string(), value);
            }
        }
    }
    out
}

/// A fresh idempotency token (UUID v4).
pub fn idempotency_token() -> String {
    if let Some(token) = FIXED_IDEMPOTENCY_TOKEN.with(|t| t.borrow().clone()) {
        return token;
    }
    crate::random::uuid_v4()
}

thread_local! {
    static FIXED_IDEMPOTENCY_TOKEN: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// Makes [`idempotency_token`] return `token` on this thread (`None` restores random UUIDs);
/// protocol tests use it to get a predictable token.
pub fn set_fixed_idempotency_token(token: Option<String>) {
    FIXED_IDEMPOTENCY_TOKEN.with(|t| *t.borrow_mut() = token);
}
