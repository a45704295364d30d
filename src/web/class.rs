//! `labnote serve --class URL`: the instructor's live grid of the class at `/class`.
//!
//! The server fetches the class (`app::class::status`, the same use case as `labnote class
//! status`) at start and every [`REFETCH`]; when the grid changed it tells open pages by a
//! server-sent `change` event (as the course page's `/events`), and the page's script
//! (`/class/class.js`, no inline script) fetches `/class/grid` again. The routes sit behind
//! the same guard as the course page: token, Host, CSP.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /class` | the grid page |
//! | `GET /class/grid` | the grid alone (HTML) |
//! | `GET /class/events` | server-sent events: `change` with the grid's version |
//! | `GET /class/class.js`, `/class/class.css` | the page's script and style |

use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Router};
use maud::{html, Markup, DOCTYPE};

use super::{security, App};
use crate::app::class::{self as class_app, ClassRow, ClassView};
use crate::t;

/// How often the class repository is fetched again.
const REFETCH: Duration = Duration::from_secs(20);

const CLASS_JS: &str = include_str!("static/class.js");
const CLASS_CSS: &str = include_str!("static/class.css");

/// The grid as last fetched.
#[derive(Default)]
struct Grid {
    view: Option<ClassView>,
    /// Why the last fetch failed (the grid before it stays shown).
    error: Option<String>,
    /// When it was last fetched (local time).
    fetched: Option<String>,
}

pub struct ClassPage {
    url: String,
    stuck_after: i64,
    grid: RwLock<Arc<Grid>>,
    version: tokio::sync::watch::Sender<u64>,
}

fn refetch_every() -> Duration {
    #[cfg(feature = "test-hooks")]
    if let Some(ms) = std::env::var("LABNOTE_TEST_CLASS_REFETCH_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    REFETCH
}

/// The routes of the grid for the class at `url`, behind the course page's guard; starts
/// the fetching task (call inside the server's runtime).
pub fn router(app: Arc<App>, url: String) -> Router {
    let (version, _) = tokio::sync::watch::channel(0);
    let page = Arc::new(ClassPage {
        url,
        stuck_after: class_app::STUCK_AFTER,
        grid: RwLock::new(Arc::new(Grid::default())),
        version,
    });
    tokio::spawn(refetch(page.clone()));
    Router::new()
        .route("/class", get(class_page))
        .route("/class/grid", get(grid))
        .route("/class/events", get(events))
        .route("/class/class.js", get(js))
        .route("/class/class.css", get(css))
        .with_state(page)
        .layer(middleware::from_fn_with_state(app, security::guard))
}

async fn refetch(page: Arc<ClassPage>) {
    loop {
        let (url, stuck) = (page.url.clone(), page.stuck_after);
        let got = tokio::task::spawn_blocking(move || class_app::status(&url, stuck)).await;
        let now = crate::app::timefmt::short(jiff::Timestamp::now());
        let old = page.current();
        let new = match got {
            Ok(Ok(view)) => Grid {
                view: Some(view),
                error: None,
                fetched: Some(now),
            },
            Ok(Err(e)) => Grid {
                view: old.view.clone(),
                error: Some(e.to_string()),
                fetched: old.fetched.clone(),
            },
            Err(_) => Grid {
                view: old.view.clone(),
                error: Some("the fetch stopped".into()),
                fetched: old.fetched.clone(),
            },
        };
        let changed = new.view.as_ref().map(|v| &v.rows) != old.view.as_ref().map(|v| &v.rows)
            || new.error != old.error
            || old.fetched.is_none();
        *page.grid.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(new);
        if changed {
            page.version.send_modify(|v| *v += 1);
        }
        tokio::time::sleep(refetch_every()).await;
    }
}

impl ClassPage {
    fn current(&self) -> Arc<Grid> {
        self.grid.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

type PageState = State<Arc<ClassPage>>;

async fn class_page(State(page): PageState) -> Response {
    let g = page.current();
    let body = html! {
        (DOCTYPE)
        html lang="ko" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (t!("class-web-title")) " · labnote" }
                link rel="stylesheet" href="/class/class.css";
                script src="/class/class.js" defer {}
            }
            body {
                header {
                    h1 { (t!("class-web-title")) }
                    p.url { code { (page.url) } }
                }
                div #grid { (grid_markup(&g)) }
            }
        }
    };
    Html(body.into_string()).into_response()
}

async fn grid(State(page): PageState) -> Response {
    Html(grid_markup(&page.current()).into_string()).into_response()
}

async fn events(
    State(page): PageState,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = page.version.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        let v = *rx.borrow_and_update();
        Some((Ok(Event::default().event("change").data(v.to_string())), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn asset(ctype: &'static str, body: &'static str) -> Response {
    let mut r = ([(header::CONTENT_TYPE, ctype)], body).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn js() -> Response {
    asset("text/javascript; charset=utf-8", CLASS_JS)
}

async fn css() -> Response {
    asset("text/css; charset=utf-8", CLASS_CSS)
}

fn grid_markup(g: &Grid) -> Markup {
    html! {
        @if let Some(e) = &g.error {
            p.error role="alert" { (e) }
        }
        @match &g.view {
            None if g.error.is_none() => p.waiting { (t!("class-web-fetching")) },
            None => {},
            Some(v) if v.rows.is_empty() => p.empty { (t!("class-no-students")) },
            Some(v) => (table(v)),
        }
        @if let Some(f) = &g.fetched {
            p.fetched { (t!("class-web-fetched", time = f.as_str())) }
        }
    }
}

fn table(v: &ClassView) -> Markup {
    html! {
        table.class {
            thead {
                tr {
                    th.student { (t!("class-col-student")) }
                    @for (id, title) in &v.labs {
                        th.lab title=(title) { (id) }
                    }
                    th.total { (t!("class-col-done")) }
                    th.current { (t!("class-col-current")) }
                    th.idle { (t!("class-col-idle")) }
                    th.marks { (t!("class-col-marks")) }
                }
            }
            tbody {
                @for r in &v.rows {
                    (row(v, r))
                }
            }
        }
    }
}

fn row(v: &ClassView, r: &ClassRow) -> Markup {
    let class = match (r.valid, r.stuck, r.failing) {
        (false, _, _) => "invalid",
        (_, _, true) => "failing",
        (_, true, _) => "stuck",
        _ => "ok",
    };
    let (done, total) = r
        .labs
        .values()
        .fold((0, 0), |(d, t), c| (d + c.done, t + c.total));
    html! {
        tr class=(class) data-student=(r.student) {
            th.student scope="row" { (r.student) }
            @if !r.valid {
                td.problem colspan=(v.labs.len() + 4) {
                    (t!("class-invalid", reason = r.problem.clone().unwrap_or_default()))
                }
            } @else {
                @for (id, _) in &v.labs {
                    @match r.labs.get(id) {
                        Some(c) => {
                            @let state = if c.total > 0 && c.done >= c.total { "full" } else if c.done > 0 { "part" } else { "none" };
                            td class={"cell " (state)} data-lab=(id) {
                                span.count { (c.done) "/" (c.total) }
                            }
                        }
                        None => td.cell.absent data-lab=(id) { "—" },
                    }
                }
                td.total { (done) "/" (total) }
                td.current {
                    @if let Some(c) = &r.current { (c.lab) " · " (c.step) } @else { "—" }
                }
                td.idle {
                    @if let Some(m) = r.idle_minutes { (t!("class-web-minutes", minutes = m)) } @else { "—" }
                }
                td.marks {
                    @if r.stuck { span.mark.stuck { (t!("class-mark-stuck")) } " " }
                    @if r.failing { span.mark.failing { (t!("class-mark-failing")) } }
                }
            }
        }
    }
}
