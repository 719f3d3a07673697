//! Bedrock Agent Runtime OptimizePrompt, a Bedrock Agent Runtime crate operation: an
//! analyzePromptEvent, an optimizedPromptEvent (a union inside the event), then an
//! accessDeniedException (the test's server sends exactly these).

use crate::client::types::{
    AnalyzePromptEvent, InputPrompt, OptimizedPrompt, OptimizedPromptEvent,
    OptimizedPromptStream as Event, OptimizedPromptStreamError as EventError, TextPrompt,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

/// Sends OptimizePrompt to `url` and checks the events and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let prompt = e(TextPrompt::builder().text("summarise {{doc}}").build())?;
    let output = crate::client::Client::from_conf(config(url)?)
        .optimize_prompt()
        // `input` is the fluent builder's own (`set_input`), so the member is `input_value`.
        .input_value(InputPrompt::TextPrompt(prompt))
        .target_model_id("anthropic.claude-3-sonnet-20240229-v1:0")
        .send()
        .await
        .map_err(|e| format!("OptimizePrompt: {e}"))?;
    let stream = output.optimized_prompt.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let better = e(TextPrompt::builder()
        .text("Summarise the document in three bullet points: {{doc}}")
        .build())?;
    let want = vec![
        Event::AnalyzePromptEvent(
            AnalyzePromptEvent::builder()
                .message("The prompt names no format.")
                .build(),
        ),
        Event::OptimizedPromptEvent(
            OptimizedPromptEvent::builder()
                .optimized_prompt(OptimizedPrompt::TextPrompt(better))
                .build(),
        ),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::AccessDeniedException(error))) => {
            same("message", &error.message(), &Some("no access"))?
        }
        other => return Err(format!("want an accessDeniedException, got {other:?}")),
    }
    Ok(format!(
        "bedrock-agent-runtime OptimizePrompt: {} events, then accessDeniedException",
        events.len()
    ))
}
