//! Bedrock Agent Runtime InvokeInlineAgent, a Bedrock Agent Runtime crate operation: two chunk
//! events (JSON with the bytes in base64), then a validationException mid-stream (the test's
//! server sends exactly these).

use crate::client::types::{
    InlineAgentPayloadPart, InlineAgentResponseStream as Event,
    InlineAgentResponseStreamError as EventError,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;
use smithy_runtime::Blob;

fn chunk(bytes: &[u8]) -> Event {
    Event::Chunk(
        InlineAgentPayloadPart::builder()
            .bytes(Blob::new(bytes.to_vec()))
            .build(),
    )
}

/// Sends InvokeInlineAgent to `url` and checks the chunks and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let output = crate::client::Client::from_conf(config(url)?)
        .invoke_inline_agent()
        .session_id("inline-1")
        .foundation_model("anthropic.claude-3-haiku-20240307-v1:0")
        .instruction("You are a helpful travel agent who books tables.")
        .input_text("A table for two")
        .send()
        .await
        .map_err(|e| format!("InvokeInlineAgent: {e}"))?;
    same("session id", &output.session_id.as_str(), &"inline-1")?;
    let stream = output.completion.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    same(
        "events",
        &events,
        &vec![chunk(b"Booked "), chunk(b"for 8 pm.")],
    )?;
    match error {
        Some(EventStreamError::Modelled(EventError::ValidationException(error))) => {
            same("message", &error.message(), &Some("bad instruction"))?
        }
        other => return Err(format!("want a validationException, got {other:?}")),
    }
    Ok(format!(
        "bedrock-agent-runtime InvokeInlineAgent: {} events, then validationException",
        events.len()
    ))
}
