//! Runtime benchmarks of the generated clients ("ours") and the AWS SDK for Rust ("sdk") calling
//! MediaPackage v2 GetHarvestJob and DynamoDB GetItem against the same local server, with the same
//! static credentials, region and endpoint.

pub mod alloc;
pub mod clients;
pub mod load;
