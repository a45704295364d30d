//! `completions` and `man`: the command line described for shells and for `man`, generated
//! from the clap definitions so they can never disagree with `--help`.

use std::io::{self, Write};

use clap_mangen::Man;

use super::{CmdResult, Failure};
use crate::t;

/// Prints the completion script for `shell` (source it, or save it where the shell looks).
pub fn completions(shell: clap_complete::Shell) -> CmdResult {
    let mut cmd = super::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "labnote", &mut script);
    write_stdout(&script)
}

/// Prints the manual page (roff) of labnote: `labnote man | man -l -`.
pub fn man() -> CmdResult {
    let page = man_page()
        .map_err(|e| Failure::data(t!("docs-cannot-render-man", reason = e.to_string())))?;
    write_stdout(&page)
}

/// One page for all of labnote, so that a single file installs it: the usual sections for
/// `labnote` itself, then COMMANDS with every command's synopsis, description and options
/// (clap_mangen alone would point to a `labnote-CMD(1)` page per command).
fn man_page() -> io::Result<Vec<u8>> {
    let mut root = super::command();
    root.build();
    let man = Man::new(root.clone());
    let mut w = Vec::new();
    man.render_title(&mut w)?;
    man.render_name_section(&mut w)?;
    man.render_synopsis_section(&mut w)?;
    man.render_description_section(&mut w)?;
    man.render_options_section(&mut w)?;
    w.extend_from_slice(b".SH COMMANDS\n");
    for cmd in commands(&root) {
        command_entry(&mut w, cmd)?;
    }
    w.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    w.extend(section_body(&man, Man::render_extra_section)?);
    man.render_version_section(&mut w)?;
    Ok(ascii_roff(&String::from_utf8_lossy(&w)).into_bytes())
}

/// Writes every non-ASCII character as groff's `\[uXXXX]`, so the page renders the same
/// with or without a UTF-8 preprocessor (`groff -man` reads plain bytes as Latin-1).
fn ascii_roff(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for c in page.chars() {
        match c.is_ascii() {
            true => out.push(c),
            false => out.push_str(&format!("\\[u{:04X}]", u32::from(c))),
        }
    }
    out
}

/// The commands that do something (`memo set`, not `memo`), in definition order.
fn commands(cmd: &clap::Command) -> Vec<&clap::Command> {
    cmd.get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .flat_map(|c| match c.has_subcommands() {
            true => commands(c),
            false => vec![c],
        })
        .collect()
}

/// A command's sub-section: `labnote memo set`, its synopsis, description, own options
/// (the global ones are on the page once) and its extra help.
fn command_entry(w: &mut Vec<u8>, cmd: &clap::Command) -> io::Result<()> {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    writeln!(w, ".SS \"{name}\"")?;
    let own = cmd
        .clone()
        .mut_args(|a| match a.is_global_set() || a.get_id() == "help" {
            true => a.hide(true),
            false => a,
        });
    let has_args = own.get_arguments().any(|a| !a.is_hide_set());
    let man = Man::new(own);
    w.extend(section_body(&man, Man::render_synopsis_section)?);
    w.extend_from_slice(b".PP\n");
    w.extend(section_body(&man, Man::render_description_section)?);
    if has_args {
        w.extend(section_body(&man, Man::render_options_section)?);
    }
    if cmd.get_after_help().is_some() {
        w.extend_from_slice(b".PP\n");
        w.extend(section_body(&man, Man::render_extra_section)?);
    }
    Ok(())
}

/// What `render` writes, without its `.SH` heading and roff's per-document preamble, to be
/// placed under a heading of ours.
fn section_body(
    man: &Man,
    render: fn(&Man, &mut dyn Write) -> io::Result<()>,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    render(man, &mut out)?;
    let text = String::from_utf8_lossy(&out);
    let kept = text
        .lines()
        .filter(|l| !l.starts_with(".SH ") && !l.starts_with(".ie ") && !l.starts_with(".el "))
        .flat_map(|l| [l, "\n"]);
    Ok(kept.collect::<String>().into_bytes())
}

fn write_stdout(bytes: &[u8]) -> CmdResult {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Failure::data(t!("docs-cannot-write-stdout", reason = e.to_string())))
}
