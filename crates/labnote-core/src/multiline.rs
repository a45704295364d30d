//! Values of several lines in a one-line memo entry, byte-exact and still readable.
//!
//! A memo entry is one line (`> ➕ _<< key>>_ : value`), but some values the course asks for are
//! blocks: the six lines a script prints, a certificate. Such a value is stored on the entry
//! line as `` `b64:<standard base64 of its UTF-8 bytes>` `` — every byte kept, line endings
//! and trailing spaces included — and, for the reader of the markdown, followed inside the
//! memo blockquote by a *preview*: a fenced block whose info string is `text preview`:
//!
//! ```text
//! >  ➕ _<< aws_auth_roles>>_ : `b64:LSByb2xlYXJuOiBhcm46…`
//! > ```text preview
//! > - rolearn: arn:aws:iam::111122223333:role/node
//! >   username: system:node:{{EC2PrivateDNSName}}
//! > ```
//! ```
//!
//! The base64 is the value; the preview is only a view of it, rewritten by labnote after every
//! memo write (a `➕` in it is shown as `+`, so that no preview line reads as an entry; a
//! long value shows its first lines). Recover a value without labnote:
//! `printf %s PAYLOAD | base64 -d` (PAYLOAD: the text after `b64:`). A one-line value that
//! itself starts with `b64:` is stored encoded too, so reading never guesses. Secrets are
//! age-encrypted as they are (the age plaintext is the exact value, newlines included) and
//! get no preview.
//!
//! Pure.

use std::borrow::Cow;

use base64::Engine;

const PREFIX: &str = "b64:";
/// The info string of a preview fence.
const PREVIEW_INFO: &str = "text preview";
/// Lines a preview shows before it says how many more there are.
const PREVIEW_LINES: usize = 40;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MultilineError {
    #[error("the stored value is not valid base64 after 'b64:' ({0}); fix or re-note it")]
    Base64(String),
    #[error("the stored value decodes to bytes that are not UTF-8; re-note it")]
    Utf8,
}

/// Whether a value cannot stand on the entry line as it is.
fn needs_encoding(value: &str) -> bool {
    value.contains(['\n', '\r']) || value.trim().starts_with(PREFIX)
}

/// The one-line form of a value: itself, or `b64:…` for a value of several lines.
pub fn encode(value: &str) -> Cow<'_, str> {
    if needs_encoding(value) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(value.as_bytes());
        Cow::Owned(format!("{PREFIX}{b64}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The stored text of a plain (not secret) value on the entry line: `` `b64:…` `` for a
/// value of several lines, else the value trimmed (as [`crate::memo::render_value`]).
pub fn render(value: &str) -> String {
    match encode(value) {
        Cow::Owned(enc) => crate::memo::render_value(&enc, true),
        Cow::Borrowed(v) => crate::memo::render_value(v, false),
    }
}

/// The value of a raw entry text that holds `b64:…`, or `None` for any other raw text.
pub fn decode(raw: &str) -> Option<Result<String, MultilineError>> {
    let payload = raw.trim().trim_matches('`').strip_prefix(PREFIX)?;
    let bytes = match base64::engine::general_purpose::STANDARD.decode(payload.trim()) {
        Ok(b) => b,
        Err(e) => return Some(Err(MultilineError::Base64(e.to_string()))),
    };
    Some(String::from_utf8(bytes).map_err(|_| MultilineError::Utf8))
}

/// How a raw entry text is listed: a block value as its number of lines, anything else as
/// it is.
pub fn listed(raw: &str) -> String {
    match decode(raw) {
        Some(Ok(v)) => format!("({} lines)", v.split('\n').count()),
        Some(Err(_)) => "(a block value that cannot be read; re-note it)".to_string(),
        None => raw.to_string(),
    }
}

/// `text` with the preview of every `b64:` entry rewritten (and stale previews removed), so
/// that each preview follows its entry and shows its value. Every other byte is kept; a
/// lab with neither returns unchanged.
pub fn sync_previews(text: &str) -> String {
    if !text.contains(PREFIX) && !text.contains(PREVIEW_INFO) {
        return text.to_string();
    }
    let lab = crate::lab::parse_str(text, "");
    let nl = lab.line_ending.as_str();
    let mut out = text.to_string();
    // From the last entry to the first, so earlier offsets stay valid.
    let entries: Vec<_> = lab.memo_entries().collect();
    for e in entries.iter().rev() {
        let after = line_after(text, e.line_span.end);
        let old = preview_len(&text[after..]);
        let new = match decode(&e.value) {
            Some(Ok(v)) => preview(&v, nl),
            _ => String::new(),
        };
        out.replace_range(after..after + old, &new);
    }
    out
}

/// The offset just after the line ending at `end` (or `end` at the end of the text).
fn line_after(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    if rest.starts_with("\r\n") {
        end + 2
    } else if rest.starts_with('\n') {
        end + 1
    } else {
        end
    }
}

/// Length of a preview block at the start of `rest` (0 when there is none): a quoted fence
/// line with the preview info string, through its closing fence line.
fn preview_len(rest: &str) -> usize {
    let mut lines = rest.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return 0;
    };
    let Some(fence) = quoted(first).and_then(|c| c.strip_suffix(PREVIEW_INFO)) else {
        return 0;
    };
    if fence.len() < 3 || !fence.chars().all(|c| c == '`') {
        return 0;
    }
    let mut len = first.len();
    for l in lines {
        // A preview never holds an entry (its `➕` are shown as `+`): a preview whose closing
        // fence was lost ends before the next entry, which is never taken with it.
        let Some(content) = quoted(l).filter(|c| !c.contains('➕')) else {
            return len;
        };
        len += l.len();
        if content == fence {
            return len;
        }
    }
    len
}

/// The content of a quoted line (`> text`, line ending removed), or `None`.
fn quoted(line: &str) -> Option<&str> {
    let l = line.trim_end_matches(['\n', '\r']);
    let rest = l.trim_start().strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// The preview block of a value, in the lab's line ending.
fn preview(value: &str, nl: &str) -> String {
    let longest_ticks = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_ticks.max(2) + 1);
    let lines: Vec<&str> = value.split('\n').collect();
    let mut out = format!("> {fence}{PREVIEW_INFO}{nl}");
    for l in lines.iter().take(PREVIEW_LINES) {
        let shown: String = l
            .trim_end_matches('\r')
            .chars()
            .map(|c| match c {
                '➕' => '+',
                c if c.is_control() && c != '\t' => '\u{FFFD}',
                c => c,
            })
            .collect();
        // Trailing spaces are dropped from the view (the value keeps them).
        out.push_str(format!("> {shown}").trim_end());
        out.push_str(nl);
    }
    if lines.len() > PREVIEW_LINES {
        out.push_str(&format!(
            "> … ({} more lines){nl}",
            lines.len() - PREVIEW_LINES
        ));
    }
    out.push_str(&format!("> {fence}{nl}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `md` with `stored` noted under `key` as `memo set` writes it, previews synced.
    fn noted(md: &str, key: &str, stored: &str) -> String {
        let lab = crate::lab::parse_str(md, "x");
        sync_previews(&crate::memo::set(md, &lab, key, stored).unwrap().unwrap())
    }

    const MEMO: &str = "# 3일차 - Lab 2. t\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< aws_auth_roles>>_ :  \n>  ➕ _<< region>>_ : ap-northeast-2\n\n## 1. a\n\n본문\n";

    #[test]
    fn one_line_values_are_left_alone() {
        assert_eq!(encode("ap-northeast-2"), "ap-northeast-2");
        assert_eq!(render("  octo "), "octo");
        assert_eq!(decode("octo"), None);
        assert_eq!(decode("`age:QUJD`"), None);
        assert_eq!(listed("octo"), "octo");
        assert_eq!(listed(&render("a\nb\nc")), "(3 lines)");
        assert_eq!(sync_previews(MEMO), MEMO);
    }

    #[test]
    fn several_lines_round_trip_and_get_a_preview() {
        let value = "- rolearn: arn:aws:iam::1:role/a\n  username: x  \n  groups:\n    - system:nodes\n```\n➕ _<<k>>_ : v";
        let stored = render(value);
        assert!(
            stored.starts_with("`b64:") && stored.ends_with('`'),
            "{stored}"
        );
        assert_eq!(decode(&stored), Some(Ok(value.to_string())));
        let text = noted(MEMO, "aws_auth_roles", &stored);
        assert!(
            text.contains(
                "> ````text preview\n> - rolearn: arn:aws:iam::1:role/a\n>   username: x\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("> + _<<k>>_ : v\n> ````\n>  ➕ _<< region>>_"),
            "{text}"
        );
        // The preview is not read as entries; the value and the other entry are intact.
        let lab = crate::lab::parse_str(&text, "x");
        let keys: Vec<&str> = lab.memo_entries().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["aws_auth_roles", "region"]);
        let e = crate::memo::find(&lab, "aws_auth_roles").unwrap();
        assert_eq!(decode(&e.value), Some(Ok(value.to_string())));
        assert_eq!(lab.steps.len(), 1);
        // Syncing again changes nothing; emptying the entry removes the preview.
        assert_eq!(sync_previews(&text), text);
        assert_eq!(noted(&text, "aws_auth_roles", ""), MEMO);
    }

    #[test]
    fn a_new_entry_after_a_block_value_keeps_each_preview_with_its_entry() {
        let md = "# t\r\n\r\n> **📌 [메모사항]**\r\n>\r\n> ➕ **<< a>>** :\r\n\r\n## 1. x\r\n";
        let t = noted(md, "a", &render("1\n2"));
        let t = noted(&t, "b", &render("x"));
        assert!(
            t.contains("> ➕ **<< a>>** : `b64:MQoy`  \r\n> ```text preview\r\n> 1\r\n> 2\r\n> ```\r\n> ➕ **<< b>>** : x\r\n"),
            "{t:?}"
        );
    }

    #[test]
    fn a_preview_without_its_closing_fence_never_takes_the_next_entry() {
        let md = "> **📌 [메모사항]**\n>\n> ➕ **<< a>>** : `b64:MQoy`  \n> ```text preview\n> 1\n> ➕ **<< b>>** : x\n\n## 1. x\n";
        let t = sync_previews(md);
        assert_eq!(
            t,
            "> **📌 [메모사항]**\n>\n> ➕ **<< a>>** : `b64:MQoy`  \n> ```text preview\n> 1\n> 2\n> ```\n> ➕ **<< b>>** : x\n\n## 1. x\n"
        );
    }

    #[test]
    fn bad_payloads_are_errors() {
        assert!(matches!(
            decode("`b64:@@@`"),
            Some(Err(MultilineError::Base64(_)))
        ));
        assert_eq!(decode("`b64:/w==`"), Some(Err(MultilineError::Utf8)));
    }

    proptest! {
        #[test]
        fn any_value_round_trips_through_the_entry_line(value in "(?s).{0,200}") {
            let stored = render(&value);
            prop_assert!(!stored.contains(['\n', '\r']));
            match decode(&stored) {
                Some(v) => prop_assert_eq!(v.unwrap(), value),
                None => prop_assert_eq!(stored, value.trim()),
            }
        }

        #[test]
        fn any_block_value_survives_the_lab_file(lines in proptest::collection::vec("[^\r\n]{0,30}", 2..8), crlf in any::<bool>()) {
            let value = lines.join(if crlf { "\r\n" } else { "\n" });
            let md = if crlf { MEMO.replace('\n', "\r\n") } else { MEMO.to_string() };
            let text = noted(&md, "aws_auth_roles", &render(&value));
            let lab = crate::lab::parse_str(&text, "x");
            let keys: Vec<&str> = lab.memo_entries().map(|e| e.key.as_str()).collect();
            prop_assert_eq!(keys, ["aws_auth_roles", "region"]);
            let e = crate::memo::find(&lab, "aws_auth_roles").unwrap();
            prop_assert_eq!(decode(&e.value).unwrap().unwrap(), value);
            prop_assert_eq!(&crate::memo::find(&lab, "region").unwrap().value, "ap-northeast-2");
        }
    }
}
