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
        return Err(Failure::user(
            "copy: name a memo key or placeholder, e.g. `labnote copy \"<<github_token>>\"`",
        ));
    }
    let env = crate::app::resolve::Env::load(ctx)?;
    let res = env.resolver().resolve(name);
    let mut keyring = None;
    let Some((value, origin)) = value_of(&env.course, &res, &mut keyring)? else {
        let hint = res
            .suggestion
            .as_deref()
            .map_or(String::new(), |s| format!(" (closest memo key: «{s}»)"));
        return Err(Failure::user(format!(
            "copy {name_arg}: no value is noted for «{name}»{hint}; note it with `labnote memo set LAB KEY VALUE`"
        )));
    };
    let reached = to_clipboard(name_arg, name, &value)?;
    let what = if res.secret { "secret " } else { "" };
    ctx.note(&format!(
        "copied the {what}value {origin} to: {}",
        reached.join(", ")
    ));
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
            format!("«{key}» of lab {}", course.labs[*lab_index].lab.id)
        }
        _ => "computed by labnote".to_string(),
    };
    Ok(Some((v, origin)))
}

/// Put `value` on every clipboard within reach; the places it reached, or a failure when
/// there is none (naming `memo get`, which prints it).
pub(super) fn to_clipboard(
    name_arg: &str,
    name: &str,
    value: &SecretString,
) -> Result<Vec<&'static str>, Failure> {
    let reached = super::clipboard::copy(value);
    if reached.is_empty() {
        return Err(Failure::user(format!(
            "copy {name_arg}: no clipboard to copy to (no terminal, no tmux, no wl-copy/xclip/xsel); `labnote memo get \"{name}\"` prints it"
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
