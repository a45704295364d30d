//! The routes. Pages and files are GET; every change is a POST with a JSON body (the
//! security guard checks the token, the Host, the CSRF token and the content type first).
//!
//! | route | what |
//! | --- | --- |
//! | `GET /` | the course page |
//! | `GET /lab/{id}` | a lab page |
//! | `GET /files/{path}` | an image of the course folder (or its git work tree) |
//! | `GET /static/{name}` | the script and the style sheet |
//! | `GET /events` | server-sent events: `change` with the new version |
//! | `GET /api/version` | the current version |
//! | `POST /api/step` | `{lab, step, done}`: `done` / `undo` |
//! | `POST /api/memo` | `{lab, key, value, secret?}`: `memo set` |
//! | `POST /api/memo/unset` | `{lab, key}`: `memo unset` |
//! | `POST /api/reveal` | `{lab, name}` or `{lab, key}`: a value, secrets included |
//! | `POST /api/copy` | `{lab, block}` or `{lab, cell}`: a code block's or a table cell's filled text, secrets included |
//! | `POST /api/issue/preview` | `{lab}`: the IAM user, its keys, what would be retired |
//! | `POST /api/issue` | `{lab, retire}`: `issue-key`, retiring only the confirmed key |
//! | `POST /api/keys/csv` | `{lab, name, csv}`: `import-csv` (the console's `.csv`, in the body only) |
//! | `POST /api/run/preview` | `{lab, step, block}`: the block as it will run, secrets masked |
//! | `POST /api/run` | `{lab, step, block}`: run it; the answer is an event stream (see [`super::run`]) |
//! | `POST /api/run/stop` | interrupt the block running |
//! | `POST /api/run/note` | `{run, value, pick \| typed}`: note a value the run's output offers |

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use super::actions::{self, WebError};
use super::{assets, pages, security, App};
use crate::t;

/// The largest request body accepted.
const BODY_LIMIT: usize = 16 * 1024;

pub fn router(app: Arc<App>) -> Router {
    let pages = Router::new()
        .route("/", get(course))
        .route("/lab/{*id}", get(lab))
        .route("/files/{*path}", get(file))
        .route("/static/{name}", get(asset))
        .route("/events", get(events));
    // `/api/…`: the version, and every change (a POST: the guard checks its CSRF token).
    let api = Router::new()
        .route("/version", get(version))
        .route("/step", post(step))
        .route("/memo", post(memo_set))
        .route("/memo/unset", post(memo_unset))
        .route("/reveal", post(reveal))
        .route("/copy", post(copy))
        .route("/issue/preview", post(issue_preview))
        .route("/issue", post(issue))
        .route("/keys/csv", post(import_csv))
        // Running a block from the page (`web::run`).
        .route("/run/preview", post(super::run::preview))
        .route("/run", post(super::run::run))
        .route("/run/stop", post(super::run::stop))
        .route("/run/note", post(super::run::note));
    pages
        .nest("/api", api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // A body that stalls is cut off after the read timeout (each part of it).
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            super::read_timeout(),
        ))
        .layer(middleware::from_fn_with_state(app.clone(), security::guard))
        .with_state(app)
}

type AppState = State<Arc<App>>;

fn page(html: axum::body::Bytes) -> Response {
    Html(html).into_response()
}

async fn course(State(app): AppState) -> Response {
    let csrf = app.security.csrf().to_string();
    page(app.page("/", |s| pages::course_page(s, &csrf)))
}

async fn lab(State(app): AppState, Path(id): Path<String>) -> Response {
    let snap = app.snapshot();
    let csrf = app.security.csrf().to_string();
    let Some(k) = snap.lab_index(&id) else {
        let ids: Vec<&str> = snap.keys.iter().map(String::as_str).collect();
        let msg = format!(
            "no lab '{id}' in this course; its labs are: {}",
            ids.join(", ")
        );
        return (StatusCode::NOT_FOUND, Html(pages::error_page(&csrf, &msg))).into_response();
    };
    let root = app.files_root.clone();
    page(app.page(&format!("/lab/{id}"), |s| {
        pages::lab_page(s, k, &csrf, &root)
    }))
}

async fn not_found(State(app): AppState) -> Response {
    let body = pages::error_page(app.security.csrf(), "no such page");
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}

/// An image from inside the allowed folder: no `..`, no absolute path, image types only,
/// and after following links it must still be inside.
async fn file(State(app): AppState, Path(rel): Path<String>) -> Response {
    let refuse = |why: &str| (StatusCode::NOT_FOUND, format!("{why}\n")).into_response();
    let bad = rel
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
        || rel.contains(['\\', '\0']);
    if bad {
        return refuse("not a path inside the course");
    }
    let Some(ctype) = crate::view::image_type(&rel) else {
        return refuse("only images are served");
    };
    let root = app.files_root.clone();
    let read = tokio::task::spawn_blocking(move || {
        let p = std::fs::canonicalize(root.join(&rel)).ok()?;
        if !p.starts_with(&root) || !p.is_file() {
            return None;
        }
        std::fs::read(p).ok()
    })
    .await
    .ok()
    .flatten();
    match read {
        Some(bytes) => ([(header::CONTENT_TYPE, ctype)], bytes).into_response(),
        None => refuse("no such image in the course"),
    }
}

async fn asset(Path(name): Path<String>) -> Response {
    match assets::get(&name) {
        Some((ctype, body)) => {
            let mut r = ([(header::CONTENT_TYPE, ctype)], body).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
        None => (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    }
}

async fn version(State(app): AppState) -> Response {
    Json(json!({ "version": app.version() })).into_response()
}

/// `change` events with the version, as the course changes.
async fn events(
    State(app): AppState,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = app.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        let v = *rx.borrow_and_update();
        Some((Ok(Event::default().event("change").data(v.to_string())), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn fail(e: WebError) -> Response {
    let code = if e.is_client_error() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    (code, Json(json!({ "error": e.to_string() }))).into_response()
}

/// The server as the front end of a use case.
fn front(app: &App) -> actions::Server {
    actions::Server {
        course_dir: app.course_dir.clone(),
    }
}

/// Run blocking work (files, locks) off the async threads; reload the course after it.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&Arc<App>) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let a = app.clone();
    tokio::task::spawn_blocking(move || {
        let r = f(&a);
        a.reload();
        r
    })
    .await
    .unwrap_or_else(|_| Err(WebError::Worker))
}

#[derive(Deserialize)]
struct StepReq {
    lab: String,
    step: String,
    done: bool,
}

async fn step(State(app): AppState, Json(r): Json<StepReq>) -> Response {
    let res = blocking(&app, move |a| {
        actions::mark(&front(a), &r.lab, &r.step, r.done)
    })
    .await;
    match res {
        Ok(()) => Json(json!({ "ok": true, "version": app.version() })).into_response(),
        Err(f) => fail(f),
    }
}

#[derive(Deserialize)]
struct MemoReq {
    lab: String,
    key: String,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    secret: bool,
}

async fn memo_set(State(app): AppState, Json(r): Json<MemoReq>) -> Response {
    let value = SecretString::from(r.value.unwrap_or_default());
    let res = blocking(&app, move |a| {
        actions::memo_set(&front(a), &r.lab, &r.key, &value, r.secret)
    })
    .await;
    match res {
        Ok(changed) => Json(json!({ "ok": true, "changed": changed })).into_response(),
        Err(f) => fail(f),
    }
}

async fn memo_unset(State(app): AppState, Json(r): Json<MemoReq>) -> Response {
    let res = blocking(&app, move |a| {
        actions::memo_unset(&front(a), &r.lab, &r.key)
    })
    .await;
    match res {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(f) => fail(f),
    }
}

#[derive(Deserialize)]
struct RevealReq {
    lab: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    block: Option<usize>,
    /// A table cell holding a value (`/api/copy`), numbered as the page numbers them.
    #[serde(default)]
    cell: Option<usize>,
}

/// A secret's answer: JSON `{value}`, never stored by the browser.
fn secret_answer(v: Result<SecretString, WebError>) -> Response {
    match v {
        Ok(v) => {
            let mut r = Json(json!({ "value": v.expose_secret() })).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(f) => fail(f),
    }
}

fn lab_of(app: &App, lab: &str) -> Result<(Arc<super::state::Snapshot>, usize), WebError> {
    let snap = app.snapshot();
    let k = snap
        .lab_index(lab)
        .ok_or_else(|| WebError::Request(t!("web-no-lab", lab = lab)))?;
    Ok((snap, k))
}

async fn reveal(State(app): AppState, Json(r): Json<RevealReq>) -> Response {
    let res = tokio::task::spawn_blocking(move || {
        let (snap, k) = lab_of(&app, &r.lab)?;
        match (&r.key, &r.name) {
            (Some(key), _) => actions::reveal_key(&snap, k, key),
            (None, Some(name)) => actions::reveal_placeholder(&snap, k, name),
            (None, None) => Err(WebError::Request(t!("web-name-a-value"))),
        }
    })
    .await
    .unwrap_or_else(|_| Err(WebError::Worker));
    secret_answer(res)
}

async fn copy(State(app): AppState, Json(r): Json<RevealReq>) -> Response {
    let res = tokio::task::spawn_blocking(move || {
        let (snap, k) = lab_of(&app, &r.lab)?;
        if let Some(cell) = r.cell {
            return actions::cell_text(&snap, k, cell);
        }
        let block = r
            .block
            .ok_or_else(|| WebError::Request(t!("web-name-a-block")))?;
        actions::code_text(&snap, k, block)
    })
    .await
    .unwrap_or_else(|_| Err(WebError::Worker));
    secret_answer(res)
}

#[derive(Deserialize)]
struct IssueReq {
    lab: String,
    #[serde(default)]
    retire: Option<String>,
}

fn ts(t: Option<jiff::Timestamp>) -> String {
    crate::app::timefmt::short_or_never(t)
}

async fn issue_preview(State(app): AppState, Json(r): Json<IssueReq>) -> Response {
    let (snap, k) = match lab_of(&app, &r.lab) {
        Ok(x) => x,
        Err(f) => return fail(f),
    };
    match actions::issue_preview(&snap, k).await {
        Ok(p) => {
            let keys: Vec<_> = p
                .keys
                .iter()
                .map(|k| json!({ "id": k.id, "active": k.active, "created": ts(k.created), "last_used": ts(k.last_used) }))
                .collect();
            Json(json!({ "user": p.user, "keys": keys, "retire": p.retire })).into_response()
        }
        Err(f) => fail(f),
    }
}

async fn issue(State(app): AppState, Json(r): Json<IssueReq>) -> Response {
    let res = blocking(&app, move |a| {
        let (snap, k) = lab_of(a, &r.lab)?;
        actions::issue_key(&snap, k, &front(a), r.retire)
    })
    .await;
    match res {
        Ok(o) => Json(json!({
            "user": o.user(),
            "access_key_id": o.key_id(),
            "created": o.created(),
            "retired": o.retired(),
        }))
        .into_response(),
        Err(f) => fail(f),
    }
}

#[derive(Deserialize)]
struct CsvReq {
    lab: String,
    #[serde(default)]
    name: Option<String>,
    /// The file's text: it holds the secret, so it is moved into a `SecretString` at once.
    csv: String,
}

/// `import-csv` from the page: the answer names the key id and never the secret.
async fn import_csv(State(app): AppState, Json(r): Json<CsvReq>) -> Response {
    let csv = SecretString::from(r.csv);
    let name = r.name.unwrap_or_else(|| "accessKeys.csv".to_string());
    let lab = r.lab;
    let res = blocking(&app, move |a| {
        let (snap, k) = lab_of(a, &lab)?;
        actions::import_csv(&snap, k, &front(a), &name, &csv)
    })
    .await;
    match res {
        Ok((imp, check)) => {
            let (account, user, check_error) = match check {
                Ok(c) => (Some(c.account), c.user.or(Some(c.arn)), None),
                Err(e) => (None, None, Some(e)),
            };
            Json(json!({
                "lab": imp.lab,
                "access_key_id": imp.key_id,
                "secret": "••••",
                "message": t!("csv-imported", key_id = imp.key_id.clone()),
                "account": account,
                "user": user,
                "check_error": check_error,
            }))
            .into_response()
        }
        Err(f) => fail(f),
    }
}
