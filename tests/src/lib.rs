//! Shared helpers for the integration tests: real HTTP/1 servers on 127.0.0.1 that record every
//! request (one answering from a script, one from a handler), and the clients `build.rs`
//! generates into `OUT_DIR` (compiled here, so their output is proven to build warning-free).

pub mod event_server;
pub mod handler_server;
pub mod harvest_job_cli;
pub mod server;

/// The client generated from `fixtures/obstacle-course.json`.
pub mod obstacle_course {
    include!(concat!(env!("OUT_DIR"), "/obstacle_course.rs"));
}

/// GetHarvestJob selected out of the real `mediapackagev2-2022-12-25.json` (reference data).
#[cfg(reference_data)]
pub mod real_get_harvest_job {
    include!(concat!(env!("OUT_DIR"), "/real_get_harvest_job.rs"));
}

/// The whole MediaPackage v2 client (all 30 operations), generated from the real AWS model.
#[cfg(reference_data)]
pub mod mediapackagev2_full {
    include!(concat!(env!("OUT_DIR"), "/mediapackagev2_full.rs"));
}

/// A client for `tests/models/features.smithy`, which exercises every restJson1 binding.
pub mod features {
    include!(concat!(env!("OUT_DIR"), "/features.rs"));
}

/// A client for `tests/models/notes_rpcv2_cbor.smithy`, an RPC v2 CBOR service of our own.
pub mod notes_rpcv2_cbor {
    include!(concat!(env!("OUT_DIR"), "/notes_rpcv2_cbor.rs"));
}

/// A restJson1 client with an output event stream (`tests/models/events_rest_json.smithy`).
pub mod events_rest_json {
    include!(concat!(env!("OUT_DIR"), "/events_rest_json.rs"));
}

/// An awsJson1_1 client with an output event stream (`tests/models/events_aws_json.smithy`).
pub mod events_aws_json {
    include!(concat!(env!("OUT_DIR"), "/events_aws_json.rs"));
}

/// A restXml client with an output event stream (`tests/models/events_rest_xml.smithy`).
pub mod events_rest_xml {
    include!(concat!(env!("OUT_DIR"), "/events_rest_xml.rs"));
}

/// A restJson1 client with input event streams over HTTP/2 (`tests/models/events_input.smithy`).
pub mod events_input {
    include!(concat!(env!("OUT_DIR"), "/events_input.rs"));
}

/// An RPC v2 CBOR client with an output event stream (`tests/models/events_rpcv2_cbor.smithy`).
pub mod events_rpcv2_cbor {
    include!(concat!(env!("OUT_DIR"), "/events_rpcv2_cbor.rs"));
}

/// A protocol compliance test service: the client `build.rs` generated into `$client` and, in a
/// `protocol_tests` module below it, the tests generated into `$tests` (both in `OUT_DIR`).
/// The test services' models are written to test the protocol, not to be tidy Rust (unused
/// operations, shapes named like lints dislike), so their clients are not linted here; the
/// corpus and the fuzzer lint real and random models.
#[macro_export]
macro_rules! protocol_test_service {
    ($name:ident, $client:literal, $tests:literal) => {
        #[allow(dead_code, unused_imports, clippy::all)]
        mod $name {
            include!(concat!(env!("OUT_DIR"), "/", $client));

            mod protocol_tests {
                include!(concat!(env!("OUT_DIR"), "/", $tests));
            }
        }
    };
}
