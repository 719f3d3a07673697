//! Smithy's own IDL loader fixtures (`shared/idl-loader-tests`).

use smithy_idl::conformance::run_loader_tests;
use std::path::PathBuf;

/// The reference data root holding `idl-loader-tests`, or `None` (and the skip line).
fn shared() -> Option<PathBuf> {
    reference_data::require(
        "smithy-idl loader_fixtures",
        "Smithy's IDL loader fixtures",
        "idl-loader-tests",
    )?;
    reference_data::root()
}

#[test]
fn valid_pairs_and_forward_refs_match_smithy() {
    let Some(shared) = shared() else { return };
    let report = run_loader_tests(&shared);
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
    let Some(shared) = shared() else { return };
    let report = run_loader_tests(&shared);
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
