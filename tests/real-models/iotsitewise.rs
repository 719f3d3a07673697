//! IoT SiteWise InvokeAssistant (restJson1, HTTP/1.1), generated from the real model: a trace
//! event, an output event with a citation, then a throttlingException mid-stream (the test's
//! server sends exactly these). The operation's `@endpoint(hostPrefix: "data.")` cannot go in
//! front of 127.0.0.1, so the program turns host prefixes off.

use crate::client::types::{
    Citation, Content, DataSetReference, InvocationOutput, Location, Reference,
    ResponseStream as Event, ResponseStreamError as EventError, Source, Trace,
};
use crate::common::{config_without_host_prefix, drain, same};
use smithy_runtime::event_stream::EventStreamError;

const CONVERSATION: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

fn expected() -> Vec<Event> {
    let source = Source::builder()
        .arn("arn:aws:iotsitewise:us-east-1:123456789012:asset/pump-1")
        .location(Location::builder().uri("s3://manuals/pump.pdf").build())
        .build();
    let citation = Citation::builder()
        .reference(
            Reference::builder()
                .dataset(
                    DataSetReference::builder()
                        .dataset_arn("arn:aws:iotsitewise:us-east-1:123456789012:dataset/d1")
                        .source(source)
                        .build(),
                )
                .build(),
        )
        .content(Content::builder().text("Check the seal.").build())
        .build();
    vec![
        Event::Trace(Trace::builder().text("looking up pump-1").build()),
        Event::Output(
            InvocationOutput::builder()
                .message("The pump's seal is worn.")
                .citations(citation)
                .build(),
        ),
    ]
}

/// Sends InvokeAssistant to `url` and checks the events and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let config = config_without_host_prefix(url)?;
    let output = crate::client::Client::from_conf(config)
        .invoke_assistant()
        .conversation_id(CONVERSATION)
        .message("Why is pump-1 leaking?")
        .enable_trace(true)
        .send()
        .await
        .map_err(|e| format!("InvokeAssistant: {e}"))?;
    same(
        "conversation id",
        &output.conversation_id.as_str(),
        &CONVERSATION,
    )?;
    let stream = output.body.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    same("events", &events, &expected())?;
    match error {
        Some(EventStreamError::Modelled(EventError::ThrottlingException(error))) => {
            same("message", &error.message(), &"slow down")?
        }
        other => return Err(format!("want a throttlingException, got {other:?}")),
    }
    Ok(format!(
        "iotsitewise InvokeAssistant: {} events, then throttlingException",
        events.len()
    ))
}
