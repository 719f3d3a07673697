//! S3 Express One Zone session auth (`sigv4-s3express`), as the AWS SDKs do it.
//!
//! When the endpoint rules pick the `sigv4-s3express` scheme (a directory bucket,
//! `name--azid--x-s3`), a request is not signed with the configured credentials but with a
//! short-lived session for that bucket: the pipeline first calls S3's `CreateSession`
//! (`GET /?session` on the bucket's endpoint, signed with the configured credentials under the
//! signing name `s3express`, and with `DisableS3ExpressSessionAuth` set so the rules answer plain
//! `sigv4`), then signs the request with the session's keys and sends its token in
//! `x-amz-s3session-token` (signed, and in place of `x-amz-security-token`).
//!
//! Sessions are cached per bucket and base access key, and reused until a minute before they
//! expire (S3 issues them for five minutes). Concurrent first requests to a bucket share one
//! `CreateSession`: the cache is locked while a session is made, which is rare enough (once per
//! bucket every few minutes) that serialising it costs nothing noticeable.
//!
//! The `CreateSession` request is built here, from the same [`RequestParts`] the generated
//! `create_session` operation builds, and sent through the same pipeline
//! ([`send_operation`](crate::client::send_operation)): retries, timeouts and signing are the
//! ordinary ones. Only the default session mode (`ReadWrite`) is asked for.

use crate::client::{Config, Operation, Service};
use crate::credentials::Credentials;
use crate::endpoint::Value as EndpointValue;
use crate::error::BuildError;
use crate::http::RequestParts;
use crate::xml::XmlElement;
use crate::DateTime;
use std::collections::HashMap;
use std::sync::Arc;

/// The header a session token travels in.
pub const SESSION_TOKEN_HEADER: &str = "x-amz-s3session-token";

/// How long before its expiry a cached session is replaced.
const REFRESH_MARGIN_SECS: i64 = 60;

/// The `CreateSession` operation, as the pipeline sees it.
const CREATE_SESSION: Operation = Operation {
    name: "CreateSession",
    retryable_errors: &[],
};

/// The cache key: the directory bucket and the access key the session was made with.
type SessionKey = (String, String);

/// Sessions by bucket and base identity, shared by the clones of a [`Config`].
#[derive(Clone, Default)]
pub struct SessionCache {
    sessions: Arc<tokio::sync::Mutex<HashMap<SessionKey, Credentials>>>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionCache")
    }
}

impl SessionCache {
    /// The session credentials for `bucket` (made with `base`), from the cache or a new
    /// `CreateSession`.
    pub(crate) async fn session(
        &self,
        config: &Config,
        service: &Service,
        bucket: &str,
        base: &Credentials,
    ) -> Result<Credentials, BuildError> {
        let key = (bucket.to_owned(), base.access_key_id().to_owned());
        let mut sessions = self.sessions.lock().await;
        let now = DateTime::now();
        let margin = DateTime::from_secs(now.secs() + REFRESH_MARGIN_SECS);
        if let Some(session) = sessions.get(&key).filter(|s| !s.is_expired_at(margin)) {
            return Ok(session.clone());
        }
        let session = create_session(config, service, bucket).await?;
        sessions.insert(key, session.clone());
        Ok(session)
    }
}

/// The bucket of an operation's endpoint parameters (S3 operations set `Bucket` from their
/// input's `@contextParam` member).
pub(crate) fn bucket<'a>(params: &'a [(&'static str, EndpointValue)]) -> Option<&'a str> {
    params.iter().find_map(|(name, value)| match value {
        EndpointValue::String(bucket) if *name == "Bucket" => Some(bucket.as_str()),
        _ => None,
    })
}

/// Calls `CreateSession` for `bucket` through the pipeline and reads the session's credentials.
async fn create_session(
    config: &Config,
    service: &Service,
    bucket: &str,
) -> Result<Credentials, BuildError> {
    let mut parts = RequestParts::new("GET");
    parts.push_path("/");
    parts.push_query_key("session");
    parts.set_endpoint_param("DisableS3ExpressSessionAuth", true);
    parts.set_endpoint_param("Bucket", bucket);
    // Boxed: this runs inside the pipeline's own preparation of the request that needs it.
    let sent = Box::pin(crate::client::send_operation(
        config,
        service,
        &CREATE_SESSION,
        Ok(parts),
    ))
    .await;
    let failed = |reason: String| {
        BuildError::other(format!(
            "S3 Express: CreateSession for bucket {bucket} failed: {reason}"
        ))
    };
    let response = sent.map_err(|e| failed(e.to_string()))?;
    let body = response.body();
    if !response.status().is_success() || crate::rest_xml::is_error_document(body) {
        let (mut error, _) = crate::rest_xml::error_element(body);
        let code = error.take_child("Code").map(|c| c.text).unwrap_or_default();
        let message = error
            .take_child("Message")
            .map(|c| c.text)
            .unwrap_or_default();
        return Err(failed(format!(
            "HTTP {} {code}: {message}",
            response.status().as_u16()
        )));
    }
    parse_session(body).map_err(failed)
}

/// The `Credentials` of a `CreateSessionResult` document.
fn parse_session(body: &[u8]) -> Result<Credentials, String> {
    let root = crate::xml::parse_document(body)
        .map_err(|e| e.to_string())?
        .ok_or("an empty response")?;
    if !root.is("CreateSessionResult") {
        return Err(format!(
            "expected <CreateSessionResult>, got <{}>",
            root.local_name()
        ));
    }
    let mut root = root;
    let mut credentials = root
        .take_child("Credentials")
        .ok_or("no <Credentials> in the response")?;
    let mut text = |name: &str| -> Result<String, String> {
        credentials
            .take_child(name)
            .map(|element: XmlElement| element.text)
            .filter(|text| !text.is_empty())
            .ok_or(format!("no <{name}> in <Credentials>"))
    };
    let access_key_id = text("AccessKeyId")?;
    let secret_access_key = text("SecretAccessKey")?;
    let session_token = text("SessionToken")?;
    let expiration = text("Expiration")?;
    let expiry = crate::timestamp::parse(&expiration, crate::timestamp::Format::DateTime)
        .map_err(|e| format!("<Expiration> {expiration:?}: {e}"))?;
    Ok(Credentials::new(
        access_key_id,
        secret_access_key,
        Some(session_token),
        Some(expiry),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Credentials>
    <SessionToken>TYPE-SESSION-TOKEN</SessionToken>
    <SecretAccessKey>session/secret</SecretAccessKey>
    <AccessKeyId>ASIASESSION</AccessKeyId>
    <Expiration>2026-12-01T18:05:00Z</Expiration>
  </Credentials>
</CreateSessionResult>"#;

    #[test]
    fn a_session_document_gives_its_credentials() {
        let session = parse_session(SESSION.as_bytes()).expect("a session");
        assert_eq!(session.access_key_id(), "ASIASESSION");
        assert_eq!(session.secret_access_key(), "session/secret");
        assert_eq!(session.session_token(), Some("TYPE-SESSION-TOKEN"));
        let expiry = session.expiry().expect("an expiry");
        assert_eq!(expiry, DateTime::from_secs(1_796_148_300));
    }

    #[test]
    fn a_session_document_without_a_member_is_an_error_naming_it() {
        let without = SESSION.replace("<SessionToken>TYPE-SESSION-TOKEN</SessionToken>", "");
        let error = parse_session(without.as_bytes()).expect_err("no token");
        assert_eq!(error, "no <SessionToken> in <Credentials>");
        let error = parse_session(b"<Other/>").expect_err("not a session");
        assert_eq!(error, "expected <CreateSessionResult>, got <Other>");
    }

    #[test]
    fn the_bucket_comes_from_the_endpoint_parameters() {
        let params = [
            ("ForcePathStyle", EndpointValue::Bool(true)),
            ("Bucket", EndpointValue::String("b--usw2-az1--x-s3".into())),
        ];
        assert_eq!(bucket(&params), Some("b--usw2-az1--x-s3"));
        assert_eq!(bucket(&params[..1]), None);
    }
}
