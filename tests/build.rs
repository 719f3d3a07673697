//! Generates the "obstacle course" fixture client into OUT_DIR, so it is compiled (warning-free,
//! clippy-clean) as part of this crate, not just compared as text.

//! Also generates GetHarvestJob selected out of the real AWS model in `../shared`, proving that
//! output compiles too.

fn main() {
    let fixture = smithy_gen::build::Builder::new()
        .model("fixtures/obstacle-course.json")
        .generate_into_out_dir("obstacle_course.rs");
    if let Err(error) = fixture {
        panic!("generating the obstacle course failed: {error}");
    }
    let real = smithy_gen::build::Builder::new()
        .model("../../shared/models/aws/mediapackagev2-2022-12-25.json")
        .operation("GetHarvestJob")
        .generate_into_out_dir("real_get_harvest_job.rs");
    if let Err(error) = real {
        panic!("generating GetHarvestJob from the real model failed: {error}");
    }
}
