//! awsQuery and ec2Query (`aws.protocols#awsQuery` / `ec2Query`): RPC over HTTP with form
//! requests and XML responses. Every operation is `POST /` with an
//! `application/x-www-form-urlencoded` body of `Action=<operation>&Version=<service version>`
//! and the input's members as parameters (`ToQuery`, from `emit/query_codec.rs`, which holds
//! the two protocols' naming rules). HTTP binding traits mean nothing here: every member is a
//! parameter.
//!
//! Responses are XML, read by the shapes' `FromXml` (`emit/xml_codec.rs`): awsQuery wraps the
//! output in `<OpResponse><OpResult>`, ec2Query puts the members straight under the root.
//! Errors are `<ErrorResponse><Error>` (awsQuery) or `<Response><Errors><Error>` (ec2Query),
//! named by their `<Code>`, which is a modelled error's `@awsQueryError` code where it has one,
//! else its shape name.

use super::rest_json::{host_prefix, request_compression};
use super::{ProtocolGenerator, QueryStyle, Wire};
use crate::emit::query_codec;
use crate::emit::structure::{fields, Field};
use crate::emit::symbols::Symbols;
use crate::error::Result;
use crate::model::ShapeKind;
use crate::passes::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;

/// The generator of one query protocol.
pub struct AwsQuery {
    style: QueryStyle,
}

/// awsQuery.
pub static AWS_QUERY: AwsQuery = AwsQuery {
    style: QueryStyle::AwsQuery,
};

/// ec2Query.
pub static EC2_QUERY: AwsQuery = AwsQuery {
    style: QueryStyle::Ec2Query,
};

impl ProtocolGenerator for AwsQuery {
    fn serializer(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        depth: usize,
    ) -> Result<TokenStream> {
        emit_serializer(self.style, symbols, op, depth)
    }

    fn parser(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        error_ty: &TokenStream,
        depth: usize,
    ) -> Result<TokenStream> {
        Ok(emit_parser(self.style, symbols, op, error_ty, depth))
    }

    fn wire(&self) -> Wire {
        Wire::Xml
    }

    fn query_style(&self) -> Option<QueryStyle> {
        Some(self.style)
    }
}

/// `fn serialize_request(input: &Input) -> Result<RequestParts, BuildError>`.
fn emit_serializer(
    style: QueryStyle,
    symbols: &Symbols,
    op: &OperationPlan,
    depth: usize,
) -> Result<TokenStream> {
    let op_shape = symbols.shape(&op.id);
    let input_ty = symbols.type_path(&op.input, depth);
    let fields = fields(symbols, symbols.shape(&op.input), depth);
    let action = op.id.name();
    let version = match &symbols.shape(&symbols.plan.service).kind {
        ShapeKind::Service(service) => service.version.clone(),
        _ => String::new(),
    };
    let token_fills = idempotency_token_fills(style, &fields);
    let compression = request_compression(op_shape);
    let host_prefix = host_prefix(symbols, op_shape, &fields)?;
    Ok(quote! {
        #[allow(unused_mut)]
        pub(crate) fn serialize_request(input: &#input_ty) -> ::std::result::Result<::smithy_runtime::http::RequestParts, ::smithy_runtime::BuildError> {
            let mut request = ::smithy_runtime::http::RequestParts::new("POST");
            request.push_path("/");
            let mut writer = ::smithy_runtime::query::QueryWriter::new(#action, #version);
            ::smithy_runtime::query::ToQuery::to_query(input, &mut writer, "");
            #(#token_fills)*
            request.set_body("application/x-www-form-urlencoded", writer.finish());
            #compression
            #host_prefix
            ::std::result::Result::Ok(request)
        }
    })
}

/// Unset `@idempotencyToken` members get a fresh token (the Smithy spec asks clients to fill
/// them).
fn idempotency_token_fills(style: QueryStyle, fields: &[Field]) -> Vec<TokenStream> {
    fields
        .iter()
        .filter(|f| f.optional && f.member.traits.idempotency_token())
        .map(|f| {
            let name = &f.name;
            let key = query_codec::member_key(style, f.member);
            quote! {
                if input.#name.is_none() {
                    writer.push(#key, &::smithy_runtime::wire::idempotency_token());
                }
            }
        })
        .collect()
}

/// `fn parse_response(response) -> Result<Output, SdkError<Error>>`: any success status reads
/// the output from the result element; anything else is an error.
fn emit_parser(
    style: QueryStyle,
    symbols: &Symbols,
    op: &OperationPlan,
    error_ty: &TokenStream,
    depth: usize,
) -> TokenStream {
    let output_ty = symbols.type_path(&op.output, depth);
    let (result, error_element) = match style {
        QueryStyle::AwsQuery => (quote!(result_element), quote!(error_element)),
        QueryStyle::Ec2Query => (quote!(ec2_result_element), quote!(ec2_error_element)),
    };
    let error = super::error_variant(
        symbols,
        op,
        error_ty,
        depth,
        &quote!(meta.code.as_deref()),
        &quote!(::smithy_runtime::query),
        true,
    );
    let parse = super::rpc_parse_response(
        &output_ty,
        error_ty,
        &quote!(::smithy_runtime::query),
        &quote!(::smithy_runtime::query::#result(response.body())),
        &quote!(::smithy_runtime::xml::FromXml::from_xml),
    );
    quote! {
        #parse

        fn parse_error(response: &::smithy_runtime::http::HttpResponse) -> ::smithy_runtime::SdkError<#error_ty> {
            // A body that is not XML (a proxy's HTML page) still yields a typed error.
            let (body, request_id) = ::smithy_runtime::query::#error_element(response.body());
            let meta = ::smithy_runtime::query::error_metadata(response, &body, request_id);
            let error = #error;
            ::smithy_runtime::SdkError::Service(error)
        }
    }
}
