//! Shared helpers for the integration tests: real HTTP/1 servers on 127.0.0.1 that record every
//! request (one answering from a script, one from a handler), and the clients `build.rs`
//! generates into `OUT_DIR` (compiled here, so their output is proven to build warning-free).

pub mod handler_server;
pub mod harvest_job_cli;
pub mod server;

/// The client generated from `fixtures/obstacle-course.json`.
pub mod obstacle_course {
    include!(concat!(env!("OUT_DIR"), "/obstacle_course.rs"));
}

/// GetHarvestJob selected out of the real `mediapackagev2-2022-12-25.json` (reference data).
#[cfg(reference_data)]
pub mod real_get_harvest_job {
    include!(concat!(env!("OUT_DIR"), "/real_get_harvest_job.rs"));
}

/// The whole MediaPackage v2 client (all 30 operations), generated from the real AWS model.
#[cfg(reference_data)]
pub mod mediapackagev2_full {
    include!(concat!(env!("OUT_DIR"), "/mediapackagev2_full.rs"));
}

/// A client for `tests/models/features.smithy`, which exercises every restJson1 binding.
pub mod features {
    include!(concat!(env!("OUT_DIR"), "/features.rs"));
}
