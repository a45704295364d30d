//! The changes a page can ask for, each through the same use case as its CLI command
//! ([`crate::app`]): `done`/`undo` ([`app::progress::mark`]), `memo set`
//! ([`app::memo::set_value`]: the empty-value rule and the secret policy are there),
//! `memo unset`, `issue-key` ([`app::keys::issue_key`], its preview by the same rules); and
//! the two answers that carry a secret: a revealed value and a code block's text for the
//! clipboard.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::state::Snapshot;
use crate::app::fill::Filler;
use crate::app::keys::{KeyInfo, Ui};
use crate::app::{self, AppError};
use crate::t;
use crate::view::{self, Piece};

pub use super::error::WebError;

pub use super::front::Server;

/// `done`/`undo` of one step of the lab named `lab` (its id or path).
pub fn mark(front: &Server, lab: &str, step: &str, done: bool) -> Result<(), WebError> {
    let course = app::open_course(front)?;
    let k = course.resolve(lab).map_err(AppError::from)?;
    app::progress::mark(front, &course, k, &[step.to_string()], done)?;
    Ok(())
}

/// `memo set`: any written form of the key, secrets encrypted, an empty value refused
/// (that is `unset`); a name that means no value of the course is refused with the close
/// ones unless `new` ([`app::memo::key_to_set`], as the CLI). Returns whether the lab
/// changed.
pub fn memo_set(
    front: &Server,
    lab: &str,
    key: &str,
    value: &SecretString,
    secret: bool,
    new: bool,
) -> Result<bool, WebError> {
    let course = app::open_course(front)?;
    let k = course.resolve(lab).map_err(AppError::from)?;
    let key = app::memo::key_to_set(front, &course, key, new)?;
    let w = app::memo::set_value(front, &course, k, &key, value, secret, None)?;
    Ok(w == app::memo::Written::Changed)
}

pub fn memo_unset(front: &Server, lab: &str, key: &str) -> Result<(), WebError> {
    let course = app::open_course(front)?;
    let k = course.resolve(lab).map_err(AppError::from)?;
    let key = app::memo::key_of(front, &course, key)?;
    app::memo::unset(front, &course, k, &key)?;
    Ok(())
}

/// `memo rm`: remove an entry labnote added ([`app::memo::remove`]; the lab's own entry is
/// refused). Returns the key as the lab wrote it.
pub fn memo_rm(front: &Server, lab: &str, key: &str) -> Result<String, WebError> {
    let course = app::open_course(front)?;
    let k = course.resolve(lab).map_err(AppError::from)?;
    let key = app::memo::key_of(front, &course, key)?;
    Ok(app::memo::remove(front, &course, k, &key)?)
}

/// The plaintext of memo entry `key` of lab `k`.
pub fn reveal_key(snap: &Snapshot, k: usize, key: &str) -> Result<SecretString, WebError> {
    Ok(app::memo::reveal_entry(&snap.env.course, k, key)?)
}

/// The value placeholder `name` of lab `k` stands for, revealed.
pub fn reveal_placeholder(snap: &Snapshot, k: usize, name: &str) -> Result<SecretString, WebError> {
    let res = snap.env.resolver();
    Ok(app::resolve::reveal_placeholder(&res, k, name)?)
}

/// The pieces of lab `k` with every placeholder filled, secrets revealed (for the clipboard).
fn revealed_pieces(snap: &Snapshot, k: usize) -> Result<Vec<Piece<'static>>, WebError> {
    let cl = &snap.env.course.labs[k];
    let filler = Filler::new(snap.env.resolver(), true);
    let fill = |name: &str| filler.fill(name);
    let files = view::Files {
        lab_dir: Path::new(""),
        root: Path::new("/"),
        exists: &|_| false,
    };
    let pieces = view::lab_view(&cl.lab, &fill, &files);
    match filler.failure() {
        Some(e) => Err(e.into()),
        None => Ok(pieces),
    }
}

/// The filled text of table cell `cell` of lab `k` (numbered as the page numbers them),
/// as the student pastes it ([`app::fill::table_cells`], the rule the terminal's `walk`
/// copies by too).
pub fn cell_text(snap: &Snapshot, k: usize, cell: usize) -> Result<SecretString, WebError> {
    let pieces = revealed_pieces(snap, k)?;
    match app::fill::table_cells(&pieces).into_iter().nth(cell) {
        Some((text, true)) => Ok(SecretString::from(text)),
        _ => Err(WebError::Request(t!(
            "web-no-cell",
            lab = snap.env.course.labs[k].lab.id,
            cell = cell
        ))),
    }
}

/// The text of code block `ordinal` of lab `k` with every placeholder filled, secrets
/// included (an unresolved one stays `<<name>>`), a value of several lines decoded line for
/// line ([`app::fill::block_text`]).
pub fn code_text(snap: &Snapshot, k: usize, ordinal: usize) -> Result<SecretString, WebError> {
    let cl = &snap.env.course.labs[k];
    let pieces = revealed_pieces(snap, k)?;
    let block = pieces.into_iter().find_map(|p| match p {
        Piece::Code(c) if c.ordinal == ordinal => Some(c),
        _ => None,
    });
    let block = block
        .ok_or_else(|| WebError::Request(t!("web-no-block", lab = cl.lab.id, block = ordinal)))?;
    Ok(app::fill::block_text(&block))
}

/// Ask IAM what `issue-key` would do for lab `k`, changing nothing (the same rules as the
/// issuance: [`app::keys::preview`]).
pub async fn issue_preview(snap: &Snapshot, k: usize) -> Result<app::keys::IssuePreview, WebError> {
    Ok(app::keys::preview(&snap.env.cfg, &snap.env.course, k).await?)
}

/// The web side of an issuance: retires only the key the student confirmed.
struct WebUi {
    confirmed: Option<String>,
}

impl Ui for WebUi {
    fn progress(&self, _msg: &str) {}
    fn note(&self, msg: &str) {
        eprintln!("labnote serve: {msg}");
    }
    fn confirm_retire(&self, _user: &str, _keys: &[KeyInfo], retire: &KeyInfo) -> bool {
        self.confirmed.as_deref() == Some(retire.id.as_str())
    }
}

/// Issue a key through [`app::keys::issue_key`], on a thread of its own (it runs its own
/// runtime). The issuance chooses the key to retire by its own rule; it goes ahead only
/// when that is the key the student confirmed.
pub fn issue_key(
    snap: &Snapshot,
    k: usize,
    front: &Server,
    confirmed: Option<String>,
) -> Result<app::keys::IssueOutcome, WebError> {
    let ui = WebUi { confirmed };
    let opts = app::keys::IssueOptions::default();
    // The thread speaks the request's language too (`in_lang` is per thread).
    let lang = crate::i18n::lang();
    std::thread::scope(|s| {
        s.spawn(|| {
            crate::i18n::in_lang(lang, || {
                app::keys::issue_key(front, &snap.env.course, k, &opts, &ui)
            })
        })
        .join()
        .unwrap_or_else(|_| {
            Err(AppError::Issue(app::IssueError::Data(t!(
                "web-issue-thread-failed"
            ))))
        })
    })
    .map_err(WebError::from)
}

/// The key of a console `.csv` sent by the page, into lab `k`'s memo through
/// [`app::keys::import_csv`] (the same use case as `import-csv`), then checked with STS on a
/// thread of its own (it runs its own runtime). The check's failure is told, not an error:
/// the key is saved.
pub fn import_csv(
    snap: &Snapshot,
    k: usize,
    front: &Server,
    name: &str,
    csv: &SecretString,
) -> Result<(app::keys::Imported, Result<app::keys::KeyCheck, String>), WebError> {
    use secrecy::ExposeSecret;
    let course = &snap.env.course;
    let imported = app::keys::import_csv(front, course, k, name, csv.expose_secret().as_bytes())?;
    let aws = app::AwsOptions::default();
    let lang = crate::i18n::lang();
    let check = std::thread::scope(|s| {
        s.spawn(|| {
            crate::i18n::in_lang(lang, || {
                app::keys::check_imported(front, course, k, &imported, &aws)
            })
        })
        .join()
        .unwrap_or_else(|_| {
            Err(AppError::ReadBack {
                lab: imported.lab.clone(),
            })
        })
    })
    .map_err(|e| match e {
        AppError::Iam(e) => app::keys::iam_message(&e),
        e => e.to_string(),
    });
    Ok((imported, check))
}

/// The note point a page's form names (as the page saw it) and the name chosen there.
pub struct PointAt {
    pub lab: String,
    pub step: String,
    pub point: usize,
    /// Its `data-names`.
    pub names: String,
    pub name: String,
}

/// What noting a value at a note point did, for the page's answer (never the value).
pub struct NotedAt {
    /// The key it was noted under, and the lab (as requests name it) it was noted in.
    pub key: String,
    pub lab: String,
    pub secret: bool,
    pub changed: bool,
    /// The age identity made to encrypt it, if one was.
    pub identity: Option<PathBuf>,
}

/// Note `value` at note point `point` of the lab named `lab` (step `step`, as the page
/// saw it), under `name`: an offer of the point's form or a name typed there. The same
/// use case as walk's `m`: the point's menu ([`app::notes::point_menus`]), the name looked
/// up there ([`app::notes::named`]: a known value by any of its written forms, else a new
/// entry), the write by [`app::notes::note_offer`] (encrypted when secret, an identity
/// made first when none exists). The point is found by its index and checked by its step
/// and names (`names`, `|`-separated, as the page's `data-names`); a page older than the
/// lab whose point cannot be found so is refused, saying so.
pub fn note_point(
    front: &Server,
    lang: crate::i18n::Lang,
    at: &PointAt,
    value: &SecretString,
) -> Result<NotedAt, WebError> {
    let PointAt {
        lab,
        step,
        point,
        names,
        name,
    } = at;
    let point = *point;
    let course = app::open_course(front)?;
    let k = course.resolve(lab).map_err(AppError::from)?;
    let cfg = app::course_config(front)?;
    let records = app::load_journal(front)?;
    let menus = app::notes::point_menus(&course, &cfg, &records, k);
    let l = &course.labs[k].lab;
    // The point the page saw: its index, unless the lab changed since (a value noted adds
    // a memo entry, which is a note point too): then the one point of that step asking
    // for the same names.
    let same = |m: &app::notes::PointMenu| {
        m.step.map_or("", |s| l.steps[s].id.as_str()) == step.as_str()
            && m.names.join("|") == *names
    };
    let m = match menus.get(point) {
        Some(m) if same(m) => m,
        _ => {
            let mut found = menus.iter().filter(|m| same(m));
            match (found.next(), found.next()) {
                (Some(m), None) => m,
                (None, _) if point >= menus.len() => {
                    return Err(WebError::Request(crate::t_in!(
                        lang,
                        "page-note-no-point",
                        lab = l.id,
                        point = point
                    )))
                }
                _ => return Err(WebError::Request(crate::t_in!(lang, "page-note-stale"))),
            }
        }
    };
    if name.trim().is_empty() {
        return Err(WebError::Request(crate::t_in!(lang, "page-note-no-name")));
    }
    let o = app::notes::named(&course, &cfg, k, &m.menu, name);
    let n = app::notes::note_offer(front, &course, &o, value)?;
    Ok(NotedAt {
        key: o.key.trim().to_string(),
        lab: course.labs[n.lab].lab.id.clone(),
        secret: n.secret,
        changed: n.written == app::memo::Written::Changed,
        identity: n.identity.filter(|i| i.created).map(|i| i.path),
    })
}

/// What the source of value `key` gives now, for the note form of lab `lab` (the page's
/// "Read from AWS" button): `None` when the value has no source. Read-only.
pub fn source_read(
    front: &Server,
    lab: &str,
    key: &str,
) -> Result<Option<app::sources::ValueFound>, WebError> {
    let course = app::open_course(front)?;
    course.resolve(lab).map_err(AppError::from)?;
    Ok(app::sources::found_for(front, &course, key)?)
}

/// Note the candidate the page picked (`resource`, `value`) of value `key`, as walk's `m`
/// notes it: read from the source again, so only what the source gives now is noted (a
/// value the page sends is never noted as such); a candidate gone or changed since the page
/// read it is refused, saying so. Noted in the lab the one rule gives, with its provenance.
pub fn source_note(
    front: &Server,
    lang: crate::i18n::Lang,
    lab: &str,
    key: &str,
    resource: &str,
    value: &str,
) -> Result<NotedAt, WebError> {
    let course = app::open_course(front)?;
    let k = course.resolve(lab).map_err(AppError::from)?;
    let cfg = app::course_config(front)?;
    let Some(mut found) = app::sources::found_for(front, &course, key)? else {
        return Err(WebError::Request(crate::t_in!(
            lang,
            "page-source-none",
            key = key
        )));
    };
    let Some(pick) = found
        .outcome
        .candidates()
        .iter()
        .find(|c| c.resource == resource && c.value == value)
        .cloned()
    else {
        return Err(WebError::Request(crate::t_in!(
            lang,
            "page-source-changed",
            key = key
        )));
    };
    let target = app::notes::note_target(&course, &cfg, k, key);
    found.lab = target.lab;
    found.key = target.key.clone();
    let n = app::sources::note(front, &course, &found, &pick)?;
    Ok(NotedAt {
        key: target.key.trim().to_string(),
        lab: course.labs[n.lab].lab.id.clone(),
        secret: n.secret,
        changed: n.written == app::memo::Written::Changed,
        identity: None,
    })
}
