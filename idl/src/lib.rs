//! Smithy IDL 2.0 loader (in progress).
