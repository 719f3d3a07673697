//! Sleeping, behind a trait so tests can control time.
//!
//! Everything in the pipeline that waits (retry backoff, timeouts, waiter delays) asks the
//! configured [`Sleep`] for a future instead of calling an async runtime directly. The default,
//! [`TokioSleep`], uses tokio's timer, so `#[tokio::test(start_paused = true)]` already gives
//! virtual time; a test can also install its own implementation (e.g. one that records the
//! requested durations and returns at once).

use crate::http::BoxFuture;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Produces futures that complete after a duration.
pub trait Sleep: Send + Sync + fmt::Debug {
    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// A shareable [`Sleep`].
pub type SharedSleep = Arc<dyn Sleep>;

/// Sleeps on tokio's timer (honours tokio's paused, virtual time in tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

impl<S: Sleep + ?Sized> Sleep for Arc<S> {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        (**self).sleep(duration)
    }
}
