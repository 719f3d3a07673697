//! The official Smithy awsQuery and ec2Query protocol compliance tests: `build.rs` generates a
//! client for the test service of `awsQuery.json` and of `ec2Query.json`, and one test per
//! client-applicable case. `cargo xtask protocol-tests` prints one summary per file, telling
//! them apart by the top-level module. Compiled only with the reference data (see
//! `reference_data.rs`).
#![cfg(reference_data)]

mod aws_query {
    integration_tests::protocol_test_service!(
        aws_query,
        "protocol_awsquery_aws_query_client.rs",
        "protocol_awsquery_aws_query_tests.rs"
    );
}

mod ec2_query {
    integration_tests::protocol_test_service!(
        ec2_query,
        "protocol_ec2query_ec2_query_client.rs",
        "protocol_ec2query_ec2_query_tests.rs"
    );
}
