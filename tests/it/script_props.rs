//! `labnote::script::bind` on random values: whatever a memo value holds (quotes, `$`,
//! backquotes, backslashes, `$(…)`, globs, heredoc delimiters), bash prints it back exactly
//! in every quoting context and never runs any of it.

use std::process::Command;

use proptest::prelude::*;

/// One placeholder in each context the binder knows.
const SCRIPT: &str = "cd \"$WORK\"
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

fn value() -> impl Strategy<Value = String> {
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
        let w = work.path().display();
        let expected = format!(
            "{v}\na{v}b\na{v}b\na{v}b\na{v}b {w}\na{v}b $WORK\n{v}\n"
        );
        prop_assert_eq!(stdout.as_ref(), expected.as_str());
        let left: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
        prop_assert!(left.is_empty(), "the value ran: {:?}", left);
    }
}
