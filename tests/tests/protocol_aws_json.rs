//! The official Smithy awsJson1_0 and awsJson1_1 protocol compliance tests: `build.rs`
//! generates a client for each test service of `awsJson1_0.json` and `awsJson1_1.json` and one
//! test per client-applicable `httpRequestTests` / `httpResponseTests` case. Cases listed in
//! `protocol-tests-skipped.md` are `#[ignore]`d with their reason. `cargo xtask protocol-tests`
//! prints one summary per protocol, telling them apart by the top-level module
//! (`aws_json1_0`, `aws_json1_1`). Compiled only with the reference data (see
//! `reference_data.rs`).
#![cfg(reference_data)]

mod aws_json1_0 {
    integration_tests::protocol_test_service!(
        json_rpc10,
        "protocol_awsjson1_0_json_rpc10_client.rs",
        "protocol_awsjson1_0_json_rpc10_tests.rs"
    );
    integration_tests::protocol_test_service!(
        query_compatible,
        "protocol_awsjson1_0_query_compatible_client.rs",
        "protocol_awsjson1_0_query_compatible_tests.rs"
    );
}

mod aws_json1_1 {
    integration_tests::protocol_test_service!(
        json_protocol,
        "protocol_awsjson1_1_json_protocol_client.rs",
        "protocol_awsjson1_1_json_protocol_tests.rs"
    );
    integration_tests::protocol_test_service!(
        machinelearning,
        "protocol_awsjson1_1_machinelearning_client.rs",
        "protocol_awsjson1_1_machinelearning_tests.rs"
    );
}
