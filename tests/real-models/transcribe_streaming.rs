//! Transcribe Streaming StartStreamTranscription (restJson1, HTTP/2, an input and an output
//! stream), generated from the real model: sends three AudioEvent events (the test's server
//! checks every chained signature), receives two TranscriptEvent events, then a
//! BadRequestException mid-stream.

use crate::client::types::{
    Alternative, AudioEvent, AudioStream, LanguageCode, MediaEncoding, Result as Segment,
    Transcript, TranscriptEvent, TranscriptResultStream as Event,
    TranscriptResultStreamError as EventError,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::{EventSender, EventStreamError};
use smithy_runtime::Blob;

fn transcript(id: &str, end: f64, partial: bool, text: &str) -> Result<Event, String> {
    let segment = Segment::builder()
        .result_id(id)
        .start_time(0.0)
        .end_time(end)
        .is_partial(partial)
        .alternatives(Alternative::builder().transcript(text).build())
        .build();
    Ok(Event::TranscriptEvent(
        TranscriptEvent::builder()
            .transcript(Transcript::builder().results(segment).build())
            .build(),
    ))
}

/// Sends StartStreamTranscription with audio to `url` and checks the transcript events.
pub async fn run(url: &str) -> Result<String, String> {
    let audio: Vec<AudioStream> = [vec![1u8; 3200], vec![2u8; 3200], vec![3u8; 10]]
        .into_iter()
        .map(|chunk| {
            AudioStream::AudioEvent(AudioEvent::builder().audio_chunk(Blob::new(chunk)).build())
        })
        .collect();
    let output = crate::client::Client::from_conf(config(url)?)
        .start_stream_transcription()
        .language_code(LanguageCode::EnUs)
        .media_sample_rate_hertz(16_000)
        .media_encoding(MediaEncoding::Pcm)
        .audio_stream(EventSender::from_events(audio))
        .send()
        .await
        .map_err(|e| format!("StartStreamTranscription: {e}"))?;
    same("session id", &output.session_id.as_deref(), &Some("sess-1"))?;
    let stream = output
        .transcript_result_stream
        .as_ref()
        .ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        transcript("r1", 0.5, true, "hel")?,
        transcript("r1", 1.25, false, "hello")?,
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::BadRequestException(error))) => {
            same("message", &error.message(), &Some("audio too long"))?
        }
        other => return Err(format!("want a BadRequestException, got {other:?}")),
    }
    Ok(format!(
        "transcribe-streaming StartStreamTranscription: 3 audio events sent, {} events back, \
         then BadRequestException",
        events.len()
    ))
}
