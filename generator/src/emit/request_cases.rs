//! Request cases for differential testing (`cargo xtask differential`): one function per case
//! building the case's input with the generated builders and serializing it with the
//! operation's crate-private `serialize_request`, the same path the client and the protocol
//! compliance tests take. Like the protocol tests, the file is meant to be `include!`d in a
//! module directly below the generated client (single-file layout); inputs are written in the
//! protocol tests' `params` convention.

use super::protocol_tests::{op_module, value};
use super::symbols::Symbols;
use crate::passes::Plan;
use crate::{Error, ErrorKind, Result};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// `pub const CASES: &[fn() -> Result<RequestParts, BuildError>]`, one entry per
/// `(operation name, params)` of `cases`, in order.
pub fn emit_request_cases(plan: &Plan, cases: &[(String, Value)]) -> Result<TokenStream> {
    let symbols = Symbols::new(plan);
    let rt = quote!(::smithy_runtime);
    let mut functions = Vec::with_capacity(cases.len());
    let mut names = Vec::with_capacity(cases.len());
    for (index, (operation, params)) in cases.iter().enumerate() {
        let op = plan
            .operations
            .iter()
            .find(|op| op.id.name() == operation)
            .ok_or_else(|| {
                Error::file(
                    "<request cases>",
                    ErrorKind::Invalid(format!("case {index}: no operation {operation}")),
                )
            })?;
        let input = value(&symbols, &op.input, params, &format!("{index}"))?;
        let module = op_module(&symbols, op);
        let name = format_ident!("case_{index}");
        // One small function per case: rustc compiles thousands of them much faster than one
        // function holding every case.
        functions.push(quote! {
            fn #name() -> ::std::result::Result<#rt::http::RequestParts, #rt::BuildError> {
                let input = #input;
                #module::serialize_request(&input)
            }
        });
        names.push(name);
    }
    Ok(quote! {
        #(#functions)*
        /// Every case, in order: each builds its input and serializes the request.
        pub const CASES: &[fn() -> ::std::result::Result<#rt::http::RequestParts, #rt::BuildError>] = &[#(#names),*];
    })
}
