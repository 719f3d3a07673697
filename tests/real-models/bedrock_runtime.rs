//! Bedrock Runtime ConverseStream, generated from the real model: a conversation streamed as
//! messageStart, two contentBlockDelta, messageStop and metadata events, then a
//! throttlingException mid-stream (the test's server sends exactly these).

use crate::client::types::{
    ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent, ConversationRole,
    ConverseStreamMetadataEvent, ConverseStreamMetrics, ConverseStreamOutput,
    ConverseStreamOutputError, Message, MessageStartEvent, MessageStopEvent, StopReason,
    TokenUsage,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

fn expected() -> Result<Vec<ConverseStreamOutput>, String> {
    let delta = |text: &str| {
        e(ContentBlockDeltaEvent::builder()
            .delta(ContentBlockDelta::Text(text.into()))
            .content_block_index(0)
            .build())
    };
    Ok(vec![
        ConverseStreamOutput::MessageStart(e(MessageStartEvent::builder()
            .role(ConversationRole::Assistant)
            .build())?),
        ConverseStreamOutput::ContentBlockDelta(delta("Hel")?),
        ConverseStreamOutput::ContentBlockDelta(delta("lo \u{e9}")?),
        ConverseStreamOutput::MessageStop(e(MessageStopEvent::builder()
            .stop_reason(StopReason::EndTurn)
            .build())?),
        ConverseStreamOutput::Metadata(
            ConverseStreamMetadataEvent::builder()
                .usage(e(TokenUsage::builder()
                    .input_tokens(3)
                    .output_tokens(2)
                    .total_tokens(5)
                    .build())?)
                .metrics(e(ConverseStreamMetrics::builder().latency_ms(42).build())?)
                .build(),
        ),
    ])
}

/// Sends ConverseStream to `url` and checks the events and the exception that end it.
pub async fn run(url: &str) -> Result<String, String> {
    let message = e(Message::builder()
        .role(ConversationRole::User)
        .content(ContentBlock::Text("hi".into()))
        .build())?;
    let output = crate::client::Client::from_conf(config(url)?)
        .converse_stream()
        .model_id("anthropic.claude-3-haiku")
        .messages(message)
        .send()
        .await
        .map_err(|e| format!("ConverseStream: {e}"))?;
    let stream = output.stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    same("events", &events, &expected()?)?;
    match error {
        Some(EventStreamError::Modelled(ConverseStreamOutputError::ThrottlingException(error))) => {
            same("message", &error.message(), &Some("slow down"))?
        }
        other => return Err(format!("want a throttlingException, got {other:?}")),
    }
    Ok(format!(
        "bedrock-runtime ConverseStream: {} events, then throttlingException",
        events.len()
    ))
}
