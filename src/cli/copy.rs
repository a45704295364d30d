//! `labnote copy NAME`: a memo value or placeholder on the clipboard, never printed.

use secrecy::SecretString;

use super::{CmdResult, Ctx, Failure};
use crate::config::CourseConfig;
use crate::resolve::{Resolver, Source};

/// The name as the student may have copied it from a lab: `"<<발급받은 AWS Secret Access
/// key>>"`, `` `<<github_token>>` ``, `<< github_token >>`, or the bare key.
pub fn bare_name(arg: &str) -> &str {
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
    let course = ctx.open_course()?;
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let records = ctx.load_journal()?;
    let resolver = Resolver::new(&course, &cfg, &records, Resolver::local_today());
    let res = resolver.resolve(name);
    let mut keyring = None;
    let Some((value, origin)) = value_of(&course, &res, &mut keyring)? else {
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
    course: &crate::course::Course,
    res: &crate::resolve::Resolution,
    keyring: &mut Option<crate::secret::Keyring>,
) -> Result<Option<(SecretString, String)>, Failure> {
    Ok(match &res.source {
        None => None,
        Some(Source::Builtin { value }) => Some((
            SecretString::from(value.clone()),
            "computed by labnote".to_string(),
        )),
        Some(Source::Memo {
            lab_index,
            key,
            raw,
            ..
        }) => {
            let lab = &course.labs[*lab_index].lab;
            let v = super::memo::reveal(raw, &lab.id, key, keyring)?;
            Some((v, format!("«{key}» of lab {}", lab.id)))
        }
    })
}

/// Put `value` on every clipboard within reach; the places it reached, or a failure when
/// there is none (naming `memo get`, which prints it).
pub(super) fn to_clipboard(
    name_arg: &str,
    name: &str,
    value: &SecretString,
) -> Result<Vec<&'static str>, Failure> {
    let reached = crate::clipboard::copy(value);
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
