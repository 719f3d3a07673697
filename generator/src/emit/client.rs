//! The client: `Client` with one fluent method per operation, and a trait with one async method
//! per operation that `Client` implements (so users can put a fake behind it in tests).

use super::docs::doc_attrs;
use super::operation::error_type;
use super::symbols::Symbols;
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Depth of the `client` module.
const DEPTH: usize = 1;

/// The name of the operations trait (`MediaPackageV2Api`).
pub fn trait_name(symbols: &Symbols) -> proc_macro2::Ident {
    format_ident!("{}Api", naming::type_name(&service_title(symbols)))
}

/// The service's SDK id, else its shape name.
pub fn service_title(symbols: &Symbols) -> String {
    let service = symbols.shape(&symbols.plan.service);
    service
        .traits
        .get("aws.api#service")
        .and_then(|v| v.get("sdkId"))
        .and_then(|v| v.as_str())
        .map_or_else(
            || service.id.name().to_string(),
            |s| s.replace([' ', '-'], ""),
        )
}

/// The service's `sdkId` exactly as the model writes it (`API Gateway`), else its shape name:
/// the runtime derives setting names from it (`AWS_ENDPOINT_URL_API_GATEWAY`).
pub fn sdk_id(symbols: &Symbols) -> String {
    let service = symbols.shape(&symbols.plan.service);
    service
        .traits
        .get("aws.api#service")
        .and_then(|v| v.get("sdkId"))
        .and_then(|v| v.as_str())
        .map_or_else(|| service.id.name().to_string(), str::to_owned)
}

/// The contents of `client.rs`.
pub fn emit_client(symbols: &Symbols) -> TokenStream {
    let trait_name = trait_name(symbols);
    let title = service_title(symbols);
    // `self.clone()`, unless an operation named `Clone` made `clone` a method of `Client`.
    let shadowed = symbols
        .plan
        .operations
        .iter()
        .any(|op| symbols.operation_name(&op.id) == "clone");
    let clone_self = if shadowed {
        quote!(::std::clone::Clone::clone(self))
    } else {
        quote!(self.clone())
    };
    let clone_self = &clone_self;
    let fluent_methods = symbols.plan.operations.iter().map(|op| {
        let method = ident(&symbols.operation_name(&op.id));
        let module = method.clone();
        let fluent = format_ident!("{}FluentBuilder", naming::type_name(op.id.name()));
        let docs = doc_attrs(symbols.shape(&op.id).traits.documentation());
        let allows = super::structure::method_allows(&method);
        quote! {
            #docs
            #allows
            pub fn #method(&self) -> super::operation::#module::#fluent {
                super::operation::#module::#fluent::new(#clone_self)
            }
        }
    });
    let signatures: Vec<(TokenStream, TokenStream)> = symbols
        .plan
        .operations
        .iter()
        .map(|op| {
            let method = ident(&symbols.operation_name(&op.id));
            let module = method.clone();
            let input = symbols.type_path(&op.input, DEPTH);
            let output = symbols.type_path(&op.output, DEPTH);
            let error = error_type(op);
            let docs = doc_attrs(symbols.shape(&op.id).traits.documentation());
            let allows = super::structure::method_allows(&method);
            let sig = quote! {
                #docs
                #allows
                fn #method(&self, input: #input) -> impl ::std::future::Future<Output = ::std::result::Result<#output, ::smithy_runtime::SdkError<super::operation::#module::#error>>> + Send
            };
            let body = quote! {
                let config = ::std::sync::Arc::clone(&self.config);
                async move { super::operation::#module::send(&config, input).await }
            };
            (sig, body)
        })
        .collect();
    let waiter_methods = super::waiters::client_methods(symbols);
    let trait_items = signatures.iter().map(|(sig, _)| quote!(#sig;));
    let impl_items = signatures.iter().map(|(sig, body)| quote!(#sig { #body }));
    let trait_doc = format!(
        " Every {title} operation as one async call taking the whole input. [`Client`] implements it; \
         implement it yourself to put a fake service behind code that takes `impl {trait_name}`."
    );
    let client_doc = format!(
        " A client for {title}. Cheap to clone: clones share configuration and connections."
    );
    quote! {
        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            config: ::std::sync::Arc<::smithy_runtime::client::Config>,
        }
        impl Client {
            /// A client using `config`.
            pub fn from_conf(config: ::smithy_runtime::client::Config) -> Self {
                Self { config: ::std::sync::Arc::new(config) }
            }
            /// The configuration.
            pub fn config(&self) -> &::smithy_runtime::client::Config {
                &self.config
            }
            #(#fluent_methods)*
            #waiter_methods
        }
        #[doc = #trait_doc]
        pub trait #trait_name: Send + Sync {
            #(#trait_items)*
        }
        impl #trait_name for Client {
            #(#impl_items)*
        }
    }
}
