//! Memo entries: find them by key, and produce the edited bytes of a lab.
//!
//! Pure. An edit is a byte splice on the spans from the parse: only the value after the
//! entry's `:` changes; the key's emphasis, spacing, the two-space hard break, the `>`
//! prefixes and the line ending (CRLF stays CRLF) are kept exactly. A missing entry is
//! appended in the block's own style; a lab without a block gets one after its table of
//! contents, in the course's style.

use crate::lab::{self, Emphasis, Lab, MemoEntry};
/// What a key means has its home in [`crate::names`]; re-exported for the callers' paths.
use crate::names::{access_field, bare_key, normalize_key, AccessField};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MemoError {
    #[error("{}", crate::t!("memo-one-line", key = key))]
    Multiline { key: String },
    #[error("{}", crate::t!("memo-looks-encrypted", key = key))]
    LooksEncrypted { key: String },
    #[error("{}", crate::t!("memo-bad-key", key = key))]
    BadKey { key: String },
    #[error("{}", crate::t!("memo-empty", key = key, lab = lab))]
    Empty { key: String, lab: String },
    #[error("{}", crate::t!("memo-key-twice", key = key, first = first, second = second))]
    Ambiguous {
        key: String,
        first: usize,
        second: usize,
    },
}

/// The entry of `lab` whose key matches (the first, for reading; a write goes through
/// [`find_unique`]).
pub fn find<'a>(lab: &'a Lab, key: &str) -> Option<&'a MemoEntry> {
    find_normalized(lab, &normalize_key(key))
}

/// [`find`] by a key normalised already ([`normalize_key`]): for one key looked up in
/// every lab of a course.
pub fn find_normalized<'a>(lab: &'a Lab, want: &str) -> Option<&'a MemoEntry> {
    lab.memo_entries()
        .find(|e| crate::names::key_is(want, &e.key))
}

/// The entry of `lab` (parsed from `text`) whose key matches, or an error naming both lines
/// when two entries have that key (in one memo block or in two): a write to one of them
/// would leave the other's value behind, or lose it. The one rule every memo write follows.
pub fn find_unique<'a>(
    text: &str,
    lab: &'a Lab,
    key: &str,
) -> Result<Option<&'a MemoEntry>, MemoError> {
    let want = normalize_key(key);
    let mut it = lab
        .memo_entries()
        .filter(|e| crate::names::key_is(&want, &e.key));
    let first = it.next();
    match (first, it.next()) {
        (Some(a), Some(b)) => Err(MemoError::Ambiguous {
            key: a.key.clone(),
            first: lab::line_at(text, a.line_span.start),
            second: lab::line_at(text, b.line_span.start),
        }),
        (first, _) => Ok(first),
    }
}

/// The memo keys (as written in the lab) of the access key id and its secret.
pub fn access_key_entries(lab: &Lab) -> Option<(String, String)> {
    let id = lab
        .memo_entries()
        .find(|e| access_field(&e.key) == Some(AccessField::Id))?;
    let secret = lab
        .memo_entries()
        .find(|e| access_field(&e.key) == Some(AccessField::Secret))?;
    Some((id.key.clone(), secret.key.clone()))
}

/// Check a value before it is written to lab `lab_id`. The one home of the rules for a
/// value: one line, not posing as encrypted, and not empty — an empty (or blank) value is
/// never a note: it would wipe what the entry holds, so emptying is `memo unset`'s job,
/// whatever front end (`memo set`, `walk`'s memo, a form) the value came from.
pub fn validate(lab_id: &str, key: &str, value: &str, encrypted: bool) -> Result<(), MemoError> {
    if key.trim().is_empty() || key.contains(['<', '>', '\n', '\r']) {
        return Err(MemoError::BadKey { key: key.into() });
    }
    if value.trim().is_empty() {
        return Err(MemoError::Empty {
            key: key.trim().into(),
            lab: lab_id.into(),
        });
    }
    if value.contains(['\n', '\r']) {
        return Err(MemoError::Multiline { key: key.into() });
    }
    if !encrypted && crate_is_encrypted(value) {
        return Err(MemoError::LooksEncrypted { key: key.into() });
    }
    Ok(())
}

fn crate_is_encrypted(v: &str) -> bool {
    let v = v.trim().trim_matches('`');
    v.starts_with("age:")
}

/// How a value is written on the memo line: secrets as `` `age:…` ``, plain values as they
/// are (trimmed).
pub fn render_value(value: &str, encrypted: bool) -> String {
    if encrypted {
        format!("`{}`", value.trim().trim_matches('`'))
    } else {
        value.trim().to_string()
    }
}

/// Bytes of `text` with `key` set to `stored` (already rendered: see [`render_value`]);
/// an empty `stored` empties the value and keeps the entry. Returns `None` when nothing
/// would change, an error when the key is written twice ([`find_unique`]).
pub fn set(text: &str, lab: &Lab, key: &str, stored: &str) -> Result<Option<String>, MemoError> {
    if let Some(e) = find_unique(text, lab, key)? {
        return Ok(splice_entry(text, e, stored));
    }
    if stored.is_empty() {
        // Unsetting a key the lab does not have: nothing to do.
        return Ok(None);
    }
    let nl = lab.line_ending.as_str();
    let key = bare_key(key);
    Ok(Some(match lab.memo_blocks.last() {
        Some(block) => append_entry(text, block, key, stored, nl),
        None => insert_block(text, lab, key, stored, nl),
    }))
}

/// Bytes of `text` without the entry line of `key` (its line ending too); `None` when the
/// lab has no such entry, an error when the key is written twice ([`find_unique`]).
pub fn remove(text: &str, lab: &Lab, key: &str) -> Result<Option<String>, MemoError> {
    let Some(e) = find_unique(text, lab, key)? else {
        return Ok(None);
    };
    let mut end = e.line_span.end;
    if text[end..].starts_with("\r\n") {
        end += 2;
    } else if text[end..].starts_with('\n') {
        end += 1;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..e.line_span.start]);
    out.push_str(&text[end..]);
    Ok(Some(out))
}

fn splice_entry(text: &str, e: &MemoEntry, stored: &str) -> Option<String> {
    let old = &text[e.value_span.clone()];
    let new = if stored.is_empty() {
        String::new()
    } else if !e.has_colon {
        format!(" : {stored}")
    } else if old.trim().is_empty() {
        format!(" {stored}")
    } else {
        // Keep the original spacing after the colon.
        let lead = &old[..old.len() - old.trim_start().len()];
        format!("{lead}{stored}")
    };
    if new == old {
        return None;
    }
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..e.value_span.start]);
    out.push_str(&new);
    out.push_str(&text[e.value_span.end..]);
    Some(out)
}

/// Append a new entry line after the block's last line, copying the last entry's prefix
/// and emphasis. The previous entry gets the two-space hard break the course puts between
/// entries, so the rendered memo keeps one entry per line.
fn append_entry(text: &str, block: &lab::MemoBlock, key: &str, stored: &str, nl: &str) -> String {
    let (prefix, emphasis) = match block.entries.last() {
        Some(last) => {
            let line = &text[last.line_span.clone()];
            let plus = line.find('➕').unwrap_or(0);
            (line[..plus].to_string(), last.emphasis)
        }
        None => ("> ".to_string(), Emphasis::Italic),
    };
    let m = emphasis.marks();
    let value = if stored.is_empty() {
        String::new()
    } else {
        format!(" {stored}")
    };
    let new_line = format!("{prefix}➕ {m}<< {key}>>{m} :{value}");
    let mut out = String::with_capacity(text.len() + new_line.len() + 8);
    match block.entries.last() {
        Some(last) => {
            // Hard break on the previous entry line, then the new line after it.
            let line = &text[last.line_span.clone()];
            let content_end = last.line_span.start + line.trim_end().len();
            let has_break = line.ends_with("  ");
            out.push_str(&text[..content_end]);
            if has_break {
                out.push_str(&text[content_end..last.line_span.end]);
            } else {
                out.push_str("  ");
            }
            let after_line = &text[last.line_span.end..];
            let (ending, rest) = if let Some(r) = after_line.strip_prefix("\r\n") {
                ("\r\n", r)
            } else if let Some(r) = after_line.strip_prefix('\n') {
                ("\n", r)
            } else {
                ("", after_line)
            };
            out.push_str(if ending.is_empty() { nl } else { ending });
            out.push_str(&new_line);
            out.push_str(if ending.is_empty() { "" } else { ending });
            if ending.is_empty() {
                // The entry was the file's last line without an ending; keep it so.
            }
            out.push_str(rest);
        }
        None => {
            let end = block.span.end;
            out.push_str(&text[..end]);
            if !text[..end].ends_with('\n') {
                out.push_str(nl);
            }
            out.push_str(&new_line);
            out.push_str(nl);
            out.push_str(&text[end..]);
        }
    }
    out
}

/// A new memo block in the course's style, after the table of contents (or the title).
fn insert_block(text: &str, lab: &Lab, key: &str, stored: &str, nl: &str) -> String {
    let at = lab
        .toc_end
        .or_else(|| lab.title_span.as_ref().map(|s| s.end))
        .unwrap_or(0);
    // Insert at the start of the line after it.
    let at = if at == 0 || text[..at].ends_with('\n') {
        at
    } else {
        text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
    };
    let value = if stored.is_empty() {
        String::new()
    } else {
        format!(" {stored}")
    };
    let memo =
        format!("> **📌 [실습 중 메모사항]**{nl}>{nl}> ➕ _<< {key}>>_ :{value}{nl}{nl}<br>{nl}");
    let mut out = String::with_capacity(text.len() + memo.len() + 8);
    out.push_str(&text[..at]);
    if at > 0 {
        if !text[..at].ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(nl);
    }
    out.push_str(&memo);
    if at == 0 || !text[at..].starts_with(['\n', '\r']) {
        out.push_str(nl);
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::parse;

    const ITALIC_CRLF: &str = "# 2일차 - Lab 4. 키\r\n\r\n---\r\n\r\n- [1. a](#1-a)\r\n\r\n---\r\n\r\n> **📌 [실습 중 메모사항]**\r\n>\r\n> ➕ _<< AWS Access Key ID>>_ :  \r\n>  ➕ _<< AWS Secret Access key>>_ :\r\n\r\n<br>\r\n\r\n## ✔ 1. a\r\n";

    fn apply(text: &str, key: &str, v: &str) -> Option<String> {
        let lab = parse(text.as_bytes(), "x").unwrap();
        set(text, &lab, key, v).unwrap()
    }

    #[test]
    fn a_key_written_twice_is_refused_naming_both_lines() {
        // Once in each of two memo blocks, and twice in one block.
        let two_blocks = "> **📌 [메모사항]**\n>\n> ➕ _<< token>>_ : a\n\n## 1. x\n\n> **📌 [메모사항]**\n>\n> ➕ _<< Token >>_ : b\n";
        let one_block = "> **📌 [메모사항]**\n>\n> ➕ _<< k>>_ : a  \n>  ➕ **<< k>>** :\n";
        for (md, key, lines) in [(two_blocks, "token", (3, 9)), (one_block, "k", (3, 4))] {
            let lab = parse(md.as_bytes(), "x").unwrap();
            let err = set(md, &lab, key, "z");
            let Err(MemoError::Ambiguous { first, second, .. }) = err else {
                panic!("not refused: {err:?}");
            };
            assert_eq!((first, second), lines);
        }
        // Another key of the lab is still written.
        let lab = parse(one_block.as_bytes(), "x").unwrap();
        assert!(set(one_block, &lab, "other", "v").unwrap().is_some());
    }

    #[test]
    fn splice_keeps_every_other_byte() {
        let out = apply(ITALIC_CRLF, "aws access key id", "AKIAEXAMPLE").unwrap();
        let expected = ITALIC_CRLF.replace(
            "> ➕ _<< AWS Access Key ID>>_ :  \r\n",
            "> ➕ _<< AWS Access Key ID>>_ : AKIAEXAMPLE  \r\n",
        );
        assert_eq!(out, expected);
        // Setting it again changes nothing.
        assert_eq!(apply(&out, "AWS Access Key ID", "AKIAEXAMPLE"), None);
        // Unset returns to the original.
        assert_eq!(
            apply(&out, "<< AWS Access Key ID>>", "").unwrap(),
            ITALIC_CRLF
        );
        let out2 = apply(ITALIC_CRLF, "AWS Secret Access key", "`age:QUJD`").unwrap();
        assert!(out2.contains(">  ➕ _<< AWS Secret Access key>>_ : `age:QUJD`\r\n\r\n<br>"));
    }

    #[test]
    fn append_in_block_style() {
        // A key given as `<< key>>` is appended as `key`, not nested in a second `<< >>`.
        let appended = [
            ("region", "region", ">  ➕ _<< AWS Secret Access key>>_ :  \r\n>  ➕ _<< region>>_ : ap-northeast-2\r\n\r\n"),
            ("<< 생성된 IP>>", "생성된 IP", ">  ➕ _<< 생성된 IP>>_ : ap-northeast-2\r\n"),
        ];
        for (given, key, line) in appended {
            let out = apply(ITALIC_CRLF, given, "ap-northeast-2").unwrap();
            assert!(out.contains(line), "{out}");
            let lab = parse(out.as_bytes(), "x").unwrap();
            let e = find(&lab, key).unwrap();
            assert_eq!((e.key.as_str(), e.value.as_str()), (key, "ap-northeast-2"));
            assert_eq!(lab.memo_entries().count(), 3);
        }
    }

    #[test]
    fn new_block_after_toc() {
        let md =
            "# 2일차 - Lab 5. 네트워크\n\n---\n\n- [1. a](#1-a)\n\n---\n\n## 🔴 1. a\n\n본문\n";
        let out = apply(md, "생성된 IP", "10.0.0.1").unwrap();
        let lab = parse(out.as_bytes(), "x").unwrap();
        assert_eq!(find(&lab, "생성된 IP").unwrap().value, "10.0.0.1");
        assert_eq!(lab.steps.len(), 1);
        assert!(out.starts_with("# 2일차 - Lab 5. 네트워크\n\n---\n\n- [1. a](#1-a)\n\n---\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< 생성된 IP>>_ : 10.0.0.1\n"), "{out}");
        assert!(out.ends_with("\n## 🔴 1. a\n\n본문\n"));
    }

    #[test]
    fn access_fields() {
        assert_eq!(access_field("AWS Access Key ID"), Some(AccessField::Id));
        assert_eq!(access_field("access_key_id"), Some(AccessField::Id));
        assert_eq!(
            access_field("AWS Secret Access key"),
            Some(AccessField::Secret)
        );
        assert_eq!(access_field("secret key"), Some(AccessField::Secret));
        assert_eq!(access_field("github_token"), None);
        let lab = parse(ITALIC_CRLF.as_bytes(), "x").unwrap();
        assert_eq!(
            access_key_entries(&lab),
            Some(("AWS Access Key ID".into(), "AWS Secret Access key".into()))
        );
    }

    #[test]
    fn a_new_block_follows_the_majority_line_ending() {
        // The title line is LF, every other line CRLF (a lab edited on two systems).
        let md =
            "# 2일차 - Lab 9. 테스트\n\r\n---\r\n\r\n- [1. a](#1-a)\r\n\r\n---\r\n\r\n## 1. a\r\n";
        let out = apply(md, "생성된 IP", "10.0.0.1").unwrap();
        assert!(
            out.contains("> ➕ _<< 생성된 IP>>_ : 10.0.0.1\r\n"),
            "{out:?}"
        );
        assert_eq!(
            out.matches('\n').count(),
            out.matches("\r\n").count() + 1,
            "only the title line stays LF: {out:?}"
        );
    }

    #[test]
    fn entries_without_colon_or_with_mismatched_emphasis_are_entries() {
        let md = "> **📌 [메모사항]**\n>\n> ➕ _<< k>>_\n>  ➕ _<< j>>** :  \n";
        let lab = parse(md.as_bytes(), "x").unwrap();
        assert_eq!(lab.memo_entries().count(), 2);
        let out = apply(md, "k", "vk").unwrap();
        assert_eq!(out, md.replace("_<< k>>_\n", "_<< k>>_ : vk\n"));
        let out = apply(&out, "j", "vj").unwrap();
        assert!(out.ends_with(">  ➕ _<< j>>** : vj  \n"), "{out:?}");
        let lab = parse(out.as_bytes(), "x").unwrap();
        assert_eq!(find(&lab, "k").unwrap().value, "vk");
        assert_eq!(find(&lab, "j").unwrap().value, "vj");
        assert_eq!(lab.memo_entries().count(), 2);
    }

    #[test]
    fn keys_normalise() {
        assert_eq!(
            normalize_key("<< AWS  Access Key ID>>"),
            "aws access key id"
        );
        assert_eq!(normalize_key(" github_token "), "github_token");
        assert!(validate("2-3", "k", "a\nb", false).is_err());
        assert!(validate("2-3", "k", "age:abc", false).is_err());
        assert!(validate("2-3", "k", "age:abc", true).is_ok());
        let empty = validate("2-3", "k", " \t", true).unwrap_err();
        assert_eq!(
            empty,
            MemoError::Empty {
                key: "k".into(),
                lab: "2-3".into()
            }
        );
        assert!(empty.to_string().contains("labnote memo unset 2-3 \"k\""));
    }
}
