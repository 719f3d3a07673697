//! Retry settings from the environment and the profile (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`,
//! `max_attempts`, `retry_mode`) and adaptive mode's client-side rate limiter in the pipeline:
//! a local server throttles, and the requests after it are held back (on tokio's paused,
//! virtual clock).

mod pipeline_support;

use pipeline_support::{config_for, get_harvest_job, RecordingSleep, Reply, TestServer};
use smithy_runtime::client::Config;
use smithy_runtime::credentials::{Env, Fs};
use smithy_runtime::retry::{RandomSource, RetryConfig, RetryMode};
use smithy_runtime::timeout::TimeoutConfig;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

const CONFIG_PATH: &str = "/home/u/.aws/config";

fn env_with(vars: &[(&str, &str)]) -> Env {
    let mut all = vec![("HOME", "/home/u")];
    all.extend_from_slice(vars);
    Env::from_vars(all.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

async fn load(vars: &[(&str, &str)], config_file: &str) -> Result<Config, String> {
    Config::builder()
        .load_defaults_from(
            env_with(vars),
            Fs::from_files([(CONFIG_PATH, config_file.to_owned())]),
        )
        .await
        .and_then(|builder| builder.build())
        .map_err(|e| e.to_string())
}

const PROFILE: &str = "[default]\nmax_attempts = 7\nretry_mode = adaptive\n";

#[tokio::test]
async fn the_profile_sets_retries_and_the_environment_beats_it_setting_by_setting() {
    let config = load(&[], PROFILE).await.unwrap();
    assert_eq!(config.retry_config().max_attempts(), 7);
    assert_eq!(config.retry_config().mode(), RetryMode::Adaptive);
    assert!(config.adaptive_send_rate().is_some());

    let config = load(&[("AWS_MAX_ATTEMPTS", "4")], PROFILE).await.unwrap();
    assert_eq!(config.retry_config().max_attempts(), 4);
    assert_eq!(config.retry_config().mode(), RetryMode::Adaptive);

    let config = load(&[("AWS_RETRY_MODE", "standard")], PROFILE)
        .await
        .unwrap();
    assert_eq!(config.retry_config().max_attempts(), 7);
    assert_eq!(config.retry_config().mode(), RetryMode::Standard);
    assert!(config.adaptive_send_rate().is_none());

    let config = load(&[("AWS_RETRY_MODE", "Legacy")], "").await.unwrap();
    assert_eq!(config.retry_config(), &RetryConfig::standard());
    let config = load(&[], "").await.unwrap();
    assert_eq!(
        config.retry_config(),
        &RetryConfig::standard(),
        "the default"
    );
}

#[tokio::test]
async fn bad_retry_settings_are_errors_naming_the_setting() {
    for (vars, file, names) in [
        (&[("AWS_RETRY_MODE", "turbo")][..], "", "AWS_RETRY_MODE"),
        (&[("AWS_MAX_ATTEMPTS", "0")][..], "", "AWS_MAX_ATTEMPTS"),
        (&[("AWS_MAX_ATTEMPTS", "three")][..], "", "AWS_MAX_ATTEMPTS"),
        (
            &[][..],
            "[default]\nmax_attempts = -1\n",
            "`max_attempts` (profile `default`)",
        ),
        (
            &[][..],
            "[default]\nretry_mode = x\n",
            "`retry_mode` (profile `default`)",
        ),
    ] {
        let error = load(vars, file).await.expect_err(names);
        assert!(error.contains(names), "{error}");
    }
}

#[tokio::test]
async fn the_builders_retry_config_wins_and_loaded_attempts_are_made() {
    let server = TestServer::start(|_| Reply::error(503, "ServiceUnavailable")).await;
    let vars = [
        ("AWS_MAX_ATTEMPTS", "5"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ("AWS_ENDPOINT_URL", server.url.as_str()),
    ];
    let disabled = Config::builder()
        .retry_config(RetryConfig::disabled())
        .load_defaults_from(env_with(&vars), Fs::from_files([(CONFIG_PATH, "")]))
        .await
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(disabled.retry_config().max_attempts(), 1);

    let config = Config::builder()
        .sleep_impl(RecordingSleep::default())
        .load_defaults_from(env_with(&vars), Fs::from_files([(CONFIG_PATH, "")]))
        .await
        .unwrap()
        .build()
        .unwrap();
    get_harvest_job(&config).await.expect_err("always 503");
    assert_eq!(server.count(), 5, "AWS_MAX_ATTEMPTS=5 attempts");
}

/// A server that throttles request `throttled` (0-based) and answers the others, recording
/// when (on tokio's clock) each request arrived.
async fn throttling_server(throttled: usize) -> (TestServer, Arc<Mutex<Vec<Instant>>>) {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    let server = TestServer::start(move |n| {
        seen.lock().unwrap().push(Instant::now());
        if n == throttled {
            Reply::error(400, "ThrottlingException")
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    (server, arrivals)
}

/// Sends `calls` operations one after the other with `retry`, no backoff (jitter 0, so every
/// delay recorded is the rate limiter's) and no connect timeout (nothing but the limiter
/// and backoff waits on the paused clock). Returns the recorded sleeps, the gaps between
/// request arrivals and the config.
async fn run(retry: RetryConfig, calls: usize) -> (Vec<Duration>, Vec<Duration>, Config) {
    let (server, arrivals) = throttling_server(5).await;
    let sleep = RecordingSleep::advancing_tokio();
    let config = config_for(&server.url, &sleep)
        .random_source(RandomSource::fixed(0.0))
        .timeout_config(TimeoutConfig::disabled())
        .retry_config(retry)
        .build()
        .unwrap();
    for _ in 0..calls {
        get_harvest_job(&config)
            .await
            .expect("succeeds, after a retry once");
    }
    assert_eq!(
        server.count(),
        calls + 1,
        "one retry of the throttled request"
    );
    let arrivals = arrivals.lock().unwrap().clone();
    let gaps = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
    let waits = sleep.slept().into_iter().filter(|d| !d.is_zero()).collect();
    (waits, gaps, config)
}

#[tokio::test(start_paused = true)]
async fn standard_mode_never_holds_requests_back() {
    let (waits, gaps, config) = run(RetryConfig::standard(), 10).await;
    assert!(waits.is_empty(), "{waits:?}");
    assert!(gaps.iter().all(Duration::is_zero), "{gaps:?}");
    assert!(config.adaptive_send_rate().is_none());
}

#[tokio::test(start_paused = true)]
async fn adaptive_mode_slows_down_after_a_throttling_response() {
    let (waits, gaps, config) = run(RetryConfig::adaptive(), 10).await;
    // Five calls at virtual time 0 pass without waiting: the limiter is off until throttled.
    assert!(gaps[..5].iter().all(Duration::is_zero), "{gaps:?}");
    // Request 5 is throttled. The rate measured so far is 0 (no half-second has passed), so
    // the allowed rate drops to the floor, 0.5 requests/s, and the bucket is empty: its retry
    // waits exactly 2 s for a token.
    assert_eq!(waits[0], Duration::from_secs(2), "{waits:?}");
    assert!(gaps[5] >= Duration::from_secs(2), "{gaps:?}");
    // Every request after it waits for a token too (the bucket holds at most one second of
    // tokens, and it is spent as fast as it fills), at the rate the cubic curve allows.
    assert_eq!(
        waits.len(),
        5,
        "one wait per request after the throttle: {waits:?}"
    );
    for (gap, wait) in gaps[6..].iter().zip(&waits[1..]) {
        assert!(gap >= wait && !wait.is_zero(), "{gaps:?} {waits:?}");
    }
    // Successes let the allowed rate grow back above the floor.
    let rate = config.adaptive_send_rate().unwrap();
    assert!(rate > 0.5, "{rate}");
}
