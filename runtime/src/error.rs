//! Errors a generated client returns.
//!
//! Every operation returns `Result<Output, SdkError<OperationError>>`. The operation error is a
//! generated enum with one variant per modelled error plus `Unhandled`, so matching a specific
//! service error is one `match`:
//! `Err(SdkError::Service(GetHarvestJobError::ResourceNotFoundException(e)))`.

use bytes::Bytes;
use std::fmt;

/// Any failure of an operation call.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built (missing or empty required input, bad configuration).
    Construction(BuildError),
    /// The request could not be sent or the response could not be read (I/O, TLS, DNS).
    Dispatch(DispatchError),
    /// A timeout fired before a response arrived.
    Timeout(TimeoutError),
    /// A response arrived but could not be understood (malformed body, bad header). The raw
    /// response is kept so nothing is lost.
    Response(ResponseError),
    /// The service answered with an error: a modelled one or [`Unhandled`].
    Service(E),
}

impl<E> SdkError<E> {
    /// The service error, if this is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Converts into the service error, if this is one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// How many attempts the call made before failing: 0 when nothing was sent (a construction
    /// error), otherwise the attempts recorded on the error (retries included).
    pub fn attempts(&self) -> u32
    where
        E: ProvideErrorMetadata,
    {
        match self {
            SdkError::Construction(_) => 0,
            SdkError::Dispatch(e) => e.attempts(),
            SdkError::Timeout(e) => e.attempts,
            SdkError::Response(e) => e.attempts,
            SdkError::Service(e) => e.meta().attempts,
        }
    }

    /// Maps the service error type (used by waiters and generic code).
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Construction(e) => SdkError::Construction(e),
            SdkError::Dispatch(e) => SdkError::Dispatch(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Response(e) => SdkError::Response(e),
            SdkError::Service(e) => SdkError::Service(f(e)),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => write!(f, "failed to construct request: {e}"),
            SdkError::Dispatch(e) => write!(f, "failed to send request: {e}"),
            SdkError::Timeout(e) => write!(f, "{e}"),
            SdkError::Response(e) => write!(f, "{e}"),
            SdkError::Service(e) => write!(f, "service error: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
        }
    }
}

/// A request could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    field: Option<&'static str>,
    reason: String,
}

impl BuildError {
    /// A required member is missing (or empty where emptiness is not allowed).
    pub fn missing_field(field: &'static str, reason: &str) -> BuildError {
        BuildError {
            field: Some(field),
            reason: reason.to_string(),
        }
    }

    /// `value`, or the error that the required member `field` is missing. Generated `build()`
    /// methods call this rather than `ok_or_else` with a closure of their own: one
    /// instantiation per member type instead of one per member.
    pub fn require<T>(value: Option<T>, field: &'static str) -> Result<T, BuildError> {
        match value {
            Some(value) => Ok(value),
            None => Err(BuildError::missing_field(field, "is required")),
        }
    }

    /// The operation uses something this runtime cannot do yet (a protocol other than
    /// restJson1, event streams): the call fails before anything is sent, and `reason` says
    /// what (`"protocol awsQuery is not supported yet"`).
    pub fn unsupported(reason: impl Into<String>) -> BuildError {
        BuildError {
            field: None,
            reason: reason.into(),
        }
    }

    /// Any other construction problem.
    pub fn other(reason: impl Into<String>) -> BuildError {
        BuildError {
            field: None,
            reason: reason.into(),
        }
    }

    /// The member name involved, if any.
    pub fn field(&self) -> Option<&str> {
        self.field
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "`{field}` {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

impl std::error::Error for BuildError {}

/// The request could not be sent, or its response could not be read.
#[derive(Debug)]
pub struct DispatchError {
    source: Box<dyn std::error::Error + Send + Sync>,
    transient: bool,
    connect_timeout: bool,
    attempts: u32,
}

impl DispatchError {
    /// Wraps a transport error; `transient` errors (connection reset, refused) may be retried.
    pub fn new(
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
        transient: bool,
    ) -> Self {
        DispatchError {
            source: source.into(),
            transient,
            connect_timeout: false,
            attempts: 1,
        }
    }

    /// A connection could not be established within the transport's connect timeout
    /// (transient; the pipeline reports it as a `connect` [`TimeoutError`]).
    pub fn connect_timeout(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        DispatchError {
            connect_timeout: true,
            ..DispatchError::new(source, true)
        }
    }

    /// The [`ChecksumMismatch`](crate::checksum::ChecksumMismatch) this error is, when an
    /// in-memory response body's `@httpChecksum` did not match its bytes (never retried).
    pub fn checksum_mismatch(&self) -> Option<&crate::checksum::ChecksumMismatch> {
        crate::checksum::find_mismatch(self.source.as_ref())
    }

    /// Whether a retry may succeed.
    pub fn is_transient(&self) -> bool {
        self.transient
    }

    /// Whether this is a connect timeout.
    pub fn is_connect_timeout(&self) -> bool {
        self.connect_timeout
    }

    /// How many attempts were made, the failing one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Records how many attempts were made (set by the pipeline on the final error).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        let mut source = self.source.source();
        while let Some(inner) = source {
            write!(f, ": {inner}")?;
            source = inner.source();
        }
        write_attempts(f, self.attempts)
    }
}

/// Appends ` (N attempts made)` when the call was retried, so exhausted retries are visible in
/// any error message.
fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " ({attempts} attempts made)")?;
    }
    Ok(())
}

/// A response extension the pipeline sets to the number of attempts made so far, so that the
/// errors parsed from a response (see [`ErrorMetadata::attempts`]) can report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptCount(pub u32);

/// The attempts recorded on a response by the pipeline (1 when none are recorded).
pub fn attempts_of(response: &crate::http::HttpResponse) -> u32 {
    response
        .extensions()
        .get::<AttemptCount>()
        .map_or(1, |count| count.0)
}

impl std::error::Error for DispatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A timeout fired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    /// Which timeout: `connect`, `attempt` or `operation`.
    pub kind: &'static str,
    /// The configured limit.
    pub limit: std::time::Duration,
    /// How many attempts were made, the one cut short included.
    pub attempts: u32,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timeout after {:?}", self.kind, self.limit)?;
        write_attempts(f, self.attempts)
    }
}

impl std::error::Error for TimeoutError {}

/// A response that could not be understood; keeps the whole raw response.
#[derive(Clone, Debug)]
pub struct ResponseError {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The raw body.
    pub body: Bytes,
    /// What was wrong with it.
    pub reason: String,
    /// How many attempts were made, the one that got this response included.
    pub attempts: u32,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to parse HTTP {} response: {}",
            self.status, self.reason
        )?;
        write_attempts(f, self.attempts)
    }
}

impl std::error::Error for ResponseError {}

/// What every service error carries: code, message, status and request id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// Sanitised error code (shape name), e.g. `ResourceNotFoundException`.
    pub code: Option<String>,
    /// Human-readable message from the body.
    pub message: Option<String>,
    /// HTTP status of the response.
    pub status: u16,
    /// Request id (`x-amzn-RequestId`).
    pub request_id: Option<String>,
    /// How many attempts the call made, the one that got this error included (0 when the
    /// error was not produced by the pipeline, e.g. built by hand).
    pub attempts: u32,
}

/// Service errors that carry [`ErrorMetadata`]; lets generic code (e.g.
/// [`SdkError::attempts`]) read it from any operation error.
pub trait ProvideErrorMetadata {
    /// The error's metadata.
    fn meta(&self) -> &ErrorMetadata;
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// A service error whose code matches no modelled error of the operation.
#[derive(Clone, Debug)]
pub struct Unhandled {
    /// Code, message, status and request id.
    pub meta: ErrorMetadata,
    /// The raw response body.
    pub body: Bytes,
}

impl Unhandled {
    /// The error code, if the service sent one.
    pub fn code(&self) -> Option<&str> {
        self.meta.code.as_deref()
    }

    /// The message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.meta.message.as_deref()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.meta.code.as_deref().unwrap_or("unknown error");
        write!(f, "{code} (HTTP {})", self.meta.status)?;
        if let Some(message) = &self.meta.message {
            write!(f, ": {message}")?;
        }
        write_attempts(f, self.meta.attempts)
    }
}

impl std::error::Error for Unhandled {}

/// Writes `Code: message` for a modelled error's `Display`, plus ` (N attempts made)` when
/// `meta` records retries; generated errors can use it instead of [`display_error`].
pub fn display_service_error(
    f: &mut fmt::Formatter<'_>,
    code: &str,
    message: Option<&str>,
    meta: &ErrorMetadata,
) -> fmt::Result {
    display_error(f, code, message)?;
    write_attempts(f, meta.attempts)
}

/// Writes `Code: message` for a modelled error's `Display`.
pub fn display_error(f: &mut fmt::Formatter<'_>, code: &str, message: Option<&str>) -> fmt::Result {
    match message {
        Some(message) => write!(f, "{code}: {message}"),
        None => f.write_str(code),
    }
}
