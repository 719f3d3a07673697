//! The official Smithy restJson1 protocol compliance tests: `build.rs` generates a client for
//! each test service of `restJson1.json` and one test per client-applicable
//! `httpRequestTests` / `httpResponseTests` case. Cases listed in `protocol-tests-skipped.md`
//! are `#[ignore]`d with their reason. `cargo xtask protocol-tests` prints the summary.
//! Compiled only with the reference data (see `reference_data.rs`).
#![cfg(reference_data)]

integration_tests::protocol_test_service!(
    rest_json,
    "protocol_restjson1_rest_json_client.rs",
    "protocol_restjson1_rest_json_tests.rs"
);
integration_tests::protocol_test_service!(
    validation,
    "protocol_restjson1_validation_client.rs",
    "protocol_restjson1_validation_tests.rs"
);
integration_tests::protocol_test_service!(
    apigateway,
    "protocol_restjson1_apigateway_client.rs",
    "protocol_restjson1_apigateway_tests.rs"
);
integration_tests::protocol_test_service!(
    glacier,
    "protocol_restjson1_glacier_client.rs",
    "protocol_restjson1_glacier_tests.rs"
);
