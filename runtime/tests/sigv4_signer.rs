//! Behaviour of the SigV4 signer beyond the official suite: the `http::Request` integration,
//! re-signing, settings the suite does not cover, errors and redaction.

use std::time::Duration;

use smithy_runtime::credentials::Credentials;
use smithy_runtime::sigv4::{
    sign, sign_request, sign_request_with_body, signing_key, SignableBody, SignableRequest,
    SignatureLocation, SigningError, SigningParams, SigningSettings, EMPTY_PAYLOAD_SHA256,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "TOKEN/with+chars=";

fn time() -> smithy_runtime::DateTime {
    "2015-08-30T12:36:00Z".parse().expect("timestamp")
}

fn get(uri: &str) -> http::Request<bytes::Bytes> {
    http::Request::get(uri)
        .body(bytes::Bytes::new())
        .expect("request")
}

fn header<'a, B>(request: &'a http::Request<B>, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The worked GetHarvestJob example of the spec digest (§7), checked there against botocore.
#[test]
fn mediapackagev2_get_harvest_job() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let params = SigningParams::new(&credentials, "us-east-1", "mediapackagev2", time());
    let mut request = get(
        "https://mediapackagev2.us-east-1.amazonaws.com/channelGroup/exampleChannelGroup/channel/\
         exampleChannelName/originEndpoint/exampleOriginEndpointName/harvestJob/HarvestJobName",
    );
    let output = sign_request(&mut request, &params).expect("signs");
    assert_eq!(output.signed_headers, "host;x-amz-date");
    assert_eq!(
        smithy_runtime::sigv4::sha256_hex(output.canonical_request.as_bytes()),
        "b552183fe7e71c68a71514c0bf108808d9f1ea461e72228e2d0eee72e4c4f427"
    );
    assert_eq!(
        output.signature,
        "1d7e1d0f915413c09eaf35ede7bf103d6a4479315250132149e836f57af06b0b"
    );
    assert_eq!(header(&request, "x-amz-date"), Some("20150830T123600Z"));
    assert_eq!(
        header(&request, "authorization"),
        Some(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/mediapackagev2/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=1d7e1d0f915413c09eaf35ede7bf103d6a4479315250132149e836f57af06b0b"
        )
    );
    // `host` is signed from the URI but not added as a header: the HTTP client sends it.
    assert!(request.headers().get("host").is_none());
}

#[test]
fn label_with_colon_is_double_encoded_unless_disabled() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let mut params = SigningParams::new(&credentials, "us-east-1", "svc", time());
    let uri = "https://svc.amazonaws.com/tags/arn%3Aaws%3Ax";
    let output = sign_request(&mut get(uri), &params).expect("signs");
    assert!(output
        .canonical_request
        .starts_with("GET\n/tags/arn%253Aaws%253Ax\n"));
    params.settings.double_uri_encode = false;
    params.settings.normalize_path = false;
    let output = sign_request(&mut get(uri), &params).expect("signs");
    assert!(output
        .canonical_request
        .starts_with("GET\n/tags/arn%3Aaws%3Ax\n"));
}

#[test]
fn host_comes_from_the_uri_with_non_default_port() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let params = SigningParams::new(&credentials, "us-east-1", "svc", time());
    let output = sign_request(&mut get("http://localhost:8080/x"), &params).expect("signs");
    assert!(output.canonical_request.contains("\nhost:localhost:8080\n"));
    let output = sign_request(&mut get("https://h.example:443/x"), &params).expect("signs");
    assert!(output.canonical_request.contains("\nhost:h.example\n"));
}

#[test]
fn excluded_headers_are_not_signed_and_others_are() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let params = SigningParams::new(&credentials, "us-east-1", "svc", time());
    let mut request = http::Request::post("https://svc.amazonaws.com/")
        .header("User-Agent", "ua")
        .header("X-Amzn-Trace-Id", "t")
        .header("Expect", "100-continue")
        .header("Transfer-Encoding", "chunked")
        .header("Content-Type", "application/json")
        .header("X-Amz-User-Agent", "aws-sdk")
        .body(bytes::Bytes::from_static(b"{}"))
        .expect("request");
    let output = sign_request(&mut request, &params).expect("signs");
    assert_eq!(
        output.signed_headers,
        "content-type;host;x-amz-date;x-amz-user-agent"
    );
    assert!(output
        .canonical_request
        .ends_with("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
}

#[test]
fn session_token_header_is_signed_sent_and_sensitive() {
    let credentials = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()), None);
    let params = SigningParams::new(&credentials, "us-east-1", "svc", time());
    let mut request = get("https://svc.amazonaws.com/");
    let output = sign_request(&mut request, &params).expect("signs");
    assert_eq!(
        output.signed_headers,
        "host;x-amz-date;x-amz-security-token"
    );
    let token = request
        .headers()
        .get("x-amz-security-token")
        .expect("token header");
    assert_eq!(token.to_str().ok(), Some(TOKEN));
    assert!(token.is_sensitive());
    assert!(request
        .headers()
        .get("authorization")
        .expect("auth")
        .is_sensitive());
    // Neither the request's nor the output's Debug shows the token.
    assert!(!format!("{request:?}").contains(TOKEN));
    assert!(!format!("{output:?}").contains(TOKEN));
}

#[test]
fn resigning_replaces_previous_signature() {
    let with_token = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()), None);
    let without = Credentials::from_keys(AKID, SECRET);
    let mut request = get("https://svc.amazonaws.com/");
    sign_request(
        &mut request,
        &SigningParams::new(&with_token, "us-east-1", "svc", time()),
    )
    .expect("first");
    let later: smithy_runtime::DateTime = "2015-08-30T12:40:00Z".parse().expect("time");
    let output = sign_request(
        &mut request,
        &SigningParams::new(&without, "us-east-1", "svc", later),
    )
    .expect("second");
    assert_eq!(output.signed_headers, "host;x-amz-date");
    assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
    assert_eq!(header(&request, "x-amz-date"), Some("20150830T124000Z"));
    assert!(request.headers().get("x-amz-security-token").is_none());
}

#[test]
fn presigning_appends_query_and_replaces_stale_parameters() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let mut params = SigningParams::new(&credentials, "us-east-1", "service", time());
    params.settings.signature_location = SignatureLocation::QueryParams;
    params.settings.expires_in = Duration::from_secs(3600);
    let mut request = get("https://example.amazonaws.com/?Param1=value1");
    let first = sign_request(&mut request, &params).expect("signs");
    assert!(request.headers().is_empty());
    let expected = format!(
        "/?Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request\
         &X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature={}",
        first.signature
    );
    assert_eq!(
        request.uri().path_and_query().map(|p| p.as_str()),
        Some(expected.as_str())
    );
    // The suite's get-vanilla-empty-query-key query signature.
    assert_eq!(
        first.signature,
        "49096700cbbaa5753443850f40df10f904fc2fdb544dc9512203cc77c471a9de"
    );
    let second = sign_request(&mut request, &params).expect("re-signs");
    assert_eq!(second.signature, first.signature);
    assert_eq!(
        request.uri().path_and_query().map(|p| p.as_str()),
        Some(expected.as_str())
    );
}

#[test]
fn expires_in_bounds() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let mut params = SigningParams::new(&credentials, "us-east-1", "svc", time());
    params.settings.signature_location = SignatureLocation::QueryParams;
    for (seconds, ok) in [(0, false), (1, true), (604_800, true), (604_801, false)] {
        params.settings.expires_in = Duration::from_secs(seconds);
        let result = sign_request(&mut get("https://svc.amazonaws.com/"), &params);
        assert_eq!(result.is_ok(), ok, "{seconds}: {result:?}");
        if !ok {
            assert_eq!(
                result.expect_err("invalid"),
                SigningError::InvalidExpiresIn { seconds }
            );
        }
    }
}

#[test]
fn payload_variants_and_content_sha256_header() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let mut params = SigningParams::new(&credentials, "us-east-1", "s3", time());
    params.settings.content_sha256_header = true;
    let mut request = http::Request::put("https://b.s3.amazonaws.com/k")
        .body(())
        .expect("request");
    let output = sign_request_with_body(&mut request, SignableBody::UnsignedPayload, &params)
        .expect("signs");
    assert!(output.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert_eq!(
        output.signed_headers,
        "host;x-amz-content-sha256;x-amz-date"
    );

    let output = sign_request_with_body(
        &mut request,
        SignableBody::Precomputed(EMPTY_PAYLOAD_SHA256),
        &params,
    )
    .expect("signs");
    assert!(output.canonical_request.ends_with(EMPTY_PAYLOAD_SHA256));
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some(EMPTY_PAYLOAD_SHA256)
    );
}

#[test]
fn errors() {
    let credentials = Credentials::from_keys(AKID, SECRET);
    let params = SigningParams::new(&credentials, "us-east-1", "svc", time());
    let mut relative = get("/no/host");
    assert_eq!(
        sign_request(&mut relative, &params),
        Err(SigningError::MissingHost)
    );

    let mut binary = get("https://svc.amazonaws.com/");
    let value =
        http::HeaderValue::from_bytes(b"\xff\xfe").expect("obs-text is a valid header value");
    binary.headers_mut().insert("x-binary", value);
    assert_eq!(
        sign_request(&mut binary, &params),
        Err(SigningError::InvalidHeaderValue {
            name: "x-binary".to_owned()
        })
    );

    let bad_token = Credentials::new(AKID, SECRET, Some("line\nbreak".to_owned()), None);
    let params = SigningParams::new(&bad_token, "us-east-1", "svc", time());
    let error =
        sign_request(&mut get("https://svc.amazonaws.com/"), &params).expect_err("bad token");
    assert!(matches!(error, SigningError::Apply(_)));
    assert!(!error.to_string().contains("line"));

    let signable = SignableRequest {
        method: "GET",
        path: "/",
        query: None,
        headers: vec![],
        body: SignableBody::Bytes(b""),
    };
    let params = SigningParams::new(&credentials, "us-east-1", "svc", time());
    assert_eq!(sign(&signable, &params), Err(SigningError::MissingHost));
}

#[test]
fn odd_inputs_do_not_panic() {
    let credentials = Credentials::new("", "", Some(String::new()), None);
    for location in [SignatureLocation::Headers, SignatureLocation::QueryParams] {
        let params = SigningParams {
            credentials: &credentials,
            region: "",
            service_name: "ünï",
            time: smithy_runtime::DateTime::MAX,
            settings: SigningSettings {
                signature_location: location,
                ..SigningSettings::default()
            },
        };
        for path in ["", "*", "%", "%%41", "/../..", "//ሴ/ /%zz", "a?b"] {
            let signable = SignableRequest {
                method: "",
                path,
                query: Some("&=&==&%&%ff=%fe&a=b=c"),
                headers: vec![("host", ""), (" ", "x"), ("HOST", "\u{0}\n")],
                body: SignableBody::Precomputed(""),
            };
            let output = sign(&signable, &params).expect("signs");
            assert_eq!(output.signature.len(), 64);
        }
    }
}

#[test]
fn signing_key_matches_aws_documentation_example() {
    // From the AWS "Examples of how to derive a signing key" page (iam service, 20120215).
    let key = signing_key(SECRET, "20120215", "us-east-1", "iam");
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
    );
}
