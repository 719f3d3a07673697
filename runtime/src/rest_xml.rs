//! restXml protocol pieces shared by every generated operation: finding the error in an error
//! response, its metadata, and response errors.
//!
//! An error body is `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`,
//! or, for services with `noErrorWrapping` (S3), the bare `<Error>` element with its
//! `<RequestId>` inside; both are accepted whatever the service says.

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use crate::xml::XmlElement;

/// A response error that keeps the whole response (the same as restJson1's).
pub use crate::rest_json::response_error;

/// The `<Error>` element of an error response (an empty element when the body has none, e.g. a
/// proxy's HTML page or a HEAD response), and the request ID found beside or inside it.
pub fn error_element(body: &[u8]) -> (XmlElement, Option<String>) {
    let Ok(Some(mut root)) = crate::xml::parse_document(body) else {
        return (XmlElement::default(), None);
    };
    if root.is("Error") {
        let request_id = root
            .children
            .iter()
            .find(|c| c.is("RequestId"))
            .map(|c| c.text.clone());
        return (root, request_id);
    }
    let request_id = root.take_child("RequestId").map(|c| c.text);
    let error = root.take_child("Error").unwrap_or_default();
    let request_id = request_id.or_else(|| {
        error
            .children
            .iter()
            .find(|c| c.is("RequestId"))
            .map(|c| c.text.clone())
    });
    (error, request_id)
}

/// Whether a body is an XML document rooted at `<Error>` (S3's way of failing an operation
/// whose 200 status was already sent). Only the start of the body is looked at: an XML
/// declaration, comments and whitespace, then the root's name.
pub fn is_error_document(body: &[u8]) -> bool {
    let mut rest = body;
    loop {
        rest = rest.trim_ascii_start();
        if let Some(after) = rest.strip_prefix(b"<?") {
            match after.windows(2).position(|w| w == b"?>") {
                Some(end) => rest = &after[end + 2..],
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix(b"<!--") {
            match after.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &after[end + 3..],
                None => return false,
            }
        } else {
            break;
        }
    }
    rest.strip_prefix(b"<Error")
        .and_then(|after| after.first())
        .is_some_and(|next| matches!(next, b'>' | b' ' | b'\t' | b'\r' | b'\n' | b'/'))
}

/// Code, message, status and request ID of an error response: `Code` and `Message` of the
/// `<Error>` element; the request ID from the body, else the `x-amz-request-id` /
/// `x-amzn-RequestId` header. A 404 without a body (S3's answer to HeadObject and HeadBucket,
/// which have no body to carry a code) has the code `NotFound`, the modelled error those
/// operations list.
pub fn error_metadata(
    response: &HttpResponse,
    error: &XmlElement,
    request_id: Option<String>,
) -> ErrorMetadata {
    let child = |name: &str| {
        error
            .children
            .iter()
            .find(|c| c.is(name))
            .map(|c| c.text.trim().to_string())
    };
    let status = response.status().as_u16();
    let code = child("Code")
        .filter(|c| !c.is_empty())
        .or_else(|| (status == 404 && response.body().is_empty()).then(|| "NotFound".to_string()));
    ErrorMetadata {
        code,
        message: child("Message"),
        status,
        request_id: request_id.or_else(|| crate::rest_json::request_id(response)),
        attempts: crate::error::attempts_of(response),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response() -> HttpResponse {
        http::Response::builder()
            .status(404)
            .header("x-amz-request-id", "from-header")
            .body(bytes::Bytes::new())
            .expect("a response")
    }

    #[test]
    fn wrapped_and_bare_errors_give_the_same_metadata() {
        let wrapped = b"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchThing</Code><Message>gone</Message></Error><RequestId>r1</RequestId></ErrorResponse>";
        let bare = b"<Error><Code>NoSuchThing</Code><Message>gone</Message><RequestId>r1</RequestId></Error>";
        for body in [&wrapped[..], &bare[..]] {
            let (error, request_id) = error_element(body);
            let meta = error_metadata(&response(), &error, request_id);
            assert_eq!(meta.code.as_deref(), Some("NoSuchThing"));
            assert_eq!(meta.message.as_deref(), Some("gone"));
            assert_eq!(meta.request_id.as_deref(), Some("r1"));
            assert_eq!(meta.status, 404);
        }
    }

    #[test]
    fn error_documents_are_told_from_outputs() {
        assert!(is_error_document(
            b"<Error><Code>InternalError</Code></Error>"
        ));
        assert!(is_error_document(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- x -->\n<Error>\n<Code>SlowDown</Code></Error>"
        ));
        assert!(!is_error_document(
            b"<CopyObjectResult><ETag>x</ETag></CopyObjectResult>"
        ));
        assert!(!is_error_document(b"<Errors><Error/></Errors>"));
        assert!(!is_error_document(b""));
        assert!(!is_error_document(b"<?xml version=\"1.0\""));
    }

    #[test]
    fn a_404_without_a_body_is_not_found() {
        let (error, request_id) = error_element(b"");
        let meta = error_metadata(&response(), &error, request_id);
        assert_eq!(meta.code.as_deref(), Some("NotFound"));
    }

    #[test]
    fn a_body_that_is_not_xml_still_gives_metadata() {
        let html = http::Response::builder()
            .status(404)
            .header("x-amz-request-id", "from-header")
            .body(bytes::Bytes::from_static(b"<html>oops"))
            .expect("a response");
        let (error, request_id) = error_element(html.body());
        let meta = error_metadata(&html, &error, request_id);
        assert_eq!(meta.code, None);
        assert_eq!(meta.request_id.as_deref(), Some("from-header"));
    }
}
