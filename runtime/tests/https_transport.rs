//! The default transport over real TLS: a rustls server on 127.0.0.1 with a certificate made
//! for the test, and `HyperClient` trusting exactly that certificate.

use smithy_runtime::http::{Body, HttpClient, HyperClient};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls;

/// A self-signed certificate for `localhost`, and its key.
fn certificate() -> (
    rustls::pki_types::CertificateDer<'static>,
    rustls::pki_types::PrivateKeyDer<'static>,
) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
        .expect("certificate generated");
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der());
    (certified.cert.der().clone(), key.into())
}

fn ring() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Serves one HTTPS connection: reads a request head, answers 200 with `body`, and returns the
/// request head it read along with the ALPN protocol the client offered.
async fn serve_once(
    listener: TcpListener,
    config: Arc<rustls::ServerConfig>,
    body: &'static str,
) -> (String, Option<Vec<u8>>) {
    let (tcp, _) = listener.accept().await.expect("client connects");
    let mut tls = tokio_rustls::TlsAcceptor::from(config)
        .accept(tcp)
        .await
        .expect("TLS handshake");
    let alpn = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.ends_with(b"\r\n\r\n") {
        let read = tls.read(&mut buffer).await.expect("request read");
        assert!(read > 0, "connection closed before the request head ended");
        head.extend_from_slice(&buffer[..read]);
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(response.as_bytes())
        .await
        .expect("response written");
    tls.shutdown().await.ok();
    (String::from_utf8_lossy(&head).into_owned(), alpn)
}

#[tokio::test]
async fn https_round_trip_with_a_trusted_certificate() {
    let (cert, key) = certificate();
    let mut server = rustls::ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .expect("server config");
    server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let served = tokio::spawn(serve_once(listener, Arc::new(server), r#"{"ok":true}"#));

    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).expect("root added");
    let client_tls = rustls::ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let client = HyperClient::with_tls_config(client_tls, Some(Duration::from_secs(5)));
    let request = http::Request::builder()
        .method("GET")
        .uri(format!("https://localhost:{port}/harvest?x=1"))
        .body(Body::empty())
        .expect("request");
    let response = client.call(request).await.expect("HTTPS call succeeds");

    assert_eq!(response.status(), 200);
    let body = response.into_body().collect().await.expect("body");
    assert_eq!(body.as_ref(), br#"{"ok":true}"#);
    let (head, alpn) = served.await.expect("server task");
    assert!(head.starts_with("GET /harvest?x=1 HTTP/1.1\r\n"), "{head}");
    // Only HTTP/1.1 is offered, so a server preferring h2 still gets HTTP/1.1.
    assert_eq!(alpn.as_deref(), Some(&b"http/1.1"[..]));
}

#[tokio::test]
async fn an_untrusted_certificate_is_rejected_and_not_retryable() {
    let (cert, key) = certificate();
    let server = rustls::ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    tokio::spawn(async move {
        if let Ok((tcp, _)) = listener.accept().await {
            // The client rejects the certificate, so the handshake fails on this side too.
            let _ = acceptor.accept(tcp).await;
        }
    });

    // The default client trusts the public web roots only, not this self-signed certificate.
    let client = HyperClient::new(Some(Duration::from_secs(5))).expect("client");
    let request = http::Request::builder()
        .uri(format!("https://localhost:{port}/"))
        .body(Body::empty())
        .expect("request");
    let error = client
        .call(request)
        .await
        .expect_err("certificate rejected");
    assert!(!error.is_connect_timeout(), "{error}");
    assert!(
        !error.is_transient(),
        "a certificate will not be trusted on a retry: {error}"
    );
    let message = format!("{error:?}");
    assert!(message.to_lowercase().contains("certificate"), "{message}");
}
