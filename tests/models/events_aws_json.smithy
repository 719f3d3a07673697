$version: "2"

// An awsJson1_1 service with an output event stream, shaped like Kinesis's SubscribeToShard
// (our own small model): the initial response arrives as an `initial-response` event, then
// the events, over HTTP/2 as Kinesis does. Driven by tests/tests/event_streams.rs.
namespace test.shards

use aws.auth#sigv4
use aws.protocols#awsJson1_1

@awsJson1_1(http: ["http/1.1", "h2"], eventStreamHttp: ["h2"])
@sigv4(name: "shards")
service Shards {
    version: "2024-01-01"
    operations: [
        SubscribeToShard
    ]
}

operation SubscribeToShard {
    input := {
        @required
        consumerArn: String

        @required
        shardId: String
    }
    output := {
        @required
        EventStream: SubscribeToShardEventStream

        subscriptionId: String
    }
    errors: [
        ResourceNotFoundException
    ]
}

@streaming
union SubscribeToShardEventStream {
    SubscribeToShardEvent: SubscribeToShardEvent
    ResourceInUseException: ResourceInUseException
    InternalFailureException: InternalFailureException
}

structure SubscribeToShardEvent {
    @required
    Records: RecordList

    @required
    ContinuationSequenceNumber: String

    @required
    MillisBehindLatest: Long
}

list RecordList {
    member: Record
}

structure Record {
    @required
    SequenceNumber: String

    @required
    Data: Blob

    ApproximateArrivalTimestamp: Timestamp
}

@error("client")
structure ResourceInUseException {
    message: String
}

@error("server")
structure InternalFailureException {
    message: String
}

@error("client")
structure ResourceNotFoundException {
    message: String
}
