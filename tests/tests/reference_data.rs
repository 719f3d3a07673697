//! Without the reference data, the suites compiled only with it (`cfg(reference_data)`, set by
//! `build.rs`) do not exist in this run; this test says so, one line per suite, and how to
//! provide the data. With the data it checks that those suites were really compiled in.

/// The suites `build.rs` compiles only with the reference data: (suite, what it runs, a file
/// `build.rs` generates for it).
const GATED_SUITES: [(&str, &str, &str); 2] = [
    (
        "integration-tests mediapackagev2_full",
        "the whole real MediaPackage v2 client against a local server",
        "mediapackagev2_full.rs",
    ),
    (
        "integration-tests protocol_restjson1",
        "the 250 Smithy restJson1 protocol compliance tests",
        "protocol_restjson1_rest_json_tests.rs",
    ),
];

#[cfg(not(reference_data))]
#[test]
fn suites_without_their_reference_data_say_what_they_did_not_run() {
    use std::io::Write;
    // Straight to the stderr handle: the test harness captures only the `print!` family.
    let mut stderr = std::io::stderr().lock();
    for (suite, what, _) in GATED_SUITES {
        let line = reference_data::skip_line(suite, what, "models/aws, protocol-tests");
        writeln!(stderr, "{line}").expect("stderr is writable");
    }
}

#[cfg(reference_data)]
#[test]
fn with_the_reference_data_the_gated_suites_are_compiled() {
    assert!(reference_data::path("models/aws/mediapackagev2-2022-12-25.json").is_some());
    assert!(reference_data::path("protocol-tests/restJson1.json").is_some());
    for (suite, _, file) in GATED_SUITES {
        let path = std::path::Path::new(env!("OUT_DIR")).join(file);
        let code = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{suite}: {} was not generated: {e}", path.display()));
        assert!(code.contains("DO NOT EDIT"), "{suite}: {}", path.display());
    }
}
