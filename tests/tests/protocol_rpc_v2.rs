//! The official Smithy RPC v2 protocol compliance tests: `build.rs` generates a client for each
//! test service of `smithy-protocol-tests-rpcv2Cbor.json` (Smithy's own rpcv2Cbor suite),
//! `rpcv2Cbor.json` (the AWS suite: query compatibility) and
//! `smithy-protocol-tests-rpcv2Json.json`, and one test per client-applicable case. `cargo
//! xtask protocol-tests` prints one summary per file, telling them apart by the top-level
//! module. Compiled only with the reference data (see `reference_data.rs`).
#![cfg(reference_data)]

mod rpc_v2_cbor {
    integration_tests::protocol_test_service!(
        rpc_v2,
        "protocol_rpcv2cbor_rpc_v2_client.rs",
        "protocol_rpcv2cbor_rpc_v2_tests.rs"
    );
}

mod rpc_v2_cbor_aws {
    integration_tests::protocol_test_service!(
        non_query_compatible,
        "protocol_rpcv2cbor_aws_non_query_compatible_client.rs",
        "protocol_rpcv2cbor_aws_non_query_compatible_tests.rs"
    );
    integration_tests::protocol_test_service!(
        query_compatible,
        "protocol_rpcv2cbor_aws_query_compatible_client.rs",
        "protocol_rpcv2cbor_aws_query_compatible_tests.rs"
    );
}

mod rpc_v2_json {
    integration_tests::protocol_test_service!(
        rpc_v2,
        "protocol_rpcv2json_rpc_v2_client.rs",
        "protocol_rpcv2json_rpc_v2_tests.rs"
    );
}
