//! `init` and `memo list|set|get|unset|seal`: read the arguments (a value from the command
//! line, stdin or a prompt without echo), call the memo use case ([`crate::app::memo`]) and
//! print what it did.
//!
//! The plaintext of a secret lives in a `SecretString` from the moment it is read until it is
//! encrypted; it reaches stdout only through `memo get`.

use std::io::IsTerminal;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{print_json, CmdResult, Ctx, Failure};
use crate::app::memo::{self as use_case, set_value, Shown, Written};
use crate::t;

pub fn init(ctx: &Ctx) -> CmdResult {
    let made = crate::app::notes::make_identity()?;
    match made.created {
        true => ctx.note(&t!("memo-identity-created", path = made.path)),
        false => ctx.note(&t!("memo-identity-exists", path = made.path)),
    }
    println!("{}", made.public_key);
    Ok(())
}

pub fn list(ctx: &Ctx, lab_arg: Option<&str>, json: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let sel = crate::app::selected(&course, lab_arg)?;
    let rows = use_case::list(ctx, &course, &sel)?;
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|r| {
                let value = match &r.shown {
                    Shown::Empty => None,
                    Shown::Encrypted => Some("encrypted".to_string()),
                    Shown::Plaintext => Some("plaintext".to_string()),
                    Shown::Value(v) => Some(v.clone()),
                };
                json!({
                    "lab": r.lab,
                    "key": r.key,
                    "secret": r.secret,
                    "set": r.shown != Shown::Empty,
                    "encrypted": r.shown == Shown::Encrypted,
                    "value": value,
                    "from": r.from.as_ref().map(|p| json!({
                        "source": p.source, "region": p.region,
                        "resource": p.resource, "time": p.time,
                    })),
                })
            })
            .collect();
        print_json(&json!(v));
        return Ok(());
    }
    if rows.is_empty() {
        ctx.note(&t!("memo-no-entries"));
        return Ok(());
    }
    let kw = rows
        .iter()
        .map(|r| crate::render::width(&r.key))
        .max()
        .unwrap_or(0);
    for r in &rows {
        let lock = if r.secret { "🔒" } else { "  " };
        let shown = match &r.shown {
            Shown::Empty => "—".to_string(),
            Shown::Encrypted => "encrypted".to_string(),
            Shown::Plaintext => t!("memo-plaintext-secret"),
            Shown::Value(v) => v.clone(),
        };
        // -v: where a value read from its source came from.
        let from = match (&r.from, ctx.verbose > 0) {
            (Some(p), true) => format!("  — {}: {}", p.said(), p.resource),
            _ => String::new(),
        };
        println!(
            "{:<5} {lock} {}  {shown}{from}",
            r.lab,
            crate::render::pad(&r.key, kw)
        );
    }
    Ok(())
}

/// Read the value to set: the argument, `-` for all of stdin (only a final newline dropped),
/// or a prompt without echo on a terminal.
fn read_value(key: &str, arg: Option<String>) -> Result<SecretString, Failure> {
    match arg.as_deref() {
        Some("-") => {
            let mut line = String::new();
            let n = std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut line)
                .map_err(|e| Failure::user(t!("memo-stdin-unreadable", reason = e.to_string())))?;
            if n == 0 {
                // Nothing at all (not even an empty line): a failed command before the pipe,
                // not a value. Emptying the entry would lose what it holds.
                return Err(Failure::user(t!("memo-stdin-empty", key = key)));
            }
            // Every line is kept (a block of command output); only the final newline goes.
            let end = line.strip_suffix('\n').unwrap_or(&line);
            let trimmed = end.strip_suffix('\r').unwrap_or(end).to_string();
            zeroize::Zeroize::zeroize(&mut line);
            Ok(SecretString::from(trimmed))
        }
        Some(_) => Ok(SecretString::from(arg.unwrap_or_default())),
        None => {
            if !std::io::stdin().is_terminal() {
                return Err(Failure::user(t!("memo-no-value", key = key)));
            }
            let v = rpassword::prompt_password(format!("{key}: "))
                .map_err(|e| Failure::user(t!("memo-cannot-read", reason = e.to_string())))?;
            Ok(SecretString::from(v))
        }
    }
}

/// The key a name given to `memo set` is noted under ([`use_case::key_to_set`]). A name
/// that means no value of the course ("Identifier와 ARN", "EIP allocation id") is no
/// silent new entry: on a terminal the student is shown the close values and picks one (or
/// a new value); otherwise (stdin not a terminal, the value read from stdin, `-q`) it is
/// refused with the list, unless `--new`.
fn set_key(
    ctx: &Ctx,
    course: &crate::app::Course,
    name: &str,
    new: bool,
    value_from_stdin: bool,
) -> Result<String, Failure> {
    let close = match use_case::key_to_set(ctx, course, name, new) {
        Err(crate::app::AppError::UnknownName { close, .. })
            if !value_from_stdin
                && !ctx.quiet
                && std::io::stdin().is_terminal()
                && std::io::stderr().is_terminal() =>
        {
            close
        }
        r => return Ok(r?),
    };
    let name = name.trim();
    match choose_key(name, &close) {
        Some(Some(i)) => Ok(close[i].clone()),
        Some(None) => Ok(use_case::key_to_set(ctx, course, name, true)?),
        None => Err(Failure::user(t!("memo-unknown-name-kept"))),
    }
}

/// Ask which of the `close` values `name` meant: `Some(Some(i))` one of them, `Some(None)`
/// a new value under `name`, `None` nothing (an empty answer, end of input).
fn choose_key(name: &str, close: &[String]) -> Option<Option<usize>> {
    let mut head = if close.is_empty() {
        t!("memo20-ask-none", name = name)
    } else {
        t!("memo20-ask-close", name = name)
    };
    for (i, k) in close.iter().enumerate() {
        head.push_str(&format!("\n  {}) {k}", i + 1));
    }
    head.push_str(&format!("\n  n) {}", t!("memo20-ask-new", name = name)));
    let question = if close.is_empty() {
        t!("memo20-ask-which-new")
    } else {
        t!(
            "memo20-ask-which",
            choices = match close.len() {
                1 => "1".to_string(),
                n => format!("1-{n}"),
            }
        )
    };
    eprintln!("{head}");
    loop {
        let a = super::prompt::ask(&format!("{question} "))?;
        let a = a.trim();
        if a.is_empty() {
            return None;
        }
        if a.eq_ignore_ascii_case("n") {
            return Some(None);
        }
        if let Some(i) = a
            .parse::<usize>()
            .ok()
            .filter(|i| (1..=close.len()).contains(i))
        {
            return Some(Some(i - 1));
        }
        eprintln!("{}", t!("memo20-ask-again", answer = a));
    }
}

pub fn set(
    ctx: &Ctx,
    lab_arg: &str,
    key: &str,
    value: Option<String>,
    force_secret: bool,
    new: bool,
) -> CmdResult {
    let course = ctx.open_course()?;
    let k = course.resolve(lab_arg)?;
    let key = &set_key(ctx, &course, key, new, value.as_deref() == Some("-"))?;
    let on_command_line = value.as_deref().is_some_and(|v| v != "-");
    let value = read_value(key, value)?;
    if on_command_line && (force_secret || use_case::will_be_secret(ctx, &course, k, key)?) {
        ctx.note(&t!("memo-secret-on-command-line"));
    }
    let w = set_value(ctx, &course, k, key, &value, force_secret, None)?;
    let cl = &course.labs[k];
    match w {
        Written::Changed => ctx.note(&t!(
            "memo-noted",
            key = key.trim(),
            lab = cl.lab.id,
            path = cl.rel_path
        )),
        Written::Unchanged => ctx.note(&t!("memo-same-value", key = key.trim(), lab = cl.lab.id)),
    }
    Ok(())
}

pub fn unset(ctx: &Ctx, lab_arg: &str, key: &str) -> CmdResult {
    let course = ctx.open_course()?;
    let key = use_case::key_of(ctx, &course, key)?;
    let k = course.resolve(lab_arg)?;
    let lab = &course.labs[k].lab.id;
    match use_case::unset(ctx, &course, k, &key)? {
        (key, Written::Changed) => ctx.note(&t!("memo-emptied", key = key, lab = lab)),
        (key, Written::Unchanged) => ctx.note(&t!("memo-already-empty", key = key, lab = lab)),
    }
    Ok(())
}

/// `memo rm`: remove an entry labnote added (never the lab's own line).
pub fn rm(ctx: &Ctx, lab_arg: &str, key: &str) -> CmdResult {
    let course = ctx.open_course()?;
    let key = use_case::key_of(ctx, &course, key)?;
    let k = course.resolve(lab_arg)?;
    let key = use_case::remove(ctx, &course, k, &key)?;
    ctx.note(&t!("memo-removed", key = key, lab = course.labs[k].lab.id));
    Ok(())
}

pub fn get(ctx: &Ctx, key: &str, lab_arg: Option<&str>) -> CmdResult {
    let course = ctx.open_course()?;
    let lab = lab_arg.map(|a| course.resolve(a)).transpose()?;
    let got = use_case::get(ctx, &course, key, lab)?;
    let cl = &course.labs[got.lab_index];
    if ctx.verbose > 0 {
        eprintln!(
            "{}",
            t!(
                "memo-value-from",
                key = got.key,
                lab = cl.lab.id,
                path = cl.rel_path
            )
        );
    }
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    let _ = out.write_all(got.value.expose_secret().as_bytes());
    let _ = out.write_all(b"\n");
    Ok(())
}

/// Encrypt secret values that were noted in plaintext (by hand).
pub fn seal(ctx: &Ctx, lab_arg: Option<&str>) -> CmdResult {
    let course = ctx.open_course()?;
    let sel = crate::app::selected(&course, lab_arg)?;
    let sealed = use_case::seal(ctx, &course, &sel)?;
    for (k, key) in &sealed {
        ctx.note(&t!("memo-sealed", key = key, lab = course.labs[*k].lab.id));
    }
    if sealed.is_empty() {
        ctx.note(&t!("memo-nothing-to-seal"));
    }
    Ok(())
}
