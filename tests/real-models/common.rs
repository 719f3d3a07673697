//! What every real-model event-stream program shares: the client configuration pointing at
//! the test's local server, draining a stream, and a check that reports instead of panicking.

use smithy_runtime::event_stream::{DecodeEvent, EventReceiver, EventStreamError};

/// A configuration sending to `url` (the endpoint override the real endpoint rules take as
/// `SDK::Endpoint`), signing with fixed keys, without retries (each reply is seen once).
#[allow(dead_code)] // Not every program uses both configurations.
pub fn config(url: &str) -> Result<smithy_runtime::client::Config, String> {
    built(builder(url))
}

/// [`config`] without the operations' host prefixes (CloudWatch Logs' `streaming-`, IoT
/// SiteWise's `data.`), which in front of `127.0.0.1` name no host.
#[allow(dead_code)] // Not every program uses both configurations.
pub fn config_without_host_prefix(url: &str) -> Result<smithy_runtime::client::Config, String> {
    built(builder(url).disable_host_prefix(true))
}

fn built(
    builder: smithy_runtime::client::ConfigBuilder,
) -> Result<smithy_runtime::client::Config, String> {
    builder
        .build()
        .map_err(|e| format!("configuration: {e}"))
}

fn builder(url: &str) -> smithy_runtime::client::ConfigBuilder {
    smithy_runtime::client::Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(smithy_runtime::credentials::Credentials::from_keys(
            "AKIDEXAMPLE",
            "SECRET",
        ))
        .retry_config(smithy_runtime::retry::RetryConfig::disabled())
}

/// Every event of `receiver` up to its end or its first error, and that error. After an error
/// the stream must be over.
pub async fn drain<T: DecodeEvent>(
    receiver: &EventReceiver<T>,
) -> Result<(Vec<T>, Option<EventStreamError<T::Error>>), String> {
    let mut events = Vec::new();
    loop {
        match receiver.recv().await {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return Ok((events, None)),
            Err(error) => {
                return match receiver.recv().await {
                    Ok(None) => Ok((events, Some(error))),
                    _ => Err("the stream went on after an error".to_string()),
                }
            }
        }
    }
}

/// `Err(what)` unless `condition` holds.
pub fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(what())
    }
}

/// `Err` naming both sides unless `got == want`.
pub fn same<T: PartialEq + std::fmt::Debug>(what: &str, got: &T, want: &T) -> Result<(), String> {
    ensure(got == want, || {
        format!("{what}: got {got:?}, want {want:?}")
    })
}
