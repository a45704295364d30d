//! Running a block from the page: the Run button's confirmation, the run itself with its
//! output streamed back as server-sent events, Stop, and noting a value from the output.
//!
//! Every rule is [`crate::app::run`]'s and [`crate::app::notes`]'s: which blocks run
//! ([`app::run::prepare_one`], the classification `run --list` shows), the values bound
//! and the secrets masked, the course's shell session (one per shell kind, kept for the
//! server's life, started in `workdir`), the journal record and the step's check
//! ([`app::notes::record_with_notes`], as `run` records), the candidates of the output
//! ([`app::notes::output_offers`]) and the note ([`app::notes::note_from_output`]).
//!
//! The guards of a run, on top of the server's ([`super::security`]): an `Origin` of our
//! own; a server bound to a non-loopback address runs nothing unless started with
//! `--allow-run`; one block at a time ([`app::run::claim`]: a second request gets 409). The
//! output is masked by the session, its escape sequences taken out
//! ([`app::run::page_line`]); it goes to the page only, never to a log. What the output
//! offers to note is kept in memory (zeroized) under a random id of the run: the page names
//! a candidate by its place, and a secret candidate's plaintext never leaves the server.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;
use zeroize::Zeroizing;

use super::error::WebError;
use super::front::Server;
use super::lang::lang_of;
use super::App;
use crate::app::notes::{self, OutputPick};
use crate::app::run::{self as use_case, Answer, BlockShown, Outcome, RunUi, Sink, Stream};
use crate::app::{self, AppError, StepAt};
use crate::i18n::Lang;
use crate::t_in;

/// The server's runs: whether it may run at all, and what the latest run offers to note.
pub struct Runs {
    /// Loopback, or `--allow-run`.
    allowed: bool,
    bind: String,
    latest: Mutex<Option<Latest>>,
}

/// The latest run that offered values to note: its output, in memory only.
struct Latest {
    id: String,
    lab: String,
    step: usize,
    output: Vec<Zeroizing<String>>,
    /// The asked values' keys and whether each is secret, in the order of the offer.
    keys: Vec<(String, bool)>,
}

impl Runs {
    pub fn new(bind: std::net::IpAddr, allow_run: bool) -> Runs {
        Runs {
            allowed: bind.is_loopback() || allow_run,
            bind: bind.to_string(),
            latest: Mutex::new(None),
        }
    }

    fn latest(&self) -> std::sync::MutexGuard<'_, Option<Latest>> {
        self.latest.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn refuse(code: StatusCode, msg: String) -> Response {
    (code, Json(json!({ "error": msg }))).into_response()
}

/// The guards of a run beyond the server's own (see the module doc).
/// `Some(answer)`: refused.
fn guard(app: &App, headers: &HeaderMap) -> Option<Response> {
    let lang = lang_of(headers);
    if !app.runs.allowed {
        let msg = t_in!(lang, "webrun-exposed", addr = app.runs.bind.clone());
        return Some(refuse(StatusCode::FORBIDDEN, msg));
    }
    if !app.security.run_origin_ok(headers) {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            t_in!(lang, "webrun-needs-origin"),
        ));
    }
    None
}

/// A failed request told in the request's language `lang`.
fn fail(lang: Lang, e: WebError) -> Response {
    let status = if e.is_client_error() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    refuse(status, e.render_in(lang))
}

fn front(app: &App) -> Server {
    Server {
        course_dir: app.course_dir.clone(),
    }
}

#[derive(Deserialize)]
pub struct RunReq {
    lab: String,
    step: String,
    block: usize,
}

/// The course, read afresh, and the step a request names.
fn open(front: &Server, lab: &str, step: &str) -> Result<(app::Course, StepAt), WebError> {
    let course = app::open_course(front)?;
    let k = course.resolve(lab).map_err(AppError::from)?;
    let i = app::progress::step_lookup(&course.labs[k], step)?;
    Ok((course, StepAt { lab: k, step: i }))
}

/// What a page's run asks and is told: it asks nothing (the student confirmed the block on
/// the page), and its output goes to the stream.
struct PageUi {
    tx: tokio::sync::mpsc::UnboundedSender<Msg>,
}

impl RunUi for PageUi {
    fn note(&self, _msg: &str) {}
    fn can_ask(&self) -> bool {
        true
    }
    fn block_start(&self, _block: &BlockShown<'_>) {}
    fn confirm_block(&self, _number: usize) -> Answer {
        Answer::Run
    }
    /// The student pressed Run on this very block.
    fn confirm_alternative(&self, _reason: &str) -> bool {
        true
    }
    fn output(&self) -> Sink {
        let tx = self.tx.clone();
        Arc::new(move |_s: Stream, line: &str| {
            let _ = tx.send(Msg::Output(use_case::page_line(line)));
        })
    }
}

fn request() -> use_case::Request {
    use_case::Request {
        yes: true,
        keep_output: true,
        ..Default::default()
    }
}

/// `POST /api/run/preview {lab, step, block}`: the block as it will run (values filled in,
/// secrets masked), and the words of the confirmation.
pub async fn preview(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(r): Json<RunReq>,
) -> Response {
    if let Some(resp) = guard(&app, &headers) {
        return resp;
    }
    let lang = lang_of(&headers);
    let a = app.clone();
    let res = tokio::task::spawn_blocking(move || {
        let f = front(&a);
        let (course, at) = open(&f, &r.lab, &r.step)?;
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let plan = use_case::prepare_one(&f, &course, at, r.block, &request(), &PageUi { tx })?;
        let (lab, step) = plan.step_ids();
        Ok::<_, WebError>(json!({
            "lab": r.lab,
            "lab_id": lab,
            "step": step,
            "block": r.block,
            "lang": plan.langs().first(),
            "text": plan.shown().first(),
        }))
    })
    .await
    .unwrap_or(Err(WebError::Worker));
    match res {
        Ok(mut v) => {
            v["title"] = json!(t_in!(
                lang,
                "webrun-confirm-title",
                block = r_block(&v),
                step = v["step"].as_str().unwrap_or_default()
            ));
            v["labels"] = labels(lang);
            Json(v).into_response()
        }
        Err(e) => fail(lang, e),
    }
}

fn r_block(v: &serde_json::Value) -> u64 {
    v["block"].as_u64().unwrap_or_default()
}

/// The words of the run panel, in the request's language.
fn labels(lang: Lang) -> serde_json::Value {
    json!({
        "confirm": t_in!(lang, "webrun-confirm"),
        "cancel": t_in!(lang, "webrun-cancel"),
        "stop": t_in!(lang, "webrun-stop"),
        "running": t_in!(lang, "webrun-status-running"),
        "passed": t_in!(lang, "webrun-status-passed"),
        "failed": t_in!(lang, "webrun-status-failed"),
        "stopped": t_in!(lang, "webrun-status-stopped"),
        "note": t_in!(lang, "webrun-note"),
        "typed": t_in!(lang, "webrun-note-typed"),
        "noted": t_in!(lang, "webrun-noted"),
        "hidden": t_in!(lang, "webrun-output-hidden"),
    })
}

/// What the run's thread tells the stream.
enum Msg {
    Output(String),
    /// How the run ended, the words for it, whether the step is checked now, the offer.
    End(serde_json::Value),
}

/// `POST /api/run {lab, step, block}`: run the block in the session; the answer is an event
/// stream: `output` events (`{text}`, masked lines), then one `end` (`{status, message,
/// checked, run, offers}`). A run refused before it starts is a JSON error (409 while
/// another block runs).
pub async fn run(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(r): Json<RunReq>,
) -> Response {
    if let Some(resp) = guard(&app, &headers) {
        return resp;
    }
    let lang = lang_of(&headers);
    let Some(claim) = use_case::claim() else {
        return refuse(StatusCode::CONFLICT, t_in!(lang, "webrun-busy"));
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let a = app.clone();
    std::thread::spawn(move || {
        let f = front(&a);
        let ui = PageUi { tx: tx.clone() };
        let prepared = open(&f, &r.lab, &r.step).and_then(|(course, at)| {
            let plan = use_case::prepare_one(&f, &course, at, r.block, &request(), &ui)?;
            Ok((course, at, plan))
        });
        let (course, at, plan) = match prepared {
            Ok(p) => p,
            Err(e) => {
                // Free before the answer: the page may ask again at once.
                drop(claim);
                let _ = started_tx.send(Err(e));
                return;
            }
        };
        let _ = started_tx.send(Ok(()));
        let end = execute(&a, &f, &course, at, plan, &ui, &r.lab, lang);
        a.reload();
        // Free before the page hears the end: its next Run must not be refused.
        drop(claim);
        let _ = tx.send(Msg::End(end));
    });
    match started_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return fail(lang, e),
        Err(_) => return fail(lang, WebError::Worker),
    }
    Sse::new(stream(rx))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Run the plan, record it as `run` does, and say how it ended with what it offers to note.
#[allow(clippy::too_many_arguments)]
fn execute(
    app: &App,
    f: &Server,
    course: &app::Course,
    at: StepAt,
    plan: use_case::Plan,
    ui: &PageUi,
    lab_key: &str,
    lang: Lang,
) -> serde_json::Value {
    let failed = |msg: String| json!({ "status": "failed", "message": msg, "checked": false });
    let ran = match plan.execute(f, ui) {
        Ok(r) => r,
        Err(e) => return failed(e.to_string()),
    };
    let cfg = match app::course_config(f) {
        Ok(c) => c,
        Err(e) => return failed(e.to_string()),
    };
    let offers = if ran.outcome.ran() {
        notes::output_offers(course, &cfg, at, &ran.output, &ran.masker)
    } else {
        Vec::new()
    };
    let recorded =
        notes::record_with_notes(f, course, &ran, &[], !offers.is_empty(), &mut |_, _| {});
    if let Err(e) = recorded {
        return failed(e.to_string());
    }
    let status = match ran.outcome {
        Outcome::Passed | Outcome::Partial { .. } => "passed",
        Outcome::Failed { .. } => "failed",
        Outcome::Stopped | Outcome::Interrupted => "stopped",
    };
    let checked = app::open_course(f)
        .ok()
        .and_then(|c| {
            let p = app::Progress::from_records(&app::load_journal(f).ok()?);
            let lab = &c.labs.get(at.lab)?.lab;
            let s = lab.steps.get(at.step)?;
            Some(p.state(&lab.id, &s.id, &s.fingerprint) == app::StepState::Done)
        })
        .unwrap_or(false);
    let message = match ran.outcome {
        Outcome::Failed { code } => t_in!(lang, "webrun-ended-failed", code = code),
        Outcome::Stopped | Outcome::Interrupted => t_in!(lang, "webrun-ended-stopped"),
        _ if checked => t_in!(lang, "webrun-ended-checked"),
        _ => t_in!(lang, "webrun-ended-passed"),
    };
    let mut end = json!({ "status": status, "message": message, "checked": checked });
    if !offers.is_empty() {
        let id = random_id();
        let list: Vec<_> = offers
            .iter()
            .enumerate()
            .map(|(v, o)| {
                let shown: Vec<_> = o
                    .shown
                    .iter()
                    .map(|s| {
                        let pick = match s.pick {
                            OutputPick::Candidate(n) => format!("c{n}"),
                            OutputPick::Block(n) => format!("b{n}"),
                        };
                        json!({ "pick": pick, "text": s.text, "label": s.label,
                                "line": s.line, "secret": s.secret })
                    })
                    .collect();
                json!({
                    "value": v,
                    "key": o.asked.key.trim(),
                    "secret": o.asked.secret,
                    "noted": o.asked.noted,
                    "used_in": o.asked.used_in,
                    "candidates": shown,
                })
            })
            .collect();
        *app.runs.latest() = Some(Latest {
            id: id.clone(),
            lab: lab_key.to_string(),
            step: at.step,
            keys: offers
                .iter()
                .map(|o| (o.asked.key.clone(), o.asked.secret))
                .collect(),
            output: ran.output,
        });
        end["run"] = json!(id);
        end["offers"] = json!(list);
        end["title"] = json!(t_in!(lang, "webrun-note-title"));
    }
    end
}

/// The run's messages as events; output that arrived together goes as one event.
fn stream(
    rx: tokio::sync::mpsc::UnboundedReceiver<Msg>,
) -> impl futures_util::Stream<Item = Result<Event, Infallible>> {
    const BATCH: usize = 64 * 1024;
    futures_util::stream::unfold(
        (rx, None::<Msg>, false),
        |(mut rx, pending, done)| async move {
            if done {
                return None;
            }
            let first = match pending {
                Some(m) => m,
                None => rx.recv().await?,
            };
            match first {
                Msg::End(v) => Some((
                    Ok(Event::default().event("end").data(v.to_string())),
                    (rx, None, true),
                )),
                Msg::Output(mut text) => {
                    let mut next = None;
                    while text.len() < BATCH {
                        match rx.try_recv() {
                            Ok(Msg::Output(t)) => text.push_str(&t),
                            Ok(m) => {
                                next = Some(m);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    let data = json!({ "text": text }).to_string();
                    Some((
                        Ok(Event::default().event("output").data(data)),
                        (rx, next, false),
                    ))
                }
            }
        },
    )
}

fn random_id() -> String {
    let mut b = [0u8; 16];
    let _ = getrandom::getrandom(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `POST /api/run/stop`: interrupt the block running (Ctrl-C to its commands; the session
/// stays).
pub async fn stop(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(resp) = guard(&app, &headers) {
        return resp;
    }
    use_case::stop();
    Json(json!({ "ok": true })).into_response()
}

#[derive(Deserialize)]
pub struct NoteReq {
    run: String,
    /// Which asked value (its place in the offer).
    value: usize,
    /// `c0`, `b1`: a candidate or a block of lines of the offer.
    #[serde(default)]
    pick: Option<String>,
    /// A value typed instead.
    #[serde(default)]
    typed: Option<String>,
}

/// `POST /api/run/note {run, value, pick | typed}`: note a value of the latest run's offer
/// (by its place; the plaintext stays on the server) or a typed one, as the terminal's offer
/// notes it (a secret encrypted).
pub async fn note(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(r): Json<NoteReq>,
) -> Response {
    let lang = lang_of(&headers);
    let typed = r.typed.map(SecretString::from);
    let a = app.clone();
    let res = tokio::task::spawn_blocking(move || {
        let latest = a.runs.latest();
        let Some(l) = latest.as_ref().filter(|l| l.id == r.run) else {
            return Err(WebError::Request(t_in!(lang, "webrun-no-run")));
        };
        let Some((key, secret)) = l.keys.get(r.value).cloned() else {
            return Err(WebError::Request(t_in!(lang, "webrun-no-candidate")));
        };
        let f = front(&a);
        let course = app::open_course(&f)?;
        let k = course.resolve(&l.lab).map_err(AppError::from)?;
        let at = StepAt {
            lab: k,
            step: l.step,
        };
        let noted = match (&typed, r.pick.as_deref()) {
            (Some(v), _) => notes::note(&f, &course, k, &key, v, secret, false)?,
            (None, Some(p)) => {
                let pick = match (p.get(..1), p.get(1..).and_then(|n| n.parse().ok())) {
                    (Some("c"), Some(n)) => OutputPick::Candidate(n),
                    (Some("b"), Some(n)) => OutputPick::Block(n),
                    _ => return Err(WebError::Request(t_in!(lang, "webrun-no-candidate"))),
                };
                notes::note_from_output(&f, &course, at, &key, secret, &l.output, pick)?
                    .ok_or_else(|| WebError::Request(t_in!(lang, "webrun-no-candidate")))?
            }
            (None, None) => return Err(WebError::Request(t_in!(lang, "webrun-no-candidate"))),
        };
        drop(latest);
        a.reload();
        let lab = course.labs[noted.lab].lab.id.clone();
        Ok((key, lab, noted.secret))
    })
    .await
    .unwrap_or(Err(WebError::Worker));
    match res {
        Ok((key, lab, secret)) => Json(json!({
            "ok": true,
            "key": key.trim(),
            "lab": lab,
            "secret": secret,
            "message": t_in!(lang, "webrun-noted-in", key = key.trim().to_string(), lab = lab),
        }))
        .into_response(),
        Err(e) => fail(lang, e),
    }
}
