//! S3 Express One Zone session auth against a directory bucket server of our own on 127.0.0.1
//! (moto has no directory buckets). The real S3 endpoint rules send a request for
//! `name--usw2-az1--x-s3` at a custom IP endpoint to `http://127.0.0.1:port/<bucket>` with the
//! `sigv4-s3express` scheme; the client must then make one `CreateSession`, signed with its own
//! credentials under `s3express`, and sign every request to the bucket with the session's keys,
//! its token in `x-amz-s3session-token`. The server checks every signature by computing it again
//! with the project's signer from the headers the request says it signed.
#![cfg(reference_data)]

use moto_tests::clients::s3::Client;
use smithy_runtime::credentials::Credentials;
use smithy_runtime::sigv4::{sign_request_with_body, SignableBody, SigningParams, SigningSettings};
use smithy_runtime::DateTime;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BUCKET: &str = "express--usw2-az1--x-s3";
const REGION: &str = "us-west-2";
const SESSION_KEY: &str = "ASIAEXPRESSSESSION";
const SESSION_SECRET: &str = "express/session/secret";
const SESSION_TOKEN: &str = "EXPRESS-SESSION-TOKEN";
const OBJECT: &str = "hello from a directory bucket";

/// What the server saw.
#[derive(Default)]
struct Seen {
    sessions_created: usize,
    objects_served: usize,
    /// Problems found in requests (empty when every request was right).
    problems: Vec<String>,
}

/// One parsed request head.
struct Head {
    method: String,
    target: String,
    headers: BTreeMap<String, String>,
}

async fn read_head(socket: &mut TcpStream) -> Option<Head> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    while !bytes.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = socket.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(Head {
        method,
        target,
        headers,
    })
}

/// The signing time of an `x-amz-date` (`20261201T180500Z`).
fn signing_time(amz_date: &str) -> Option<DateTime> {
    let d = amz_date.as_bytes();
    if d.len() != 16 {
        return None;
    }
    let text = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    smithy_runtime::timestamp::parse(&text, smithy_runtime::timestamp::Format::DateTime).ok()
}

/// Checks the request's SigV4 signature: signs the same method, target and signed headers again
/// with `credentials` and compares the `Authorization` headers.
fn check_signature(head: &Head, access_key: &str, secret: &str) -> Result<(), String> {
    let authorization = head
        .headers
        .get("authorization")
        .ok_or("no Authorization")?;
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .ok_or("no SignedHeaders")?;
    let mut request = http::Request::builder()
        .method(head.method.as_str())
        .uri(head.target.as_str());
    for name in signed.split(';') {
        let value = head
            .headers
            .get(name)
            .ok_or(format!("{name} signed but absent"))?;
        request = request.header(name, value);
    }
    let mut request = request.body(()).map_err(|e| e.to_string())?;
    let time = signing_time(head.headers.get("x-amz-date").ok_or("no x-amz-date")?)
        .ok_or("a bad x-amz-date")?;
    let credentials = Credentials::from_keys(access_key, secret);
    let settings = SigningSettings {
        double_uri_encode: false,
        normalize_path: false,
        content_sha256_header: true,
        ..SigningSettings::default()
    };
    let payload = head
        .headers
        .get("x-amz-content-sha256")
        .ok_or("no x-amz-content-sha256")?;
    let params = SigningParams {
        settings,
        ..SigningParams::new(&credentials, REGION, "s3express", time)
    };
    sign_request_with_body(&mut request, SignableBody::Precomputed(payload), &params)
        .map_err(|e| e.to_string())?;
    let expected = request.headers()["authorization"]
        .to_str()
        .unwrap_or_default();
    if expected == authorization {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch:\n  got      {authorization}\n  expected {expected}"
        ))
    }
}

/// The answer to one request, and what was wrong with it.
fn answer(head: &Head, seen: &mut Seen, session_lifetime: i64) -> String {
    let mut problem = |text: String| {
        seen.problems
            .push(format!("{} {}: {text}", head.method, head.target))
    };
    if head.target == format!("/{BUCKET}/?session") || head.target == format!("/{BUCKET}?session") {
        if head.headers.contains_key("x-amz-s3session-token") {
            problem("CreateSession carries a session token".into());
        }
        if let Err(e) = check_signature(head, moto_tests::ACCESS_KEY, moto_tests::SECRET_KEY) {
            problem(format!("CreateSession: {e}"));
        }
        seen.sessions_created += 1;
        let expiry = DateTime::from_secs(DateTime::now().secs() + session_lifetime);
        let expiration =
            smithy_runtime::timestamp::format(&expiry, smithy_runtime::timestamp::Format::DateTime);
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials><SessionToken>{SESSION_TOKEN}</SessionToken><SecretAccessKey>{SESSION_SECRET}</SecretAccessKey><AccessKeyId>{SESSION_KEY}</AccessKeyId><Expiration>{expiration}</Expiration></Credentials></CreateSessionResult>"
        );
        return response("application/xml", &body);
    }
    if head
        .headers
        .get("x-amz-s3session-token")
        .map(String::as_str)
        != Some(SESSION_TOKEN)
    {
        problem("no x-amz-s3session-token with the session's token".into());
    }
    if head.headers.contains_key("x-amz-security-token") {
        problem("x-amz-security-token sent to a directory bucket".into());
    }
    if let Err(e) = check_signature(head, SESSION_KEY, SESSION_SECRET) {
        problem(e);
    }
    seen.objects_served += 1;
    response("text/plain", OBJECT)
}

fn response(content_type: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amz-request-id: express\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Serves connections (one request each) until the task is dropped.
async fn serve(listener: TcpListener, seen: Arc<Mutex<Seen>>, session_lifetime: i64) {
    while let Ok((mut socket, _)) = listener.accept().await {
        let Some(head) = read_head(&mut socket).await else {
            continue;
        };
        let reply = answer(
            &head,
            &mut seen.lock().expect("not poisoned"),
            session_lifetime,
        );
        let _ = socket.write_all(reply.as_bytes()).await;
    }
}

/// A client of a fresh server whose sessions last `session_lifetime` seconds.
async fn client_and_server(session_lifetime: i64) -> (Client, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("its address");
    let seen = Arc::new(Mutex::new(Seen::default()));
    tokio::spawn(serve(listener, Arc::clone(&seen), session_lifetime));
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(format!("http://{address}"))
        .region(REGION)
        .credentials_provider(moto_tests::credentials())
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
        .build()
        .expect("a configuration");
    (Client::from_conf(config), seen)
}

async fn get(client: &Client, key: &str) {
    let object = client
        .get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .expect("GetObject from the directory bucket");
    let body = object.body.collect().await.expect("the body");
    assert_eq!(&body[..], OBJECT.as_bytes());
}

#[tokio::test]
async fn requests_to_a_directory_bucket_share_one_session() {
    let (client, seen) = client_and_server(300).await;
    get(&client, "first.txt").await;
    // Clones share the session cache, as they share everything else.
    let clone = client.clone();
    let (a, b) = tokio::join!(get(&clone, "second.txt"), get(&client, "third.txt"));
    let ((), ()) = (a, b);
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(seen.problems, Vec::<String>::new());
    assert_eq!(seen.objects_served, 3);
    assert_eq!(
        seen.sessions_created, 1,
        "one CreateSession for three requests"
    );
}

#[tokio::test]
async fn a_session_about_to_expire_is_replaced() {
    // Thirty seconds is inside the client's one-minute refresh margin, so every request needs a
    // new session.
    let (client, seen) = client_and_server(30).await;
    get(&client, "first.txt").await;
    get(&client, "second.txt").await;
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(seen.problems, Vec::<String>::new());
    assert_eq!(seen.sessions_created, 2);
}

#[tokio::test]
async fn a_presigned_directory_bucket_request_is_refused_clearly() {
    let (client, _) = client_and_server(300).await;
    let config =
        smithy_runtime::presign::PresigningConfig::expires_in(std::time::Duration::from_secs(60))
            .expect("a presigning configuration");
    let error = client
        .get_object()
        .bucket(BUCKET)
        .key("k")
        .presigned(config)
        .await
        .expect_err("not supported");
    assert!(
        error
            .to_string()
            .contains("S3 Express directory bucket is not supported"),
        "{error}"
    );
}
