//! Credentials and region providers (in progress).
