//! Transcribe Streaming StartCallAnalyticsStreamTranscription (restJson1, HTTP/2, an input and
//! an output stream), a Transcribe crate operation: sends a ConfigurationEvent (JSON) and an
//! AudioEvent (an `@eventPayload` blob; the test's server checks every chained signature),
//! receives an UtteranceEvent and a CategoryEvent, then a ServiceUnavailableException.

use crate::client::types::{
    AudioEvent, AudioStream, CallAnalyticsLanguageCode,
    CallAnalyticsTranscriptResultStream as Event,
    CallAnalyticsTranscriptResultStreamError as EventError, CategoryEvent, ChannelDefinition,
    ConfigurationEvent, MediaEncoding, ParticipantRole, UtteranceEvent,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::{EventSender, EventStreamError};
use smithy_runtime::Blob;

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

fn channel(id: i32, role: ParticipantRole) -> Result<ChannelDefinition, String> {
    e(ChannelDefinition::builder()
        .channel_id(id)
        .participant_role(role)
        .build())
}

/// Sends StartCallAnalyticsStreamTranscription to `url` and checks the events back.
pub async fn run(url: &str) -> Result<String, String> {
    let input = vec![
        AudioStream::ConfigurationEvent(
            ConfigurationEvent::builder()
                .channel_definitions(channel(0, ParticipantRole::Agent)?)
                .channel_definitions(channel(1, ParticipantRole::Customer)?)
                .build(),
        ),
        AudioStream::AudioEvent(
            AudioEvent::builder()
                .audio_chunk(Blob::new(vec![6u8; 320]))
                .build(),
        ),
    ];
    let output = crate::client::Client::from_conf(config(url)?)
        .start_call_analytics_stream_transcription()
        .language_code(CallAnalyticsLanguageCode::EnUs)
        .media_sample_rate_hertz(8_000)
        .media_encoding(MediaEncoding::Pcm)
        .audio_stream(EventSender::from_events(input))
        .send()
        .await
        .map_err(|e| format!("StartCallAnalyticsStreamTranscription: {e}"))?;
    let stream = output
        .call_analytics_transcript_result_stream
        .as_ref()
        .ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        Event::UtteranceEvent(
            UtteranceEvent::builder()
                .utterance_id("u1")
                .is_partial(false)
                .participant_role(ParticipantRole::Agent)
                .begin_offset_millis(0_i64)
                .end_offset_millis(1_200_i64)
                .transcript("Thanks for calling.")
                .build(),
        ),
        Event::CategoryEvent(
            CategoryEvent::builder()
                .matched_categories("greeting")
                .build(),
        ),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::ServiceUnavailableException(error))) => {
            same("message", &error.message(), &Some("try later"))?
        }
        other => return Err(format!("want a ServiceUnavailableException, got {other:?}")),
    }
    Ok(format!(
        "transcribe-streaming StartCallAnalyticsStreamTranscription: 2 events sent, {} events \
         back, then ServiceUnavailableException",
        events.len()
    ))
}
