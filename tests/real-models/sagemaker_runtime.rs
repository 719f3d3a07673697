//! SageMaker Runtime InvokeEndpointWithResponseStream (restJson1), generated from the real
//! model: three PayloadPart events (each an `@eventPayload` blob, sent as raw bytes), then a
//! ModelStreamError mid-stream (the test's server sends exactly these).

use crate::client::types::{
    PayloadPart, ResponseStream as Event, ResponseStreamError as EventError,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;
use smithy_runtime::Blob;

fn part(bytes: &[u8]) -> Event {
    Event::PayloadPart(
        PayloadPart::builder()
            .bytes(Blob::new(bytes.to_vec()))
            .build(),
    )
}

/// Sends InvokeEndpointWithResponseStream to `url` and checks the parts and the error.
pub async fn run(url: &str) -> Result<String, String> {
    let output = crate::client::Client::from_conf(config(url)?)
        .invoke_endpoint_with_response_stream()
        .endpoint_name("my-endpoint")
        .content_type("application/json")
        .body(Blob::new(&b"{\"inputs\":\"hi\"}"[..]))
        .send()
        .await
        .map_err(|e| format!("InvokeEndpointWithResponseStream: {e}"))?;
    same(
        "content type",
        &output.content_type.as_deref(),
        &Some("application/jsonlines"),
    )?;
    let stream = output.body.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        part(b"{\"token\":\"Hel\"}\n"),
        part(b"{\"token\":\"lo\"}\n"),
        part(b"\x00\xff"),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::ModelStreamError(error))) => {
            same("message", &error.message(), &Some("model crashed"))?;
            same("error code", &error.error_code(), &Some("ModelError"))?
        }
        other => return Err(format!("want a ModelStreamError, got {other:?}")),
    }
    Ok(format!(
        "sagemaker-runtime InvokeEndpointWithResponseStream: {} events, then ModelStreamError",
        events.len()
    ))
}
