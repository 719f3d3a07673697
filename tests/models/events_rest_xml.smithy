$version: "2"

// A restXml service with an output event stream, shaped like S3's SelectObjectContent (our own
// small model): raw record bytes as an `@eventPayload` blob, an XML structure payload, and
// empty events. Driven by tests/tests/event_streams.rs.
namespace test.select

use aws.auth#sigv4
use aws.protocols#restXml

@restXml(noErrorWrapping: true)
@sigv4(name: "select")
service Select {
    version: "2024-01-01"
    operations: [
        SelectObjectContent
    ]
}

@http(method: "POST", uri: "/{Bucket}/{Key+}?select&select-type=2")
operation SelectObjectContent {
    input := {
        @required
        @httpLabel
        Bucket: String

        @required
        @httpLabel
        Key: String

        @required
        Expression: String
    }
    output := {
        @httpPayload
        Payload: SelectObjectContentEventStream
    }
}

@streaming
union SelectObjectContentEventStream {
    Records: RecordsEvent
    Stats: StatsEvent
    Cont: ContinuationEvent
    End: EndEvent
}

structure RecordsEvent {
    @eventPayload
    Payload: Blob
}

structure StatsEvent {
    @eventPayload
    Details: Stats
}

structure Stats {
    BytesScanned: Long
    BytesProcessed: Long
    BytesReturned: Long
}

structure ContinuationEvent {}

structure EndEvent {}
