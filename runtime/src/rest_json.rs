//! restJson1 protocol pieces shared by every generated operation: error code discovery and
//! response error construction.

use crate::error::{ErrorMetadata, ResponseError};
use crate::http::{header, HttpResponse};
use serde_json::Value;

/// Reads the error code, message and request id of an error response.
///
/// The code comes from the `X-Amzn-Errortype` header, else the body's top-level `__type`, else
/// its top-level `code` (see [`error_code`]); it is then sanitised (see [`sanitize_error_code`]).
pub fn error_metadata(response: &HttpResponse, body: &Value) -> ErrorMetadata {
    let top = |key: &str| body.get(key).and_then(Value::as_str);
    let code = error_code(response, body);
    let message = top("message")
        .or_else(|| top("Message"))
        .or_else(|| top("errorMessage"))
        .map(str::to_string);
    ErrorMetadata {
        code,
        message,
        status: response.status().as_u16(),
        request_id: request_id(response),
        attempts: crate::error::attempts_of(response),
    }
}

/// The sanitised error code of an error response: the `X-Amzn-Errortype` header, else the
/// body's top-level `__type`, else its top-level `code` (see [`sanitize_error_code`]).
///
/// `__type` before `code`: the Smithy specifications name the three places without an order,
/// and some modelled errors have a member called `code` holding data (Firehose's
/// `InvalidKMSResourceException`, a KMS error code), which a service sends beside `__type`.
/// Reading `code` first made such an error unmodelled with its data as the type; botocore reads
/// `__type` first too. A body with only `code` (the protocol tests' `FooErrorUsingCode`) reads
/// as before.
pub fn error_code(response: &HttpResponse, body: &Value) -> Option<String> {
    let top = |key: &str| body.get(key).and_then(Value::as_str);
    header(response, "x-amzn-errortype")
        .or_else(|| top("__type"))
        .or_else(|| top("code"))
        .map(sanitize_error_code)
        .filter(|c| !c.is_empty())
}

/// The request id of a response (`x-amzn-RequestId`, or `x-amz-request-id`).
pub fn request_id(response: &HttpResponse) -> Option<String> {
    header(response, "x-amzn-requestid")
        .or_else(|| header(response, "x-amz-request-id"))
        .map(str::to_string)
}

/// Cuts a raw error type at the first `:` and keeps what follows a `#`:
/// `aws.protocoltests.restjson#FooError:http://internal/...` -> `FooError`.
pub fn sanitize_error_code(raw: &str) -> String {
    let before_colon = raw.split(':').next().unwrap_or_default();
    let name = before_colon.rsplit('#').next().unwrap_or_default();
    name.trim().to_string()
}

/// A [`ResponseError`] that keeps the whole response.
pub fn response_error(response: &HttpResponse, reason: impl std::fmt::Display) -> ResponseError {
    ResponseError {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.body().clone(),
        reason: reason.to_string(),
        attempts: crate::error::attempts_of(response),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_codes() {
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(sanitize_error_code("FooError:"), "FooError");
    }

    #[test]
    fn header_beats_body_type_beats_code() {
        let response = http::Response::builder()
            .status(404)
            .header("X-Amzn-Errortype", "A")
            .header("x-amzn-RequestId", "req-1")
            .body(bytes::Bytes::new())
            .unwrap();
        let body = serde_json::json!({"code": "B", "__type": "C", "Message": "hi"});
        let meta = error_metadata(&response, &body);
        assert_eq!(meta.code.as_deref(), Some("A"));
        assert_eq!(meta.message.as_deref(), Some("hi"));
        assert_eq!(meta.request_id.as_deref(), Some("req-1"));
        let bare = http::Response::builder()
            .status(400)
            .body(bytes::Bytes::new())
            .unwrap();
        // A modelled error's own `code` member (data) does not hide its `__type`.
        assert_eq!(error_metadata(&bare, &body).code.as_deref(), Some("C"));
        let only_code = serde_json::json!({"code": "ns#B", "message": "m"});
        assert_eq!(error_metadata(&bare, &only_code).code.as_deref(), Some("B"));
        let only_type = serde_json::json!({"__type": "ns#C", "nested": {"__type": "D"}});
        assert_eq!(error_metadata(&bare, &only_type).code.as_deref(), Some("C"));
    }
}
