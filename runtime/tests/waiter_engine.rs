//! The waiter engine on virtual time: scripted polls with tokio's clock paused, the requested
//! delays recorded; and one waiter polling a real local server through the pipeline.

mod pipeline_support;

use pipeline_support::*;
use smithy_runtime::client::Config;
use smithy_runtime::error::{ErrorMetadata, Unhandled};
use smithy_runtime::retry::RandomSource;
use smithy_runtime::waiter::{wait, AcceptorState, FinalPoll, WaiterConfig, WaiterError};
use smithy_runtime::SdkError;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Poll = Result<&'static str, SdkError<Unhandled>>;

const S: fn(u64) -> Duration = Duration::from_secs;

fn service_error(code: &str) -> SdkError<Unhandled> {
    SdkError::Service(Unhandled {
        meta: ErrorMetadata {
            code: Some(code.to_owned()),
            status: 404,
            ..ErrorMetadata::default()
        },
        body: Default::default(),
    })
}

/// The `HarvestJobFinished` acceptors, plus "a missing job means done" to exercise error
/// matchers.
fn classify(result: &Poll) -> Option<AcceptorState> {
    match result {
        Ok("COMPLETED" | "CANCELLED") => Some(AcceptorState::Success),
        Ok("FAILED") => Some(AcceptorState::Failure),
        Ok("QUEUED" | "IN_PROGRESS") => Some(AcceptorState::Retry),
        Err(SdkError::Service(e)) if e.code() == Some("GoneException") => {
            Some(AcceptorState::Success)
        }
        _ => None,
    }
}

/// Polls answering from `script` (`Err` holds a service error code), repeating its last entry.
fn scripted(
    script: Vec<Result<&'static str, &'static str>>,
) -> impl FnMut() -> std::future::Ready<Poll> {
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    move || {
        let mut script = script.lock().unwrap();
        let next = if script.len() > 1 {
            script.pop_front().unwrap()
        } else {
            *script.front().unwrap()
        };
        std::future::ready(next.map_err(service_error))
    }
}

fn config(sleep: &RecordingSleep, random: f64) -> Config {
    Config::builder()
        .sleep_impl(sleep.clone())
        .random_source(RandomSource::fixed(random))
        .build()
        .unwrap()
}

type Outcome = Result<FinalPoll<&'static str, Unhandled>, WaiterError<&'static str, Unhandled>>;

/// Waits on `script` with the `HarvestJobFinished` acceptors, a fixed jitter sample `random`
/// and a maximum wait, on virtual time; returns the outcome and the delays slept.
async fn run(
    script: Vec<Result<&'static str, &'static str>>,
    random: f64,
    max_wait: Duration,
) -> (Outcome, RecordingSleep) {
    let sleep = RecordingSleep::advancing_tokio();
    let outcome = wait(
        &config(&sleep, random),
        WaiterConfig::with_max_wait(max_wait),
        scripted(script),
        classify,
    )
    .await;
    (outcome, sleep)
}

#[tokio::test(start_paused = true)]
async fn retry_retry_success() {
    let (done, sleep) = run(
        vec![Ok("QUEUED"), Ok("IN_PROGRESS"), Ok("COMPLETED")],
        1.0,
        S(600),
    )
    .await;
    let done = done.unwrap();

    assert_eq!(done.output(), Some(&"COMPLETED"));
    assert_eq!(done.attempts(), 3);
    assert_eq!(sleep.slept(), [S(2), S(4)]);
}

#[tokio::test(start_paused = true)]
async fn a_failure_acceptor_stops_the_waiter_with_the_last_output() {
    let (error, sleep) = run(vec![Ok("IN_PROGRESS"), Ok("FAILED")], 0.0, S(600)).await;
    let error = error.unwrap_err();

    let WaiterError::FailureState { last, attempts } = &error else {
        panic!("expected a failure state, got {error:?}");
    };
    assert_eq!(last.as_ref().ok(), Some(&"FAILED"));
    assert_eq!(*attempts, 2);
    assert_eq!(sleep.slept(), [S(2)]);
    assert!(
        error
            .to_string()
            .contains("failure state after 2 attempt(s)"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_error_no_acceptor_matches_fails_the_waiter() {
    let (error, _) = run(
        vec![Ok("QUEUED"), Err("AccessDeniedException")],
        0.0,
        S(600),
    )
    .await;
    let error = error.unwrap_err();

    let WaiterError::UnexpectedError {
        error: inner,
        attempts,
    } = &error
    else {
        panic!("expected an unexpected error, got {error:?}");
    };
    assert_eq!(
        inner.as_service_error().unwrap().code(),
        Some("AccessDeniedException")
    );
    assert_eq!(*attempts, 2);
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test(start_paused = true)]
async fn an_error_can_be_the_success_state() {
    let (done, _) = run(vec![Ok("IN_PROGRESS"), Err("GoneException")], 0.0, S(600)).await;
    let done = done.unwrap();

    assert!(done.output().is_none());
    assert!(done.into_result().is_err());
}

#[tokio::test(start_paused = true)]
async fn an_unmatched_success_keeps_waiting() {
    let (done, _) = run(vec![Ok("SOMETHING_NEW"), Ok("COMPLETED")], 0.0, S(600)).await;
    let done = done.unwrap();

    assert_eq!(done.attempts(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_maximum_wait_ends_with_one_last_poll() {
    let start = tokio::time::Instant::now();
    let (error, sleep) = run(vec![Ok("IN_PROGRESS")], 1.0, S(30)).await;
    let error = error.unwrap_err();

    // 2, 4, 8; then 16 would leave 0 s <= min_delay of the remaining 16 s, so the waiter sleeps
    // 16 - 2 = 14 s and polls a last time.
    assert_eq!(sleep.slept(), [S(2), S(4), S(8), S(14)]);
    let WaiterError::MaxWaitExceeded {
        max_wait,
        last,
        attempts,
    } = &error
    else {
        panic!("expected max wait exceeded, got {error:?}");
    };
    assert_eq!(*max_wait, S(30));
    assert_eq!(*attempts, 5);
    assert_eq!(last.as_ref().ok(), Some(&"IN_PROGRESS"));
    assert!(
        start.elapsed() <= S(30),
        "virtual time spent: {:?}",
        start.elapsed()
    );
    assert!(
        error.to_string().contains("maximum wait of 30s exceeded"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn random_delays_stay_within_the_spec_bounds() {
    let sleep = RecordingSleep::advancing_tokio();
    let waiter = WaiterConfig::new(S(3), S(100), S(24 * 3600));
    let mut script: Vec<Result<&str, &str>> = (0..40).map(|_| Ok("IN_PROGRESS")).collect();
    script.push(Ok("COMPLETED"));
    let config = Config::builder()
        .sleep_impl(sleep.clone())
        .random_source(RandomSource::system())
        .build()
        .unwrap();

    let done = wait(&config, waiter, scripted(script), classify)
        .await
        .unwrap();

    assert_eq!(done.attempts(), 41);
    let slept = sleep.slept();
    assert_eq!(slept.len(), 40);
    for (index, delay) in slept.iter().enumerate() {
        let attempt = index as u32 + 1;
        // ceiling = ln(100/3)/ln 2 + 1 ≈ 6.06
        let upper = if attempt > 6 {
            S(100)
        } else {
            S(3) * 2u32.pow(attempt - 1)
        };
        assert!(
            S(3) <= *delay && *delay <= upper,
            "attempt {attempt}: {delay:?} not in [3s, {upper:?}]"
        );
    }
}

#[tokio::test]
async fn invalid_configurations_are_rejected_before_polling() {
    let sleep = RecordingSleep::default();
    let polls = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&polls);
    let poll = move || {
        *counter.lock().unwrap() += 1;
        std::future::ready(Ok::<_, SdkError<Unhandled>>("COMPLETED"))
    };

    let error = wait(
        &config(&sleep, 0.0),
        WaiterConfig::new(S(10), S(5), S(60)),
        poll,
        classify,
    )
    .await
    .unwrap_err();

    assert!(matches!(error, WaiterError::InvalidConfig(_)), "{error:?}");
    assert_eq!(*polls.lock().unwrap(), 0);
}

/// The shape of a generated `wait_until_harvest_job_finished`: poll `GetHarvestJob` against a
/// real server, classify its output.
#[tokio::test]
async fn a_waiter_polls_a_real_service_through_the_pipeline() {
    let server = TestServer::start(|n| match n {
        0 => Reply::json(200, r#"{"Status":"QUEUED"}"#),
        1 => Reply::json(200, r#"{"Status":"IN_PROGRESS"}"#),
        _ => Reply::json(200, r#"{"Status":"COMPLETED"}"#),
    })
    .await;
    let sleep = RecordingSleep::default();
    let config = config_for(&server.url, &sleep).build().unwrap();
    let status = |result: &Result<String, SdkError<Unhandled>>| {
        let body: serde_json::Value = serde_json::from_str(result.as_ref().ok()?).ok()?;
        match body.get("Status")?.as_str()? {
            "COMPLETED" | "CANCELLED" => Some(AcceptorState::Success),
            "FAILED" => Some(AcceptorState::Failure),
            "QUEUED" | "IN_PROGRESS" => Some(AcceptorState::Retry),
            _ => None,
        }
    };

    let done = wait(
        &config,
        WaiterConfig::with_max_wait(S(300)),
        || get_harvest_job(&config),
        status,
    )
    .await
    .unwrap();

    assert_eq!(done.attempts(), 3);
    assert_eq!(server.count(), 3);
    assert_eq!(sleep.slept(), [S(2), S(4)]);
}
