$version: "2"

// A restJson1 service with an output event stream, shaped like Bedrock Runtime's ConverseStream
// (our own small model, not AWS's): the initial response in HTTP headers, events whose members
// come from the payload document, an event with `@eventHeader` members and an `@eventPayload`
// blob, and modelled exception events. Driven by tests/tests/event_streams.rs.
namespace test.chat

use aws.auth#sigv4
use aws.protocols#restJson1

@restJson1
@sigv4(name: "chat")
service Chat {
    version: "2024-01-01"
    operations: [
        ConverseStream
    ]
}

@http(method: "POST", uri: "/model/{modelId}/converse-stream")
operation ConverseStream {
    input := {
        @required
        @httpLabel
        modelId: String

        prompt: String
    }
    output := {
        @httpHeader("x-chat-session")
        session: String

        @httpPayload
        stream: ConverseStreamEvents
    }
    errors: [
        ValidationException
    ]
}

@streaming
union ConverseStreamEvents {
    messageStart: MessageStartEvent
    contentBlockDelta: ContentBlockDeltaEvent
    metadata: MetadataEvent
    chunk: ChunkEvent
    stop: StopEvent
    modelStreamErrorException: ModelStreamErrorException
    throttlingException: ThrottlingException
}

structure MessageStartEvent {
    @required
    role: ConversationRole
}

enum ConversationRole {
    USER = "user"
    ASSISTANT = "assistant"
}

structure ContentBlockDeltaEvent {
    @required
    delta: ContentBlockDelta

    @required
    contentBlockIndex: Integer
}

union ContentBlockDelta {
    text: String
}

structure MetadataEvent {
    usage: TokenUsage
}

structure TokenUsage {
    inputTokens: Integer
    outputTokens: Integer
}

/// Raw bytes in the payload, facts in typed headers.
structure ChunkEvent {
    @eventPayload
    bytes: Blob

    @eventHeader
    sequence: Long

    @eventHeader
    last: Boolean

    @eventHeader
    label: String

    @eventHeader
    sentAt: Timestamp

    @eventHeader
    small: Byte

    @eventHeader
    medium: Short

    @eventHeader
    count: Integer

    @eventHeader
    tag: Blob
}

structure StopEvent {}

@error("server")
structure ModelStreamErrorException {
    message: String
    originalStatusCode: Integer
}

@error("client")
structure ThrottlingException {
    message: String
}

@error("client")
@httpError(400)
structure ValidationException {
    message: String
}
