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
//! | `POST /api/memo` | `{lab, key, value, secret?, new?}`: `memo set` (409 `{error, unknown, close}` for a name of no value of the course without `new`) |
//! | `POST /api/memo/unset` | `{lab, key}`: `memo unset` |
//! | `POST /api/memo/rm` | `{lab, key}`: `memo rm` (an entry labnote added) |
//! | `POST /api/reveal` | `{lab, name}` or `{lab, key}`: a value, secrets included |
//! | `POST /api/copy` | `{lab, block}` or `{lab, cell}`: a code block's or a table cell's filled text, secrets included |
//! | `POST /api/issue/preview` | `{lab}`: the IAM user, its keys, what would be retired |
//! | `POST /api/issue` | `{lab, retire}`: `issue-key`, retiring only the confirmed key |
//! | `POST /api/keys/csv` | `{lab, name, csv}`: `import-csv` (the console's `.csv`, in the body only) |
//! | `POST /api/source/read` | `{lab, key}`: what the value's source gives now (404: no source) |
//! | `POST /api/source/note` | `{lab, key, resource, value}`: note that candidate, read again |
//! | `POST /api/note` | `{lab, step, point, names, name, value}`: a note point's form, as walk's `m` notes |
//! | `POST /api/run/preview` | `{lab, step, block}`: the block as it will run, secrets masked |
//! | `POST /api/run` | `{lab, step, block}`: run it; the answer is an event stream (see [`super::run`]) |
//! | `POST /api/run/stop` | interrupt the block running |
//! | `POST /api/run/note` | `{run, value, pick \| typed}`: note a value the run's output offers |
//!
//! Pages and answers with words speak the request's language ([`super::lang::lang_of`]).

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use super::actions::{self, WebError};
use super::lang::{lang_of, ReqLang};
use super::{assets, pages, security, App};
use crate::i18n::in_lang;
use crate::{t, t_in};

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
        .route("/memo/rm", post(memo_rm))
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
    // webnote (issue 22): the note points' forms.
    let api = api.route("/note", post(note));
    // Values from their source (issue 23): read, then note a candidate.
    let api = api
        .route("/source/read", post(source_read))
        .route("/source/note", post(source_note));
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

async fn course(State(app): AppState, headers: HeaderMap) -> Response {
    let csrf = app.security.csrf().to_string();
    let lang = lang_of(&headers);
    // A page is cached per language.
    page(app.page(&format!("{}:/", lang.code()), |s| {
        pages::course_page(s, &csrf, lang)
    }))
}

async fn lab(State(app): AppState, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let snap = app.snapshot();
    let csrf = app.security.csrf().to_string();
    let lang = lang_of(&headers);
    let Some(k) = snap.lab_index(&id) else {
        let ids: Vec<&str> = snap.keys.iter().map(String::as_str).collect();
        let msg = crate::t_in!(lang, "page-no-lab", lab = id, labs = ids.join(", "));
        let body = pages::error_page(&csrf, &msg, lang);
        return (StatusCode::NOT_FOUND, Html(body)).into_response();
    };
    let root = app.files_root.clone();
    page(app.page(&format!("{}:/lab/{id}", lang.code()), |s| {
        pages::lab_page(s, k, &csrf, &root, lang)
    }))
}

async fn not_found(State(app): AppState, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let msg = crate::t_in!(lang, "page-no-page");
    let body = pages::error_page(app.security.csrf(), &msg, lang);
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

/// [`fail`] in the request's language: `{error}` speaks `lang` ([`WebError::render_in`]).
fn fail_in(lang: crate::i18n::Lang, e: WebError) -> Response {
    let code = if e.is_client_error() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    (code, Json(json!({ "error": e.render_in(lang) }))).into_response()
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

/// [`blocking`] with the work's messages in the request's language (`lang`, through
/// [`in_lang`]); the reload after it keeps the server's own (the snapshot is every page's).
async fn blocking_in<T: Send + 'static>(
    app: &Arc<App>,
    lang: crate::i18n::Lang,
    f: impl FnOnce(&Arc<App>) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    blocking(app, move |a| in_lang(lang, || f(a))).await
}

#[derive(Deserialize)]
struct StepReq {
    lab: String,
    step: String,
    done: bool,
}

async fn step(State(app): AppState, ReqLang(lang): ReqLang, Json(r): Json<StepReq>) -> Response {
    let res = blocking_in(&app, lang, move |a| {
        actions::mark(&front(a), &r.lab, &r.step, r.done)
    })
    .await;
    match res {
        Ok(()) => Json(json!({ "ok": true, "version": app.version() })).into_response(),
        Err(f) => fail_in(lang, f),
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
    /// A name of no value of the course is noted as a new value (`memo set --new`).
    #[serde(default)]
    new: bool,
}

async fn memo_set(
    State(app): AppState,
    ReqLang(lang): ReqLang,
    Json(r): Json<MemoReq>,
) -> Response {
    let value = SecretString::from(r.value.unwrap_or_default());
    let res = blocking_in(&app, lang, move |a| {
        actions::memo_set(&front(a), &r.lab, &r.key, &value, r.secret, r.new)
    })
    .await;
    match res {
        Ok(changed) => Json(json!({ "ok": true, "changed": changed })).into_response(),
        // A name of no value of the course: the close ones, for the page to offer.
        Err(WebError::App(e)) if matches!(*e, crate::app::AppError::UnknownName { .. }) => {
            let msg = e.render_in(lang);
            let crate::app::AppError::UnknownName { name, close } = *e else {
                unreachable!("matched above")
            };
            let body = json!({ "error": msg, "unknown": name, "close": close });
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
        Err(f) => fail_in(lang, f),
    }
}

async fn memo_rm(State(app): AppState, ReqLang(lang): ReqLang, Json(r): Json<MemoReq>) -> Response {
    let res = blocking_in(&app, lang, move |a| {
        actions::memo_rm(&front(a), &r.lab, &r.key)
    })
    .await;
    match res {
        Ok(key) => Json(json!({ "ok": true, "key": key })).into_response(),
        Err(f) => fail_in(lang, f),
    }
}

async fn memo_unset(
    State(app): AppState,
    ReqLang(lang): ReqLang,
    Json(r): Json<MemoReq>,
) -> Response {
    let res = blocking_in(&app, lang, move |a| {
        actions::memo_unset(&front(a), &r.lab, &r.key)
    })
    .await;
    match res {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(f) => fail_in(lang, f),
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

/// A secret's answer: JSON `{value}`, never stored by the browser; an error in `lang`.
fn secret_answer(lang: crate::i18n::Lang, v: Result<SecretString, WebError>) -> Response {
    match v {
        Ok(v) => {
            let mut r = Json(json!({ "value": v.expose_secret() })).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(f) => fail_in(lang, f),
    }
}

/// The lab a request names (its message in the thread's language: a request's under
/// [`in_lang`]).
fn lab_of(app: &App, lab: &str) -> Result<(Arc<super::state::Snapshot>, usize), WebError> {
    let snap = app.snapshot();
    let k = snap
        .lab_index(lab)
        .ok_or_else(|| WebError::Request(t!("web-no-lab", lab = lab)))?;
    Ok((snap, k))
}

async fn reveal(
    State(app): AppState,
    ReqLang(lang): ReqLang,
    Json(r): Json<RevealReq>,
) -> Response {
    let res = tokio::task::spawn_blocking(move || {
        in_lang(lang, || {
            let (snap, k) = lab_of(&app, &r.lab)?;
            match (&r.key, &r.name) {
                (Some(key), _) => actions::reveal_key(&snap, k, key),
                (None, Some(name)) => actions::reveal_placeholder(&snap, k, name),
                (None, None) => Err(WebError::Request(t_in!(lang, "web-name-a-value"))),
            }
        })
    })
    .await
    .unwrap_or_else(|_| Err(WebError::Worker));
    secret_answer(lang, res)
}

async fn copy(State(app): AppState, ReqLang(lang): ReqLang, Json(r): Json<RevealReq>) -> Response {
    let res = tokio::task::spawn_blocking(move || {
        in_lang(lang, || {
            let (snap, k) = lab_of(&app, &r.lab)?;
            if let Some(cell) = r.cell {
                return actions::cell_text(&snap, k, cell);
            }
            let block = r
                .block
                .ok_or_else(|| WebError::Request(t_in!(lang, "web-name-a-block")))?;
            actions::code_text(&snap, k, block)
        })
    })
    .await
    .unwrap_or_else(|_| Err(WebError::Worker));
    secret_answer(lang, res)
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

async fn issue_preview(
    State(app): AppState,
    ReqLang(lang): ReqLang,
    Json(r): Json<IssueReq>,
) -> Response {
    let (snap, k) = match in_lang(lang, || lab_of(&app, &r.lab)) {
        Ok(x) => x,
        Err(f) => return fail_in(lang, f),
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
        Err(f) => fail_in(lang, f),
    }
}

async fn issue(State(app): AppState, ReqLang(lang): ReqLang, Json(r): Json<IssueReq>) -> Response {
    let res = blocking_in(&app, lang, move |a| {
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
        Err(f) => fail_in(lang, f),
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
async fn import_csv(
    State(app): AppState,
    ReqLang(lang): ReqLang,
    Json(r): Json<CsvReq>,
) -> Response {
    let csv = SecretString::from(r.csv);
    let name = r.name.unwrap_or_else(|| "accessKeys.csv".to_string());
    let lab = r.lab;
    let res = blocking_in(&app, lang, move |a| {
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
                "message": t_in!(lang, "csv-imported", key_id = imp.key_id.clone()),
                "account": account,
                "user": user,
                "check_error": check_error,
            }))
            .into_response()
        }
        Err(f) => fail_in(lang, f),
    }
}

// ---------------------------------------------------------------------------------------
// webnote (issue 22): a note point's form.

#[derive(Deserialize)]
struct NoteReq {
    lab: String,
    #[serde(default)]
    step: String,
    point: usize,
    /// The point's `data-names`, which find it again when the lab changed meanwhile.
    #[serde(default)]
    names: String,
    name: String,
    /// The value: moved into a `SecretString` at once, never echoed.
    value: String,
}

/// A note point's form: the value noted as walk's `m` notes it ([`actions::note_point`]);
/// the answer names the key and the lab, never the value. An unknown lab is 404.
async fn note(State(app): AppState, headers: HeaderMap, Json(r): Json<NoteReq>) -> Response {
    let lang = lang_of(&headers);
    let value = SecretString::from(r.value);
    if app.snapshot().lab_index(&r.lab).is_none() {
        let msg = crate::t_in!(lang, "web-no-lab", lab = r.lab);
        return (StatusCode::NOT_FOUND, Json(json!({ "error": msg }))).into_response();
    }
    let res = blocking_in(&app, lang, move |a| {
        let at = actions::PointAt {
            lab: r.lab,
            step: r.step,
            point: r.point,
            names: r.names,
            name: r.name,
        };
        actions::note_point(&front(a), lang, &at, &value)
    })
    .await;
    match res {
        Ok(n) => {
            let mut message = if n.changed {
                crate::t_in!(lang, "pagejs-noted-in", key = n.key, lab = n.lab)
            } else {
                crate::t_in!(lang, "pagejs-same-value", key = n.key)
            };
            if let Some(p) = &n.identity {
                message.push_str(" · ");
                message.push_str(&crate::t_in!(
                    lang,
                    "page-note-identity",
                    path = p,
                    key = n.key
                ));
            }
            Json(json!({
                "ok": true,
                "key": n.key,
                "lab": n.lab,
                "secret": n.secret,
                "changed": n.changed,
                "message": message,
            }))
            .into_response()
        }
        Err(f) => fail_in(lang, f),
    }
}

// ---------------------------------------------------------------------------------------
// Values from their source (issue 23).

#[derive(Deserialize)]
struct SourceReq {
    lab: String,
    key: String,
    #[serde(default)]
    resource: String,
    #[serde(default)]
    value: String,
}

/// What the source of a value gives: its candidates (values a source gives are never
/// secrets), or the line that says why none (missing, failed, two kinds). 404 when the value
/// has no source.
async fn source_read(
    State(app): AppState,
    headers: HeaderMap,
    Json(r): Json<SourceReq>,
) -> Response {
    use crate::app::sources::ReadOutcome;
    let lang = lang_of(&headers);
    let key = r.key.clone();
    let res = blocking_in(&app, lang, move |a| {
        actions::source_read(&front(a), &r.lab, &r.key)
    })
    .await;
    match res {
        Ok(Some(f)) => {
            let cands: Vec<serde_json::Value> = f
                .outcome
                .candidates()
                .iter()
                .map(|c| {
                    json!({"value": c.value, "resource": c.resource, "label": c.label,
                           "source": c.service, "region": c.region})
                })
                .collect();
            let message = match &f.outcome {
                ReadOutcome::Missing(m) | ReadOutcome::Failed(m) => m.clone(),
                ReadOutcome::Unsure(ks) => {
                    let names: Vec<&str> = ks.iter().map(|k| k.name()).collect();
                    crate::t_in!(
                        lang,
                        "fetch-unsure",
                        kinds = names.join(", "),
                        key = f.key.clone()
                    )
                }
                ReadOutcome::One(c) | ReadOutcome::Numbered { pick: c, .. } => {
                    in_lang(lang, || {
                        crate::app::sources::said_from(c.service, c.region.as_deref())
                    })
                }
                ReadOutcome::Choose(cs) => crate::t_in!(lang, "fetch-several", n = cs.len()),
            };
            Json(json!({"ok": true, "key": f.key, "candidates": cands, "message": message}))
                .into_response()
        }
        Ok(None) => {
            let msg = crate::t_in!(lang, "page-source-none", key = key);
            (StatusCode::NOT_FOUND, Json(json!({ "error": msg }))).into_response()
        }
        Err(f) => fail_in(lang, f),
    }
}

/// Note the candidate the page picked ([`actions::source_note`]: read again first).
async fn source_note(
    State(app): AppState,
    headers: HeaderMap,
    Json(r): Json<SourceReq>,
) -> Response {
    let lang = lang_of(&headers);
    let res = blocking_in(&app, lang, move |a| {
        actions::source_note(&front(a), lang, &r.lab, &r.key, &r.resource, &r.value)
    })
    .await;
    match res {
        Ok(n) => {
            let message = if n.changed {
                crate::t_in!(lang, "pagejs-noted-in", key = n.key, lab = n.lab)
            } else {
                crate::t_in!(lang, "pagejs-same-value", key = n.key)
            };
            Json(json!({"ok": true, "key": n.key, "lab": n.lab, "changed": n.changed, "message": message}))
                .into_response()
        }
        Err(f) => fail_in(lang, f),
    }
}
