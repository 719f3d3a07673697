//! Differential conformance against botocore (`cargo xtask differential`).
//!
//! For each selected AWS service: seeded random inputs for its operations ([`values`]), our
//! request for each (the generated client's builders and `serialize_request`, in a generated
//! driver binary, see [`harness`]), botocore's request for the same input (`botocore_side.py`,
//! botocore's serializer and request preparation), both normalized as a server would read them
//! ([`request`]) and compared; each difference is either listed in `deviations.json` with its
//! reason ([`deviations`]) or counted as unexplained. The response phase: seeded random
//! outputs ([`values`]), written as responses by our own emitter ([`wire`]), parsed by our
//! generated parsers (the driver's `responses` mode) and by botocore's, the values compared
//! ([`response`]).

pub mod deviations;
pub mod harness;
pub mod request;
pub mod response;
pub mod values;
pub mod wire;
pub mod xml;
