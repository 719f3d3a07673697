//! Where the credentials cache reads the time, behind a trait so tests can use virtual time.
//!
//! Expiry times are wall-clock instants ([`DateTime`]), so the cache needs wall-clock "now";
//! [`SystemTimeSource`] reads the system clock. [`TokioTimeSource`] is the system clock at its
//! creation plus the time elapsed on tokio's clock since, so under `tokio::time::pause` (or
//! `#[tokio::test(start_paused = true)]`) it moves only when the test advances time.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::DateTime;

/// A source of the current wall-clock time.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> DateTime;
}

/// A shareable [`TimeSource`].
pub type SharedTimeSource = Arc<dyn TimeSource>;

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemTimeSource;

impl TimeSource for SystemTimeSource {
    fn now(&self) -> DateTime {
        DateTime::now()
    }
}

/// The system time when created, advanced by tokio's clock (which tests can pause and advance).
#[derive(Clone, Copy, Debug)]
pub struct TokioTimeSource {
    start_wall: DateTime,
    start: tokio::time::Instant,
}

impl TokioTimeSource {
    /// Starts at the current system time.
    pub fn new() -> Self {
        Self::starting_at(DateTime::now())
    }

    /// Starts at `start` (e.g. a fixed instant in a test).
    pub fn starting_at(start: DateTime) -> Self {
        Self {
            start_wall: start,
            start: tokio::time::Instant::now(),
        }
    }
}

impl Default for TokioTimeSource {
    fn default() -> Self {
        Self::new()
    }
}

impl TimeSource for TokioTimeSource {
    fn now(&self) -> DateTime {
        add(self.start_wall, self.start.elapsed())
    }
}

impl<T: TimeSource + ?Sized> TimeSource for Arc<T> {
    fn now(&self) -> DateTime {
        (**self).now()
    }
}

/// `time + duration` (saturating).
pub(crate) fn add(time: DateTime, duration: Duration) -> DateTime {
    let nanos = time.subsec_nanos() + duration.subsec_nanos();
    let seconds = i64::try_from(duration.as_secs())
        .ok()
        .and_then(|secs| time.secs().checked_add(secs));
    match seconds {
        Some(seconds) => DateTime::from_secs_and_nanos(seconds, nanos),
        None => DateTime::MAX,
    }
}

/// `time - duration` (saturating).
pub(crate) fn sub(time: DateTime, duration: Duration) -> DateTime {
    let total = time.as_millis() - duration.as_millis() as i128;
    i64::try_from(total).map_or(DateTime::MIN, DateTime::from_millis)
}

/// How long from `now` until `later` (zero when `later` has passed).
pub(crate) fn until(now: DateTime, later: DateTime) -> Duration {
    let millis = later.as_millis() - now.as_millis();
    Duration::from_millis(u64::try_from(millis.max(0)).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let t = DateTime::from_secs(100);
        assert_eq!(
            add(t, Duration::from_millis(1500)),
            DateTime::from_millis(101_500)
        );
        assert_eq!(sub(t, Duration::from_secs(40)), DateTime::from_secs(60));
        assert_eq!(add(DateTime::MAX, Duration::from_secs(1)), DateTime::MAX);
        assert_eq!(until(t, DateTime::from_secs(90)), Duration::ZERO);
        assert_eq!(until(t, DateTime::from_secs(103)), Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn tokio_time_follows_the_paused_clock() {
        let source = TokioTimeSource::starting_at(DateTime::from_secs(1_000));
        assert_eq!(source.now(), DateTime::from_secs(1_000));
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(source.now(), DateTime::from_secs(1_030));
    }
}
