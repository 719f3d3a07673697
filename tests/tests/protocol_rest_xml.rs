//! The official Smithy restXml protocol compliance tests: `build.rs` generates a client for
//! each test service of `restXml.json` (`RestXml` and the S3 test service) and
//! `restXmlWithNamespace.json`, and one test per client-applicable case. `cargo xtask
//! protocol-tests` prints one summary per file, telling them apart by the top-level module.
//! Compiled only with the reference data (see `reference_data.rs`).
#![cfg(reference_data)]

mod rest_xml {
    integration_tests::protocol_test_service!(
        rest_xml,
        "protocol_restxml_rest_xml_client.rs",
        "protocol_restxml_rest_xml_tests.rs"
    );
    integration_tests::protocol_test_service!(
        s3,
        "protocol_restxml_s3_client.rs",
        "protocol_restxml_s3_tests.rs"
    );
}

mod rest_xml_with_namespace {
    integration_tests::protocol_test_service!(
        rest_xml_with_namespace,
        "protocol_restxml_ns_rest_xml_with_namespace_client.rs",
        "protocol_restxml_ns_rest_xml_with_namespace_tests.rs"
    );
}
