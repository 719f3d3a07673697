//! Bedrock Runtime InvokeModelWithResponseStream (restJson1 with an output event stream): our
//! client generated for the whole service, and `aws-sdk-bedrockruntime`, against the local
//! server's streams ([`bench_server::event_stream`]).
//!
//! Each run reads one stream to its end and counts its `chunk` events and their decoded
//! payload bytes; both must be exactly what was asked for, so neither client can skip decoding.

use super::Which;
use bench_server::event_stream::StreamSpec;

/// What one stream delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// `chunk` events.
    pub events: u64,
    /// Payload bytes, after base64 decoding.
    pub bytes: u64,
}

/// Reads the stream `spec` from `endpoint` with the given client; fails unless every event
/// arrived whole.
pub async fn stream(which: Which, endpoint: &str, spec: StreamSpec) -> Result<Received, String> {
    let received = match which {
        Which::Ours => stream_ours(endpoint, spec).await?,
        Which::Sdk => stream_sdk(endpoint, spec).await?,
    };
    let expected = Received {
        events: spec.events,
        bytes: spec.events * spec.payload as u64,
    };
    if received == expected {
        Ok(received)
    } else {
        Err(format!("received {received:?}, expected {expected:?}"))
    }
}

async fn stream_ours(endpoint: &str, spec: StreamSpec) -> Result<Received, String> {
    use bedrock_runtime::types::ResponseStream;
    let client = bedrock_runtime::Client::from_conf(super::ours_config(endpoint)?);
    let output = client
        .invoke_model_with_response_stream()
        .model_id(spec.model_id())
        .content_type("application/json")
        .body(smithy_runtime::Blob::new(b"{}".to_vec()))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let events = output.body.as_ref().ok_or("no event stream")?;
    let mut received = Received::default();
    while let Some(event) = events.recv().await.map_err(|e| e.to_string())? {
        match event {
            ResponseStream::Chunk(part) => {
                received.events += 1;
                received.bytes += part.bytes().map_or(0, |b| b.as_ref().len()) as u64;
            }
            other => return Err(format!("unexpected event {other:?}")),
        }
    }
    Ok(received)
}

async fn stream_sdk(endpoint: &str, spec: StreamSpec) -> Result<Received, String> {
    use aws_sdk_bedrockruntime::primitives::Blob;
    use aws_sdk_bedrockruntime::types::ResponseStream;
    let client = super::sdk_client!(aws_sdk_bedrockruntime, endpoint);
    let mut output = client
        .invoke_model_with_response_stream()
        .model_id(spec.model_id())
        .content_type("application/json")
        .body(Blob::new(b"{}".to_vec()))
        .send()
        .await
        .map_err(|e| aws_sdk_bedrockruntime::error::DisplayErrorContext(&e).to_string())?;
    let mut received = Received::default();
    loop {
        let event = output
            .body
            .recv()
            .await
            .map_err(|e| aws_sdk_bedrockruntime::error::DisplayErrorContext(&e).to_string())?;
        match event {
            Some(ResponseStream::Chunk(part)) => {
                received.events += 1;
                received.bytes += part.bytes().map_or(0, |b| b.as_ref().len()) as u64;
            }
            Some(other) => return Err(format!("unexpected event {other:?}")),
            None => return Ok(received),
        }
    }
}
