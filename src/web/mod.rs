//! `labnote serve`: the course in the browser, on the student's own machine.
//!
//! An axum server on a tokio runtime. Pages are rendered from the shared view model
//! ([`crate::view`]) and sanitized (lab files are input); every change goes through the same
//! use case as its CLI command ([`crate::app`]: `done`/`undo`, `memo set`/`unset`,
//! `issue-key`). A poller
//! watches the files' stamps and tells open pages about changes by server-sent events.
//!
//! Security model (see [`security`]): loopback by default; a random token printed once (the
//! URL sets an HttpOnly, SameSite=Strict cookie); a `Host` that is not the bind address or
//! `localhost` is refused (DNS rebinding); changes only by POST with a CSRF token; a strict
//! Content-Security-Policy without inline script; secrets leave the server only on a reveal
//! or copy request (`Cache-Control: no-store`); request bodies capped; files confined.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

mod actions;
mod assets;
mod class;
mod error;
mod front;
mod html;
mod lang;
mod pages;
mod routes;
mod run;
pub mod security;
mod state;

pub use state::App;

/// The port Cloud9's preview opens; the next free one is taken when it is busy.
const DEFAULT_PORT: u16 = 8080;

/// How many ports after the default are tried.
const PORT_TRIES: u16 = 20;

/// What `labnote serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub course_dir: PathBuf,
    /// `None`: [`DEFAULT_PORT`] or the next free one; `Some(0)`: any free port.
    pub port: Option<u16>,
    pub bind: IpAddr,
    /// Further `Host` names to accept (a proxy such as Cloud9's preview).
    pub allow_hosts: Vec<String>,
    pub open: bool,
    /// Let a page run a block although the server listens on a non-loopback address.
    pub allow_run: bool,
    /// `--class URL`: the class grid at `/class` (see [`class`]).
    pub class_url: Option<String>,
}

/// How long a request's headers may take to arrive, and the wait for each part of its body:
/// a client that stalls is cut off rather than holding a connection.
pub fn read_timeout() -> std::time::Duration {
    #[cfg(feature = "test-hooks")]
    if let Some(ms) = std::env::var("LABNOTE_TEST_READ_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        return std::time::Duration::from_millis(ms);
    }
    std::time::Duration::from_secs(10)
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{}", crate::t!("serve-runtime", reason = .0.to_string()))]
    Runtime(std::io::Error),
    #[error("{}", crate::t!("serve-bind", addr = addr.to_string(), reason = source.to_string()))]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{}", crate::t!("serve-no-free-port", ip = ip.to_string(), from = from.to_string(), to = to.to_string()))]
    NoFreePort { ip: IpAddr, from: u16, to: u16 },
    #[error("{}", crate::t!("serve-random", reason = .0.as_str()))]
    Random(String),
    #[error("{0}")]
    Course(String),
    #[error("{}", crate::t!("serve-server", reason = .0.to_string()))]
    Server(std::io::Error),
}

/// Run the server until Ctrl-C. `announce` receives the URL with its token once listening.
pub fn serve(opts: ServeOptions, announce: &dyn Fn(&str, bool)) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    if let Some(url) = &opts.class_url {
        crate::app::class::check_url(url).map_err(|e| ServeError::Course(e.to_string()))?;
    }
    let result = rt.block_on(async move {
        let listener = bind(opts.bind, opts.port).await?;
        let addr = listener.local_addr().map_err(ServeError::Server)?;
        let app = Arc::new(App::new(&opts, addr)?);
        // Listen for Ctrl-C before the URL is printed: a SIGINT right after it must stop the
        // server cleanly, not kill it.
        let mut interrupt =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .map_err(ServeError::Server)?;
        // An unspecified bind (0.0.0.0) is reached on the loopback address too.
        let shown = match addr.ip() {
            ip if ip.is_unspecified() => SocketAddr::new(IpAddr::from([127, 0, 0, 1]), addr.port()),
            _ => addr,
        };
        let url = format!(
            "http://{}/?token={}",
            security::url_host(shown),
            app.security.token()
        );
        announce(&url, !opts.bind.is_loopback());
        if opts.open {
            open_browser(&opts.course_dir, &url);
        }
        tokio::spawn(state::watch(app.clone()));
        let router = match opts.class_url.clone() {
            Some(url) => routes::router(app.clone()).merge(class::router(app, url)),
            None => routes::router(app),
        };
        // Ctrl-C ends the server at once: open event streams never finish by themselves.
        tokio::select! {
            r = accept(listener, router) => r,
            _ = interrupt.recv() => Ok(()),
        }
    });
    crate::app::run::end_session();
    rt.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}

/// Serve each connection with HTTP/1 and a read timeout on its headers ([`read_timeout`]);
/// the router's layer times its bodies.
async fn accept(listener: tokio::net::TcpListener, router: axum::Router) -> Result<(), ServeError> {
    let headers = read_timeout();
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            // Out of descriptors and the like: wait a moment and go on serving.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(headers)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn bind(ip: IpAddr, port: Option<u16>) -> Result<tokio::net::TcpListener, ServeError> {
    let try_bind = |p: u16| async move {
        let addr = SocketAddr::new(ip, p);
        tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })
    };
    match port {
        Some(p) => try_bind(p).await,
        None => {
            for p in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
                match try_bind(p).await {
                    Ok(l) => return Ok(l),
                    Err(ServeError::Bind { source, .. })
                        if source.kind() == std::io::ErrorKind::AddrInUse => {}
                    Err(e) => return Err(e),
                }
            }
            Err(ServeError::NoFreePort {
                ip,
                from: DEFAULT_PORT,
                to: DEFAULT_PORT + PORT_TRIES - 1,
            })
        }
    }
}

/// Open the page in the default browser. The token must not appear in a child's argv
/// (other users can read it), so the browser is given a private file (mode 0600) that
/// forwards to the URL, removed a few seconds later.
fn open_browser(course_dir: &std::path::Path, url: &str) {
    let page = format!(
        "<!DOCTYPE html><meta charset=utf-8><meta http-equiv=refresh content=\"0; url={}\">",
        url.replace('"', "")
    );
    let file =
        match crate::app::watch::write_private_state_file(course_dir, "open.html", page.as_bytes())
        {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{}", crate::t!("serve-no-browser", reason = e.to_string()));
                return;
            }
        };
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(opener).arg(&file).spawn() {
        Ok(_) => {
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_secs(10));
                let _ = std::fs::remove_file(file);
            });
        }
        Err(e) => eprintln!(
            "{}",
            crate::t!("serve-no-opener", opener = opener, reason = e.to_string())
        ),
    }
}
