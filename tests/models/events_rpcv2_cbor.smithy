$version: "2"

// An RPC v2 CBOR service with an output event stream (our own small model): the initial
// response is an `initial-response` event, events and exceptions are CBOR documents.
// Driven by tests/tests/event_streams.rs.
namespace test.ticker

use aws.auth#sigv4
use smithy.protocols#rpcv2Cbor

@rpcv2Cbor
@sigv4(name: "ticker")
service Ticker {
    version: "2024-01-01"
    operations: [
        WatchPrices
    ]
}

operation WatchPrices {
    input := {
        @required
        symbol: String
    }
    output := {
        watchId: String

        prices: PriceStream
    }
}

@streaming
union PriceStream {
    tick: Tick
    halted: TradingHalted
}

structure Tick {
    @required
    price: Double

    @required
    volume: Long

    @eventHeader
    venue: String
}

@error("server")
structure TradingHalted {
    reason: String
}
