//! Text made safe to print on a terminal.
//!
//! A lab is untrusted input: a title or a block holding `ESC ] 52 ; …` would set the
//! student's clipboard, a `CR` or `ESC [ K` would hide the start of a line, a bidi override
//! (U+202E) would show a command in another order than the shell reads it. [`visible`] shows
//! every such character as text instead (caret notation `^[`, `^M`, `^?`; `<U+202E>` for the
//! rest), so the student sees that it is there; nothing is dropped silently. `\n` and `\t`
//! stay, and so does a `\r` just before `\n` (a CRLF line end moves the cursor nowhere new).
//!
//! Pure: strings in, strings out.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is (see the module doc).
fn is_unsafe(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        && c != '\n'
        && c != '\t'
}

/// Whether [`visible`] would show something of `s`: one pass over its bytes (every lab's
/// whole text is checked when it is parsed). In UTF-8 the unsafe characters are the bytes
/// below `0x20` and `0x7f`, C1 controls `C2 80`–`C2 9F`, and the bidi controls `E2 80 AA`–`AE`
/// and `E2 81 A6`–`A9`; a lead byte is never a continuation byte, so no character is misread.
pub fn needs_showing(s: &str) -> bool {
    let b = s.as_bytes();
    // A CR is unsafe unless a LF follows (a CRLF line end): found with memchr, one per line.
    if memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n')) {
        return true;
    }
    // Blocks of 32 bytes are checked without branches for a byte that can start an unsafe
    // character, with the byte after it (the compiler makes it a vector compare): `0xe2` only
    // before `0x80` or `0x81` (the bidi controls; `✔`, `➕` and `ⓘ` start with `0xe2` too).
    // Only such a block is read closely, and the last few bytes.
    let suspect = |c: u8, next: u8| {
        u8::from(c < 0x20) & u8::from(c != b'\n') & u8::from(c != b'\t') & u8::from(c != b'\r')
            | u8::from(c == 0x7f)
            | u8::from(c == 0xc2)
            | u8::from(c == 0xe2) & u8::from(next & 0xfe == 0x80)
    };
    let mut start = 0;
    while start + 32 < b.len() {
        let block = &b[start..start + 32];
        let next = &b[start + 1..start + 33];
        if block
            .iter()
            .zip(next)
            .fold(0u8, |any, (&c, &n)| any | suspect(c, n))
            != 0
            && (start..start + 32).any(|i| unsafe_at(b, i))
        {
            return true;
        }
        start += 32;
    }
    (start..b.len()).any(|i| unsafe_at(b, i))
}

/// Whether an unsafe character starts at byte `i` of `b` (see [`needs_showing`]).
fn unsafe_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\n' | b'\t' => false,
        b'\r' => b.get(i + 1) != Some(&b'\n'),
        0..=0x1f | 0x7f => true,
        0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    }
}

/// `s` with every unsafe character shown visibly: C0 controls and DEL in caret notation
/// (`ESC` → `^[`, `CR` → `^M`, `DEL` → `^?`), C1 controls and bidi controls as `<U+XXXX>`.
/// Borrowed when there is nothing to show.
pub fn visible(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    if !needs_showing(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if !is_unsafe(c) || (c == '\r' && b.get(i + 1) == Some(&b'\n')) {
            out.push(c);
        } else if (c as u32) < 0x20 || c == '\u{7f}' {
            out.push('^');
            out.push(char::from((c as u8) ^ 0x40));
        } else {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        }
    }
    Cow::Owned(out)
}

/// The byte offset of the first character in `code` that hides text on a terminal: an `ESC`
/// anywhere, or a `CR` in mid-line (not the `CR` of a CRLF line end). A runnable block holding
/// one is refused: what the confirmation shows would not be what runs.
pub fn hiding_char(code: &str) -> Option<usize> {
    let b = code.as_bytes();
    b.iter().enumerate().find_map(|(i, &c)| {
        let hides = c == 0x1b || (c == b'\r' && !matches!(b.get(i + 1), Some(b'\n') | None));
        hides.then_some(i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan agrees with the character rule for every character up to U+FFFF, alone,
    /// before a newline and inside other text.
    #[test]
    fn the_byte_scan_is_the_character_rule() {
        for c in (0u32..=0xffff).filter_map(char::from_u32) {
            let by_char = |s: &str| {
                let b = s.as_bytes();
                s.char_indices()
                    .any(|(i, c)| is_unsafe(c) && !(c == '\r' && b.get(i + 1) == Some(&b'\n')))
            };
            for s in [
                format!("{c}"),
                format!("{c}\n"),
                format!("가{c}é"),
                format!("a{c}"),
            ] {
                assert_eq!(
                    needs_showing(&s),
                    by_char(&s),
                    "U+{:04X} in {s:?}",
                    c as u32
                );
            }
        }
    }

    /// Whether [`visible`] would leave `s` as it is.
    fn is_safe(s: &str) -> bool {
        matches!(visible(s), Cow::Borrowed(_))
    }

    #[test]
    fn plain_text_is_borrowed() {
        let s = "✔ 2-1. 액세스 키 만들기\tok\n";
        assert!(matches!(visible(s), Cow::Borrowed(_)));
        assert!(is_safe(s));
        assert!(is_safe("a\r\nb"));
    }

    #[test]
    fn controls_show_in_caret_notation() {
        assert_eq!(visible("x\x1b]52;c;ZWNobw==\x07y"), "x^[]52;c;ZWNobw==^Gy");
        assert_eq!(visible("touch p #\r\x1b[Kls"), "touch p #^M^[[Kls");
        assert_eq!(visible("a\x7fb\x00c"), "a^?b^@c");
        assert_eq!(visible("end\r"), "end^M");
        assert!(!is_safe("\x1b"));
    }

    #[test]
    fn c1_and_bidi_show_as_code_points() {
        assert_eq!(visible("a\u{9b}31m"), "a<U+009B>31m");
        assert_eq!(visible("ls \u{202e}txt.exe"), "ls <U+202E>txt.exe");
        assert_eq!(visible("\u{2066}x\u{2069}"), "<U+2066>x<U+2069>");
        // Neighbours of the ranges are ordinary text.
        assert_eq!(
            visible("\u{2029}\u{202f}\u{2065}\u{206a}"),
            "\u{2029}\u{202f}\u{2065}\u{206a}"
        );
    }

    #[test]
    fn the_result_is_always_safe() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let v = visible(&s);
            assert!(v.chars().all(|c| !is_unsafe(c)), "{c:?} → {v:?}");
            assert!(
                v.len() >= s.len() || c == '\n' || c == '\t',
                "{c:?} dropped"
            );
        }
    }

    #[test]
    fn hiding_chars_in_code() {
        assert_eq!(hiding_char("ls\r\naws --version\r\n"), None);
        assert_eq!(hiding_char("ls\naws\r"), None);
        assert_eq!(hiding_char("touch /tmp/x #\raws --version"), Some(14));
        assert_eq!(hiding_char("echo \x1b[Khi"), Some(5));
        assert_eq!(hiding_char("echo 한글\t\n"), None);
    }
}
