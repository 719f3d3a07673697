//! Smithy endpoint rules engine: resolves a service endpoint from a
//! `smithy.rules#endpointRuleSet` and parameter values.
//!
//! The rule set is interpreted rather than compiled to Rust: one shared interpreter keeps every
//! generated crate small and quick to compile. Generated code embeds the rule-set JSON in an
//! [`EmbeddedRuleSet`], which parses it once into a typed [`RuleSet`]; a [`Resolver`] then
//! evaluates it for each set of [`Params`].
//!
//! ```
//! use smithy_runtime::endpoint::{Params, RuleSet, Resolver};
//!
//! let rules = RuleSet::from_json_str(r#"{
//!   "version": "1.0",
//!   "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region"}},
//!   "rules": [
//!     {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
//!                     {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!      "type": "endpoint",
//!      "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}},
//!     {"conditions": [], "type": "error", "error": "Invalid Configuration: Missing Region"}
//!   ]}"#).unwrap();
//! let endpoint = Resolver::new(&rules).resolve(&Params::new().with("Region", "cn-north-1")).unwrap();
//! assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
//! let error = Resolver::new(&rules).resolve(&Params::new()).unwrap_err();
//! assert_eq!(error.message(), "Invalid Configuration: Missing Region");
//! ```
//!
//! Modules, one concern each: `model` (typed rule set and its parser), `template` (string
//! templates and `getAttr` paths), `value` (parameter and evaluation values), `eval` (rule
//! evaluation), `functions` (function dispatch), `stdlib` and `aws` (function bodies),
//! `partition` (partition table types and lookup), `partitions` (built-in data), `regex`
//! (the small matcher for `regionRegex`), `embedded` (lazily parsed embedded JSON) and
//! `testing` (running `smithy.rules#endpointTests` cases).

mod aws;
mod embedded;
mod eval;
mod functions;
mod model;
mod partition;
mod partitions;
mod regex;
mod stdlib;
mod template;
mod testing;
mod value;

pub use embedded::EmbeddedRuleSet;
pub use eval::{Endpoint, ResolveError, Resolver};
pub use model::{
    Call, Condition, EndpointTemplate, Expr, Function, Parameter, Rule, RuleKind, RuleSet,
    RuleSetError,
};
pub use partition::{
    OutputOverrides, Partition, PartitionError, PartitionOutputs, PartitionTable, Region,
};
pub use regex::{Regex, RegexError};
pub use template::{AttrPath, PathStep, Template, TemplatePart};
pub use testing::{
    endpoint_test_cases, run_endpoint_test_case, run_endpoint_test_case_with,
    service_endpoint_traits, ServiceEndpointTraits,
};
pub use value::{ParamType, Params, Value};

/// Resolves an endpoint with the built-in partition table; shorthand for
/// `Resolver::new(ruleset).resolve(params)`.
pub fn resolve(ruleset: &RuleSet, params: &Params) -> Result<Endpoint, ResolveError> {
    Resolver::new(ruleset).resolve(params)
}
