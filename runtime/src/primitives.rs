//! Value types that generated shapes use: timestamps, blobs, documents, unknown enum values.

use std::fmt;

pub use crate::datetime::DateTime;

/// A Smithy `document`: any JSON value.
pub type Document = serde_json::Value;

/// A Smithy `blob`: raw bytes (base64 in JSON bodies).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Blob {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Takes the bytes out.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Blob {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Blob {
        Blob(bytes.to_vec())
    }
}

/// An arbitrary-precision number kept as its decimal text (`bigInteger`, `bigDecimal`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct BigNumber(String);

impl BigNumber {
    /// Wraps the decimal text of a number.
    pub fn new(text: impl Into<String>) -> BigNumber {
        BigNumber(text.into())
    }

    /// The decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The raw value of an enum member that the model did not list. Only the runtime can build
/// one, so a known value can never hide in the `Unknown` variant of a generated enum.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// Used by generated `From<&str>` impls for values that match no variant.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> UnknownVariantValue {
        UnknownVariantValue(value.into())
    }

    /// The raw value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text printed in place of `@sensitive` values in `Debug` output.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A `Debug` stand-in for sensitive values.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}
