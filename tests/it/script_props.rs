//! `labnote::script::bind` on random values: whatever a memo value holds (quotes, `$`,
//! backquotes, backslashes, `$(…)`, globs, heredoc delimiters), bash prints it back exactly
//! in every quoting context and never runs any of it — by itself, and through the session
//! `run` uses (`labnote::session::run_block`: the value exported for its block only).

use std::process::Command;

use proptest::prelude::*;

/// One placeholder in each context the binder knows (also used by `session_shells`).
pub const SCRIPT: &str = "cd \"$WORK\"
printf '%s\\n' <<x>>
printf '%s\\n' \"a<<x>>b\"
printf '%s\\n' 'a<<x>>b'
printf '%s\\n' $'a<<x>>b'
cat <<EOF
a<<x>>b $WORK
EOF
cat <<'EOF'
a<<x>>b $WORK
EOF
X=<<x>>; printf '%s\\n' \"$X\" # <<x>>
";

/// A memo value of any shape (also used by `session_shells`, for sh and zsh).
pub fn value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("$(touch pwned)".to_string()),
        Just("`touch pwned`".to_string()),
        Just("Pa$$w0rd".to_string()),
        Just("'\"\\".to_string()),
        Just("EOF".to_string()),
        Just("${HOME}".to_string()),
        Just("*".to_string()),
        Just("; touch pwned #".to_string()),
        "[ -~]{0,12}",
        "[가-힣 ]{0,6}",
    ];
    proptest::collection::vec(piece, 1..4)
        .prop_map(|v| v.concat())
        .prop_filter("a memo value: not blank", |v| !v.trim().is_empty())
}

/// What [`SCRIPT`] prints for value `v`, run in `work`.
fn expected(v: &str, work: &std::path::Path) -> String {
    let w = work.display();
    format!("{v}\na{v}b\na{v}b\na{v}b\na{v}b {w}\na{v}b $WORK\n{v}\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_bound_value_is_printed_back_exactly_and_never_run(v in value()) {
        let bound = labnote::script::bind(SCRIPT).unwrap();
        prop_assert_eq!(&bound.names, &["x".to_string()]);
        let work = tempfile::tempdir().unwrap();
        let out = Command::new("bash")
            .args(["-e", "-c", "eval \"$S\""])
            .env("S", &bound.script)
            .env(labnote::script::var_name(0), &v)
            .env("WORK", work.path())
            .output()
            .expect("bash");
        let stdout = String::from_utf8_lossy(&out.stdout);
        prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let want = expected(&v, work.path());
        prop_assert_eq!(stdout.as_ref(), want.as_str());
        let left: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
        prop_assert!(left.is_empty(), "the value ran: {:?}", left);
    }

    /// The same through the persistent session (one bash for all cases, as for one `run`):
    /// the block's output goes to a file of its own (the session hands a block's output to
    /// its sink), and the next block no longer sees the value.
    #[test]
    fn a_bound_value_passes_through_the_session_as_data(v in value()) {
        use secrecy::SecretString;
        let bound = labnote::script::bind(SCRIPT).unwrap();
        let (work, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (w, o) = (work.path().to_str().unwrap(), out.path().to_str().unwrap());
        let var = labnote::script::var_name(0);
        let masker = labnote::runner::Masker::default();
        // The block's output goes to a file; what the session hands on is dropped.
        let sink: labnote::session::Sink = std::sync::Arc::new(|_, _| {});
        let run = |block: String, env: &[(&str, &str)]| {
            let bash = labnote::shells::Shells::from_flag("bash").unwrap().for_lang(None).unwrap();
            labnote::session::run_block(&bash, work.path(), &SecretString::from(block), env, &masker, &sink)
                .unwrap()
        };
        let block = format!("{{\n{}\n}} > \"$OUT/printed\" 2>&1\n", bound.script);
        let r = run(block, &[("WORK", w), ("OUT", o), (var.as_str(), v.as_str())]);
        let printed = std::fs::read_to_string(out.path().join("printed")).unwrap_or_default();
        prop_assert_eq!(r.exit_code, Some(0), "{}", printed);
        prop_assert_eq!(printed, expected(&v, work.path()));
        let left: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
        prop_assert!(left.is_empty(), "the value ran: {:?}", left);
        let r = run(format!("echo \"[${{{var}-unset}}|${{OUT-unset}}]\" > '{o}/after'\n"), &[]);
        prop_assert_eq!(r.exit_code, Some(0));
        let after = std::fs::read_to_string(out.path().join("after")).unwrap();
        prop_assert_eq!(after, "[unset|unset]\n");
    }
}
