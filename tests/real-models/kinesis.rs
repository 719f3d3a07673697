//! Kinesis SubscribeToShard (awsJson1_1, HTTP/2), generated from the real model: the
//! `initial-response` event, two SubscribeToShardEvent events, then a ResourceInUseException
//! mid-stream.

use crate::client::types::{
    Record, ShardIteratorType, StartingPosition, SubscribeToShardEvent,
    SubscribeToShardEventStream as Event, SubscribeToShardEventStreamError as EventError,
};
use crate::common::{config, drain, same};
use smithy_runtime::event_stream::EventStreamError;
use smithy_runtime::{Blob, DateTime};

fn e<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{e:?}"))
}

fn shard_event(sequence: &str, data: &[u8], behind: i64) -> Result<Event, String> {
    let record = e(Record::builder()
        .sequence_number(sequence)
        .approximate_arrival_timestamp(DateTime::from_millis(1_700_000_000_500))
        .data(Blob::new(data.to_vec()))
        .partition_key("pk")
        .build())?;
    Ok(Event::SubscribeToShardEvent(e(
        SubscribeToShardEvent::builder()
            .records(record)
            .continuation_sequence_number(format!("{sequence}-next"))
            .millis_behind_latest(behind)
            .build(),
    )?))
}

/// Sends SubscribeToShard to `url` and checks the events and the exception.
pub async fn run(url: &str) -> Result<String, String> {
    let position = e(StartingPosition::builder()
        .r#type(ShardIteratorType::TrimHorizon)
        .build())?;
    let output = crate::client::Client::from_conf(config(url)?)
        .subscribe_to_shard()
        .consumer_arn("arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1")
        .shard_id("shardId-000000000000")
        .starting_position(position)
        .send()
        .await
        .map_err(|e| format!("SubscribeToShard: {e}"))?;
    let stream = output.event_stream.as_ref().ok_or("no stream")?;
    let (events, error) = drain(stream).await?;
    let want = vec![
        shard_event("1", b"hello", 10)?,
        shard_event("2", b"\x00\x01\xfe", 0)?,
    ];
    same("events", &events, &want)?;
    match error {
        Some(EventStreamError::Modelled(EventError::ResourceInUseException(error))) => {
            same("message", &error.message(), &Some("shard busy"))?
        }
        other => return Err(format!("want a ResourceInUseException, got {other:?}")),
    }
    Ok(format!(
        "kinesis SubscribeToShard: {} events, then ResourceInUseException",
        events.len()
    ))
}
