//! SSO profiles against a local SSO portal and SSO OIDC: the `sso_session` form with a token
//! refreshed through CreateToken, the legacy form, and the errors users see.

mod credentials_support;

use credentials_support::{Answer, Request, Server};
use smithy_runtime::credentials::{
    cached_token_path, Env, Fs, ProfileCredentialsProvider, ProvideCredentials,
};
use smithy_runtime::DateTime;
use std::path::Path;

const START_URL: &str = "https://example.awsapps.com/start";

/// Portal (`GET /federation/credentials`) and OIDC (`POST /token`) in one server: the portal
/// accepts `good-token` and `refreshed-token`; OIDC turns `refresh-1` into `refreshed-token`.
async fn sso() -> Server {
    Server::start(|request: &Request| match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/federation/credentials") => {
            let token = request.header("x-amz-sso_bearer_token").unwrap_or("");
            if token != "good-token" && token != "refreshed-token" {
                return Answer::new(401, r#"{"message":"Session token not found or invalid"}"#)
                    .header("x-amzn-errortype", "UnauthorizedException");
            }
            if !request.query.contains("role_name=Dev") || !request.query.contains("account_id=123456789012") {
                return Answer::new(404, r#"{"message":"No access"}"#)
                    .header("x-amzn-errortype", "ResourceNotFoundException");
            }
            Answer::new(
                200,
                r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-session","expiration":4102444800000}}"#,
            )
            .header("content-type", "application/json")
        }
        ("POST", "/token") => {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let ok = body["grantType"] == "refresh_token"
                && body["refreshToken"] == "refresh-1"
                && body["clientId"] == "client-1"
                && body["clientSecret"] == "client-secret-1";
            if !ok {
                return Answer::new(400, r#"{"error":"invalid_grant","error_description":"bad refresh"}"#)
                    .header("x-amzn-errortype", "InvalidGrantException");
            }
            Answer::new(
                200,
                r#"{"accessToken":"refreshed-token","tokenType":"Bearer","expiresIn":3600,"refreshToken":"refresh-2"}"#,
            )
            .header("content-type", "application/json")
        }
        _ => Answer::new(404, ""),
    })
    .await
}

const SESSION_CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = eu-west-1

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-2
sso_registration_scopes = sso:account:access
";

const LEGACY_CONFIG: &str = "\
[profile old]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-2
sso_account_id = 123456789012
sso_role_name = Dev
";

fn token_json(access: &str, expires_at: DateTime, refresh: bool) -> String {
    let refresh = if refresh {
        r#","refreshToken":"refresh-1","clientId":"client-1","clientSecret":"client-secret-1","registrationExpiresAt":"2099-01-01T00:00:00Z""#
    } else {
        ""
    };
    format!(
        r#"{{"startUrl":"{START_URL}","region":"us-east-2","accessToken":"{access}","expiresAt":"{expires_at}"{refresh}}}"#
    )
}

fn provider(
    profile: &str,
    config: &str,
    cache_key: &str,
    token: String,
    url: &str,
) -> (ProfileCredentialsProvider, Fs) {
    let cache = cached_token_path(Path::new("/h"), cache_key);
    let fs = Fs::from_files([
        ("/h/.aws/config".into(), config.to_owned()),
        (cache.to_string_lossy().into_owned(), token),
    ]);
    let provider = ProfileCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", profile)]),
            fs.clone(),
        )
        .sso_endpoint_url(url)
        .sso_oidc_endpoint_url(url)
        .build();
    (provider, fs)
}

fn in_secs(secs: i64) -> DateTime {
    DateTime::from_secs(DateTime::now().secs() + secs)
}

#[tokio::test]
async fn an_sso_session_profile_exchanges_its_cached_token() {
    let server = sso().await;
    let (provider, _) = provider(
        "dev",
        SESSION_CONFIG,
        "corp",
        token_json("good-token", in_secs(3600), true),
        &server.url,
    );
    let credentials = provider.provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(credentials.session_token(), Some("sso-session"));
    assert_eq!(
        credentials.expiry(),
        Some(DateTime::from_millis(4_102_444_800_000))
    );
    assert_eq!(
        server.count("POST", "/token"),
        0,
        "a valid token is not refreshed"
    );
    let get = &server.requests()[0];
    assert_eq!(get.header("x-amz-sso_bearer_token"), Some("good-token"));
    assert!(
        get.header("authorization").is_none(),
        "the portal is not SigV4-signed"
    );
}

#[tokio::test]
async fn an_expiring_session_token_is_refreshed_and_the_cache_updated() {
    let server = sso().await;
    let (provider, fs) = provider(
        "dev",
        SESSION_CONFIG,
        "corp",
        token_json("expired-token", in_secs(-60), true),
        &server.url,
    );
    let credentials = provider.provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(server.count("POST", "/token"), 1);
    let portal = server
        .requests()
        .into_iter()
        .find(|r| r.method == "GET")
        .unwrap();
    assert_eq!(
        portal.header("x-amz-sso_bearer_token"),
        Some("refreshed-token")
    );
    let cache = cached_token_path(Path::new("/h"), "corp");
    let updated: serde_json::Value =
        serde_json::from_str(&fs.read_optional(&cache).unwrap().unwrap()).unwrap();
    assert_eq!(updated["accessToken"], "refreshed-token");
    assert_eq!(updated["refreshToken"], "refresh-2");
    assert_eq!(updated["clientId"], "client-1", "other fields are kept");
    let expires: DateTime = updated["expiresAt"].as_str().unwrap().parse().unwrap();
    assert!(
        expires > in_secs(3500) && expires <= in_secs(3601),
        "{expires}"
    );
}

#[tokio::test]
async fn the_legacy_form_uses_the_start_url_key_and_never_refreshes() {
    let server = sso().await;
    let (provider, _) = provider(
        "old",
        LEGACY_CONFIG,
        START_URL,
        token_json("good-token", in_secs(600), false),
        &server.url,
    );
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "ASIASSO"
    );

    let (expired, _) = provider_expired_legacy(&server.url);
    let error = expired.provide_credentials().await.unwrap_err().to_string();
    assert!(
        error.contains("expired") && error.contains("aws sso login"),
        "{error}"
    );
    assert_eq!(server.count("POST", "/token"), 0);
}

fn provider_expired_legacy(url: &str) -> (ProfileCredentialsProvider, Fs) {
    provider(
        "old",
        LEGACY_CONFIG,
        START_URL,
        token_json("good-token", in_secs(-10), true),
        url,
    )
}

#[tokio::test]
async fn errors_name_the_problem() {
    let server = sso().await;
    // The portal rejects the token.
    let (rejected, _) = provider(
        "dev",
        SESSION_CONFIG,
        "corp",
        token_json("revoked", in_secs(3600), true),
        &server.url,
    );
    let error = rejected
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("UnauthorizedException"), "{error}");
    assert!(
        !error.contains("revoked"),
        "the token is not echoed: {error}"
    );

    // No login yet: no cache file.
    let provider_no_cache = ProfileCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "dev")]),
            Fs::from_files([("/h/.aws/config", SESSION_CONFIG)]),
        )
        .sso_endpoint_url(&server.url)
        .build();
    let error = provider_no_cache
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no cached SSO token") && error.contains("aws sso login --sso-session corp"),
        "{error}"
    );

    // An expired token whose refresh is refused.
    let bad_refresh = token_json("old", in_secs(-10), false).replace(
        "}",
        r#","refreshToken":"wrong","clientId":"client-1","clientSecret":"client-secret-1"}"#,
    );
    let (refused, _) = provider("dev", SESSION_CONFIG, "corp", bad_refresh, &server.url);
    let error = refused.provide_credentials().await.unwrap_err().to_string();
    assert!(
        error.contains("could not be refreshed") && error.contains("InvalidGrantException"),
        "{error}"
    );

    // A profile naming a missing session.
    let missing = ProfileCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "dev")]),
            Fs::from_files([(
                "/h/.aws/config",
                "[profile dev]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n",
            )]),
        )
        .build();
    let error = missing.provide_credentials().await.unwrap_err().to_string();
    assert!(error.contains("no [sso-session nope] section"), "{error}");
}
