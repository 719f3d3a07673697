//! Bedrock Agent Runtime InvokeFlow, a Bedrock Agent Runtime crate operation: a
//! flowOutputEvent whose content is a document, a flowCompletionEvent, then the stream's
//! clean end (the test's server sends exactly these).

use crate::client::types::{
    FlowCompletionEvent, FlowCompletionReason, FlowInput, FlowInputContent, FlowOutputContent,
    FlowOutputEvent, FlowResponseStream as Event, NodeType,
};
use crate::common::{config, drain, same};
use smithy_runtime::serde_json::json;

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

/// Sends InvokeFlow to `url` and checks the events and the end.
pub async fn run(url: &str) -> Result<String, String> {
    let input = e(FlowInput::builder()
        .node_name("FlowInputNode")
        .node_output_name("document")
        .content(FlowInputContent::Document(json!({"question": "6 x 7?"})))
        .build())?;
    let output = crate::client::Client::from_conf(config(url)?)
        .invoke_flow()
        .flow_identifier("FLOW123456")
        .flow_alias_identifier("ALIAS12345")
        .inputs(input)
        .send()
        .await
        .map_err(|e| format!("InvokeFlow: {e}"))?;
    same(
        "execution id",
        &output.execution_id.as_deref(),
        &Some("exec-1"),
    )?;
    let stream = output.response_stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        Event::FlowOutputEvent(e(FlowOutputEvent::builder()
            .node_name("FlowOutputNode")
            .node_type(NodeType::FlowOutputNode)
            .content(FlowOutputContent::Document(
                json!({"answer": 42, "steps": ["6", "x", "7"], "exact": true}),
            ))
            .build())?),
        Event::FlowCompletionEvent(e(FlowCompletionEvent::builder()
            .completion_reason(FlowCompletionReason::Success)
            .build())?),
    ];
    same("events", &events, &want)?;
    if let Some(error) = error {
        return Err(format!("want the end of the stream, got {error:?}"));
    }
    Ok(format!(
        "bedrock-agent-runtime InvokeFlow: {} events, then the end",
        events.len()
    ))
}
