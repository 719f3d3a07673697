//! `smithy-model-fuzz`: property-based testing of the generator with seeded random models.
//!
//! [`random_model`] turns a `u64` seed into a valid Smithy 2.0 JSON AST model (a restJson1,
//! awsJson1_0, awsJson1_1, rpcv2Cbor, rpcv2Json, awsQuery or ec2Query service, HTTP bindings, every shape type, the traits that change generated code,
//! hazardous names and documentation). [`harness::run`] generates each model in both layouts
//! and compiles them all with `cargo clippy -D warnings`, attributing each diagnostic to its
//! seed. [`mutate`] perturbs real AWS models and checks the generator returns `Ok` or a clear
//! error, never a panic.
//!
//! Why not proptest: every case is a crate compile (seconds, not microseconds), so shrinking
//! a failing case by re-running hundreds of variants is far too slow, and the generated model
//! is already small. A seed is the regression handle instead: it reproduces its model exactly
//! (the generator here is a self-contained SplitMix64, not a library whose streams may change),
//! and a failing seed goes into the fixed list the tests compile on every run.

pub mod harness;
pub mod model;
pub mod mutate;
pub mod rng;

pub use model::{check_model, random_model};

/// Seeds that once made the generator fail (each fixed since); the tests compile them on every
/// run. Each comment names the bug.
pub const REGRESSION_SEEDS: &[u64] = &[
    17, 20, 43, // `_1abc`-style names converted to identifiers starting with a digit (panic)
    36, 60, 68, // a tab in an enum value, copied into the variant's doc line
    76, 85,   // a member named `clone`: an accessor clippy reads as `Clone::clone`
    82,   // an operation named `IntoPaginator`: `Client::into_paginator(&self)`
    33,   // an operation named `New`: `Client::new()` returning a fluent builder
    215,  // an operation named `Clone`: `self.clone()` inside `Client` called it
    453,  // an operation named `New` (wrong_self_convention on `Client::new(&self)`)
    38,   // a union and an operation error with one large member (`large_enum_variant`)
    476,  // nested maps in a builder field (`type_complexity`)
    1020, // a structure named `PartialEq`: `[`PartialEq`]` in a doc is ambiguous for rustdoc
];
