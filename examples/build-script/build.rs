//! Generates a GetHarvestJob-only MediaPackage v2 client from the project's model into
//! `OUT_DIR/mediapackagev2.rs`. `cargo:rerun-if-changed` is printed for every model file read,
//! so editing the model regenerates the client on the next build.

fn main() {
    let result = smithy_gen::build::Builder::new()
        .model("../../model")
        .operation("GetHarvestJob")
        .generate_into_out_dir("mediapackagev2.rs");
    if let Err(error) = result {
        // A build script reports failure by exiting non-zero; the message names file, shape, reason.
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
