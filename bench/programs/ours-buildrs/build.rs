//! Generates the GetHarvestJob client from the real MediaPackage v2 model into `OUT_DIR`.
//! The model is `$SMITHY_BENCH_MODEL` (set by `cargo xtask bench`), by default the AWS model in
//! `../shared` beside the checkout.

fn main() {
    println!("cargo:rerun-if-env-changed=SMITHY_BENCH_MODEL");
    let model = std::env::var("SMITHY_BENCH_MODEL").unwrap_or_else(|_| {
        "../../../../shared/models/aws/mediapackagev2-2022-12-25.json".into()
    });
    if let Err(error) = smithy_gen::build::Builder::new()
        .model(model)
        .operation("GetHarvestJob")
        .generate_into_out_dir("mediapackagev2.rs")
    {
        panic!("generating the client: {error}");
    }
}
