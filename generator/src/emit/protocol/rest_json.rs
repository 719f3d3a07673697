//! restJson1 (`aws.protocols#restJson1`): HTTP bindings (`@http`, `@httpLabel`, `@httpQuery`,
//! `@httpHeader`, `@httpPayload`, ...) around a JSON body of the remaining members, errors
//! named by the `X-Amzn-Errortype` header or the body's `__type` / `code`. The request
//! serializer, response parser and error dispatch of an operation.

use super::ProtocolGenerator;
use crate::emit::structure::{fields, Field};
use crate::emit::symbols::{Location, Symbols};
use crate::error::{Error, ErrorKind, Result};
use crate::model::traits::{HttpTrait, TimestampFormat};
use crate::model::{Member, Shape, ShapeKind};
use crate::passes::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;

/// The restJson1 generator.
pub struct RestJson1;

impl ProtocolGenerator for RestJson1 {
    fn serializer(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        depth: usize,
    ) -> Result<TokenStream> {
        emit_serializer(symbols, op, depth, &JsonBody)
    }

    fn parser(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        error_ty: &TokenStream,
        depth: usize,
    ) -> Result<TokenStream> {
        emit_parser(symbols, op, error_ty, depth, &JsonBody)
    }

    fn is_request_body_member(&self, member: &Member) -> bool {
        is_body_member(member)
    }

    fn is_response_body_member(&self, member: &Member) -> bool {
        is_response_body_member(member)
    }

    /// `@jsonName` when present, else the member name.
    fn json_name<'m>(&self, member: &'m Member) -> &'m str {
        member.traits.json_name().unwrap_or(&member.name)
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
            .filter_map(|f| response_binding(symbols, f, target, depth))
            .collect()
    }
}

/// What a REST protocol puts in and reads from the body; the HTTP bindings around it (labels,
/// query, headers, status, payloads of text and bytes) are the same for restJson1 and restXml.
/// `input`, `request`, `response` and `malformed` are in scope where these are spliced.
pub(super) trait RestBody {
    /// Statements setting the body from the input's body members (`fields` is every field of
    /// the input; the implementation picks the body members). Nothing when there are none.
    fn members_body(&self, symbols: &Symbols, input: &Shape, fields: &[Field]) -> TokenStream;

    /// Statements setting the body from a structure or union `@httpPayload` member.
    fn shape_payload(&self, symbols: &Symbols, field: &Field) -> TokenStream;

    /// Statements ending in an expression (the inside of a block) reading the output of `op`
    /// from the body's members.
    fn read_members(&self, symbols: &Symbols, op: &OperationPlan) -> TokenStream;

    /// An expression building the output with every body member absent (a payload follows).
    fn empty_output(&self) -> TokenStream;

    /// An expression reading a structure or union `@httpPayload` member's value from the body.
    fn read_shape_payload(&self, symbols: &Symbols, field: &Field, depth: usize) -> TokenStream;

    /// Statements run on a success status before the output is read, returning the error a
    /// success response may still carry (S3's 200 with an `<Error>` document); nothing by
    /// default.
    fn success_error_check(&self, _symbols: &Symbols, _op: &OperationPlan) -> TokenStream {
        quote!()
    }

    /// `fn parse_error(response) -> SdkError<Error>`.
    fn error_dispatch(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        error_ty: &TokenStream,
        depth: usize,
    ) -> TokenStream;
}

/// restJson1's body: a JSON object of the body members, errors named by `X-Amzn-Errortype` or
/// the body's `__type` / `code`.
pub(super) struct JsonBody;

impl RestBody for JsonBody {
    fn members_body(&self, symbols: &Symbols, _input: &Shape, fields: &[Field]) -> TokenStream {
        json_members_body(symbols, fields)
    }

    fn shape_payload(&self, symbols: &Symbols, field: &Field) -> TokenStream {
        json_shape_payload(symbols, field)
    }

    fn read_members(&self, _symbols: &Symbols, _op: &OperationPlan) -> TokenStream {
        quote! {
            let body = ::smithy_runtime::json::parse_body(response.body()).map_err(|e| malformed(&e))?;
            <_ as ::smithy_runtime::json::FromJson>::from_json(body).map_err(|e| malformed(&e))?
        }
    }

    fn empty_output(&self) -> TokenStream {
        quote!(<_ as ::smithy_runtime::json::FromJson>::from_json(
            ::smithy_runtime::serde_json::Value::Object(::std::default::Default::default())
        )
        .map_err(|e| malformed(&e))?)
    }

    fn read_shape_payload(&self, _symbols: &Symbols, _field: &Field, _depth: usize) -> TokenStream {
        quote! {
            <_ as ::smithy_runtime::json::FromJson>::from_json(::smithy_runtime::json::parse_body(response.body()).map_err(|e| malformed(&e))?).map_err(|e| malformed(&e))?
        }
    }

    fn error_dispatch(
        &self,
        symbols: &Symbols,
        op: &OperationPlan,
        error_ty: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        emit_error_dispatch(symbols, op, error_ty, depth)
    }
}

/// Traits that bind a member somewhere other than the JSON body.
const BINDINGS: [&str; 7] = [
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpQueryParams",
    "smithy.api#httpResponseCode",
    "smithy.api#httpPayload",
];

/// Whether the member goes into the JSON body object.
pub fn is_body_member(member: &Member) -> bool {
    !BINDINGS.iter().any(|t| member.traits.has(t))
}

/// Whether a member of an output or error is read from the JSON body: request-only bindings
/// (`@httpLabel`, `@httpQuery`, `@httpQueryParams`) mean nothing in a response.
pub fn is_response_body_member(member: &Member) -> bool {
    BINDINGS
        .iter()
        .filter(|t| {
            !matches!(
                **t,
                "smithy.api#httpLabel" | "smithy.api#httpQuery" | "smithy.api#httpQueryParams"
            )
        })
        .all(|t| !member.traits.has(t))
}

/// One piece of a URI pattern.
#[derive(Debug, PartialEq)]
enum UriPart {
    Literal(String),
    Label { name: String, greedy: bool },
}

/// Splits `/a/{b}/c{d+}?x=y&z` into path parts and literal query pairs.
fn parse_uri(uri: &str) -> (Vec<UriPart>, Vec<(String, Option<String>)>) {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(UriPart::Literal(rest[..open].to_string()));
        }
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let label = &rest[open + 1..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        parts.push(UriPart::Label {
            name: name.to_string(),
            greedy,
        });
        rest = rest.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        parts.push(UriPart::Literal(rest.to_string()));
    }
    let literals = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (pair.to_string(), None),
        })
        .collect();
    (parts, literals)
}

/// The `@http` trait of an operation, required for restJson1.
pub fn http_trait(op_shape: &Shape) -> Result<HttpTrait> {
    op_shape.traits.http().ok_or_else(|| {
        Error::shape(
            &op_shape.source,
            &op_shape.id,
            ErrorKind::Invalid("restJson1 operations need a well-formed @http trait".into()),
        )
    })
}

/// `fn serialize_request(input: &Input) -> Result<RequestParts, BuildError>`.
pub(super) fn emit_serializer(
    symbols: &Symbols,
    op: &OperationPlan,
    depth: usize,
    rest_body: &dyn RestBody,
) -> Result<TokenStream> {
    let op_shape = symbols.shape(&op.id);
    let http = http_trait(op_shape)?;
    let input = symbols.shape(&op.input);
    let input_ty = symbols.type_path(&op.input, depth);
    let fields = fields(symbols, input, depth);
    let method = http.method.to_uppercase();
    let (mut parts, literal_query) = parse_uri(&http.uri);
    let bucket_check = remove_bucket_label(symbols, &fields, &mut parts);
    let path = parts
        .iter()
        .map(|part| path_part(symbols, op_shape, &fields, part))
        .collect::<Result<Vec<_>>>()?;
    let literal_query = literal_query.iter().map(|(k, v)| match v {
        Some(v) => quote!(request.push_query(#k, #v);),
        None => quote!(request.push_query_key(#k);),
    });
    let queries = fields
        .iter()
        .filter(|f| f.member.traits.http_query().is_some())
        .map(|f| query_member(symbols, f));
    let query_params = fields
        .iter()
        .filter(|f| f.member.traits.http_query_params())
        .map(|f| query_params_member(symbols, f));
    let headers = fields
        .iter()
        .filter(|f| f.member.traits.http_header().is_some())
        .map(|f| header_member(symbols, f));
    let prefix_headers = fields
        .iter()
        .filter(|f| f.member.traits.http_prefix_headers().is_some())
        .map(prefix_headers_member);
    let body = request_body(symbols, input, &fields, rest_body);
    let host_prefix = host_prefix(symbols, op_shape, &fields)?;
    let compression = request_compression(op_shape);
    let checksum = if op_shape.traits.has("smithy.api#httpChecksumRequired") {
        quote!(request.add_content_md5();)
    } else {
        quote!()
    };
    let flexible_checksum = flexible_checksum(symbols, op_shape, &fields);
    let customizations = service_customizations(symbols, &fields);
    let uses_input = !fields.is_empty();
    let input_name = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    Ok(quote! {
        #[allow(unused_mut)]
        pub(crate) fn serialize_request(#input_name: &#input_ty) -> ::std::result::Result<::smithy_runtime::http::RequestParts, ::smithy_runtime::BuildError> {
            let mut request = ::smithy_runtime::http::RequestParts::new(#method);
            #bucket_check
            #(#path)*
            #(#literal_query)*
            #(#queries)*
            #(#query_params)*
            #(#headers)*
            #(#prefix_headers)*
            #body
            #compression
            #checksum
            #flexible_checksum
            #customizations
            #host_prefix
            ::std::result::Result::Ok(request)
        }
    })
}

/// `aws.protocols#httpChecksum`: declares the operation's request checksum (the
/// `requestAlgorithmMember`'s value and header, `requestChecksumRequired`) and response
/// validation (the `requestValidationModeMember`'s header and whether the input enabled it,
/// `responseAlgorithms`); the pipeline applies them as the configuration says, since the
/// serializer does not see the configuration.
fn flexible_checksum(symbols: &Symbols, op_shape: &Shape, fields: &[Field]) -> TokenStream {
    let Some(trait_value) = op_shape.traits.get("aws.protocols#httpChecksum") else {
        return quote!();
    };
    let member_field = |key: &str| {
        let name = trait_value.get(key)?.as_str()?;
        fields.iter().find(|f| f.member.name == name)
    };
    // The member's value as an `Option<&str>` (an enum in the AWS models, a string elsewhere).
    let value_of = |field: &Field| {
        let name = &field.name;
        match symbols.shape(&field.member.target).kind {
            ShapeKind::Enum(_) => quote!(input.#name.as_ref().map(|v| v.as_str())),
            _ => quote!(input.#name.as_deref()),
        }
    };
    let header_of = |field: &Field| match field.member.traits.http_header() {
        Some(header) => quote!(::std::option::Option::Some(#header)),
        None => quote!(::std::option::Option::None),
    };
    let required = trait_value
        .get("requestChecksumRequired")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let request = match member_field("requestAlgorithmMember") {
        Some(field) => {
            let value = value_of(field);
            let header = header_of(field);
            quote!(request.set_request_checksum(#value, #header, #required);)
        }
        None if required => quote!(request.set_request_checksum(
            ::std::option::Option::None,
            ::std::option::Option::None,
            true
        );),
        None => quote!(),
    };
    let algorithms: Vec<&str> = trait_value
        .get("responseAlgorithms")
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    let response = match member_field("requestValidationModeMember") {
        Some(field) if !algorithms.is_empty() => {
            let value = value_of(field);
            let header = header_of(field);
            quote!(request.set_response_checksum(#header, #value == ::std::option::Option::Some("ENABLED"), &[#(#algorithms),*]);)
        }
        _ => quote!(),
    };
    quote! {
        #request
        #response
    }
}

/// `@requestCompression` with gzip: compress the body (an HTTP feature of every protocol;
/// awsJson uses it too).
pub(super) fn request_compression(op_shape: &Shape) -> TokenStream {
    match op_shape
        .traits
        .get("smithy.api#requestCompression")
        .and_then(|t| t.get("encodings"))
        .and_then(serde_json::Value::as_array)
    {
        // The AWS SDKs' default minimum size (`request_min_compression_size_bytes`).
        Some(encodings) if encodings.iter().any(|e| e.as_str() == Some("gzip")) => {
            quote!(request.compress_gzip(10240);)
        }
        _ => quote!(),
    }
}

fn path_part(
    symbols: &Symbols,
    op: &Shape,
    fields: &[Field],
    part: &UriPart,
) -> Result<TokenStream> {
    match part {
        UriPart::Literal(text) => Ok(quote!(request.push_path(#text);)),
        UriPart::Label { name, greedy } => {
            let field = fields
                .iter()
                .find(|f| &f.member.name == name && f.member.traits.http_label())
                .ok_or_else(|| {
                    Error::shape(
                        &op.source,
                        &op.id,
                        ErrorKind::Invalid(format!(
                            "URI label `{name}` has no @httpLabel input member"
                        )),
                    )
                })?;
            let field_name = &field.name;
            let text = text_expr(symbols, field.member, quote!(value), Location::QueryOrLabel);
            // Glacier: an unset or empty account ID means the caller's account, `-`.
            let default = if sdk_id(symbols) == Some("Glacier") && name == "accountId" {
                quote!(.filter(|v| !v.is_empty()).or_else(|| ::std::option::Option::Some("-".to_string())))
            } else if is_route_53_resource_id(symbols, field.member) {
                // Route 53 returns IDs with their type in front (`/hostedzone/Z1D633PJN98FT9`)
                // but wants them bare in the path; the AWS SDKs trim the prefix (smithy-rs's
                // "trim resource ID" customization) so an ID read from a response can be passed
                // back as it is.
                quote!(.map(|value| {
                    const PREFIXES: [&str; 6] = ["/hostedzone/", "hostedzone/", "/change/", "change/", "/delegationset/", "delegationset/"];
                    match PREFIXES.iter().find_map(|prefix| value.strip_prefix(prefix)) {
                        ::std::option::Option::Some(id) => id.to_string(),
                        ::std::option::Option::None => value,
                    }
                }))
            } else {
                quote!()
            };
            Ok(quote! {
                request.push_label(#name, input.#field_name.as_ref().map(|value| #text) #default .as_deref(), #greedy)?;
            })
        }
    }
}

/// Whether `member` is a Route 53 label holding a hosted zone, change or delegation set ID
/// (the shapes smithy-rs's Route 53 customization trims).
fn is_route_53_resource_id(symbols: &Symbols, member: &crate::model::Member) -> bool {
    sdk_id(symbols) == Some("Route 53")
        && matches!(
            member.target.to_string().as_str(),
            "com.amazonaws.route53#ResourceId"
                | "com.amazonaws.route53#ChangeId"
                | "com.amazonaws.route53#DelegationSetId"
        )
}

/// S3: the endpoint rules place the bucket (the `@contextParam(name: "Bucket")` member) in
/// the host, or for path-style addressing in the endpoint URL's path, so the `{Bucket}` label
/// leaves the URI pattern, with the `/` after it, as in the AWS SDKs. Returns the check that
/// the bucket is set, which the label did.
fn remove_bucket_label(
    symbols: &Symbols,
    fields: &[Field],
    parts: &mut Vec<UriPart>,
) -> TokenStream {
    let has_rules = symbols
        .shape(&symbols.plan.service)
        .traits
        .has("smithy.rules#endpointRuleSet");
    if sdk_id(symbols) != Some("S3") || !has_rules {
        return quote!();
    }
    let bucket = fields.iter().find(|f| {
        f.member.traits.http_label()
            && f.member
                .traits
                .get("smithy.rules#contextParam")
                .and_then(|p| p.get("name"))
                .and_then(serde_json::Value::as_str)
                == Some("Bucket")
    });
    let Some(bucket) = bucket else {
        return quote!();
    };
    let label = &bucket.member.name;
    let Some(at) = parts
        .iter()
        .position(|p| matches!(p, UriPart::Label { name, .. } if name == label))
    else {
        return quote!();
    };
    parts.remove(at);
    if let Some(UriPart::Literal(next)) = parts.get_mut(at) {
        if let Some(rest) = next.strip_prefix('/') {
            *next = rest.to_string();
        }
        if next.is_empty() {
            parts.remove(at);
        }
    }
    // A path must keep its leading `/`.
    if !matches!(parts.first(), Some(UriPart::Literal(first)) if first.starts_with('/')) {
        parts.insert(0, UriPart::Literal("/".into()));
    }
    let field_name = &bucket.name;
    quote! {
        ::smithy_runtime::http::required_label(#label, input.#field_name.as_deref())?;
    }
}

/// The service's `aws.api#service` `sdkId`, if any.
pub(super) fn sdk_id<'a>(symbols: &Symbols<'a>) -> Option<&'a str> {
    symbols
        .shape(&symbols.plan.service)
        .traits
        .get("aws.api#service")
        .and_then(|t| t.get("sdkId"))
        .and_then(serde_json::Value::as_str)
}

/// Per-service request customizations the AWS SDKs apply (keyed by `sdkId`): API Gateway
/// wants `Accept: application/json`; Glacier wants its API version header and, on payload
/// uploads, the SHA-256 and tree-hash checksum headers.
fn service_customizations(symbols: &Symbols, fields: &[Field]) -> TokenStream {
    match sdk_id(symbols) {
        Some("API Gateway") => quote! {
            if !request.has_header("accept") {
                request.push_header("Accept", "application/json");
            }
        },
        Some("Glacier") => {
            let version = match &symbols.shape(&symbols.plan.service).kind {
                ShapeKind::Service(service) => service.version.clone(),
                _ => String::new(),
            };
            let payload_upload = fields.iter().any(|f| {
                f.member.traits.http_payload()
                    && matches!(symbols.shape(&f.member.target).kind, ShapeKind::Blob)
            });
            let checksums = if payload_upload {
                quote!(request.add_glacier_checksums();)
            } else {
                quote!()
            };
            quote! {
                request.push_header("X-Amz-Glacier-Version", #version);
                #checksums
            }
        }
        _ => quote!(),
    }
}

/// `@endpoint(hostPrefix: "{label}.x.")` (an HTTP feature of every protocol; awsJson uses it
/// too): expands the labels from `@hostLabel` input members
/// and sets the prefix on the request (an unset, empty or invalid label is an error).
pub(super) fn host_prefix(symbols: &Symbols, op: &Shape, fields: &[Field]) -> Result<TokenStream> {
    let Some(template) = op
        .traits
        .get("smithy.api#endpoint")
        .and_then(|e| e.get("hostPrefix"))
        .and_then(|p| p.as_str())
    else {
        return Ok(quote!());
    };
    let (parts, _) = parse_uri(template);
    let pushes = parts
        .iter()
        .map(|part| match part {
            // A one-character literal is pushed as a `char` (clippy's `single_char_add_str`).
            UriPart::Literal(text) => Ok(match single_char(text) {
                Some(c) => quote!(prefix.push(#c);),
                None => quote!(prefix.push_str(#text);),
            }),
            UriPart::Label { name, .. } => {
                let field = fields
                    .iter()
                    .find(|f| &f.member.name == name)
                    .ok_or_else(|| {
                        Error::shape(
                            &op.source,
                            &op.id,
                            ErrorKind::Invalid(format!(
                                "host prefix label `{name}` has no @hostLabel input member"
                            )),
                        )
                    })?;
                let field_name = &field.name;
                let text = text_expr(symbols, field.member, quote!(value), Location::QueryOrLabel);
                Ok(quote! {
                    prefix.push_str(::smithy_runtime::http::host_label(#name, input.#field_name.as_ref().map(|value| #text).as_deref())?);
                })
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        let mut prefix = ::std::string::String::new();
        #(#pushes)*
        request.set_host_prefix(prefix);
    })
}

/// A `String` expression for a value in a label, query, header (or XML attribute).
pub(crate) fn text_expr(
    symbols: &Symbols,
    member: &Member,
    value: TokenStream,
    location: Location,
) -> TokenStream {
    let target = symbols.shape(&member.target);
    match &target.kind {
        ShapeKind::String
            if target.traits.media_type().is_some() && location == Location::Header =>
        {
            quote!(::smithy_runtime::wire::base64_text(#value.as_bytes()))
        }
        ShapeKind::String => quote!(#value.to_string()),
        ShapeKind::Enum(_) => quote!(#value.as_str().to_string()),
        ShapeKind::IntEnum(_) => quote!(#value.as_i32().to_string()),
        ShapeKind::Float => quote!(::smithy_runtime::wire::float32_text(*#value)),
        ShapeKind::Double => quote!(::smithy_runtime::wire::float_text(*#value)),
        ShapeKind::Timestamp => {
            let format = format_tokens(symbols.timestamp_format(member, location));
            quote!(::smithy_runtime::wire::timestamp_text(#value, #format))
        }
        ShapeKind::Blob => quote!(::smithy_runtime::wire::base64_text(#value.as_ref())),
        ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(#value.as_str().to_string()),
        _ => quote!(#value.to_string()),
    }
}

fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(::smithy_runtime::timestamp::Format::EpochSeconds),
        TimestampFormat::DateTime => quote!(::smithy_runtime::timestamp::Format::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_runtime::timestamp::Format::HttpDate),
    }
}

/// For a list member, the list's item member.
fn list_item<'a>(symbols: &Symbols<'a>, member: &Member) -> Option<&'a Member> {
    match &symbols.shape(&member.target).kind {
        ShapeKind::List(item) => Some(item),
        _ => None,
    }
}

fn query_member(symbols: &Symbols, field: &Field) -> TokenStream {
    let name = field.member.traits.http_query().unwrap_or_default();
    let field_name = &field.name;
    match list_item(symbols, field.member) {
        Some(item) => {
            let text = text_expr(symbols, item, quote!(item), Location::QueryOrLabel);
            quote! {
                for item in input.#field_name.iter().flatten() {
                    request.push_query(#name, #text);
                }
            }
        }
        None => {
            let text = text_expr(symbols, field.member, quote!(value), Location::QueryOrLabel);
            let fill = if field.member.traits.idempotency_token() {
                quote!(else { request.push_query(#name, ::smithy_runtime::wire::idempotency_token()); })
            } else {
                quote!()
            };
            quote! {
                if let ::std::option::Option::Some(value) = &input.#field_name {
                    request.push_query(#name, #text);
                } #fill
            }
        }
    }
}

/// `@httpQueryParams`: a map of strings or of string lists; explicit `@httpQuery` keys win.
fn query_params_member(symbols: &Symbols, field: &Field) -> TokenStream {
    let field_name = &field.name;
    let value_is_list = match &symbols.shape(&field.member.target).kind {
        ShapeKind::Map(_, value) => list_item(symbols, value).is_some(),
        _ => false,
    };
    let push = if value_is_list {
        quote!(for item in value {
            request.push_query(key, item);
        })
    } else {
        quote!(request.push_query(key, value);)
    };
    quote! {
        if let ::std::option::Option::Some(params) = &input.#field_name {
            let mut params: ::std::vec::Vec<_> = params.iter().collect();
            params.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in params {
                if !request.has_query(key) {
                    #push
                }
            }
        }
    }
}

fn header_member(symbols: &Symbols, field: &Field) -> TokenStream {
    let name = field.member.traits.http_header().unwrap_or_default();
    let field_name = &field.name;
    let token = field.member.traits.idempotency_token();
    if let Some(item) = list_item(symbols, field.member) {
        let text = text_expr(symbols, item, quote!(item), Location::Header);
        let quoted = match symbols.shape(&item.target).kind {
            // The enum's text as it is: `&item.as_str().to_string()` is what clippy's
            // `unnecessary_to_owned` rejects.
            ShapeKind::Enum(_) => quote!(::smithy_runtime::http::quote_header_value(item.as_str())),
            ShapeKind::String => quote!(::smithy_runtime::http::quote_header_value(&#text)),
            _ => text,
        };
        return quote! {
            if let ::std::option::Option::Some(items) = &input.#field_name {
                let joined: ::std::vec::Vec<::std::string::String> = items.iter().map(|item| #quoted).collect();
                request.push_header(#name, joined.join(", "));
            }
        };
    }
    let text = text_expr(symbols, field.member, quote!(value), Location::Header);
    let fallback = if token {
        quote!(else { request.push_header(#name, ::smithy_runtime::wire::idempotency_token()); })
    } else {
        quote!()
    };
    quote! {
        if let ::std::option::Option::Some(value) = &input.#field_name {
            request.push_header(#name, #text);
        } #fallback
    }
}

fn prefix_headers_member(field: &Field) -> TokenStream {
    let prefix = field
        .member
        .traits
        .http_prefix_headers()
        .unwrap_or_default();
    let field_name = &field.name;
    quote! {
        if let ::std::option::Option::Some(headers) = &input.#field_name {
            let mut headers: ::std::vec::Vec<_> = headers.iter().collect();
            headers.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in headers {
                let name = ::std::format!("{}{}", #prefix, key);
                if !request.has_header(&name) {
                    request.push_header(&name, value.clone());
                }
            }
        }
    }
}

/// The body: an `@httpPayload` member, else the body members as the protocol writes them.
fn request_body(
    symbols: &Symbols,
    input: &Shape,
    fields: &[Field],
    rest_body: &dyn RestBody,
) -> TokenStream {
    match fields.iter().find(|f| f.member.traits.http_payload()) {
        Some(payload) => payload_body(symbols, payload, rest_body),
        None => rest_body.members_body(symbols, input, fields),
    }
}

/// restJson1's body: a JSON object of the body members (always sent, even as `{}`, when the
/// input has any), else nothing.
fn json_members_body(symbols: &Symbols, fields: &[Field]) -> TokenStream {
    let body_fields: Vec<&Field> = fields.iter().filter(|f| is_body_member(f.member)).collect();
    if body_fields.is_empty() {
        return quote!();
    }
    let token_fills = body_fields.iter().filter(|f| f.member.traits.idempotency_token()).map(|f| {
        let key = symbols.json_name(f.member);
        quote! {
            if !object.contains_key(#key) {
                object.insert(#key.to_string(), ::smithy_runtime::serde_json::Value::String(::smithy_runtime::wire::idempotency_token()));
            }
        }
    });
    quote! {
        let mut body = ::smithy_runtime::json::ToJson::to_json(input);
        if let ::smithy_runtime::serde_json::Value::Object(object) = &mut body {
            let _ = &object;
            #(#token_fills)*
        }
        request.set_body("application/json", body.to_string());
    }
}

fn payload_body(symbols: &Symbols, field: &Field, rest_body: &dyn RestBody) -> TokenStream {
    let field_name = &field.name;
    let target = symbols.shape(&field.member.target);
    let media = target.traits.media_type();
    match &target.kind {
        ShapeKind::String => {
            let ct = media.unwrap_or("text/plain");
            quote!(if let ::std::option::Option::Some(value) = &input.#field_name { request.set_body(#ct, value.clone()); })
        }
        ShapeKind::Blob if target.traits.streaming() => {
            let ct = media.unwrap_or("application/octet-stream");
            // Cloning a file or one-shot stream is cheap (it shares or re-opens its source).
            quote!(if let ::std::option::Option::Some(value) = &input.#field_name { request.set_body_stream(#ct, value.clone()); })
        }
        ShapeKind::Blob => {
            let ct = media.unwrap_or("application/octet-stream");
            quote!(if let ::std::option::Option::Some(value) = &input.#field_name { request.set_body(#ct, value.as_ref().to_vec()); })
        }
        ShapeKind::Union(_) if symbols.is_input_event_stream(&field.member.target) => {
            let take = quote! {
                request.set_event_stream(value.take_messages().ok_or_else(|| {
                    ::smithy_runtime::BuildError::other("the input event stream was already sent (an event stream is sent once)")
                })?);
            };
            if field.optional {
                quote!(if let ::std::option::Option::Some(value) = &input.#field_name { #take })
            } else {
                quote!({ let value = &input.#field_name; #take })
            }
        }
        ShapeKind::Document => {
            let ct = media.unwrap_or("application/json");
            quote!(if let ::std::option::Option::Some(value) = &input.#field_name { request.set_body(#ct, value.to_string()); })
        }
        ShapeKind::Enum(_) => {
            let ct = media.unwrap_or("text/plain");
            quote!(if let ::std::option::Option::Some(value) = &input.#field_name { request.set_body(#ct, value.as_str().to_string()); })
        }
        _ => rest_body.shape_payload(symbols, field),
    }
}

/// A JSON structure or union payload.
fn json_shape_payload(symbols: &Symbols, field: &Field) -> TokenStream {
    let field_name = &field.name;
    let target = symbols.shape(&field.member.target);
    let ct = target.traits.media_type().unwrap_or("application/json");
    if matches!(target.kind, ShapeKind::Structure(_)) {
        // An unset structure payload is still sent, as `{}`.
        return quote! {
            match &input.#field_name {
                ::std::option::Option::Some(value) => request.set_body(#ct, ::smithy_runtime::json::ToJson::to_json(value).to_string()),
                ::std::option::Option::None => request.set_body(#ct, "{}"),
            }
        };
    }
    quote! {
        if let ::std::option::Option::Some(value) = &input.#field_name {
            request.set_body(#ct, ::smithy_runtime::json::ToJson::to_json(value).to_string());
        }
    }
}

/// `fn parse_response(response) -> Result<Output, SdkError<Error>>`.
pub(super) fn emit_parser(
    symbols: &Symbols,
    op: &OperationPlan,
    error_ty: &TokenStream,
    depth: usize,
    rest_body: &dyn RestBody,
) -> Result<TokenStream> {
    let op_shape = symbols.shape(&op.id);
    let http = http_trait(op_shape)?;
    let code = http.code;
    let output = symbols.shape(&op.output);
    let output_ty = symbols.type_path(&op.output, depth);
    let fields = fields(symbols, output, depth);
    let body = response_body(symbols, op, &fields, &output_ty, depth, rest_body);
    let bindings: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| response_binding(symbols, f, &quote!(output), depth))
        .collect();
    let errors = rest_body.error_dispatch(symbols, op, error_ty, depth);
    let success_error_check = rest_body.success_error_check(symbols, op);
    let output_binding = if bindings.is_empty() {
        quote!(let output)
    } else {
        quote!(let mut output)
    };
    Ok(quote! {
        // The error type keeps the whole response on purpose (nothing is lost), so it is large.
        #[allow(clippy::result_large_err)]
        pub(crate) fn parse_response(response: ::smithy_runtime::http::HttpResponse) -> ::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>> {
            let response = &response;
            let status = response.status().as_u16();
            if status != #code && !response.status().is_success() {
                return ::std::result::Result::Err(self::parse_error(response));
            }
            #success_error_check
            let malformed = |reason: &dyn ::std::fmt::Display| ::smithy_runtime::SdkError::Response(::smithy_runtime::rest_json::response_error(response, reason));
            #output_binding: #output_ty = { #body };
            #(#bindings)*
            ::std::result::Result::Ok(output)
        }
        #errors
    })
}

fn response_body(
    symbols: &Symbols,
    op: &OperationPlan,
    fields: &[Field],
    output_ty: &TokenStream,
    depth: usize,
    rest_body: &dyn RestBody,
) -> TokenStream {
    let Some(payload) = fields.iter().find(|f| f.member.traits.http_payload()) else {
        return rest_body.read_members(symbols, op);
    };
    let field_name = &payload.name;
    let target = symbols.shape(&payload.member.target);
    let value = match &target.kind {
        ShapeKind::String => quote! {
            ::std::string::String::from_utf8(response.body().to_vec()).map_err(|e| malformed(&e))?
        },
        ShapeKind::Blob if target.traits.streaming() => {
            // The body the pipeline left on the connection (or, from a fake transport or a
            // protocol test, the bytes of the response).
            quote!(::smithy_runtime::ByteStream::from_response(response))
        }
        ShapeKind::Union(_) if symbols.is_output_event_stream(&payload.member.target) => {
            // The events are read from the connection as the caller asks for them.
            crate::emit::event_stream::receiver_value(false)
        }
        ShapeKind::Blob => quote!(::smithy_runtime::Blob::new(response.body().to_vec())),
        ShapeKind::Enum(_) => {
            let ty = symbols.rust_type(&payload.member.target, depth);
            quote! {
                <#ty>::from(::std::str::from_utf8(response.body()).map_err(|e| malformed(&e))?)
            }
        }
        ShapeKind::Document => {
            quote!(::smithy_runtime::json::parse_body(response.body()).map_err(|e| malformed(&e))?)
        }
        _ => rest_body.read_shape_payload(symbols, payload, depth),
    };
    let streaming_blob = (matches!(target.kind, ShapeKind::Blob) && target.traits.streaming())
        || symbols.is_output_event_stream(&payload.member.target);
    let empty_is_none = !matches!(target.kind, ShapeKind::String) && !streaming_blob;
    let wrapped = if !payload.optional {
        value
    } else if empty_is_none {
        quote!(if response.body().is_empty() { ::std::option::Option::None } else { ::std::option::Option::Some(#value) })
    } else {
        quote!(::std::option::Option::Some(#value))
    };
    let empty = rest_body.empty_output();
    quote! {
        let mut output: #output_ty = #empty;
        output.#field_name = #wrapped;
        output
    }
}

/// Assigns a header, prefix-header or status-code bound member of `target` (a local holding
/// the output or error being built; `response`, `status` and `malformed` must be in scope).
pub fn response_binding(
    symbols: &Symbols,
    field: &Field,
    target: &TokenStream,
    depth: usize,
) -> Option<TokenStream> {
    let field_name = &field.name;
    let member = field.member;
    let read = if member.traits.http_response_code() {
        quote!(::std::option::Option::Some(i32::from(status)))
    } else if let Some(prefix) = member.traits.http_prefix_headers() {
        quote!(::std::option::Option::Some(::smithy_runtime::wire::prefix_headers(response, #prefix)))
    } else if let Some(name) = member.traits.http_header() {
        let read = header_reader(symbols, member, name, depth);
        if member.traits.has(crate::passes::s3::LENIENT_HEADER) {
            quote!(#read.ok().flatten())
        } else {
            quote!(#read.map_err(|e| malformed(&e))?)
        }
    } else {
        return None;
    };
    Some(if field.optional {
        quote!(#target.#field_name = #read;)
    } else {
        quote!(if let ::std::option::Option::Some(value) = #read { #target.#field_name = value; })
    })
}

/// A `Result<Option<T>, String>` expression reading a header-bound member.
fn header_reader(symbols: &Symbols, member: &Member, name: &str, depth: usize) -> TokenStream {
    let w = quote!(::smithy_runtime::wire);
    let target = symbols.shape(&member.target);
    match &target.kind {
        ShapeKind::List(item) => {
            let item_target = symbols.shape(&item.target);
            if matches!(item_target.kind, ShapeKind::Timestamp)
                && symbols.timestamp_format(item, Location::Header) == TimestampFormat::HttpDate
            {
                return quote!(#w::header_http_date_list(response, #name));
            }
            let parse = item_parser(symbols, item, depth);
            quote!(#w::header_list(response, #name, #parse))
        }
        ShapeKind::String if target.traits.media_type().is_some() => {
            quote!(#w::header_base64(response, #name).map(|v| v.map(|b| ::std::string::String::from_utf8_lossy(b.as_ref()).into_owned())))
        }
        ShapeKind::String => quote!(#w::header_text(response, #name)),
        ShapeKind::Enum(_) => {
            let ty = symbols.rust_type(&member.target, depth);
            quote!(#w::header_text(response, #name).map(|v| v.map(|s| <#ty>::from(s.as_str()))))
        }
        ShapeKind::Timestamp => {
            let format = format_tokens(symbols.timestamp_format(member, Location::Header));
            quote!(#w::header_timestamp(response, #name, #format))
        }
        ShapeKind::Blob => quote!(#w::header_base64(response, #name)),
        ShapeKind::Float => quote!(#w::header_float(response, #name).map(|v| v.map(|f| f as f32))),
        ShapeKind::Double => quote!(#w::header_float(response, #name)),
        _ => quote!(#w::header_parsed(response, #name)),
    }
}

/// `|item: &str| -> Result<T, String>` for one list-header item.
fn item_parser(symbols: &Symbols, item: &Member, depth: usize) -> TokenStream {
    let target = symbols.shape(&item.target);
    match &target.kind {
        ShapeKind::String => {
            quote!(|s: &str| ::std::result::Result::Ok::<_, ::std::string::String>(s.to_string()))
        }
        ShapeKind::Enum(_) => {
            let ty = symbols.rust_type(&item.target, depth);
            quote!(|s: &str| ::std::result::Result::Ok::<_, ::std::string::String>(<#ty>::from(s)))
        }
        ShapeKind::Timestamp => {
            let format = format_tokens(symbols.timestamp_format(item, Location::Header));
            quote!(|s: &str| ::smithy_runtime::timestamp::parse(s, #format))
        }
        _ => quote!(|s: &str| s
            .trim()
            .parse()
            .map_err(|_| ::std::format!("invalid list item `{s}`"))),
    }
}

/// The only character of `text`, if it has exactly one.
fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// `fn parse_error(response) -> SdkError<Error>`: the code picks the modelled error; anything
/// else is `Unhandled` with the raw body kept.
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
        &quote!(meta.code.as_deref()),
        &quote!(::smithy_runtime::rest_json),
        false,
    );
    quote! {
        fn parse_error(response: &::smithy_runtime::http::HttpResponse) -> ::smithy_runtime::SdkError<#error_ty> {
            // A body that is not JSON (an HTML page from a proxy) still yields a typed error.
            let body = ::smithy_runtime::json::parse_body(response.body()).unwrap_or_default();
            let meta = ::smithy_runtime::rest_json::error_metadata(response, &body);
            let error = #error;
            ::smithy_runtime::SdkError::Service(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_uri_patterns() {
        let (parts, query) = parse_uri("/a/{b}/c/{d+}?x=y&z");
        assert_eq!(
            parts,
            vec![
                UriPart::Literal("/a/".into()),
                UriPart::Label {
                    name: "b".into(),
                    greedy: false
                },
                UriPart::Literal("/c/".into()),
                UriPart::Label {
                    name: "d".into(),
                    greedy: true
                },
            ]
        );
        assert_eq!(
            query,
            vec![("x".into(), Some("y".into())), ("z".into(), None)]
        );
        let (parts, _) = parse_uri("/channel/{Name}/");
        assert_eq!(parts.last(), Some(&UriPart::Literal("/".into())));
    }
}
