//! Transcribe Streaming StartMedicalStreamTranscription (restJson1, HTTP/2, an input and an
//! output stream), the Transcribe crate's second operation: sends two AudioEvent events (the
//! test's server checks every chained signature), receives two TranscriptEvent events, then a
//! LimitExceededException mid-stream.

use crate::client::types::{
    AudioEvent, AudioStream, LanguageCode, MediaEncoding, MedicalAlternative, MedicalResult,
    MedicalTranscript, MedicalTranscriptEvent, MedicalTranscriptResultStream as Event,
    MedicalTranscriptResultStreamError as EventError, Specialty, Type,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::{EventSender, EventStreamError};
use smithy_runtime::Blob;

fn transcript(end: f64, partial: bool, text: &str) -> Event {
    let result = MedicalResult::builder()
        .result_id("m1")
        .start_time(0.0)
        .end_time(end)
        .is_partial(partial)
        .alternatives(MedicalAlternative::builder().transcript(text).build())
        .channel_id("ch_0")
        .build();
    Event::TranscriptEvent(
        MedicalTranscriptEvent::builder()
            .transcript(MedicalTranscript::builder().results(result).build())
            .build(),
    )
}

/// Sends StartMedicalStreamTranscription with audio to `url` and checks the events back.
pub async fn run(url: &str) -> Result<String, String> {
    let audio: Vec<AudioStream> = [vec![4u8; 1600], vec![5u8; 7]]
        .into_iter()
        .map(|chunk| {
            AudioStream::AudioEvent(AudioEvent::builder().audio_chunk(Blob::new(chunk)).build())
        })
        .collect();
    let output = crate::client::Client::from_conf(config(url)?)
        .start_medical_stream_transcription()
        .language_code(LanguageCode::EnUs)
        .media_sample_rate_hertz(16_000)
        .media_encoding(MediaEncoding::Pcm)
        .specialty(Specialty::Cardiology)
        .r#type(Type::Dictation)
        .audio_stream(EventSender::from_events(audio))
        .send()
        .await
        .map_err(|e| format!("StartMedicalStreamTranscription: {e}"))?;
    same("specialty", &output.specialty, &Some(Specialty::Cardiology))?;
    let stream = output
        .transcript_result_stream
        .as_ref()
        .ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        transcript(0.4, true, "aortic"),
        transcript(1.1, false, "aortic stenosis"),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::LimitExceededException(error))) => {
            same("message", &error.message(), &Some("too many streams"))?
        }
        other => return Err(format!("want a LimitExceededException, got {other:?}")),
    }
    Ok(format!(
        "transcribe-streaming StartMedicalStreamTranscription: 2 audio events sent, {} events \
         back, then LimitExceededException",
        events.len()
    ))
}
