//! Runs every case of the official SigV4 test suite (aws-c-auth's `aws-signing-test-suite/v4`,
//! as kept in `sigv4-test-suite` of the reference data) against `smithy_runtime::sigv4`.
//!
//! Each case folder holds `context.json` (credentials, region, service, time and flags),
//! `request.txt` (the raw request) and, for header and for query signing, the expected canonical
//! request, string to sign, signature and signed request. Every case gets its own module with
//! four tests: the string-level signer for header and query signing, and the `http::Request`
//! signer for both (which skips the few requests `http` cannot represent, such as a raw space in
//! the path; those are covered by the string-level tests).

use std::path::{Path, PathBuf};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use smithy_runtime::credentials::Credentials;
use smithy_runtime::sigv4::{
    sign, sign_request, SignableBody, SignableRequest, SignatureLocation, SigningOutput,
    SigningParams, SigningSettings,
};

/// The suite's directory in the reference data, or `None` (and the skip line).
fn suite_dir() -> Option<PathBuf> {
    reference_data::require(
        "smithy-runtime sigv4_suite",
        "the AWS SigV4 test suite",
        "sigv4-test-suite",
    )
}

macro_rules! suite_cases {
    ($($module:ident => $name:literal,)*) => {
        /// Every case folder name, in the order listed.
        const CASES: &[&str] = &[$($name),*];

        $(
            mod $module {
                #[test]
                fn header() {
                    super::run_case($name, super::SignatureLocation::Headers);
                }

                #[test]
                fn query() {
                    super::run_case($name, super::SignatureLocation::QueryParams);
                }

                #[test]
                fn http_header() {
                    super::run_http_case($name, super::SignatureLocation::Headers);
                }

                #[test]
                fn http_query() {
                    super::run_http_case($name, super::SignatureLocation::QueryParams);
                }
            }
        )*
    };
}

suite_cases! {
    get_header_key_duplicate => "get-header-key-duplicate",
    get_header_value_multiline => "get-header-value-multiline",
    get_header_value_order => "get-header-value-order",
    get_header_value_trim => "get-header-value-trim",
    get_relative_normalized => "get-relative-normalized",
    get_relative_relative_normalized => "get-relative-relative-normalized",
    get_relative_relative_unnormalized => "get-relative-relative-unnormalized",
    get_relative_unnormalized => "get-relative-unnormalized",
    get_slash_dot_slash_normalized => "get-slash-dot-slash-normalized",
    get_slash_dot_slash_unnormalized => "get-slash-dot-slash-unnormalized",
    get_slash_normalized => "get-slash-normalized",
    get_slash_pointless_dot_normalized => "get-slash-pointless-dot-normalized",
    get_slash_pointless_dot_unnormalized => "get-slash-pointless-dot-unnormalized",
    get_slash_unnormalized => "get-slash-unnormalized",
    get_slashes_normalized => "get-slashes-normalized",
    get_slashes_unnormalized => "get-slashes-unnormalized",
    get_space_normalized => "get-space-normalized",
    get_space_unnormalized => "get-space-unnormalized",
    get_unreserved => "get-unreserved",
    get_utf8 => "get-utf8",
    get_vanilla => "get-vanilla",
    get_vanilla_empty_query_key => "get-vanilla-empty-query-key",
    get_vanilla_query => "get-vanilla-query",
    get_vanilla_query_order_encoded => "get-vanilla-query-order-encoded",
    get_vanilla_query_order_key_case => "get-vanilla-query-order-key-case",
    get_vanilla_query_unreserved => "get-vanilla-query-unreserved",
    get_vanilla_utf8_query => "get-vanilla-utf8-query",
    get_vanilla_with_session_token => "get-vanilla-with-session-token",
    post_header_key_case => "post-header-key-case",
    post_header_key_sort => "post-header-key-sort",
    post_header_value_case => "post-header-value-case",
    post_sts_header_after => "post-sts-header-after",
    post_sts_header_before => "post-sts-header-before",
    post_vanilla => "post-vanilla",
    post_vanilla_empty_query_value => "post-vanilla-empty-query-value",
    post_vanilla_query => "post-vanilla-query",
    post_x_www_form_urlencoded => "post-x-www-form-urlencoded",
    post_x_www_form_urlencoded_parameters => "post-x-www-form-urlencoded-parameters",
}

/// A new case folder on disk must be added to the list above, so none is skipped silently.
#[test]
fn case_list_matches_folders_on_disk() {
    let Some(dir) = suite_dir() else { return };
    let entries = std::fs::read_dir(dir).expect("the SigV4 suite directory is readable");
    let mut on_disk: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|name| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
}

/// `context.json`, with the defaults the smithy-rs harness uses for folders that lack one.
struct Context {
    credentials: Credentials,
    region: String,
    service: String,
    time: smithy_runtime::DateTime,
    settings: SigningSettings,
}

fn load_context(dir: &Path) -> Context {
    let json: serde_json::Value = match std::fs::read_to_string(dir.join("context.json")) {
        Ok(text) => serde_json::from_str(&text).expect("context.json is JSON"),
        Err(_) => serde_json::json!({}),
    };
    let text = |pointer: &str, default: &str| {
        json.pointer(pointer)
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_owned()
    };
    let flag = |pointer: &str, default: bool| {
        json.pointer(pointer)
            .and_then(|v| v.as_bool())
            .unwrap_or(default)
    };
    let credentials = Credentials::new(
        text("/credentials/access_key_id", "AKIDEXAMPLE"),
        text(
            "/credentials/secret_access_key",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ),
        json.pointer("/credentials/token")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        None,
    );
    let expires = json
        .pointer("/expiration_in_seconds")
        .and_then(|v| v.as_u64())
        .unwrap_or(3600);
    let settings = SigningSettings {
        normalize_path: flag("/normalize", true),
        omit_session_token: flag("/omit_session_token", false),
        content_sha256_header: flag("/sign_body", false),
        expires_in: Duration::from_secs(expires),
        ..SigningSettings::default()
    };
    Context {
        credentials,
        region: text("/region", "us-east-1"),
        service: text("/service", "service"),
        time: text("/timestamp", "2015-08-30T12:36:00Z")
            .parse()
            .expect("timestamp"),
        settings,
    }
}

/// A request parsed from the suite's raw HTTP text.
#[derive(Debug)]
struct RawRequest {
    method: String,
    path: String,
    query: Option<String>,
    /// Name and value as written; a folded value keeps its line breaks.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse_request(text: &str) -> RawRequest {
    let text = text.replace("\r\n", "\n");
    let (head, body) = match text.find("\n\n") {
        Some(end) => (&text[..end], &text[end + 2..]),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().expect("request line");
    // The target may itself contain spaces (`GET /example space/ HTTP/1.1`).
    let (method, rest) = request_line.split_once(' ').expect("method");
    let (target, _version) = rest.rsplit_once(' ').expect("version");
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.to_owned(), None),
    };
    RawRequest {
        method: method.to_owned(),
        path,
        query,
        headers: parse_headers(lines),
        body: body.as_bytes().to_vec(),
    }
}

fn parse_headers<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        let folded = line.starts_with([' ', '\t']);
        match (folded, headers.last_mut()) {
            (true, Some((_, value))) => {
                value.push('\n');
                value.push_str(line);
            }
            _ => {
                let (name, value) = line.split_once(':').expect("header line has a colon");
                headers.push((name.to_owned(), value.to_owned()));
            }
        }
    }
    headers
}

fn read_expected(dir: &Path, location: SignatureLocation, suffix: &str) -> String {
    let prefix = match location {
        SignatureLocation::Headers => "header",
        SignatureLocation::QueryParams => "query",
    };
    let path = dir.join(format!("{prefix}-{suffix}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.replace("\r\n", "\n")
}

fn strip_final_newline(text: String) -> String {
    text.strip_suffix('\n').map(str::to_owned).unwrap_or(text)
}

fn params<'a>(context: &'a Context, location: SignatureLocation) -> SigningParams<'a> {
    let mut params = SigningParams::new(
        &context.credentials,
        &context.region,
        &context.service,
        context.time,
    );
    params.settings = SigningSettings {
        signature_location: location,
        ..context.settings.clone()
    };
    params
}

fn run_case(name: &str, location: SignatureLocation) {
    let Some(suite) = suite_dir() else { return };
    let dir = suite.join(name);
    let context = load_context(&dir);
    let request =
        parse_request(&std::fs::read_to_string(dir.join("request.txt")).expect("request.txt"));
    let signable = SignableRequest {
        method: &request.method,
        path: &request.path,
        query: request.query.as_deref(),
        headers: request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect(),
        body: SignableBody::Bytes(&request.body),
    };
    let output = sign(&signable, &params(&context, location)).expect("signs");

    let expected = |suffix| strip_final_newline(read_expected(&dir, location, suffix));
    assert_eq!(
        output.canonical_request,
        expected("canonical-request.txt"),
        "canonical request"
    );
    assert_eq!(
        output.string_to_sign,
        expected("string-to-sign.txt"),
        "string to sign"
    );
    assert_eq!(
        output.signature,
        expected("signature.txt").trim(),
        "signature"
    );

    let signed = parse_request(&read_expected(&dir, location, "signed-request.txt"));
    assert_signed_request(&request, &output, &signed);
}

/// Compares the request plus the signer's additions with the suite's signed request: same
/// method, path and body, the same headers and the same query parameters (as multisets).
fn assert_signed_request(request: &RawRequest, output: &SigningOutput, signed: &RawRequest) {
    assert_eq!(signed.method, request.method);
    assert_eq!(signed.path, request.path);
    assert_eq!(signed.body, request.body, "body");

    let mut actual_headers: Vec<(String, String)> = request
        .headers
        .iter()
        .cloned()
        .chain(
            output
                .headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone())),
        )
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .collect();
    let mut expected_headers: Vec<(String, String)> = signed
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    actual_headers.sort();
    expected_headers.sort();
    assert_eq!(actual_headers, expected_headers, "signed request headers");

    let mut actual_query = decode_pairs(request.query.as_deref());
    actual_query.extend(
        output
            .query_params
            .iter()
            .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())),
    );
    let mut expected_query = decode_pairs(signed.query.as_deref());
    actual_query.sort();
    expected_query.sort();
    assert_eq!(
        actual_query, expected_query,
        "signed request query parameters"
    );
}

fn decode_pairs(query: Option<&str>) -> Vec<(Vec<u8>, Vec<u8>)> {
    let decode = |text: &str| percent_decode_str(text).collect::<Vec<u8>>();
    query
        .unwrap_or("")
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Builds an `http::Request` for the case, or `None` when `http` cannot represent it (a raw
/// space or non-ASCII character in the target, or a folded header value).
fn http_request(request: &RawRequest) -> Option<http::Request<bytes::Bytes>> {
    let target = match &request.query {
        Some(query) => format!("{}?{query}", request.path),
        None => request.path.clone(),
    };
    let host = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))?
        .1
        .clone();
    let uri: http::Uri = format!("https://{host}{target}").parse().ok()?;
    // `http` normalises an empty path to `/`; anything else it changed would not be the case.
    if uri.path_and_query().map(|p| p.as_str()) != Some(target.as_str()) {
        return None;
    }
    let mut builder = http::Request::builder()
        .method(request.method.as_str())
        .uri(uri);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), http::HeaderValue::from_str(value).ok()?);
    }
    builder.body(bytes::Bytes::from(request.body.clone())).ok()
}

fn run_http_case(name: &str, location: SignatureLocation) {
    let Some(suite) = suite_dir() else { return };
    let dir = suite.join(name);
    let context = load_context(&dir);
    let raw =
        parse_request(&std::fs::read_to_string(dir.join("request.txt")).expect("request.txt"));
    let Some(mut request) = http_request(&raw) else {
        eprintln!("{name}: not representable as http::Request; covered by the string-level test");
        return;
    };
    let output = sign_request(&mut request, &params(&context, location)).expect("signs");
    assert_eq!(
        output.signature,
        read_expected(&dir, location, "signature.txt").trim()
    );

    let signed = parse_request(&read_expected(&dir, location, "signed-request.txt"));
    let expected_target = match &signed.query {
        Some(query) => format!("{}?{query}", signed.path),
        None => signed.path.clone(),
    };
    let actual_target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned());
    assert_eq!(
        actual_target.as_deref(),
        Some(expected_target.as_str()),
        "signed URI"
    );

    let mut actual: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().expect("ascii").to_owned()))
        .collect();
    let mut expected: Vec<(String, String)> = signed
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    actual.sort();
    expected.sort();
    assert_eq!(actual, expected, "signed headers");
}
