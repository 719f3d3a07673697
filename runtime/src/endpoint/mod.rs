//! Smithy endpoint rules engine (in progress).
