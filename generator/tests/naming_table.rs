//! Measures the naming module against the 62,988 names the AWS SDK for Rust spells in
//! snake_case (`naming/aws-names-snake-case.csv` in the reference data), so generated names stay the same
//! as the SDK's and users can migrate without renaming.

use smithy_gen::naming::snake_case;

/// The lowest match rate accepted; raise it when the splitting rules improve.
const MIN_MATCH_RATE: f64 = 1.0;

#[test]
fn snake_case_matches_the_aws_sdk_for_rust() {
    let Some(path) = reference_data::require(
        "smithy-gen naming_table",
        "the comparison with the AWS SDK for Rust's 62,988 snake_case names",
        "naming/aws-names-snake-case.csv",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("the naming table is readable");
    let mut total = 0usize;
    let mut mismatches = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let Some((name, expected)) = line.split_once(',') else {
            continue;
        };
        total += 1;
        let actual = snake_case(name);
        if actual != expected {
            mismatches.push(format!("{name}: expected {expected}, got {actual}"));
        }
    }
    let rate = (total - mismatches.len()) as f64 / total as f64;
    println!(
        "naming: {} of {total} names match the AWS SDK for Rust ({:.3}%)",
        total - mismatches.len(),
        rate * 100.0
    );
    for mismatch in mismatches.iter().take(40) {
        println!("  {mismatch}");
    }
    assert!(total > 60_000, "the table has {total} names");
    assert!(
        rate >= MIN_MATCH_RATE,
        "match rate {rate:.5} fell below {MIN_MATCH_RATE}"
    );
}
