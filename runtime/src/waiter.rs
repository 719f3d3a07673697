//! The engine behind generated `wait_until_*` methods (`smithy.waiters#waitable`).
//!
//! Generated code supplies the polling call (send the operation again) and a classifier built
//! from the waiter's acceptors; [`wait`] runs the loop of the Smithy waiters specification:
//!
//! * poll; the first acceptor that matches decides: `success` and `failure` stop, `retry` waits;
//! * no acceptor matched: an error fails the waiter, a successful response waits;
//! * between polls it sleeps `random[minDelay, min(minDelay·2^(attempt−1), maxDelay)]` (just
//!   `maxDelay` once `attempt` exceeds `ln(maxDelay/minDelay)/ln 2 + 1`);
//! * when `remaining − delay ≤ minDelay` it sleeps `remaining − minDelay` instead and polls one
//!   last time; past the maximum wait it gives up.
//!
//! Time is measured on tokio's clock and sleeping goes through the client's
//! [`Sleep`](crate::sleep::Sleep), so paused tokio time makes waiter tests instant.

use crate::client::Config;
use crate::error::SdkError;
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// Default `minDelay` of a waiter.
pub const DEFAULT_MIN_DELAY: Duration = Duration::from_secs(2);
/// Default `maxDelay` of a waiter.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(120);

/// The delays of one waiter plus the caller's total time budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaiterConfig {
    /// Shortest delay between polls (the waiter's `minDelay`).
    pub min_delay: Duration,
    /// Longest delay between polls (the waiter's `maxDelay`).
    pub max_delay: Duration,
    /// Give up after this much time in total.
    pub max_wait: Duration,
}

impl WaiterConfig {
    /// Delays from the model and the caller's maximum wait.
    pub fn new(min_delay: Duration, max_delay: Duration, max_wait: Duration) -> Self {
        WaiterConfig {
            min_delay,
            max_delay,
            max_wait,
        }
    }

    /// The specification's default delays (2 s and 120 s) with the given maximum wait.
    pub fn with_max_wait(max_wait: Duration) -> Self {
        WaiterConfig::new(DEFAULT_MIN_DELAY, DEFAULT_MAX_DELAY, max_wait)
    }

    fn validate(&self) -> Result<(), String> {
        if self.min_delay.is_zero() {
            return Err("min_delay must be greater than zero".into());
        }
        if self.max_delay < self.min_delay {
            return Err(format!(
                "max_delay ({:?}) must not be less than min_delay ({:?})",
                self.max_delay, self.min_delay
            ));
        }
        if self.max_wait.is_zero() {
            return Err("max_wait must be greater than zero".into());
        }
        Ok(())
    }

    /// The delay before poll `attempt + 1`, given `remaining` time and a random number in
    /// `[0, 1]`; `true` when that poll must be the last.
    pub fn delay(&self, attempt: u32, remaining: Duration, random: f64) -> (Duration, bool) {
        let ceiling =
            (self.max_delay.as_secs_f64() / self.min_delay.as_secs_f64()).ln() / 2f64.ln() + 1.0;
        let upper = if f64::from(attempt) > ceiling {
            self.max_delay
        } else {
            // attempt − 1 ≤ log2(max/min) here, so this cannot exceed max_delay; the `min`
            // only guards against rounding.
            let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
            self.min_delay
                .checked_mul(factor)
                .unwrap_or(self.max_delay)
                .min(self.max_delay)
        };
        let delay = self.min_delay + (upper - self.min_delay).mul_f64(random.clamp(0.0, 1.0));
        if remaining.saturating_sub(delay) <= self.min_delay {
            (remaining.saturating_sub(self.min_delay), true)
        } else {
            (delay, false)
        }
    }
}

/// The state an acceptor moves the waiter to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// Done: the resource reached the desired state.
    Success,
    /// Done: the resource will never reach the desired state.
    Failure,
    /// Not yet: poll again.
    Retry,
}

/// The poll that a `success` acceptor matched (an output, or an error for acceptors such as
/// `errorType` on a deletion waiter).
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, SdkError<E>>,
    attempts: u32,
}

impl<O, E> FinalPoll<O, E> {
    /// The matched result.
    pub fn result(&self) -> &Result<O, SdkError<E>> {
        &self.result
    }

    /// Takes the matched result.
    // `SdkError` keeps whole responses on purpose (nothing is lost), so it is large.
    #[allow(clippy::result_large_err)]
    pub fn into_result(self) -> Result<O, SdkError<E>> {
        self.result
    }

    /// The output, when the matched poll succeeded.
    pub fn output(&self) -> Option<&O> {
        self.result.as_ref().ok()
    }

    /// How many polls were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// Why a waiter did not succeed.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The waiter configuration is unusable (e.g. `min_delay` of zero).
    InvalidConfig(String),
    /// A `failure` acceptor matched; `last` is the poll it matched.
    FailureState {
        /// The matched poll.
        last: Result<O, SdkError<E>>,
        /// How many polls were made.
        attempts: u32,
    },
    /// A poll failed and no acceptor matched the error.
    UnexpectedError {
        /// The error.
        error: SdkError<E>,
        /// How many polls were made.
        attempts: u32,
    },
    /// The maximum wait passed before the waiter finished; `last` is the final poll.
    MaxWaitExceeded {
        /// The configured maximum wait.
        max_wait: Duration,
        /// The final poll.
        last: Result<O, SdkError<E>>,
        /// How many polls were made.
        attempts: u32,
    },
}

impl<O, E> WaiterError<O, E> {
    /// How many polls were made (0 for an invalid configuration).
    pub fn attempts(&self) -> u32 {
        match self {
            WaiterError::InvalidConfig(_) => 0,
            WaiterError::FailureState { attempts, .. }
            | WaiterError::UnexpectedError { attempts, .. }
            | WaiterError::MaxWaitExceeded { attempts, .. } => *attempts,
        }
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::InvalidConfig(reason) => write!(f, "invalid waiter configuration: {reason}"),
            WaiterError::FailureState { attempts, .. } => write!(
                f,
                "the waiter reached a failure state after {attempts} attempt(s)"
            ),
            WaiterError::UnexpectedError { error, attempts } => write!(
                f,
                "the waiter failed after {attempts} attempt(s) on an error no acceptor matched: {error}"
            ),
            WaiterError::MaxWaitExceeded {
                max_wait, attempts, ..
            } => write!(
                f,
                "the waiter gave up after {attempts} attempt(s): maximum wait of {max_wait:?} exceeded"
            ),
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::UnexpectedError { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Polls until an acceptor says success or failure, or time runs out.
///
/// `poll` sends the operation once; `classify` maps a poll's result to the state of the first
/// matching acceptor, or `None` when none matches. Sleeping and jitter come from `config`
/// ([`Config::sleep_impl`], [`Config::random_source`]).
pub async fn wait<O, E, F, Fut, C>(
    config: &Config,
    waiter: WaiterConfig,
    mut poll: F,
    classify: C,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
    C: Fn(&Result<O, SdkError<E>>) -> Option<AcceptorState>,
{
    waiter.validate().map_err(WaiterError::InvalidConfig)?;
    let start = tokio::time::Instant::now();
    let mut attempts = 0;
    let mut last_chance = false;
    loop {
        attempts += 1;
        let result = poll().await;
        let state = classify(&result);
        tracing::debug!(attempts, ?state, ok = result.is_ok(), "waiter poll");
        match state {
            Some(AcceptorState::Success) => return Ok(FinalPoll { result, attempts }),
            Some(AcceptorState::Failure) => {
                return Err(WaiterError::FailureState {
                    last: result,
                    attempts,
                })
            }
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::UnexpectedError { error, attempts });
                }
            }
            Some(AcceptorState::Retry) => {}
        }
        let remaining = waiter.max_wait.saturating_sub(start.elapsed());
        if last_chance || remaining.is_zero() {
            return Err(WaiterError::MaxWaitExceeded {
                max_wait: waiter.max_wait,
                last: result,
                attempts,
            });
        }
        let (delay, last) = waiter.delay(attempts, remaining, config.random_source().sample());
        last_chance = last;
        config.sleep_impl().sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn delays_follow_the_spec() {
        let waiter = WaiterConfig::with_max_wait(S(3600));
        let upper: Vec<Duration> = (1..=9)
            .map(|attempt| waiter.delay(attempt, S(3600), 1.0).0)
            .collect();
        assert_eq!(
            upper,
            [2, 4, 8, 16, 32, 64, 120, 120, 120].map(S).to_vec(),
            "ceiling = ln(60)/ln(2) + 1 ≈ 6.9"
        );
        for attempt in 1..=9 {
            assert_eq!(waiter.delay(attempt, S(3600), 0.0), (S(2), false));
        }
        assert_eq!(waiter.delay(3, S(3600), 0.5), (S(5), false));
    }

    #[test]
    fn the_last_delay_leaves_min_delay() {
        let waiter = WaiterConfig::new(S(2), S(10), S(60));
        assert_eq!(waiter.delay(1, S(20), 1.0), (S(2), false));
        // 10 s would leave 2 s <= min_delay: sleep remaining - min_delay, then poll a last time.
        assert_eq!(waiter.delay(5, S(12), 1.0), (S(10), true));
        assert_eq!(waiter.delay(5, S(11), 1.0), (S(9), true));
        assert_eq!(waiter.delay(1, S(1), 0.0), (S(0), true));
    }

    #[test]
    fn rejects_unusable_configs() {
        assert!(WaiterConfig::new(S(0), S(1), S(1)).validate().is_err());
        assert!(WaiterConfig::new(S(5), S(1), S(10)).validate().is_err());
        assert!(WaiterConfig::new(S(1), S(1), S(0)).validate().is_err());
        assert!(WaiterConfig::with_max_wait(S(1)).validate().is_ok());
    }
}
