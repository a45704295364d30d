//! The changes a page can ask for, each through the same code as its CLI command:
//! `done`/`undo` ([`crate::cli::shared::mark`]), `memo set` ([`crate::cli::shared::set_value`]),
//! `memo unset`, `issue-key` ([`crate::issue::issue`]); and the two answers that carry a
//! secret: a revealed value and a code block's text for the clipboard.

use std::sync::Mutex;

use secrecy::{ExposeSecret, SecretString};

use super::state::Snapshot;
use crate::cli::shared;
use crate::cli::{Ctx, Failure};
use crate::iam::{AwsOptions, Iam, KeyInfo};
use crate::issue::{self, Ui};
use crate::resolve::Source;
use crate::view::{self, Fill, FillValue, Piece, Segment};

/// A quiet command context for the course (messages go nowhere; warnings to stderr).
pub fn ctx(course_dir: &std::path::Path) -> Ctx {
    Ctx {
        course_dir: course_dir.to_path_buf(),
        quiet: true,
        verbose: 0,
        color: false,
    }
}

pub fn mark(ctx: &Ctx, lab: &str, step: &str, done: bool) -> Result<(), Failure> {
    shared::mark(ctx, lab, &[step.to_string()], done)
}

/// `memo set`: refuses an empty value (that is `unset`), encrypts secrets.
pub fn memo_set(
    ctx: &Ctx,
    lab: &str,
    key: &str,
    value: &SecretString,
    secret: bool,
) -> Result<bool, Failure> {
    if value.expose_secret().trim().is_empty() {
        return Err(Failure::user(format!(
            "no value given for '{}'; to empty an entry use Unset",
            key.trim()
        )));
    }
    let course = ctx.open_course()?;
    let k = course.resolve(lab)?;
    let w = shared::set_value(ctx, &course, k, key, value, secret, None)?;
    Ok(w == shared::Written::Changed)
}

pub fn memo_unset(ctx: &Ctx, lab: &str, key: &str) -> Result<(), Failure> {
    shared::unset(ctx, lab, key)
}

/// The plaintext of memo entry `key` of lab `k`.
pub fn reveal_key(snap: &Snapshot, k: usize, key: &str) -> Result<SecretString, Failure> {
    let lab = &snap.course.labs[k].lab;
    let e = crate::memo::find(lab, key).ok_or_else(|| {
        Failure::user(format!("lab {} has no memo entry '{}'", lab.id, key.trim()))
    })?;
    if e.value.is_empty() {
        return Err(Failure::user(format!("'{}' is not noted yet", e.key)));
    }
    shared::reveal(&e.value, &lab.id, &e.key, &mut None)
}

/// The value placeholder `name` of lab `k` stands for, revealed.
pub fn reveal_placeholder(snap: &Snapshot, k: usize, name: &str) -> Result<SecretString, Failure> {
    let lab = &snap.course.labs[k].lab;
    if !lab.placeholders.iter().any(|p| p.name == name.trim()) {
        return Err(Failure::user(format!(
            "lab {} has no placeholder <<{}>>",
            lab.id,
            name.trim()
        )));
    }
    let res = super::pages::resolver(snap);
    match res.resolve(name).source {
        Some(Source::Memo {
            lab_index,
            key,
            raw,
            ..
        }) => {
            let from = &snap.course.labs[lab_index].lab.id;
            shared::reveal(&raw, from, &key, &mut None)
        }
        Some(Source::Builtin { value }) => Ok(SecretString::from(value)),
        None => Err(Failure::user(format!(
            "<<{}>> is not noted yet",
            name.trim()
        ))),
    }
}

/// The text of code block `ordinal` of lab `k` with every placeholder filled, secrets
/// included (an unresolved one stays `<<name>>`).
pub fn code_text(snap: &Snapshot, k: usize, ordinal: usize) -> Result<SecretString, Failure> {
    let cl = &snap.course.labs[k];
    let res = super::pages::resolver(snap);
    let masked = super::pages::masked_fill(snap, &res);
    let failure: Mutex<Option<Failure>> = Mutex::new(None);
    let fill = |name: &str| -> Fill {
        let mut f = masked(name);
        if let FillValue::Secret(_) = f.value {
            match reveal_placeholder(snap, k, name) {
                Ok(v) => f.value = FillValue::Secret(Some(v)),
                Err(e) => *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e),
            }
        }
        f
    };
    let files = view::Files {
        lab_dir: std::path::Path::new(""),
        root: std::path::Path::new("/"),
        exists: &|_| false,
    };
    let pieces = view::lab_view(
        &cl.lab,
        &snap.texts[k],
        &fill,
        &files,
        &crate::runner::is_runnable,
    );
    if let Some(f) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(f);
    }
    let block = pieces.into_iter().find_map(|p| match p {
        Piece::Code(c) if c.ordinal == ordinal => Some(c),
        _ => None,
    });
    let block = block
        .ok_or_else(|| Failure::user(format!("lab {} has no code block {ordinal}", cl.lab.id)))?;
    let mut out = String::new();
    for seg in block.segments {
        match seg {
            Segment::Text(t) => out.push_str(&t),
            Segment::Placeholder(f) => match f.value {
                FillValue::Plain(v) => out.push_str(&v),
                FillValue::Secret(Some(v)) => out.push_str(v.expose_secret()),
                _ => out.push_str(&format!("<<{}>>", f.name)),
            },
        }
    }
    Ok(SecretString::from(out))
}

/// What issuing a key for a lab would do: the IAM user, its keys, the one to retire.
pub struct Preview {
    pub user: String,
    pub keys: Vec<KeyInfo>,
    pub retire: Option<String>,
}

fn aws_options(snap: &Snapshot) -> AwsOptions {
    AwsOptions {
        region: snap.cfg.region.clone(),
        ..AwsOptions::default()
    }
}

/// Ask IAM what `issue-key` would do, changing nothing. The key to retire is chosen by the
/// same rule as the issuance ([`crate::iam::choose_key_to_retire`]).
pub async fn issue_preview(snap: &Snapshot, k: usize) -> Result<Preview, Failure> {
    let cl = &snap.course.labs[k];
    let iam = Iam::connect(&aws_options(snap))
        .await
        .map_err(|e| Failure::data(e.to_string()))?;
    let user = match snap.cfg.iam_user(&cl.lab.id) {
        Some(u) => u.to_string(),
        None => iam
            .caller()
            .await
            .map_err(|e| Failure::data(e.to_string()))?
            .user_name
            .ok_or_else(|| {
                Failure::user(format!(
                    "you are not signed in as an IAM user: set iam_user for lab {} in course.yaml",
                    cl.lab.id
                ))
            })?,
    };
    let mut keys = iam
        .list_keys_brief(&user)
        .await
        .map_err(|e| Failure::data(e.to_string()))?;
    let mut retire = None;
    if keys.len() >= 2 {
        iam.fill_last_used(&user, &mut keys)
            .await
            .map_err(|e| Failure::data(e.to_string()))?;
        let protected = issue::noted_key_ids(&snap.course);
        retire = crate::iam::choose_key_to_retire(&keys, iam.signing_key_id(), &protected, None)
            .map_err(|e| Failure::user(e.to_string()))?
            .map(|k| k.id);
    }
    Ok(Preview { user, keys, retire })
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

/// Issue a key through [`issue::issue`], on a thread of its own (it runs its own runtime).
pub fn issue_key(
    snap: &Snapshot,
    k: usize,
    course_dir: &std::path::Path,
    confirmed: Option<String>,
) -> Result<issue::Outcome, Failure> {
    let cl = &snap.course.labs[k];
    let req = issue::Request {
        course_dir,
        lab_path: &cl.path,
        lab_rel: &cl.rel_path,
        stem: &cl.stem,
        user: snap.cfg.iam_user(&cl.lab.id).map(str::to_string),
        description: None,
        // The issuance chooses the key to retire by its own rule; it goes ahead only when that
        // is the key the student confirmed.
        retire: None,
        rotate: false,
        aws: aws_options(snap),
        protected: issue::noted_key_ids(&snap.course),
    };
    let ui = WebUi { confirmed };
    std::thread::scope(|s| {
        s.spawn(|| issue::issue(&req, &ui))
            .join()
            .unwrap_or_else(|_| Err(issue::IssueError::Data("the issuance thread failed".into())))
    })
    .map_err(Failure::from)
}
