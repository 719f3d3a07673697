//! CloudWatch Logs StartLiveTail (awsJson1_1, HTTP/1.1), generated from the real model: the
//! `initial-response` event, a sessionStart and two sessionUpdate events, then a
//! SessionTimeoutException mid-stream (the test's server sends exactly these). The operation's
//! `@endpoint(hostPrefix: "streaming-")` cannot go in front of 127.0.0.1, so the program turns
//! host prefixes off.

use crate::client::types::{
    LiveTailSessionLogEvent, LiveTailSessionMetadata, LiveTailSessionStart, LiveTailSessionUpdate,
    StartLiveTailResponseStream as Event, StartLiveTailResponseStreamError as EventError,
};
use crate::common::{config_without_host_prefix, drain, same};
use smithy_runtime::event_stream::EventStreamError;

const GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:app";

fn log_event(stream: &str, message: &str, timestamp: i64) -> LiveTailSessionLogEvent {
    LiveTailSessionLogEvent::builder()
        .log_stream_name(stream)
        .log_group_identifier(GROUP)
        .message(message)
        .timestamp(timestamp)
        .ingestion_time(timestamp + 7)
        .build()
}

fn expected() -> Vec<Event> {
    vec![
        Event::SessionStart(
            LiveTailSessionStart::builder()
                .request_id("req-1")
                .session_id("sess-1")
                .log_group_identifiers(GROUP)
                .log_event_filter_pattern("ERROR")
                .build(),
        ),
        Event::SessionUpdate(
            LiveTailSessionUpdate::builder()
                .session_metadata(LiveTailSessionMetadata::builder().sampled(false).build())
                .session_results(log_event("web-1", "ERROR one", 1_700_000_000_000))
                .session_results(log_event("web-2", "ERROR two \u{e9}", 1_700_000_000_100))
                .build(),
        ),
        Event::SessionUpdate(
            LiveTailSessionUpdate::builder()
                .session_metadata(LiveTailSessionMetadata::builder().sampled(true).build())
                .build(),
        ),
    ]
}

/// Sends StartLiveTail to `url` and checks the events and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let config = config_without_host_prefix(url)?;
    let output = crate::client::Client::from_conf(config)
        .start_live_tail()
        .log_group_identifiers(GROUP)
        .log_event_filter_pattern("ERROR")
        .send()
        .await
        .map_err(|e| format!("StartLiveTail: {e}"))?;
    let stream = output.response_stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    same("events", &events, &expected())?;
    match error {
        Some(EventStreamError::Modelled(EventError::SessionTimeoutException(error))) => {
            same("message", &error.message(), &Some("session over"))?
        }
        other => return Err(format!("want a SessionTimeoutException, got {other:?}")),
    }
    Ok(format!(
        "cloudwatch-logs StartLiveTail: {} events, then SessionTimeoutException",
        events.len()
    ))
}
