//! Timeouts: configuration, and racing a future against a [`Sleep`].
//!
//! Three limits, each optional:
//! * **connect**: establishing a connection; applied by the default transport (a custom
//!   [`HttpClient`](crate::http::HttpClient) applies its own);
//! * **attempt**: one HTTP request/response exchange, retried like a transient error;
//! * **operation**: the whole call, all attempts and backoff included; never retried;
//! * **read idle**: a response body that delivers nothing for this long fails (five seconds by
//!   default; see [`crate::stalled`]), so a peer that dies mid-response never hangs a reader.

use crate::sleep::Sleep;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

/// The default connect timeout (the AWS SDKs' 3.1 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// The default read-idle limit (the AWS SDKs' stalled-stream grace period, 5 s).
pub const DEFAULT_READ_IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// Timeout settings of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
    read_idle: Option<Duration>,
}

impl Default for TimeoutConfig {
    /// Connect timeout 3.1 s; no attempt or operation timeout (as in the AWS SDKs); read idle
    /// 5 s (the SDKs' stalled-stream protection).
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(DEFAULT_CONNECT_TIMEOUT),
            attempt: None,
            operation: None,
            read_idle: Some(DEFAULT_READ_IDLE_TIMEOUT),
        }
    }
}

impl TimeoutConfig {
    /// The defaults (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// No timeouts at all (stalled-response protection off too).
    pub fn disabled() -> Self {
        TimeoutConfig {
            connect: None,
            attempt: None,
            operation: None,
            read_idle: None,
        }
    }

    /// Limits connection establishment (default transport only).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect = Some(limit);
        self
    }

    /// Limits each attempt (sending the request and reading the whole response).
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.attempt = Some(limit);
        self
    }

    /// Limits the whole operation, retries and backoff included.
    pub fn operation_timeout(mut self, limit: Duration) -> Self {
        self.operation = Some(limit);
        self
    }

    /// Fails a response body that delivers no data for `limit` while it is being read
    /// (default [`DEFAULT_READ_IDLE_TIMEOUT`]); see [`crate::stalled`].
    pub fn read_idle_timeout(mut self, limit: Duration) -> Self {
        self.read_idle = Some(limit);
        self
    }

    /// Turns stalled-response protection off (a response body may then wait forever).
    pub fn no_read_idle_timeout(mut self) -> Self {
        self.read_idle = None;
        self
    }

    /// The read-idle limit, if any.
    pub fn read_idle(&self) -> Option<Duration> {
        self.read_idle
    }

    /// The connect timeout, if any.
    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout, if any.
    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    /// The whole-operation timeout, if any.
    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }
}

/// The limit that fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed(pub Duration);

/// Runs `future`, giving up with [`Elapsed`] once `limit` has passed on `sleep`'s clock.
///
/// With no limit the future simply runs to completion.
pub async fn timeout<F: Future>(
    sleep: &dyn Sleep,
    limit: Option<Duration>,
    future: F,
) -> Result<F::Output, Elapsed> {
    let Some(limit) = limit else {
        return Ok(future.await);
    };
    let mut future = pin!(future);
    let mut timer = sleep.sleep(limit);
    poll_fn(|cx| {
        // The work is polled first so that a result ready together with the timer still wins.
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed(limit))),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sleep::TokioSleep;

    #[tokio::test(start_paused = true)]
    async fn fires_only_when_the_limit_passes() {
        let fast = timeout(&TokioSleep, Some(Duration::from_secs(5)), async { 7 }).await;
        assert_eq!(fast, Ok(7));
        let slow = timeout(
            &TokioSleep,
            Some(Duration::from_secs(5)),
            std::future::pending::<()>(),
        )
        .await;
        assert_eq!(slow, Err(Elapsed(Duration::from_secs(5))));
        let unlimited = timeout(&TokioSleep, None, async { 1 }).await;
        assert_eq!(unlimited, Ok(1));
    }
}
