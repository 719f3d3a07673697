//! The runtime's STS credential providers (its own generated STS clients) against moto:
//! a profile assuming a role with a source profile's keys, and the default chain's web
//! identity provider reading a token file, with the expiry STS grants.

use moto_tests::MotoServer;
use smithy_runtime::credentials::{
    AssumeRoleProvider, Credentials, DefaultCredentialsChain, Env, Fs, ProfileCredentialsProvider,
    ProvideCredentials,
};
use smithy_runtime::DateTime;

const SUITE: &str = "sts_credentials";
const ROLE: &str = "arn:aws:iam::123456789012:role/moto-credentials";

/// Seconds from now until `credentials` expire.
fn lifetime(credentials: &Credentials) -> i64 {
    credentials.expiry().expect("an expiry").secs() - DateTime::now().secs()
}

#[tokio::test]
async fn a_profile_assumes_a_role_with_its_source_profiles_keys() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let config = format!(
        "[profile app]\nrole_arn = {ROLE}\nsource_profile = base\nrole_session_name = moto-app\nduration_seconds = 1200\nregion = {region}\n\n[profile base]\naws_access_key_id = AKIDMOTOBASE\naws_secret_access_key = base-secret\n",
        region = moto_tests::REGION
    );
    let provider = ProfileCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "app")]),
            Fs::from_files([("/h/.aws/config", config)]),
        )
        .sts_endpoint_url(server.url())
        .build();
    let credentials = provider.provide_credentials().await.expect("AssumeRole");
    assert!(
        credentials.access_key_id().starts_with("ASIA"),
        "{credentials:?}"
    );
    assert!(credentials.session_token().is_some_and(|t| !t.is_empty()));
    let lifetime = lifetime(&credentials);
    assert!((1100..=1200).contains(&lifetime), "{lifetime} s");
}

#[tokio::test]
async fn assume_role_alone_takes_its_settings_from_the_builder() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let provider = AssumeRoleProvider::builder(ROLE)
        .session_name("builder-session")
        .external_id("external-1")
        .duration_seconds(900)
        .region(moto_tests::REGION)
        .endpoint_url(server.url())
        .build(moto_tests::credentials());
    let credentials = provider.provide_credentials().await.expect("AssumeRole");
    assert!(credentials.access_key_id().starts_with("ASIA"));
    assert!((800..=900).contains(&lifetime(&credentials)));
}

#[tokio::test]
async fn the_default_chain_uses_a_web_identity_token_file() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("moto-web-identity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    // moto does not check the token's signature, only that one is sent.
    std::fs::write(
        &token_file,
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2ln\n",
    )
    .unwrap();
    let env = Env::from_vars([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_ROLE_SESSION_NAME", "pod-session"),
        ("AWS_REGION", moto_tests::REGION),
        ("HOME", "/nowhere"),
    ]);
    let chain = DefaultCredentialsChain::builder()
        .env_and_fs(env, Fs::real())
        .sts_endpoint_url(server.url())
        .build();
    let credentials = chain.provide_credentials().await.expect("web identity");
    assert!(
        credentials.access_key_id().starts_with("ASIA"),
        "{credentials:?}"
    );
    assert!(credentials.session_token().is_some());
    assert!(lifetime(&credentials) > 0);
    // A missing token file is an error of the web identity provider, not "no credentials".
    std::fs::remove_file(&token_file).unwrap();
    let fresh = DefaultCredentialsChain::builder()
        .env_and_fs(
            Env::from_vars([
                ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
                ("AWS_ROLE_ARN", ROLE),
            ]),
            Fs::real(),
        )
        .sts_endpoint_url(server.url())
        .build();
    let error = fresh.provide_credentials().await.unwrap_err().to_string();
    assert!(error.contains("does not exist"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}
