//! Stalled-response protection: a response body that delivers nothing for a while fails with a
//! typed error instead of hanging its reader forever.
//!
//! The AWS SDKs call this stalled-stream protection and give a stream a five-second grace
//! period before they judge its throughput; this runtime does the same with the simplest rule
//! that catches a dead peer: no byte (and no end) for [`TimeoutConfig::read_idle`], five
//! seconds by default, fails the body. The clock runs only while the reader is waiting for the
//! next chunk, so a reader that is slow to ask never trips it, and it restarts with every chunk.
//! Event streams (`application/vnd.amazon.eventstream` responses) are not watched: silence
//! between their events is the service's to decide.
//!
//! The clock is tokio's (the transport's own), not the configured
//! [`Sleep`](crate::sleep::Sleep): that one paces retries, and tests replace it with one that
//! returns at once, which would make every wait for a chunk a stall. Tokio's paused time still
//! gives tests virtual time here.
//!
//! [`TimeoutConfig::read_idle`]: crate::timeout::TimeoutConfig::read_idle

use crate::body::{Body, BoxError};
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

/// A response body stopped delivering data (see the module documentation).
#[derive(Debug)]
pub struct StalledResponse {
    /// How long it delivered nothing.
    pub idle: Duration,
}

impl std::fmt::Display for StalledResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the response stalled: no data for {:?} (TimeoutConfig::read_idle_timeout)",
            self.idle
        )
    }
}

impl std::error::Error for StalledResponse {}

/// A body that fails with [`StalledResponse`] once its inner body has been pending for `idle`.
pub(crate) struct IdleGuard {
    inner: Body,
    idle: Duration,
    /// The running idle timer; `None` between chunks. A `Mutex` only to make the guard `Sync`
    /// (as [`Body`] must be); it is never contended, since a body is polled by one reader.
    timer: Mutex<Option<Pin<Box<tokio::time::Sleep>>>>,
}

impl IdleGuard {
    /// Guards `inner` with the idle limit `idle`.
    pub(crate) fn wrap(inner: Body, idle: Duration) -> Body {
        Body::from_body(IdleGuard {
            inner,
            idle,
            timer: Mutex::new(None),
        })
    }
}

impl http_body::Body for IdleGuard {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let timer = this.timer.get_mut().unwrap_or_else(|e| e.into_inner());
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                *timer = None;
                Poll::Ready(frame)
            }
            Poll::Pending => {
                let running = timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(this.idle)));
                match running.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        *timer = None;
                        Poll::Ready(Some(Err(Box::new(StalledResponse { idle: this.idle }))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body of one chunk, then `gap` of nothing, then a second chunk.
    struct Gapped {
        chunks_sent: usize,
        gap: Pin<Box<tokio::time::Sleep>>,
    }

    impl http_body::Body for Gapped {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            match self.chunks_sent {
                0 => {
                    self.chunks_sent = 1;
                    Poll::Ready(Some(Ok(Frame::data(Bytes::from("first")))))
                }
                1 => {
                    std::task::ready!(self.gap.as_mut().poll(cx));
                    self.chunks_sent = 2;
                    Poll::Ready(Some(Ok(Frame::data(Bytes::from("second")))))
                }
                _ => Poll::Ready(None),
            }
        }
    }

    fn gapped(gap: Duration) -> Body {
        Body::from_body(Gapped {
            chunks_sent: 0,
            gap: Box::pin(tokio::time::sleep(gap)),
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_gap_longer_than_the_limit_fails_the_body() {
        let body = IdleGuard::wrap(gapped(Duration::from_secs(6)), Duration::from_secs(5));
        let error = body.collect().await.expect_err("stalled");
        let stalled = error
            .downcast_ref::<StalledResponse>()
            .expect("a StalledResponse");
        assert_eq!(stalled.idle, Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn gaps_shorter_than_the_limit_pass() {
        let body = IdleGuard::wrap(gapped(Duration::from_secs(4)), Duration::from_secs(5));
        let bytes = body.collect().await.expect("not stalled");
        assert_eq!(&bytes[..], b"firstsecond");
    }
}
