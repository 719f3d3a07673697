//! The protocol layer: everything that puts an operation on the wire, one module per protocol
//! behind [`ProtocolGenerator`].
//!
//! Design: shapes and the client API know nothing of protocols. Each generated shape gets one
//! body codec in the service's wire format ([`Wire`]: `FromJson` / `ToJson` or `FromCbor` /
//! `ToCbor`, emitted by `structure.rs` and `union.rs` from the same code, since
//! `smithy_runtime::json` and `smithy_runtime::cbor` offer the same helpers; or `FromXml` /
//! `ToXml` from `xml_codec.rs`), and each protocol generates, per operation, the request
//! serializer (`serialize_request`), the response parser (`parse_response`) and the error
//! dispatch over those codecs, calling small helpers in the runtime (one module per wire
//! format, one per protocol for its shared pieces: `smithy_runtime::rest_json`, `rest_xml`,
//! `aws_json`, `rpc_v2`). A protocol decides the few things the codecs depend on (which members
//! are in the body, the key of a member, the wire format, whether `@timestampFormat` counts)
//! through this trait.
//!
//! Why generated per-shape codecs rather than a schema-driven codec in the runtime (see
//! `../shared/docs/design.md`, "Protocols: two ways the incumbents layer them"): measured, not
//! assumed. `cargo xtask codec-compare` (2026-12-01, `docs/codec-design.md`) built a
//! smithy-java-style prototype (`CodecStyle::Schema`: a static schema per shape, member
//! (de)serialization over `dyn ShapeSerializer` / `dyn ShapeDeserializer`, JSON once in
//! `smithy_runtime::schema::json`). Against these generated codecs, on whole clients, schema
//! divided by generated: MediaPackage v2 lines 1.12x, crate build CPU 1.02x, check 1.13x, body
//! reads/s 1.33x, writes/s 0.77x; IoT lines 1.12x (265,601 vs 236,865), build 1.10x, check
//! 1.27x, reads/s 1.03x, writes/s 0.70x. Schemas win nothing on compile time with one format,
//! so the generated codecs stay. A service has one protocol, so a crate holds one codec per shape
//! whatever the number of formats; CBOR reuses the JSON emitter, XML (attributes, flattened
//! members) has its own (`emit/xml_codec.rs`), and the query protocols will reuse the XML
//! readers for their responses.

pub mod aws_json;
pub mod aws_query;
pub mod rest_json;
pub mod rest_xml;
pub mod rpc_v2;

use super::structure::Field;
use super::symbols::Symbols;
use crate::error::Result;
use crate::model::Member;
use crate::naming::ident;
use crate::passes::{OperationPlan, Plan, Protocol};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

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

    /// Whether a member of a structure written into a request goes into the body (every
    /// member, unless the protocol has HTTP bindings).
    fn is_request_body_member(&self, _member: &Member) -> bool {
        true
    }

    /// Whether a member of an output or error structure is read from the body (every member,
    /// unless the protocol has HTTP bindings).
    fn is_response_body_member(&self, _member: &Member) -> bool {
        true
    }

    /// The JSON key of a member in a body: its name, unless the protocol honours `@jsonName`
    /// (only restJson1 does; the awsJson and RPC v2 protocol tests check that the others
    /// ignore it).
    fn json_name<'m>(&self, member: &'m Member) -> &'m str {
        &member.name
    }

    /// The wire format of the shapes' body codecs (JSON unless the protocol says otherwise).
    fn wire(&self) -> Wire {
        Wire::Json
    }

    /// The query protocol whose `ToQuery` writers input shapes get instead of body writers
    /// (awsQuery and ec2Query send form parameters and read XML).
    fn query_style(&self) -> Option<QueryStyle> {
        None
    }

    /// Whether body timestamps are always epoch seconds, whatever `@timestampFormat` says
    /// (RPC v2).
    fn ignores_timestamp_format(&self) -> bool {
        false
    }

    /// Whether `bigInteger` and `bigDecimal` values are JSON strings rather than numbers, so
    /// no precision is lost on the way (RPC v2 JSON).
    fn big_numbers_as_strings(&self) -> bool {
        false
    }

    /// An expression of type `Result<Value, String>` reading an event-stream message payload
    /// (`bytes`, a `&[u8]` expression) as a document of the wire format.
    fn event_document(&self, bytes: &TokenStream) -> TokenStream {
        let parse = match self.wire() {
            Wire::Json => quote!(::smithy_runtime::json::parse_body(#bytes)),
            Wire::Cbor => quote!(::smithy_runtime::cbor::parse_body(#bytes)),
            Wire::Xml => {
                quote!(::smithy_runtime::xml::parse_document(#bytes).map(::std::option::Option::unwrap_or_default))
            }
        };
        quote!(#parse.map_err(|e| e.to_string()))
    }

    /// An expression of type `Result<Value, String>`: the empty document a structure with no
    /// body members is read from.
    fn empty_document(&self) -> TokenStream {
        let value = match self.wire() {
            Wire::Json => quote!(::smithy_runtime::serde_json::Value::Object(
                ::std::default::Default::default()
            )),
            Wire::Cbor => quote!(::smithy_runtime::cbor::Value::Map(
                ::std::default::Default::default()
            )),
            Wire::Xml => {
                quote!(<::smithy_runtime::xml::XmlElement as ::std::default::Default>::default())
            }
        };
        quote!(::std::result::Result::<_, ::std::string::String>::Ok(#value))
    }

    /// Whether an output event stream's initial response is an `initial-response` event (the
    /// RPC protocols) rather than the HTTP response's headers (the REST protocols).
    fn initial_response_event(&self) -> bool {
        false
    }

    /// Statements filling the members of the error being built in `target` that the response
    /// carries outside the body (headers, status code); `response`, `status` and `malformed`
    /// are in scope. None, unless the protocol has HTTP bindings: an RPC error is its body.
    fn error_bindings(
        &self,
        _symbols: &Symbols,
        _fields: &[Field],
        _target: &TokenStream,
        _depth: usize,
    ) -> Vec<TokenStream> {
        Vec::new()
    }
}

/// The generator of the plan's protocol. Protocols without one yet get restJson1's: their
/// shapes still have JSON codecs, and their operations are never sent (see
/// `operation::unsupported_reason`), so only the codecs' rules are used.
pub fn for_plan(plan: &Plan) -> &'static dyn ProtocolGenerator {
    match &plan.protocol {
        Protocol::RestJson1 | Protocol::Unsupported(_) => &rest_json::RestJson1,
        Protocol::AwsJson1_0 => &aws_json::AWS_JSON_1_0,
        Protocol::AwsJson1_1 => &aws_json::AWS_JSON_1_1,
        Protocol::RestXml => &rest_xml::RestXml,
        Protocol::AwsQuery => &aws_query::AWS_QUERY,
        Protocol::Ec2Query => &aws_query::EC2_QUERY,
        Protocol::RpcV2Cbor => &rpc_v2::RPC_V2_CBOR,
        Protocol::RpcV2Json => &rpc_v2::RPC_V2_JSON,
    }
}

/// The wire format of a service's body codecs: which runtime module the generated `From*` /
/// `To*` impls of its shapes call. Both modules offer the same helper names and signatures, so
/// one emitter (`structure.rs`, `union.rs`, `errors.rs`, `Symbols::json_reader` and
/// `json_writer`) writes either; only timestamps differ (CBOR has one form, tag 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// `smithy_runtime::json` over `serde_json::Value`.
    Json,
    /// `smithy_runtime::cbor` over `smithy_runtime::cbor::Value`.
    Cbor,
    /// `smithy_runtime::xml` over `smithy_runtime::xml::XmlElement`, with its own emitter
    /// (`emit/xml_codec.rs`): XML has attributes and flattened members, which the map-shaped
    /// formats do not.
    Xml,
}

impl Wire {
    /// The runtime module of the helpers (`::smithy_runtime::json`).
    pub fn module(self) -> TokenStream {
        match self {
            Wire::Json => quote!(::smithy_runtime::json),
            Wire::Cbor => quote!(::smithy_runtime::cbor),
            Wire::Xml => quote!(::smithy_runtime::xml),
        }
    }

    /// The value type readers take and writers return.
    pub fn value_ty(self) -> TokenStream {
        match self {
            Wire::Json => quote!(::smithy_runtime::serde_json::Value),
            Wire::Cbor => quote!(::smithy_runtime::cbor::Value),
            Wire::Xml => quote!(::smithy_runtime::xml::XmlElement),
        }
    }

    /// The map type a structure is written into (JSON and CBOR; the XML emitter writes
    /// elements and never asks).
    pub fn map_ty(self) -> TokenStream {
        match self {
            Wire::Json => quote!(::smithy_runtime::serde_json::Map),
            Wire::Cbor => quote!(::smithy_runtime::cbor::Map),
            Wire::Xml => quote!(::smithy_runtime::xml::XmlElement),
        }
    }

    /// The value variant holding a map.
    pub fn map_variant(self) -> TokenStream {
        match self {
            Wire::Json => quote!(::smithy_runtime::serde_json::Value::Object),
            Wire::Cbor => quote!(::smithy_runtime::cbor::Value::Map),
            Wire::Xml => quote!(::smithy_runtime::xml::XmlElement),
        }
    }

    /// The reading trait and its method (`FromJson::from_json`).
    pub fn from_trait(self) -> (TokenStream, Ident) {
        let module = self.module();
        match self {
            Wire::Json => (quote!(#module::FromJson), format_ident!("from_json")),
            Wire::Cbor => (quote!(#module::FromCbor), format_ident!("from_cbor")),
            Wire::Xml => (quote!(#module::FromXml), format_ident!("from_xml")),
        }
    }

    /// The writing trait and its method (`ToJson::to_json`).
    pub fn to_trait(self) -> (TokenStream, Ident) {
        let module = self.module();
        match self {
            Wire::Json => (quote!(#module::ToJson), format_ident!("to_json")),
            Wire::Cbor => (quote!(#module::ToCbor), format_ident!("to_cbor")),
            Wire::Xml => (quote!(#module::ToXml), format_ident!("to_xml")),
        }
    }
}

/// Which query protocol names the form parameters of a request (see `emit/query_codec.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// awsQuery: `@xmlName` names, wrapped lists unless `@xmlFlattened`.
    AwsQuery,
    /// ec2Query: `@ec2QueryName` or capitalised names, lists always flattened.
    Ec2Query,
}

/// Whether the service has `@awsQueryCompatible` (awsJson and RPC v2 services that replaced an
/// awsQuery one: they send `x-amzn-query-mode: true` and read error codes from
/// `x-amzn-query-error`).
pub(crate) fn query_compatible(symbols: &Symbols) -> bool {
    symbols
        .shape(&symbols.plan.service)
        .traits
        .has("aws.protocols#awsQueryCompatible")
}

/// The operation's error value, for every protocol: they differ only in where they find the
/// error's code. `name` (an `Option<&str>` expression) is
/// matched against each modelled error's shape name, or, with `query_codes`, its
/// `@awsQueryError` code where it has one (awsQuery and ec2Query); it picks the error, read by
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
    query_codes: bool,
) -> TokenStream {
    let arms = op.errors.iter().map(|error| {
        let query_code = symbols
            .shape(error)
            .traits
            .get("aws.protocols#awsQueryError")
            .and_then(|t| t.get("code"))
            .and_then(serde_json::Value::as_str)
            .filter(|_| query_codes);
        let code = query_code.unwrap_or(error.name());
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

/// `fn parse_response(response) -> Result<Output, SdkError<Error>>` of the RPC protocols
/// (awsJson, RPC v2, awsQuery, ec2Query): any success status reads the output from the whole
/// body, anything else is `parse_error`'s. `document` is a `Result` expression over
/// `response.body()` (the parsed body, or the query protocols' result element), `from` the
/// codec function turning it into the output, `runtime` the protocol's runtime module (its
/// `response_error`).
pub(crate) fn rpc_parse_response(
    output_ty: &TokenStream,
    error_ty: &TokenStream,
    runtime: &TokenStream,
    document: &TokenStream,
    from: &TokenStream,
) -> TokenStream {
    quote! {
        // The error type keeps the whole response on purpose (nothing is lost), so it is large.
        #[allow(clippy::result_large_err)]
        pub(crate) fn parse_response(response: ::smithy_runtime::http::HttpResponse) -> ::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>> {
            let response = &response;
            if !response.status().is_success() {
                return ::std::result::Result::Err(self::parse_error(response));
            }
            let malformed = |reason: &dyn ::std::fmt::Display| ::smithy_runtime::SdkError::Response(#runtime::response_error(response, reason));
            let body = #document.map_err(|e| malformed(&e))?;
            let output: #output_ty = #from(body).map_err(|e| malformed(&e))?;
            ::std::result::Result::Ok(output)
        }
    }
}
