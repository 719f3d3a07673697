//! The protocol layer: everything that puts an operation on the wire, one module per protocol
//! behind [`ProtocolGenerator`].
//!
//! Design: shapes and the client API know nothing of protocols. Each generated shape gets one
//! JSON codec (`FromJson` / `ToJson`, emitted by `structure.rs` and `union.rs`), and each
//! protocol generates, per operation, the request serializer (`serialize_request`), the response
//! parser (`parse_response`) and the error dispatch over those shared codecs, calling small
//! helpers in the runtime (`smithy_runtime::json` for the wire format, one runtime module per
//! protocol for its shared pieces: `smithy_runtime::rest_json`, `smithy_runtime::aws_json`).
//! A protocol decides the few things the codecs depend on (which members are in the body, the
//! JSON key of a member) through this trait, so the JSON protocols share one codec per shape.
//!
//! Why generated per-protocol code rather than a schema-driven codec in the runtime (see
//! `../shared/docs/design.md`, "Protocols: two ways the incumbents layer them"): the generated
//! request and response code is straight-line calls into the runtime, which keeps generated
//! crates fast to compile and the hot path free of schema interpretation, and each protocol is
//! readable in its own file. A measured comparison with a schema-driven runtime codec
//! (compile time and run time) is still to be done.

pub mod aws_json;
pub mod rest_json;

use super::structure::Field;
use super::symbols::Symbols;
use crate::error::Result;
use crate::model::Member;
use crate::naming::ident;
use crate::passes::{OperationPlan, Plan, Protocol};
use proc_macro2::TokenStream;
use quote::quote;

/// What one protocol generates, and the protocol facts the shared JSON codecs ask for.
pub trait ProtocolGenerator: Sync {
    /// `fn serialize_request(input: &Input) -> Result<RequestParts, BuildError>` of an
    /// operation module at `depth`.
    fn serializer(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        depth: usize,
    ) -> Result<TokenStream>;

    /// `fn parse_response(response) -> Result<Output, SdkError<Error>>` of an operation module
    /// at `depth`, with the error dispatch it calls (`error_ty` is the operation's error enum).
    fn parser(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        error_ty: &TokenStream,
        depth: usize,
    ) -> Result<TokenStream>;

    /// Whether a member of a structure written into a request goes into the JSON body.
    fn is_request_body_member(&self, member: &Member) -> bool;

    /// Whether a member of an output or error structure is read from the JSON body.
    fn is_response_body_member(&self, member: &Member) -> bool;

    /// The JSON key of a member in a body.
    fn json_name<'m>(&self, member: &'m Member) -> &'m str;

    /// Statements filling the members of the error being built in `target` that the response
    /// carries outside the body (headers, status code); `response`, `status` and `malformed`
    /// are in scope.
    fn error_bindings(
        &self,
        symbols: &Symbols,
        fields: &[Field],
        target: &TokenStream,
        depth: usize,
    ) -> Vec<TokenStream>;
}

/// The generator of the plan's protocol. Protocols without one yet get restJson1's: their
/// shapes still have JSON codecs, and their operations are never sent (see
/// `operation::unsupported_reason`), so only the codecs' rules are used.
pub fn for_plan(plan: &Plan) -> &'static dyn ProtocolGenerator {
    match &plan.protocol {
        Protocol::RestJson1 | Protocol::Unsupported(_) => &rest_json::RestJson1,
        Protocol::AwsJson1_0 => &aws_json::AWS_JSON_1_0,
        Protocol::AwsJson1_1 => &aws_json::AWS_JSON_1_1,
    }
}

/// The operation's error value for the JSON protocols, which differ only in where they find the
/// error shape's name: `name` (an `Option<&str>` expression) picks the modelled error, read by
/// its `from_response`; any other name is `Unhandled` with the raw body kept. A modelled error
/// whose body does not parse is a response error from `runtime`'s `response_error`. `response`,
/// `body` and `meta` are in scope.
pub(crate) fn error_variant(
    symbols: &Symbols,
    op: &OperationPlan,
    error_ty: &TokenStream,
    depth: usize,
    name: &TokenStream,
    runtime: &TokenStream,
) -> TokenStream {
    let arms = op.errors.iter().map(|error| {
        let code = error.name();
        let variant = ident(&symbols.type_name(error));
        let ty = symbols.type_path(error, depth);
        quote! {
            ::std::option::Option::Some(#code) => match <#ty>::from_response(response, body, meta) {
                ::std::result::Result::Ok(error) => #error_ty::#variant(error),
                ::std::result::Result::Err(reason) => return ::smithy_runtime::SdkError::Response(#runtime::response_error(response, reason)),
            },
        }
    });
    let unhandled = quote! {
        #error_ty::Unhandled(::smithy_runtime::error::Unhandled { meta, body: response.body().clone() })
    };
    // Without modelled errors every error is unhandled: a match with only `_` is what clippy's
    // `match_single_binding` rejects.
    if op.errors.is_empty() {
        return unhandled;
    }
    quote! {
        match #name {
            #(#arms)*
            _ => #unhandled,
        }
    }
}
