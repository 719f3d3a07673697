//! Bedrock Agent Runtime RetrieveAndGenerateStream, a Bedrock Agent Runtime crate operation:
//! two output events, a citation event, a guardrail event, then a dependencyFailedException
//! (the test's server sends exactly these).

use crate::client::types::{
    CitationEvent, GeneratedResponsePart, GuadrailAction, GuardrailEvent,
    KnowledgeBaseRetrieveAndGenerateConfiguration, RetrieveAndGenerateConfiguration,
    RetrieveAndGenerateInput, RetrieveAndGenerateOutputEvent,
    RetrieveAndGenerateStreamResponseOutput as Event,
    RetrieveAndGenerateStreamResponseOutputError as EventError, RetrieveAndGenerateType, Span,
    TextResponsePart,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

fn text(text: &str) -> Result<Event, String> {
    Ok(Event::Output(e(RetrieveAndGenerateOutputEvent::builder()
        .text(text)
        .build())?))
}

/// Sends RetrieveAndGenerateStream to `url` and checks the events and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let knowledge_base = e(KnowledgeBaseRetrieveAndGenerateConfiguration::builder()
        .knowledge_base_id("KB12345678")
        .model_arn("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2")
        .build())?;
    let configuration = e(RetrieveAndGenerateConfiguration::builder()
        .r#type(RetrieveAndGenerateType::KnowledgeBase)
        .knowledge_base_configuration(knowledge_base)
        .build())?;
    let output = crate::client::Client::from_conf(config(url)?)
        .retrieve_and_generate_stream()
        .input_value(e(RetrieveAndGenerateInput::builder()
            .text("What is the refund window?")
            .build())?)
        .retrieve_and_generate_configuration(configuration)
        .send()
        .await
        .map_err(|e| format!("RetrieveAndGenerateStream: {e}"))?;
    same("session id", &output.session_id.as_str(), &"kb-session-1")?;
    let stream = output.stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let part = TextResponsePart::builder()
        .text("30 days")
        .span(Span::builder().start(0).end(6).build())
        .build();
    let want = vec![
        text("Refunds within ")?,
        text("30 days.")?,
        Event::Citation(
            CitationEvent::builder()
                .generated_response_part(
                    GeneratedResponsePart::builder()
                        .text_response_part(part)
                        .build(),
                )
                .build(),
        ),
        Event::Guardrail(
            GuardrailEvent::builder()
                .action(GuadrailAction::None)
                .build(),
        ),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::DependencyFailedException(error))) => {
            same("message", &error.message(), &Some("knowledge base down"))?;
            same("resource", &error.resource_name(), &Some("KB12345678"))?
        }
        other => return Err(format!("want a dependencyFailedException, got {other:?}")),
    }
    Ok(format!(
        "bedrock-agent-runtime RetrieveAndGenerateStream: {} events, then \
         dependencyFailedException",
        events.len()
    ))
}
