$version: "2"

// A Smithy RPC v2 CBOR service of our own (no AWS model uses the protocol yet): every value
// kind the protocol encodes, a paginated listing, modelled errors and an operation without
// input or output. Driven by tests/tests/rpc_v2_cbor.rs against a local server.
namespace test.notes

use smithy.protocols#rpcv2Cbor

@rpcv2Cbor
service Notes {
    version: "2025-01-01"
    operations: [
        PutNote
        GetNote
        ListNotes
        Ping
    ]
    errors: [Throttled]
}

/// Stores a note; the service returns it as stored.
@idempotent
operation PutNote {
    input := {
        @required
        id: String

        @required
        title: String

        body: Blob

        tags: Tags

        @timestampFormat("date-time")
        createdAt: Timestamp

        priority: Priority

        level: Level

        ratio: Double

        weight: Float

        count: Long

        pinned: Boolean

        attributes: Attributes

        sparseAttributes: SparseAttributes

        attachment: Attachment

        @idempotencyToken
        clientToken: String
    }
    output := {
        @required
        note: Note
    }
}

/// Reads a note.
@readonly
operation GetNote {
    input := {
        @required
        id: String
    }
    output := {
        @required
        note: Note
    }
    errors: [NoteNotFound]
}

/// Lists notes a page at a time.
@readonly
@paginated(inputToken: "nextToken", outputToken: "nextToken", items: "notes", pageSize: "maxResults")
operation ListNotes {
    input := {
        nextToken: String
        maxResults: Integer
    }
    output := {
        @required
        notes: NoteList

        nextToken: String
    }
}

/// Checks the service is there: no input, no output.
@readonly
operation Ping {}

structure Note {
    @required
    id: String

    @required
    title: String

    body: Blob

    tags: Tags

    createdAt: Timestamp

    priority: Priority

    level: Level

    ratio: Double

    weight: Float

    count: Long

    pinned: Boolean

    attributes: Attributes

    sparseAttributes: SparseAttributes

    attachment: Attachment

    /// A newer field this client's model does not know is ignored; this one it knows.
    revision: Integer = 0
}

list NoteList {
    member: Note
}

list Tags {
    member: String
}

map Attributes {
    key: String
    value: String
}

@sparse
map SparseAttributes {
    key: String
    value: Integer
}

enum Priority {
    LOW = "low"
    HIGH = "high"
}

intEnum Level {
    INFO = 1
    WARN = 2
}

union Attachment {
    link: String
    data: Blob
    nested: Attachment2
}

structure Attachment2 {
    name: String
    inner: Attachment
}

@error("client")
structure NoteNotFound {
    @required
    message: String

    id: String
}

@error("server")
@retryable(throttling: true)
structure Throttled {
    message: String
}
