//! awsJson1_0 / awsJson1_1 protocol pieces shared by every generated operation: error type
//! discovery, error metadata (with `@awsQueryCompatible` error codes) and response errors.
//!
//! Both versions put the whole input in a JSON body `POST`ed to `/`, name the operation in
//! `X-Amz-Target` and differ only in their content type; errors are read as in restJson1.

use crate::error::ErrorMetadata;
use crate::http::{header, HttpResponse};
use serde_json::Value;

/// A response error that keeps the whole response (the same as restJson1's).
pub use crate::rest_json::response_error;

/// The shape name of the error a response carries: the `X-Amzn-Errortype` header, else the
/// body's `__type`, else its `code`, with any namespace and `:` suffix removed. Generated
/// parsers pick the modelled error by it.
pub fn error_type(response: &HttpResponse, body: &Value) -> Option<String> {
    crate::rest_json::error_code(response, body)
}

/// Code, message, status and request id of an error response whose type is `error_type`.
///
/// The code is the error type, except for `@awsQueryCompatible` services (`query_compatible`),
/// where an `x-amzn-query-error: Code;Fault` header gives the code the service's awsQuery
/// clients knew (SQS's `AWS.SimpleQueueService.NonExistentQueue`), so code that matched on
/// those codes keeps working.
pub fn error_metadata(
    response: &HttpResponse,
    body: &Value,
    error_type: Option<&str>,
    query_compatible: bool,
) -> ErrorMetadata {
    let mut meta = crate::rest_json::error_metadata(response, body);
    meta.code = error_type.map(str::to_string);
    if query_compatible {
        if let Some(code) = query_error_code(response) {
            meta.code = Some(code);
        }
    }
    meta
}

/// The `Code` of an `x-amzn-query-error: Code;Fault` header, if the response has one.
pub(crate) fn query_error_code(response: &HttpResponse) -> Option<String> {
    let value = header(response, "x-amzn-query-error")?;
    let code = value.split(';').next().unwrap_or_default().trim();
    (!code.is_empty()).then(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)]) -> HttpResponse {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(bytes::Bytes::new()).unwrap()
    }

    #[test]
    fn the_type_comes_from_the_header_or_the_body_without_namespace_or_suffix() {
        let body = serde_json::json!({"__type": "aws.foo#BarError:http://internal/"});
        assert_eq!(
            error_type(&response(&[]), &body).as_deref(),
            Some("BarError")
        );
        let header = response(&[("X-Amzn-Errortype", "Baz:suffix")]);
        assert_eq!(error_type(&header, &body).as_deref(), Some("Baz"));
    }

    #[test]
    fn query_compatible_services_take_the_code_from_the_query_error_header() {
        let body = serde_json::json!({"__type": "aws.sqs#QueueDoesNotExist", "message": "no"});
        let r = response(&[(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        )]);
        let ty = error_type(&r, &body);
        assert_eq!(ty.as_deref(), Some("QueueDoesNotExist"));
        let meta = error_metadata(&r, &body, ty.as_deref(), true);
        assert_eq!(
            meta.code.as_deref(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(meta.message.as_deref(), Some("no"));
        let plain = error_metadata(&r, &body, ty.as_deref(), false);
        assert_eq!(plain.code.as_deref(), Some("QueueDoesNotExist"));
    }
}
