//! Lambda InvokeWithResponseStream, generated from the real model: two PayloadChunk events
//! (raw bytes, the `@eventPayload` blob) and InvokeComplete. The model lists no exception in
//! the stream's union, so the in-stream failure checked is an unmodelled exception event,
//! which must come back as `UnknownException` with its type and payload.

use crate::client::types::{
    InvokeResponseStreamUpdate, InvokeWithResponseStreamCompleteEvent,
    InvokeWithResponseStreamResponseEvent as Event,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;
use smithy_runtime::Blob;

/// Sends InvokeWithResponseStream to `url` and checks the events and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let output = crate::client::Client::from_conf(config(url)?)
        .invoke_with_response_stream()
        .function_name("my-function")
        .payload(Blob::new(&b"{\"n\":1}"[..]))
        .send()
        .await
        .map_err(|e| format!("InvokeWithResponseStream: {e}"))?;
    same("status", &output.status_code, &200)?;
    same(
        "executed version",
        &output.executed_version.as_deref(),
        &Some("7"),
    )?;
    let stream = output.event_stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let chunk = |bytes: &[u8]| {
        Event::PayloadChunk(
            InvokeResponseStreamUpdate::builder()
                .payload(Blob::new(bytes.to_vec()))
                .build(),
        )
    };
    let want = vec![
        chunk(b"{\"partial\":"),
        chunk(b"\x00\xff\"yes\"}"),
        Event::InvokeComplete(
            InvokeWithResponseStreamCompleteEvent::builder()
                .log_result("bG9n")
                .build(),
        ),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::UnknownException {
            exception_type,
            payload,
        }) => {
            same("type", &exception_type.as_str(), &"ServiceException")?;
            same(
                "payload",
                &payload.as_ref(),
                &&b"{\"Message\":\"boom\"}"[..],
            )?;
        }
        other => return Err(format!("want an unknown exception, got {other:?}")),
    }
    Ok(format!(
        "lambda InvokeWithResponseStream: {} events, then an unmodelled ServiceException",
        events.len()
    ))
}
