//! Property tests of the memo splice (`labnote::memo::set`), at library level.
//!
//! Labs are generated in the course format: memo blocks in both styles (`_<< k>>_` and
//! `**<< k>>**`, heading `[실습 중 메모사항]` or `[메모사항]`), LF or CRLF, entries already noted
//! or empty, with or without the two-space hard break, extra `>` lines, a goal line, a table
//! of contents, steps with code, and a final line ending or none. Values are one line: Korean,
//! emoji, `|`, backticks, markdown punctuation, long, empty, padded with spaces.
//!
//! Properties: after `set`, parsing the result finds the key with the value (trimmed); for an
//! existing entry every byte before the value span and every byte after the old value span is
//! unchanged; other entries keep their values; the steps are the same; setting the same value
//! again changes nothing; emptying an originally empty entry restores the original bytes.

use labnote::lab::{self, Lab, LineEnding};
use labnote::memo::{find, render_value, set, validate};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

const KEYS: &[&str] = &[
    "AWS Access Key ID",
    "AWS Secret Access key",
    "github_username",
    "github_token",
    "생성된 IP",
    "gitopsconsole_ID",
    "admin server 주소",
    "region",
];

#[derive(Debug, Clone)]
struct Entry {
    key: &'static str,
    /// Already noted value, if any.
    value: Option<String>,
    /// Ends with the two-space hard break.
    hard_break: bool,
}

#[derive(Debug, Clone)]
struct Gen {
    crlf: bool,
    bold: bool,
    long_name: bool,
    goal: bool,
    toc: bool,
    /// A `>` line between the heading and the entries.
    spacer: bool,
    /// A `>` line after the last entry.
    trailing_gt: bool,
    /// The block comes after the first step instead of before the steps.
    block_late: bool,
    /// No memo block at all.
    no_block: bool,
    entries: Vec<Entry>,
    steps: Vec<(u8, String)>,
    final_newline: bool,
}

impl Gen {
    fn text(&self) -> String {
        let mut s = String::new();
        s.push_str("# 2일차 - Lab 4. 생성된 실습 🚀\n\n");
        if self.goal {
            s.push_str("ⓘ 실습목표 : 값을 메모하고 | 다음 실습에서 `사용`한다.\n\n");
        }
        s.push_str("---\n\n");
        if self.toc {
            s.push_str("- [2일차 - Lab 4. 생성된 실습](#2일차---lab-4)\n");
            for (i, (_, t)) in self.steps.iter().enumerate() {
                s.push_str(&format!("  - [{}. {t}](#✔-{}-{t})\n", i + 1, i + 1));
            }
            s.push_str("\n---\n\n");
        }
        let block = self.block();
        if !self.block_late {
            s.push_str(&block);
        }
        for (i, (depth, title)) in self.steps.iter().enumerate() {
            let hashes = "#".repeat(usize::from(*depth) + 1);
            s.push_str(&format!("{hashes} ✔ {}. {title}\n\n", i + 1));
            s.push_str("- 본문 `<<github_token>>` 과 <<생성된 IP>> | 표 아님\n\n");
            s.push_str("```bash\necho \"<<region>>\" # 주석\n## not a step\n```\n\n");
            if i == 0 && self.block_late {
                s.push_str(&block);
            }
        }
        s.push_str("끝.");
        if self.final_newline {
            s.push('\n');
        }
        if self.crlf {
            s = s.replace('\n', "\r\n");
        }
        s
    }

    fn block(&self) -> String {
        if self.no_block {
            return String::new();
        }
        let name = if self.long_name {
            "실습 중 메모사항"
        } else {
            "메모사항"
        };
        let m = if self.bold { "**" } else { "_" };
        let mut s = format!("> **📌 [{name}]**\n");
        if self.spacer {
            s.push_str(">\n");
        }
        for (i, e) in self.entries.iter().enumerate() {
            let prefix = if i == 0 { "> " } else { ">  " };
            let v = e
                .value
                .as_deref()
                .map_or(String::new(), |v| format!(" {v}"));
            let br = if e.hard_break { "  " } else { "" };
            s.push_str(&format!("{prefix}➕ {m}<< {}>>{m} :{v}{br}\n", e.key));
        }
        if self.trailing_gt {
            s.push_str(">\n");
        }
        s.push_str("\n<br>\n\n");
        s
    }
}

fn entry() -> impl Strategy<Value = (Option<String>, bool)> {
    (
        prop::option::of("[a-zA-Z0-9가-힣_./-]{1,16}"),
        any::<bool>(),
    )
}

fn gen() -> impl Strategy<Value = Gen> {
    let flags = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.15),
        any::<bool>(),
    );
    let entries = subsequence(KEYS, 1..=4)
        .prop_shuffle()
        .prop_flat_map(|keys| {
            let n = keys.len();
            (Just(keys), prop::collection::vec(entry(), n))
        })
        .prop_map(|(keys, vals)| {
            keys.into_iter()
                .zip(vals)
                .map(|(key, (value, hard_break))| Entry {
                    key,
                    value,
                    hard_break,
                })
                .collect::<Vec<_>>()
        });
    let steps = prop::collection::vec(
        (
            1u8..=3,
            select(&["준비", "Access key 발급", "`kubectl` 설치", "정리 🔥"][..]),
        ),
        1..=4,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            // The first step is at depth 1, so the tree always has a root.
            .map(|(i, (d, t))| (if i == 0 { 1 } else { d }, t.to_string()))
            .collect::<Vec<_>>()
    });
    (flags, entries, steps).prop_map(
        |(
            (crlf, bold, long_name, goal, toc, spacer, trailing_gt, block_late, no_block, fnl),
            entries,
            steps,
        )| Gen {
            crlf,
            bold,
            long_name,
            goal,
            toc,
            spacer,
            trailing_gt,
            block_late,
            no_block,
            entries,
            steps,
            final_newline: fnl,
        },
    )
}

/// One-line values: Korean, emoji, table pipes, backticks, markdown punctuation, long, empty,
/// padded with spaces; never one that looks encrypted.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   ".to_string()),
        Just("`age` 아님 | a:b".to_string()),
        "[a-zA-Z0-9 가-힣🚀🔑😀📌➕|`_*:<>#~!\\\\-]{1,40}",
        "[ -~]{0,300}",
        "[가-힣 ]{50,200}",
        " {0,3}[a-zA-Z0-9|`가-힣🚀]{1,20} {0,3}",
    ]
    .prop_filter("a plain one-line value (or blank: an unset)", |v| {
        v.trim().is_empty() || validate("gen", "k", v, false).is_ok()
    })
}

/// A way of writing the key that must still match: as written, lower case, with `<< >>`.
fn spelled(key: &str, how: u8) -> String {
    match how % 3 {
        0 => key.to_string(),
        1 => key.to_lowercase(),
        _ => format!("<< {key}>>"),
    }
}

fn step_shape(l: &Lab) -> Vec<(u8, Option<String>, String, usize)> {
    l.steps
        .iter()
        .map(|s| {
            (
                s.depth,
                s.number.clone(),
                s.title.clone(),
                s.code_blocks.len(),
            )
        })
        .collect()
}

fn values(l: &Lab) -> Vec<(String, String)> {
    l.memo_entries()
        .map(|e| (labnote::names::normalize_key(&e.key), e.value.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn set_splices_only_the_value(
        g in gen(),
        target in select(KEYS),
        how in any::<u8>(),
        v in value(),
    ) {
        let text = g.text();
        let l = lab::parse(text.as_bytes(), "gen").expect("generated lab parses");
        prop_assert_eq!(
            l.line_ending,
            if g.crlf { LineEnding::CrLf } else { LineEnding::Lf }
        );
        let key = spelled(target, how);
        let stored = render_value(&v, false);
        prop_assert_eq!(&stored, v.trim());
        let before = find(&l, &key).cloned();
        let out = set(&text, &l, &key, &stored).expect("no key is written twice");

        let Some(out) = out else {
            // Nothing to change: the entry already holds the value, or an empty value for a
            // key the lab does not have.
            match &before {
                Some(e) => prop_assert_eq!(&e.value, &stored),
                None => prop_assert!(stored.is_empty()),
            }
            return Ok(());
        };
        prop_assert_ne!(&out, &text);
        let after = lab::parse(out.as_bytes(), "gen").expect("result parses");
        let e = find(&after, &key).expect("the key is found after set");
        prop_assert_eq!(&e.value, &stored);
        prop_assert_eq!(after.line_ending, l.line_ending);
        if g.crlf {
            prop_assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
        } else {
            prop_assert!(!out.contains('\r'));
        }
        prop_assert_eq!(step_shape(&after), step_shape(&l));
        prop_assert_eq!(&after.id, &l.id);

        // Every other entry keeps its value.
        let want = labnote::names::normalize_key(&key);
        let others = |x: &Lab| -> Vec<(String, String)> {
            values(x).into_iter().filter(|(k, _)| *k != want).collect()
        };
        prop_assert_eq!(others(&after), others(&l));

        match &before {
            Some(old) => {
                // A byte splice: the prefix before the span and the suffix after the old span
                // are identical; the entry count is the same.
                let span = old.value_span.clone();
                prop_assert_eq!(&out[..span.start], &text[..span.start]);
                prop_assert!(out.ends_with(&text[span.end..]));
                let new_span = span.start..out.len() - (text.len() - span.end);
                prop_assert_eq!(out[new_span].trim(), stored.as_str());
                prop_assert_eq!(after.memo_entries().count(), l.memo_entries().count());
                // An entry that was empty: emptying it again gives the original bytes back.
                if old.value.is_empty() {
                    let back = set(&out, &after, &key, "").unwrap().expect("unset changes it");
                    prop_assert_eq!(&back, &text);
                }
            }
            None => {
                prop_assert_eq!(after.memo_entries().count(), l.memo_entries().count() + 1);
                prop_assert_eq!(
                    after.memo_blocks.len(),
                    l.memo_blocks.len().max(1)
                );
                // Appended in the block's style.
                if let Some(last) = l.memo_entries().last() {
                    prop_assert_eq!(e.emphasis, last.emphasis);
                }
            }
        }

        // The same value again: no change.
        prop_assert_eq!(set(&out, &after, &key, &stored), Ok(None));
    }

    #[test]
    fn encrypted_values_splice_the_same_way(
        g in gen(),
        target in select(KEYS),
        payload in "[A-Za-z0-9+/]{4,120}={0,2}",
    ) {
        let text = g.text();
        let l = lab::parse(text.as_bytes(), "gen").expect("parses");
        let raw = format!("age:{payload}");
        prop_assert!(validate("gen", target, &raw, true).is_ok());
        let stored = render_value(&raw, true);
        prop_assert_eq!(&stored, &format!("`{raw}`"));
        let out = set(&text, &l, target, &stored).unwrap().expect("an age value is new");
        let after = lab::parse(out.as_bytes(), "gen").expect("parses");
        prop_assert_eq!(&find(&after, target).expect("found").value, &stored);
        prop_assert!(labnote::secret::is_encrypted(&find(&after, target).unwrap().value));
        if let Some(old) = find(&l, target) {
            prop_assert_eq!(&out[..old.value_span.start], &text[..old.value_span.start]);
            prop_assert!(out.ends_with(&text[old.value_span.end..]));
        }
        prop_assert_eq!(step_shape(&after), step_shape(&l));
    }

    #[test]
    fn values_with_line_breaks_or_an_age_prefix_are_refused(
        a in "[a-z가-힣 ]{0,10}",
        b in "[a-z가-힣 ]{0,10}",
        brk in select(&["\n", "\r\n", "\r"][..]),
    ) {
        let multi = format!("{a}{brk}{b}");
        prop_assert!(validate("gen", "k", &multi, false).is_err());
        prop_assert!(validate("gen", "k", &multi, true).is_err());
        let looks = format!("age:{a}");
        prop_assert!(validate("gen", "k", &looks, false).is_err());
        let quoted = format!("`{looks}`");
        prop_assert!(validate("gen", "k", &quoted, false).is_err());
        prop_assert!(validate("gen", "k", &looks, true).is_ok());
    }
}
