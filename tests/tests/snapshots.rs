//! insta snapshots of every generated file: one named snapshot per file, for `model/` and for
//! the obstacle-course fixture. Review changes with `cargo insta review` (or `INSTA_UPDATE`).

use std::path::Path;

fn generate(model_path: &str) -> smithy_gen::Files {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let sources = smithy_gen::build::read_sources(&[root.join(model_path)]).expect("model reads");
    let model = smithy_gen::load(&sources).expect("model loads");
    smithy_gen::generate(&model, &smithy_gen::Settings::default()).expect("code generates")
}

fn snapshot_all(prefix: &str, files: &smithy_gen::Files) {
    assert!(!files.is_empty());
    for (path, contents) in files {
        let name = format!("{prefix}__{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, contents);
    }
}

#[test]
fn model_files_match_snapshots() {
    let files = generate("model");
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "src/client.rs",
            "src/error.rs",
            "src/lib.rs",
            "src/operation.rs",
            "src/operation/get_harvest_job.rs",
            "src/service.rs",
            "src/types.rs"
        ]
    );
    snapshot_all("model", &files);
}

#[test]
fn obstacle_course_files_match_snapshots() {
    let files = generate("tests/fixtures/obstacle-course.json");
    snapshot_all("obstacle_course", &files);
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate("model"), generate("model"));
}
