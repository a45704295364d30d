//! Whether labnote colours its output: the one place that reads the colour conventions.
//!
//! Every coloured thing labnote prints (rendered steps, headings, clap's help and errors)
//! follows [`color_stdout`], so a student who turned colours off once (`NO_COLOR`,
//! `CLICOLOR=0`, a dumb terminal) never gets escape codes from any command, and
//! `CLICOLOR_FORCE=1` keeps them through a pipe (`labnote next | less -R`).

use std::ffi::OsString;
use std::io::IsTerminal;

/// The colour decision from the environment (`get`) and whether the stream is a terminal.
///
/// In order, the first that applies wins:
/// 1. `NO_COLOR` set to anything non-empty: no colour (<https://no-color.org>).
/// 2. `CLICOLOR_FORCE` set and not `0`: colour, even when not a terminal
///    (<https://bixense.com/clicolors>).
/// 3. `TERM=dumb`: no colour (the terminal cannot show it).
/// 4. `CLICOLOR=0`: no colour.
/// 5. Otherwise colour exactly when the stream is a terminal.
pub fn decide(get: impl Fn(&str) -> Option<OsString>, is_terminal: bool) -> bool {
    let set = |name: &str| get(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if set("TERM").is_some_and(|v| v == "dumb") {
        return false;
    }
    if set("CLICOLOR").is_some_and(|v| v == "0") {
        return false;
    }
    is_terminal
}

/// Whether to colour what labnote prints on stdout.
pub fn color_stdout() -> bool {
    decide(|k| std::env::var_os(k), std::io::stdout().is_terminal())
}

/// The same decision for clap's help (stdout) and usage errors (stderr).
pub fn clap_color() -> clap::ColorChoice {
    let tty = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    match decide(|k| std::env::var_os(k), tty) {
        true => clap::ColorChoice::Always,
        false => clap::ColorChoice::Never,
    }
}

/// Terminals known to show OSC 8 hyperlinks, by `TERM_PROGRAM`.
const HYPERLINK_PROGRAMS: &[&str] = &[
    "iTerm.app",
    "WezTerm",
    "vscode",
    "ghostty",
    "Tabby",
    "rio",
    "Hyper",
];

/// Whether links are written as OSC 8 hyperlinks (clickable text) rather than `text (url)`,
/// from the environment (`get`) and whether the stream is a terminal.
///
/// In order, the first that applies wins:
/// 1. `LABNOTE_HYPERLINKS`: `1`/`yes`/`always` forces them (even into a pipe), `0`/`no`/
///    `never` turns them off.
/// 2. Not a terminal, or `TERM=dumb`: no (a file or a pipe would get escape codes).
/// 3. Inside tmux or screen (`TMUX`, `STY`): no — they drop or mangle the sequence unless
///    configured, and the URL would be lost.
/// 4. A terminal known to support them: `TERM_PROGRAM` in [`HYPERLINK_PROGRAMS`],
///    `VTE_VERSION` ≥ 5000 (GNOME Terminal, Tilix…), `WT_SESSION` (Windows Terminal),
///    `KITTY_WINDOW_ID`, `KONSOLE_VERSION`, or `TERM` of kitty, foot, alacritty.
/// 5. Otherwise no.
fn decide_hyperlinks(get: impl Fn(&str) -> Option<OsString>, is_terminal: bool) -> bool {
    let set = |name: &str| {
        get(name)
            .filter(|v| !v.is_empty())
            .map(|v| v.to_string_lossy().into_owned())
    };
    if let Some(v) = set("LABNOTE_HYPERLINKS") {
        match v.to_ascii_lowercase().as_str() {
            "1" | "yes" | "always" | "on" | "true" => return true,
            "0" | "no" | "never" | "off" | "false" => return false,
            _ => {}
        }
    }
    if !is_terminal || set("TERM").is_some_and(|t| t == "dumb") {
        return false;
    }
    if set("TMUX").is_some() || set("STY").is_some() {
        return false;
    }
    let program = set("TERM_PROGRAM").is_some_and(|p| HYPERLINK_PROGRAMS.contains(&p.as_str()));
    let vte = set("VTE_VERSION")
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|v| v >= 5000);
    let term = set("TERM")
        .is_some_and(|t| t == "xterm-kitty" || t.starts_with("foot") || t.starts_with("alacritty"));
    program
        || vte
        || term
        || set("WT_SESSION").is_some()
        || set("KITTY_WINDOW_ID").is_some()
        || set("KONSOLE_VERSION").is_some()
}

/// Whether to write links on stdout as OSC 8 hyperlinks.
pub fn hyperlinks_stdout() -> bool {
    decide_hyperlinks(|k| std::env::var_os(k), std::io::stdout().is_terminal())
}

/// Whether to draw a spinner on stderr: a terminal that can redraw a line, so not
/// `TERM=dumb` (where the cursor codes would show as garbage).
pub fn animate_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::{decide, decide_hyperlinks};
    use std::ffi::OsString;

    type Decide = fn(&dyn Fn(&str) -> Option<OsString>, bool) -> bool;

    fn env_of(vars: &[(&str, &str)], tty: bool, f: Decide) -> bool {
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        f(
            &|k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
            tty,
        )
    }

    fn with(vars: &[(&str, &str)], tty: bool) -> bool {
        env_of(vars, tty, |g, t| decide(g, t))
    }

    fn links(vars: &[(&str, &str)], tty: bool) -> bool {
        env_of(vars, tty, |g, t| decide_hyperlinks(g, t))
    }

    #[test]
    fn hyperlinks_where_the_terminal_is_known_to_show_them() {
        assert!(links(&[("TERM_PROGRAM", "iTerm.app")], true));
        assert!(links(&[("VTE_VERSION", "7200")], true));
        assert!(!links(&[("VTE_VERSION", "4600")], true));
        assert!(links(&[("WT_SESSION", "abc")], true));
        assert!(links(&[("KITTY_WINDOW_ID", "1")], true));
        assert!(links(&[("TERM", "xterm-kitty")], true));
        // Unknown terminal, a pipe, tmux, a dumb terminal: the URL as text.
        assert!(!links(&[("TERM", "xterm-256color")], true));
        assert!(!links(&[("TERM_PROGRAM", "iTerm.app")], false));
        assert!(!links(
            &[("VTE_VERSION", "7200"), ("TMUX", "/tmp/t,1,0")],
            true
        ));
        assert!(!links(&[("WT_SESSION", "a"), ("TERM", "dumb")], true));
    }

    #[test]
    fn the_hyperlink_override_wins() {
        assert!(links(&[("LABNOTE_HYPERLINKS", "1")], false));
        assert!(links(
            &[("LABNOTE_HYPERLINKS", "always"), ("TMUX", "x")],
            true
        ));
        assert!(!links(
            &[("LABNOTE_HYPERLINKS", "never"), ("WT_SESSION", "a")],
            true
        ));
        // An unknown value is no override.
        assert!(links(
            &[("LABNOTE_HYPERLINKS", "maybe"), ("WT_SESSION", "a")],
            true
        ));
    }

    #[test]
    fn a_terminal_gets_colour_and_a_pipe_does_not() {
        assert!(with(&[], true));
        assert!(!with(&[], false));
        assert!(with(&[("TERM", "xterm-256color"), ("CLICOLOR", "1")], true));
    }

    #[test]
    fn no_color_wins_over_everything() {
        assert!(!with(&[("NO_COLOR", "1")], true));
        assert!(!with(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")], true));
        // An empty NO_COLOR does not count (no-color.org).
        assert!(with(&[("NO_COLOR", "")], true));
    }

    #[test]
    fn clicolor_force_colours_a_pipe_unless_zero() {
        assert!(with(&[("CLICOLOR_FORCE", "1")], false));
        assert!(with(&[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")], false));
        assert!(!with(&[("CLICOLOR_FORCE", "0")], false));
        assert!(!with(&[("CLICOLOR_FORCE", "")], false));
    }

    #[test]
    fn dumb_terminal_and_clicolor_zero_turn_colour_off() {
        assert!(!with(&[("TERM", "dumb")], true));
        assert!(!with(&[("CLICOLOR", "0")], true));
        assert!(with(&[("CLICOLOR", "")], true));
    }
}
