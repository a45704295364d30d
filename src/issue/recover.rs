//! Finishing or undoing an interrupted issuance, from its checked pending file.
//!
//! What may be deleted is decided by IAM's clock only: the intent records the `Date` of the
//! listing just before CreateAccessKey and a deadline after which that request cannot have
//! been carried out. A key IAM made in that window, that was not listed and is not noted in
//! any memo of the course, can be this issuance's; when exactly one can, it is deleted (its
//! secret never reached labnote), when several can, none is, and they are named.

use std::path::Path;

use crate::iam::{AwsOptions, Iam, IamError, KeyInfo};
use crate::journal::{Event, Journal, Record};

use super::pending::{self, Checked, Pending, Stage};
use super::{retire, runtime, IssueError, Ui};

/// Finish or undo the issuance `c` describes; the pending file is removed once done (kept,
/// with a message, when IAM cannot be reached). Returns messages for the student.
pub fn run(course_dir: &Path, c: Checked, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    match c.p.stage {
        Stage::Created => finish_created(course_dir, c, ui),
        Stage::Saved => {
            let mut msgs = Vec::new();
            retire_old(course_dir, &c.p, ui, &mut msgs)?;
            Ok(msgs)
        }
        Stage::Intent => undo_intent(course_dir, &c, ui),
        Stage::Retiring => undo_retiring(course_dir, &c.p, ui),
    }
}

/// The command that starts the step again, as the student would type it.
fn rerun_advice(p: &Pending) -> String {
    let mut cmd = format!("labnote issue-key {} --user {}", p.lab, p.user);
    if p.rotate {
        cmd.push_str(" --rotate");
    }
    if p.confirmed || p.rotate {
        cmd.push_str(" --yes");
    }
    cmd
}

fn connect(p: &Pending, ui: &dyn Ui) -> Result<(tokio::runtime::Runtime, Iam), IssueError> {
    let opts = AwsOptions {
        profile: p.profile.clone(),
        region: p.region.clone(),
        endpoint_url: p.endpoint_url.clone(),
        ..AwsOptions::default()
    };
    ui.progress("checking an interrupted issue-key with AWS IAM…");
    let rt = runtime()?;
    let iam = rt
        .block_on(Iam::connect(&opts))
        .map_err(|e| unreachable(p, &e))?;
    Ok((rt, iam))
}

fn unreachable(p: &Pending, e: &IamError) -> IssueError {
    IssueError::Data(format!(
        "an interrupted issue-key for user {} needs checking, but AWS IAM did not answer: {e}. The next labnote command (e.g. `labnote labs`) checks again",
        p.user
    ))
}

/// Stage `created`: write the memo; then, for a rotation, retire the old key.
fn finish_created(course_dir: &Path, c: Checked, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    let mut p = c.p;
    let key_id = p.key_id.clone().unwrap_or_default();
    super::finish_pending(course_dir, &c.target, &p)?;
    let mut msgs = vec![format!(
        "finished an interrupted issue-key: access key {key_id} of {} is now saved in lab {} ({}), its secret encrypted",
        p.user, p.lab, p.path
    )];
    if p.retire_after.is_some() {
        p.stage = Stage::Saved;
        pending::write(course_dir, &p)?;
        retire_old(course_dir, &p, ui, &mut msgs)?;
    } else {
        pending::remove(course_dir)?;
    }
    Ok(msgs)
}

/// Stage `saved`: the memo holds the new key; retire the old one. When IAM cannot be
/// reached the pending file stays and the message says the next command retries.
fn retire_old(
    course_dir: &Path,
    p: &Pending,
    ui: &dyn Ui,
    msgs: &mut Vec<String>,
) -> Result<(), IssueError> {
    let old = p.retire_after.clone().unwrap_or_default();
    let done = connect(p, ui).and_then(|(rt, iam)| {
        ui.progress(&format!("retiring the old key {old}…"));
        retire(&rt, &iam, &p.user, &old)
    });
    if let Err(e) = done {
        msgs.push(format!(
            "the old access key {old} of {} is still to be retired ({e}); the next labnote command (e.g. `labnote labs`) retries",
            p.user
        ));
        return Ok(());
    }
    Journal::for_course(course_dir).append(&[Record::new(&p.lab, Event::RetiredKey)
        .detail("user", p.user.as_str())
        .detail("access_key_id", old.as_str())])?;
    msgs.push(format!(
        "finished an interrupted rotation: retired the old access key {old} of {} (lab {} holds the new key {})",
        p.user,
        p.lab,
        p.key_id.as_deref().unwrap_or_default()
    ));
    pending::remove(course_dir)
}

/// The keys among `keys` that the create recorded in `c` can have made, except `keep`.
pub fn candidates<'a>(
    keys: &'a [KeyInfo],
    before: &[String],
    noted: &[String],
    window: (jiff::Timestamp, jiff::Timestamp),
    keep: Option<&str>,
) -> Vec<&'a KeyInfo> {
    keys.iter()
        .filter(|k| !before.contains(&k.id) && !noted.contains(&k.id))
        .filter(|k| keep != Some(k.id.as_str()))
        // A key without a creation time cannot be excluded.
        .filter(|k| k.created.is_none_or(|t| t >= window.0 && t <= window.1))
        .collect()
}

/// Delete the one key the recorded create can have made; name them all when there are
/// several. Returns (deleted, named).
pub fn clean_unsaved(
    rt: &tokio::runtime::Runtime,
    iam: &Iam,
    c: &Checked,
    keep: Option<&str>,
) -> Result<(Vec<String>, Vec<String>), IssueError> {
    let Some(window) = c.window else {
        return Ok((Vec::new(), Vec::new()));
    };
    let keys = match rt.block_on(iam.list_keys_brief(&c.p.user)) {
        Ok(k) => k,
        // No user, no key.
        Err(IamError::NoSuchUser { .. }) => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(e.into()),
    };
    let found = candidates(&keys, &c.p.before, &c.noted, window, keep);
    match found.as_slice() {
        [] => Ok((Vec::new(), Vec::new())),
        [one] => {
            retire(rt, iam, &c.p.user, &one.id)?;
            Ok((vec![one.id.clone()], Vec::new()))
        }
        many => Ok((Vec::new(), many.iter().map(|k| k.id.clone()).collect())),
    }
}

/// The message for keys that could each be the one whose secret was lost.
pub fn ambiguous(user: &str, ids: &[String]) -> String {
    format!(
        "access keys {} of {user} were all made by IAM while an issue-key was under way, and any of them may be the one whose secret never reached labnote, so labnote deleted none. Check them with `aws iam list-access-keys --user-name {user}`; a key you have no secret for can be deleted with `aws iam delete-access-key --user-name {user} --access-key-id ID`",
        ids.join(", ")
    )
}

/// Stage `intent`: the create may have happened; delete the key it made.
fn undo_intent(course_dir: &Path, c: &Checked, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    let p = &c.p;
    let (rt, iam) = connect(p, ui)?;
    let (deleted, named) = clean_unsaved(&rt, &iam, c, None).map_err(|e| match e {
        IssueError::Iam(e) => unreachable(p, &e),
        e => e,
    })?;
    let again = rerun_advice(p);
    let mut msgs = Vec::new();
    for id in &deleted {
        msgs.push(format!(
            "an interrupted issue-key had created access key {id} for {} before its secret could be saved; that key was deleted (nothing else changed) — run `{again}` again",
            p.user
        ));
    }
    if !named.is_empty() {
        msgs.push(ambiguous(&p.user, &named));
        Journal::for_course(course_dir).append(&[Record::new(&p.lab, Event::UnsavedKeys)
            .detail("user", p.user.as_str())
            .detail("access_key_ids", named.join(", "))])?;
    }
    if deleted.is_empty() && named.is_empty() {
        msgs.push(format!(
            "an interrupted issue-key for {} had not created a key; nothing to clean up — run `{again}` again",
            p.user
        ));
    }
    if !p.retired.is_empty() {
        msgs.push(format!(
            "note: before it was interrupted it had retired (deleted) access key {} of {}",
            p.retired.join(", "),
            p.user
        ));
    }
    if let Some(old) = &p.retire_after {
        msgs.push(format!(
            "the memo's access key {old} was not touched and still works"
        ));
    }
    pending::remove(course_dir)?;
    Ok(msgs)
}

/// Stage `retiring`: make the key active again if it still exists.
fn undo_retiring(course_dir: &Path, p: &Pending, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    let id = p.retiring.clone().unwrap_or_default();
    let (rt, iam) = connect(p, ui)?;
    let keys = rt
        .block_on(iam.list_keys_brief(&p.user))
        .map_err(|e| unreachable(p, &e))?;
    let again = rerun_advice(p);
    let msg = match keys.iter().find(|k| k.id == id) {
        Some(k) if !k.active && p.retiring_was_active => {
            rt.block_on(iam.activate_key(&p.user, &id))
                .map_err(|e| unreachable(p, &e))?;
            format!(
                "an interrupted issue-key was retiring access key {id} of {} to make room; it is active again and no key was created — run `{again}` again",
                p.user
            )
        }
        Some(_) => format!(
            "an interrupted issue-key was retiring access key {id} of {}; it was left as it was and no key was created — run `{again}` again",
            p.user
        ),
        None => {
            Journal::for_course(course_dir).append(&[Record::new(&p.lab, Event::RetiredKey)
                .detail("user", p.user.as_str())
                .detail("access_key_id", id.as_str())])?;
            format!(
                "an interrupted issue-key had retired (deleted) access key {id} of {} to make room; no key was created — run `{again}` again",
                p.user
            )
        }
    };
    pending::remove(course_dir)?;
    Ok(vec![msg])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, created: i64) -> KeyInfo {
        KeyInfo {
            id: id.into(),
            active: true,
            created: Some(jiff::Timestamp::from_second(created).unwrap()),
            last_used: None,
        }
    }

    fn ids(v: Vec<&KeyInfo>) -> Vec<&str> {
        v.into_iter().map(|k| k.id.as_str()).collect()
    }

    #[test]
    fn only_unlisted_unnoted_keys_inside_the_window_can_be_ours() {
        let at = |s| jiff::Timestamp::from_second(s).unwrap();
        let window = (at(100), at(110));
        let keys = [
            key("BEFORE", 105),
            key("NOTED", 105),
            key("OURS", 101),
            key("EARLY", 90),
            key("BYHAND", 125),
        ];
        let before = ["BEFORE".to_string()];
        let noted = ["NOTED".to_string()];
        assert_eq!(
            ids(candidates(&keys, &before, &noted, window, None)),
            ["OURS"]
        );
        assert!(candidates(&keys, &before, &noted, window, Some("OURS")).is_empty());
    }

    #[test]
    fn the_advice_repeats_what_was_asked() {
        let mut p = Pending {
            lab: "2-4".into(),
            user: "mspuser".into(),
            ..Pending::default()
        };
        assert_eq!(rerun_advice(&p), "labnote issue-key 2-4 --user mspuser");
        p.rotate = true;
        assert_eq!(
            rerun_advice(&p),
            "labnote issue-key 2-4 --user mspuser --rotate --yes"
        );
    }
}
