//! Generates the clients the integration tests drive, each as one file in `OUT_DIR`, so they are
//! compiled (warning-free, clippy-clean) as part of this crate, not just compared as text:
//! the "obstacle course" fixture, GetHarvestJob selected out of the real AWS model, the whole
//! real MediaPackage v2 model (all 30 operations), and a restJson1 feature model.

use smithy_gen::build::Builder;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mediapackagev2 = root.join("../../shared/models/aws/mediapackagev2-2022-12-25.json");
    Builder::new()
        .model(root.join("fixtures/obstacle-course.json"))
        .generate_into_out_dir("obstacle_course.rs")
        .unwrap_or_else(|e| panic!("generating the obstacle course: {e}"));
    Builder::new()
        .model(&mediapackagev2)
        .operation("GetHarvestJob")
        .generate_into_out_dir("real_get_harvest_job.rs")
        .unwrap_or_else(|e| {
            panic!(
                "generating GetHarvestJob from {}: {e}",
                mediapackagev2.display()
            )
        });
    Builder::new()
        .model(&mediapackagev2)
        .generate_into_out_dir("mediapackagev2_full.rs")
        .unwrap_or_else(|e| panic!("generating {}: {e}", mediapackagev2.display()));
    Builder::new()
        .model(root.join("models/features.smithy"))
        .generate_into_out_dir("features.rs")
        .unwrap_or_else(|e| panic!("generating the feature model: {e}"));
}
