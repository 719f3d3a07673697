//! The official Smithy restJson1 protocol compliance tests: `build.rs` generates a client for
//! each test service of `restJson1.json` and one test per client-applicable
//! `httpRequestTests` / `httpResponseTests` case. Cases listed in `protocol-tests-skipped.md`
//! are `#[ignore]`d with their reason. `cargo xtask protocol-tests` prints the summary.
//! Compiled only with the reference data (see `reference_data.rs`).
#![cfg(reference_data)]

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

protocol_test_service!(
    rest_json,
    "protocol_restjson1_rest_json_client.rs",
    "protocol_restjson1_rest_json_tests.rs"
);
protocol_test_service!(
    validation,
    "protocol_restjson1_validation_client.rs",
    "protocol_restjson1_validation_tests.rs"
);
protocol_test_service!(
    apigateway,
    "protocol_restjson1_apigateway_client.rs",
    "protocol_restjson1_apigateway_tests.rs"
);
protocol_test_service!(
    glacier,
    "protocol_restjson1_glacier_client.rs",
    "protocol_restjson1_glacier_tests.rs"
);
