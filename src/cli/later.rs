//! Later labs: `placeholders`, `show`, `env`, `exec`, `credential-process` — the saved
//! values resolved by [`crate::app::resolve`] and [`crate::app::keys`], printed or handed
//! to a command.

use std::io::Write;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{print_json, CmdResult, Ctx, Failure};
use crate::app::keys::key_pair;
use crate::app::resolve::Env;
use crate::app::resolve::Source;
use crate::t;

pub fn placeholders(ctx: &Ctx, lab_arg: &str, json: bool) -> CmdResult {
    let env = Env::load(ctx)?;
    let k = env.course.resolve(lab_arg)?;
    let lab = &env.course.labs[k].lab;
    let listed = crate::app::resolve::placeholders(&env, k);
    let lab_id = |i: usize| env.course.labs[i].lab.id.as_str();
    if json {
        let v: Vec<_> = listed
            .iter()
            .map(|l| {
                let x = &l.resolution;
                let (lab, key, kind) = match &x.source {
                    Some(Source::Memo { lab_index, key, .. }) => {
                        (Some(lab_id(*lab_index)), Some(key.as_str()), "memo")
                    }
                    Some(Source::Builtin { .. }) => (None, None, "builtin"),
                    None => (None, None, "none"),
                };
                json!({
                    "name": x.name,
                    "resolved": x.source.is_some(),
                    "lab": lab,
                    "key": key,
                    "source": kind,
                    "secret": x.secret,
                    "suggestion": x.suggestion,
                    "occurrences": l.occurrences,
                })
            })
            .collect();
        print_json(&json!(v));
        return Ok(());
    }
    if listed.is_empty() {
        ctx.note(&t!("later-no-placeholders", lab = lab.id));
        return Ok(());
    }
    let w = listed
        .iter()
        .map(|l| crate::render::width(&l.resolution.name) + 4)
        .max()
        .unwrap_or(0);
    for l in &listed {
        let x = &l.resolution;
        let shown = format!("<<{}>>", x.name);
        let what = match &x.source {
            Some(Source::Memo {
                lab_index,
                key,
                shadowed,
                ..
            }) => {
                let also = if shadowed.is_empty() {
                    String::new()
                } else {
                    let ids: Vec<&str> = shadowed.iter().map(|&i| lab_id(i)).collect();
                    format!(" {}", t!("later-also-noted-in", labs = ids.join(", ")))
                };
                let lock = if x.secret { " 🔒" } else { "" };
                format!("✔ {} «{key}»{lock}{also}", lab_id(*lab_index))
            }
            Some(Source::Builtin { value }) => format!("✔ {}", t!("later-builtin", value = value)),
            None => match &x.suggestion {
                Some(s) => format!("✘ {}", t!("later-not-noted-closest", key = s)),
                None => format!("✘ {}", t!("later-not-noted")),
            },
        };
        println!("{}  {what}", crate::render::pad(&shown, w));
    }
    Ok(())
}

/// `show`: a lab, or one step's section, rendered for the terminal ([`super::termview`]).
pub fn show(
    ctx: &Ctx,
    lab_arg: &str,
    step: Option<&str>,
    look: &super::termview::Look,
) -> CmdResult {
    let env = Env::load(ctx)?;
    let k = env.course.resolve(lab_arg)?;
    let cl = &env.course.labs[k];
    let range = match step {
        Some(s) => cl.lab.steps[super::step_lookup(cl, s)?]
            .section_span
            .clone(),
        None => 0..cl.lab.source().len(),
    };
    let part = super::termview::Part {
        course: &env.course,
        cfg: &env.cfg,
        records: &env.records,
        k,
        range,
    };
    let out = super::termview::render_part(ctx, &part, look)?;
    print!("{out}");
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// Quote a value so the shell reads it back exactly.
fn shell_quote(shell: Shell, v: &str) -> String {
    match shell {
        Shell::Bash | Shell::Zsh => format!("'{}'", v.replace('\'', "'\\''")),
        Shell::Fish => format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'")),
        // PowerShell also ends a single-quoted string at ‘ ’ ‚ ‛ (U+2018–U+201B); each quote
        // character is escaped by doubling it.
        Shell::Powershell => {
            let mut q = String::from("'");
            for c in v.chars() {
                q.push(c);
                if matches!(c, '\'' | '\u{2018}'..='\u{201B}') {
                    q.push(c);
                }
            }
            q.push('\'');
            q
        }
    }
}

fn export_line(shell: Shell, name: &str, v: &str) -> String {
    let q = shell_quote(shell, v);
    match shell {
        Shell::Bash | Shell::Zsh => format!("export {name}={q}\n"),
        Shell::Fish => format!("set -gx {name} {q};\n"),
        Shell::Powershell => format!("$env:{name} = {q}\n"),
    }
}

fn default_shell() -> Shell {
    let sh = std::env::var("SHELL").unwrap_or_default();
    if sh.ends_with("/fish") {
        Shell::Fish
    } else if sh.ends_with("/zsh") {
        Shell::Zsh
    } else {
        Shell::Bash
    }
}

/// Variables a stale value of would override the key: Cloud9 and SSO sessions set a token
/// that, left in place, pairs with our key and gets `InvalidClientTokenId`.
const STALE_VARS: [&str; 2] = ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"];

/// The variables that make AWS tools sign with the pair, in the order they are set. The
/// secret is borrowed, not copied.
fn key_vars<'a>(
    id: &'a str,
    secret: &'a SecretString,
    region: Option<&'a str>,
) -> Vec<(&'static str, &'a str)> {
    let mut v = vec![
        ("AWS_ACCESS_KEY_ID", id),
        ("AWS_SECRET_ACCESS_KEY", secret.expose_secret()),
    ];
    if let Some(r) = region {
        // AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the AWS CLI.
        v.push(("AWS_REGION", r));
        v.push(("AWS_DEFAULT_REGION", r));
    }
    v
}

fn unset_line(shell: Shell) -> String {
    let names = STALE_VARS.join(" ");
    match shell {
        Shell::Bash | Shell::Zsh => format!("unset {names}\n"),
        Shell::Fish => STALE_VARS
            .iter()
            // `or true`: a failed `set -e` (variable not set) would be the status of
            // the `set -gx` lines that follow, and of `source`.
            .map(|n| format!("set -e {n}; or true;\n"))
            .collect(),
        Shell::Powershell => STALE_VARS
            .iter()
            .map(|n| format!("$env:{n} = $null\n"))
            .collect(),
    }
}

pub fn env_cmd(ctx: &Ctx, lab_arg: Option<&str>, shell: Option<Shell>) -> CmdResult {
    let course = ctx.open_course()?;
    let cfg = crate::app::course_config(ctx)?;
    let (id, secret) = key_pair(ctx, &course, lab_arg)?;
    let shell = shell.unwrap_or_else(default_shell);
    let mut lines = unset_line(shell);
    for (name, v) in key_vars(&id, &secret, cfg.region.as_deref()) {
        lines.push_str(&export_line(shell, name, v));
    }
    let out = SecretString::from(lines);
    let mut so = std::io::stdout().lock();
    let _ = so.write_all(out.expose_secret().as_bytes());
    Ok(())
}

/// Runs `command` with the pair in its environment only (never in its arguments) and exits
/// with its exit code (128 + N when signal N ended it, as shells report it). labnote
/// ignores Ctrl-C meanwhile: the terminal sends it to the command too, which decides.
pub fn exec(ctx: &Ctx, lab_arg: Option<&str>, command: &[std::ffi::OsString]) -> CmdResult {
    use std::os::unix::process::ExitStatusExt;
    let course = ctx.open_course()?;
    let cfg = crate::app::course_config(ctx)?;
    let (id, secret) = key_pair(ctx, &course, lab_arg)?;
    let (program, args) = command
        .split_first()
        .ok_or_else(|| Failure::user(t!("later-exec-no-command")))?;
    let mut cmd = std::process::Command::new(program);
    cmd.args(args);
    for n in STALE_VARS {
        cmd.env_remove(n);
    }
    cmd.envs(key_vars(&id, &secret, cfg.region.as_deref()));
    let mut child = cmd.spawn().map_err(|e| Failure {
        code: if e.kind() == std::io::ErrorKind::NotFound {
            127
        } else {
            126
        },
        message: t!(
            "later-exec-cannot-run",
            program = program.to_string_lossy(),
            reason = e.to_string()
        ),
    })?;
    drop(cmd);
    drop(secret);
    // SAFETY: setting a signal to SIG_IGN has no handler to race with.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
    }
    let status = child
        .wait()
        .map_err(|e| Failure::data(t!("later-exec-wait", reason = e.to_string())))?;
    let code = status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1);
    std::process::exit(code)
}

pub fn credential_process(ctx: &Ctx, lab_arg: Option<&str>) -> CmdResult {
    let (id, secret) = crate::app::keys::credential_pair(ctx, lab_arg)?;
    let v = SecretString::from(
        serde_json::to_string(&json!({
            "Version": 1,
            "AccessKeyId": id,
            "SecretAccessKey": secret.expose_secret(),
        }))
        .unwrap_or_default(),
    );
    let mut so = std::io::stdout().lock();
    let _ = so.write_all(v.expose_secret().as_bytes());
    let _ = so.write_all(b"\n");
    Ok(())
}
