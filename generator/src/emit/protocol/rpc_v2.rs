//! Smithy RPC v2 (`smithy.protocols#rpcv2Cbor`, and its JSON sibling `rpcv2Json`): RPC over
//! HTTP. Every operation is `POST /service/<service shape name>/operation/<operation name>`
//! with `smithy-protocol: rpc-v2-cbor` (or `rpc-v2-json`) and `Accept: application/cbor` (or
//! `application/json`). An operation with input sends the whole input as the body, a CBOR (or
//! JSON) map of every set member by member name (`@jsonName` and HTTP bindings mean nothing
//! here; an empty input is an empty map); an operation without input (`smithy.api#Unit`) sends
//! no body and no `Content-Type`. The response body is the whole output (an empty body reads
//! as an empty output). Errors are named by the body's `__type`, namespace and any `:` suffix
//! removed; `@awsQueryCompatible` services send `x-amzn-query-mode: true` and read their codes
//! from `x-amzn-query-error`, as in awsJson.
//!
//! In CBOR, timestamps are always tag 1 around epoch seconds (`@timestampFormat` is ignored),
//! blobs are byte strings, and NaN and the infinities are plain floats.

use super::rest_json::{host_prefix, request_compression};
use super::{query_compatible, ProtocolGenerator, Wire};
use crate::emit::structure::{fields, Field};
use crate::emit::symbols::Symbols;
use crate::error::Result;
use crate::model::ShapeKind;
use crate::passes::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;

/// The RPC v2 generator of one wire format.
pub struct RpcV2 {
    /// CBOR or JSON.
    pub wire: Wire,
    /// The `smithy-protocol` header value.
    pub protocol_header: &'static str,
    /// The body's media type (`Content-Type` and `Accept`).
    pub media_type: &'static str,
}

/// `smithy.protocols#rpcv2Cbor`.
pub static RPC_V2_CBOR: RpcV2 = RpcV2 {
    wire: Wire::Cbor,
    protocol_header: "rpc-v2-cbor",
    media_type: "application/cbor",
};

/// `smithy.protocols#rpcv2Json`.
pub static RPC_V2_JSON: RpcV2 = RpcV2 {
    wire: Wire::Json,
    protocol_header: "rpc-v2-json",
    media_type: "application/json",
};

impl ProtocolGenerator for RpcV2 {
    fn initial_response_event(&self) -> bool {
        true
    }

    fn serializer(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        depth: usize,
    ) -> Result<TokenStream> {
        emit_serializer(self, symbols, op, depth)
    }

    fn parser(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        error_ty: &TokenStream,
        depth: usize,
    ) -> Result<TokenStream> {
        Ok(emit_parser(self, symbols, op, error_ty, depth))
    }

    fn wire(&self) -> Wire {
        self.wire
    }

    fn ignores_timestamp_format(&self) -> bool {
        true
    }

    /// RPC v2 JSON only; CBOR has its own number types.
    fn big_numbers_as_strings(&self) -> bool {
        self.wire == Wire::Json
    }
}

/// Whether the operation models an input (`smithy.api#Unit` means none: no body at all).
fn has_input(symbols: &Symbols, op: &OperationPlan) -> bool {
    match &symbols.shape(&op.id).kind {
        ShapeKind::Operation(operation) => !operation.input.is_unit(),
        _ => true,
    }
}

/// `fn serialize_request(input: &Input) -> Result<RequestParts, BuildError>`.
fn emit_serializer(
    protocol: &RpcV2,
    symbols: &Symbols,
    op: &OperationPlan,
    depth: usize,
) -> Result<TokenStream> {
    let op_shape = symbols.shape(&op.id);
    let input_ty = symbols.type_path(&op.input, depth);
    let fields = fields(symbols, symbols.shape(&op.input), depth);
    let path = format!(
        "/service/{}/operation/{}",
        symbols.plan.service.name(),
        op.id.name()
    );
    let (protocol_header, media_type) = (protocol.protocol_header, protocol.media_type);
    let query_mode = if query_compatible(symbols) {
        quote!(request.push_header("x-amzn-query-mode", "true");)
    } else {
        quote!()
    };
    let body = if has_input(symbols, op) {
        request_body(protocol.wire, &fields)
    } else {
        quote!(let _ = input;)
    };
    let compression = request_compression(op_shape);
    let host_prefix = host_prefix(symbols, op_shape, &fields)?;
    Ok(quote! {
        #[allow(unused_mut)]
        pub(crate) fn serialize_request(input: &#input_ty) -> ::std::result::Result<::smithy_runtime::http::RequestParts, ::smithy_runtime::BuildError> {
            let mut request = ::smithy_runtime::http::RequestParts::new("POST");
            request.push_path(#path);
            request.push_header("smithy-protocol", #protocol_header);
            request.push_header("Accept", #media_type);
            #query_mode
            #body
            #compression
            #host_prefix
            ::std::result::Result::Ok(request)
        }
    })
}

/// Sets the body: the whole input as a map, with unset `@idempotencyToken` members filled.
fn request_body(wire: Wire, fields: &[Field]) -> TokenStream {
    let (codec, map_variant) = (wire.module(), wire.map_variant());
    let (to_trait, to_fn) = wire.to_trait();
    // RPC v2 is JSON or CBOR (`RPC_V2_JSON`, `RPC_V2_CBOR`), never XML.
    let text = match wire {
        Wire::Json => quote!(::smithy_runtime::serde_json::Value::String),
        _ => quote!(::smithy_runtime::cbor::Value::Text),
    };
    let token_fills: Vec<TokenStream> = fields
        .iter()
        .filter(|f| f.member.traits.idempotency_token())
        .map(|f| {
            let key = &f.member.name;
            quote! {
                if !object.contains_key(#key) {
                    object.insert(#key.to_string(), #text(::smithy_runtime::wire::idempotency_token()));
                }
            }
        })
        .collect();
    let fill = if token_fills.is_empty() {
        quote!(let body = #to_trait::#to_fn(input);)
    } else {
        quote! {
            let mut body = #to_trait::#to_fn(input);
            if let #map_variant(object) = &mut body {
                #(#token_fills)*
            }
        }
    };
    let (media_type, bytes) = match wire {
        Wire::Json => (quote!("application/json"), quote!(body.to_string())),
        _ => (quote!("application/cbor"), quote!(#codec::encode(&body))),
    };
    quote! {
        #fill
        request.set_body(#media_type, #bytes);
    }
}

/// `fn parse_response(response) -> Result<Output, SdkError<Error>>`: any success status reads
/// the output from the body; anything else is an error.
fn emit_parser(
    protocol: &RpcV2,
    symbols: &Symbols,
    op: &OperationPlan,
    error_ty: &TokenStream,
    depth: usize,
) -> TokenStream {
    let output_ty = symbols.type_path(&op.output, depth);
    let codec = protocol.wire.module();
    let (from_trait, from_fn) = protocol.wire.from_trait();
    let errors = emit_error_dispatch(protocol, symbols, op, error_ty, depth);
    let runtime = quote!(::smithy_runtime::rpc_v2);
    let parse = match crate::emit::event_stream::output_event_stream(symbols, op) {
        Some(stream) => crate::emit::event_stream::rpc_parse_response(
            symbols, op, stream, error_ty, &runtime, depth,
        ),
        None => super::rpc_parse_response(
            &output_ty,
            error_ty,
            &runtime,
            &quote!(#codec::parse_body(response.body())),
            &quote!(#from_trait::#from_fn),
        ),
    };
    quote! {
        #parse
        #errors
    }
}

/// `fn parse_error(response) -> SdkError<Error>`: `__type` picks the modelled error; anything
/// else is `Unhandled` with the raw body kept.
fn emit_error_dispatch(
    protocol: &RpcV2,
    symbols: &Symbols,
    op: &OperationPlan,
    error_ty: &TokenStream,
    depth: usize,
) -> TokenStream {
    let codec = protocol.wire.module();
    let error = super::error_variant(
        symbols,
        op,
        error_ty,
        depth,
        &quote!(error_type.as_deref()),
        &quote!(::smithy_runtime::rpc_v2),
        false,
    );
    let query_compatible = query_compatible(symbols);
    quote! {
        fn parse_error(response: &::smithy_runtime::http::HttpResponse) -> ::smithy_runtime::SdkError<#error_ty> {
            // A body that does not parse (an HTML page from a proxy) still yields a typed error.
            let body = #codec::parse_body(response.body()).unwrap_or_default();
            let error_type = ::smithy_runtime::rpc_v2::error_type(&body);
            let meta = ::smithy_runtime::rpc_v2::error_metadata(response, &body, error_type.as_deref(), #query_compatible);
            let error = #error;
            ::smithy_runtime::SdkError::Service(error)
        }
    }
}
