//! HTTP proxies: a local proxy (tokio TCP) that records what it is asked and tunnels
//! (`CONNECT`) to a local HTTPS server or forwards plain requests to a local HTTP server; the
//! tests check the proxy was (or, for `NO_PROXY` and disabled proxies, was not) used.

mod pipeline_support;

use base64::Engine as _;
use pipeline_support::{get_harvest_job, Reply, TestServer, HARVEST_JOB_PATH};
use smithy_runtime::client::Config;
use smithy_runtime::credentials::{Env, Fs};
use smithy_runtime::http::{Body, HttpClient, HyperClient, ProxyConfig};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls;

/// A request head the proxy received: its first line and its headers (names lower-cased).
#[derive(Clone, Debug)]
struct Seen {
    line: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A local proxy: `CONNECT host:port` opens a tunnel, an absolute-form request is forwarded
/// as it came. With `require` set, requests without that `Proxy-Authorization` get a 407.
struct TestProxy {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestProxy {
    async fn start(require: Option<String>) -> TestProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(serve(client, record.clone(), require.clone()));
            }
        });
        TestProxy { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The proxy URL with credentials in it.
    fn url_with(&self, userinfo: &str) -> String {
        self.url
            .replacen("http://", &format!("http://{userinfo}@"), 1)
    }
}

async fn serve(mut client: TcpStream, seen: Arc<Mutex<Vec<Seen>>>, require: Option<String>) {
    let Some((head, rest)) = read_head(&mut client).await else {
        return;
    };
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let request = Seen { line, headers };
    seen.lock().unwrap().push(request.clone());
    if let Some(expected) = require {
        if request.header("proxy-authorization") != Some(expected.as_str()) {
            let _ = client
                .write_all(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n",
                )
                .await;
            return;
        }
    }
    let mut parts = request.line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method == "CONNECT" {
        let Ok(mut upstream) = TcpStream::connect(target).await else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
            return;
        };
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .unwrap();
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    } else {
        // Forwarding: the target is absolute (`http://host:port/path`).
        let authority = target
            .strip_prefix("http://")
            .and_then(|t| t.split('/').next())
            .unwrap_or_default();
        let Ok(mut upstream) = TcpStream::connect(authority).await else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
            return;
        };
        upstream.write_all(&head).await.unwrap();
        upstream.write_all(&rest).await.unwrap();
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    }
}

/// Reads up to the end of the request head; returns the head and any bytes read past it.
async fn read_head(stream: &mut TcpStream) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = data.split_off(end + 4);
            return Some((data, rest));
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..read]);
    }
}

fn basic(credentials: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    )
}

// ---- HTTPS through a CONNECT tunnel ----

fn ring() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A local HTTPS server for `localhost` answering every request with 200 and recording the
/// request heads it read inside TLS; and a client TLS configuration trusting it.
async fn https_server() -> (u16, Arc<Mutex<Vec<String>>>, rustls::ClientConfig) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der());
    let cert = certified.cert.der().clone();
    let server = rustls::ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key.into())
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let record = heads.clone();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(tcp).await else {
                continue;
            };
            let mut head = Vec::new();
            let mut buffer = [0u8; 1024];
            while !head.ends_with(b"\r\n\r\n") {
                match tls.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            record
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&head).into_owned());
            let _ = tls
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                .await;
            let _ = tls.shutdown().await;
        }
    });
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).unwrap();
    let client = rustls::ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    (port, heads, client)
}

async fn get(client: &HyperClient, url: &str) -> Result<(u16, Vec<u8>), String> {
    let request = http::Request::builder()
        .uri(url)
        .body(Body::empty())
        .unwrap();
    let response = client.call(request).await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, body.to_vec()))
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_the_proxy_credentials() {
    let (port, heads, tls) = https_server().await;
    let proxy = TestProxy::start(Some(basic("user:p@ss"))).await;
    let proxies = ProxyConfig::all(&proxy.url_with("user:p%40ss")).unwrap();
    let client = HyperClient::with_tls_config_and_proxy(tls, Some(Duration::from_secs(5)), proxies);

    let (status, body) = get(&client, &format!("https://localhost:{port}/harvest?x=1"))
        .await
        .expect("the request goes through the tunnel");

    assert_eq!((status, body.as_slice()), (200, &b"ok"[..]));
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].line, format!("CONNECT localhost:{port} HTTP/1.1"));
    assert_eq!(
        seen[0].header("proxy-authorization"),
        Some(basic("user:p@ss").as_str())
    );
    // Inside the tunnel, TLS with the server itself: an origin-form request, and the proxy's
    // credentials are not passed on to it.
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with("GET /harvest?x=1 HTTP/1.1\r\n"),
        "{}",
        heads[0]
    );
    assert!(
        !heads[0]
            .to_ascii_lowercase()
            .contains("proxy-authorization"),
        "{}",
        heads[0]
    );
}

#[tokio::test]
async fn a_proxy_refusing_the_credentials_is_a_clear_error() {
    let (port, heads, tls) = https_server().await;
    let proxy = TestProxy::start(Some(basic("user:right"))).await;
    let proxies = ProxyConfig::all(&proxy.url_with("user:wrong")).unwrap();
    let client = HyperClient::with_tls_config_and_proxy(tls, Some(Duration::from_secs(5)), proxies);
    let error = get(&client, &format!("https://localhost:{port}/"))
        .await
        .expect_err("407");
    assert!(error.contains("proxy authorization required"), "{error}");
    assert_eq!(proxy.seen().len(), 1);
    assert!(
        heads.lock().unwrap().is_empty(),
        "the server was never reached"
    );
}

#[tokio::test]
async fn the_pipeline_does_not_retry_a_proxy_refusing_the_credentials() {
    let (port, heads, tls) = https_server().await;
    let proxy = TestProxy::start(Some(basic("user:right"))).await;
    let proxies = ProxyConfig::all(&proxy.url_with("user:wrong")).unwrap();
    let client = HyperClient::with_tls_config_and_proxy(tls, Some(Duration::from_secs(5)), proxies);
    let config = pipeline_support::config_for(
        &format!("https://localhost:{port}"),
        &pipeline_support::RecordingSleep::default(),
    )
    .http_client(client)
    .build()
    .unwrap();
    let error = get_harvest_job(&config).await.expect_err("407");
    let smithy_runtime::SdkError::Dispatch(dispatch) = &error else {
        panic!("not a dispatch error: {error:?}");
    };
    assert!(!dispatch.is_transient(), "{dispatch}");
    assert_eq!(proxy.seen().len(), 1, "one attempt, not retried");
    assert!(heads.lock().unwrap().is_empty());
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly_over_https() {
    let (port, heads, tls) = https_server().await;
    let proxy = TestProxy::start(None).await;
    let proxies = ProxyConfig::all(&proxy.url)
        .unwrap()
        .with_no_proxy(".example.test, localhost");
    let client = HyperClient::with_tls_config_and_proxy(tls, Some(Duration::from_secs(5)), proxies);
    let (status, _) = get(&client, &format!("https://localhost:{port}/"))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert_eq!(heads.lock().unwrap().len(), 1);
}

// ---- plain HTTP through the pipeline, with settings from the environment ----

fn env_with(vars: &[(&str, &str)]) -> Env {
    let mut all = vec![
        ("HOME", "/home/u"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
    ];
    all.extend_from_slice(vars);
    Env::from_vars(all.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

async fn config(env: Env, proxy: Option<ProxyConfig>) -> Config {
    let mut builder = Config::builder();
    if let Some(proxy) = proxy {
        builder = builder.proxy_config(proxy);
    }
    builder
        .load_defaults_from(env, Fs::from_files(Vec::<(String, String)>::new()))
        .await
        .unwrap()
        .build()
        .unwrap()
}

#[tokio::test]
async fn http_requests_are_forwarded_with_an_absolute_target_and_credentials() {
    let origin = TestServer::start(|_| Reply::json(200, r#"{"ok":1}"#)).await;
    let proxy = TestProxy::start(Some(basic("alice:secret"))).await;
    let proxy_url = proxy.url_with("alice:secret");
    let env = env_with(&[
        ("AWS_ENDPOINT_URL", origin.url.as_str()),
        ("http_proxy", proxy_url.as_str()),
    ]);
    let config = config(env, None).await;

    let body = get_harvest_job(&config).await.expect("forwarded");

    assert_eq!(body, r#"{"ok":1}"#);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        seen[0].line,
        format!("GET {}{HARVEST_JOB_PATH} HTTP/1.1", origin.url)
    );
    assert_eq!(
        seen[0].header("proxy-authorization"),
        Some(basic("alice:secret").as_str())
    );
    // The signed request arrived at the origin through the proxy.
    let requests = origin.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0]
        .header("authorization")
        .unwrap()
        .starts_with("AWS4-HMAC-SHA256"));
}

#[tokio::test]
async fn no_proxy_entries_bypass_the_proxy_by_host_and_port() {
    let origin = TestServer::start(|_| Reply::json(200, "{}")).await;
    let proxy = TestProxy::start(None).await;
    let port = origin.url.rsplit(':').next().unwrap().to_owned();
    let bypass = format!("example.test, 127.0.0.1:{port}");
    let env = env_with(&[
        ("AWS_ENDPOINT_URL", origin.url.as_str()),
        ("HTTP_PROXY", proxy.url.as_str()),
        ("NO_PROXY", bypass.as_str()),
    ]);
    get_harvest_job(&config(env, None).await).await.unwrap();
    assert!(
        proxy.seen().is_empty(),
        "NO_PROXY matched: {:?}",
        proxy.seen()
    );
    assert_eq!(origin.count(), 1);

    // Another port is not in the list: through the proxy.
    let env = env_with(&[
        ("AWS_ENDPOINT_URL", origin.url.as_str()),
        ("HTTP_PROXY", proxy.url.as_str()),
        ("no_proxy", "127.0.0.1:1"),
    ]);
    get_harvest_job(&config(env, None).await).await.unwrap();
    assert_eq!(proxy.seen().len(), 1);
    assert_eq!(origin.count(), 2);
}

#[tokio::test]
async fn the_builder_can_turn_proxies_off_or_set_its_own() {
    let origin = TestServer::start(|_| Reply::json(200, "{}")).await;
    let from_env = TestProxy::start(None).await;
    let explicit = TestProxy::start(None).await;
    let env = || {
        env_with(&[
            ("AWS_ENDPOINT_URL", origin.url.as_str()),
            ("HTTP_PROXY", from_env.url.as_str()),
            ("HTTPS_PROXY", from_env.url.as_str()),
        ])
    };
    get_harvest_job(&config(env(), Some(ProxyConfig::disabled())).await)
        .await
        .unwrap();
    assert_eq!(origin.count(), 1);
    assert!(from_env.seen().is_empty());

    let own = ProxyConfig::disabled()
        .with_http_proxy(&explicit.url)
        .unwrap();
    get_harvest_job(&config(env(), Some(own)).await)
        .await
        .unwrap();
    assert_eq!(explicit.seen().len(), 1);
    assert!(
        from_env.seen().is_empty(),
        "the environment's proxy is not used"
    );

    // And without either, the environment's is.
    get_harvest_job(&config(env(), None).await).await.unwrap();
    assert_eq!(from_env.seen().len(), 1);
    assert_eq!(origin.count(), 3);
}

#[tokio::test]
async fn an_unusable_proxy_variable_fails_the_configuration() {
    let error = Config::builder()
        .load_defaults_from(
            env_with(&[("HTTPS_PROXY", "socks5://u:SECRET@127.0.0.1:1080")]),
            Fs::from_files(Vec::<(String, String)>::new()),
        )
        .await
        .err()
        .expect("an error")
        .to_string();
    assert!(
        error.contains("HTTPS_PROXY") && !error.contains("SECRET"),
        "{error}"
    );
}

#[tokio::test]
async fn a_proxy_that_never_answers_the_connect_hits_the_connect_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accepts, reads, and never answers.
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let (port, heads, tls) = https_server().await;
    let client = HyperClient::with_tls_config_and_proxy(
        tls,
        Some(Duration::from_millis(300)),
        ProxyConfig::all(&url).unwrap(),
    );
    let request = http::Request::builder()
        .uri(format!("https://localhost:{port}/"))
        .body(Body::empty())
        .unwrap();
    let started = std::time::Instant::now();
    let error = client.call(request).await.expect_err("no tunnel");
    assert!(error.is_connect_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(heads.lock().unwrap().is_empty());
}
