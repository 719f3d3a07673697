//! One module per operation: its input and output (with builders), its error enum, the fluent
//! builder the client returns, the request serializer and the response parser.

use super::docs::{doc_attrs, doc_line};
use super::structure::{emit_structure, fields, Field, StructureUse};
use super::symbols::{root, Symbols};
use crate::error::Result;
use crate::model::ShapeKind;
use crate::naming::{self, ident};
use crate::passes::{OperationPlan, Protocol};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Depth of an operation module (`operation::<name>`).
const DEPTH: usize = 2;

/// The contents of `operation/<name>.rs`.
pub fn emit_operation(symbols: &Symbols, op: &OperationPlan) -> Result<TokenStream> {
    let input_shape = symbols.shape(&op.input);
    let output_shape = symbols.shape(&op.output);
    let input = emit_structure(
        symbols,
        input_shape,
        DEPTH,
        StructureUse {
            read: false,
            write: true,
        },
        &quote!(),
    );
    let output = emit_structure(
        symbols,
        output_shape,
        DEPTH,
        StructureUse {
            read: true,
            write: false,
        },
        &quote!(),
    );
    let error = emit_error_enum(symbols, op);
    let error_ty = error_type(op);
    let (send, serializer, parser) = match unsupported_reason(symbols, op) {
        Some(reason) => (
            emit_unsupported_send(symbols, op, &reason),
            quote!(),
            quote!(),
        ),
        None => (
            emit_send(symbols, op),
            symbols.protocol().serializer(symbols, op, DEPTH)?,
            symbols
                .protocol()
                .parser(symbols, op, &quote!(#error_ty), DEPTH)?,
        ),
    };
    let fluent = emit_fluent_builder(symbols, op);
    let paginator = super::paginator::emit_paginator(symbols, op, DEPTH);
    let waiters = super::waiters::emit_waiters(symbols, op);
    Ok(quote! {
        #input
        #output
        #error
        #fluent
        #paginator
        #waiters
        #send
        #serializer
        #parser
    })
}

/// `GetHarvestJobError`.
pub fn error_type(op: &OperationPlan) -> proc_macro2::Ident {
    format_ident!("{}Error", naming::type_name(op.id.name()))
}

fn emit_error_enum(symbols: &Symbols, op: &OperationPlan) -> TokenStream {
    let name = error_type(op);
    let variants: Vec<proc_macro2::Ident> = op
        .errors
        .iter()
        .map(|e| ident(&symbols.type_name(e)))
        .collect();
    let types: Vec<TokenStream> = op
        .errors
        .iter()
        .map(|e| symbols.type_path(e, DEPTH))
        .collect();
    let docs = op.errors.iter().map(|e| {
        let shape = symbols.shape(e);
        let docs = doc_attrs(shape.traits.documentation());
        if docs.is_empty() {
            doc_line(&format!("`{}`", e.name()))
        } else {
            docs
        }
    });
    let predicates = variants.iter().map(|v| {
        let is = format_ident!("is_{}", naming::snake_case(&v.to_string()));
        let doc = format!(" Whether this is a [`{v}`](Self::{v}).");
        quote!(#[doc = #doc] pub fn #is(&self) -> bool { matches!(self, Self::#v(_)) })
    });
    let doc = format!(
        " Errors `{}` can return: one variant per modelled error, plus `Unhandled`.",
        op.id.name()
    );
    let meta = match_variants(&variants, quote!(e.meta()), quote!(&e.meta));
    let display = quote!(::std::fmt::Display::fmt(e, f));
    let fmt = match_variants(&variants, display.clone(), display);
    let some = quote!(::std::option::Option::Some(e));
    let source = match_variants(&variants, some.clone(), some);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants(#types),)*
            /// An error the model does not list for this operation (code, message, status and
            /// request id are kept, with the raw body).
            Unhandled(::smithy_runtime::error::Unhandled),
        }
        impl #name {
            /// Code, message, HTTP status and request id.
            pub fn meta(&self) -> &::smithy_runtime::error::ErrorMetadata {
                #meta
            }
            /// The error code (the error shape's name), if known.
            pub fn code(&self) -> ::std::option::Option<&str> {
                self.meta().code.as_deref()
            }
            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                self.meta().message.as_deref()
            }
            /// The request id, if the service sent one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta().request_id.as_deref()
            }
            #(#predicates)*
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #fmt
            }
        }
        impl ::smithy_runtime::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::smithy_runtime::error::ErrorMetadata {
                #name::meta(self)
            }
        }
        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                #source
            }
        }
    }
}

/// `match self` binding `e` in every arm: `modelled` for each modelled error variant,
/// `unhandled` for `Unhandled`. Without modelled errors the enum has one variant, and a one-arm
/// match is what clippy's `match_single_binding` rejects, so that case is a `let`.
fn match_variants(
    variants: &[proc_macro2::Ident],
    modelled: TokenStream,
    unhandled: TokenStream,
) -> TokenStream {
    if variants.is_empty() {
        return quote! {
            let Self::Unhandled(e) = self;
            #unhandled
        };
    }
    quote! {
        match self {
            #(Self::#variants(e) => #modelled,)*
            Self::Unhandled(e) => #unhandled,
        }
    }
}

/// `OPERATION` (constant facts for the pipeline) and `async fn send(config, input)`:
/// serialize, run the pipeline, parse.
fn emit_send(symbols: &Symbols, op: &OperationPlan) -> TokenStream {
    let input_ty = symbols.type_path(&op.input, DEPTH);
    let output_ty = symbols.type_path(&op.output, DEPTH);
    let error_ty = error_type(op);
    let root = root(DEPTH);
    let name = op.id.name();
    let retryable = op.errors.iter().filter_map(|e| {
        let throttling = symbols.shape(e).traits.retryable()?;
        let code = e.name();
        Some(quote!((#code, #throttling)))
    });
    let (request, endpoint_params) = endpoint_params(symbols, op);
    // An HTTP-binding protocol's `@streaming` blob payload is read from the connection by the
    // caller, so the pipeline must not read it first.
    let presign = if presignable(symbols) {
        quote! {
            // The error type keeps the whole response on purpose (nothing is lost), so it is large.
            #[allow(clippy::result_large_err)]
            pub(crate) async fn presign(config: &::smithy_runtime::client::Config, input: #input_ty, presigning: ::smithy_runtime::presign::PresigningConfig) -> ::std::result::Result<::smithy_runtime::presign::PresignedRequest, ::smithy_runtime::SdkError<#error_ty>> {
                ::smithy_runtime::presign::presign_operation(config, &#root service::SERVICE, &OPERATION, #request, presigning).await
            }
        }
    } else {
        quote!()
    };
    let event_stream = super::event_stream::output_event_stream(symbols, op);
    let invoke = if streams_output_payload(symbols, op) || event_stream.is_some() {
        quote!(invoke_streaming_operation)
    } else {
        quote!(invoke_operation)
    };
    // RPC event streams carry the output's other members in their first event.
    let initial = event_stream.filter(|_| symbols.protocol().initial_response_event());
    let request = if super::event_stream::uses_http2(symbols, op) {
        quote!(#request.map(|mut request| { request.set_http2(); request }))
    } else {
        request
    };
    let invoked = quote! {
        ::smithy_runtime::client::#invoke(config, &#root service::SERVICE, &OPERATION, #request, self::parse_response).await
    };
    let (body, read_initial) = match initial {
        Some(member) => (
            quote! {
                let output = #invoked?;
                self::read_initial_response(output).await
            },
            super::event_stream::emit_initial_response(
                symbols,
                op,
                member,
                &quote!(#error_ty),
                DEPTH,
            ),
        ),
        None => (invoked, quote!()),
    };
    quote! {
        static OPERATION: ::smithy_runtime::client::Operation = ::smithy_runtime::client::Operation {
            name: #name,
            retryable_errors: &[#(#retryable),*],
        };
        // The error type keeps the whole response on purpose (nothing is lost), so it is large.
        #[allow(clippy::result_large_err)]
        pub(crate) async fn send(config: &::smithy_runtime::client::Config, input: #input_ty) -> ::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>> {
            #body
        }
        #read_initial
        #presign
        #endpoint_params
    }
}

/// Whether the operation gets `presigned()`: every operation of an HTTP-binding protocol
/// (restJson1, restXml), whose requests a plain HTTP client can send from a URL and headers.
/// The RPC protocols put the whole input in a POST body the sender would have to reproduce,
/// so they get none (as in the AWS SDKs). A service that does not sign with SigV4 fails at
/// run time with a construction error.
fn presignable(symbols: &Symbols) -> bool {
    matches!(
        symbols.plan.protocol,
        Protocol::RestJson1 | Protocol::RestXml
    )
}

/// The request expression of `send`, and the `set_endpoint_params` it calls when the operation
/// gives the endpoint rules parameters of its own: `@staticContextParams` on the operation and
/// `@contextParam` input members (S3's `Bucket`, `Key`). Unset members set nothing, so the
/// rule set's default (or absence) applies. `smithy.rules#operationContextParams` (JMESPath
/// into the input, S3's `DeleteObjects` keys) is not read: no rule of the corpus needs it
/// to choose the endpoint.
fn endpoint_params(symbols: &Symbols, op: &OperationPlan) -> (TokenStream, TokenStream) {
    let plain = quote!(self::serialize_request(&input));
    let op_shape = symbols.shape(&op.id);
    let mut sets = Vec::new();
    if let Some(serde_json::Value::Object(params)) =
        op_shape.traits.get("smithy.rules#staticContextParams")
    {
        for (name, param) in params {
            let value = match param.get("value") {
                Some(serde_json::Value::Bool(b)) => quote!(#b),
                Some(serde_json::Value::String(text)) => quote!(#text),
                _ => continue,
            };
            sets.push(quote!(request.set_endpoint_param(#name, #value);));
        }
    }
    let statics = sets.len();
    let input = symbols.shape(&op.input);
    for field in fields(symbols, input, DEPTH) {
        let Some(name) = field
            .member
            .traits
            .get("smithy.rules#contextParam")
            .and_then(|p| p.get("name"))
            .and_then(serde_json::Value::as_str)
        else {
            continue;
        };
        let field_name = &field.name;
        let value = match &symbols.shape(&field.member.target).kind {
            ShapeKind::Boolean => quote!(*value),
            ShapeKind::String => quote!(value.as_str()),
            ShapeKind::Enum(_) => quote!(value.as_str()),
            _ => continue,
        };
        sets.push(if field.optional {
            quote! {
                if let ::std::option::Option::Some(value) = &input.#field_name {
                    request.set_endpoint_param(#name, #value);
                }
            }
        } else {
            quote!({ let value = &input.#field_name; request.set_endpoint_param(#name, #value); })
        });
    }
    if sets.is_empty() {
        return (plain, quote!());
    }
    let reads_input = sets.len() > statics;
    let input_ty = symbols.type_path(&op.input, DEPTH);
    // Only `@staticContextParams`: the input is not read.
    let input_name = if reads_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let function = quote! {
        /// The endpoint rule parameters this operation sets from its input.
        fn set_endpoint_params(#input_name: &#input_ty, request: &mut ::smithy_runtime::http::RequestParts) {
            #(#sets)*
        }
    };
    let request = quote! {
        self::serialize_request(&input).map(|mut request| {
            self::set_endpoint_params(&input, &mut request);
            request
        })
    };
    (request, function)
}

/// Whether the operation's output has an `@httpPayload` member targeting a `@streaming` blob
/// or an event stream in a protocol with HTTP bindings (the other protocols embed such blobs
/// in their documents).
pub(crate) fn streams_output_payload(symbols: &Symbols, op: &OperationPlan) -> bool {
    if !matches!(
        symbols.plan.protocol,
        Protocol::RestJson1 | Protocol::RestXml
    ) {
        return false;
    }
    let ShapeKind::Structure(members) = &symbols.shape(&op.output).kind else {
        return false;
    };
    members.iter().any(|member| {
        let target = symbols.shape(&member.target);
        member.traits.http_payload()
            && ((matches!(target.kind, ShapeKind::Blob) && target.traits.streaming())
                || symbols.is_output_event_stream(&member.target))
    })
}

/// Why an operation cannot be sent by this generator's runtime yet, if it cannot.
pub fn unsupported_reason(symbols: &Symbols, op: &OperationPlan) -> Option<String> {
    let name = op.id.name();
    match &symbols.plan.protocol {
        Protocol::Unsupported(protocol) => Some(format!(
            "{name}: protocol {protocol} is not supported yet (supported: restJson1, awsJson1_0, \
             awsJson1_1, restXml, awsQuery, ec2Query, rpcv2Cbor and rpcv2Json)"
        )),
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RpcV2Cbor | Protocol::RpcV2Json
            if super::event_stream::input_event_stream(symbols, op).is_some() =>
        {
            Some(format!(
                "{name}: input event streams of RPC protocols (the initial-request event) are \
                 not supported yet"
            ))
        }
        Protocol::AwsQuery | Protocol::Ec2Query if op.event_stream => Some(format!(
            "{name}: event streams are not defined for the query protocols"
        )),
        Protocol::RestJson1
        | Protocol::AwsJson1_0
        | Protocol::AwsJson1_1
        | Protocol::RestXml
        | Protocol::AwsQuery
        | Protocol::Ec2Query
        | Protocol::RpcV2Cbor
        | Protocol::RpcV2Json => None,
    }
}

/// `send` for an operation that cannot be sent yet: it fails before anything goes out.
fn emit_unsupported_send(symbols: &Symbols, op: &OperationPlan, reason: &str) -> TokenStream {
    let input_ty = symbols.type_path(&op.input, DEPTH);
    let output_ty = symbols.type_path(&op.output, DEPTH);
    let error_ty = error_type(op);
    quote! {
        // The error type keeps the whole response on purpose (nothing is lost), so it is large.
        #[allow(clippy::result_large_err)]
        pub(crate) async fn send(_config: &::smithy_runtime::client::Config, _input: #input_ty) -> ::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>> {
            ::std::result::Result::Err(::smithy_runtime::SdkError::Construction(::smithy_runtime::BuildError::unsupported(#reason)))
        }
    }
}

/// The fluent builder: the input builder's setters, plus `send()`.
fn emit_fluent_builder(symbols: &Symbols, op: &OperationPlan) -> TokenStream {
    let input_shape = symbols.shape(&op.input);
    let input_name = ident(&symbols.type_name(&op.input));
    let input_builder = format_ident!("{}Builder", input_name);
    let output_ty = symbols.type_path(&op.output, DEPTH);
    let error_ty = error_type(op);
    let fluent = format_ident!("{}FluentBuilder", naming::type_name(op.id.name()));
    let root = root(DEPTH);
    let fields = fields(symbols, input_shape, DEPTH);
    let setters = fields
        .iter()
        .map(|f| fluent_delegates(symbols, f, Inner::InputBuilder));
    let presigned = if presignable(symbols) && unsupported_reason(symbols, op).is_none() {
        quote! {
            /// A presigned request instead of sending one: a URL (signed in its query string,
            /// valid as `presigning` says) and headers that any HTTP client can send, to the
            /// endpoint `send()` would use. Nothing is sent; errors are construction errors.
            /// See `smithy_runtime::presign`.
            // The error type keeps the whole response on purpose (nothing is lost), so it is large.
            #[allow(clippy::result_large_err)]
            pub async fn presigned(self, presigning: ::smithy_runtime::presign::PresigningConfig) -> ::std::result::Result<::smithy_runtime::presign::PresignedRequest, ::smithy_runtime::SdkError<#error_ty>> {
                let input = self.inner.build().map_err(::smithy_runtime::SdkError::Construction)?;
                self::presign(self.client.config(), input, presigning).await
            }
        }
    } else {
        quote!()
    };
    let op_docs = doc_attrs(symbols.shape(&op.id).traits.documentation());
    let doc = format!(
        " Fluent builder for `{}`: set input members, then `send()`.",
        op.id.name()
    );
    quote! {
        #[doc = #doc]
        ///
        #op_docs
        #[derive(Clone, Debug)]
        pub struct #fluent {
            client: #root client::Client,
            inner: #input_builder,
        }
        impl #fluent {
            pub(crate) fn new(client: #root client::Client) -> Self {
                Self { client, inner: ::std::default::Default::default() }
            }
            /// Replaces the whole input.
            pub fn set_input(mut self, input: #input_builder) -> Self {
                self.inner = input;
                self
            }
            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }
            /// Sends the request. A missing required member is an error before anything is sent.
            // The error type keeps the whole response on purpose (nothing is lost), so it is large.
            #[allow(clippy::result_large_err)]
            pub async fn send(self) -> ::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>> {
                let input = self.inner.build().map_err(::smithy_runtime::SdkError::Construction)?;
                self::send(self.client.config(), input).await
            }
            #presigned
            #(#setters)*
        }
    }
}

/// What a fluent builder's `inner` is.
#[derive(Clone, Copy)]
pub(crate) enum Inner {
    /// The operation's input builder, whose fields are visible here: `set_` and `get_` touch
    /// the field directly (delegating moves the whole builder out and back in each call,
    /// which is most of their code in a debug build).
    InputBuilder,
    /// Another fluent builder (a waiter's): every setter delegates.
    Delegate,
}

/// The three setters of one member, on `inner`.
pub(crate) fn fluent_delegates(symbols: &Symbols, field: &Field, inner: Inner) -> TokenStream {
    let name = &field.name;
    let raw = naming::unraw(&name.to_string()).to_string();
    let set = format_ident!("set_{}", raw);
    let get = format_ident!("get_{}", raw);
    let ty = &field.value_ty;
    let docs = doc_attrs(field.member.traits.documentation());
    let allows = super::structure::method_allows(name);
    let docs = quote!(#docs #allows);
    let target = symbols.shape(&field.member.target);
    let fluent = match &target.kind {
        crate::model::ShapeKind::List(item) => {
            let item_ty = symbols.rust_type(&item.target, DEPTH);
            let item_ty = if target.traits.sparse() {
                quote!(::std::option::Option<#item_ty>)
            } else {
                item_ty
            };
            quote!(#docs pub fn #name(mut self, item: impl ::std::convert::Into<#item_ty>) -> Self { self.inner = self.inner.#name(item); self })
        }
        crate::model::ShapeKind::Map(key, value) => {
            let key_ty = symbols.rust_type(&key.target, DEPTH);
            let value_ty = symbols.rust_type(&value.target, DEPTH);
            let value_ty = if target.traits.sparse() {
                quote!(::std::option::Option<#value_ty>)
            } else {
                value_ty
            };
            quote!(#docs pub fn #name(mut self, key: impl ::std::convert::Into<#key_ty>, value: impl ::std::convert::Into<#value_ty>) -> Self { self.inner = self.inner.#name(key, value); self })
        }
        _ => {
            quote!(#docs pub fn #name(mut self, input: impl ::std::convert::Into<#ty>) -> Self { self.inner = self.inner.#name(input); self })
        }
    };
    let set_doc = format!(" Sets or clears `{raw}`.");
    let get_doc = format!(" The value of `{raw}` set so far.");
    let (set_body, get_body) = match inner {
        Inner::InputBuilder => (
            quote!(self.inner.#name = input; self),
            quote!(&self.inner.#name),
        ),
        Inner::Delegate => (
            quote!(self.inner = self.inner.#set(input); self),
            quote!(self.inner.#get()),
        ),
    };
    quote! {
        #fluent
        #[doc = #set_doc]
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self { #set_body }
        #[doc = #get_doc]
        pub fn #get(&self) -> &::std::option::Option<#ty> { #get_body }
    }
}
