//! Smithy's own IDL loader fixtures (`shared/idl-loader-tests`).

use smithy_idl::conformance::run_loader_tests;
use std::path::Path;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared");

#[test]
fn valid_pairs_and_forward_refs_match_smithy() {
    let report = run_loader_tests(Path::new(SHARED));
    assert!(
        report.failures.is_empty(),
        "failures:\n{}",
        report.failures.join("\n")
    );
    // 62 valid `.smithy`/`.json` pairs plus the forward-reference cases.
    assert!(report.passed >= 62 + 2, "only {} cases ran", report.passed);
}

#[test]
fn every_invalid_file_is_rejected_at_the_expected_place() {
    let report = run_loader_tests(Path::new(SHARED));
    assert!(
        report.invalid_accepted.is_empty(),
        "accepted invalid files: {:?}",
        report.invalid_accepted
    );
    assert!(
        report.invalid_total > 150,
        "only {} invalid files found",
        report.invalid_total
    );
    assert_eq!(report.invalid_rejected, report.invalid_total);
    assert_eq!(
        report.invalid_position_matched,
        report.invalid_with_position,
        "position mismatches:\n{}",
        report.position_mismatches.join("\n")
    );
}
