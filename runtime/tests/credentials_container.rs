//! The container credentials provider (ECS, EKS Pod Identity) against a local endpoint that
//! checks the authorization token.

mod credentials_support;

use credentials_support::{Answer, Server, TempDir};
use smithy_runtime::credentials::{ContainerCredentialsProvider, Env, Fs, ProvideCredentials};
use std::sync::{Arc, Mutex};

/// An endpoint that answers only requests carrying the current token.
async fn endpoint(token: Arc<Mutex<String>>) -> Server {
    Server::start(move |request| {
        let expected = token.lock().unwrap().clone();
        if request.header("authorization") != Some(expected.as_str()) {
            return Answer::new(
                401,
                r#"{"code":"AccessDenied","message":"bad authorization token"}"#,
            );
        }
        Answer::new(
            200,
            r#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"csecret","Token":"ctoken","Expiration":"2099-01-01T00:00:00Z","AccountId":"123456789012"}"#,
        )
    })
    .await
}

#[tokio::test]
async fn full_uri_with_a_token_variable() {
    let token = Arc::new(Mutex::new("Bearer abc".to_owned()));
    let server = endpoint(Arc::clone(&token)).await;
    let url = format!("{}/v1/credentials", server.url);
    let provider = ContainerCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str()),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc"),
            ]),
            Fs::from_files(Vec::<(String, String)>::new()),
        )
        .build();
    let credentials = provider.provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIACONTAINER");
    assert_eq!(credentials.session_token(), Some("ctoken"));
    assert_eq!(
        credentials.expiry().map(|e| e.to_string()).as_deref(),
        Some("2099-01-01T00:00:00Z")
    );
    assert_eq!(server.requests()[0].path, "/v1/credentials");
    // The token never shows in Debug output.
    assert!(!format!("{provider:?}").contains("abc"));
}

#[tokio::test]
async fn the_token_file_is_read_again_on_every_fetch() {
    let dir = TempDir::new("container");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "first-token\n").unwrap();
    let token = Arc::new(Mutex::new("first-token".to_owned()));
    let server = endpoint(Arc::clone(&token)).await;
    let provider = ContainerCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url.as_str()),
                (
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                    token_file.to_str().unwrap(),
                ),
                // The file wins over the variable.
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "stale"),
            ]),
            Fs::real(),
        )
        .build();
    provider.provide_credentials().await.expect("first token");
    // EKS rotates the token: the endpoint now wants the new one, and the file has it.
    *token.lock().unwrap() = "second-token".to_owned();
    std::fs::write(&token_file, "second-token").unwrap();
    provider.provide_credentials().await.expect("second token");
    let sent: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or("").to_owned())
        .collect();
    assert_eq!(sent, ["first-token", "second-token"]);
}

#[tokio::test]
async fn a_wrong_token_is_reported_with_the_endpoints_message() {
    let server = endpoint(Arc::new(Mutex::new("right".to_owned()))).await;
    let error = ContainerCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url.as_str()),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"),
            ]),
            Fs::from_files(Vec::<(String, String)>::new()),
        )
        .build()
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("HTTP 401") && error.contains("AccessDenied"),
        "{error}"
    );
    assert!(!error.contains("wrong"), "the token is not echoed: {error}");
}

#[tokio::test]
async fn configuration_errors() {
    let no_files = || Fs::from_files(Vec::<(String, String)>::new());
    let unset = ContainerCredentialsProvider::builder()
        .env_and_fs(Env::from_vars([("HOME", "/h")]), no_files())
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(unset.is_not_loaded());
    assert!(unset
        .to_string()
        .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"));

    let plain_http = ContainerCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://192.0.2.1/creds",
            )]),
            no_files(),
        )
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!plain_http.is_not_loaded());
    assert!(
        plain_http
            .to_string()
            .contains("plain http is only allowed"),
        "{plain_http}"
    );

    let relative = ContainerCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "/v2/credentials/x",
            )]),
            no_files(),
        )
        .build();
    assert_eq!(
        relative.endpoint(),
        Some("http://169.254.170.2/v2/credentials/x")
    );

    let missing_file = ContainerCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([
                (
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "http://127.0.0.1:9/creds",
                ),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/no/such/token"),
            ]),
            no_files(),
        )
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        missing_file.to_string().contains("/no/such/token"),
        "{missing_file}"
    );
}
