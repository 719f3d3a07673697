//! The connector behind [`HyperClient`](super::HyperClient): straight to the endpoint, through
//! an HTTP `CONNECT` tunnel (hyper-util's `Tunnel`) for `https://` endpoints behind a proxy
//! (then TLS with the endpoint inside the tunnel), or to the proxy itself for forwarded
//! `http://` requests (the connection is then marked as proxied, so hyper writes
//! absolute-form request targets).

use super::proxy::ProxyConfig;
use crate::body::BoxError;
use crate::http::BoxFuture;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tower_service::Service;

/// A connection: TCP (maybe with TLS) to the endpoint, through a tunnel, or to a forward proxy.
pub(crate) struct ProxyStream {
    inner: MaybeHttpsStream<TokioIo<TcpStream>>,
    /// Connected to a forward proxy: requests carry absolute-form targets.
    forwarded: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.inner.connected().proxy(self.forwarded)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
}

/// Connects directly, through a tunnel, or to a forward proxy, as [`ProxyConfig`] says.
#[derive(Clone, Debug)]
pub(crate) struct ProxyConnector {
    direct: HttpsConnector<HttpConnector>,
    /// TLS over a `CONNECT` tunnel through the HTTPS proxy, when there is one.
    tunnel: Option<HttpsConnector<Tunnel<HttpConnector>>>,
    /// TCP to a forward proxy.
    tcp: HttpConnector,
    proxies: Arc<ProxyConfig>,
}

impl ProxyConnector {
    /// `tcp` is the TCP connector (its settings serve every route); `tls` the TLS settings.
    pub(crate) fn new(
        tcp: HttpConnector,
        tls: Arc<rustls::ClientConfig>,
        proxies: Arc<ProxyConfig>,
    ) -> ProxyConnector {
        let tunnel = proxies.https_proxy().map(|proxy| {
            let mut tunnel = Tunnel::new(proxy.uri().clone(), tcp.clone());
            if let Some(authorization) = proxy.authorization() {
                tunnel = tunnel.with_auth(authorization.clone());
            }
            HttpsConnector::from((tunnel, tls.clone()))
        });
        ProxyConnector {
            direct: HttpsConnector::from((tcp.clone(), tls)),
            tunnel,
            tcp,
            proxies,
        }
    }
}

impl Service<http::Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<ProxyStream, BoxError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // hyper-util's TCP connector, its tunnel and hyper-rustls are always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let proxy = self.proxies.intercept(&dst).map(|p| p.uri().clone());
        let https = dst.scheme_str() == Some("https");
        match (proxy, &mut self.tunnel) {
            (Some(_), Some(tunnel)) if https => {
                tracing::debug!(host = dst.host(), "connecting through the proxy's tunnel");
                let connecting = tunnel.call(dst);
                Box::pin(async move {
                    Ok(ProxyStream {
                        inner: connecting.await?,
                        forwarded: false,
                    })
                })
            }
            (Some(proxy), _) => {
                tracing::debug!(host = dst.host(), "forwarding through the proxy");
                let connecting = self.tcp.call(proxy);
                Box::pin(async move {
                    Ok(ProxyStream {
                        inner: MaybeHttpsStream::Http(connecting.await?),
                        forwarded: true,
                    })
                })
            }
            (None, _) => {
                let connecting = self.direct.call(dst);
                Box::pin(async move {
                    Ok(ProxyStream {
                        inner: connecting.await?,
                        forwarded: false,
                    })
                })
            }
        }
    }
}
