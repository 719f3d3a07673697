//! A crate whose MediaPackage v2 client is generated at build time (see `build.rs`).
//!
//! ```ignore
//! let client = build_script_example::mediapackagev2::Client::from_conf(config);
//! let job = client.get_harvest_job().channel_group_name("g") /* ... */ .send().await?;
//! ```

/// The generated client, included from `OUT_DIR`.
pub mod mediapackagev2 {
    include!(concat!(env!("OUT_DIR"), "/mediapackagev2.rs"));
}
