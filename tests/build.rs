//! Generates the clients the integration tests drive, each as one file in `OUT_DIR`, so they are
//! compiled (warning-free, clippy-clean) as part of this crate, not just compared as text:
//! the "obstacle course" fixture, GetHarvestJob selected out of the real AWS model, the whole
//! real MediaPackage v2 model (all 30 operations), and a restJson1 feature model.
//!
//! The clients made from the reference data (the real model, the protocol tests) are generated
//! only when it is present; then `cfg(reference_data)` is set for this crate's targets, which
//! compiles the tests that use them. Without it, `tests/reference_data.rs` prints what was not
//! run and how to provide the data.

use smithy_gen::build::Builder;
use std::path::{Path, PathBuf};

/// The real MediaPackage v2 model, inside the reference data.
const MEDIAPACKAGEV2: &str = "models/aws/mediapackagev2-2022-12-25.json";

fn main() {
    println!("cargo::rustc-check-cfg=cfg(reference_data)");
    println!("cargo:rerun-if-env-changed={}", reference_data::ENV_VAR);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    Builder::new()
        .model(root.join("fixtures/obstacle-course.json"))
        .generate_into_out_dir("obstacle_course.rs")
        .unwrap_or_else(|e| panic!("generating the obstacle course: {e}"));
    Builder::new()
        .model(root.join("models/features.smithy"))
        .generate_into_out_dir("features.rs")
        .unwrap_or_else(|e| panic!("generating the feature model: {e}"));
    Builder::new()
        .model(root.join("models/notes_rpcv2_cbor.smithy"))
        .generate_into_out_dir("notes_rpcv2_cbor.rs")
        .unwrap_or_else(|e| panic!("generating the RPC v2 CBOR model: {e}"));
    for (model, out) in [
        ("events_rest_json.smithy", "events_rest_json.rs"),
        ("events_aws_json.smithy", "events_aws_json.rs"),
        ("events_rest_xml.smithy", "events_rest_xml.rs"),
        ("events_input.smithy", "events_input.rs"),
        ("events_rpcv2_cbor.smithy", "events_rpcv2_cbor.rs"),
    ] {
        Builder::new()
            .model(root.join("models").join(model))
            .generate_into_out_dir(out)
            .unwrap_or_else(|e| panic!("generating {model}: {e}"));
    }
    match (
        reference_data::path(MEDIAPACKAGEV2),
        reference_data::path("protocol-tests"),
    ) {
        (Some(mediapackagev2), Some(protocol_test_dir)) => {
            real_mediapackagev2(&mediapackagev2);
            protocol_tests(&root, &protocol_test_dir);
            println!("cargo:rustc-cfg=reference_data");
        }
        _ => println!(
            "cargo:warning={}",
            reference_data::skip_line(
                "integration-tests",
                "the clients generated from the real MediaPackage v2 model and the restJson1, \
                 awsJson1_0, awsJson1_1, rpcv2Cbor and rpcv2Json protocol tests",
                MEDIAPACKAGEV2,
            )
        ),
    }
}

/// GetHarvestJob alone and the whole service, from the real model.
fn real_mediapackagev2(mediapackagev2: &Path) {
    Builder::new()
        .model(mediapackagev2)
        .operation("GetHarvestJob")
        .generate_into_out_dir("real_get_harvest_job.rs")
        .unwrap_or_else(|e| {
            panic!(
                "generating GetHarvestJob from {}: {e}",
                mediapackagev2.display()
            )
        });
    Builder::new()
        .model(mediapackagev2)
        .generate_into_out_dir("mediapackagev2_full.rs")
        .unwrap_or_else(|e| panic!("generating {}: {e}", mediapackagev2.display()));
}

/// The official Smithy protocol compliance tests (`protocol-tests` of the reference data,
/// `dir`) of restJson1, awsJson1_0, awsJson1_1, rpcv2Cbor and rpcv2Json: a client for each test service of a
/// protocol's file and one test per client-applicable case, skipping the cases listed (with
/// their reasons) in `protocol-tests-skipped.md`. Files are named
/// `protocol_<protocol>_<name>_{client,tests}.rs`.
fn protocol_tests(root: &Path, dir: &Path) {
    let skipped_file = root.join("protocol-tests-skipped.md");
    println!("cargo:rerun-if-changed={}", skipped_file.display());
    let skipped = std::fs::read_to_string(&skipped_file)
        .map(|text| parse_skipped(&text))
        .unwrap_or_default();
    let suites: [Suite; 10] = [
        (
            "restjson1",
            "aws.protocols#restJson1",
            "restJson1.json",
            &[
                ("rest_json", "aws.protocoltests.restjson#RestJson"),
                (
                    "validation",
                    "aws.protocoltests.restjson.validation#RestJsonValidation",
                ),
                (
                    "apigateway",
                    "com.amazonaws.apigateway#BackplaneControlService",
                ),
                ("glacier", "com.amazonaws.glacier#Glacier"),
            ],
        ),
        (
            "awsjson1_0",
            "aws.protocols#awsJson1_0",
            "awsJson1_0.json",
            &[
                ("json_rpc10", "aws.protocoltests.json10#JsonRpc10"),
                (
                    "query_compatible",
                    "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
                ),
            ],
        ),
        (
            "awsjson1_1",
            "aws.protocols#awsJson1_1",
            "awsJson1_1.json",
            &[
                ("json_protocol", "aws.protocoltests.json#JsonProtocol"),
                (
                    "machinelearning",
                    "com.amazonaws.machinelearning#AmazonML_20141212",
                ),
            ],
        ),
        (
            "restxml",
            "aws.protocols#restXml",
            "restXml.json",
            &[
                ("rest_xml", "aws.protocoltests.restxml#RestXml"),
                ("s3", "com.amazonaws.s3#AmazonS3"),
            ],
        ),
        (
            "restxml_ns",
            "aws.protocols#restXml",
            "restXmlWithNamespace.json",
            &[(
                "rest_xml_with_namespace",
                "aws.protocoltests.restxml.xmlns#RestXmlWithNamespace",
            )],
        ),
        (
            "awsquery",
            "aws.protocols#awsQuery",
            "awsQuery.json",
            &[("aws_query", "aws.protocoltests.query#AwsQuery")],
        ),
        (
            "ec2query",
            "aws.protocols#ec2Query",
            "ec2Query.json",
            &[("ec2_query", "aws.protocoltests.ec2#AwsEc2")],
        ),
        (
            "rpcv2cbor",
            "smithy.protocols#rpcv2Cbor",
            "smithy-protocol-tests-rpcv2Cbor.json",
            &[("rpc_v2", "smithy.protocoltests.rpcv2Cbor#RpcV2Protocol")],
        ),
        (
            "rpcv2cbor_aws",
            "smithy.protocols#rpcv2Cbor",
            "rpcv2Cbor.json",
            &[
                (
                    "non_query_compatible",
                    "aws.protocoltests.rpcv2cbor#NonQueryCompatibleRpcV2Protocol",
                ),
                (
                    "query_compatible",
                    "aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol",
                ),
            ],
        ),
        (
            "rpcv2json",
            "smithy.protocols#rpcv2Json",
            "smithy-protocol-tests-rpcv2Json.json",
            &[("rpc_v2", "smithy.protocoltests.rpcv2Json#RpcV2JsonProtocol")],
        ),
    ];
    for (prefix, protocol, file, services) in suites {
        for (name, service) in services {
            let builder = || {
                Builder::new()
                    .model(dir.join(file))
                    .model(dir.join("prelude.json"))
                    .service(*service)
            };
            builder()
                .generate_into_out_dir(&format!("protocol_{prefix}_{name}_client.rs"))
                .unwrap_or_else(|e| panic!("generating the {service} client: {e}"));
            builder()
                .generate_protocol_tests_into_out_dir(
                    &format!("protocol_{prefix}_{name}_tests.rs"),
                    protocol,
                    &skipped,
                )
                .unwrap_or_else(|e| panic!("generating the {service} protocol tests: {e}"));
        }
    }
}

/// One protocol's compliance tests: file name prefix, protocol trait, test file, and the test
/// services as (name, service shape ID).
type Suite = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Lines `- \`CaseId\`: reason` of the skip list.
fn parse_skipped(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("- `")?;
            let (id, reason) = rest.split_once('`')?;
            let reason = reason.trim_start_matches(':').trim();
            Some((id.to_string(), reason.to_string()))
        })
        .collect()
}
