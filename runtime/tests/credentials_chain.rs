//! The default chain's order over real local endpoints (a container endpoint and an IMDS),
//! its caching, and its use by `Config::load_defaults_from`.

mod credentials_support;

use credentials_support::{Answer, Request, Server};
use smithy_runtime::client::Config;
use smithy_runtime::credentials::{default_credentials_chain_with, Env, Fs, ProvideCredentials};

/// One server playing both a container endpoint (`/container`) and an IMDS (`/latest/...`),
/// each handing out credentials named after itself.
async fn endpoints() -> Server {
    Server::start(|request: &Request| {
        let creds = |key: &str| {
            format!(
                r#"{{"Code":"Success","AccessKeyId":"{key}","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}}"#
            )
        };
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/container") => Answer::new(200, creds("AKCONTAINER")),
            ("PUT", "/latest/api/token") => Answer::new(200, "tok"),
            ("GET", "/latest/meta-data/iam/security-credentials/") => Answer::new(200, "role"),
            ("GET", "/latest/meta-data/iam/security-credentials/role") => {
                Answer::new(200, creds("AKIMDS"))
            }
            _ => Answer::new(404, ""),
        }
    })
    .await
}

fn no_files() -> Fs {
    Fs::from_files(Vec::<(String, String)>::new())
}

async fn key(env: Env, fs: Fs) -> String {
    default_credentials_chain_with(env, fs)
        .provide_credentials()
        .await
        .expect("credentials")
        .access_key_id()
        .to_owned()
}

#[tokio::test]
async fn providers_are_tried_in_the_sdks_order() {
    let server = endpoints().await;
    let container = format!("{}/container", server.url);
    let imds_only = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str())]);
    assert_eq!(key(imds_only, no_files()).await, "AKIMDS");

    let both = Env::from_vars([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.as_str()),
    ]);
    let before = server.count("PUT", "/latest/api/token");
    assert_eq!(key(both, no_files()).await, "AKCONTAINER");
    assert_eq!(
        server.count("PUT", "/latest/api/token"),
        before,
        "IMDS not asked"
    );

    let profile = Fs::from_files([(
        "/h/.aws/credentials",
        "[default]\naws_access_key_id = AKPROFILE\naws_secret_access_key = p\n",
    )]);
    let profile_and_container = Env::from_vars([
        ("HOME", "/h"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.as_str()),
    ]);
    assert_eq!(
        key(profile_and_container, profile.clone()).await,
        "AKPROFILE"
    );

    let everything = Env::from_vars([
        ("HOME", "/h"),
        ("AWS_ACCESS_KEY_ID", "AKENV"),
        ("AWS_SECRET_ACCESS_KEY", "e"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.as_str()),
    ]);
    assert_eq!(key(everything, profile).await, "AKENV");
}

#[tokio::test]
async fn the_chain_caches_and_load_defaults_uses_it() {
    let server = endpoints().await;
    let container = format!("{}/container", server.url);
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.as_str()),
        ("AWS_REGION", "eu-north-1"),
    ]);
    let config = Config::builder()
        .load_defaults_from(env, no_files())
        .await
        .unwrap()
        .build()
        .unwrap();
    let provider = config.credentials_provider().expect("a provider");
    for _ in 0..3 {
        let credentials = provider.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKCONTAINER");
    }
    assert_eq!(
        server.count("GET", "/container"),
        1,
        "cached after the first fetch"
    );
}
