//! awsJson1_0 and awsJson1_1 (`aws.protocols#awsJson1_0` / `awsJson1_1`): RPC over HTTP. Every
//! operation is `POST /` with `X-Amz-Target: <service shape name>.<operation name>`, a content
//! type of `application/x-amz-json-1.0` or `-1.1` (the only difference between the two), and
//! the whole input as the JSON body (`{}` without input members); the response body is the
//! whole output. HTTP binding traits and `@jsonName` mean nothing here: every member is in the
//! body, keyed by its member name. Errors are named by `X-Amzn-Errortype` or the body's `__type` /
//! `code`; `@awsQueryCompatible` services also send `x-amzn-query-mode: true` and read their
//! error codes from `x-amzn-query-error`.

use super::rest_json::{host_prefix, request_compression, sdk_id};
use super::{query_compatible, ProtocolGenerator};
use crate::emit::structure::{fields, Field};
use crate::emit::symbols::Symbols;
use crate::error::Result;
use crate::passes::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;

/// The awsJson generator of one version.
pub struct AwsJson {
    /// `1.0` or `1.1`, as in the content type.
    pub version: &'static str,
}

/// awsJson1_0.
pub static AWS_JSON_1_0: AwsJson = AwsJson { version: "1.0" };

/// awsJson1_1.
pub static AWS_JSON_1_1: AwsJson = AwsJson { version: "1.1" };

impl ProtocolGenerator for AwsJson {
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
        Ok(emit_parser(symbols, op, error_ty, depth))
    }
}

/// `fn serialize_request(input: &Input) -> Result<RequestParts, BuildError>`.
fn emit_serializer(
    protocol: &AwsJson,
    symbols: &Symbols,
    op: &OperationPlan,
    depth: usize,
) -> Result<TokenStream> {
    let op_shape = symbols.shape(&op.id);
    let input_ty = symbols.type_path(&op.input, depth);
    let fields = fields(symbols, symbols.shape(&op.input), depth);
    let target = format!("{}.{}", symbols.plan.service.name(), op.id.name());
    let content_type = format!("application/x-amz-json-{}", protocol.version);
    let query_mode = if query_compatible(symbols) {
        quote!(request.push_header("x-amzn-query-mode", "true");)
    } else {
        quote!()
    };
    let body = request_body(&fields);
    let compression = request_compression(op_shape);
    let customizations = service_customizations(symbols, op, &fields);
    let host_prefix = host_prefix(symbols, op_shape, &fields)?;
    Ok(quote! {
        #[allow(unused_mut)]
        pub(crate) fn serialize_request(input: &#input_ty) -> ::std::result::Result<::smithy_runtime::http::RequestParts, ::smithy_runtime::BuildError> {
            let mut request = ::smithy_runtime::http::RequestParts::new("POST");
            request.push_path("/");
            request.push_header("X-Amz-Target", #target);
            #query_mode
            #body
            request.set_body(#content_type, body.to_string());
            #compression
            #customizations
            #host_prefix
            ::std::result::Result::Ok(request)
        }
    })
}

/// `let body = ...;`: the whole input as JSON, with unset `@idempotencyToken` members filled.
fn request_body(fields: &[Field]) -> TokenStream {
    let token_fills: Vec<TokenStream> = fields.iter().filter(|f| f.member.traits.idempotency_token()).map(|f| {
        let key = &f.member.name;
        quote! {
            if !object.contains_key(#key) {
                object.insert(#key.to_string(), ::smithy_runtime::serde_json::Value::String(::smithy_runtime::wire::idempotency_token()));
            }
        }
    }).collect();
    if token_fills.is_empty() {
        return quote!(let body = ::smithy_runtime::json::ToJson::to_json(input););
    }
    quote! {
        let mut body = ::smithy_runtime::json::ToJson::to_json(input);
        if let ::smithy_runtime::serde_json::Value::Object(object) = &mut body {
            #(#token_fills)*
        }
    }
}

/// Per-service request customizations the AWS SDKs apply (keyed by `sdkId`): Amazon Machine
/// Learning sends `Predict` to the endpoint named by its `PredictEndpoint` input member.
fn service_customizations(symbols: &Symbols, op: &OperationPlan, fields: &[Field]) -> TokenStream {
    if sdk_id(symbols) != Some("Machine Learning") || op.id.name() != "Predict" {
        return quote!();
    }
    let Some(field) = fields.iter().find(|f| f.member.name == "PredictEndpoint") else {
        return quote!();
    };
    let name = &field.name;
    quote! {
        if let ::std::option::Option::Some(endpoint) = &input.#name {
            request.set_endpoint(endpoint.clone());
        }
    }
}

/// `fn parse_response(response) -> Result<Output, SdkError<Error>>`: any success status reads
/// the output from the body; anything else is an error.
fn emit_parser(
    symbols: &Symbols,
    op: &OperationPlan,
    error_ty: &TokenStream,
    depth: usize,
) -> TokenStream {
    let output_ty = symbols.type_path(&op.output, depth);
    let errors = emit_error_dispatch(symbols, op, error_ty, depth);
    let runtime = quote!(::smithy_runtime::aws_json);
    let parse = match crate::emit::event_stream::output_event_stream(symbols, op) {
        Some(stream) => crate::emit::event_stream::rpc_parse_response(
            symbols, op, stream, error_ty, &runtime, depth,
        ),
        None => super::rpc_parse_response(
            &output_ty,
            error_ty,
            &runtime,
            &quote!(::smithy_runtime::json::parse_body(response.body())),
            &quote!(::smithy_runtime::json::FromJson::from_json),
        ),
    };
    quote! {
        #parse
        #errors
    }
}

/// `fn parse_error(response) -> SdkError<Error>`: the error type picks the modelled error;
/// anything else is `Unhandled` with the raw body kept.
fn emit_error_dispatch(
    symbols: &Symbols,
    op: &OperationPlan,
    error_ty: &TokenStream,
    depth: usize,
) -> TokenStream {
    let error = super::error_variant(
        symbols,
        op,
        error_ty,
        depth,
        &quote!(error_type.as_deref()),
        &quote!(::smithy_runtime::aws_json),
        false,
    );
    let query_compatible = query_compatible(symbols);
    quote! {
        fn parse_error(response: &::smithy_runtime::http::HttpResponse) -> ::smithy_runtime::SdkError<#error_ty> {
            // A body that is not JSON (an HTML page from a proxy) still yields a typed error.
            let body = ::smithy_runtime::json::parse_body(response.body()).unwrap_or_default();
            let error_type = ::smithy_runtime::aws_json::error_type(response, &body);
            let meta = ::smithy_runtime::aws_json::error_metadata(response, &body, error_type.as_deref(), #query_compatible);
            let error = #error;
            ::smithy_runtime::SdkError::Service(error)
        }
    }
}
