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

/// Whether to draw a spinner on stderr: a terminal that can redraw a line, so not
/// `TERM=dumb` (where the cursor codes would show as garbage).
pub fn animate_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::decide;
    use std::ffi::OsString;

    fn with(vars: &[(&str, &str)], tty: bool) -> bool {
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        decide(
            |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
            tty,
        )
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
