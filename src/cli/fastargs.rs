//! The argument forms of `credential-process`, read without clap.
//!
//! Every AWS command a student runs calls `labnote … credential-process` (the profile
//! `aws-profile` writes), so its start-up is the student's wait. Its arguments are few: the
//! global `--course`, `--identity`, `-q`, `-v` and its own `--lab`. [`credential_process`]
//! reads exactly those forms, each at most once, and gives the [`Cli`] clap would give;
//! anything else — help, a typo, a repeated option, another command — is left to clap, which
//! builds the whole command and says what is wrong. A test compares both on every form.

use std::ffi::OsString;
use std::path::PathBuf;

use super::{Cli, Command};

/// The `Cli` of a `credential-process` command line, or `None` for clap to parse. `env_course`
/// is `LABNOTE_COURSE` (clap's `env` of `--course`).
pub fn credential_process(args: &[OsString], env_course: Option<OsString>) -> Option<Cli> {
    let mut course: Option<PathBuf> = None;
    let mut identity: Option<PathBuf> = None;
    let mut lab: Option<String> = None;
    let (mut quiet, mut verbose, mut command) = (false, 0u8, false);
    let mut it = args.iter().skip(1);
    // A value as clap takes it here: present, not empty, not an option.
    let value = |v: Option<&OsString>| -> Option<String> {
        let v = v?.to_str()?;
        (!v.is_empty() && !v.starts_with('-')).then(|| v.to_string())
    };
    fn once<T>(slot: &mut Option<T>, v: T) -> Option<()> {
        slot.is_none().then(|| *slot = Some(v))
    }
    while let Some(arg) = it.next() {
        let arg = arg.to_str()?;
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v)),
            _ => (arg, None),
        };
        let mut take = || -> Option<String> {
            match inline {
                Some(v) => (!v.is_empty()).then(|| v.to_string()),
                None => value(it.next()),
            }
        };
        match name {
            "credential-process" if !command && inline.is_none() => command = true,
            "--course" => once(&mut course, PathBuf::from(take()?))?,
            "--identity" => once(&mut identity, PathBuf::from(take()?))?,
            "--lab" if command => once(&mut lab, take()?)?,
            "-q" | "--quiet" if !quiet && inline.is_none() => quiet = true,
            "-v" | "--verbose" if inline.is_none() && verbose < u8::MAX => verbose += 1,
            _ => return None,
        }
    }
    if !command {
        return None;
    }
    if course.is_none() {
        if let Some(v) = env_course {
            if v.is_empty() {
                return None;
            }
            course = Some(PathBuf::from(v));
        }
    }
    Some(Cli {
        course,
        quiet,
        verbose,
        identity,
        command: Command::CredentialProcess { lab },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    fn os(args: &[&str]) -> Vec<OsString> {
        std::iter::once("labnote")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    /// What clap gives for the same line (with no `LABNOTE_COURSE`), as text.
    fn by_clap(args: &[OsString]) -> Option<String> {
        let m = Cli::command_for_test().try_get_matches_from(args).ok()?;
        Cli::from_arg_matches(&m).ok().map(|c| format!("{c:?}"))
    }

    /// Every form the fast path takes gives clap's answer; every form it leaves, clap
    /// parses or refuses on its own.
    #[test]
    fn the_fast_path_is_what_clap_gives() {
        let taken: &[&[&str]] = &[
            &["credential-process"],
            &["credential-process", "--lab", "2-4"],
            &["credential-process", "--lab=2-4"],
            &[
                "--course",
                "/c d",
                "--identity",
                "/k/id.txt",
                "credential-process",
            ],
            &["--course=/c", "credential-process", "--lab", "2-4", "-q"],
            &["credential-process", "--course", "/c", "-v", "-v"],
            &["-q", "--verbose", "credential-process", "--identity=/i"],
        ];
        for args in taken {
            let args = os(args);
            let fast = credential_process(&args, None).map(|c| format!("{c:?}"));
            assert!(fast.is_some(), "{args:?} is a fast form");
            assert_eq!(fast, by_clap(&args), "{args:?}");
        }
        let left: &[&[&str]] = &[
            &[],
            &["labs"],
            &["credential-process", "--help"],
            &["credential-process", "--lab"],
            &["credential-process", "--lab", ""],
            &["credential-process", "--lab", "a", "--lab", "b"],
            &["--course", "a", "--course", "b", "credential-process"],
            &["credential-process", "-q", "-q"],
            &["credential-process", "-vv"],
            &["credential-process", "extra"],
            &["--lab", "2-4", "credential-process"],
            &["credential-process", "--course="],
            &["credential-process", "--", "x"],
            &["credential-process", "credential-process"],
        ];
        for args in left {
            assert!(
                credential_process(&os(args), None).is_none(),
                "{args:?} is left to clap"
            );
        }
    }

    #[test]
    fn labnote_course_is_the_default_course_as_for_clap() {
        let args = os(&["credential-process"]);
        let c = credential_process(&args, Some("/from/env".into())).unwrap();
        assert_eq!(c.course, Some(PathBuf::from("/from/env")));
        let c = credential_process(
            &os(&["--course", "/arg", "credential-process"]),
            Some("/env".into()),
        );
        assert_eq!(c.unwrap().course, Some(PathBuf::from("/arg")));
        assert!(credential_process(&args, Some("".into())).is_none());
    }
}
