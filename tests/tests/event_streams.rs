//! Output event streams end to end: clients generated from our own models
//! (`tests/models/events_*.smithy`: restJson1 like Bedrock's ConverseStream, awsJson1_1 like
//! Kinesis's SubscribeToShard, restXml like S3's SelectObjectContent) against a real hyper
//! server on 127.0.0.1 that streams `application/vnd.amazon.eventstream` bodies (over HTTP/1.1,
//! and HTTP/2 for the Kinesis-like service, which says `eventStreamHttp: ["h2"]`): with delays, split at every byte boundary, a modelled exception mid-stream, an error
//! message, a bad CRC, a stream cut short, an aborted connection, a dropped receiver and a
//! consumer that does not read (backpressure). Input event streams (a Transcribe-like model,
//! `events_input.smithy`) go over HTTP/2, and the server verifies every chained signature.

use bytes::Bytes;
use futures_core::Stream;
use integration_tests::event_server::{EventServer, Script, Step, Version};
use integration_tests::events_aws_json as shards;
use integration_tests::events_rest_json as chat;
use integration_tests::events_rest_xml as select;
use smithy_runtime::event_stream::{
    encode_message, EventReceiver, EventStreamError, FrameError, HeaderValue, Message,
};
use smithy_runtime::{Blob, DateTime, SdkError};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chat::types::{
    ChunkEvent, ContentBlockDelta, ContentBlockDeltaEvent, ConversationRole, ConverseStreamEvents,
    ConverseStreamEventsError, MessageStartEvent, MetadataEvent, TokenUsage,
};

fn string(value: &str) -> HeaderValue {
    HeaderValue::String(value.to_owned())
}

/// An event message as a service sends it.
fn event(event_type: &str, payload: impl Into<Bytes>) -> Message {
    Message::new(payload)
        .with_header(":message-type", string("event"))
        .with_header(":event-type", string(event_type))
        .with_header(":content-type", string("application/json"))
}

fn exception(exception_type: &str, payload: &str) -> Message {
    Message::new(payload.to_owned())
        .with_header(":message-type", string("exception"))
        .with_header(":exception-type", string(exception_type))
}

fn frame(message: &Message) -> Bytes {
    encode_message(message).expect("encodable")
}

fn send(message: &Message) -> Step {
    Step::Send(frame(message))
}

fn delay(ms: u64) -> Step {
    Step::Delay(Duration::from_millis(ms))
}

/// The conversation the chat tests stream, as messages and as the events the client must see.
fn conversation() -> (Vec<Message>, Vec<ConverseStreamEvents>) {
    let sent_at = DateTime::from_millis(1_700_000_000_250);
    let chunk = Message::new(&b"\x00raw\xffbytes"[..])
        .with_header(":message-type", string("event"))
        .with_header(":event-type", string("chunk"))
        .with_header("sequence", HeaderValue::Int64(1 << 40))
        .with_header("last", HeaderValue::Bool(false))
        .with_header("label", string("caf\u{e9}"))
        .with_header("sentAt", HeaderValue::Timestamp(sent_at))
        .with_header("small", HeaderValue::Byte(-3))
        .with_header("medium", HeaderValue::Int16(-1234))
        .with_header("count", HeaderValue::Int32(70_000))
        .with_header(
            "tag",
            HeaderValue::ByteArray(Bytes::from_static(b"\x01\x02")),
        );
    let messages = vec![
        event("messageStart", r#"{"role":"assistant"}"#),
        event(
            "contentBlockDelta",
            r#"{"delta":{"text":"Hel"},"contentBlockIndex":0}"#,
        ),
        event(
            "contentBlockDelta",
            r#"{"delta":{"text":"lo \u00e9"},"contentBlockIndex":0}"#,
        ),
        chunk,
        event("somethingNewer", r#"{"x":1}"#),
        event(
            "metadata",
            r#"{"usage":{"inputTokens":3,"outputTokens":5}}"#,
        ),
        event("stop", ""),
    ];
    let events = vec![
        ConverseStreamEvents::MessageStart(
            MessageStartEvent::builder()
                .role(ConversationRole::Assistant)
                .build()
                .unwrap(),
        ),
        ConverseStreamEvents::ContentBlockDelta(
            ContentBlockDeltaEvent::builder()
                .delta(ContentBlockDelta::Text("Hel".into()))
                .content_block_index(0)
                .build()
                .unwrap(),
        ),
        ConverseStreamEvents::ContentBlockDelta(
            ContentBlockDeltaEvent::builder()
                .delta(ContentBlockDelta::Text("lo \u{e9}".into()))
                .content_block_index(0)
                .build()
                .unwrap(),
        ),
        ConverseStreamEvents::Chunk(
            ChunkEvent::builder()
                .bytes(Blob::new(&b"\x00raw\xffbytes"[..]))
                .sequence(1i64 << 40)
                .last(false)
                .label("caf\u{e9}")
                .sent_at(sent_at)
                .small(-3i8)
                .medium(-1234i16)
                .count(70_000)
                .tag(Blob::new(vec![1, 2]))
                .build(),
        ),
        ConverseStreamEvents::Unknown,
        ConverseStreamEvents::Metadata(
            MetadataEvent::builder()
                .usage(
                    TokenUsage::builder()
                        .input_tokens(3)
                        .output_tokens(5)
                        .build(),
                )
                .build(),
        ),
        ConverseStreamEvents::Stop(chat::types::StopEvent::builder().build()),
    ];
    (messages, events)
}

async fn converse(server: &EventServer) -> chat::operation::converse_stream::ConverseStreamOutput {
    chat::Client::from_conf(server.config())
        .converse_stream()
        .model_id("model-1")
        .prompt("hi")
        .send()
        .await
        .expect("the stream starts")
}

type ChatError = EventStreamError<ConverseStreamEventsError>;

/// Every event until the end or the first error.
async fn drain<T: smithy_runtime::event_stream::DecodeEvent>(
    receiver: &EventReceiver<T>,
) -> (Vec<T>, Option<EventStreamError<T::Error>>) {
    let mut events = Vec::new();
    loop {
        match receiver.recv().await {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return (events, None),
            Err(error) => {
                // An error ends the stream.
                assert!(matches!(receiver.recv().await, Ok(None)));
                return (events, Some(error));
            }
        }
    }
}

#[tokio::test]
async fn rest_json_events_arrive_in_order_with_delays() {
    let (messages, expected) = conversation();
    let steps: Vec<Step> = messages.iter().flat_map(|m| [delay(20), send(m)]).collect();
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(steps.clone()).header("x-chat-session", "s-42")
    })
    .await;
    let output = converse(&server).await;
    // The initial response (HTTP headers) is there before any event is read.
    assert_eq!(output.session(), Some("s-42"));
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events, expected);
    let request = &server.requests()[0];
    assert_eq!(request.path(), "/model/model-1/converse-stream");
    assert!(request
        .header("authorization")
        .unwrap()
        .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
}

#[tokio::test]
async fn every_split_point_of_the_body() {
    let (messages, expected) = conversation();
    let body: Vec<u8> = messages.iter().flat_map(|m| frame(m).to_vec()).collect();
    let body = Bytes::from(body);
    let total = body.len();
    let server = EventServer::start(Version::Http1, move |request| {
        // The split point travels in the prompt.
        let at: usize = request.json()["prompt"].as_str().unwrap().parse().unwrap();
        Script::ok(vec![
            Step::Send(body.slice(..at)),
            delay(1),
            Step::Send(body.slice(at..)),
        ])
    })
    .await;
    let client = chat::Client::from_conf(server.config());
    for at in 1..total {
        let output = client
            .converse_stream()
            .model_id("m")
            .prompt(at.to_string())
            .send()
            .await
            .unwrap();
        let (events, error) = drain(output.stream.as_ref().unwrap()).await;
        assert!(error.is_none(), "split at {at}: {error:?}");
        assert_eq!(events, expected, "split at {at}");
    }
}

#[tokio::test]
async fn one_byte_per_write() {
    let (messages, expected) = conversation();
    let steps: Vec<Step> = messages
        .iter()
        .flat_map(|m| frame(m).to_vec())
        .map(|b| Step::Send(Bytes::from(vec![b])))
        .collect();
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let output = converse(&server).await;
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events, expected);
}

#[tokio::test]
async fn several_events_in_one_write_and_the_stream_trait() {
    let (messages, expected) = conversation();
    let body: Vec<u8> = messages.iter().flat_map(|m| frame(m).to_vec()).collect();
    let server = EventServer::start(Version::Http1, move |_| {
        Script::ok(vec![Step::Send(Bytes::from(body.clone()))])
    })
    .await;
    let output = converse(&server).await;
    let mut receiver = output.stream.unwrap();
    let mut events = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut receiver).poll_next(cx)).await {
        events.push(item.expect("an event"));
    }
    assert_eq!(events, expected);
}

#[tokio::test]
async fn modelled_exception_mid_stream() {
    let (messages, expected) = conversation();
    let steps = vec![
        send(&messages[0]),
        delay(10),
        send(&messages[1]),
        send(&exception(
            "throttlingException",
            r#"{"message":"slow down"}"#,
        )),
        // Never seen: the exception ends the stream.
        send(&messages[2]),
    ];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let output = converse(&server).await;
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert_eq!(events, expected[..2]);
    match error {
        Some(ChatError::Modelled(ConverseStreamEventsError::ThrottlingException(e))) => {
            assert_eq!(e.message(), Some("slow down"));
            assert_eq!(e.meta().code.as_deref(), Some("ThrottlingException"));
        }
        other => panic!("expected the modelled throttling exception, got {other:?}"),
    }
}

#[tokio::test]
async fn exception_with_members_and_an_unknown_exception() {
    let server = EventServer::start(Version::Http1, |request| {
        let body = if request.json()["prompt"] == "known" {
            exception(
                "modelStreamErrorException",
                r#"{"message":"model failed","originalStatusCode":424}"#,
            )
        } else {
            exception("brandNewException", r#"{"message":"?"}"#)
        };
        Script::ok(vec![send(&body)])
    })
    .await;
    let client = chat::Client::from_conf(server.config());
    let output = client
        .converse_stream()
        .model_id("m")
        .prompt("known")
        .send()
        .await
        .unwrap();
    match drain(output.stream.as_ref().unwrap()).await {
        (
            events,
            Some(ChatError::Modelled(ConverseStreamEventsError::ModelStreamErrorException(e))),
        ) if events.is_empty() => {
            assert_eq!(e.original_status_code(), Some(424));
            assert!(e.to_string().contains("model failed"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let output = client
        .converse_stream()
        .model_id("m")
        .prompt("unknown")
        .send()
        .await
        .unwrap();
    match drain(output.stream.as_ref().unwrap()).await.1 {
        Some(ChatError::UnknownException {
            exception_type,
            payload,
        }) => {
            assert_eq!(exception_type, "brandNewException");
            assert_eq!(&payload[..], br#"{"message":"?"}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn error_message_frame() {
    let error = Message::new(Bytes::new())
        .with_header(":message-type", string("error"))
        .with_header(":error-code", string("InternalError"))
        .with_header(":error-message", string("it broke"));
    let (messages, expected) = conversation();
    let steps = vec![send(&messages[0]), send(&error)];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let output = converse(&server).await;
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert_eq!(events, expected[..1]);
    match error {
        Some(ChatError::Service { code, message }) => {
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("InternalError", "it broke")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_crc_ends_the_stream_with_a_frame_error() {
    let (messages, expected) = conversation();
    let mut corrupt = frame(&messages[1]).to_vec();
    let last = corrupt.len() - 6;
    corrupt[last] ^= 0x20;
    let steps = vec![
        send(&messages[0]),
        Step::Send(corrupt.into()),
        send(&messages[2]),
    ];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let output = converse(&server).await;
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert_eq!(events, expected[..1]);
    assert!(
        matches!(
            error,
            Some(ChatError::Frame(FrameError::MessageCrcMismatch { .. }))
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn body_ending_inside_a_message_is_truncated() {
    let (messages, expected) = conversation();
    let partial = frame(&messages[1]).slice(..20);
    let steps = vec![send(&messages[0]), Step::Send(partial)];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let output = converse(&server).await;
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert_eq!(events, expected[..1]);
    assert_eq!(
        error.map(|e| e.to_string()),
        Some(FrameError::Truncated { buffered: 20 }.to_string())
    );
}

#[tokio::test]
async fn connection_cut_mid_stream_is_a_transport_error() {
    let (messages, expected) = conversation();
    let steps = vec![send(&messages[0]), delay(10), Step::Abort];
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let output = converse(&server).await;
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert_eq!(events, expected[..1]);
    assert!(matches!(error, Some(ChatError::Transport(_))), "{error:?}");
}

#[tokio::test]
async fn an_error_status_is_the_operation_error() {
    let server = EventServer::start(Version::Http1, |_| Script {
        status: 400,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-amzn-errortype".into(), "ValidationException".into()),
        ],
        steps: vec![Step::Send(Bytes::from_static(
            br#"{"message":"bad model"}"#,
        ))],
    })
    .await;
    let error = chat::Client::from_conf(server.config())
        .converse_stream()
        .model_id("m")
        .send()
        .await
        .expect_err("a 400");
    match error {
        SdkError::Service(e) => {
            assert!(e.is_validation_exception(), "{e:?}");
            assert_eq!(e.message(), Some("bad model"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn dropping_the_receiver_closes_the_connection() {
    let (messages, _) = conversation();
    let endless: Vec<Step> = std::iter::repeat_n([send(&messages[1]), delay(5)], 2000)
        .flatten()
        .collect();
    let server = EventServer::start(Version::Http1, move |_| Script::ok(endless.clone())).await;
    let output = converse(&server).await;
    let receiver = output.stream.unwrap();
    for _ in 0..3 {
        assert!(receiver.recv().await.unwrap().is_some());
    }
    drop(receiver);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while server.progress().abandoned.load(Ordering::SeqCst) == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server kept writing after the receiver was dropped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_consumer_that_does_not_read_holds_the_sender_back() {
    // 1000 events of 64 KiB: 64 MiB, far more than loopback socket buffers hold.
    let big = event("chunk", vec![b'x'; 64 * 1024]);
    let count = 1000;
    let steps: Vec<Step> = std::iter::repeat_n(send(&big), count).collect();
    let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
    let output = converse(&server).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent_while_idle = server.progress().sent.load(Ordering::SeqCst);
    assert!(
        sent_while_idle < count / 2,
        "{sent_while_idle} of {count} events were sent while nobody read"
    );
    let (events, error) = drain(output.stream.as_ref().unwrap()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events.len(), count);
}

mod aws_json {
    use super::*;
    use shards::types::SubscribeToShardEventStreamError as ShardError;
    use shards::types::{Record, SubscribeToShardEvent, SubscribeToShardEventStream};

    fn shard_event(sequence: &str) -> (Message, SubscribeToShardEventStream) {
        let payload = format!(
            r#"{{"Records":[{{"SequenceNumber":"{sequence}","Data":"aGk=","ApproximateArrivalTimestamp":1700000000.5}}],"ContinuationSequenceNumber":"{sequence}","MillisBehindLatest":7}}"#
        );
        let event = SubscribeToShardEventStream::SubscribeToShardEvent(
            SubscribeToShardEvent::builder()
                .records(
                    Record::builder()
                        .sequence_number(sequence)
                        .data(Blob::new(&b"hi"[..]))
                        .approximate_arrival_timestamp(DateTime::from_millis(1_700_000_000_500))
                        .build()
                        .unwrap(),
                )
                .continuation_sequence_number(sequence)
                .millis_behind_latest(7)
                .build()
                .unwrap(),
        );
        (super::event("SubscribeToShardEvent", payload), event)
    }

    async fn subscribe(
        server: &EventServer,
    ) -> shards::operation::subscribe_to_shard::SubscribeToShardOutput {
        shards::Client::from_conf(server.config())
            .subscribe_to_shard()
            .consumer_arn("arn:consumer")
            .shard_id("shard-1")
            .send()
            .await
            .expect("subscribed")
    }

    #[tokio::test]
    async fn initial_response_event_then_events_then_an_exception() {
        let (first, first_event) = shard_event("1");
        let (second, second_event) = shard_event("2");
        let steps = vec![
            send(&super::event(
                "initial-response",
                r#"{"subscriptionId":"sub-9"}"#,
            )),
            delay(10),
            send(&first),
            delay(10),
            send(&second),
            send(&exception(
                "InternalFailureException",
                r#"{"message":"shard moved"}"#,
            )),
        ];
        let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
        let output = subscribe(&server).await;
        assert_eq!(output.subscription_id(), Some("sub-9"));
        let (events, error) = drain(output.event_stream.as_ref().unwrap()).await;
        assert_eq!(events, vec![first_event, second_event]);
        match error {
            Some(EventStreamError::Modelled(ShardError::InternalFailureException(e))) => {
                assert_eq!(e.message(), Some("shard moved"));
            }
            other => panic!("{other:?}"),
        }
        let request = &server.requests()[0];
        assert_eq!(
            request.header("x-amz-target"),
            Some("Shards.SubscribeToShard")
        );
        assert_eq!(request.json()["shardId"], "shard-1");
    }

    #[tokio::test]
    async fn without_an_initial_response_the_first_event_is_kept() {
        let (first, first_event) = shard_event("1");
        let steps = vec![send(&first)];
        let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
        let output = subscribe(&server).await;
        assert_eq!(output.subscription_id(), None);
        let (events, error) = drain(output.event_stream.as_ref().unwrap()).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(events, vec![first_event]);
    }

    #[tokio::test]
    async fn a_malformed_initial_response_fails_the_call() {
        let steps = vec![send(&super::event("initial-response", "{not json"))];
        let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
        let error = shards::Client::from_conf(server.config())
            .subscribe_to_shard()
            .consumer_arn("a")
            .shard_id("s")
            .send()
            .await
            .expect_err("malformed");
        assert!(matches!(error, SdkError::Response(_)), "{error:?}");
        assert!(error.to_string().contains("initial-response"), "{error}");
    }

    #[tokio::test]
    async fn an_event_whose_payload_does_not_decode_is_malformed() {
        let steps = vec![send(&super::event(
            "SubscribeToShardEvent",
            r#"{"Records":7}"#,
        ))];
        let server = EventServer::start(Version::Http2, move |_| Script::ok(steps.clone())).await;
        let output = subscribe(&server).await;
        let (events, error) = drain(output.event_stream.as_ref().unwrap()).await;
        assert!(events.is_empty());
        assert!(
            matches!(error, Some(EventStreamError::Malformed(_))),
            "{error:?}"
        );
    }
}

mod rest_xml {
    use super::*;
    use select::types::{SelectObjectContentEventStream as Select, Stats};

    #[tokio::test]
    async fn records_stats_and_empty_events() {
        let records = |bytes: &'static [u8]| {
            Message::new(bytes)
                .with_header(":message-type", string("event"))
                .with_header(":event-type", string("Records"))
                .with_header(":content-type", string("application/octet-stream"))
        };
        let stats = Message::new(
            "<Stats><BytesScanned>100</BytesScanned><BytesProcessed>90</BytesProcessed><BytesReturned>12</BytesReturned></Stats>",
        )
        .with_header(":message-type", string("event"))
        .with_header(":event-type", string("Stats"))
        .with_header(":content-type", string("text/xml"));
        let bare = |name: &str| {
            Message::new(Bytes::new())
                .with_header(":message-type", string("event"))
                .with_header(":event-type", string(name))
        };
        let steps = vec![
            send(&records(b"a,1\n")),
            delay(5),
            send(&bare("Cont")),
            send(&records(b"b,2\n")),
            send(&stats),
            send(&bare("End")),
        ];
        let server = EventServer::start(Version::Http1, move |_| Script::ok(steps.clone())).await;
        let output = select::Client::from_conf(server.config())
            .select_object_content()
            .bucket("bucket")
            .key("data/file.csv")
            .expression("select * from s3object")
            .send()
            .await
            .expect("started");
        let (events, error) = drain(output.payload.as_ref().unwrap()).await;
        assert!(error.is_none(), "{error:?}");
        let record = |b: &[u8]| {
            Select::Records(
                select::types::RecordsEvent::builder()
                    .payload(Blob::new(b.to_vec()))
                    .build(),
            )
        };
        assert_eq!(
            events,
            vec![
                record(b"a,1\n"),
                Select::Cont(select::types::ContinuationEvent::builder().build()),
                record(b"b,2\n"),
                Select::Stats(
                    select::types::StatsEvent::builder()
                        .details(
                            Stats::builder()
                                .bytes_scanned(100)
                                .bytes_processed(90)
                                .bytes_returned(12)
                                .build()
                        )
                        .build()
                ),
                Select::End(select::types::EndEvent::builder().build()),
            ]
        );
        let request = &server.requests()[0];
        assert_eq!(request.uri, "/bucket/data/file.csv?select&select-type=2");
    }
}

mod input {
    //! Input event streams over HTTP/2: the server checks every chained event signature with
    //! our signer, seeded by the request's own signature.
    use super::*;
    use integration_tests::event_server::Recorded;
    use integration_tests::events_input as transcribe;
    use smithy_runtime::event_stream::EventSender;
    use std::task::Context;
    use tokio::sync::mpsc;
    use transcribe::types::{AudioEvent, AudioStream, ConfigurationEvent, NoteEvent, NoteStream};

    /// A caller's stream fed from a channel, so events can be produced over time.
    struct ChannelStream<T>(mpsc::Receiver<T>);

    impl<T> Stream for ChannelStream<T> {
        type Item = T;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> std::task::Poll<Option<T>> {
            self.0.poll_recv(cx)
        }
    }

    /// Checks the request's body as a service would: every message carries `:date` and a
    /// `:chunk-signature` chained from the request's signature, the last one is empty.
    /// Returns the inner (unwrapped) events.
    fn verified_events(request: &Recorded, service: &str) -> Vec<Message> {
        assert_eq!(
            request.header("x-amz-content-sha256"),
            Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
        );
        assert_eq!(
            request.header("content-type"),
            Some("application/vnd.amazon.eventstream")
        );
        let authorization = request.header("authorization").expect("signed");
        assert!(authorization.contains(&format!("/us-east-1/{service}/aws4_request")));
        assert!(
            authorization.contains("x-amz-content-sha256"),
            "{authorization}"
        );
        request.chained_events(service)
    }

    #[tokio::test]
    async fn audio_stream_is_signed_event_by_event_over_http2() {
        let transcript = event("TranscriptEvent", r#"{"Transcript":"hello world"}"#);
        let steps = vec![send(&transcript), delay(5), send(&transcript)];
        let server = EventServer::start(Version::Http2, move |_| {
            Script::ok(steps.clone()).header("x-amzn-transcribe-session-id", "sess-1")
        })
        .await;
        let (tx, rx) = mpsc::channel(1);
        tokio::spawn(async move {
            let chunks = [vec![1u8; 3200], vec![2u8; 3200], vec![3u8; 10]];
            let config = AudioStream::ConfigurationEvent(
                ConfigurationEvent::builder()
                    .channel_count(2)
                    .label("mic")
                    .build(),
            );
            let _ = tx.send(config).await;
            for chunk in chunks {
                tokio::time::sleep(Duration::from_millis(10)).await;
                let audio = AudioEvent::builder().audio_chunk(Blob::new(chunk)).build();
                let _ = tx.send(AudioStream::AudioEvent(audio)).await;
            }
        });
        let output = transcribe::Client::from_conf(server.config())
            .start_stream_transcription()
            .language_code("en-US")
            .audio_stream(EventSender::new(ChannelStream(rx)))
            .send()
            .await
            .expect("started");
        assert_eq!(output.session_id(), Some("sess-1"));
        let (events, error) = drain(output.transcript_result_stream.as_ref().unwrap()).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(events.len(), 2);
        let request = &server.requests()[0];
        assert_eq!(
            request.header("x-amzn-transcribe-language-code"),
            Some("en-US")
        );
        let events = verified_events(request, "transcribe");
        assert_eq!(events.len(), 4);
        assert_eq!(
            events[0].header_str(":event-type"),
            Some("ConfigurationEvent")
        );
        assert_eq!(
            events[0].header_str(":content-type"),
            Some("application/json")
        );
        let config: smithy_runtime::serde_json::Value =
            smithy_runtime::serde_json::from_slice(&events[0].payload).unwrap();
        assert_eq!(
            config,
            smithy_runtime::serde_json::json!({"ChannelCount": 2, "Label": "mic"})
        );
        for (event, fill) in events[1..].iter().zip([1u8, 2, 3]) {
            assert_eq!(event.header_str(":message-type"), Some("event"));
            assert_eq!(event.header_str(":event-type"), Some("AudioEvent"));
            assert_eq!(
                event.header_str(":content-type"),
                Some("application/octet-stream")
            );
            assert!(event.payload.iter().all(|b| *b == fill));
        }
        assert_eq!(events[3].payload.len(), 10);
    }

    #[tokio::test]
    async fn header_members_and_a_string_payload() {
        let server = EventServer::start(Version::Http2, |_| Script {
            status: 200,
            headers: vec![("x-note-count".into(), "2".into())],
            steps: vec![],
        })
        .await;
        let notes = vec![
            NoteStream::Note(
                NoteEvent::builder()
                    .priority(3)
                    .urgent(true)
                    .text("first")
                    .build(),
            ),
            NoteStream::Note(NoteEvent::builder().text("second \u{e9}").build()),
        ];
        let output = transcribe::Client::from_conf(server.config())
            .send_notes()
            .notes(EventSender::from_events(notes))
            .send()
            .await
            .expect("sent");
        assert_eq!(output.count(), Some(2));
        let events = verified_events(&server.requests()[0], "transcribe");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].header("Priority"), Some(&HeaderValue::Int32(3)));
        assert_eq!(events[0].header("Urgent"), Some(&HeaderValue::Bool(true)));
        assert_eq!(events[0].header_str(":content-type"), Some("text/plain"));
        assert_eq!(&events[0].payload[..], b"first");
        assert_eq!(events[1].header("Priority"), None);
        assert_eq!(&events[1].payload[..], "second \u{e9}".as_bytes());
    }

    #[tokio::test]
    async fn an_unknown_event_fails_the_request_body() {
        let server = EventServer::start(Version::Http2, |_| Script::ok(vec![])).await;
        let result = transcribe::Client::from_conf(server.config())
            .send_notes()
            .notes(EventSender::from_events(vec![NoteStream::Unknown]))
            .send()
            .await;
        assert!(result.is_err(), "{result:?}");
    }

    #[tokio::test]
    async fn an_input_stream_is_sent_once() {
        let server = EventServer::start(Version::Http2, |_| Script::ok(vec![])).await;
        let sender = EventSender::from_events(vec![NoteStream::Note(
            NoteEvent::builder().text("x").build(),
        )]);
        let client = transcribe::Client::from_conf(server.config());
        client
            .send_notes()
            .notes(sender.clone())
            .send()
            .await
            .expect("first");
        let again = client.send_notes().notes(sender).send().await;
        match again {
            Err(SdkError::Construction(e)) => assert!(e.to_string().contains("sent once"), "{e}"),
            other => panic!("{other:?}"),
        }
    }
}

mod rpc_v2_cbor {
    use super::*;
    use integration_tests::events_rpcv2_cbor as ticker;
    use smithy_runtime::cbor::{self, Value};
    use ticker::types::{PriceStream, PriceStreamError, Tick};

    fn cbor_map(entries: Vec<(&str, Value)>) -> Bytes {
        let map = entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<cbor::Map>();
        Bytes::from(cbor::encode(&Value::Map(map)))
    }

    fn cbor_event(event_type: &str, payload: Bytes) -> Message {
        Message::new(payload)
            .with_header(":message-type", string("event"))
            .with_header(":event-type", string(event_type))
            .with_header(":content-type", string("application/cbor"))
    }

    #[tokio::test]
    async fn initial_response_events_and_an_exception_in_cbor() {
        let tick = |price: f64, volume: i128| {
            cbor_map(vec![
                ("price", Value::Float(price)),
                ("volume", Value::Integer(volume)),
            ])
        };
        let halted = Message::new(cbor_map(vec![(
            "reason",
            Value::Text("circuit breaker".into()),
        )]))
        .with_header(":message-type", string("exception"))
        .with_header(":exception-type", string("halted"));
        let steps = vec![
            send(&cbor_event(
                "initial-response",
                cbor_map(vec![("watchId", Value::Text("w-1".into()))]),
            )),
            send(&cbor_event("tick", tick(101.25, 300)).with_header("venue", string("XNAS"))),
            delay(5),
            send(&cbor_event("tick", tick(101.5, 7))),
            send(&halted),
        ];
        let server = EventServer::start(Version::Http1, move |_| {
            Script::ok(steps.clone()).header("smithy-protocol", "rpc-v2-cbor")
        })
        .await;
        let output = ticker::Client::from_conf(server.config())
            .watch_prices()
            .symbol("ACME")
            .send()
            .await
            .expect("watching");
        assert_eq!(output.watch_id(), Some("w-1"));
        let (events, error) = drain(output.prices.as_ref().unwrap()).await;
        assert_eq!(
            events,
            vec![
                PriceStream::Tick(
                    Tick::builder()
                        .price(101.25)
                        .volume(300)
                        .venue("XNAS")
                        .build()
                        .unwrap()
                ),
                PriceStream::Tick(Tick::builder().price(101.5).volume(7).build().unwrap()),
            ]
        );
        match error {
            Some(EventStreamError::Modelled(PriceStreamError::Halted(e))) => {
                assert_eq!(e.reason(), Some("circuit breaker"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            server.requests()[0].path(),
            "/service/Ticker/operation/WatchPrices"
        );
    }
}
