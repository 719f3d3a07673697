//! restXml (`aws.protocols#restXml`): the HTTP bindings of restJson1 (`@http`, `@httpLabel`,
//! `@httpQuery`, `@httpHeader`, `@httpPayload`, ...; shared in `rest_json.rs`) around an XML
//! body. The body members form one document whose root element is the input structure's
//! `@xmlName` or original name, with its `@xmlNamespace` or else the service's; a structure or
//! union payload is its own document rooted at the payload member's name, with the member's,
//! the target's or else the service's namespace. Responses are read
//! from the root element whatever its name. Errors are the `<Error>` element, wrapped in
//! `<ErrorResponse>` or bare (S3's `noErrorWrapping`), named by its `<Code>`. Shape codecs are
//! `emit/xml_codec.rs`.

use super::rest_json::{self, RestBody};
use super::{ProtocolGenerator, Wire};
use crate::emit::structure::Field;
use crate::emit::symbols::Symbols;
use crate::emit::xml_codec;
use crate::error::Result;
use crate::model::{Member, Shape, ShapeKind};
use crate::passes::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;

/// The restXml generator.
pub struct RestXml;

impl ProtocolGenerator for RestXml {
    fn serializer(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        depth: usize,
    ) -> Result<TokenStream> {
        rest_json::emit_serializer(symbols, op, depth, &XmlBody)
    }

    fn parser(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        error_ty: &TokenStream,
        depth: usize,
    ) -> Result<TokenStream> {
        rest_json::emit_parser(symbols, op, error_ty, depth, &XmlBody)
    }

    fn is_request_body_member(&self, member: &Member) -> bool {
        rest_json::is_body_member(member)
    }

    fn is_response_body_member(&self, member: &Member) -> bool {
        rest_json::is_response_body_member(member)
    }

    /// Not a JSON protocol: member names are the XML emitter's business (`@xmlName`).
    fn json_name<'m>(&self, member: &'m Member) -> &'m str {
        &member.name
    }

    fn wire(&self) -> Wire {
        Wire::Xml
    }

    fn error_bindings(
        &self,
        symbols: &Symbols,
        fields: &[Field],
        target: &TokenStream,
        depth: usize,
    ) -> Vec<TokenStream> {
        fields
            .iter()
            .filter_map(|f| rest_json::response_binding(symbols, f, target, depth))
            .collect()
    }
}

/// restXml's body.
struct XmlBody;

impl RestBody for XmlBody {
    fn members_body(&self, symbols: &Symbols, input: &Shape, fields: &[Field]) -> TokenStream {
        if !fields.iter().any(|f| rest_json::is_body_member(f.member)) {
            return quote!();
        }
        let root = root_tag(symbols, input);
        quote! {
            let mut writer = ::smithy_runtime::xml::XmlWriter::new();
            ::smithy_runtime::xml::ToXml::to_xml(input, &mut writer, &#root);
            request.set_body("application/xml", writer.finish());
        }
    }

    fn shape_payload(&self, symbols: &Symbols, field: &Field) -> TokenStream {
        let field_name = &field.name;
        let target = symbols.shape(&field.member.target);
        let ct = target.traits.media_type().unwrap_or("application/xml");
        let name = payload_name(field.member, target);
        // The payload is a document of its own, so its root takes the service's namespace
        // when neither the member nor the target names one, as a body root does (S3's
        // CompleteMultipartUpload; found by `cargo xtask differential` against botocore).
        let namespaced = |traits: &crate::model::Traits| traits.has("smithy.api#xmlNamespace");
        let tag = if namespaced(&field.member.traits) {
            xml_codec::tag(&name, &field.member.traits)
        } else if namespaced(&target.traits) {
            xml_codec::tag(&name, &target.traits)
        } else {
            xml_codec::tag(&name, &symbols.shape(&symbols.plan.service).traits)
        };
        // An unset payload sends no body at all.
        quote! {
            if let ::std::option::Option::Some(value) = &input.#field_name {
                let mut writer = ::smithy_runtime::xml::XmlWriter::new();
                ::smithy_runtime::xml::ToXml::to_xml(value, &mut writer, &#tag);
                request.set_body(#ct, writer.finish());
            }
        }
    }

    fn read_members(&self, symbols: &Symbols, op: &OperationPlan) -> TokenStream {
        // S3's `@s3UnwrappedXmlOutput` (GetBucketLocation): the root element is the output's
        // only member, not a wrapper around the members.
        let unwrapped = symbols
            .shape(&op.id)
            .traits
            .has("aws.customizations#s3UnwrappedXmlOutput");
        let root = if unwrapped {
            quote! {
                ::smithy_runtime::xml::XmlElement {
                    children: root.into_iter().collect(),
                    ..::std::default::Default::default()
                }
            }
        } else {
            quote!(root.unwrap_or_default())
        };
        quote! {
            let root = ::smithy_runtime::xml::parse_document(response.body()).map_err(|e| malformed(&e))?;
            <_ as ::smithy_runtime::xml::FromXml>::from_xml(#root).map_err(|e| malformed(&e))?
        }
    }

    fn empty_output(&self) -> TokenStream {
        quote!(
            <_ as ::smithy_runtime::xml::FromXml>::from_xml(::std::default::Default::default())
                .map_err(|e| malformed(&e))?
        )
    }

    fn read_shape_payload(&self, _symbols: &Symbols, _field: &Field, _depth: usize) -> TokenStream {
        quote! {
            <_ as ::smithy_runtime::xml::FromXml>::from_xml(
                ::smithy_runtime::xml::parse_document(response.body()).map_err(|e| malformed(&e))?.unwrap_or_default(),
            ).map_err(|e| malformed(&e))?
        }
    }

    /// S3 answers some operations (CopyObject, UploadPartCopy, CompleteMultipartUpload) with
    /// 200 and an `<Error>` document when they fail after the status was sent; no S3 output
    /// document is rooted at `<Error>`, so every S3 operation whose output is a document
    /// checks (a streamed payload is the caller's bytes, never checked).
    fn success_error_check(&self, symbols: &Symbols, op: &OperationPlan) -> TokenStream {
        if rest_json::sdk_id(symbols) != Some("S3")
            || crate::emit::operation::streams_output_payload(symbols, op)
        {
            return quote!();
        }
        quote! {
            if ::smithy_runtime::rest_xml::is_error_document(response.body()) {
                return ::std::result::Result::Err(self::parse_error(response));
            }
        }
    }

    fn error_dispatch(
        &self,
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
            &quote!(meta.code.as_deref()),
            &quote!(::smithy_runtime::rest_xml),
            false,
        );
        quote! {
            fn parse_error(response: &::smithy_runtime::http::HttpResponse) -> ::smithy_runtime::SdkError<#error_ty> {
                // A body that is not XML (a proxy's HTML page, a HEAD response) still yields a
                // typed error.
                let (body, request_id) = ::smithy_runtime::rest_xml::error_element(response.body());
                let meta = ::smithy_runtime::rest_xml::error_metadata(response, &body, request_id);
                let error = #error;
                ::smithy_runtime::SdkError::Service(error)
            }
        }
    }
}

/// The root element of a request body: the input's name and namespace, else the service's
/// namespace.
fn root_tag(symbols: &Symbols, input: &Shape) -> TokenStream {
    let name = xml_codec::root_name(input);
    if input.traits.has("smithy.api#xmlNamespace") {
        return xml_codec::tag(&name, &input.traits);
    }
    xml_codec::tag(&name, &symbols.shape(&symbols.plan.service).traits)
}

/// A payload document's root name: the member's `@xmlName`, else the target's, else the
/// target's name.
fn payload_name(member: &Member, target: &Shape) -> String {
    let explicit = |traits: &crate::model::Traits| {
        traits
            .get("smithy.api#xmlName")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    };
    explicit(&member.traits)
        .or_else(|| explicit(&target.traits))
        .unwrap_or_else(|| match target.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => target.id.name().to_string(),
            _ => member.name.clone(),
        })
}
