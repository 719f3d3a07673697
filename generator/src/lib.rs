//! smithy-gen
