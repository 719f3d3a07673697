//! AWS "standard" retries: which failures are retried, how long to back off, and the client-wide
//! retry quota (token bucket) that stops a struggling service from being hammered.
//!
//! * Retried: throttling (error codes in [`THROTTLING_ERROR_CODES`], HTTP 429, modelled
//!   `@retryable(throttling: true)` errors), transient failures ([`TRANSIENT_ERROR_CODES`],
//!   HTTP 500/502/503/504, modelled `@retryable` errors, transient I/O such as a refused or
//!   reset connection) and attempt timeouts.
//! * Backoff: "full jitter", `random[0, 1) × min(initial × 2^(attempt − 1), max)`, with an
//!   initial backoff of 1 s and at most 20 s.
//! * Quota: a bucket of 500 tokens shared by every operation of a client; a retry costs 5 (10
//!   after a timeout); a successful retried attempt gives its cost back, a success at the first
//!   attempt adds 1. An empty bucket means no more retries until successes refill it.
//! * Adaptive mode ([`RetryMode::Adaptive`]) adds a client-side rate limiter: once the service
//!   has throttled the client, every attempt waits for a token from a bucket filled at the rate
//!   the service seems to allow, learnt with CUBIC from throttling responses (`adaptive`,
//!   `cubic`, `bucket`, `send_rate` modules).

mod adaptive;
mod bucket;
mod cubic;
mod send_rate;

pub(crate) use adaptive::RateLimiter;

use crate::http::{header, HttpResponse};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Error codes that mean "slow down" (as classified by the AWS SDKs).
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of failures that may pass on their own.
pub const TRANSIENT_ERROR_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses retried as transient server errors.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// Why an attempt may be retried; decides the quota cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked the client to slow down.
    Throttling,
    /// A failure that may pass (server error, reset connection, `@retryable` error).
    Transient,
    /// The attempt timed out.
    Timeout,
}

/// Classifies an error response: `Some` when it may be retried.
///
/// Checked in order: the operation's modelled `@retryable` errors (`(code, throttling)` pairs),
/// the AWS throttling and transient error codes, then the HTTP status.
pub fn classify_response(
    response: &HttpResponse,
    retryable_errors: &[(&str, bool)],
) -> Option<RetryKind> {
    let status = response.status().as_u16();
    if response.status().is_success() {
        return None;
    }
    if let Some(code) = error_code(response) {
        if let Some(&(_, throttling)) = retryable_errors.iter().find(|(c, _)| *c == code) {
            return Some(if throttling {
                RetryKind::Throttling
            } else {
                RetryKind::Transient
            });
        }
        if THROTTLING_ERROR_CODES.contains(&code.as_str()) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_ERROR_CODES.contains(&code.as_str()) {
            return Some(RetryKind::Transient);
        }
    }
    match status {
        429 => Some(RetryKind::Throttling),
        s if TRANSIENT_STATUS_CODES.contains(&s) => Some(RetryKind::Transient),
        _ => None,
    }
}

/// The sanitised error code of an error response: an XML body's `<Code>` (restXml, awsQuery,
/// ec2Query: S3's `SlowDown`, IAM's `Throttling` come with a 503 or a 400), else the header or
/// the JSON body's `__type` / `code`.
fn error_code(response: &HttpResponse) -> Option<String> {
    let body = response.body();
    if header(response, "x-amzn-errortype").is_none() && body.is_empty() {
        return None;
    }
    if body.trim_ascii_start().starts_with(b"<") {
        return xml_error_code(body);
    }
    let body = crate::json::parse_body(body).unwrap_or_default();
    crate::rest_json::error_metadata(response, &body).code
}

/// The `<Code>` of an XML error document: `<ErrorResponse><Error>`, a bare `<Error>`, or
/// ec2Query's `<Response><Errors><Error>`.
fn xml_error_code(body: &[u8]) -> Option<String> {
    let (error, _) = crate::rest_xml::error_element(body);
    let error = if error.children.is_empty() {
        crate::query::ec2_error_element(body).0
    } else {
        error
    };
    error
        .children
        .iter()
        .find(|c| c.is("Code"))
        .map(|c| c.text.trim().to_string())
        .filter(|code| !code.is_empty())
}

/// Which retry behaviour a client has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryMode {
    /// Retries with backoff and the retry quota.
    #[default]
    Standard,
    /// Standard retries plus a client-side rate limiter that slows the client down once the
    /// service throttles it (see the module documentation).
    Adaptive,
}

impl RetryMode {
    /// `standard` or `adaptive` (any case); `legacy`, the older SDKs' mode, is taken as
    /// `standard`. `None` for anything else.
    pub fn parse(value: &str) -> Option<RetryMode> {
        let value = value.trim();
        if value.eq_ignore_ascii_case("standard") || value.eq_ignore_ascii_case("legacy") {
            Some(RetryMode::Standard)
        } else if value.eq_ignore_ascii_case("adaptive") {
            Some(RetryMode::Adaptive)
        } else {
            None
        }
    }
}

/// Retry settings of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    quota: Option<QuotaConfig>,
}

/// Capacity and costs of the retry quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct QuotaConfig {
    capacity: u32,
    retry_cost: u32,
    timeout_retry_cost: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// AWS standard mode: 3 attempts, backoff from 1 s up to 20 s, a 500-token quota.
    pub fn standard() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: Some(QuotaConfig {
                capacity: 500,
                retry_cost: 5,
                timeout_retry_cost: 10,
            }),
        }
    }

    /// AWS adaptive mode: standard mode plus the client-side rate limiter.
    pub fn adaptive() -> Self {
        RetryConfig::standard().with_mode(RetryMode::Adaptive)
    }

    /// Sets the retry mode, keeping the other settings.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The retry mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// One attempt, never retried.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::standard()
        }
    }

    /// Total attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff bound of the first retry; it doubles with every further retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The retry quota's size in tokens (a retry costs 5, 10 after a timeout).
    pub fn with_quota_capacity(mut self, capacity: u32) -> Self {
        let mut quota = self
            .quota
            .unwrap_or(RetryConfig::standard().quota.expect("set"));
        quota.capacity = capacity;
        self.quota = Some(quota);
        self
    }

    /// Retries without a quota (every retryable failure is retried up to `max_attempts`).
    pub fn without_quota(mut self) -> Self {
        self.quota = None;
        self
    }

    /// Total attempts allowed.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry number `retry` (1 for the second attempt), given a random
    /// number in `[0, 1]`.
    pub fn backoff(&self, retry: u32, random: f64) -> Duration {
        // Past 2^31 × the initial backoff every bound is the maximum anyway.
        let doubling = 1u32 << retry.saturating_sub(1).min(31);
        let bound = self
            .initial_backoff
            .checked_mul(doubling)
            .map_or(self.max_backoff, |bound| bound.min(self.max_backoff));
        bound.mul_f64(random.clamp(0.0, 1.0))
    }

    pub(crate) fn new_quota(&self) -> Option<RetryQuota> {
        self.quota.map(RetryQuota::new)
    }

    /// The rate limiter of adaptive mode (`None` in standard mode).
    pub(crate) fn new_rate_limiter(&self) -> Option<RateLimiter> {
        (self.mode == RetryMode::Adaptive).then(RateLimiter::new)
    }
}

/// The client-wide retry token bucket.
#[derive(Clone, Debug)]
pub(crate) struct RetryQuota {
    config: QuotaConfig,
    available: Arc<Mutex<u32>>,
}

impl RetryQuota {
    fn new(config: QuotaConfig) -> Self {
        RetryQuota {
            config,
            available: Arc::new(Mutex::new(config.capacity)),
        }
    }

    /// Takes the cost of a retry; `None` when the bucket cannot pay it.
    pub(crate) fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => self.config.timeout_retry_cost,
            RetryKind::Throttling | RetryKind::Transient => self.config.retry_cost,
        };
        let mut available = self.lock();
        *available = available.checked_sub(cost)?;
        Some(cost)
    }

    /// Refills after a success: the cost of the retry that succeeded, or 1 for a first-attempt
    /// success.
    pub(crate) fn on_success(&self, last_retry_cost: Option<u32>) {
        let mut available = self.lock();
        *available = (*available + last_retry_cost.unwrap_or(1)).min(self.config.capacity);
    }

    /// Tokens left.
    pub(crate) fn available(&self) -> u32 {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // The counter stays consistent even if a holder panicked, so poisoning is ignored.
        self.available
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A source of random numbers in `[0, 1]` for backoff jitter; replaceable for deterministic
/// tests.
#[derive(Clone)]
pub struct RandomSource(Arc<dyn Fn() -> f64 + Send + Sync>);

impl RandomSource {
    /// Uses `f` (its results are clamped to `[0, 1]`).
    pub fn new(f: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        RandomSource(Arc::new(f))
    }

    /// Always `value` (e.g. `1.0` for the largest backoff, `0.0` for none).
    pub fn fixed(value: f64) -> Self {
        RandomSource::new(move || value)
    }

    /// Operating-system randomness.
    pub fn system() -> Self {
        RandomSource::new(|| {
            // 53 random bits fill an f64 mantissa exactly.
            let bits = crate::random::random_u64() >> 11;
            bits as f64 / (1u64 << 53) as f64
        })
    }

    /// The next number, in `[0, 1]`.
    pub fn sample(&self) -> f64 {
        let value = (self.0)();
        if value.is_nan() {
            0.0
        } else {
            value.clamp(0.0, 1.0)
        }
    }
}

impl Default for RandomSource {
    fn default() -> Self {
        RandomSource::system()
    }
}

impl fmt::Debug for RandomSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RandomSource")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, error_type: Option<&str>, body: &str) -> HttpResponse {
        let mut builder = http::Response::builder().status(status);
        if let Some(t) = error_type {
            builder = builder.header("x-amzn-errortype", t);
        }
        builder.body(bytes::Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn xml_error_codes_classify_too() {
        let none: &[(&str, bool)] = &[];
        let query = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        assert_eq!(
            classify_response(&response(400, None, query), none),
            Some(RetryKind::Throttling)
        );
        let s3 = "<?xml version=\"1.0\"?>\n<Error><Code>RequestTimeout</Code></Error>";
        assert_eq!(
            classify_response(&response(400, None, s3), none),
            Some(RetryKind::Transient)
        );
        let ec2 = "<Response><Errors><Error><Code>RequestLimitExceeded</Code></Error></Errors><RequestID>r</RequestID></Response>";
        assert_eq!(
            classify_response(&response(400, None, ec2), none),
            Some(RetryKind::Throttling)
        );
        let other = "<ErrorResponse><Error><Code>ValidationError</Code></Error></ErrorResponse>";
        assert_eq!(classify_response(&response(400, None, other), none), None);
    }

    #[test]
    fn classifies_by_code_then_status() {
        let none: &[(&str, bool)] = &[];
        assert_eq!(
            classify_response(&response(400, Some("ThrottlingException"), ""), none),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(&response(400, None, r#"{"__type":"ns#SlowDown"}"#), none),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(&response(400, Some("RequestTimeout:x"), ""), none),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(&response(429, None, ""), none),
            Some(RetryKind::Throttling)
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(
                classify_response(&response(status, None, "not json"), none),
                Some(RetryKind::Transient)
            );
        }
        assert_eq!(
            classify_response(&response(400, Some("ValidationException"), ""), none),
            None
        );
        assert_eq!(classify_response(&response(501, None, ""), none), None);
        assert_eq!(classify_response(&response(200, None, ""), none), None);
        let modelled = &[("BusyException", false), ("HoldOnException", true)];
        assert_eq!(
            classify_response(&response(409, Some("BusyException"), ""), modelled),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(&response(409, Some("HoldOnException"), ""), modelled),
            Some(RetryKind::Throttling)
        );
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        let config = RetryConfig::standard();
        assert_eq!(config.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(config.backoff(2, 1.0), Duration::from_secs(2));
        assert_eq!(config.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(config.backoff(6, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(200, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(4, 0.0), Duration::ZERO);
    }

    #[test]
    fn quota_charges_and_refills() {
        let quota = RetryConfig::standard()
            .with_quota_capacity(12)
            .new_quota()
            .unwrap();
        assert_eq!(quota.acquire(RetryKind::Transient), Some(5));
        assert_eq!(quota.acquire(RetryKind::Timeout), None);
        assert_eq!(quota.acquire(RetryKind::Throttling), Some(5));
        assert_eq!(quota.available(), 2);
        quota.on_success(Some(5));
        assert_eq!(quota.available(), 7);
        quota.on_success(None);
        assert_eq!(quota.available(), 8);
        quota.on_success(Some(10));
        assert_eq!(quota.available(), 12, "never above capacity");
    }

    #[test]
    fn modes_parse_and_legacy_is_standard() {
        assert_eq!(RetryMode::parse("standard"), Some(RetryMode::Standard));
        assert_eq!(RetryMode::parse(" Legacy "), Some(RetryMode::Standard));
        assert_eq!(RetryMode::parse("ADAPTIVE"), Some(RetryMode::Adaptive));
        assert_eq!(RetryMode::parse("fast"), None);
        assert_eq!(RetryConfig::adaptive().max_attempts(), 3);
        assert!(RetryConfig::standard().new_rate_limiter().is_none());
        assert!(RetryConfig::adaptive().new_rate_limiter().is_some());
    }

    #[test]
    fn random_source_is_clamped() {
        assert_eq!(RandomSource::fixed(3.0).sample(), 1.0);
        assert_eq!(RandomSource::fixed(f64::NAN).sample(), 0.0);
        let value = RandomSource::system().sample();
        assert!((0.0..=1.0).contains(&value));
    }
}
