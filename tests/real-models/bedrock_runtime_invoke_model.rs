//! Bedrock Runtime InvokeModelWithResponseStream, the second operation of the Bedrock Runtime
//! crate: three chunk events (JSON with the bytes in base64), then a
//! modelStreamErrorException mid-stream (the test's server sends exactly these).

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

/// Sends InvokeModelWithResponseStream to `url` and checks the chunks and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let output = crate::client::Client::from_conf(config(url)?)
        .invoke_model_with_response_stream()
        .model_id("anthropic.claude-v2")
        .content_type("application/json")
        .body(Blob::new(&b"{\"prompt\":\"hi\"}"[..]))
        .send()
        .await
        .map_err(|e| format!("InvokeModelWithResponseStream: {e}"))?;
    same(
        "content type",
        &output.content_type.as_str(),
        &"application/json",
    )?;
    let stream = output.body.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        chunk(b"{\"completion\":\"Hel\"}"),
        chunk(b"{\"completion\":\"lo\"}"),
        chunk(b"\x00\xff"),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::ModelStreamErrorException(error))) => {
            same("message", &error.message(), &Some("model failed"))?;
            same("original status", &error.original_status_code(), &Some(500))?
        }
        other => return Err(format!("want a modelStreamErrorException, got {other:?}")),
    }
    Ok(format!(
        "bedrock-runtime InvokeModelWithResponseStream: {} events, then \
         modelStreamErrorException",
        events.len()
    ))
}
