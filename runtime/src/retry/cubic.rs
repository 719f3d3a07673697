//! The CUBIC rate calculation of adaptive retries (after TCP CUBIC, RFC 8312): a throttling
//! response cuts the allowed send rate to `BETA` × the rate that was being sent, and successes
//! then let it grow along a cubic curve that flattens out around that old rate (the rate at
//! which the service last pushed back) before probing above it.

/// The share of the send rate kept after a throttling response.
pub(crate) const BETA: f64 = 0.7;

/// How fast the rate grows back after a throttling response.
pub(crate) const SCALE_CONSTANT: f64 = 0.4;

/// CUBIC's state: the rate when last throttled and when that was.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Cubic {
    /// The send rate (requests per second) when the last throttling response arrived.
    last_max_rate: f64,
    /// When it arrived (seconds on the limiter's clock).
    last_throttle_time: f64,
    /// How long after a throttle the curve is back at `last_max_rate`:
    /// `∛(last_max_rate × (1 − BETA) / SCALE_CONSTANT)`.
    time_window: f64,
}

impl Cubic {
    /// A curve last throttled at `last_max_rate` at time `last_throttle_time`.
    pub(crate) fn new(last_max_rate: f64, last_throttle_time: f64) -> Cubic {
        Cubic {
            last_max_rate,
            last_throttle_time,
            time_window: time_window(last_max_rate),
        }
    }

    /// A throttling response at `now` while sending at `rate`: the curve restarts from there,
    /// and the new allowed rate is `rate × BETA`.
    pub(crate) fn on_throttle(&mut self, rate: f64, now: f64) -> f64 {
        *self = Cubic::new(rate, now);
        rate * BETA
    }

    /// The allowed rate at `now` after a successful response:
    /// `SCALE_CONSTANT × (now − last_throttle_time − time_window)³ + last_max_rate`.
    pub(crate) fn on_success(&self, now: f64) -> f64 {
        let t = now - self.last_throttle_time - self.time_window;
        SCALE_CONSTANT * t.powi(3) + self.last_max_rate
    }

    /// The curve's time window (see the field), for tests.
    #[cfg(test)]
    pub(crate) fn time_window(&self) -> f64 {
        self.time_window
    }
}

fn time_window(last_max_rate: f64) -> f64 {
    (last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn time_windows_of_the_reference_implementations() {
        // botocore's tests/unit/retries/test_throttling.py: k for a max rate of 10, and of 8
        // after an error.
        close(Cubic::new(10.0, 0.0).time_window(), 1.9574338205844317);
        let mut cubic = Cubic::new(10.0, 0.0);
        close(cubic.on_throttle(8.0, 1.0), 8.0 * 0.7);
        close(cubic.time_window(), 1.8171205928321397);
        assert_eq!(cubic.last_throttle_time, 1.0);
        // At the time window the curve is back at the old maximum, and right after a
        // throttle it is at BETA × that maximum.
        close(Cubic::new(10.0, 0.0).on_success(1.9574338205844317), 10.0);
        close(cubic.on_success(1.0), 8.0 * 0.7);
    }

    /// The AWS SDKs' shared CUBIC cases: a curve throttled at 10 requests/s at t = 5, then
    /// responses at each timestamp, with the rate each gives. A throttle restarts the curve
    /// from the rate the previous step calculated.
    fn run(steps: &[(bool, f64, f64)]) {
        let mut cubic = Cubic::new(10.0, 5.0);
        let mut last = 0.0;
        for &(throttled, now, expected) in steps {
            last = if throttled {
                cubic.on_throttle(last, now)
            } else {
                cubic.on_success(now)
            };
            assert!(
                (last - expected).abs() < 1e-6,
                "at {now}: {last} is not {expected}"
            );
        }
    }

    #[test]
    fn successes_grow_along_the_cubic_curve() {
        run(&[
            (false, 5.0, 7.0),
            (false, 6.0, 9.64893600966),
            (false, 7.0, 10.000030849917364),
            (false, 8.0, 10.453284520772092),
            (false, 9.0, 13.408697022224185),
            (false, 10.0, 21.26626835427364),
            (false, 11.0, 36.425998516920465),
        ]);
    }

    #[test]
    fn throttles_cut_the_rate_by_beta_and_restart_the_curve() {
        run(&[
            (false, 5.0, 7.0),
            (false, 6.0, 9.64893600966),
            (true, 7.0, 6.754255206761999),
            (true, 8.0, 4.727978644733399),
            (false, 9.0, 6.606547753887045),
            (false, 10.0, 6.763279816944947),
            (false, 11.0, 7.598174833907107),
            (false, 12.0, 11.511232804773524),
        ]);
    }
}
