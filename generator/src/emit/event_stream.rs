//! Event streams (`@streaming` unions), shared by every protocol that has them (restJson1,
//! restXml, awsJson1_0/1_1, rpcv2Cbor/Json).
//!
//! An output event stream member becomes a `smithy_runtime::event_stream::EventReceiver<U>`
//! field, `U` being the union. The union gets an implementation of `DecodeEvent` (this
//! module): `:event-type` names the member; its `@eventHeader` members come from the message's
//! headers, its `@eventPayload` member from the raw payload (blob, string) or the payload as a
//! document (structure, union), and otherwise the whole member structure is the payload
//! document, read with the service's codec. Error members (modelled exceptions,
//! `:message-type: exception`) form the union's error enum, `<Union>Error`.
//!
//! The protocol decides where the initial response comes from
//! ([`ProtocolGenerator::initial_response_event`](super::protocol::ProtocolGenerator)): the
//! HTTP headers (REST protocols, through their usual bindings) or an `initial-response` event
//! before the first real one (RPC protocols), read by the generated `send` before it returns.

use super::symbols::Symbols;
use crate::model::{Member, Shape, ShapeId, ShapeKind};
use crate::naming::ident;
use crate::passes::{OperationPlan, Plan};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The event-stream unions targeted by a member of an operation's output.
pub(crate) fn output_event_stream_unions(plan: &Plan) -> BTreeSet<ShapeId> {
    plan.operations
        .iter()
        .filter_map(|op| event_stream_member(plan, &op.output))
        .map(|member| member.target.clone())
        .collect()
}

/// The event-stream unions targeted by a member of an operation's input.
pub(crate) fn input_event_stream_unions(plan: &Plan) -> BTreeSet<ShapeId> {
    plan.operations
        .iter()
        .filter_map(|op| event_stream_member(plan, &op.input))
        .map(|member| member.target.clone())
        .collect()
}

/// The member of `structure` that targets an event-stream union, if any.
fn event_stream_member<'a>(plan: &'a Plan, structure: &ShapeId) -> Option<&'a Member> {
    let ShapeKind::Structure(members) = &plan.model.get(structure)?.kind else {
        return None;
    };
    members.iter().find(|member| {
        plan.model.get(&member.target).is_some_and(|target| {
            matches!(target.kind, ShapeKind::Union(_)) && target.traits.streaming()
        })
    })
}

/// The operation's output event-stream member.
pub fn output_event_stream<'a>(symbols: &Symbols<'a>, op: &OperationPlan) -> Option<&'a Member> {
    event_stream_member(symbols.plan, &op.output)
}

/// The operation's input event-stream member.
pub fn input_event_stream<'a>(symbols: &Symbols<'a>, op: &OperationPlan) -> Option<&'a Member> {
    event_stream_member(symbols.plan, &op.input)
}

/// `<Union>Error`, the name of an event-stream union's error enum.
fn error_enum_name(symbols: &Symbols, union: &ShapeId) -> proc_macro2::Ident {
    format_ident!("{}Error", symbols.type_name(union))
}

/// The members of an event-stream union that are modelled exceptions.
fn error_members<'a>(symbols: &Symbols, members: &'a [Member]) -> Vec<&'a Member> {
    members
        .iter()
        .filter(|m| symbols.shape(&m.target).traits.error().is_some())
        .collect()
}

/// For an output event-stream union (in the `types` module, at `depth`): its error enum and
/// its `DecodeEvent` implementation.
pub fn emit_decode_event(symbols: &Symbols, shape: &Shape, depth: usize) -> TokenStream {
    let ShapeKind::Union(members) = &shape.kind else {
        return quote!();
    };
    let name = ident(&symbols.type_name(&shape.id));
    let error_name = error_enum_name(symbols, &shape.id);
    let errors = error_members(symbols, members);
    let error_enum = emit_error_enum(symbols, shape, &error_name, &errors, depth);
    let event_arms = members
        .iter()
        .filter(|m| symbols.shape(&m.target).traits.error().is_none())
        .map(|m| {
            let key = &m.name;
            let variant = ident(&symbols.variant_name(&shape.id, &m.name));
            if m.target.is_unit() {
                return quote!(#key => Self::#variant,);
            }
            let value = boxed(
                symbols,
                &shape.id,
                m,
                decode_structure(symbols, &m.target, depth),
            );
            quote!(#key => Self::#variant(#value),)
        });
    let exception_arms = errors.iter().map(|m| {
        let key = &m.name;
        let variant = ident(&symbols.variant_name(&shape.id, &m.name));
        let code = m.target.name();
        let decode = decode_structure(symbols, &m.target, depth);
        let value = boxed(
            symbols,
            &shape.id,
            m,
            quote!({
                let mut error = #decode;
                error.meta.code = ::std::option::Option::Some(#code.to_owned());
                error
            }),
        );
        quote!(#key => #error_name::#variant(#value),)
    });
    let exceptions = if errors.is_empty() {
        quote! {
            let _ = (exception_type, message);
            ::std::result::Result::Ok(::std::option::Option::None)
        }
    } else {
        quote! {
            ::std::result::Result::Ok(::std::option::Option::Some(match exception_type {
                #(#exception_arms)*
                _ => return ::std::result::Result::Ok(::std::option::Option::None),
            }))
        }
    };
    quote! {
        #error_enum
        impl ::smithy_runtime::event_stream::DecodeEvent for #name {
            type Error = #error_name;
            fn decode_event(event_type: &str, message: &::smithy_runtime::event_stream::Message) -> ::std::result::Result<Self, ::std::string::String> {
                let _ = message;
                ::std::result::Result::Ok(match event_type {
                    #(#event_arms)*
                    _ => Self::Unknown,
                })
            }
            fn decode_exception(exception_type: &str, message: &::smithy_runtime::event_stream::Message) -> ::std::result::Result<::std::option::Option<#error_name>, ::std::string::String> {
                #exceptions
            }
        }
    }
}

/// `Box::new(value)` when the union member is boxed (a recursive shape).
fn boxed(symbols: &Symbols, union: &ShapeId, member: &Member, value: TokenStream) -> TokenStream {
    if symbols.is_boxed(union, member) {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}

/// `<Union>Error`: one variant per modelled exception of the stream.
fn emit_error_enum(
    symbols: &Symbols,
    shape: &Shape,
    name: &proc_macro2::Ident,
    errors: &[&Member],
    depth: usize,
) -> TokenStream {
    let union = symbols.type_name(&shape.id);
    let doc = format!(
        " The modelled exceptions that can end a [`{union}`] event stream (see `smithy_runtime::event_stream::EventStreamError::Modelled`)."
    );
    let variants: Vec<proc_macro2::Ident> = errors
        .iter()
        .map(|m| ident(&symbols.variant_name(&shape.id, &m.name)))
        .collect();
    let types = errors
        .iter()
        .map(|m| symbols.member_value_type(&shape.id, m, depth));
    let docs = errors
        .iter()
        .map(|m| format!(" The `{}` exception event.", m.name));
    let sources = errors.iter().zip(&variants).map(|(m, variant)| {
        let error = if symbols.is_boxed(&shape.id, m) {
            quote!(&**e)
        } else {
            quote!(e)
        };
        quote!(Self::#variant(e) => ::std::option::Option::Some(#error),)
    });
    let (display, source) = if errors.is_empty() {
        (quote!(match *self {}), quote!(match *self {}))
    } else {
        (
            quote!(match self { #(Self::#variants(e) => ::std::fmt::Display::fmt(e, f),)* }),
            quote!(match self { #(#sources)* }),
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #docs] #variants(#types),)*
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let _ = f;
                #display
            }
        }
        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                #source
            }
        }
    }
}

/// An expression (using `?` on `String` errors, `message` in scope) decoding the event
/// structure `target` from a message.
fn decode_structure(symbols: &Symbols, target: &ShapeId, depth: usize) -> TokenStream {
    let shape = symbols.shape(target);
    let ty = symbols.rust_type(target, depth);
    let fields = super::structure::fields(symbols, shape, depth);
    let protocol = symbols.protocol();
    let (from_trait, from_fn) = symbols.wire().from_trait();
    let payload_field = fields.iter().find(|f| f.member.traits.event_payload());
    let document = match payload_field {
        Some(_) => protocol.empty_document(),
        None => protocol.event_document(&quote!(&message.payload)),
    };
    let mut sets: Vec<TokenStream> = fields
        .iter()
        .filter(|f| f.member.traits.event_header())
        .filter_map(|f| header_set(symbols, f, depth))
        .collect();
    if let Some(field) = payload_field {
        sets.extend(payload_set(symbols, field, depth));
    }
    let read = quote!(<#ty as #from_trait>::#from_fn(#document?).map_err(|e| e.to_string())?);
    if sets.is_empty() {
        return read;
    }
    quote!({
        let mut value: #ty = #read;
        #(#sets)*
        value
    })
}

/// Assigns an `@eventHeader` member from the header of its name.
fn header_set(
    symbols: &Symbols,
    field: &super::structure::Field,
    depth: usize,
) -> Option<TokenStream> {
    let name = &field.member.name;
    let field_name = &field.name;
    let target = symbols.shape(&field.member.target);
    let read = |ty: TokenStream| quote!(::smithy_runtime::event_stream::unmarshall::header::<#ty>(message, #name)?);
    let value = match &target.kind {
        ShapeKind::Boolean => read(quote!(bool)),
        ShapeKind::Byte => read(quote!(i8)),
        ShapeKind::Short => read(quote!(i16)),
        ShapeKind::Integer => read(quote!(i32)),
        ShapeKind::Long => read(quote!(i64)),
        ShapeKind::String => read(quote!(::std::string::String)),
        ShapeKind::Blob => read(quote!(::smithy_runtime::Blob)),
        ShapeKind::Timestamp => read(quote!(::smithy_runtime::DateTime)),
        ShapeKind::Enum(_) => {
            let ty = symbols.rust_type(&field.member.target, depth);
            let text = read(quote!(::std::string::String));
            quote!(#text.map(|text| <#ty>::from(text.as_str())))
        }
        ShapeKind::IntEnum(_) => {
            let ty = symbols.rust_type(&field.member.target, depth);
            let number = read(quote!(i32));
            quote!(#number.map(<#ty>::from))
        }
        // No header type holds other shapes; the model validator rejects them.
        _ => return None,
    };
    Some(assign(field, field_name, value))
}

/// Assigns the `@eventPayload` member from the payload.
fn payload_set(
    symbols: &Symbols,
    field: &super::structure::Field,
    depth: usize,
) -> Option<TokenStream> {
    let target = symbols.shape(&field.member.target);
    let value = match &target.kind {
        ShapeKind::Blob => quote!(::smithy_runtime::event_stream::unmarshall::payload_blob(
            message
        )),
        ShapeKind::String => quote!(::smithy_runtime::event_stream::unmarshall::payload_string(
            message
        )?),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let ty = symbols.rust_type(&field.member.target, depth);
            let (from_trait, from_fn) = symbols.wire().from_trait();
            let document = symbols.protocol().event_document(&quote!(&message.payload));
            let value =
                quote!(<#ty as #from_trait>::#from_fn(#document?).map_err(|e| e.to_string())?);
            if symbols.is_boxed(&field.member.target, field.member) {
                quote!(::std::boxed::Box::new(#value))
            } else {
                value
            }
        }
        _ => return None,
    };
    let field_name = &field.name;
    Some(assign(
        field,
        field_name,
        quote!(::std::option::Option::Some(#value)),
    ))
}

fn assign(
    field: &super::structure::Field,
    name: &proc_macro2::Ident,
    value: TokenStream,
) -> TokenStream {
    if field.optional {
        quote!(value.#name = #value;)
    } else {
        quote!(if let ::std::option::Option::Some(v) = #value { value.#name = v; })
    }
}

/// Whether the operation is sent over HTTP/2: it has an event stream and its protocol trait's
/// `eventStreamHttp` (the HTTP versions for event streams, in order of preference) starts with
/// `h2` (Transcribe streaming, Kinesis, Lex runtime v2, Q Business).
pub fn uses_http2(symbols: &Symbols, op: &OperationPlan) -> bool {
    if !op.event_stream {
        return false;
    }
    let service = symbols.shape(&symbols.plan.service);
    let protocol = match symbols.plan.protocol {
        crate::passes::Protocol::RestJson1 => "aws.protocols#restJson1",
        crate::passes::Protocol::RestXml => "aws.protocols#restXml",
        crate::passes::Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
        crate::passes::Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
        crate::passes::Protocol::RpcV2Cbor => "smithy.protocols#rpcv2Cbor",
        crate::passes::Protocol::RpcV2Json => "smithy.protocols#rpcv2Json",
        _ => return false,
    };
    service
        .traits
        .get(protocol)
        .and_then(|t| t.get("eventStreamHttp"))
        .and_then(|versions| versions.get(0))
        .and_then(serde_json::Value::as_str)
        == Some("h2")
}

/// For an input event-stream union: its `EncodeEvent` implementation. Each member becomes a
/// message with `:message-type: event`, `:event-type` the member name, its `@eventHeader`
/// members as typed headers and its `@eventPayload` member (or else the whole structure, in
/// the service's format) as the payload.
pub fn emit_encode_event(symbols: &Symbols, shape: &Shape, depth: usize) -> TokenStream {
    let ShapeKind::Union(members) = &shape.kind else {
        return quote!();
    };
    let name = ident(&symbols.type_name(&shape.id));
    let arms = members.iter().map(|m| {
        let key = &m.name;
        let variant = ident(&symbols.variant_name(&shape.id, &m.name));
        if m.target.is_unit() {
            return quote!(Self::#variant => ::std::result::Result::Ok(::smithy_runtime::event_stream::marshall::event(#key, "application/octet-stream", ::smithy_runtime::Bytes::new())),);
        }
        let encode = encode_structure(symbols, &m.target, key, depth);
        let unbox = if symbols.is_boxed(&shape.id, m) {
            quote!(let value = &**value;)
        } else {
            quote!()
        };
        quote!(Self::#variant(value) => { #unbox #encode })
    });
    let label = name.to_string();
    quote! {
        impl ::smithy_runtime::event_stream::EncodeEvent for #name {
            fn encode_event(&self) -> ::std::result::Result<::smithy_runtime::event_stream::Message, ::std::string::String> {
                match self {
                    #(#arms)*
                    Self::Unknown => ::std::result::Result::Err(::std::format!("cannot send {}::Unknown", #label)),
                }
            }
        }
    }
}

/// Statements returning the message for event structure `target` (`value: &Target`).
fn encode_structure(
    symbols: &Symbols,
    target: &ShapeId,
    event_type: &str,
    depth: usize,
) -> TokenStream {
    let shape = symbols.shape(target);
    let fields = super::structure::fields(symbols, shape, depth);
    let wire = symbols.wire();
    let (to_trait, to_fn) = wire.to_trait();
    let document_type = match wire {
        super::protocol::Wire::Json => "application/json",
        super::protocol::Wire::Cbor => "application/cbor",
        super::protocol::Wire::Xml => "text/xml",
    };
    let to_bytes = |value: TokenStream| match wire {
        super::protocol::Wire::Json => quote!(::smithy_runtime::Bytes::from(#value.to_string())),
        super::protocol::Wire::Cbor => {
            quote!(::smithy_runtime::Bytes::from(::smithy_runtime::cbor::encode(&#value)))
        }
        super::protocol::Wire::Xml => quote!(::smithy_runtime::Bytes::from(#value.to_string())),
    };
    let payload_field = fields.iter().find(|f| f.member.traits.event_payload());
    let (content_type, payload) = match payload_field {
        None => {
            let bytes = to_bytes(quote!(#to_trait::#to_fn(value)));
            (document_type, bytes)
        }
        Some(field) => {
            let name = &field.name;
            let target_kind = &symbols.shape(&field.member.target).kind;
            let get = if field.optional {
                quote!(value.#name.as_ref())
            } else {
                quote!(::std::option::Option::Some(&value.#name))
            };
            match target_kind {
                ShapeKind::Blob => (
                    "application/octet-stream",
                    quote!(#get.map(|b| ::smithy_runtime::Bytes::copy_from_slice(b.as_ref())).unwrap_or_default()),
                ),
                ShapeKind::String => (
                    "text/plain",
                    quote!(#get.map(|s| ::smithy_runtime::Bytes::from(s.clone())).unwrap_or_default()),
                ),
                _ => {
                    let bytes = to_bytes(quote!(#to_trait::#to_fn(v)));
                    (
                        document_type,
                        quote!(#get.map(|v| #bytes).unwrap_or_default()),
                    )
                }
            }
        }
    };
    let headers = fields
        .iter()
        .filter(|f| f.member.traits.event_header())
        .filter_map(|f| {
            let header = &f.member.name;
            let field_name = &f.name;
            let kind = &symbols.shape(&f.member.target).kind;
            let convert = match kind {
                ShapeKind::Boolean => quote!(::smithy_runtime::event_stream::HeaderValue::Bool(*v)),
                ShapeKind::Byte => quote!(::smithy_runtime::event_stream::HeaderValue::Byte(*v)),
                ShapeKind::Short => quote!(::smithy_runtime::event_stream::HeaderValue::Int16(*v)),
                ShapeKind::Integer => quote!(::smithy_runtime::event_stream::HeaderValue::Int32(*v)),
                ShapeKind::Long => quote!(::smithy_runtime::event_stream::HeaderValue::Int64(*v)),
                ShapeKind::String => quote!(::smithy_runtime::event_stream::HeaderValue::String(v.clone())),
                ShapeKind::Enum(_) => quote!(::smithy_runtime::event_stream::HeaderValue::String(v.as_str().to_owned())),
                ShapeKind::Blob => quote!(::smithy_runtime::event_stream::HeaderValue::ByteArray(::smithy_runtime::Bytes::copy_from_slice(v.as_ref()))),
                ShapeKind::Timestamp => quote!(::smithy_runtime::event_stream::HeaderValue::Timestamp(*v)),
                _ => return None,
            };
            Some(if f.optional {
                quote!(if let ::std::option::Option::Some(v) = &value.#field_name { message = message.with_header(#header, #convert); })
            } else {
                quote!({ let v = &value.#field_name; message = message.with_header(#header, #convert); })
            })
        })
        .collect::<Vec<_>>();
    let binding = if headers.is_empty() {
        quote!(let message)
    } else {
        quote!(let mut message)
    };
    quote! {
        #binding = ::smithy_runtime::event_stream::marshall::event(#event_type, #content_type, #payload);
        #(#headers)*
        ::std::result::Result::Ok(message)
    }
}

/// The receiver over the response body, for the stream member `field` of the output.
pub fn receiver_value(optional: bool) -> TokenStream {
    let receiver = quote!(::smithy_runtime::event_stream::EventReceiver::new(
        ::smithy_runtime::ByteStream::from_response(response)
    ));
    if optional {
        quote!(::std::option::Option::Some(#receiver))
    } else {
        receiver
    }
}

/// `parse_response` of an RPC protocol's event-stream operation: an error status is the
/// protocol's error (`parse_error`); on success the body is the stream, left on the
/// connection, and the output's other members come later from the initial-response event
/// ([`emit_initial_response`]).
pub fn rpc_parse_response(
    symbols: &Symbols,
    op: &OperationPlan,
    member: &Member,
    error_ty: &TokenStream,
    runtime: &TokenStream,
    depth: usize,
) -> TokenStream {
    let output_ty = symbols.type_path(&op.output, depth);
    let output = symbols.shape(&op.output);
    let field = ident(&symbols.field_name(&output.id, &member.name));
    let optional = symbols.is_optional(output, member);
    let receiver = receiver_value(optional);
    let (from_trait, from_fn) = symbols.wire().from_trait();
    let empty = symbols.protocol().empty_document();
    quote! {
        // The error type keeps the whole response on purpose (nothing is lost), so it is large.
        #[allow(clippy::result_large_err)]
        pub(crate) fn parse_response(response: ::smithy_runtime::http::HttpResponse) -> ::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>> {
            let response = &response;
            if !response.status().is_success() {
                return ::std::result::Result::Err(self::parse_error(response));
            }
            let malformed = |reason: &dyn ::std::fmt::Display| ::smithy_runtime::SdkError::Response(#runtime::response_error(response, reason));
            let mut output: #output_ty = <#output_ty as #from_trait>::#from_fn(#empty.map_err(|e| malformed(&e))?).map_err(|e| malformed(&e))?;
            output.#field = #receiver;
            ::std::result::Result::Ok(output)
        }
    }
}

/// `read_initial_response(output)`: an RPC event stream's first message, if it is the
/// `initial-response` event, holds the output's other members as a document.
pub fn emit_initial_response(
    symbols: &Symbols,
    op: &OperationPlan,
    member: &Member,
    error_ty: &TokenStream,
    depth: usize,
) -> TokenStream {
    let output_ty = symbols.type_path(&op.output, depth);
    let output = symbols.shape(&op.output);
    let field = ident(&symbols.field_name(&output.id, &member.name));
    let receiver = if symbols.is_optional(output, member) {
        quote!(let ::std::option::Option::Some(receiver) = output.#field.clone() else { return ::std::result::Result::Ok(output); };)
    } else {
        quote!(let receiver = output.#field.clone();)
    };
    let (from_trait, from_fn) = symbols.wire().from_trait();
    let document = symbols.protocol().event_document(&quote!(&message.payload));
    quote! {
        /// Fills the output's members from the stream's `initial-response` event, if it has one.
        // The error type keeps the whole response on purpose (nothing is lost), so it is large.
        #[allow(clippy::result_large_err)]
        async fn read_initial_response(output: #output_ty) -> ::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>> {
            let failed = |reason: &dyn ::std::fmt::Display| ::smithy_runtime::event_stream::receiver::initial_response_error(reason);
            #receiver
            let ::std::option::Option::Some(message) = receiver.try_recv_initial().await.map_err(|e| failed(&e))? else {
                return ::std::result::Result::Ok(output);
            };
            let document = #document.map_err(|e| failed(&e))?;
            let mut initial: #output_ty = <#output_ty as #from_trait>::#from_fn(document).map_err(|e| failed(&e))?;
            initial.#field = output.#field;
            ::std::result::Result::Ok(initial)
        }
    }
}
