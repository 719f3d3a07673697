//! The IMDSv2 client, credentials provider and region source against a local IMDS: session
//! tokens with a TTL, 401 for an expired token, a role whose credentials rotate.

mod credentials_support;

use credentials_support::{Answer, Request, Server};
use smithy_runtime::credentials::{
    CachedCredentialsProvider, DefaultRegionChain, Env, Fs, ImdsClient, ImdsCredentialsProvider,
    ProvideCredentials, TimeSource,
};
use smithy_runtime::DateTime;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROLE: &str = "app-role";

/// A local IMDS: issues tokens, rejects unknown or expired ones with 401, and hands out new
/// credentials (generation 1, 2, ...) for every credentials request.
#[derive(Default)]
struct Imds {
    tokens: Mutex<HashSet<String>>,
    issued: AtomicUsize,
    generation: AtomicUsize,
    no_role: bool,
    /// How many credential requests still get HTTP 500.
    server_errors: AtomicUsize,
}

impl Imds {
    fn expire_all_tokens(&self) {
        self.tokens.lock().unwrap().clear();
    }

    fn answer(&self, request: &Request) -> Answer {
        if request.method == "PUT" && request.path == "/latest/api/token" {
            let ttl = request
                .header("x-aws-ec2-metadata-token-ttl-seconds")
                .and_then(|v| v.parse::<u64>().ok());
            let Some(ttl) = ttl.filter(|t| (1..=21_600).contains(t)) else {
                return Answer::new(400, "bad TTL");
            };
            let token = format!("token-{}", self.issued.fetch_add(1, Ordering::SeqCst) + 1);
            self.tokens.lock().unwrap().insert(token.clone());
            return Answer::new(200, token)
                .header("x-aws-ec2-metadata-token-ttl-seconds", ttl.to_string());
        }
        let valid = request
            .header("x-aws-ec2-metadata-token")
            .is_some_and(|t| self.tokens.lock().unwrap().contains(t));
        if request.method != "GET" || !valid {
            return Answer::new(401, "");
        }
        match request.path.as_str() {
            "/latest/meta-data/iam/security-credentials/" if self.no_role => Answer::new(404, ""),
            "/latest/meta-data/iam/security-credentials/" => Answer::new(200, format!("{ROLE}\n")),
            "/latest/meta-data/placement/region" => Answer::new(200, "eu-central-1"),
            path if path == format!("/latest/meta-data/iam/security-credentials/{ROLE}")
                && self
                    .server_errors
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok() =>
            {
                Answer::new(500, "busy")
            }
            path if path == format!("/latest/meta-data/iam/security-credentials/{ROLE}") => {
                let n = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
                let expiry = DateTime::from_secs(DateTime::now().secs() + 3600);
                Answer::new(
                    200,
                    format!(
                        r#"{{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAGEN{n}","SecretAccessKey":"secret-{n}","Token":"session-{n}","Expiration":"{expiry}"}}"#
                    ),
                )
            }
            _ => Answer::new(404, ""),
        }
    }
}

async fn start(imds: Imds) -> (Server, Arc<Imds>) {
    let imds = Arc::new(imds);
    let state = Arc::clone(&imds);
    let server = Server::start(move |request| state.answer(request)).await;
    (server, imds)
}

#[tokio::test]
async fn credentials_come_with_one_session_token_reused_across_calls() {
    let (server, _) = start(Imds::default()).await;
    let provider = ImdsCredentialsProvider::builder()
        .endpoint(&server.url)
        .build();
    let first = provider.provide_credentials().await.expect("credentials");
    assert_eq!(first.access_key_id(), "ASIAGEN1");
    assert_eq!(first.secret_access_key(), "secret-1");
    assert_eq!(first.session_token(), Some("session-1"));
    assert!(first.expiry().is_some_and(|e| e > DateTime::now()));
    let second = provider.provide_credentials().await.expect("credentials");
    // The role rotates its credentials: a second fetch sees the next generation.
    assert_eq!(second.access_key_id(), "ASIAGEN2");
    assert_eq!(server.count("PUT", "/latest/api/token"), 1);
    let put = &server.requests()[0];
    assert_eq!(
        put.header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for get in server.requests().iter().filter(|r| r.method == "GET") {
        assert_eq!(get.header("x-aws-ec2-metadata-token"), Some("token-1"));
    }
}

#[tokio::test]
async fn an_expired_token_is_replaced_after_a_401() {
    let (server, imds) = start(Imds::default()).await;
    let provider = ImdsCredentialsProvider::builder()
        .endpoint(&server.url)
        .build();
    provider.provide_credentials().await.expect("credentials");
    imds.expire_all_tokens();
    let again = provider.provide_credentials().await.expect("after 401");
    assert_eq!(again.access_key_id(), "ASIAGEN2");
    assert_eq!(server.count("PUT", "/latest/api/token"), 2);
    let statuses_401 = server
        .requests()
        .iter()
        .filter(|r| r.header("x-aws-ec2-metadata-token") == Some("token-1"))
        .count();
    // Two GETs with the first token before expiry, one rejected after.
    assert_eq!(statuses_401, 3);
}

#[tokio::test]
async fn tokens_are_renewed_when_their_ttl_runs_out() {
    let (server, _) = start(Imds::default()).await;
    let client = ImdsClient::builder()
        .endpoint(&server.url)
        .token_ttl(Duration::from_secs(1))
        .build();
    assert_eq!(
        client
            .get("/latest/meta-data/placement/region")
            .await
            .unwrap(),
        "eu-central-1"
    );
    assert_eq!(
        server.requests()[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("1")
    );
    client
        .get("/latest/meta-data/placement/region")
        .await
        .unwrap();
    assert_eq!(server.count("PUT", "/latest/api/token"), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client
        .get("/latest/meta-data/placement/region")
        .await
        .unwrap();
    assert_eq!(server.count("PUT", "/latest/api/token"), 2);
}

/// A clock the test moves by hand.
#[derive(Clone, Debug)]
struct ManualTime(Arc<Mutex<DateTime>>);

impl TimeSource for ManualTime {
    fn now(&self) -> DateTime {
        *self.0.lock().unwrap()
    }
}

#[tokio::test]
async fn the_cache_fetches_rotated_credentials_shortly_before_expiry() {
    let (server, _) = start(Imds::default()).await;
    let time = ManualTime(Arc::new(Mutex::new(DateTime::now())));
    let cached = CachedCredentialsProvider::builder()
        .time_source(time.clone())
        .build(
            ImdsCredentialsProvider::builder()
                .endpoint(&server.url)
                .build(),
        );
    let first = cached.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "ASIAGEN1");
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id(),
        "ASIAGEN1"
    );
    let expiry = first.expiry().unwrap();
    // 4 minutes before expiry is inside the 5-minute refresh margin.
    *time.0.lock().unwrap() = DateTime::from_secs(expiry.secs() - 240);
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id(),
        "ASIAGEN2"
    );
}

#[tokio::test]
async fn an_instance_without_a_role_is_not_loaded() {
    let (server, _) = start(Imds {
        no_role: true,
        ..Imds::default()
    })
    .await;
    let error = ImdsCredentialsProvider::builder()
        .endpoint(&server.url)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(error.is_not_loaded(), "{error}");
    assert!(error.to_string().contains("no IAM role"), "{error}");
}

#[tokio::test]
async fn settings_come_from_the_environment_and_the_profile() {
    let (server, _) = start(Imds::default()).await;
    let no_files = Fs::from_files(Vec::<(String, String)>::new());
    let from_env = ImdsCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str())]),
            no_files.clone(),
        )
        .build();
    assert!(from_env.provide_credentials().await.is_ok());

    let config = format!(
        "[default]\nec2_metadata_service_endpoint = {}\n",
        server.url
    );
    let from_profile = ImdsClient::builder()
        .env_and_fs(
            Env::from_vars([("HOME", "/home/u")]),
            Fs::from_files([("/home/u/.aws/config", config)]),
        )
        .build();
    assert_eq!(from_profile.endpoint(), Ok(server.url.as_str()));

    let disabled = ImdsCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
                ("AWS_EC2_METADATA_DISABLED", "true"),
            ]),
            no_files.clone(),
        )
        .build();
    let before = server.requests().len();
    let error = disabled.provide_credentials().await.unwrap_err();
    assert!(error.is_not_loaded());
    assert!(
        error.to_string().contains("AWS_EC2_METADATA_DISABLED"),
        "{error}"
    );
    assert_eq!(
        server.requests().len(),
        before,
        "a disabled IMDS is not asked"
    );

    let bad_mode = ImdsClient::builder()
        .env_and_fs(
            Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")]),
            no_files.clone(),
        )
        .build();
    let error = bad_mode.endpoint().unwrap_err();
    assert!(error.contains("must be `IPv4` or `IPv6`"), "{error}");

    // A fake environment that names no endpoint never reaches the real link-local address.
    let fake = ImdsClient::builder()
        .env_and_fs(Env::from_vars([("HOME", "/nowhere")]), no_files)
        .build();
    assert!(fake.endpoint().is_err());
}

#[tokio::test]
async fn nothing_listening_fails_fast_and_is_not_loaded() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let started = std::time::Instant::now();
    let error = ImdsCredentialsProvider::builder()
        .endpoint(url)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(error.is_not_loaded(), "{error}");
    assert!(error.to_string().contains("cannot connect"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_region_comes_from_imds_last() {
    let (server, _) = start(Imds::default()).await;
    let no_files = || Fs::from_files(Vec::<(String, String)>::new());
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str())]);
    let region = DefaultRegionChain::with_env_and_fs(env.clone(), no_files())
        .resolve_all()
        .await
        .unwrap();
    assert_eq!(region.as_str(), "eu-central-1");
    // Local sources win, and IMDS is not asked then.
    let before = server.requests().len();
    let env_first = Env::from_vars([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
        ("AWS_REGION", "ap-south-1"),
    ]);
    let region = DefaultRegionChain::with_env_and_fs(env_first, no_files())
        .resolve_all()
        .await
        .unwrap();
    assert_eq!(region.as_str(), "ap-south-1");
    assert_eq!(server.requests().len(), before);
    // And the client configuration uses it.
    let config = smithy_runtime::client::Config::builder()
        .load_defaults_from(env, no_files())
        .await
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(config.region().map(|r| r.as_str()), Some("eu-central-1"));
    // With IMDS disabled the error lists every source.
    let disabled = Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]);
    let error = DefaultRegionChain::with_env_and_fs(disabled, no_files())
        .resolve_all()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("AWS_REGION") && error.contains("IMDS region"),
        "{error}"
    );
}

#[tokio::test]
async fn server_errors_are_retried_a_few_times() {
    let (server, _) = start(Imds {
        server_errors: AtomicUsize::new(2),
        ..Imds::default()
    })
    .await;
    let provider = ImdsCredentialsProvider::builder()
        .endpoint(&server.url)
        .build();
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "ASIAGEN1"
    );
    let path = format!("/latest/meta-data/iam/security-credentials/{ROLE}");
    assert_eq!(server.count("GET", &path), 3);

    let (server, _) = start(Imds {
        server_errors: AtomicUsize::new(10),
        ..Imds::default()
    })
    .await;
    let error = ImdsCredentialsProvider::builder()
        .endpoint(&server.url)
        .max_attempts(2)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!error.is_not_loaded());
    assert!(error.to_string().contains("HTTP 500"), "{error}");
    assert_eq!(server.count("GET", &path), 2);
}
