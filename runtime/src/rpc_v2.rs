//! Smithy RPC v2 (`rpcv2Cbor`, `rpcv2Json`) pieces shared by every generated operation: error
//! type discovery, error metadata (with `@awsQueryCompatible` codes) and response errors, over
//! either wire format's value tree.

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;

/// A response error that keeps the whole response (the same as restJson1's).
pub use crate::rest_json::response_error;

/// An error body of either wire format, as far as error discovery reads it.
pub trait ErrorBody {
    /// A top-level text member of the body's map, if there is one.
    fn top_level_text(&self, key: &str) -> Option<&str>;
}

impl ErrorBody for crate::cbor::Value {
    fn top_level_text(&self, key: &str) -> Option<&str> {
        match self {
            crate::cbor::Value::Map(map) => match map.get(key) {
                Some(crate::cbor::Value::Text(text)) => Some(text),
                _ => None,
            },
            _ => None,
        }
    }
}

impl ErrorBody for serde_json::Value {
    fn top_level_text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(serde_json::Value::as_str)
    }
}

/// The shape name of the error a response carries: the body's `__type`, with any namespace and
/// `:` suffix removed (`smithy.example#InvalidGreeting` -> `InvalidGreeting`).
pub fn error_type(body: &impl ErrorBody) -> Option<String> {
    body.top_level_text("__type")
        .map(crate::rest_json::sanitize_error_code)
        .filter(|name| !name.is_empty())
}

/// Code, message, status and request id of an error response whose type is `error_type`; for
/// `@awsQueryCompatible` services (`query_compatible`) an `x-amzn-query-error: Code;Fault`
/// header gives the code, as in awsJson.
pub fn error_metadata(
    response: &HttpResponse,
    body: &impl ErrorBody,
    error_type: Option<&str>,
    query_compatible: bool,
) -> ErrorMetadata {
    let message = body
        .top_level_text("message")
        .or_else(|| body.top_level_text("Message"))
        .map(str::to_string);
    let mut meta = ErrorMetadata {
        code: error_type.map(str::to_string),
        message,
        status: response.status().as_u16(),
        request_id: crate::rest_json::request_id(response),
        attempts: crate::error::attempts_of(response),
    };
    if query_compatible {
        if let Some(code) = crate::aws_json::query_error_code(response) {
            meta.code = Some(code);
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cbor::{Map, Value};

    fn response(headers: &[(&str, &str)]) -> HttpResponse {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(bytes::Bytes::new()).expect("a response")
    }

    fn body(entries: &[(&str, &str)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), Value::Text(v.to_string())))
                .collect::<Map>(),
        )
    }

    #[test]
    fn the_type_is_the_body_type_without_namespace_or_suffix() {
        let body = body(&[
            ("__type", "smithy.example#Invalid:http://x/"),
            ("message", "no"),
        ]);
        assert_eq!(error_type(&body).as_deref(), Some("Invalid"));
        let meta = error_metadata(&response(&[]), &body, Some("Invalid"), false);
        assert_eq!(meta.code.as_deref(), Some("Invalid"));
        assert_eq!(meta.message.as_deref(), Some("no"));
        assert_eq!(meta.status, 400);
        assert_eq!(error_type(&Value::Null), None);
    }

    #[test]
    fn query_compatible_codes_come_from_the_header() {
        let body = body(&[("__type", "aws.test#QueueDoesNotExist")]);
        let r = response(&[("x-amzn-query-error", "AWS.Queue.NonExistent;Sender")]);
        let meta = error_metadata(&r, &body, error_type(&body).as_deref(), true);
        assert_eq!(meta.code.as_deref(), Some("AWS.Queue.NonExistent"));
        let plain = error_metadata(&r, &body, error_type(&body).as_deref(), false);
        assert_eq!(plain.code.as_deref(), Some("QueueDoesNotExist"));
    }
}
