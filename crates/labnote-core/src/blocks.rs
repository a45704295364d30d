//! What each fenced block of a step is: a command to run, example output, something that is
//! not shell at all, or an alternative shown for reference.
//!
//! Pure: the lab's text and its parsed blocks in, one [`Classified`] per block out.
//!
//! The course shows results in blocks tagged `bash` too, so the language alone does not say
//! whether a block is to be run. The rules, in order:
//! 1. **not shell**: a language that is not a shell (`yaml`, `json`, `python`, …), or a bare
//!    block that does not start with a command — the runner's own rule
//!    ([`is_runnable`]), so both agree.
//! 2. **example**: the first non-empty line is a prompt that names a user, host or folder
//!    (`user@host:~/path$ cmd`, `name:~/path $ cmd`, `[user@host path]$ cmd`, `root@host:/# cmd`)
//!    or a Windows one (`PS C:\Users\me> cmd`, `PS> cmd`, `C:\work>dir`): a transcript copied
//!    from someone's terminal, output included. A bare `$ cmd` prompt is an example only when
//!    output follows it (a line that is no prompt, no continuation of a command and no
//!    heredoc body): a block of `$ cmd` lines alone is commands written with their prompt.
//! 3. **example**: the first non-empty line is the header of a command's table output
//!    (`NAME   READY   STATUS`): capitals only, in columns.
//! 4. **example**: the block follows a *label line* that announces a result or an example
//!    (`- 결과 예시`, `(수행코드/결과 예시)`, `출력 예시:`, `결과 확인`, `Example output`). A label
//!    is short and is not a sentence: "명령을 실행하고 결과를 확인한다" (run it and check the
//!    result) ends with a verb and introduces a command, not output. A sentence announces
//!    output when it says that something *appears like this* ("정상이라면 다음과 같이
//!    보입니다", "아래와 같이 출력되면 정상입니다") and asks for nothing after it ("다음과 같이
//!    보이도록 설정합니다" introduces a command).
//! 5. **alternative**: the block follows a line marked `참고` (for reference) — `[참고]`,
//!    `(참고)`, `※ 참고`, `참고:` — or sits in a `<details>` whose summary says `참고`.
//! 6. **run**: everything else the runner accepts.

use crate::lab::{CodeBlock, Step};

/// Languages that are shell commands.
const SHELL_LANGS: &[&str] = &["bash", "sh", "shell", "zsh", "console", "shell-session"];

/// First words that mark a bare block as commands.
const COMMANDS: &[&str] = &[
    "aws",
    "kubectl",
    "git",
    "cat",
    "echo",
    "cd",
    "ls",
    "mkdir",
    "export",
    "sudo",
    "curl",
    "wget",
    "helm",
    "terraform",
    "ssh",
    "scp",
    "chmod",
    "chown",
    "cp",
    "mv",
    "rm",
    "docker",
    "npm",
    "pip",
    "pip3",
    "python",
    "python3",
    "apt",
    "apt-get",
    "yum",
    "dnf",
    "systemctl",
    "sed",
    "grep",
    "touch",
    "source",
    "eksctl",
    "tar",
    "unzip",
    "printf",
    "env",
    "set",
    "unset",
    "watch",
    "argocd",
    "k9s",
    "jq",
    "make",
    "go",
    "cargo",
    "node",
    "npx",
    "yarn",
    "brew",
    "code",
    "vi",
    "vim",
    "nano",
    "tee",
    "ln",
    "find",
    "head",
    "tail",
    "alias",
    "openssl",
    "base64",
    "age",
    "labnote",
    "sleep",
    "kubectx",
    "kubens",
    "minikube",
    "kind",
    "gcloud",
    "az",
];

/// Whether a block is run by `labnote run`.
pub fn is_runnable(b: &CodeBlock) -> bool {
    match b.lang.as_deref() {
        Some(l) => SHELL_LANGS.contains(&l.to_ascii_lowercase().as_str()),
        None => {
            let first = b
                .text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'));
            match first {
                Some(l) => {
                    let prompt = l.starts_with("$ ");
                    let l = l.strip_prefix("$ ").unwrap_or(l);
                    // Skip `NAME=value` prefixes: `AWS_REGION=x aws s3 ls`.
                    let w = l
                        .split_whitespace()
                        .find(|w| !is_assignment(w))
                        .unwrap_or("");
                    prompt || COMMANDS.contains(&w)
                }
                None => false,
            }
        }
    }
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Commands: `run` runs it.
    Run,
    /// Output or a transcript: shown, never run.
    Example,
    /// Not shell (a file's content, another language): never run.
    NotShell,
    /// Another way to do it, for reference: run only when the student says so.
    Alternative,
}

impl Class {
    /// Whether `run` may run it (an alternative after asking).
    pub fn may_run(self) -> bool {
        matches!(self, Class::Run | Class::Alternative)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Run => "run",
            Class::Example => "example",
            Class::NotShell => "not-shell",
            Class::Alternative => "alternative",
        }
    }
}

/// One block with its class and the reason, in words for the student.
#[derive(Debug, Clone)]
pub struct Classified {
    /// The id of the step the block is in.
    pub step: String,
    pub block: CodeBlock,
    pub class: Class,
    pub reason: String,
}

/// Classify the blocks of `steps` (one step and the steps under it, in document order).
/// `text` is the lab file's text the spans point into.
pub fn classify_steps(text: &str, steps: &[&Step]) -> Vec<Classified> {
    blocks_of(text, steps)
        .into_iter()
        .map(|at| {
            let (class, reason) = classify(at.block, at.before, at.details);
            Classified {
                step: at.step.id.clone(),
                block: at.block.clone(),
                class,
                reason,
            }
        })
        .collect()
}

/// A block of a step with what its class depends on besides itself.
pub struct BlockAt<'a> {
    pub step: &'a Step,
    pub block: &'a CodeBlock,
    /// The prose between the previous block (or the heading) and this one.
    pub before: &'a str,
    /// The summary of a `참고` `<details>` holding the block.
    pub details: Option<&'a str>,
}

/// The blocks of `steps` in document order, each with the prose before it and its
/// `<details>`, as [`classify_steps`] classifies them.
pub fn blocks_of<'a>(text: &'a str, steps: &[&'a Step]) -> Vec<BlockAt<'a>> {
    let mut out = Vec::new();
    for &s in steps {
        let mut prose_start = s.body_span.start;
        for b in &s.code_blocks {
            let before = text.get(prose_start..b.span.start).unwrap_or("");
            out.push(BlockAt {
                step: s,
                block: b,
                before,
                details: in_reference_details(s, b),
            });
            prose_start = b.span.end.max(prose_start);
        }
    }
    out
}

/// Class and reason of one block; `before` is the prose between the previous block (or the
/// heading) and this one; `details` the summary of a `참고` `<details>` holding the block.
pub fn classify(b: &CodeBlock, before: &str, details: Option<&str>) -> (Class, String) {
    let (class, why) = decide(b, before, details);
    (class, why.text())
}

/// The class [`classify`] gives a block, without putting its reason in words.
pub fn class_of(b: &CodeBlock, before: &str, details: Option<&str>) -> Class {
    decide(b, before, details).0
}

/// Why a block has its class: what [`Why::text`] puts in words.
enum Why<'a> {
    BareNotCommand,
    NotShell(&'a str),
    Shown {
        why: Transcript<'a>,
        after: Option<&'a str>,
    },
    ExampleOutput(&'a str),
    ShowsWhatAppears(&'a str),
    ReferenceLine(&'a str),
    ReferenceDetails(&'a str),
    BareRun,
    Run(&'a str),
}

/// Why a block whose first line is given is a transcript or output (rules 2 and 3).
enum Transcript<'a> {
    Prompt(&'a str, usize),
    DollarPrompt(usize),
    TableHeader(&'a str),
}

impl Why<'_> {
    fn text(&self) -> String {
        match *self {
            Why::BareNotCommand => crate::t!("blocks-why-bare-not-command"),
            Why::NotShell(lang) => crate::t!("blocks-why-not-shell", lang = lang),
            Why::Shown { ref why, after } => {
                let after = after.map_or(String::new(), |l| {
                    crate::t!("blocks-why-after-line", line = l)
                });
                let why = match *why {
                    Transcript::Prompt(p, n) => crate::t!("blocks-why-prompt", prompt = p, n = n),
                    Transcript::DollarPrompt(n) => crate::t!("blocks-why-dollar-prompt", n = n),
                    Transcript::TableHeader(l) => crate::t!("blocks-why-table-header", line = l),
                };
                crate::t!("blocks-why-shown", why = why, after = after)
            }
            Why::ExampleOutput(l) => crate::t!("blocks-why-example-output", line = l),
            Why::ShowsWhatAppears(l) => crate::t!("blocks-why-shows-what-appears", line = l),
            Why::ReferenceLine(l) => crate::t!("blocks-why-reference-line", line = l),
            Why::ReferenceDetails(s) => crate::t!("blocks-why-reference-details", summary = s),
            Why::BareRun => crate::t!("blocks-why-bare-run"),
            Why::Run(lang) => crate::t!("blocks-why-run", lang = lang),
        }
    }
}

fn decide<'a>(b: &'a CodeBlock, before: &'a str, details: Option<&'a str>) -> (Class, Why<'a>) {
    let lang = b.lang.as_deref().unwrap_or("");
    if !is_runnable(b) {
        let why = if lang.is_empty() {
            Why::BareNotCommand
        } else {
            Why::NotShell(lang)
        };
        return (Class::NotShell, why);
    }
    let lead = lead_line(before);
    let label = lead.filter(|l| is_result_label(l));
    if let Some(why) = first_line(&b.text).and_then(|f| transcript(&b.text, f)) {
        return (Class::Example, Why::Shown { why, after: label });
    }
    if let Some(l) = label {
        return (Class::Example, Why::ExampleOutput(l));
    }
    if let Some(l) = lead.filter(|l| announces_output(l)) {
        return (Class::Example, Why::ShowsWhatAppears(l));
    }
    if let Some(l) = lead.filter(|l| marks_reference(l)) {
        return (Class::Alternative, Why::ReferenceLine(l));
    }
    if let Some(s) = details {
        return (Class::Alternative, Why::ReferenceDetails(s));
    }
    let why = if lang.is_empty() {
        Why::BareRun
    } else {
        Why::Run(lang)
    };
    (Class::Run, why)
}

/// In a block the rules above call commands ([`Class::Run`]), the first later line that reads
/// as copied from a terminal: a prompt that names a user, host or folder, or a Windows one
/// (`ubuntu@ip-10-1-10-79:~$ kubectl get pods`), or the header of a command's table output
/// (`NAME   READY   STATUS`), with output after it. Such a block is example output `run`
/// would run (`labnote lint`'s LN004). Returns the line's byte offset in `text`.
pub fn transcript_inside(text: &str) -> Option<usize> {
    let mut offset = 0;
    let mut seen_first = false;
    for raw in text.split_inclusive('\n') {
        let at = offset;
        offset += raw.len();
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if !seen_first {
            seen_first = true;
            continue;
        }
        // A prompt that names a user, host or folder holds a `$` or `#`; a Windows one starts
        // with `PS` or a drive (`C:`); a column header starts with a capital letter: most
        // lines of a block are none of these, told without reading them further.
        let b = t.as_bytes();
        let windows = b.starts_with(b"PS") || b.get(1) == Some(&b':');
        if !windows && !b[0].is_ascii_uppercase() && memchr::memchr2(b'$', b'#', b).is_none() {
            continue;
        }
        let prompt = identity_prompt(t).or_else(|| windows_prompt(t)).is_some();
        if (prompt || is_column_header(t)) && output_lines(&text[at..]) > 0 {
            return Some(at);
        }
    }
    None
}

fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| !l.is_empty())
}

/// Why a block whose first line is `first` is a transcript or output; `None` for
/// commands. See rules 2 and 3 of the module.
fn transcript<'a>(text: &str, first: &'a str) -> Option<Transcript<'a>> {
    if let Some(p) = identity_prompt(first).or_else(|| windows_prompt(first)) {
        return Some(Transcript::Prompt(p, output_lines(text)));
    }
    if dollar_prompt(first).is_some() {
        let n = output_lines(text);
        return (n > 0).then_some(Transcript::DollarPrompt(n));
    }
    is_column_header(first).then_some(Transcript::TableHeader(first))
}

/// Any prompt a transcript line may start with.
fn any_prompt(line: &str) -> Option<&str> {
    identity_prompt(line)
        .or_else(|| windows_prompt(line))
        .or_else(|| dollar_prompt(line))
}

/// A bare `$ ` prompt (or a line that is only `$`).
fn dollar_prompt(line: &str) -> Option<&str> {
    let t = line.trim_start();
    (t == "$" || t.starts_with("$ ")).then(|| &t[..1])
}

/// A PowerShell prompt (`PS> `, `PS C:\Users\me> `) or a cmd.exe one (`C:\work>`): the
/// prompt, `>` included.
fn windows_prompt(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let path_start = match t.strip_prefix("PS") {
        Some(r) if r.starts_with('>') => return Some(&t[..3]),
        Some(r) if r.starts_with(' ') => 3,
        Some(_) => return None,
        None => 0,
    };
    let rest = &t[path_start..];
    let end = path_start + rest.find('>')?;
    let path = &t[path_start..end];
    let mut c = path.chars();
    let drive = matches!((c.next(), c.next(), c.next()), (Some(d), Some(':'), Some('\\') | None) if d.is_ascii_alphabetic());
    let unix = path_start > 0 && (path.starts_with('/') || path.starts_with('~'));
    let after_ok = t[end + 1..]
        .chars()
        .next()
        .is_none_or(|n| n == ' ' || path_start == 0);
    ((drive || unix) && after_ok && !path.contains(['"', '\'', '`', '|'])).then(|| &t[..end + 1])
}

/// Lines of a transcript that are output: not blank, not a prompt line, not the continuation
/// of a command (after a trailing `\`), not a heredoc's body (input of a command), not a
/// comment.
fn output_lines(text: &str) -> usize {
    let mut n = 0;
    let mut continued = false;
    let mut heredoc: Option<(String, bool)> = None;
    for raw in text.lines() {
        let line = raw.trim_end_matches('\r');
        if let Some((word, tabs)) = &heredoc {
            let l = if *tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if l == word {
                heredoc = None;
            }
            continue;
        }
        let t = line.trim();
        let command = if continued {
            Some(t)
        } else {
            any_prompt(t).map(|p| t[p.len()..].trim_start())
        };
        continued = command.is_some() && t.ends_with('\\');
        match command {
            Some(cmd) => heredoc = heredoc_word(cmd),
            None if t.is_empty() || t.starts_with('#') => {}
            None => n += 1,
        }
    }
    n
}

/// The delimiter of a heredoc a command line opens (`<<EOF`, `<< 'EOF'`, `<<-EOF`), and
/// whether tabs are stripped from its body; `<<<` is a here-string.
fn heredoc_word(cmd: &str) -> Option<(String, bool)> {
    let i = cmd.find("<<")?;
    let rest = &cmd[i + 2..];
    if rest.starts_with('<') {
        return None;
    }
    let tabs = rest.starts_with('-');
    let rest = rest.trim_start_matches('-').trim_start();
    let word: String = rest
        .trim_start_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some((word, tabs))
}

/// The header line of a table a command printed (`NAME   READY   STATUS   AGE`): two or more
/// words in capitals (`CLUSTER-IP`, `PORT(S)`), set in columns (a tab or two spaces between
/// some of them). No command line looks so.
fn is_column_header(line: &str) -> bool {
    let capital = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_uppercase())
            && w.chars().all(|c| {
                c.is_ascii_uppercase()
                    || c.is_ascii_digit()
                    || matches!(c, '_' | '-' | '(' | ')' | '/' | '%' | '.')
            })
    };
    // Word by word: most lines fail at their first.
    let mut n = 0;
    for w in line.split_whitespace() {
        if !capital(w) {
            return false;
        }
        n += 1;
    }
    n >= 2 && (line.contains('\t') || line.trim().contains("  "))
}

/// The prompt of a line copied from a terminal, when it names a user, host or folder:
/// `user@host:path$ `, `name:~/path $ `, `[user@host path]$ `, `host:/# `. Returns the prompt.
fn identity_prompt(line: &str) -> Option<&str> {
    let line = line.trim_start();
    // The prompt ends at the first `$ ` or `# ` (or a line that is only the prompt).
    let b = line.as_bytes();
    let end = memchr::memchr2_iter(b'$', b'#', b)
        .find(|&i| matches!(b.get(i + 1), None | Some(b' ' | b'\t')))?;
    let head = line[..end].trim_end();
    if head.is_empty() || head.contains(char::is_whitespace) && !head.starts_with('[') {
        // `name:~/path $` has its space before the `$`, trimmed above; any other space
        // means a sentence or a command (`echo a # note`), not a prompt.
        return None;
    }
    let head_inner = head.trim_start_matches('[').trim_end_matches(']');
    let user_host = head_inner.split_once('@').is_some_and(|(u, h)| {
        !u.is_empty() && u.chars().all(name_char) && h.starts_with(|c: char| c.is_alphanumeric())
    });
    let folder = head_inner.split_once(':').is_some_and(|(n, p)| {
        !n.is_empty() && n.chars().all(name_char) && (p.starts_with('~') || p.starts_with('/'))
    });
    let bracketed = head.starts_with('[') && head.ends_with(']') && user_host;
    if (user_host || folder || bracketed)
        && head_inner
            .chars()
            .all(|c| !c.is_control() && c != '\'' && c != '"' && c != '`')
    {
        Some(&line[..end + 1])
    } else {
        None
    }
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// The last line of prose before a block that says something: blank lines, `<br>`, images,
/// HTML tags and rules are skipped.
fn lead_line(before: &str) -> Option<&str> {
    before.lines().rev().map(str::trim).find(|l| {
        let t = l.trim_start_matches('>').trim();
        !t.is_empty()
            && !t.starts_with("![")
            && !t.starts_with('<')
            && !t.chars().all(|c| matches!(c, '-' | '*' | '_' | ' '))
    })
}

/// The words of a line without list markers, emphasis, brackets, emoji and punctuation.
fn words(line: &str) -> Vec<String> {
    word_slices(line).map(str::to_lowercase).collect()
}

/// The words of [`words`], as written.
fn word_slices(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_alphanumeric() || c == '/' || c == '-'))
        .map(|w| w.trim_matches(|c| c == '/' || c == '-'))
        .filter(|w| !w.is_empty())
}

/// A short label (not a sentence) that announces output or an example.
fn is_result_label(line: &str) -> bool {
    // A sentence, or a line of no word or more than four, is no label: told before the
    // words are made (most lead lines are sentences).
    if is_sentence(line) || !(1..=4).contains(&word_slices(line).take(5).count()) {
        return false;
    }
    let joined = words(line).join(" ");
    let has = |s: &str| joined.contains(s);
    has("예시")
        || has("결과")
        || has("출력")
        || has("example")
        || has("output")
        || has("result")
        || has("sample")
}

/// A line that ends like a Korean or English sentence (a verb ending or a full stop).
fn is_sentence(line: &str) -> bool {
    let t = line
        .trim()
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
    t.ends_with('.')
        || ["다", "요", "음", "함", "임", "라", "까", "시오"]
            .iter()
            .any(|e| t.ends_with(e))
}

/// Manner words: "like this" (`다음과 같이 출력됩니다`).
const LIKE_THIS: &[&str] = &[
    "다음과 같이",
    "아래와 같이",
    "이와 같이",
    "이렇게",
    "다음처럼",
    "아래처럼",
    "다음과 같은",
    "아래와 같은",
];

/// Stems of verbs that say something appears (is printed, shown, seen).
const APPEARS: &[&str] = &[
    "출력", "보이", "보입", "보인", "보여", "나오", "나옵", "나온", "나와", "나타", "표시", "뜹",
    "뜬",
];

/// Stems of verbs that ask the student to do something.
const DOES: &[&str] = &[
    "입력", "실행", "작성", "설정", "수정", "추가", "붙여", "복사", "변경", "만들", "만듭", "생성",
    "적용", "편집", "저장", "설치", "지정", "바꾸", "바꿉",
];

/// A sentence saying that what follows is what appears ("정상이라면 다음과 같이 보입니다"):
/// after its "like this", a verb of appearing and no verb of doing.
fn announces_output(line: &str) -> bool {
    let Some(after) = LIKE_THIS
        .iter()
        .filter_map(|m| {
            memchr::memmem::find(line.as_bytes(), m.as_bytes()).map(|i| &line[i + m.len()..])
        })
        .min_by_key(|a| a.len())
    else {
        return false;
    };
    let ws: Vec<&str> = after.split_whitespace().collect();
    let has = |stems: &[&str]| {
        ws.iter().any(|w| {
            stems
                .iter()
                .any(|s| w.trim_start_matches(['(', '`', '*']).starts_with(s))
        })
    };
    has(APPEARS) && !has(DOES)
}

/// A line marked `참고` (for reference) — as a marker, not in passing.
fn marks_reference(line: &str) -> bool {
    let t = line
        .trim_start_matches(['-', '*', '>', ' ', '※', '▶', '👉'])
        .trim_start_matches(['*', '_']);
    let lower = t.to_lowercase();
    [
        "[참고",
        "(참고",
        "참고:",
        "참고 :",
        "참고)",
        "참고]",
        "참고 -",
        "[optional",
        "(optional",
        "[note",
    ]
    .iter()
    .any(|m| lower.contains(m))
        || t.starts_with("참고")
}

/// The summary of a `<details>` marked 참고 that holds the block.
fn in_reference_details<'s>(s: &'s Step, b: &CodeBlock) -> Option<&'s str> {
    s.details
        .iter()
        .find(|d| {
            d.span.start <= b.span.start && b.span.end <= d.span.end && d.summary.contains("참고")
        })
        .map(|d| d.summary.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_sorts;

    fn block(lang: Option<&str>, text: &str) -> CodeBlock {
        CodeBlock::fenced(lang, text)
    }

    fn class(lang: Option<&str>, text: &str, before: &str) -> Class {
        classify(&block(lang, text), before, None).0
    }

    #[test]
    fn a_transcript_inside_a_command_block() {
        let inside = "kubectl get nodes\nubuntu@ip-10-0-1-10:~$ kubectl get nodes\nNAME   STATUS\nnode-1   Ready\n";
        assert_eq!(
            transcript_inside(inside),
            Some(inside.find("ubuntu").unwrap())
        );
        let table = "kubectl get pods\nNAME     READY   STATUS\nweb-1    1/1     Running\n";
        assert_eq!(transcript_inside(table), Some(table.find("NAME").unwrap()));
        // Commands only, a prompt line with no output, comments: none.
        for text in [
            "kubectl get nodes\nkubectl get pods\n",
            "cd ~/env\nubuntu@host:~$ ls\n",
            "# 설명\necho a # note\necho b\n",
            "cat <<EOF > app.yaml\nname: <<앱 이름>>\nEOF\n",
        ] {
            assert_eq!(transcript_inside(text), None, "{text}");
        }
        // Windows prompts have no `$` or `#`: found by their `PS` or drive.
        for (text, at) in [
            ("dir\nC:\\work> dir\n a.txt\n", "C:"),
            ("ls\nPS C:\\Users\\me> Get-ChildItem\nMode  Name\n", "PS"),
            ("ls\nPS> ls\nfile\n", "PS>"),
            ("ls\nPS /home/me> ls\nfile\n", "PS /"),
        ] {
            assert_eq!(transcript_inside(text), text.find(at), "{text}");
        }
    }

    #[test]
    fn prompts_that_name_someone() {
        let named = [
            "mspmanager:~/environment/manifests $ kubectl get ns",
            "ubuntu@ip-10-1-10-79:~/k8s-istio$ kubectl apply -f 01_httpbin.yaml",
            "[ec2-user@ip-10-0-0-1 ~]$ ls",
            "root@host:/# id",
            "admin:/srv $ ls",
        ];
        let not = [
            "$ ls",
            "echo a # note",
            "kubectl get ns",
            "export A=b",
            "echo \"x@y:~$ z\"",
            "# comment",
        ];
        assert_sorts(|p| identity_prompt(p).is_some(), &named, &not);
    }

    #[test]
    fn classes() {
        let ex = "mspmanager:~/environment $ kubectl get nodes\nNAME STATUS\nip-1 Ready\n";
        assert_eq!(class(Some("bash"), ex, ""), Class::Example);
        assert_eq!(
            class(Some("bash"), "kubectl get ns\n", "- 결과 예시\n"),
            Class::Example
        );
        assert_eq!(
            class(
                Some("bash"),
                "kubectl get ns\n",
                "- (수행코드/결과 예시)\n\n<br>\n"
            ),
            Class::Example
        );
        assert_eq!(
            class(Some("bash"), "ls\n", "**출력 예시 :**\n"),
            Class::Example
        );
        assert_eq!(class(Some("bash"), "ls\n", "- 결과 확인\n"), Class::Example);
        // A sentence that mentions the result introduces a command.
        assert_eq!(
            class(
                Some("bash"),
                "ls\n",
                "- 아래 명령을 실행하고 결과를 확인한다.\n"
            ),
            Class::Run
        );
        assert_eq!(
            class(
                Some("bash"),
                "ls\n",
                "- 아래 명령을 실행하고 결과를 확인한다\n"
            ),
            Class::Run
        );
        assert_eq!(
            class(
                Some("bash"),
                "ls -al\n",
                "- [참고] 다음 명령으로도 확인할 수 있다.\n"
            ),
            Class::Alternative
        );
        assert_eq!(class(Some("yaml"), "a: 1\n", ""), Class::NotShell);
        assert_eq!(
            class(Some("python"), "print(1)\n", "- 결과 예시"),
            Class::NotShell
        );
        assert_eq!(class(None, "NAME READY\nweb 1/1\n", ""), Class::NotShell);
        assert_eq!(
            class(Some("bash"), "cd ~/x\n", "- 폴더로 이동한다.\n"),
            Class::Run
        );
        // `$ ` lines alone are commands written with their prompt; with output, a transcript.
        assert_eq!(class(Some("console"), "$ ls\n$ pwd\n", ""), Class::Run);
        assert_eq!(class(Some("bash"), "$ ls\nfile\n", ""), Class::Example);
    }

    #[test]
    fn dollar_transcripts_need_output() {
        let run = [
            "$ aws s3 ls \\\n  --region x\n",
            "$ cat <<EOF > a.txt\nhello\nEOF\n$ cat a.txt\n",
            "$ cat <<-'END' > b.txt\n\tline\n\tEND\n",
            "$ ls\n# a comment\n\n$ pwd\n",
        ];
        for t in run {
            assert_eq!(class(Some("bash"), t, ""), Class::Run, "{t:?}");
        }
        let ex = [
            "$ kubectl get ns\nNAME STATUS\ndefault Active\n",
            "$ cat <<EOF\nx\nEOF\nx\n",
            "$\nsomething printed\n",
        ];
        for t in ex {
            assert_eq!(class(Some("bash"), t, ""), Class::Example, "{t:?}");
        }
    }

    #[test]
    fn windows_prompts() {
        let prompts = [
            "PS C:\\Users\\student> ssh -i .\\k.pem ec2-user@1.2.3.4",
            "PS> Get-ChildItem",
            "PS /home/me> ls",
            "C:\\work>dir",
        ];
        let not = [
            "echo a>b",
            "PSQL> x",
            "cat x > C:\\y",
            "PS C:\\x>\"y\"",
            "x:\\y",
        ];
        assert_sorts(|p| windows_prompt(p).is_some(), &prompts, &not);
        for p in prompts {
            let text = format!("{p}\nout\n");
            assert_eq!(class(Some("bash"), &text, ""), Class::Example, "{p}");
        }
    }

    #[test]
    fn column_headers_are_output() {
        for h in [
            "NAME           STATUS   AGE",
            "NAME\tREADY\tSTATUS",
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE",
            "CONTAINER ID   IMAGE     COMMAND",
        ] {
            assert_eq!(
                class(Some("bash"), &format!("{h}\nx 1 2\n"), ""),
                Class::Example,
                "{h}"
            );
        }
        for c in [
            "AWS_REGION=x  aws s3 ls",
            "EOF",
            "NAME=x",
            "ECHO HELLO",
            "export A=b  # x",
        ] {
            assert_eq!(
                class(Some("bash"), &format!("{c}\n"), ""),
                Class::Run,
                "{c}"
            );
        }
    }

    #[test]
    fn sentences_that_show_what_appears() {
        for l in [
            "- 정상이라면 다음과 같이 보입니다.",
            "- 아래와 같이 출력되면 정상입니다.",
            "- 실행하면 다음과 같은 결과가 나옵니다.",
            "설치가 끝나면 이렇게 표시됩니다:",
        ] {
            assert_eq!(
                class(Some("bash"), "client: 1.0\n", l),
                Class::Example,
                "{l}"
            );
        }
        for l in [
            "- 프롬프트가 다음과 같이 보이도록 PS1을 설정합니다.",
            "- 아래와 같이 입력합니다.",
            "- 다음과 같이 실행하면 Pod 목록이 출력됩니다.",
            "- 아래 명령을 실행하면 Pod 목록이 보입니다.",
        ] {
            assert_eq!(
                class(Some("bash"), "kubectl get pods\n", l),
                Class::Run,
                "{l}"
            );
        }
    }

    #[test]
    fn reasons_name_the_evidence() {
        let (_, why) = classify(
            &block(Some("bash"), "ubuntu@ip-1:~/k$ ls\na\nb\n"),
            "",
            None,
        );
        assert!(
            why.contains("`ubuntu@ip-1:~/k$`") && why.contains("2 output lines"),
            "{why}"
        );
        let (_, why) = classify(&block(Some("bash"), "ls\n"), "- 결과 예시\n", None);
        assert!(why.contains("`- 결과 예시`"), "{why}");
    }
}
