//! AWS Signature Version 4 request signing (in progress).
