//! Waiters from `smithy.waiters#waitable`: a waiter builder per waiter (the operation's input
//! setters plus `wait(max_wait)`) and a classifier compiled from the acceptors, in order.

use super::docs::doc_line;
use super::jmespath;
use super::operation::{error_type, fluent_delegates, Inner};
use super::structure::fields;
use super::symbols::{root, Symbols};
use crate::naming::{self, ident};
use crate::passes::OperationPlan;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// Depth of an operation module.
const DEPTH: usize = 2;

/// One waiter declared on an operation.
pub struct Waiter<'a> {
    /// Waiter name (`HarvestJobFinished`).
    pub name: String,
    /// The waiter's definition.
    pub definition: &'a Value,
}

/// The waiters of an operation, in name order.
pub fn waiters<'a>(symbols: &Symbols<'a>, op: &OperationPlan) -> Vec<Waiter<'a>> {
    let shape = symbols.shape(&op.id);
    let Some(Value::Object(map)) = shape.traits.get("smithy.waiters#waitable") else {
        return Vec::new();
    };
    let mut out: Vec<Waiter> = map
        .iter()
        .map(|(name, definition)| Waiter {
            name: name.clone(),
            definition,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// `wait_until_<name>`.
pub fn method_name(waiter: &Waiter) -> proc_macro2::Ident {
    format_ident!("wait_until_{}", naming::snake_case(&waiter.name))
}

/// `<Name>Waiter`.
pub fn builder_name(waiter: &Waiter) -> proc_macro2::Ident {
    format_ident!("{}Waiter", naming::type_name(&waiter.name))
}

/// The waiter builders and classifiers of one operation (for its module).
pub fn emit_waiters(symbols: &Symbols, op: &OperationPlan) -> TokenStream {
    let items = waiters(symbols, op)
        .into_iter()
        .map(|w| emit_waiter(symbols, op, &w));
    quote!(#(#items)*)
}

fn emit_waiter(symbols: &Symbols, op: &OperationPlan, waiter: &Waiter) -> TokenStream {
    let name = builder_name(waiter);
    let fluent = format_ident!("{}FluentBuilder", naming::type_name(op.id.name()));
    let output_ty = symbols.type_path(&op.output, DEPTH);
    let error_ty = error_type(op);
    let root = root(DEPTH);
    let classify = format_ident!("classify_{}", naming::snake_case(&waiter.name));
    let (classifier, unsupported) = emit_classifier(symbols, op, waiter, &classify);
    let delay = |key: &str, default: u64| {
        waiter
            .definition
            .get(key)
            .and_then(Value::as_u64)
            .unwrap_or(default)
    };
    let (min_delay, max_delay) = (delay("minDelay", 2), delay("maxDelay", 120));
    let setters = fields(symbols, symbols.shape(&op.input), DEPTH)
        .iter()
        .map(|f| fluent_delegates(symbols, f, Inner::Delegate))
        .collect::<Vec<_>>();
    let docs = waiter
        .definition
        .get("documentation")
        .and_then(Value::as_str)
        .map(doc_line)
        .unwrap_or_default();
    let summary = format!(
        " Waiter `{}`: polls `{}` every {min_delay}-{max_delay} s (with the Smithy backoff and jitter) until an acceptor decides.",
        waiter.name,
        op.id.name()
    );
    let result_ty = quote!(::std::result::Result<::smithy_runtime::waiter::FinalPoll<#output_ty, #error_ty>, ::smithy_runtime::waiter::WaiterError<#output_ty, #error_ty>>);
    let unsupported_doc = unsupported
        .map(|reason| {
            doc_line(&format!(
                "Note: an acceptor could not be compiled ({reason}); it never matches."
            ))
        })
        .unwrap_or_default();
    quote! {
        #[doc = #summary]
        ///
        #docs
        #unsupported_doc
        #[derive(Clone, Debug)]
        pub struct #name {
            inner: #fluent,
        }
        impl #name {
            pub(crate) fn new(client: #root client::Client) -> Self {
                Self { inner: #fluent::new(client) }
            }
            /// Polls until success (the matched poll), failure, or `max_wait` has passed.
            pub async fn wait(self, max_wait: ::std::time::Duration) -> #result_ty {
                let waiter = ::smithy_runtime::waiter::WaiterConfig::new(
                    ::std::time::Duration::from_secs(#min_delay),
                    ::std::time::Duration::from_secs(#max_delay),
                    max_wait,
                );
                let client = self.inner.client;
                let input = match self.inner.inner.build() {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(error) => {
                        return ::std::result::Result::Err(::smithy_runtime::waiter::WaiterError::UnexpectedError {
                            error: ::smithy_runtime::SdkError::Construction(error),
                            attempts: 0,
                        })
                    }
                };
                let config = client.config();
                ::smithy_runtime::waiter::wait(config, waiter, || self::send(config, input.clone()), self::#classify).await
            }
            #(#setters)*
        }
        #classifier
    }
}

/// `fn classify_x(result) -> Option<AcceptorState>`: the first matching acceptor decides.
fn emit_classifier(
    symbols: &Symbols,
    op: &OperationPlan,
    waiter: &Waiter,
    name: &proc_macro2::Ident,
) -> (TokenStream, Option<String>) {
    let output_ty = symbols.type_path(&op.output, DEPTH);
    let error_ty = error_type(op);
    let acceptors = waiter
        .definition
        .get("acceptors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut unsupported = None;
    let checks: Vec<TokenStream> = acceptors
        .iter()
        .filter_map(|acceptor| match acceptor_check(symbols, op, acceptor) {
            Ok(check) => Some(check),
            Err(reason) => {
                unsupported.get_or_insert(reason);
                None
            }
        })
        .collect();
    let uses_result = if checks.is_empty() {
        quote!(let _ = result;)
    } else {
        quote!()
    };
    let classifier = quote! {
        #[allow(clippy::result_large_err)]
        fn #name(result: &::std::result::Result<#output_ty, ::smithy_runtime::SdkError<#error_ty>>) -> ::std::option::Option<::smithy_runtime::waiter::AcceptorState> {
            #uses_result
            #(#checks)*
            ::std::option::Option::None
        }
    };
    (classifier, unsupported)
}

fn acceptor_check(
    symbols: &Symbols,
    op: &OperationPlan,
    acceptor: &Value,
) -> Result<TokenStream, String> {
    let state = match acceptor.get("state").and_then(Value::as_str) {
        Some("success") => quote!(Success),
        Some("failure") => quote!(Failure),
        Some("retry") => quote!(Retry),
        other => return Err(format!("unknown acceptor state {other:?}")),
    };
    let matcher = acceptor.get("matcher").ok_or("acceptor without matcher")?;
    let condition = matcher_condition(symbols, op, matcher)?;
    Ok(quote! {
        if #condition {
            return ::std::option::Option::Some(::smithy_runtime::waiter::AcceptorState::#state);
        }
    })
}

fn matcher_condition(
    symbols: &Symbols,
    op: &OperationPlan,
    matcher: &Value,
) -> Result<TokenStream, String> {
    if let Some(success) = matcher.get("success").and_then(Value::as_bool) {
        return Ok(if success {
            quote!(result.is_ok())
        } else {
            quote!(result.is_err())
        });
    }
    if let Some(error) = matcher.get("errorType").and_then(Value::as_str) {
        let name = error.rsplit('#').next().unwrap_or(error);
        return Ok(quote! {
            matches!(result, ::std::result::Result::Err(::smithy_runtime::SdkError::Service(e)) if e.code() == ::std::option::Option::Some(#name))
        });
    }
    if let Some(output) = matcher.get("output") {
        let path = output
            .get("path")
            .and_then(Value::as_str)
            .ok_or("output matcher without path")?;
        let expected = output
            .get("expected")
            .and_then(Value::as_str)
            .ok_or("output matcher without expected")?;
        let comparator = output
            .get("comparator")
            .and_then(Value::as_str)
            .ok_or("output matcher without comparator")?;
        let expr = jmespath::parse(path)?;
        let value = jmespath::compile(
            symbols,
            &expr,
            quote!(::std::option::Option::Some(output)),
            &op.output,
        )?;
        let compare = comparison(comparator, expected, &value)?;
        return Ok(quote!(
            matches!(result, ::std::result::Result::Ok(output) if #compare)
        ));
    }
    Err("unsupported matcher (inputOutput)".to_string())
}

fn comparison(
    comparator: &str,
    expected: &str,
    value: &TokenStream,
) -> Result<TokenStream, String> {
    let j = quote!(::smithy_runtime::jmes);
    Ok(match comparator {
        "stringEquals" => quote!(#j::string_equals(&#value, #expected)),
        "booleanEquals" => {
            let expected = expected == "true";
            quote!(#j::boolean_equals(&#value, #expected))
        }
        "allStringEquals" => quote!(#j::all_string_equals(&#value, #expected)),
        "anyStringEquals" => quote!(#j::any_string_equals(&#value, #expected)),
        other => return Err(format!("unknown comparator `{other}`")),
    })
}

/// The client methods creating each waiter of every operation.
pub fn client_methods(symbols: &Symbols) -> TokenStream {
    let methods = symbols.plan.operations.iter().flat_map(|op| {
        let module = ident(&symbols.operation_name(&op.id));
        waiters(symbols, op).into_iter().map(move |w| {
            let method = method_name(&w);
            let builder = builder_name(&w);
            let doc = format!(
                " Waits until `{}` (polling `{}`); set the input, then `wait(max_wait)`.",
                w.name,
                op.id.name()
            );
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> super::operation::#module::#builder {
                    super::operation::#module::#builder::new(self.clone())
                }
            }
        })
    });
    quote!(#(#methods)*)
}
