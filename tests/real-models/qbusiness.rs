//! Q Business Chat (restJson1, HTTP/2, an input and an output stream), generated from the real
//! model: sends a configurationEvent, a textEvent and an endOfInputEvent (the test's server
//! checks every chained signature), receives two textEvent events and a metadataEvent, then
//! the stream's end (Chat's output union lists no exceptions).

use crate::client::types::{
    ChatInputStream as Input, ChatMode, ChatOutputStream as Event, ConfigurationEvent,
    EndOfInputEvent, MetadataEvent, TextInputEvent, TextOutputEvent,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventSender;

const APPLICATION: &str = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const CONVERSATION: &str = "c0ffee00-1111-4222-8333-444455556666";

fn text(system_message: &str) -> Event {
    Event::TextEvent(
        TextOutputEvent::builder()
            .conversation_id(CONVERSATION)
            .system_message(system_message)
            .build(),
    )
}

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

/// Sends Chat with three events to `url` and checks the events back and the end.
pub async fn run(url: &str) -> Result<String, String> {
    let input = vec![
        Input::ConfigurationEvent(
            ConfigurationEvent::builder()
                .chat_mode(ChatMode::RetrievalMode)
                .build(),
        ),
        Input::TextEvent(e(TextInputEvent::builder()
            .user_message("What is our leave policy?")
            .build())?),
        Input::EndOfInputEvent(EndOfInputEvent::builder().build()),
    ];
    let output = crate::client::Client::from_conf(config(url)?)
        .chat()
        .application_id(APPLICATION)
        .user_id("ana")
        .input_stream(EventSender::from_events(input))
        .send()
        .await
        .map_err(|e| format!("Chat: {e}"))?;
    let stream = output.output_stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        text("Employees get "),
        text("25 days."),
        Event::MetadataEvent(
            MetadataEvent::builder()
                .conversation_id(CONVERSATION)
                .final_text_message("Employees get 25 days.")
                .build(),
        ),
    ];
    same("events", &events, &want)?;
    if let Some(error) = error {
        return Err(format!("want the end of the stream, got {error:?}"));
    }
    Ok(format!(
        "qbusiness Chat: 3 events sent, {} events back, then the end",
        events.len()
    ))
}
