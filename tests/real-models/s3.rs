//! S3 SelectObjectContent (restXml), generated from the real model: Records, Cont, Records
//! and Stats events, then an error message mid-stream. The model lists no exception in the
//! stream's union; S3 reports a failed select as a `:message-type: error` message, which must
//! come back as `EventStreamError::Service` with its code and message.

use crate::client::types::{
    ContinuationEvent, CsvInput, ExpressionType, InputSerialization, JsonOutput,
    OutputSerialization, RecordsEvent, SelectObjectContentEventStream as Event, Stats, StatsEvent,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;
use smithy_runtime::Blob;

/// Sends SelectObjectContent to `url` and checks the events and the error.
pub async fn run(url: &str) -> Result<String, String> {
    let output = crate::client::Client::from_conf(config(url)?)
        .select_object_content()
        .bucket("my-bucket")
        .key("data/file.csv")
        .expression("SELECT * FROM S3Object")
        .expression_type(ExpressionType::Sql)
        .input_serialization(
            InputSerialization::builder()
                .csv(CsvInput::builder().build())
                .build(),
        )
        .output_serialization(
            OutputSerialization::builder()
                .json(JsonOutput::builder().build())
                .build(),
        )
        .send()
        .await
        .map_err(|e| format!("SelectObjectContent: {e}"))?;
    let stream = output.payload.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let records = |bytes: &[u8]| {
        Event::Records(
            RecordsEvent::builder()
                .payload(Blob::new(bytes.to_vec()))
                .build(),
        )
    };
    let stats = Stats::builder()
        .bytes_scanned(100)
        .bytes_processed(90)
        .bytes_returned(24)
        .build();
    let want = vec![
        records(b"{\"a\":\"1\"}\n"),
        Event::Cont(ContinuationEvent::builder().build()),
        records(b"{\"a\":\"2\"}\n"),
        Event::Stats(StatsEvent::builder().details(stats).build()),
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Service { code, message }) => {
            same("code", &code.as_str(), &"InternalError")?;
            same("message", &message.as_str(), &"select failed")?;
        }
        other => return Err(format!("want an error message, got {other:?}")),
    }
    Ok(format!(
        "s3 SelectObjectContent: {} events, then an InternalError error message",
        events.len()
    ))
}
