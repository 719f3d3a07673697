//! Generates the clients the integration tests drive: the whole real MediaPackage v2 model
//! (all 30 operations) and a restJson1 feature model, each as one file in `OUT_DIR`.

use smithy_gen::build::Builder;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mediapackagev2 = root.join("../../shared/models/aws/mediapackagev2-2022-12-25.json");
    Builder::new()
        .model(&mediapackagev2)
        .generate_into_out_dir("mediapackagev2_full.rs")
        .unwrap_or_else(|e| panic!("generating {}: {e}", mediapackagev2.display()));
    Builder::new()
        .model(root.join("models/features.smithy"))
        .generate_into_out_dir("features.rs")
        .unwrap_or_else(|e| panic!("generating the feature model: {e}"));
}
