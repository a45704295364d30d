//! The one placeholder scanner: where a `<<name>>` stands in a piece of text.
//!
//! Pure. `placeholders` (through the lab parser), rendering (`show --fill`, `walk`) and `run`
//! all call [`scan`], so they cannot disagree on what is a placeholder.
//!
//! A placeholder is `<<name>>`: a name of 1..=100 characters on one line, without `<` or `>`,
//! spaces around it trimmed (`<< AWS Access Key ID>>`, `<<메모한 token >>`). It may stand in
//! prose, inline code, tables and code blocks. Inside code (a code block or an inline code
//! span) a shell heredoc operator is never a placeholder:
//!
//! * `<<WORD`, `<<-WORD`, `<< WORD` whose delimiter line (`WORD` alone on a later line of the
//!   same code, `>` quote markers and indentation ignored) follows: `cat <<EOF >> b.txt` …
//!   `EOF`, also written `<<EOF>>b.txt`;
//! * a quoted delimiter: `<< 'EOF'`, `<<"EOF"`, `<<\EOF` (a name never holds a quote before
//!   `>>`, a delimiter does);
//! * `<< WORD >>` with blanks on both sides inside (a heredoc followed by an append
//!   redirection, whether or not its delimiter line is in the same block);
//! * a here-string `<<<`.
//!
//! `<<생성된 IP>>` in code stays a placeholder: there is no line `생성된` after it.

use std::ops::Range;

/// One placeholder found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedPlaceholder {
    /// `<<…>>` inclusive.
    pub span: Range<usize>,
    /// The name with surrounding spaces trimmed.
    pub name: String,
}

/// Longest name in characters.
const MAX_NAME: usize = 100;
/// How far (bytes) to look for the closing `>>`.
const MAX_INNER: usize = 400;

/// Every placeholder of `text`. `code` lists the byte ranges of code (code blocks and inline
/// code spans, in document order, not overlapping), where the heredoc rules apply.
pub fn scan(text: &str, code: &[Range<usize>]) -> Vec<ScannedPlaceholder> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut lines = LineIndex::default();
    let mut i = 0;
    while let Some(rel) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + rel;
        if bytes.get(start + 1) != Some(&b'<') {
            i = start + 1;
            continue;
        }
        let region = region_at(code, start);
        if let Some(r) = &region {
            if bytes.get(start + 2) == Some(&b'<') {
                // A here-string `<<<`: nothing of it is a placeholder.
                i = start + 3;
                continue;
            }
            if let Some(end) = heredoc_operator(text, start, r, &mut lines) {
                i = end;
                continue;
            }
        }
        match name_at(text, start) {
            Some((raw, end)) if !(region.is_some() && blank_both_sides(raw)) => {
                out.push(ScannedPlaceholder {
                    span: start..end,
                    name: raw.trim().to_string(),
                });
                i = end;
            }
            _ => i = start + 1,
        }
    }
    out
}

/// [`scan`] of a text that is all code: a block's script.
pub(crate) fn scan_code(text: &str) -> Vec<ScannedPlaceholder> {
    let all = 0..text.len();
    scan(text, std::slice::from_ref(&all))
}

/// `text` with each of `spans` (sorted, not overlapping: placeholders from [`scan`] of this
/// text) replaced by what `with` returns for its index.
pub fn replace(
    text: &str,
    spans: impl IntoIterator<Item = Range<usize>>,
    mut with: impl FnMut(usize) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (i, span) in spans.into_iter().enumerate() {
        out.push_str(&text[pos..span.start]);
        out.push_str(&with(i));
        pos = span.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The code range holding `pos`, if any (binary search: `ranges` are sorted).
fn region_at(ranges: &[Range<usize>], pos: usize) -> Option<Range<usize>> {
    let i = ranges.partition_point(|r| r.start <= pos);
    (i > 0 && ranges[i - 1].contains(&pos)).then(|| ranges[i - 1].clone())
}

/// The raw inside of `<<…>>` at `start` and the end of the `>>`, if one closes it.
fn name_at(text: &str, start: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let inner = start + 2;
    let mut j = inner;
    while j < bytes.len() && j - inner <= MAX_INNER {
        match bytes[j] {
            b'\n' | b'\r' | b'<' => return None,
            b'>' => {
                if bytes.get(j + 1) != Some(&b'>') {
                    return None;
                }
                let raw = &text[inner..j];
                let n = raw.trim().chars().count();
                return (n > 0 && n <= MAX_NAME).then_some((raw, j + 2));
            }
            _ => j += 1,
        }
    }
    None
}

fn blank_both_sides(raw: &str) -> bool {
    raw.starts_with(char::is_whitespace) && raw.ends_with(char::is_whitespace)
}

/// A heredoc delimiter word after `<<`: its text with quotes removed, whether any part was
/// quoted, and where the word ends.
pub(crate) struct Delimiter {
    pub word: String,
    pub quoted: bool,
    pub span: Range<usize>,
    pub strip_tabs: bool,
}

/// Parse `<<[-][blanks]WORD` at `start` (which holds `<<`). `None` when no word follows.
pub(crate) fn delimiter(text: &str, start: usize) -> Option<Delimiter> {
    let bytes = text.as_bytes();
    let mut p = start + 2;
    let strip_tabs = bytes.get(p) == Some(&b'-');
    if strip_tabs {
        p += 1;
    }
    while matches!(bytes.get(p), Some(b' ' | b'\t')) {
        p += 1;
    }
    let word_start = p;
    let mut word = String::new();
    let mut quoted = false;
    // The start of the unquoted run being read: the breaks, quotes and `\` are ASCII, so
    // any other byte (of a character beyond ASCII too) belongs to the run.
    let mut run = p;
    while p < bytes.len() {
        let c = bytes[p];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            b'\'' | b'"' => {
                let close = text[p + 1..].find(c as char)? + p + 1;
                if text[p + 1..close].contains('\n') {
                    return None;
                }
                word.push_str(&text[run..p]);
                word.push_str(&text[p + 1..close]);
                quoted = true;
                p = close + 1;
                run = p;
            }
            b'\\' => {
                let ch = text[p + 1..].chars().next()?;
                if ch == '\n' {
                    return None;
                }
                word.push_str(&text[run..p]);
                word.push(ch);
                quoted = true;
                p += 1 + ch.len_utf8();
                run = p;
            }
            _ => p += 1,
        }
    }
    word.push_str(&text[run..p]);
    (!word.is_empty()).then_some(Delimiter {
        word,
        quoted,
        span: word_start..p,
        strip_tabs,
    })
}

/// The lines of one code region, trimmed as a delimiter line is compared (`>` markers,
/// indentation, trailing blanks), each with the start of its last occurrence. The first
/// questions about a region look for the word in the text after the operator (most blocks
/// ask one or two: `cat << EOF`, a `<<placeholder>>`); a region asked more is indexed once,
/// so a block of many heredoc operators costs one pass, not one per operator.
#[derive(Default)]
struct LineIndex<'a> {
    region: Option<Range<usize>>,
    /// Questions asked about `region` so far.
    asked: usize,
    /// Whether `last` holds the lines of `region`.
    built: bool,
    last: std::collections::HashMap<&'a str, usize>,
}

/// Questions about one region answered by searching, before its lines are indexed.
const SEARCHED_QUESTIONS: usize = 8;

/// A line of a code region as a heredoc's delimiter line is compared with its word.
fn delimiter_line(l: &str) -> &str {
    l.trim_start_matches(['>', ' ', '\t']).trim_end()
}

impl<'a> LineIndex<'a> {
    /// Whether a line equal to `word` (not empty) starts at or after `from` (a line start)
    /// in `region`.
    fn has_line_after(
        &mut self,
        text: &'a str,
        region: &Range<usize>,
        word: &str,
        from: usize,
    ) -> bool {
        if self.region.as_ref() != Some(region) {
            self.region = Some(region.clone());
            self.asked = 0;
            self.built = false;
        }
        self.asked += 1;
        if self.asked <= SEARCHED_QUESTIONS {
            // A line equal to the word holds it: each place the word stands is tested as
            // a whole line. Found from the word's first byte (the rest of a block is short:
            // no searcher worth building).
            let rest = &text[from..region.end];
            let (r, w) = (rest.as_bytes(), word.as_bytes());
            let Some(&lead) = w.first() else {
                return false;
            };
            return memchr::memchr_iter(lead, r)
                .filter(|&i| r[i..].starts_with(w))
                .any(|i| {
                    let start = rest[..i].rfind('\n').map_or(0, |n| n + 1);
                    let end = rest[i..].find('\n').map_or(rest.len(), |n| i + n + 1);
                    delimiter_line(&rest[start..end]) == word
                });
        }
        if !self.built {
            self.last.clear();
            let mut at = region.start;
            for l in text[region.clone()].split_inclusive('\n') {
                self.last.insert(delimiter_line(l), at);
                at += l.len();
            }
            self.built = true;
        }
        self.last.get(word).is_some_and(|&at| at >= from)
    }
}

/// If `<<` at `start` (inside the code `region`) is a heredoc operator, the end of its
/// delimiter word.
fn heredoc_operator<'a>(
    text: &'a str,
    start: usize,
    region: &Range<usize>,
    lines: &mut LineIndex<'a>,
) -> Option<usize> {
    let d = delimiter(text, start)?;
    if d.span.end > region.end {
        return None;
    }
    if d.quoted {
        return Some(d.span.end);
    }
    let after = text[d.span.end..region.end].find('\n')? + d.span.end + 1;
    lines
        .has_line_after(text, region, &d.word, after)
        .then_some(d.span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        scan_code(text).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn heredoc_operators_are_never_placeholders() {
        let block = "echo ssh <<생성된 IP>> >> a.txt\ncat <<EOF >> b.txt\nplain\nEOF\n";
        assert_eq!(names(block), ["생성된 IP"]);
        assert!(names("cat <<EOF>>b.txt\nx <<v>>\nEOF\n") == ["v"]);
        assert!(names("cat <<-EOF >> f\n\tEOF\n").is_empty());
        assert!(names("cat << 'EOF' >> f\n<<inside>>\nEOF\n") == ["inside"]);
        assert!(names("cat <<\"EOF\">>f\nEOF\n").is_empty());
        assert!(names("cat << EOF >> f\n").is_empty());
        assert!(names("cat <<< \"<<v>>\"\n") == ["v"]);
        // Blockquoted code: the delimiter line has its `>` marker.
        let quoted = "> cat <<EOF >> f\n> x\n> EOF\n";
        assert!(scan_code(quoted).is_empty());
    }

    #[test]
    fn a_block_asked_about_often_answers_as_one_asked_once() {
        // The first questions about a block search its text, the later ones its line index:
        // the same answers either way.
        for heredocs in [0, 3, SEARCHED_QUESTIONS, SEARCHED_QUESTIONS + 4] {
            let mut block = "cat <<EOF > f\nbody\nEOF\n".repeat(heredocs);
            block.push_str("echo <<v>> <<w>>\n  v\nw-not\n");
            assert_eq!(names(&block), ["w"], "{heredocs} heredocs before");
        }
    }

    #[test]
    fn placeholders_everywhere_else() {
        let t = "a <<x>> b `<<y>>` | <<EOF >> |";
        // Prose (no code range): `<<EOF >>` is a placeholder named EOF.
        let f = scan(t, &[]);
        assert_eq!(
            f.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["x", "y", "EOF"]
        );
        assert_eq!(&t[f[0].span.clone()], "<<x>>");
        assert_eq!(names("network-<<id>>-<<YYMMDD>>"), ["id", "YYMMDD"]);
        assert_eq!(
            names("<< AWS Access Key ID>> <<메모한 token >>"),
            ["AWS Access Key ID", "메모한 token"]
        );
        assert!(names("<<>> <<   >> <<a\nb>>").is_empty());
        assert_eq!(names("<<<x>>>"), Vec::<String>::new());
        assert_eq!(scan("<<<x>>>", &[]).len(), 1);
    }

    #[test]
    fn replace_keeps_the_rest() {
        let t = "a <<x>> b <<y>>";
        let f = scan(t, &[]);
        let up = |i: usize| f[i].name.to_uppercase();
        assert_eq!(replace(t, f.iter().map(|f| f.span.clone()), up), "a X b Y");
    }
}
