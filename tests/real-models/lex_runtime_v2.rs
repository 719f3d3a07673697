//! Lex Runtime V2 StartConversation (restJson1, HTTP/2, an input and an output stream),
//! generated from the real model: sends a ConfigurationEvent, a TextInputEvent and a
//! DisconnectionEvent (the test's server checks every chained signature), receives a
//! TranscriptEvent, an IntentResultEvent and a TextResponseEvent, then a ValidationException
//! mid-stream.

use crate::client::types::{
    ConfidenceScore, ConfigurationEvent, ConversationMode, DisconnectionEvent, InputMode, Intent,
    IntentResultEvent, IntentState, Interpretation, Message, MessageContentType, SessionState,
    StartConversationRequestEventStream as Input, StartConversationResponseEventStream as Event,
    StartConversationResponseEventStreamError as EventError, TextInputEvent, TextResponseEvent,
    TranscriptEvent,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::{EventSender, EventStreamError};

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

fn expected() -> Result<Vec<Event>, String> {
    let intent = e(Intent::builder()
        .name("OrderFlowers")
        .state(IntentState::InProgress)
        .build())?;
    Ok(vec![
        Event::TranscriptEvent(
            TranscriptEvent::builder()
                .transcript("I want flowers")
                .event_id("out-1")
                .build(),
        ),
        Event::IntentResultEvent(
            IntentResultEvent::builder()
                .input_mode(InputMode::Text)
                .interpretations(
                    Interpretation::builder()
                        .nlu_confidence(ConfidenceScore::builder().score(0.93).build())
                        .intent(intent.clone())
                        .build(),
                )
                .session_state(SessionState::builder().intent(intent).build())
                .session_id("session-1")
                .event_id("out-2")
                .build(),
        ),
        Event::TextResponseEvent(
            TextResponseEvent::builder()
                .messages(e(Message::builder()
                    .content("What kind of flowers?")
                    .content_type(MessageContentType::PlainText)
                    .build())?)
                .event_id("out-3")
                .build(),
        ),
    ])
}

/// Sends StartConversation with three events to `url` and checks the events back.
pub async fn run(url: &str) -> Result<String, String> {
    let input = vec![
        Input::ConfigurationEvent(e(ConfigurationEvent::builder()
            .response_content_type("text/plain; charset=utf-8")
            .event_id("in-1")
            .client_timestamp_millis(1_700_000_000_000_i64)
            .build())?),
        Input::TextInputEvent(e(TextInputEvent::builder()
            .text("I want flowers")
            .event_id("in-2")
            .build())?),
        Input::DisconnectionEvent(DisconnectionEvent::builder().event_id("in-3").build()),
    ];
    let output = crate::client::Client::from_conf(config(url)?)
        .start_conversation()
        .bot_id("BOT0123456")
        .bot_alias_id("TSTALIASID")
        .locale_id("en_US")
        .session_id("session-1")
        .conversation_mode(ConversationMode::Text)
        .request_event_stream(EventSender::from_events(input))
        .send()
        .await
        .map_err(|e| format!("StartConversation: {e}"))?;
    let stream = output.response_event_stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    same("events", &events, &expected()?)?;
    match error {
        Some(EventStreamError::Modelled(EventError::ValidationException(error))) => {
            same("message", &error.message(), &"bad slot")?
        }
        other => return Err(format!("want a ValidationException, got {other:?}")),
    }
    Ok(format!(
        "lex-runtime-v2 StartConversation: 3 events sent, {} events back, then \
         ValidationException",
        events.len()
    ))
}
