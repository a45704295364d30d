//! Help in the student's language. clap's derive help is fixed at compile time (the doc
//! comments, which stay the English help, the completions and the man page); in Korean the
//! built command gets its texts from the Fluent file instead:
//!
//! * `help-CMD` is the about of a command (`CMD` is its path joined by `-`: `memo-get`;
//!   `labnote` for the top level), `help-CMD-after` its after-help, `help-CMD-ARG` the help
//!   of its argument `ARG`;
//! * an argument with no key of its own uses the key of the shared help it has in English
//!   ([`super::LAB_HELP`] and the others: `help-arg-lab`, ...), else `help-arg-ARG`
//!   (the global options: `help-arg-course`, `help-arg-quiet`, ...).
//!
//! A text with no key keeps its English help, so a new option never lacks one.

use clap::Command;

use crate::i18n;

/// `cmd` (built) with its help texts in the student's language.
pub fn localize(mut cmd: Command) -> Command {
    if !i18n::is_korean() {
        return cmd;
    }
    cmd.build();
    localize_cmd(cmd, "labnote")
}

/// The key of a shared English help text, so every argument using it gets one translation.
fn shared_key(english: &str) -> Option<&'static str> {
    [
        (super::JSON_HELP, "help-arg-json"),
        (super::LAB_HELP, "help-arg-lab"),
        (super::SOME_LAB_HELP, "help-arg-some-lab"),
        (super::KEY_LAB_HELP, "help-arg-key-lab"),
        (super::KEY_HELP, "help-arg-key"),
    ]
    .into_iter()
    .find(|(text, _)| *text == english)
    .map(|(_, key)| key)
}

fn localize_cmd(mut cmd: Command, path: &str) -> Command {
    // clap's own template with the "Usage:" heading translated.
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        i18n::message("help-usage", &[])
    );
    cmd = cmd.help_template(template);
    if let Some(about) = i18n::lookup(&format!("help-{path}")) {
        cmd = cmd.about(about).long_about(None);
    }
    if let Some(after) = i18n::lookup(&format!("help-{path}-after")) {
        cmd = cmd.after_help(after);
    }
    // `mut_args` keeps the arguments in place (`mut_arg` moves each to the end, which
    // reorders the positionals in the usage line).
    cmd = cmd.mut_args(|a| localize_arg(a, path));
    cmd = cmd.subcommand_help_heading(i18n::message("help-commands", &[]));
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        let sub_path = if path == "labnote" {
            sub.clone()
        } else {
            format!("{path}-{sub}")
        };
        cmd = cmd.mut_subcommand(sub, |s| localize_cmd(s, &sub_path));
    }
    cmd
}

/// One argument's help in Korean, under a translated heading: every argument gets the
/// heading, translated text or not, so that one list is not split in two.
fn localize_arg(a: clap::Arg, path: &str) -> clap::Arg {
    let id = a.get_id().to_string();
    let english = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let text = i18n::lookup(&format!("help-{path}-{id}"))
        .or_else(|| shared_key(&english).and_then(i18n::lookup))
        .or_else(|| i18n::lookup(&format!("help-arg-{id}")));
    let a = match a.get_index() {
        // Under a custom heading clap sorts by display order, then by name: keep the
        // positionals in their command-line order.
        Some(index) => a
            .display_order(index)
            .help_heading(i18n::message("help-arguments", &[])),
        None => a.help_heading(i18n::message("help-options", &[])),
    };
    match text {
        Some(text) => a.help(text).long_help(None),
        None => a,
    }
}
