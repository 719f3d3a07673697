$version: "2"

// A restJson1 service exercising every HTTP binding and value kind the generator supports,
// plus the name collisions it must survive. Driven by tests/tests/rest_json_features.rs.
namespace test.features

use aws.protocols#restJson1

@restJson1
@paginated(inputToken: "NextToken", outputToken: "Page.NextToken", pageSize: "MaxResults")
service Features {
    version: "2024-01-01"
    operations: [
        PutObject
        GetObject
        SendText
        Everything
        HostPrefixed
        Subscribe
        ListThings
        Obstacles
    ]
    errors: [ServiceFault]
}

@idempotent
@http(method: "PUT", uri: "/objects/{Bucket}/{Key+}?x-id=PutObject", code: 201)
operation PutObject {
    input := {
        @required
        @httpLabel
        Bucket: String

        @required
        @httpLabel
        Key: String

        @httpPayload
        Body: Stream

        @httpPrefixHeaders("x-meta-")
        Metadata: StringMap

        @httpHeader("x-when")
        When: Timestamp

        @httpHeader("x-tags")
        Tags: StringList

        @httpQuery("since")
        Since: Timestamp

        @httpQuery("epoch")
        @timestampFormat("epoch-seconds")
        Epoch: Timestamp

        @httpQuery("flag")
        Flag: Boolean

        @httpQuery("ratio")
        Ratio: Double

        @httpQueryParams
        Extra: StringMap
    }
    output := {
        @httpResponseCode
        Status: Integer

        @httpHeader("ETag")
        ETag: String

        @httpHeader("x-count")
        Count: Integer

        @httpPrefixHeaders("")
        AllHeaders: StringMap
    }
}

@readonly
@http(method: "GET", uri: "/objects/{Bucket}/{Key+}")
operation GetObject {
    input := {
        @required
        @httpLabel
        Bucket: String

        @required
        @httpLabel
        Key: String
    }
    output := {
        @httpPayload
        Body: Stream

        @httpHeader("x-modified")
        Modified: Timestamp

        @httpHeader("x-dates")
        Dates: TimestampList

        @httpHeader("x-tags")
        Tags: StringList
    }
}

@streaming
blob Stream

@http(method: "POST", uri: "/text")
operation SendText {
    input := {
        @httpPayload
        Text: String
    }
    output := {
        @httpPayload
        Result: Result
    }
}

@http(method: "POST", uri: "/everything/{At}")
operation Everything {
    input := {
        @required
        @httpLabel
        At: Timestamp

        Choice: Choice
        Doc: Document
        Data: Blob
        Sparse: SparseStrings
        SparseMap: SparseStringMap
        Ratio: Double
        Epoch: Timestamp

        @timestampFormat("date-time")
        DateTime: Timestamp

        HttpDate: HttpDate

        @jsonName("renamed")
        Original: String

        Tree: Node
        Color: Color
    }
    output := {
        Choice: Choice
        Doc: Document
        Data: Blob
        Sparse: SparseStrings
        SparseMap: SparseStringMap
        Ratio: Double
        Epoch: Timestamp

        @timestampFormat("date-time")
        DateTime: Timestamp

        HttpDate: HttpDate

        @jsonName("renamed")
        Original: String

        Tree: Node
        Color: Color

        @default(5)
        Count: Integer

        @default("none")
        Label: String

        @default(false)
        Enabled: Boolean

        @default("GREEN")
        Shade: Color

        @deprecated(message: "use Label")
        OldLabel: String
    }
    errors: [NotFound]
}

@endpoint(hostPrefix: "{Account}.data.")
@http(method: "POST", uri: "/prefixed")
operation HostPrefixed {
    input := {
        @required
        @hostLabel
        Account: String
    }
    output := {}
}

@http(method: "POST", uri: "/subscribe")
operation Subscribe {
    input := {}
    output := {
        @httpPayload
        Events: Events
    }
}

@streaming
union Events {
    Tick: Tick
}

structure Tick {
    Count: Integer
}

@readonly
@paginated(items: "Things")
@http(method: "GET", uri: "/things")
operation ListThings {
    input := {
        @httpQuery("next")
        NextToken: String

        @httpQuery("max")
        MaxResults: Integer
    }
    output := {
        Things: StringList
        Page: PageInfo
    }
}

structure PageInfo {
    NextToken: String
}

/// Names that collide with Rust keywords, std types and generated methods.
@http(method: "POST", uri: "/obstacles")
operation Obstacles {
    input := {
        type: String
        match: String
        self: String
        build: String
        Input: String
        Option: Option
        Vec: Vec
    }
    output := {
        type: String
        Result: Result
        Box: Box
        Kind: Kind
    }
}

structure Result {
    Value: String
}

structure Option {
    Some: String
}

structure Vec {
    Items: StringList
}

structure Box {
    Inner: Box
}

enum Kind {
    UNKNOWN
    KNOWN
}

union Choice {
    Text: String
    Number: Integer
    Nothing: Unit
    Nested: Choice
}

structure Node {
    Value: String
    Next: Node
}

enum Color {
    RED
    GREEN
}

@timestampFormat("http-date")
timestamp HttpDate

list StringList {
    member: String
}

list TimestampList {
    member: Timestamp
}

@sparse
list SparseStrings {
    member: String
}

map StringMap {
    key: String
    value: String
}

@sparse
map SparseStringMap {
    key: String
    value: String
}

@error("client")
@httpError(404)
structure NotFound {
    Message: String

    @httpHeader("x-resource")
    Resource: String
}

@error("server")
@retryable
structure ServiceFault {
    message: String
}
