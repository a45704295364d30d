//! `aws-profile`: a profile of the AWS config file whose `credential_process` is labnote.
//!
//! The AWS CLI, boto3 and the SDKs use a profile's static keys in `~/.aws/credentials` before
//! its `credential_process`, so a student who ran `aws configure --profile lab` first would
//! keep signing with the old key, silently: we warn, and `--replace` comments those keys out
//! (after a backup). The command line pins the course and the identity file, so AWS tools
//! started from another environment (another `XDG_CONFIG_HOME`, no `LABNOTE_IDENTITY`) still
//! find them.

use std::path::{Path, PathBuf};

use super::{AppError, Front};
use crate::awsconfig::{self, FileKind};
use crate::t;

/// What `aws-profile NAME` sets up.
#[derive(Debug, Clone, Default)]
pub struct ProfileRequest {
    /// The profile's region (default: `region` of course.yaml).
    pub region: Option<String>,
    /// Pin the profile to one lab's key (default: the latest pair noted in the course).
    pub lab: Option<String>,
    /// Comment out static keys of the same profile (a backup of each changed file is kept).
    pub replace: bool,
}

/// A mistake of the student's (a bad name, no such profile): exit 1.
fn user(message: String) -> AppError {
    AppError::AwsFiles {
        message,
        user: true,
    }
}

/// An AWS file that cannot be read or written: exit 2.
fn data(message: String) -> AppError {
    AppError::AwsFiles {
        message,
        user: false,
    }
}

fn config_path() -> Result<PathBuf, AppError> {
    awsconfig::config_file().ok_or_else(|| user(t!("awsprofile-no-config-file")))
}

fn credentials_path() -> Result<PathBuf, AppError> {
    awsconfig::credentials_file().ok_or_else(|| user(t!("awsprofile-no-credentials-file")))
}

/// The file's bytes (kept for the backup) and text; `None` when it does not exist.
fn read_text(path: &Path) -> Result<Option<(Vec<u8>, String)>, AppError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(data(format!("{}: {e}", path.display()))),
    };
    let text = String::from_utf8(bytes.clone()).map_err(|e| {
        data(t!(
            "awsprofile-not-utf8",
            path = path,
            byte = e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(Some((bytes, text)))
}

/// Keeps `bytes` (the file before our change) next to `path`, mode 0600. `always`: a new
/// backup even when an older one exists (`.labnote-backup.2`, …), for a change that drops
/// something the older backup may not hold.
fn backup(front: &dyn Front, path: &Path, bytes: &[u8], always: bool) -> Result<(), AppError> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 1..1000 {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(".{n}")
        };
        let b = path.with_file_name(format!("{file}.labnote-backup{suffix}"));
        if std::fs::symlink_metadata(&b).is_err() {
            crate::store::write_private(&b, bytes, false)?;
            front.note(&t!("awsprofile-backup", path = path, backup = b));
            return Ok(());
        }
        if !always {
            return Ok(());
        }
    }
    Err(data(t!("awsprofile-too-many-backups", path = path)))
}

/// Replaces (or creates, mode 0600) an AWS file, backing up what was there.
fn write(
    front: &dyn Front,
    path: &Path,
    old: Option<&[u8]>,
    new: &str,
    always_backup: bool,
) -> Result<(), AppError> {
    match old {
        Some(b) => {
            backup(front, path, b, always_backup)?;
            crate::store::write_atomic(path, new.as_bytes())?;
        }
        None => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| data(format!("{}: {e}", dir.display())))?;
            }
            crate::store::write_private(path, new.as_bytes(), false)?;
        }
    }
    Ok(())
}

/// `labnote-credentials` beside the running `labnote` (cargo installs both): the small
/// executable that runs `credential-process` alone and starts in a third of the time, as the
/// AWS tools start it before every command. `None` when it is not there (a `labnote` copied
/// alone): then `labnote` itself is the command.
pub fn credentials_exe(labnote: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let name = format!("labnote-credentials{}", std::env::consts::EXE_SUFFIX);
    let small = labnote.with_file_name(name).canonicalize().ok()?;
    let meta = small.metadata().ok()?;
    (meta.is_file() && meta.permissions().mode() & 0o111 != 0).then_some(small)
}

/// The `credential_process` command: labnote (its [`credentials_exe`] when installed), the
/// course and the identity, absolute.
fn process_command(front: &dyn Front, lab_id: Option<&str>) -> Result<String, AppError> {
    let q = |p: &Path| awsconfig::quote_arg(&p.to_string_lossy());
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| data(t!("awsprofile-no-own-path", reason = e)))?;
    let exe = credentials_exe(&exe).unwrap_or(exe);
    let course = front
        .course_dir()
        .canonicalize()
        .map_err(|e| data(format!("{}: {e}", front.course_dir().display())))?;
    let id = crate::secret::identity_path();
    let identity = id
        .canonicalize()
        .map_err(|e| data(t!("awsprofile-identity", path = id, reason = e)))?;
    let mut cmd = format!(
        "{} --course {} --identity {} credential-process",
        q(&exe),
        q(&course),
        q(&identity)
    );
    if let Some(l) = lab_id {
        // A lab known by its file stem may have spaces in its id.
        cmd.push_str(&format!(" --lab {}", awsconfig::quote_arg(l)));
    }
    Ok(cmd)
}

/// `file:line, …` of the profile's static keys in `text`.
fn key_lines(path: &Path, text: &str, kind: FileKind, name: &str) -> Vec<String> {
    awsconfig::static_key_lines(text, kind, name)
        .iter()
        .map(|n| format!("{}:{n}", path.display()))
        .collect()
}

/// A rewrite of the credentials file still to be done: (path, old bytes, new text).
type PendingWrite = (PathBuf, Vec<u8>, String);

/// Warns about the profile's static keys in the credentials and config files, or with
/// `replace` comments them out: returns the config text to continue from and the
/// credentials file's new text, to be written after the config file.
fn static_keys(
    front: &dyn Front,
    name: &str,
    replace: bool,
    path: &Path,
    text: String,
) -> Result<(String, Option<PendingWrite>), AppError> {
    let cred_path = credentials_path()?;
    let creds = read_text(&cred_path)?;
    let mut found = creds
        .as_ref()
        .map(|c| key_lines(&cred_path, &c.1, FileKind::Credentials, name))
        .unwrap_or_default();
    found.extend(key_lines(path, &text, FileKind::Config, name));
    if found.is_empty() {
        return Ok((text, None));
    }
    if !replace {
        front.warn(&t!(
            "awsprofile-static-keys",
            name = name,
            lines = found.join(", ")
        ));
        return Ok((text, None));
    }
    let pending = creds.and_then(|(bytes, t)| {
        awsconfig::comment_out_static_keys(&t, FileKind::Credentials, name)
            .map(|new| (cred_path, bytes, new))
    });
    let text = awsconfig::comment_out_static_keys(&text, FileKind::Config, name).unwrap_or(text);
    front.note(&t!(
        "awsprofile-commenting-out",
        name = name,
        lines = found.join(", ")
    ));
    Ok((text, pending))
}

pub fn set(front: &dyn Front, name: &str, a: &ProfileRequest) -> Result<(), AppError> {
    awsconfig::check_profile_name(name).map_err(user)?;
    let course = super::open_course(front)?;
    let cfg = super::course_config(front)?;
    let k = a.lab.as_deref().map(|l| course.resolve(l)).transpose()?;
    // The pair must exist and decrypt now, so the profile works when the AWS tools call it.
    super::keys::key_pair(front, &course, a.lab.as_deref())?;
    let cmd = process_command(front, k.map(|k| course.labs[k].lab.id.as_str()))?;
    let region = a.region.clone().or_else(|| cfg.region.clone());

    let path = config_path()?;
    let old = read_text(&path)?;
    let text = old.as_ref().map(|o| o.1.clone()).unwrap_or_default();
    let (text, pending) = static_keys(front, name, a.replace, &path, text)?;
    let mut settings: Vec<(&str, &str)> = vec![("credential_process", cmd.as_str())];
    if let Some(r) = &region {
        settings.push(("region", r));
    } else {
        front.warn(&t!("awsprofile-no-region"));
    }
    let new = awsconfig::set_profile(&text, name, &settings)
        .or_else(|| old.as_ref().is_some_and(|o| o.1 != text).then_some(text));
    match &new {
        Some(new) => {
            let old_bytes = old.as_ref().map(|o| o.0.as_slice());
            write(front, &path, old_bytes, new, false)?;
        }
        None => front.note(&t!("awsprofile-unchanged", name = name, path = path)),
    }
    // After the config file: a failure there leaves the old keys in place, not no keys.
    if let Some((p, bytes, t)) = pending {
        write(front, &p, Some(&bytes), &t, true)?;
    }
    if new.is_some() {
        front.note(&t!("awsprofile-set", name = name, path = path));
    }
    Ok(())
}

/// What a labnote `credential_process` command pins: (course, lab, identity).
fn pinned(cmd: &str) -> Option<(String, Option<String>, Option<String>)> {
    let words = shlex::split(cmd)?;
    if !words.iter().any(|w| w == "credential-process") {
        return None;
    }
    let after = |opt: &str| {
        words
            .iter()
            .position(|w| w == opt)
            .and_then(|i| words.get(i + 1).cloned())
    };
    Some((after("--course")?, after("--lab"), after("--identity")))
}

/// A profile of the AWS config file whose key comes from labnote, as `--list` shows it.
pub struct LabnoteProfile {
    pub name: String,
    pub course: String,
    /// The lab it is pinned to (`None`: the latest pair of the course).
    pub lab: Option<String>,
    pub region: Option<String>,
    /// The identity file it names (`None`: the default one).
    pub identity: Option<String>,
}

/// The labnote profiles of the AWS config file, and that file's path.
pub fn list() -> Result<(PathBuf, Vec<LabnoteProfile>), AppError> {
    let path = config_path()?;
    let text = read_text(&path)?.map(|t| t.1).unwrap_or_default();
    let mut found = Vec::new();
    for (name, cp) in awsconfig::profiles(&text, FileKind::Config) {
        let Some((course, lab, identity)) = cp.as_deref().and_then(pinned) else {
            continue;
        };
        let region = awsconfig::get(&text, FileKind::Config, &name, "region");
        found.push(LabnoteProfile {
            name,
            course,
            lab,
            region,
            identity,
        });
    }
    Ok((path, found))
}

pub fn remove(front: &dyn Front, name: &str) -> Result<(), AppError> {
    let path = config_path()?;
    let Some((bytes, text)) = read_text(&path)? else {
        return Err(user(t!("awsprofile-no-file", path = path)));
    };
    let cp = awsconfig::get(&text, FileKind::Config, name, "credential_process");
    if cp.as_deref().and_then(pinned).is_none() {
        let foreign = awsconfig::profiles(&text, FileKind::Config)
            .iter()
            .any(|p| p.0 == name);
        return Err(user(if foreign {
            t!("awsprofile-not-ours", name = name, path = path)
        } else {
            t!("awsprofile-no-such-profile", name = name, path = path)
        }));
    }
    let new = awsconfig::remove_profile(&text, FileKind::Config, name).unwrap_or(text);
    write(front, &path, Some(&bytes), &new, true)?;
    front.note(&t!("awsprofile-removed", name = name, path = path));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_reads_labnote_commands_only() {
        let cmd = "/usr/bin/labnote --course '/home/a b/c' --identity /k/id.txt credential-process --lab 2-4";
        assert_eq!(
            pinned(cmd),
            Some((
                "/home/a b/c".into(),
                Some("2-4".into()),
                Some("/k/id.txt".into())
            ))
        );
        assert_eq!(pinned("aws-vault exec x --json"), None);
        assert_eq!(pinned("labnote credential-process"), None);
    }
}
