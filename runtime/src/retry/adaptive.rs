//! Adaptive retry mode's client-side rate limiter: it learns from throttling responses how
//! fast the service lets this client send, and makes requests wait for a token once the
//! service has throttled it.
//!
//! After every response the measured send rate is updated ([`SendRate`]); a throttling
//! response sets the allowed rate to `BETA` × the rate being sent ([`Cubic`]) and switches the
//! token bucket on; other responses let the allowed rate grow back along the cubic curve, never
//! above twice the measured send rate. The bucket fills at the allowed rate ([`TokenBucket`]).
//! Until the first throttling response no request waits.

use super::bucket::TokenBucket;
use super::cubic::Cubic;
use super::send_rate::SendRate;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The allowed rate never exceeds this multiple of the measured send rate.
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

/// The limiter's state, on a clock of seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct RateLimiterState {
    cubic: Cubic,
    send_rate: SendRate,
    bucket: TokenBucket,
    /// Set by the first throttling response: requests then take tokens.
    enabled: bool,
}

impl RateLimiterState {
    /// A limiter started at `now`.
    pub(crate) fn new(now: f64) -> RateLimiterState {
        RateLimiterState {
            cubic: Cubic::new(0.0, now),
            send_rate: SendRate::new(now),
            bucket: TokenBucket::default(),
            enabled: false,
        }
    }

    /// How many seconds a request about to be sent at `now` waits for its token.
    pub(crate) fn acquire(&mut self, now: f64) -> f64 {
        if self.enabled {
            self.bucket.acquire(now)
        } else {
            0.0
        }
    }

    /// Learns from a response that arrived at `now`.
    pub(crate) fn on_response(&mut self, throttled: bool, now: f64) {
        let measured = self.send_rate.record(now);
        let calculated = if throttled {
            let rate = if self.enabled {
                measured.min(self.bucket.fill_rate())
            } else {
                measured
            };
            self.enabled = true;
            self.cubic.on_throttle(rate, now)
        } else {
            self.cubic.on_success(now)
        };
        let rate = calculated.min(MAX_RATE_ADJUST_SCALE * measured);
        self.bucket.set_rate(rate, now);
    }

    /// The token bucket's fill rate (the allowed requests per second).
    pub(crate) fn fill_rate(&self) -> f64 {
        self.bucket.fill_rate()
    }

    /// The measured send rate.
    pub(crate) fn measured_rate(&self) -> f64 {
        self.send_rate.measured()
    }
}

/// The rate limiter a client's operations share, on tokio's clock (so paused, virtual time in
/// tests drives it too).
#[derive(Clone)]
pub(crate) struct RateLimiter {
    state: Arc<Mutex<RateLimiterState>>,
    start: tokio::time::Instant,
}

impl RateLimiter {
    /// A limiter starting now.
    pub(crate) fn new() -> RateLimiter {
        RateLimiter {
            state: Arc::new(Mutex::new(RateLimiterState::new(0.0))),
            start: tokio::time::Instant::now(),
        }
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, RateLimiterState> {
        // The state is plain numbers, consistent even if a holder panicked.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a token for a request about to be sent; returns how long to wait first.
    pub(crate) fn acquire(&self) -> Duration {
        let now = self.now();
        let wait = self.lock().acquire(now);
        Duration::try_from_secs_f64(wait).unwrap_or(Duration::ZERO)
    }

    /// Learns from an attempt's outcome (`throttled`: the service asked to slow down).
    pub(crate) fn on_response(&self, throttled: bool) {
        let now = self.now();
        self.lock().on_response(throttled, now);
    }

    /// The allowed requests per second now.
    pub(crate) fn fill_rate(&self) -> f64 {
        self.lock().fill_rate()
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("RateLimiter")
            .field("enabled", &state.enabled)
            .field("fill_rate", &state.fill_rate())
            .field("measured_rate", &state.measured_rate())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AWS SDKs' shared end-to-end case: responses at these times (throttled or not),
    /// with the measured send rate and the token bucket's new fill rate after each.
    #[test]
    fn measured_and_allowed_rates_follow_the_reference_sequence() {
        let steps: &[(bool, f64, f64, f64)] = &[
            (false, 0.2, 0.0, 0.5),
            (false, 0.4, 0.0, 0.5),
            (false, 0.6, 4.8, 0.5),
            (false, 0.8, 4.8, 0.5),
            (false, 1.0, 4.16, 0.5),
            (false, 1.2, 4.16, 0.6912),
            (false, 1.4, 4.16, 1.0976),
            (false, 1.6, 5.632, 1.6384),
            (false, 1.8, 5.632, 2.3328),
            (true, 2.0, 4.3264, 3.02848),
            (false, 2.2, 4.3264, 3.486639),
        ];
        let mut limiter = RateLimiterState::new(0.0);
        for &(throttled, now, measured, fill) in steps {
            limiter.on_response(throttled, now);
            let (m, f) = (limiter.measured_rate(), limiter.fill_rate());
            assert!(
                (m - measured).abs() < 1e-3,
                "at {now}: measured {m}, not {measured}"
            );
            assert!(
                (f - fill).abs() < 1e-3,
                "at {now}: fill rate {f}, not {fill}"
            );
        }
    }

    #[test]
    fn requests_wait_only_after_a_throttle() {
        let mut limiter = RateLimiterState::new(0.0);
        for i in 0..10 {
            assert_eq!(limiter.acquire(f64::from(i) * 0.1), 0.0);
            limiter.on_response(false, f64::from(i) * 0.1);
        }
        // Throttled at t = 1 after ten requests in the first second.
        limiter.on_response(true, 1.0);
        let fill = limiter.fill_rate();
        assert!(fill > 0.5 && fill < 10.0, "{fill}");
        // The bucket kept filling while it was off, but holds less than a token now (it fills
        // at well under the rate sent): the next request waits, at most one token's time...
        let wait = limiter.acquire(1.0);
        assert!(wait > 0.0 && wait <= 1.0 / fill, "{wait} vs {}", 1.0 / fill);
        // ...and each one right behind it one token's time more.
        let next = limiter.acquire(1.0);
        assert!((next - wait - 1.0 / fill).abs() < 1e-9, "{next}");
        let third = limiter.acquire(1.0);
        assert!((third - next - 1.0 / fill).abs() < 1e-9, "{third}");
    }
}
