//! Bedrock Agent Runtime InvokeAgent (restJson1), generated from the real model: three chunk
//! events (JSON with the bytes in base64), then a throttlingException mid-stream (the test's
//! server sends exactly these).

use crate::client::types::{
    PayloadPart, ResponseStream as Event, ResponseStreamError as EventError,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;
use smithy_runtime::Blob;

fn chunk(bytes: &[u8]) -> Event {
    Event::Chunk(
        PayloadPart::builder()
            .bytes(Blob::new(bytes.to_vec()))
            .build(),
    )
}

/// Sends InvokeAgent to `url` and checks the chunks and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let output = crate::client::Client::from_conf(config(url)?)
        .invoke_agent()
        .agent_id("AGENT12345")
        .agent_alias_id("ALIAS12345")
        .session_id("session-1")
        .input_text("Book a table")
        .send()
        .await
        .map_err(|e| format!("InvokeAgent: {e}"))?;
    same("session id", &output.session_id.as_str(), &"session-1")?;
    same(
        "content type",
        &output.content_type.as_str(),
        &"application/json",
    )?;
    let stream = output.completion.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        chunk(b"Sure, "),
        chunk(b"for how many?"),
        chunk(b"\x00\xff"),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::ThrottlingException(error))) => {
            same("message", &error.message(), &Some("too many requests"))?
        }
        other => return Err(format!("want a throttlingException, got {other:?}")),
    }
    Ok(format!(
        "bedrock-agent-runtime InvokeAgent: {} events, then throttlingException",
        events.len()
    ))
}
