//! Modelled error structures: the structure itself plus response metadata, `Display` as
//! `Code: message`, `std::error::Error`, and construction from an error response.

use super::structure::{emit_structure, fields, StructureUse};
use super::symbols::Symbols;
use crate::model::Shape;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The whole emission for one error structure (in the `error` module, depth 1).
/// `write` is set when the error is also reachable from an input (e.g. an event-stream union).
pub fn emit_error_structure(symbols: &Symbols, shape: &Shape, write: bool) -> TokenStream {
    let depth = 1;
    let extra = quote! {
        /// Code, message, HTTP status and request id of the response this error came from.
        pub(crate) meta: ::smithy_runtime::error::ErrorMetadata,
    };
    let usage = StructureUse { read: true, write };
    let structure = emit_structure(symbols, shape, depth, usage, &extra);
    let name = ident(&symbols.type_name(&shape.id));
    let code = shape.id.name();
    let fields = fields(symbols, shape, depth);
    let message_field = fields.iter().find(|f| f.name == "message");
    let (message_fn, message_expr, fill_message) = match message_field {
        Some(f) if f.optional && f.value_ty.to_string() == ":: std :: string :: String" => (
            quote!(),
            quote!(self.message.as_deref()),
            quote! {
                if error.message.is_none() {
                    error.message = meta.message.clone();
                }
            },
        ),
        Some(f) if f.value_ty.to_string() == ":: std :: string :: String" && !f.optional => (
            quote!(),
            quote!(::std::option::Option::Some(self.message.as_str())),
            quote!(),
        ),
        _ => (
            quote! {
                /// The error message the service sent.
                pub fn message(&self) -> ::std::option::Option<&str> {
                    self.meta.message.as_deref()
                }
            },
            quote!(self.meta.message.as_deref()),
            quote!(),
        ),
    };
    let bindings = symbols
        .protocol()
        .error_bindings(symbols, &fields, &quote!(error), depth);
    let value_ty = symbols.wire().value_ty();
    let (from_trait, from_fn) = symbols.wire().from_trait();
    let status_binding = if bindings.is_empty() {
        quote!()
    } else {
        quote!(let status = response.status().as_u16(); let _ = status;)
    };
    quote! {
        #structure
        impl #name {
            #message_fn
            /// Code, message, HTTP status and request id of the response.
            pub fn meta(&self) -> &::smithy_runtime::error::ErrorMetadata {
                &self.meta
            }
            /// Reads the error from a response whose code named it (called by generated
            /// response parsers).
            #[doc(hidden)]
            pub fn from_response(
                response: &::smithy_runtime::http::HttpResponse,
                body: #value_ty,
                meta: ::smithy_runtime::error::ErrorMetadata,
            ) -> ::std::result::Result<Self, ::std::string::String> {
                let _ = response;
                #status_binding
                let malformed = |reason: &dyn ::std::fmt::Display| reason.to_string();
                let mut error = <Self as #from_trait>::#from_fn(body).map_err(|e| malformed(&e))?;
                #(#bindings)*
                #fill_message
                error.meta = meta;
                ::std::result::Result::Ok(error)
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::smithy_runtime::error::display_service_error(f, #code, #message_expr, &self.meta)
            }
        }
        impl ::std::error::Error for #name {}
        impl ::smithy_runtime::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::smithy_runtime::error::ErrorMetadata {
                &self.meta
            }
        }
    }
}
