//! Traits: raw JSON values keyed by trait shape ID, with typed views of the traits the generator uses.
//!
//! Trait definitions are not present in AWS models, so trait keys are opaque IDs; unknown traits stay
//! as raw JSON and are carried through untouched.

use serde_json::Value;
use std::collections::BTreeMap;

/// Traits applied to a shape or member.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits(pub BTreeMap<String, Value>);

/// `smithy.api#http`.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpTrait {
    /// HTTP method.
    pub method: String,
    /// URI pattern, e.g. `/a/{b}/c?d=e`.
    pub uri: String,
    /// Success status code (default 200).
    pub code: u16,
}

/// `smithy.api#timestampFormat` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 date-time.
    DateTime,
    /// IMF-fixdate (RFC 7231).
    HttpDate,
    /// Seconds since the epoch, fractional allowed.
    EpochSeconds,
}

/// `smithy.api#error` kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Caller's fault.
    Client,
    /// Service's fault.
    Server,
}

macro_rules! annotation {
    ($($(#[$doc:meta])* $fn_name:ident => $id:literal;)*) => {
        $( $(#[$doc])* pub fn $fn_name(&self) -> bool { self.has($id) } )*
    };
}

macro_rules! string_trait {
    ($($(#[$doc:meta])* $fn_name:ident => $id:literal;)*) => {
        $( $(#[$doc])* pub fn $fn_name(&self) -> Option<&str> { self.get($id).and_then(Value::as_str) } )*
    };
}

impl Traits {
    /// Raw value of a trait.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// Whether a trait is present.
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// Adds or replaces a trait.
    pub fn insert(&mut self, id: &str, value: Value) {
        self.0.insert(id.to_string(), value);
    }

    annotation! {
        /// `@required`.
        required => "smithy.api#required";
        /// `@clientOptional`.
        client_optional => "smithy.api#clientOptional";
        /// `@input`.
        input => "smithy.api#input";
        /// `@output`.
        output => "smithy.api#output";
        /// `@httpLabel`.
        http_label => "smithy.api#httpLabel";
        /// `@httpPayload`.
        http_payload => "smithy.api#httpPayload";
        /// `@httpQueryParams`.
        http_query_params => "smithy.api#httpQueryParams";
        /// `@httpResponseCode`.
        http_response_code => "smithy.api#httpResponseCode";
        /// `@sensitive`.
        sensitive => "smithy.api#sensitive";
        /// `@idempotencyToken`.
        idempotency_token => "smithy.api#idempotencyToken";
        /// `@streaming`.
        streaming => "smithy.api#streaming";
        /// `@sparse`.
        sparse => "smithy.api#sparse";
        /// `@hostLabel`.
        host_label => "smithy.api#hostLabel";
        /// `@mixin`.
        mixin => "smithy.api#mixin";
        /// `@readonly`.
        readonly => "smithy.api#readonly";
        /// `@eventHeader` (an event member bound to a message header).
        event_header => "smithy.api#eventHeader";
        /// `@eventPayload` (the event member that is the whole message payload).
        event_payload => "smithy.api#eventPayload";
    }

    string_trait! {
        /// `@documentation` (HTML in AWS models).
        documentation => "smithy.api#documentation";
        /// `@jsonName`.
        json_name => "smithy.api#jsonName";
        /// `@httpHeader`.
        http_header => "smithy.api#httpHeader";
        /// `@httpQuery`.
        http_query => "smithy.api#httpQuery";
        /// `@httpPrefixHeaders`.
        http_prefix_headers => "smithy.api#httpPrefixHeaders";
        /// `@mediaType`.
        media_type => "smithy.api#mediaType";
    }

    /// `@http`, when present and well formed.
    pub fn http(&self) -> Option<HttpTrait> {
        let value = self.get("smithy.api#http")?;
        Some(HttpTrait {
            method: value.get("method")?.as_str()?.to_string(),
            uri: value.get("uri")?.as_str()?.to_string(),
            code: value
                .get("code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(200),
        })
    }

    /// `@timestampFormat`.
    pub fn timestamp_format(&self) -> Option<TimestampFormat> {
        match self.get("smithy.api#timestampFormat")?.as_str()? {
            "date-time" => Some(TimestampFormat::DateTime),
            "http-date" => Some(TimestampFormat::HttpDate),
            "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
            _ => None,
        }
    }

    /// `@error`.
    pub fn error(&self) -> Option<ErrorKind> {
        match self.get("smithy.api#error")?.as_str()? {
            "client" => Some(ErrorKind::Client),
            "server" => Some(ErrorKind::Server),
            _ => None,
        }
    }

    /// `@httpError` status code.
    pub fn http_error(&self) -> Option<u16> {
        self.get("smithy.api#httpError")?
            .as_u64()
            .and_then(|c| u16::try_from(c).ok())
    }

    /// `@default` value (may be JSON `null`, which cancels a target's default).
    pub fn default_value(&self) -> Option<&Value> {
        self.get("smithy.api#default")
    }

    /// `@enumValue`.
    pub fn enum_value(&self) -> Option<&Value> {
        self.get("smithy.api#enumValue")
    }

    /// `@deprecated` as (message, since).
    pub fn deprecated(&self) -> Option<(Option<&str>, Option<&str>)> {
        let value = self.get("smithy.api#deprecated")?;
        let field = |name: &str| value.get(name).and_then(Value::as_str);
        Some((field("message"), field("since")))
    }

    /// `@retryable`: `Some(throttling)` when present.
    pub fn retryable(&self) -> Option<bool> {
        let value = self.get("smithy.api#retryable")?;
        Some(
            value
                .get("throttling")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        )
    }
}
