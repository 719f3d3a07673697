//! Transcribe Streaming StartMedicalScribeStream (restJson1, HTTP/2, an input and an output
//! stream), a Transcribe crate operation: sends a ConfigurationEvent, an AudioEvent and a
//! SessionControlEvent (the test's server checks every chained signature), receives two
//! TranscriptEvent events, then an InternalFailureException.

use crate::client::types::{
    ClinicalNoteGenerationSettings, MedicalScribeAudioEvent, MedicalScribeConfigurationEvent,
    MedicalScribeInputStream as Input, MedicalScribeLanguageCode, MedicalScribeMediaEncoding,
    MedicalScribePostStreamAnalyticsSettings, MedicalScribeResultStream as Event,
    MedicalScribeResultStreamError as EventError, MedicalScribeSessionControlEvent,
    MedicalScribeSessionControlEventType, MedicalScribeTranscriptEvent,
    MedicalScribeTranscriptSegment,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::{EventSender, EventStreamError};
use smithy_runtime::Blob;

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

fn segment(id: &str, end: f64, content: &str) -> Event {
    Event::TranscriptEvent(
        MedicalScribeTranscriptEvent::builder()
            .transcript_segment(
                MedicalScribeTranscriptSegment::builder()
                    .segment_id(id)
                    .begin_audio_time(0.0)
                    .end_audio_time(end)
                    .content(content)
                    .is_partial(false)
                    .channel_id("CHANNEL_0")
                    .build(),
            )
            .build(),
    )
}

/// Sends StartMedicalScribeStream to `url` and checks the events back.
pub async fn run(url: &str) -> Result<String, String> {
    // A required structure member stays optional in the builder (no `Result` from `build`).
    let settings = MedicalScribePostStreamAnalyticsSettings::builder()
        .clinical_note_generation_settings(e(ClinicalNoteGenerationSettings::builder()
            .output_bucket_name("notes-bucket")
            .build())?)
        .build();
    let input = vec![
        Input::ConfigurationEvent(e(MedicalScribeConfigurationEvent::builder()
            .resource_access_role_arn("arn:aws:iam::123456789012:role/scribe")
            .post_stream_analytics_settings(settings)
            .build())?),
        Input::AudioEvent(e(MedicalScribeAudioEvent::builder()
            .audio_chunk(Blob::new(vec![7u8; 640]))
            .build())?),
        Input::SessionControlEvent(e(MedicalScribeSessionControlEvent::builder()
            .r#type(MedicalScribeSessionControlEventType::EndOfSession)
            .build())?),
    ];
    let output = crate::client::Client::from_conf(config(url)?)
        .start_medical_scribe_stream()
        .language_code(MedicalScribeLanguageCode::EnUs)
        .media_sample_rate_hertz(16_000)
        .media_encoding(MedicalScribeMediaEncoding::Pcm)
        .input_stream(EventSender::from_events(input))
        .send()
        .await
        .map_err(|e| format!("StartMedicalScribeStream: {e}"))?;
    same(
        "session id",
        &output.session_id.as_deref(),
        &Some("scribe-1"),
    )?;
    let stream = output.result_stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        segment("s1", 1.5, "How are you feeling?"),
        segment("s2", 3.0, "Better today."),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::InternalFailureException(error))) => {
            same("message", &error.message(), &Some("internal"))?
        }
        other => return Err(format!("want an InternalFailureException, got {other:?}")),
    }
    Ok(format!(
        "transcribe-streaming StartMedicalScribeStream: 3 events sent, {} events back, then \
         InternalFailureException",
        events.len()
    ))
}
