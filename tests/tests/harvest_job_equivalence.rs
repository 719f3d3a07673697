//! Selecting only `GetHarvestJob` from the full, real MediaPackage v2 model gives the same
//! client as the project's own `model/` (documentation aside: `model/` is written in the
//! project's own words, and so are its endpoint rule set and endpoint test cases, which are
//! compared by behaviour in the generated endpoint tests instead of by text).

use smithy_gen::{build, Settings};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(model: PathBuf, operations: Option<Vec<String>>) -> smithy_gen::Files {
    let sources = build::read_sources(&[model]).expect("model files");
    let model = smithy_gen::load(&sources).expect("model loads");
    let settings = Settings {
        operations,
        ..Settings::default()
    };
    smithy_gen::generate(&model, &settings).expect("generation succeeds")
}

/// The code without documentation (doc comments, `#[doc]` attributes) and without embedded
/// JSON (the endpoint rule set and test cases, string literals starting with `"{`).
fn without_docs(code: &str) -> String {
    code.lines()
        .filter(|line| {
            let line = line.trim_start();
            !(line.starts_with("///")
                || line.starts_with("//!")
                || line.starts_with("#[doc")
                || line.starts_with("\"{"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn selecting_get_harvest_job_from_the_real_model_matches_model_dir() {
    let Some(real) = reference_data::require(
        "integration-tests harvest_job_equivalence",
        "the comparison of GetHarvestJob from the real model with model/",
        "models/aws/mediapackagev2-2022-12-25.json",
    ) else {
        return;
    };
    let selected = generate(real, Some(vec!["GetHarvestJob".into()]));
    let ours = generate(root().join("model"), None);
    assert_eq!(
        selected.keys().collect::<Vec<_>>(),
        ours.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, code) in &selected {
        let (a, b) = (without_docs(code), without_docs(&ours[path]));
        if a != b {
            let line = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            let context = |text: &str| {
                text.lines()
                    .skip(line.saturating_sub(3))
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{path} differs at line {line}:\n--- real model ---\n{}\n--- model/ ---\n{}",
                context(&a),
                context(&b)
            );
        }
    }
}
