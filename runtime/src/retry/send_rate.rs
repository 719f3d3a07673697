//! The measured send rate of adaptive retries: responses are counted in half-second buckets,
//! and each finished bucket updates an exponentially smoothed rate (requests per second).

/// How much a new bucket's rate counts against the history.
const SMOOTHING: f64 = 0.8;

/// Buckets per second (half-second buckets).
const BUCKETS_PER_SECOND: f64 = 2.0;

/// The smoothed rate at which this client sends requests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SendRate {
    /// Requests per second, smoothed.
    measured: f64,
    /// The start of the bucket being counted (seconds).
    bucket: f64,
    /// Requests counted since then.
    count: u64,
}

impl SendRate {
    /// Starts measuring at `now`.
    pub(crate) fn new(now: f64) -> SendRate {
        SendRate {
            measured: 0.0,
            bucket: bucket_of(now),
            count: 0,
        }
    }

    /// The rate measured so far.
    pub(crate) fn measured(&self) -> f64 {
        self.measured
    }

    /// Counts a request answered at `now`; once a later bucket starts, the count since the
    /// previous bucket start becomes a rate and is blended into the measured rate.
    pub(crate) fn record(&mut self, now: f64) -> f64 {
        self.count += 1;
        let bucket = bucket_of(now);
        if bucket > self.bucket {
            let rate = self.count as f64 / (bucket - self.bucket);
            self.measured = rate * SMOOTHING + self.measured * (1.0 - SMOOTHING);
            self.count = 0;
            self.bucket = bucket;
        }
        self.measured
    }
}

fn bucket_of(now: f64) -> f64 {
    (now * BUCKETS_PER_SECOND).floor() / BUCKETS_PER_SECOND
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_rate_is_measured_and_recent_buckets_weigh_most() {
        // botocore's RateClocker cases: one request a second at t = 1 gives 0.8, and a steady
        // one a second converges on 1.
        let mut rate = SendRate::new(0.0);
        assert_eq!(rate.record(1.0), 0.8);
        for t in 2..=20 {
            rate.record(f64::from(t));
        }
        assert!((rate.measured() - 1.0).abs() < 1e-9, "{}", rate.measured());
        // Requests within one bucket only count once the bucket is over.
        let mut rate = SendRate::new(0.0);
        assert_eq!(rate.record(0.1), 0.0);
        assert_eq!(rate.record(0.3), 0.0);
        assert_eq!(rate.record(0.6), 3.0 / 0.5 * 0.8);
    }
}
