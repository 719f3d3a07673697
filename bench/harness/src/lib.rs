//! Runtime benchmarks of the generated client ("ours") and the AWS SDK for Rust ("sdk") calling
//! GetHarvestJob against the same local server, with the same static credentials, region and
//! endpoint.

pub mod alloc;
pub mod clients;
pub mod load;
