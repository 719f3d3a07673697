//! Signing, credentials, region and endpoint resolution through the whole pipeline, checked at
//! a real local HTTP server.

mod pipeline_support;

use pipeline_support::*;
use smithy_runtime::client::{invoke_operation, Config, Operation, Service};
use smithy_runtime::credentials::{default_credentials_chain_with, Credentials, Env, Fs};
use smithy_runtime::endpoint::EmbeddedRuleSet;
use smithy_runtime::sigv4::{sign_request, SigningParams};
use smithy_runtime::SdkError;

/// Re-signs the request the server received (its signed headers only, at its `x-amz-date`)
/// and checks the signature matches: the server-side half of SigV4.
fn assert_signature_verifies(
    request: &Recorded,
    base_url: &str,
    secret: &str,
    region: &str,
    service: &str,
) {
    let authorization = request
        .header("authorization")
        .expect("authorization header");
    let signed_headers = field(authorization, "SignedHeaders=");
    let signature = field(authorization, "Signature=");
    let credential = field(authorization, "Credential=");
    let access_key = credential.split('/').next().unwrap();
    let mut copy = http::Request::builder()
        .method(request.method.as_str())
        .uri(format!("{base_url}{}", request.path_and_query));
    for name in signed_headers.split(';') {
        for value in request.headers.get_all(name) {
            copy = copy.header(name, value);
        }
    }
    let mut copy = copy.body(request.body.clone()).unwrap();
    let date = request.header("x-amz-date").unwrap();
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &date[0..4],
        &date[4..6],
        &date[6..8],
        &date[9..11],
        &date[11..13],
        &date[13..15]
    );
    let time: smithy_runtime::DateTime = rfc3339.parse().unwrap();
    let credentials = Credentials::new(
        access_key,
        secret,
        request.header("x-amz-security-token").map(str::to_owned),
        None,
    );
    let params = SigningParams::new(&credentials, region, service, time);
    let output = sign_request(&mut copy, &params).unwrap();
    assert_eq!(output.signature, signature, "signature must verify");
}

/// The value of `name` in an `Authorization` header (up to the next `,`).
fn field<'a>(authorization: &'a str, name: &str) -> &'a str {
    let start = authorization.find(name).unwrap() + name.len();
    authorization[start..].split(',').next().unwrap().trim()
}

#[tokio::test]
async fn requests_are_signed_with_sigv4() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();

    get_harvest_job(&config).await.unwrap();

    let request = &server.requests()[0];
    let date = request.header("x-amz-date").expect("x-amz-date");
    assert_eq!(date.len(), 16);
    let authorization = request.header("authorization").unwrap();
    let scope = format!("AKID/{}/us-east-1/mediapackagev2/aws4_request", &date[..8]);
    assert!(
        authorization.starts_with(&format!("AWS4-HMAC-SHA256 Credential={scope}, ")),
        "{authorization}"
    );
    let signed = field(authorization, "SignedHeaders=");
    for header in [
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "host",
        "x-amz-date",
        "x-amz-user-agent",
    ] {
        assert!(
            signed.split(';').any(|h| h == header),
            "{header} in {signed}"
        );
    }
    assert!(request.header("x-amz-security-token").is_none());
    let agent = request.header("user-agent").unwrap();
    assert!(agent.starts_with("smithy-gen-rust/"), "{agent}");
    assert!(agent.contains("api/mediapackagev2/2022-12-25"), "{agent}");
    assert_signature_verifies(
        request,
        &server.url,
        "SECRET",
        "us-east-1",
        "mediapackagev2",
    );
}

#[tokio::test]
async fn every_attempt_is_signed_afresh() {
    let server = TestServer::start(|n| match n {
        0 => Reply::status(503),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();

    get_harvest_job(&config).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The attempt header differs, so a reused signature could not verify.
    assert_ne!(
        requests[0].header("authorization"),
        requests[1].header("authorization")
    );
    for request in &requests {
        assert_signature_verifies(
            request,
            &server.url,
            "SECRET",
            "us-east-1",
            "mediapackagev2",
        );
    }
}

#[tokio::test]
async fn session_tokens_are_sent_and_signed() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .credentials_provider(Credentials::new(
            "ASIA",
            "SECRET",
            Some("TOKEN".into()),
            None,
        ))
        .build()
        .unwrap();

    get_harvest_job(&config).await.unwrap();

    let request = &server.requests()[0];
    assert_eq!(request.header("x-amz-security-token"), Some("TOKEN"));
    let signed = field(request.header("authorization").unwrap(), "SignedHeaders=");
    assert!(signed.contains("x-amz-security-token"), "{signed}");
    assert_signature_verifies(
        request,
        &server.url,
        "SECRET",
        "us-east-1",
        "mediapackagev2",
    );
}

#[tokio::test]
async fn without_a_credentials_provider_nothing_is_sent() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let config = Config::builder()
        .endpoint_url(&server.url)
        .region("us-east-1")
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    let SdkError::Construction(build) = &error else {
        panic!("expected a construction error, got {error:?}");
    };
    assert!(build.to_string().starts_with("no credentials:"), "{build}");
    assert_eq!(error.attempts(), 0);
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn an_empty_default_chain_says_what_it_tried() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let empty = || Env::from_vars(Vec::<(String, String)>::new());
    let chain =
        default_credentials_chain_with(empty(), Fs::from_files(Vec::<(String, String)>::new()));
    let config = Config::builder()
        .endpoint_url(&server.url)
        .region("us-east-1")
        .credentials_provider(chain)
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    let text = error.to_string();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(
        text.contains("no credentials") && text.contains("tried"),
        "{text}"
    );
    assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn without_a_region_nothing_is_sent() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    // The endpoint override satisfies the rules, but signing still needs a region.
    let with_endpoint = Config::builder()
        .endpoint_url(&server.url)
        .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
        .build()
        .unwrap();
    let error = get_harvest_job(&with_endpoint).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no region: MediaPackageV2 needs a region to sign GetHarvestJob"),
        "{error}"
    );

    // Without an override, the rules themselves need the region.
    let bare = Config::builder()
        .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
        .build()
        .unwrap();
    let error = get_harvest_job(&bare).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("Invalid Configuration: Missing Region"),
        "{text}"
    );
    assert!(text.contains("no region is configured"), "{text}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn endpoint_rule_errors_are_construction_errors() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .use_fips(true)
        .build()
        .unwrap();

    let error = get_harvest_job(&config).await.unwrap_err();

    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("FIPS and custom endpoint are not supported"),
        "{error}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_service_without_rules_needs_an_endpoint_url() {
    let service = Service {
        endpoint_rules: None,
        ..mediapackage()
    };
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
        .build()
        .unwrap();

    let error = invoke_operation(
        &config,
        &service,
        &GET_HARVEST_JOB,
        get_harvest_job_request(),
        parse,
    )
    .await
    .unwrap_err();

    assert!(
        error
            .to_string()
            .contains("an endpoint URL must be configured"),
        "{error}"
    );
}

/// A rule set with a base path, an endpoint header and an `authSchemes` override.
static CUSTOM_RULES: EmbeddedRuleSet = EmbeddedRuleSet::new(
    r#"{
  "version": "1.0",
  "parameters": {
    "Region": {"type": "String", "builtIn": "AWS::Region"},
    "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
    "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"}
  },
  "rules": [
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                    {"fn": "isSet", "argv": [{"ref": "Region"}]}],
     "type": "endpoint",
     "endpoint": {
       "url": "{Endpoint}/base/{Region}",
       "headers": {"x-test-region": ["{Region}"], "x-test-multi": ["a", "b"]},
       "properties": {"authSchemes": [
         {"name": "sigv4a", "signingName": "wrong"},
         {"name": "sigv4", "signingName": "customsvc", "signingRegion": "us-west-2"}
       ]}
     }},
    {"conditions": [], "type": "error", "error": "Endpoint and Region are required"}
  ]
}"#,
);

#[tokio::test]
async fn endpoint_paths_headers_and_auth_schemes_are_applied() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep)
        .region("eu-central-1")
        .build()
        .unwrap();
    let service = Service {
        sdk_id: "Custom",
        api_version: "2020-01-01",
        signing_name: Some("custom"),
        endpoint_rules: Some(&CUSTOM_RULES),
    };
    const OP: Operation = Operation {
        name: "GetHarvestJob",
        retryable_errors: &[],
    };

    invoke_operation(&config, &service, &OP, get_harvest_job_request(), parse)
        .await
        .unwrap();

    let request = &server.requests()[0];
    assert_eq!(
        request.path_and_query,
        format!("/base/eu-central-1{HARVEST_JOB_PATH}")
    );
    assert_eq!(request.header("x-test-region"), Some("eu-central-1"));
    let multi: Vec<&str> = request
        .headers
        .get_all("x-test-multi")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(multi, ["a", "b"]);
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("/us-west-2/customsvc/aws4_request"),
        "{authorization}"
    );
    let signed = field(authorization, "SignedHeaders=");
    assert!(signed.contains("x-test-region"), "{signed}");
    assert_signature_verifies(request, &server.url, "SECRET", "us-west-2", "customsvc");
}

#[tokio::test]
async fn defaults_come_from_the_environment() {
    let server = TestServer::start(|_| Reply::json(200, "{}")).await;
    let env = Env::from_vars([
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ACCESS_KEY_ID", "AKENV"),
        ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
        ("AWS_ENDPOINT_URL", server.url.as_str()),
    ]);
    let config = Config::builder()
        .load_defaults_from(env, Fs::from_files(Vec::<(String, String)>::new()))
        .await
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(config.region().map(|r| r.as_str()), Some("eu-west-1"));

    get_harvest_job(&config).await.unwrap();

    let request = &server.requests()[0];
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("Credential=AKENV/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/eu-west-1/mediapackagev2/"),
        "{authorization}"
    );
    assert_signature_verifies(
        request,
        &server.url,
        "ENVSECRET",
        "eu-west-1",
        "mediapackagev2",
    );
}

#[tokio::test]
async fn endpoint_variants_come_from_the_environment_unless_set_in_code() {
    let no_files = || Fs::from_files(Vec::<(String, String)>::new());
    let env = Env::from_vars([
        ("AWS_USE_FIPS_ENDPOINT", "TRUE"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
    ]);
    let from_env = Config::builder()
        .load_defaults_from(env.clone(), no_files())
        .await
        .unwrap()
        .build()
        .unwrap();
    assert!(from_env.use_fips() && !from_env.use_dual_stack());
    let in_code = Config::builder()
        .use_fips(false)
        .load_defaults_from(env, no_files())
        .await
        .unwrap()
        .build()
        .unwrap();
    assert!(!in_code.use_fips());

    let bad = Env::from_vars([("AWS_USE_FIPS_ENDPOINT", "yes")]);
    let error = Config::builder()
        .load_defaults_from(bad, no_files())
        .await
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("AWS_USE_FIPS_ENDPOINT must be `true` or `false`"),
        "{error}"
    );
}
