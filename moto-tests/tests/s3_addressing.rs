//! S3's endpoint rules with the bucket, end to end against moto: with no endpoint URL the
//! rules put the bucket in the host (`<bucket>.s3.<region>.amazonaws.com`, virtual-hosted
//! style) and the path loses its `/{Bucket}`; `ForcePathStyle` puts it back in the path. The
//! requests really go to moto: a transport that resolves every host to moto's address (as
//! `curl --resolve` does) sends them over plain HTTP with their `Host` header unchanged, and
//! moto, which reads the bucket from the `Host` header as S3 does, stores and serves the
//! objects.
#![cfg(reference_data)]

use moto_tests::clients::s3::Client;
use moto_tests::MotoServer;
use smithy_runtime::http::{BoxFuture, HttpClient, HttpRequest, HyperClient, StreamingResponse};
use smithy_runtime::ByteStream;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

const SUITE: &str = "s3 addressing";

/// The (host, path) of each request sent, in order.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Sends every request to one address, keeping its host in the `Host` header, and remembers
/// the host and path each request was made for.
#[derive(Debug)]
struct ResolveTo {
    address: SocketAddr,
    inner: HyperClient,
    seen: Seen,
}

impl HttpClient for ResolveTo {
    fn call(
        &self,
        mut request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, smithy_runtime::error::DispatchError>> {
        let uri = request.uri().clone();
        let host = uri.authority().map(|a| a.to_string()).unwrap_or_default();
        let path_and_query = uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default();
        self.seen
            .lock()
            .expect("not poisoned")
            .push((host.clone(), uri.path().to_string()));
        *request.uri_mut() = format!("http://{}{path_and_query}", self.address)
            .parse()
            .expect("a valid URI");
        request.headers_mut().insert(
            http::header::HOST,
            host.parse().expect("a valid Host header"),
        );
        self.inner.call(request)
    }
}

fn client(server: &MotoServer, force_path_style: bool) -> (Client, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let address: SocketAddr = server
        .url()
        .trim_start_matches("http://")
        .parse()
        .expect("moto's address");
    let transport = ResolveTo {
        address,
        inner: HyperClient::new(None).expect("a transport"),
        seen: seen.clone(),
    };
    let config = smithy_runtime::client::Config::builder()
        .region("us-west-2")
        .credentials_provider(moto_tests::credentials())
        .http_client(transport)
        .endpoint_param("ForcePathStyle", force_path_style)
        .build()
        .expect("a valid configuration");
    (Client::from_conf(config), seen)
}

#[tokio::test]
async fn the_bucket_goes_in_the_host_unless_path_style_is_forced() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let (virtual_hosted, seen) = client(&server, false);
    virtual_hosted
        .create_bucket()
        .bucket("addressing-test")
        .create_bucket_configuration(
            moto_tests::clients::s3::types::CreateBucketConfiguration::builder()
                .location_constraint(
                    moto_tests::clients::s3::types::BucketLocationConstraint::UsWest2,
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateBucket (virtual-hosted)");
    virtual_hosted
        .put_object()
        .bucket("addressing-test")
        .key("docs/readme.txt")
        .body(ByteStream::new(&b"hello from the host"[..]))
        .send()
        .await
        .expect("PutObject (virtual-hosted)");
    assert_eq!(
        seen.lock().expect("not poisoned").clone(),
        [
            (
                "addressing-test.s3.us-west-2.amazonaws.com".to_string(),
                "/".to_string()
            ),
            (
                "addressing-test.s3.us-west-2.amazonaws.com".to_string(),
                "/docs/readme.txt".to_string()
            ),
        ]
    );

    let (path_style, seen) = client(&server, true);
    let object = path_style
        .get_object()
        .bucket("addressing-test")
        .key("docs/readme.txt")
        .send()
        .await
        .expect("GetObject (path-style)");
    let body = object.body.collect().await.expect("the body");
    assert_eq!(&body[..], b"hello from the host");
    assert_eq!(
        seen.lock().expect("not poisoned").clone(),
        [(
            "s3.us-west-2.amazonaws.com".to_string(),
            "/addressing-test/docs/readme.txt".to_string()
        )]
    );
}
