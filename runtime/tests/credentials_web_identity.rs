//! The web identity provider against a local STS: unsigned AssumeRoleWithWebIdentity, the
//! token file read again on every refresh, settings from the environment or the builder.

mod credentials_support;

use credentials_support::{Answer, Request, Server, TempDir};
use smithy_runtime::credentials::{
    Env, Fs, ProvideCredentials, WebIdentityTokenCredentialsProvider,
};

/// A local STS: AssumeRoleWithWebIdentity answers with an access key naming the token sent.
async fn sts() -> Server {
    Server::start(|request: &Request| {
        let body = String::from_utf8_lossy(&request.body).into_owned();
        let field = |name: &str| {
            body.split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                .unwrap_or("")
                .to_owned()
        };
        if field("Action") != "AssumeRoleWithWebIdentity" {
            return Answer::new(400, "unexpected action");
        }
        let xml = format!(
            r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
    <Credentials>
      <AccessKeyId>ASIA-{token}</AccessKeyId>
      <SecretAccessKey>s</SecretAccessKey>
      <SessionToken>t</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>"#,
            token = field("WebIdentityToken")
        );
        Answer::new(200, xml).header("content-type", "text/xml")
    })
    .await
}

#[tokio::test]
async fn the_token_file_is_read_on_every_call_and_the_call_is_unsigned() {
    let server = sts().await;
    let dir = TempDir::new("web-identity");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "first\n").unwrap();
    let provider = WebIdentityTokenCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([
                ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
                ("AWS_ROLE_SESSION_NAME", "pod-session"),
                ("AWS_REGION", "eu-west-2"),
            ]),
            Fs::real(),
        )
        .endpoint_url(&server.url)
        .build();
    let first = provider.provide_credentials().await.expect("first");
    assert_eq!(first.access_key_id(), "ASIA-first");
    std::fs::write(&token_file, "second").unwrap();
    let second = provider.provide_credentials().await.expect("second");
    assert_eq!(second.access_key_id(), "ASIA-second");
    let request = &server.requests()[0];
    assert!(
        request.header("authorization").is_none(),
        "AssumeRoleWithWebIdentity is unsigned"
    );
    let body = String::from_utf8_lossy(&request.body).into_owned();
    assert!(body.contains("RoleSessionName=pod-session"), "{body}");
    assert!(body.contains("Version=2011-06-15"), "{body}");
}

#[tokio::test]
async fn settings_and_errors() {
    let no_files = || Fs::from_files(Vec::<(String, String)>::new());
    let unset = WebIdentityTokenCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("AWS_ROLE_ARN", "arn:aws:iam::1:role/x")]),
            no_files(),
        )
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(unset.is_not_loaded(), "{unset}");

    let no_role = WebIdentityTokenCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")]),
            no_files(),
        )
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!no_role.is_not_loaded());
    assert!(
        no_role.to_string().contains("AWS_ROLE_ARN is not"),
        "{no_role}"
    );

    // The builder's settings alone are enough; an empty token file is an error.
    let server = sts().await;
    let empty = WebIdentityTokenCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("HOME", "/h")]),
            Fs::from_files([("/t", "  \n")]),
        )
        .token_file("/t")
        .role_arn("arn:aws:iam::1:role/x")
        .endpoint_url(&server.url)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(empty.to_string().contains("is empty"), "{empty}");
    assert!(server.requests().is_empty());
}
