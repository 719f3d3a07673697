//! The token bucket of adaptive retries: it fills at the allowed send rate, holds at most one
//! second's worth of tokens (and at least one), and every request takes a token, waiting for
//! it when the bucket is empty.

/// The slowest fill rate: a client is never held below one request per two seconds.
pub(crate) const MIN_FILL_RATE: f64 = 0.5;

/// The bucket always holds at least one token's room, so a request can pass.
pub(crate) const MIN_CAPACITY: f64 = 1.0;

/// Tokens and their fill rate, on the limiter's clock (seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TokenBucket {
    /// Tokens added per second.
    fill_rate: f64,
    /// The most tokens held.
    max_capacity: f64,
    /// Tokens held now; below zero when requests have reserved tokens still to come.
    capacity: f64,
    /// When the bucket was last filled; `None` before its first use.
    last_refill: Option<f64>,
}

impl Default for TokenBucket {
    fn default() -> Self {
        TokenBucket {
            fill_rate: MIN_FILL_RATE,
            max_capacity: MIN_CAPACITY,
            capacity: 0.0,
            last_refill: None,
        }
    }
}

impl TokenBucket {
    /// The rate at which tokens are added.
    pub(crate) fn fill_rate(&self) -> f64 {
        self.fill_rate
    }

    /// Tokens held now (negative while reserved ones are still to come), for tests.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> f64 {
        self.capacity
    }

    /// Adds the tokens earned since the last fill, up to the capacity.
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let earned = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + earned).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    /// Sets the fill rate (at least [`MIN_FILL_RATE`]) and the capacity (the rate, at least
    /// [`MIN_CAPACITY`]); tokens earned at the old rate are counted first.
    pub(crate) fn set_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Takes one token for a request at `now` and returns how many seconds the request must
    /// wait for it (0 when one is there). The token is reserved at once, so requests arriving
    /// meanwhile queue up behind it rather than all taking the next one.
    pub(crate) fn acquire(&mut self, now: f64) -> f64 {
        self.refill(now);
        let wait = if self.capacity >= 1.0 {
            0.0
        } else {
            (1.0 - self.capacity) / self.fill_rate
        };
        self.capacity -= 1.0;
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_wait_for_tokens_at_the_fill_rate() {
        let mut bucket = TokenBucket::default();
        bucket.set_rate(2.0, 0.0);
        // Empty at first: the first request waits half a second, the next one a second.
        assert_eq!(bucket.acquire(0.0), 0.5);
        assert_eq!(bucket.acquire(0.0), 1.0);
        assert_eq!(bucket.capacity(), -2.0);
        // Two seconds later four tokens were earned: two were owed, two are there.
        assert_eq!(bucket.acquire(2.0), 0.0);
        assert_eq!(bucket.acquire(2.0), 0.0);
        assert_eq!(bucket.acquire(2.0), 0.5);
    }

    #[test]
    fn capacity_is_one_second_of_tokens_and_the_rate_has_a_floor() {
        let mut bucket = TokenBucket::default();
        bucket.set_rate(4.0, 0.0);
        // A long idle time earns no more than four tokens.
        for _ in 0..4 {
            assert_eq!(bucket.acquire(100.0), 0.0);
        }
        assert_eq!(bucket.acquire(100.0), 0.25);
        bucket.set_rate(0.1, 100.0);
        assert_eq!(bucket.fill_rate(), MIN_FILL_RATE);
        // One token owed (-1) at 0.5 tokens per second: the next waits (1 - -1) / 0.5 s.
        assert_eq!(bucket.acquire(100.0), 4.0);
    }

    #[test]
    fn lowering_the_rate_drops_tokens_above_the_new_capacity() {
        let mut bucket = TokenBucket::default();
        bucket.set_rate(10.0, 0.0);
        bucket.set_rate(10.0, 5.0);
        assert_eq!(bucket.capacity(), 10.0);
        bucket.set_rate(3.0, 5.0);
        assert_eq!(bucket.capacity(), 3.0);
    }
}
