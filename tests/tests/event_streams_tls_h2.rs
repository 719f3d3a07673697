//! HTTP/2 over TLS: a rustls server on 127.0.0.1 that offers only `h2` by ALPN, with a
//! self-signed certificate, and the Kinesis-like SubscribeToShard of
//! `tests/models/events_aws_json.smithy` (`eventStreamHttp: ["h2"]`) reading events from it.
//! The client trusts the certificate through `HyperClient::with_tls_config` set as the
//! configuration's HTTP client.

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use integration_tests::events_aws_json as shards;
use smithy_runtime::event_stream::{encode_message, HeaderValue, Message};
use smithy_runtime::http::HyperClient;
use std::sync::Arc;
use std::time::Duration;
use tokio_rustls::rustls;

fn event(event_type: &str, payload: &str) -> Bytes {
    let message = Message::new(payload.to_owned())
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String(event_type.into()))
        .with_header(
            ":content-type",
            HeaderValue::String("application/json".into()),
        );
    encode_message(&message).expect("encodable")
}

/// Serves one TLS connection with HTTP/2 only; every request gets two shard events. Returns
/// the ALPN protocol negotiated and the request's HTTP version.
async fn serve(
    listener: tokio::net::TcpListener,
    config: Arc<rustls::ServerConfig>,
) -> (Option<Vec<u8>>, Option<http::Version>) {
    let (tcp, _) = listener.accept().await.expect("client connects");
    let tls = tokio_rustls::TlsAcceptor::from(config)
        .accept(tcp)
        .await
        .expect("TLS handshake");
    let alpn = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
    let seen = Arc::new(std::sync::Mutex::new(None));
    let log = Arc::clone(&seen);
    let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
        let log = Arc::clone(&log);
        async move {
            if let Ok(mut seen) = log.lock() {
                *seen = Some(request.version());
            }
            let _ = request.into_body().collect().await;
            let mut body = event("initial-response", "{}").to_vec();
            for sequence in ["1", "2"] {
                body.extend_from_slice(&event(
                    "SubscribeToShardEvent",
                    &format!(
                        r#"{{"Records":[],"ContinuationSequenceNumber":"{sequence}","MillisBehindLatest":0}}"#
                    ),
                ));
            }
            let response = hyper::Response::builder()
                .header("content-type", "application/vnd.amazon.eventstream")
                .body(http_body_util::Full::new(Bytes::from(body)))
                .expect("response");
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(tls), service)
        .await;
    let version = seen.lock().ok().and_then(|v| *v);
    (alpn, version)
}

#[tokio::test]
async fn subscribe_to_shard_over_tls_with_alpn_h2() {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
        .expect("certificate generated");
    let cert = certified.cert.der().clone();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der());
    let ring = Arc::new(rustls::crypto::ring::default_provider());
    let mut server = rustls::ServerConfig::builder_with_provider(Arc::clone(&ring))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key.into())
        .expect("server certificate");
    // Only h2: a client that offered only http/1.1 would fail the handshake.
    server.alpn_protocols = vec![b"h2".to_vec()];
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let served = tokio::spawn(serve(listener, Arc::new(server)));

    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).expect("root added");
    let client_tls = rustls::ClientConfig::builder_with_provider(ring)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let config = smithy_runtime::client::Config::builder()
        .endpoint_url(format!("https://localhost:{port}"))
        .region("us-east-1")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKIDEXAMPLE",
            "SECRET",
        ))
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
        .http_client(HyperClient::with_tls_config(
            client_tls,
            Some(Duration::from_secs(5)),
        ))
        .build()
        .expect("configuration");
    let output = shards::Client::from_conf(config)
        .subscribe_to_shard()
        .consumer_arn("arn:consumer")
        .shard_id("shard-1")
        .send()
        .await
        .expect("subscribed over TLS + h2");
    let stream = output.event_stream.as_ref().expect("a stream");
    let mut continuations = Vec::new();
    while let Some(event) = stream.recv().await.expect("an event") {
        match event {
            shards::types::SubscribeToShardEventStream::SubscribeToShardEvent(e) => {
                continuations.push(e.continuation_sequence_number.clone())
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(continuations, ["1", "2"]);
    drop(output);
    let (alpn, version) = tokio::time::timeout(Duration::from_secs(5), served)
        .await
        .expect("the server finishes")
        .expect("server task");
    assert_eq!(alpn.as_deref(), Some(&b"h2"[..]));
    assert_eq!(version, Some(http::Version::HTTP_2));
}
