//! Who may talk to the server, and the headers every answer carries.
//!
//! * **Token.** A fresh random token per run, printed once in the URL. A request carries it
//!   in the `labnote_token` cookie (HttpOnly, SameSite=Strict, set when the URL's `?token=`
//!   is opened; the page is then reloaded without the token in its URL).
//! * **Host.** The `Host` header must name the bind address, `localhost` or a name given
//!   with `--allow-host`, with the port: a DNS-rebinding page on another name is refused.
//! * **CSRF.** A change is a POST with a JSON body and the `X-CSRF-Token` header holding a
//!   second token that only the server's own pages carry; an `Origin` other than ours is
//!   refused.
//! * **Request shape.** One `Host` header, and an absolute-form URI (`GET http://…/`) only
//!   when it names the same host: anything else is 400. A POST a browser marks
//!   `Sec-Fetch-Site: cross-site` is refused, whatever token it carries.
//! * **Running a block** (the most powerful request): besides the above, an `Origin` that is
//!   the server itself or an `--allow-host` name must be present ([`Security::run_origin_ok`]).
//! * **Headers.** A strict Content-Security-Policy (scripts and styles only from the
//!   server's own static files, no inline script), `no-store`, `nosniff`, no framing, no
//!   referrer.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;

/// The cookie holding the token.
const COOKIE: &str = "labnote_token";
/// The header holding the CSRF token on a POST.
const CSRF_HEADER: &str = "x-csrf-token";

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The server's secrets and the names it answers to.
pub struct Security {
    token: String,
    csrf: String,
    /// `host:port` values a request's `Host` may have (lower case).
    hosts: Vec<String>,
}

/// `127.0.0.1:8080`, `[::1]:8080`.
pub fn url_host(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format!("{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}

fn random_hex(n: usize) -> Result<String, String> {
    let mut buf = vec![0u8; n];
    getrandom::getrandom(&mut buf).map_err(|e| e.to_string())?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Equal in constant time (for equal lengths).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Security {
    pub fn new(addr: SocketAddr, allow: &[String]) -> Result<Security, String> {
        let port = addr.port();
        let mut hosts = vec![
            url_host(addr),
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        for h in allow {
            let h = h.trim().to_ascii_lowercase();
            hosts.push(h.clone());
            if !h.contains(':') {
                hosts.push(format!("{h}:{port}"));
            }
        }
        Ok(Security {
            token: random_hex(24)?,
            csrf: random_hex(24)?,
            hosts,
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    fn host_ok(&self, headers: &HeaderMap) -> bool {
        let Some(h) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let h = h.to_ascii_lowercase();
        self.hosts.contains(&h)
    }

    fn origin_ok(&self, headers: &HeaderMap) -> bool {
        match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(o) => {
                let o = o.to_ascii_lowercase();
                let host = o
                    .strip_prefix("http://")
                    .or_else(|| o.strip_prefix("https://"));
                host.is_some_and(|h| self.hosts.iter().any(|a| a == h))
            }
        }
    }

    /// A POST that runs a command must come from a page of ours: an `Origin` header naming
    /// the server or an `--allow-host` name (a missing one is refused too).
    pub fn run_origin_ok(&self, headers: &HeaderMap) -> bool {
        headers.get(header::ORIGIN).is_some() && self.origin_ok(headers)
    }

    /// One `Host` header, and an absolute-form URI only when it names that host.
    fn shape_ok(&self, req: &Request) -> bool {
        if req.headers().get_all(header::HOST).iter().count() != 1 {
            return false;
        }
        match req.uri().authority() {
            None => true,
            Some(a) => {
                let a = a.as_str().to_ascii_lowercase();
                let host = req
                    .headers()
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok());
                host.is_some_and(|h| h.eq_ignore_ascii_case(&a)) && self.hosts.contains(&a)
            }
        }
    }

    fn cookie_ok(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .any(|(k, v)| k == COOKIE && same(v, &self.token))
    }

    fn query_token<'a>(&self, query: &'a str) -> Option<&'a str> {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "token")
            .map(|(_, v)| v)
    }
}

fn refuse(code: StatusCode, why: &str) -> Response {
    let mut r = (code, format!("labnote serve: {why}\n")).into_response();
    add_headers(r.headers_mut());
    r
}

/// Every request passes here first.
pub async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let sec = &app.security;
    if !sec.shape_ok(&req) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "a request has one Host header, and an absolute URI names that host",
        );
    }
    if !sec.host_ok(req.headers()) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this Host is not the address labnote serves on (start it with --allow-host NAME for a proxy)",
        );
    }
    if let Some(t) = req.uri().query().and_then(|q| sec.query_token(q)) {
        if !same(t, &sec.token) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "wrong token; open the URL that `labnote serve` printed",
            );
        }
        if req.method() == Method::GET {
            return with_cookie(req.uri().path(), &sec.token);
        }
    } else if !sec.cookie_ok(req.headers()) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "no token; open the URL that `labnote serve` printed (it ends in ?token=…)",
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if let Err((code, why)) = check_post(sec, req.headers()) {
            return refuse(code, why);
        }
    }
    let mut resp = next.run(req).await;
    add_headers(resp.headers_mut());
    resp
}

/// Why a POST is refused: its status and message.
fn check_post(sec: &Security, h: &HeaderMap) -> Result<(), (StatusCode, &'static str)> {
    // The browser says the request comes from another site: no token makes that a change
    // the student asked for.
    let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s.eq_ignore_ascii_case("cross-site")) {
        return Err((
            StatusCode::FORBIDDEN,
            "request from another site (Sec-Fetch-Site: cross-site)",
        ));
    }
    let csrf = h.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if !csrf.is_some_and(|c| same(c, &sec.csrf)) {
        return Err((
            StatusCode::FORBIDDEN,
            "missing or wrong CSRF token (changes are made from labnote's own pages)",
        ));
    }
    if !sec.origin_ok(h) {
        return Err((StatusCode::FORBIDDEN, "request from another origin"));
    }
    let json = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a change is sent as application/json",
        ));
    }
    Ok(())
}

/// Set the cookie and load the same page without the token in its URL.
fn with_cookie(path: &str, token: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    let h = r.headers_mut();
    let loc = if path.starts_with('/') && !path.starts_with("//") {
        path
    } else {
        "/"
    };
    if let Ok(v) = HeaderValue::from_str(loc) {
        h.insert(header::LOCATION, v);
    }
    let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        h.insert(header::SET_COOKIE, v);
    }
    add_headers(h);
    r
}

fn add_headers(h: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::CACHE_CONTROL, "no-store");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
}
