$version: "2"

// A restJson1 service with an input and an output event stream over HTTP/2, shaped like
// Transcribe streaming's StartStreamTranscription (our own small model): the caller streams
// audio events (an `@eventPayload` blob) and a configuration event (a JSON document), each
// wrapped in a SigV4 chained-signature message; the service streams transcripts back.
// Driven by tests/tests/event_streams.rs, whose server verifies every signature.
namespace test.transcribe

use aws.auth#sigv4
use aws.protocols#restJson1

@restJson1(http: ["http/1.1", "h2"], eventStreamHttp: ["h2"])
@sigv4(name: "transcribe")
service Transcribe {
    version: "2024-01-01"
    operations: [
        StartStreamTranscription
        SendNotes
    ]
}

@http(method: "POST", uri: "/stream-transcription")
operation StartStreamTranscription {
    input := {
        @required
        @httpHeader("x-amzn-transcribe-language-code")
        LanguageCode: String

        @required
        @httpPayload
        AudioStream: AudioStream
    }
    output := {
        @httpHeader("x-amzn-transcribe-session-id")
        SessionId: String

        @httpPayload
        TranscriptResultStream: TranscriptResultStream
    }
}

/// An input-only stream over HTTP/1.1 is not this service's way, but checks the signing path
/// without HTTP/2 (the test service says `eventStreamHttp: [h2]`, so this goes over HTTP/2 too).
@http(method: "POST", uri: "/notes")
operation SendNotes {
    input := {
        @httpPayload
        Notes: NoteStream
    }
    output := {
        @httpHeader("x-note-count")
        Count: Integer
    }
}

@streaming
union AudioStream {
    AudioEvent: AudioEvent
    ConfigurationEvent: ConfigurationEvent
}

structure AudioEvent {
    @eventPayload
    AudioChunk: Blob
}

structure ConfigurationEvent {
    ChannelCount: Integer
    Label: String
}

@streaming
union NoteStream {
    Note: NoteEvent
}

structure NoteEvent {
    @eventHeader
    Priority: Integer

    @eventHeader
    Urgent: Boolean

    @eventPayload
    Text: String
}

@streaming
union TranscriptResultStream {
    TranscriptEvent: TranscriptEvent
    BadRequestException: BadRequestException
}

structure TranscriptEvent {
    Transcript: String
}

@error("client")
structure BadRequestException {
    Message: String
}
