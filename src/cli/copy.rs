//! `labnote copy NAME`: a memo value or placeholder on the clipboard, never printed.

use super::{CmdResult, Ctx, Failure};
use secrecy::SecretString;

use crate::app::resolve::Source;

/// The name as the student may have copied it from a lab: `"<<발급받은 AWS Secret Access
/// key>>"`, `` `<<github_token>>` ``, `<< github_token >>`, or the bare key.
fn bare_name(arg: &str) -> &str {
    let mut s = arg.trim();
    loop {
        let before = s;
        s = s.trim_matches(['"', '\'', '`', '*', '_']).trim();
        if let Some(inner) = s.strip_prefix("<<").and_then(|r| r.strip_suffix(">>")) {
            s = inner.trim();
        }
        if s == before {
            return s;
        }
    }
}

pub fn copy(ctx: &Ctx, name_arg: &str) -> CmdResult {
    let name = bare_name(name_arg);
    if name.is_empty() {
        return Err(Failure::user(crate::t!("copy-no-name")));
    }
    let env = crate::app::resolve::Env::load(ctx)?;
    let res = env.resolver().resolve(name);
    let mut keyring = None;
    let Some((value, origin)) = value_of(&env.course, &res, &mut keyring)? else {
        let hint = res.suggestion.as_deref().map_or(String::new(), |s| {
            crate::t!("copy-closest", key = s.to_string())
        });
        return Err(Failure::user(crate::t!(
            "copy-not-noted",
            arg = name_arg,
            name = name,
            hint = hint
        )));
    };
    let reached = to_clipboard(name_arg, name, &value)?;
    let places = reached.join(", ");
    let msg = if res.secret {
        crate::t!("copy-copied-secret", origin = origin, places = places)
    } else {
        crate::t!("copy-copied", origin = origin, places = places)
    };
    ctx.note(&msg);
    Ok(())
}

/// The value `res` stands for, decrypted, and where it came from; `None` when nothing is
/// noted for it.
pub(super) fn value_of(
    course: &crate::app::Course,
    res: &crate::app::resolve::Resolution,
    keyring: &mut Option<crate::app::resolve::Keyring>,
) -> Result<Option<(SecretString, String)>, Failure> {
    let Some(v) = crate::app::resolve::value_of(course, res, keyring)? else {
        return Ok(None);
    };
    let origin = match &res.source {
        Some(Source::Memo { lab_index, key, .. }) => {
            crate::t!(
                "copy-origin-memo",
                key = key.clone(),
                lab = course.labs[*lab_index].lab.id.clone()
            )
        }
        _ => crate::t!("copy-origin-computed"),
    };
    Ok(Some((v, origin)))
}

/// Put `value` on every clipboard within reach; the places it reached, or a failure when
/// there is none (naming `memo get`, which prints it).
pub(super) fn to_clipboard(
    name_arg: &str,
    name: &str,
    value: &SecretString,
) -> Result<Vec<String>, Failure> {
    let reached = super::clipboard::copy(value);
    if reached.is_empty() {
        return Err(Failure::user(crate::t!(
            "copy-no-clipboard",
            arg = name_arg,
            name = name
        )));
    }
    Ok(reached)
}

#[cfg(test)]
mod tests {
    use super::bare_name;

    #[test]
    fn written_forms() {
        for (arg, want) in [
            (
                "\"<<발급받은 AWS Secret Access key>>\"",
                "발급받은 AWS Secret Access key",
            ),
            ("`<<github_token>>`", "github_token"),
            ("<< github_token >>", "github_token"),
            ("**<< github_username>>**", "github_username"),
            ("github_token", "github_token"),
        ] {
            assert_eq!(bare_name(arg), want, "{arg}");
        }
    }
}
