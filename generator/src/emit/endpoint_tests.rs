//! One Rust test per `smithy.rules#endpointTests` case, run against the embedded rule set by the
//! runtime's rules engine (so the generated crate proves its own endpoint resolution).

use crate::model::Shape;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// A `#[cfg(test)]` module with a test per case (nothing when the service has no tests).
pub fn emit_endpoint_tests(service: &Shape) -> TokenStream {
    let Some(cases) = service
        .traits
        .get("smithy.rules#endpointTests")
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
    else {
        return quote!();
    };
    if !service.traits.has("smithy.rules#endpointRuleSet") || cases.is_empty() {
        return quote!();
    }
    let tests = cases.iter().enumerate().map(|(index, case)| {
        let name = format_ident!("endpoint_case_{}", index);
        let doc = case
            .get("documentation")
            .and_then(Value::as_str)
            .map(|d| format!(" {d}"))
            .unwrap_or_else(|| format!(" Endpoint test case {index}."));
        let json = case.to_string();
        quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                check(#json);
            }
        }
    });
    quote! {
        /// The model's `smithy.rules#endpointTests`, one test per case.
        #[cfg(test)]
        mod endpoint_tests {
            /// Runs one case (its JSON text) against the embedded rule set.
            fn check(case: &str) {
                let rules = super::ENDPOINT_RULES.get().expect("the embedded rule set parses");
                let case: ::smithy_runtime::serde_json::Value = ::smithy_runtime::serde_json::from_str(case).expect("the case parses");
                if let ::std::result::Result::Err(mismatch) = ::smithy_runtime::endpoint::run_endpoint_test_case(rules, &case) {
                    panic!("{mismatch}");
                }
            }
            #(#tests)*
        }
    }
}
