//! A block's script with its placeholders bound to shell variables: memo values reach the
//! shell as data, never as code.
//!
//! Pure. Each distinct placeholder name of the script becomes a variable `LABNOTE_V_<n>`
//! and each `<<name>>` a reference to it, written for the quoting context it stands in:
//!
//! | where                               | `<<x>>` becomes         |
//! |-------------------------------------|-------------------------|
//! | an unquoted word, `$( … )`, `` ` `` | `"${LABNOTE_V_1}"`      |
//! | inside `"…"`                        | `${LABNOTE_V_1}`        |
//! | inside `'…'`                        | `'"${LABNOTE_V_1}"'`    |
//! | inside `$'…'`                       | `'"${LABNOTE_V_1}"$'`   |
//! | a heredoc body (`<<EOF`)            | `${LABNOTE_V_1}`        |
//! | a quoted heredoc body (`<<'EOF'`)   | `${LABNOTE_V_1}`, and the heredoc is rewritten unquoted with `\`, `$` and `` ` `` of its body escaped |
//!
//! Why this is safe: the value is never part of the script text the shell parses, only
//! the variable's name is. The shell substitutes a parameter's value after parsing and
//! never parses the result again (no command substitution, no quote removal inside it), so
//! `octo$(touch /tmp/P3)cat` or `Pa$$w0rd` arrive as the characters they are, whatever the
//! context. The context only decides whether the value is one word: a context this lexer
//! misjudges can at worst split or glob it, never run it. What a block itself hands to a
//! second shell (`sh -c '… <<x>> …'`, `ssh host "… <<x>>"`) is that shell's code by the
//! block's own design; labnote cannot quote for it.

use std::ops::Range;

use crate::placeholder::{self, ScannedPlaceholder};

/// The script, bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The script text with every placeholder a variable reference (no value in it).
    pub script: String,
    /// Names in order of first appearance: name `i` is variable [`var_name`]`(i)`.
    pub names: Vec<String>,
    /// Each placeholder of the original script: its span there and its name's index.
    pub uses: Vec<(Range<usize>, usize)>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BindError {
    #[error("line {line}: <<{name}>> stands in a quoted heredoc whose delimiter «{delimiter}» labnote cannot rewrite; quote the delimiter as a plain word (<<'EOF') or note the value by hand")]
    Heredoc {
        line: usize,
        name: String,
        delimiter: String,
    },
}

/// The variable that holds the value of name `i` of [`Bound::names`].
pub fn var_name(i: usize) -> String {
    format!("LABNOTE_V_{}", i + 1)
}

/// The distinct placeholder names a script uses, in order of first appearance (what
/// [`bind`] binds).
pub fn names(script: &str) -> Vec<String> {
    distinct(&placeholder::scan_code(script))
}

/// Distinct names in order of first appearance, and each placeholder's index among them
/// (a map, so a script of thousands of placeholders stays linear).
fn index_names(found: &[ScannedPlaceholder]) -> (Vec<String>, Vec<usize>) {
    let mut names: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let of = found
        .iter()
        .map(|f| {
            *index.entry(f.name.as_str()).or_insert_with(|| {
                names.push(f.name.clone());
                names.len() - 1
            })
        })
        .collect();
    (names, of)
}

fn distinct(found: &[ScannedPlaceholder]) -> Vec<String> {
    index_names(found).0
}

/// The placeholders of `found` (sorted) that start inside `r`.
fn within<'a>(found: &'a [ScannedPlaceholder], r: &Range<usize>) -> &'a [ScannedPlaceholder] {
    let a = found.partition_point(|f| f.span.start < r.start);
    let b = found.partition_point(|f| f.span.start < r.end);
    &found[a..b]
}

/// Bind the placeholders of `script` (scanned by the one scanner) to variables.
pub fn bind(script: &str) -> Result<Bound, BindError> {
    let found = placeholder::scan_code(script);
    let (names, of) = index_names(&found);
    let lex = lex(script, &found);
    let uses: Vec<(Range<usize>, usize)> = found
        .iter()
        .zip(&of)
        .map(|(f, &i)| (f.span.clone(), i))
        .collect();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for ((f, ctx), &i) in found.iter().zip(&lex.contexts).zip(&of) {
        let v = format!("${{{}}}", var_name(i));
        let text = match ctx {
            Context::Plain => format!("\"{v}\""),
            Context::Double | Context::Comment | Context::Heredoc { .. } => v,
            Context::Single => format!("'\"{v}\"'"),
            Context::Ansi => format!("'\"{v}\"$'"),
        };
        edits.push((f.span.clone(), text));
    }
    for h in lex.heredocs.iter().filter(|h| h.quoted) {
        unquote_heredoc(script, h, within(&found, &h.body), &mut edits)?;
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(script.len() + 16 * edits.len());
    let mut pos = 0;
    for (r, t) in edits {
        out.push_str(&script[pos..r.start]);
        out.push_str(&t);
        pos = r.end;
    }
    out.push_str(&script[pos..]);
    Ok(Bound {
        script: out,
        names,
        uses,
    })
}

/// A quoted heredoc whose body holds placeholders (`inside`) runs unquoted, its body
/// escaped so that only our references expand: the edits that do it.
fn unquote_heredoc(
    script: &str,
    h: &Heredoc,
    inside: &[ScannedPlaceholder],
    edits: &mut Vec<(Range<usize>, String)>,
) -> Result<(), BindError> {
    let Some(first) = inside.first() else {
        return Ok(());
    };
    if !h
        .word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        return Err(BindError::Heredoc {
            line: script[..first.span.start].matches('\n').count() + 1,
            name: first.name.clone(),
            delimiter: h.word.clone(),
        });
    }
    edits.push((h.word_span.clone(), h.word.clone()));
    let mut next = inside.iter().peekable();
    let mut skip_to = h.body.start;
    for (k, c) in script[h.body.clone()].char_indices() {
        let pos = h.body.start + k;
        if pos < skip_to {
            continue;
        }
        if let Some(f) = next.next_if(|f| f.span.start == pos) {
            skip_to = f.span.end;
            continue;
        }
        if matches!(c, '\\' | '$' | '`') {
            edits.push((pos..pos + 1, format!("\\{c}")));
        }
    }
    Ok(())
}

/// The quoting context a placeholder stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Plain,
    Double,
    Single,
    Ansi,
    Comment,
    Heredoc { quoted: bool },
}

/// What the lexer keeps open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `$( … )` or `( … )`: unquoted inside.
    Paren,
    Double,
    Single,
    Ansi,
    Backtick,
    /// `${ … }`.
    Param,
}

struct Heredoc {
    word: String,
    word_span: Range<usize>,
    quoted: bool,
    strip_tabs: bool,
    body: Range<usize>,
}

struct Lexed {
    /// One per placeholder, in order.
    contexts: Vec<Context>,
    heredocs: Vec<Heredoc>,
}

/// Walk `script` as a POSIX shell reads it (quotes, `$( )`, `${ }`, backquotes, comments,
/// heredocs), noting the context of each placeholder. Placeholders are opaque words.
fn lex(script: &str, found: &[ScannedPlaceholder]) -> Lexed {
    let b = script.as_bytes();
    let mut lx = Lexer {
        s: script,
        stack: Vec::new(),
        comment: false,
        pending: Vec::new(),
    };
    let mut contexts = Vec::with_capacity(found.len());
    let mut heredocs: Vec<Heredoc> = Vec::new();
    let mut next = found.iter().peekable();
    let mut i = 0;
    while i < b.len() {
        // `<= i`: a step may jump past a placeholder's start (`\<<x>>`); it still gets one.
        if let Some(f) = next.next_if(|f| f.span.start <= i) {
            contexts.push(context_of(&lx.stack, lx.comment, &[], f.span.start));
            i = i.max(f.span.end);
            continue;
        }
        if b[i] == b'\n' && !lx.quoted() {
            lx.comment = false;
            i += 1;
            // Heredoc bodies start on the next line, one after another.
            let read_from = heredocs.len();
            for mut h in lx.pending.drain(..) {
                let start = i;
                let (body_end, after) = heredoc_body(script, i, &h.word, h.strip_tabs);
                h.body = start..body_end;
                i = after;
                heredocs.push(h);
            }
            // Placeholders inside the bodies just read.
            while let Some(f) = next.next_if(|f| f.span.start < i) {
                let in_bodies = &heredocs[read_from..];
                contexts.push(context_of(&lx.stack, false, in_bodies, f.span.start));
            }
            continue;
        }
        if lx.comment {
            i += 1;
            continue;
        }
        i = lx.step(i);
    }
    contexts.extend(next.map(|_| Context::Plain));
    // A heredoc left open at the end runs to the end.
    for mut h in lx.pending {
        h.body = b.len()..b.len();
        heredocs.push(h);
    }
    Lexed { contexts, heredocs }
}

/// The lexer's state between steps: what is open, whether a comment runs to the end of the
/// line, and the heredocs whose bodies start on the next line.
struct Lexer<'a> {
    s: &'a str,
    stack: Vec<Frame>,
    comment: bool,
    pending: Vec<Heredoc>,
}

impl Lexer<'_> {
    /// Inside quotes, where a newline is part of the word.
    fn quoted(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Double | Frame::Single | Frame::Ansi)
        )
    }

    /// One step at `i` outside comments and newlines; returns the next position.
    fn step(&mut self, i: usize) -> usize {
        let b = self.s.as_bytes();
        let c = b[i];
        let stack = &mut self.stack;
        match stack.last().copied() {
            Some(Frame::Single) => {
                if c == b'\'' {
                    stack.pop();
                }
                i + 1
            }
            Some(Frame::Ansi) => match c {
                b'\\' => i + 2,
                b'\'' => {
                    stack.pop();
                    i + 1
                }
                _ => i + 1,
            },
            Some(Frame::Double) => match c {
                b'\\' => i + 2,
                b'"' => {
                    stack.pop();
                    i + 1
                }
                b'$' | b'`' => open_expansion(b, i, stack),
                _ => i + 1,
            },
            top => {
                let closes = match top {
                    Some(Frame::Paren) => c == b')',
                    Some(Frame::Param) => c == b'}',
                    Some(Frame::Backtick) => c == b'`',
                    _ => false,
                };
                if closes {
                    stack.pop();
                    return i + 1;
                }
                self.unquoted_step(i)
            }
        }
    }

    /// [`Lexer::step`] where words are unquoted: quotes, expansions, subshells, comments,
    /// heredocs open.
    fn unquoted_step(&mut self, i: usize) -> usize {
        let b = self.s.as_bytes();
        let at = |k: usize| b.get(i + k).copied();
        let mut open = |f| {
            self.stack.push(f);
            i + 1
        };
        match b[i] {
            b'\\' => i + 2,
            b'\'' => open(Frame::Single),
            b'"' => open(Frame::Double),
            b'(' => open(Frame::Paren),
            b'$' | b'`' => open_expansion(b, i, &mut self.stack),
            b'#' if i == 0 || b" \t;&|()\n".contains(&b[i - 1]) => {
                self.comment = true;
                i + 1
            }
            b'<' if at(1) == Some(b'<') && at(2) == Some(b'<') => i + 3,
            b'<' if at(1) == Some(b'<') => match placeholder::delimiter(self.s, i) {
                Some(d) => {
                    self.pending.push(Heredoc {
                        word: d.word,
                        word_span: d.span.clone(),
                        quoted: d.quoted,
                        strip_tabs: d.strip_tabs,
                        body: 0..0,
                    });
                    d.span.end
                }
                None => i + 2,
            },
            _ => i + 1,
        }
    }
}

/// At `$` or `` ` ``: open what it starts.
fn open_expansion(b: &[u8], i: usize, stack: &mut Vec<Frame>) -> usize {
    match (b[i], b.get(i + 1)) {
        (b'`', _) => {
            stack.push(Frame::Backtick);
            i + 1
        }
        (_, Some(b'(')) => {
            stack.push(Frame::Paren);
            i + 2
        }
        (_, Some(b'{')) => {
            stack.push(Frame::Param);
            i + 2
        }
        (_, Some(b'\'')) if stack.last() != Some(&Frame::Double) => {
            stack.push(Frame::Ansi);
            i + 2
        }
        _ => i + 1,
    }
}

fn context_of(stack: &[Frame], comment: bool, heredocs: &[Heredoc], pos: usize) -> Context {
    if let Some(h) = heredocs.iter().find(|h| h.body.contains(&pos)) {
        return Context::Heredoc { quoted: h.quoted };
    }
    if comment {
        return Context::Comment;
    }
    match stack.last() {
        Some(Frame::Double) => Context::Double,
        Some(Frame::Single) => Context::Single,
        Some(Frame::Ansi) => Context::Ansi,
        // `"${X:-<<x>>}"` is inside the double quotes around it.
        Some(Frame::Param) if stack.iter().rev().nth(1) == Some(&Frame::Double) => Context::Double,
        _ => Context::Plain,
    }
}

/// From `start` (the first body line), the end of the body (the start of the delimiter
/// line) and the position after the delimiter line.
fn heredoc_body(s: &str, start: usize, word: &str, strip_tabs: bool) -> (usize, usize) {
    let mut pos = start;
    while pos < s.len() {
        let end = s[pos..].find('\n').map_or(s.len(), |k| pos + k);
        let line = s[pos..end].trim_end_matches('\r');
        let line = if strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        let after = (end + 1).min(s.len());
        if line == word {
            return (pos, after);
        }
        pos = after;
    }
    (s.len(), s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(s: &str) -> String {
        bind(s).unwrap().script
    }

    #[test]
    fn each_context_gets_its_reference() {
        assert_eq!(bound("echo <<x>>\n"), "echo \"${LABNOTE_V_1}\"\n");
        assert_eq!(
            bound("echo \"a <<x>> b\"\n"),
            "echo \"a ${LABNOTE_V_1} b\"\n"
        );
        assert_eq!(
            bound("echo 'a <<x>> b'\n"),
            "echo 'a '\"${LABNOTE_V_1}\"' b'\n"
        );
        assert_eq!(
            bound("echo $'a<<x>>'\n"),
            "echo $'a'\"${LABNOTE_V_1}\"$''\n"
        );
        assert_eq!(
            bound("echo \"$(echo '<<x>>')\" <<y>> <<x>>\n"),
            "echo \"$(echo ''\"${LABNOTE_V_1}\"'')\" \"${LABNOTE_V_2}\" \"${LABNOTE_V_1}\"\n"
        );
        assert_eq!(
            bound("X=<<x>> # <<y>>\n"),
            "X=\"${LABNOTE_V_1}\" # ${LABNOTE_V_2}\n"
        );
        assert_eq!(
            bound("echo \"${A:-<<x>>}\"\n"),
            "echo \"${A:-${LABNOTE_V_1}}\"\n"
        );
        assert_eq!(bind("echo <<b>> <<a>> <<b>>").unwrap().names, ["b", "a"]);
    }

    #[test]
    fn heredocs() {
        let s = "cat <<EOF >> b.txt\nuser: <<x>> 'q'\nEOF\necho <<x>>\n";
        assert_eq!(
            bound(s),
            "cat <<EOF >> b.txt\nuser: ${LABNOTE_V_1} 'q'\nEOF\necho \"${LABNOTE_V_1}\"\n"
        );
        // A quoted heredoc with a placeholder is rewritten unquoted, its body escaped.
        let s = "cat <<'EOF' > f\n$HOME `x` \\ <<x>>\nEOF\n";
        assert_eq!(
            bound(s),
            "cat <<EOF > f\n\\$HOME \\`x\\` \\\\ ${LABNOTE_V_1}\nEOF\n"
        );
        // Without a placeholder it stays as written.
        let s = "cat <<'EOF' > f\n$HOME\nEOF\n";
        assert_eq!(bound(s), s);
        let s = "cat <<-\"END\"\n\t<<x>>\n\tEND\n";
        assert_eq!(bound(s), "cat <<-END\n\t${LABNOTE_V_1}\n\tEND\n");
        assert!(matches!(
            bind("cat <<'A B'\n<<x>>\nA B\n"),
            Err(BindError::Heredoc { line: 2, .. })
        ));
        // The block: one placeholder, the heredoc operator is not one.
        let s = "echo ssh <<생성된 IP>> >> a.txt\ncat <<EOF >> b.txt\nplain\nEOF\n";
        let b = bind(s).unwrap();
        assert_eq!(b.names, ["생성된 IP"]);
        assert!(b
            .script
            .starts_with("echo ssh \"${LABNOTE_V_1}\" >> a.txt\ncat <<EOF"));
    }
}
