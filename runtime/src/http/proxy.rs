//! HTTP proxies of the default transport: which proxy (if any) a request goes through.
//!
//! * `https://` endpoints go through the HTTPS proxy with a `CONNECT host:port` tunnel, and TLS
//!   with the endpoint runs inside it (the proxy sees only the host name and port);
//! * `http://` endpoints go through the HTTP proxy as plain forwarded requests (absolute-form
//!   request targets, `GET http://host/path HTTP/1.1`);
//! * hosts matching `NO_PROXY` are reached directly.
//!
//! A proxy URL is `http://[user:password@]host[:port]` (the port defaults to 80; a URL without
//! a scheme is taken as `http://`). Credentials in it are sent as
//! `Proxy-Authorization: Basic ...` on the `CONNECT` request or on each forwarded request;
//! percent-encoded characters in them are decoded first. TLS to the proxy itself (`https://`
//! proxy URLs) and SOCKS proxies are not supported and are refused when configured.

use super::no_proxy::NoProxy;
use crate::credentials::Env;
use crate::error::BuildError;
use base64::Engine as _;
use http::{HeaderValue, Uri};
use std::fmt;

/// Which proxies the default transport ([`HyperClient`](super::HyperClient)) uses.
///
/// ```
/// use smithy_runtime::http::ProxyConfig;
///
/// let proxies = ProxyConfig::all("http://user:secret@proxy.internal:3128")?
///     .with_no_proxy("localhost, 127.0.0.1, .internal");
/// assert!(proxies.is_enabled());
/// # Ok::<(), smithy_runtime::BuildError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<Proxy>,
    https: Option<Proxy>,
    no_proxy: NoProxy,
}

/// One proxy: where it is and the `Proxy-Authorization` it wants.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    /// `http://host:port/`.
    uri: Uri,
    authorization: Option<HeaderValue>,
}

impl ProxyConfig {
    /// No proxies: every request goes directly to its endpoint.
    pub fn disabled() -> Self {
        ProxyConfig::default()
    }

    /// `proxy_url` for both `http://` and `https://` endpoints.
    pub fn all(proxy_url: &str) -> Result<Self, BuildError> {
        ProxyConfig::disabled()
            .with_http_proxy(proxy_url)?
            .with_https_proxy(proxy_url)
    }

    /// Sends requests to `http://` endpoints through `proxy_url`.
    pub fn with_http_proxy(mut self, proxy_url: &str) -> Result<Self, BuildError> {
        self.http = Some(Proxy::parse(proxy_url, "the HTTP proxy URL")?);
        Ok(self)
    }

    /// Tunnels requests to `https://` endpoints through `proxy_url`.
    pub fn with_https_proxy(mut self, proxy_url: &str) -> Result<Self, BuildError> {
        self.https = Some(Proxy::parse(proxy_url, "the HTTPS proxy URL")?);
        Ok(self)
    }

    /// Hosts reached directly, in `NO_PROXY` syntax: comma-separated names (matching their
    /// subdomains too), IP addresses or CIDR networks, `*` for all, each with an optional
    /// `:port`.
    pub fn with_no_proxy(mut self, list: &str) -> Self {
        self.no_proxy = NoProxy::parse(list);
        self
    }

    /// The proxies of the environment: `HTTPS_PROXY` for `https://` endpoints, `HTTP_PROXY` for
    /// `http://` ones, `NO_PROXY` for the exceptions. The lower-case forms (`https_proxy`, ...)
    /// are read too and win when both are set, as in curl. When `REQUEST_METHOD` is set (the
    /// program runs as a CGI script, where a request's `Proxy:` header arrives as
    /// `HTTP_PROXY`), upper-case `HTTP_PROXY` is ignored. `ALL_PROXY` is not read.
    ///
    /// An unusable proxy URL is an error (its text is not quoted: it may hold a password).
    pub fn from_env(env: &Env) -> Result<Self, BuildError> {
        let cgi = env.get("REQUEST_METHOD").is_some();
        let https = env.get("https_proxy").or_else(|| env.get("HTTPS_PROXY"));
        let http = env
            .get("http_proxy")
            .or_else(|| env.get("HTTP_PROXY").filter(|_| !cgi));
        let no_proxy = env.get("no_proxy").or_else(|| env.get("NO_PROXY"));
        let mut config = ProxyConfig::disabled();
        if let Some(url) = https {
            config.https = Some(Proxy::parse(&url, "HTTPS_PROXY")?);
        }
        if let Some(url) = http {
            config.http = Some(Proxy::parse(&url, "HTTP_PROXY")?);
        }
        Ok(config.with_no_proxy(no_proxy.as_deref().unwrap_or_default()))
    }

    /// Whether any request may go through a proxy.
    pub fn is_enabled(&self) -> bool {
        self.http.is_some() || self.https.is_some()
    }

    /// The proxy for `https://` endpoints.
    pub(crate) fn https_proxy(&self) -> Option<&Proxy> {
        self.https.as_ref()
    }

    /// The proxy a request to `uri` goes through, if any.
    pub(crate) fn intercept(&self, uri: &Uri) -> Option<&Proxy> {
        let https = uri.scheme_str() == Some("https");
        let proxy = if https { &self.https } else { &self.http };
        let proxy = proxy.as_ref()?;
        let host = uri.host()?;
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        (!self.no_proxy.matches(host, port)).then_some(proxy)
    }
}

impl Proxy {
    /// Parses a proxy URL; `what` names it in errors, which never quote the URL.
    fn parse(url: &str, what: &str) -> Result<Proxy, BuildError> {
        let bad = |why: &str| BuildError::other(format!("{what} cannot be used: {why}"));
        let url = url.trim();
        let url = if url.contains("://") {
            url.to_owned()
        } else {
            format!("http://{url}")
        };
        let uri: Uri = url.parse().map_err(|_| bad("it is not a valid URL"))?;
        match uri.scheme_str() {
            Some(scheme) if scheme.eq_ignore_ascii_case("http") => {}
            Some(scheme) if scheme.eq_ignore_ascii_case("https") => {
                return Err(bad(
                    "TLS to the proxy (an https:// proxy URL) is not supported; use http://",
                ))
            }
            _ => return Err(bad("only http:// proxies are supported")),
        }
        let authority = uri.authority().ok_or_else(|| bad("it has no host"))?;
        let (userinfo, host_port) = match authority.as_str().rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority.as_str()),
        };
        let host_port: http::uri::Authority = host_port
            .parse()
            .map_err(|_| bad("its host is not valid"))?;
        if host_port.host().is_empty() {
            return Err(bad("it has no host"));
        }
        let port = host_port.port_u16().unwrap_or(80);
        let uri = Uri::builder()
            .scheme("http")
            .authority(format!("{}:{port}", host_port.host()))
            .path_and_query("/")
            .build()
            .map_err(|_| bad("its host is not valid"))?;
        Ok(Proxy {
            uri,
            authorization: userinfo.map(basic_authorization),
        })
    }

    /// `http://host:port/`.
    pub(crate) fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The `Proxy-Authorization` value, when the URL had credentials.
    pub(crate) fn authorization(&self) -> Option<&HeaderValue> {
        self.authorization.as_ref()
    }
}

/// `Basic base64(user:password)` from a URL's percent-encoded `user[:password]`, marked
/// sensitive so it is never logged.
fn basic_authorization(userinfo: &str) -> HeaderValue {
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let credentials = format!("{}:{}", decode(user), decode(password));
    let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
    let mut value =
        HeaderValue::from_str(&format!("Basic {encoded}")).expect("base64 is a valid header value");
    value.set_sensitive(true);
    value
}

impl fmt::Debug for Proxy {
    // The authorization holds the proxy password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("uri", &self.uri)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    #[test]
    fn proxy_urls_and_credentials() {
        let proxy = Proxy::parse("http://us%65r:p%40ss:w@proxy.test:3128/ignored", "x").unwrap();
        assert_eq!(proxy.uri(), &uri("http://proxy.test:3128/"));
        // base64("user:p@ss:w")
        assert_eq!(proxy.authorization().unwrap(), "Basic dXNlcjpwQHNzOnc=");
        assert!(proxy.authorization().unwrap().is_sensitive());
        let bare = Proxy::parse("proxy.test", "x").unwrap();
        assert_eq!(bare.uri(), &uri("http://proxy.test:80/"));
        assert!(bare.authorization().is_none());
        let user_only = Proxy::parse("http://alice@[::1]:8080", "x").unwrap();
        assert_eq!(user_only.uri(), &uri("http://[::1]:8080/"));
        assert_eq!(user_only.authorization().unwrap(), "Basic YWxpY2U6");
    }

    #[test]
    fn unusable_proxies_are_refused_without_quoting_them() {
        for url in [
            "https://u:SECRET@proxy:443",
            "socks5://u:SECRET@proxy",
            "http://u:SECRET@",
            "http://[::1",
        ] {
            let error = Proxy::parse(url, "HTTPS_PROXY").expect_err(url).to_string();
            assert!(error.starts_with("HTTPS_PROXY cannot be used"), "{error}");
            assert!(!error.contains("SECRET"), "{error}");
        }
        let debug = format!("{:?}", Proxy::parse("http://u:SECRET@p:1", "x").unwrap());
        assert!(
            !debug.contains("SECRET") && !debug.contains("dTpTRUNSRVQ"),
            "{debug}"
        );
    }

    #[test]
    fn the_environment_picks_a_proxy_per_scheme_with_exceptions() {
        let env = Env::from_vars([
            ("HTTPS_PROXY", "http://secure-proxy:3128"),
            ("http_proxy", "http://plain-proxy:8080"),
            ("HTTP_PROXY", "http://ignored-upper:1"),
            ("NO_PROXY", "internal.test, 127.0.0.1:9000"),
        ]);
        let config = ProxyConfig::from_env(&env).unwrap();
        let via = |target: &str| config.intercept(&uri(target)).map(|p| p.uri().to_string());
        assert_eq!(
            via("https://s3.amazonaws.com/").as_deref(),
            Some("http://secure-proxy:3128/")
        );
        assert_eq!(
            via("http://s3.amazonaws.com/").as_deref(),
            Some("http://plain-proxy:8080/")
        );
        assert_eq!(via("https://db.internal.test/"), None);
        assert_eq!(via("http://127.0.0.1:9000/"), None);
        assert_eq!(
            via("http://127.0.0.1:9001/").as_deref(),
            Some("http://plain-proxy:8080/")
        );
        assert!(!ProxyConfig::from_env(&Env::from_vars([("NO_PROXY", "*")]))
            .unwrap()
            .is_enabled());
    }

    #[test]
    fn cgi_programs_ignore_upper_case_http_proxy() {
        let env = Env::from_vars([
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker:1"),
            ("HTTPS_PROXY", "http://proxy:2"),
        ]);
        let config = ProxyConfig::from_env(&env).unwrap();
        assert!(config.intercept(&uri("http://example.com/")).is_none());
        assert!(config.intercept(&uri("https://example.com/")).is_some());
    }

    #[test]
    fn a_bad_environment_proxy_is_an_error() {
        let env = Env::from_vars([("HTTPS_PROXY", "https://proxy:443")]);
        let error = ProxyConfig::from_env(&env).unwrap_err().to_string();
        assert!(error.contains("HTTPS_PROXY"), "{error}");
    }
}
