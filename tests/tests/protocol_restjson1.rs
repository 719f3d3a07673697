//! The official Smithy restJson1 protocol compliance tests: `build.rs` generates the
//! `aws.protocoltests.restjson#RestJson` client and one test per client-applicable
//! `httpRequestTests` / `httpResponseTests` case. Cases listed in `protocol-tests-skipped.md`
//! are `#[ignore]`d with their reason. `cargo xtask protocol-tests` prints the summary.

#[allow(dead_code, unused_imports, clippy::all)]
mod rest_json {
    include!(concat!(env!("OUT_DIR"), "/protocol_restjson1_client.rs"));

    mod protocol_tests {
        include!(concat!(env!("OUT_DIR"), "/protocol_restjson1_tests.rs"));
    }
}
