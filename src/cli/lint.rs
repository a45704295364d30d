//! `labnote lint`: the printers of [`crate::app::lint`]'s findings — text as rustc and ruff
//! print it (annotate-snippets), JSON (one object per finding), SARIF 2.1.0 and GitHub
//! workflow commands. Which findings there are is the use case's; this file only presents.

use std::io::Write;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde_json::{json, Value};

use super::{CmdResult, Ctx, Failure};
use crate::app::lint::{self, Diagnostic, Linted, Location, Rule, Severity};
use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Report only on these labs (an id, a path or a stem) or folders of labs; the whole
    /// course is still read.
    pub paths: Vec<PathBuf>,
    /// Output format: text (as rustc prints), json (one object per finding), sarif (SARIF
    /// 2.1.0, for code scanning) or github (workflow commands).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Treat warnings as errors: exit 1 when there is any (`--deny warnings`).
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
}

/// `labnote lint`: exit 0 when no error (warnings too under `--deny warnings`), else 1.
pub fn lint(ctx: &Ctx, a: LintArgs) -> CmdResult {
    // The course model and the findings are freed by the process exit: dropping thousands of
    // labs one allocation at a time cost a tenth of the command's time, on one core.
    let linted = std::mem::ManuallyDrop::new(lint::lint(ctx, &a.paths)?);
    let out = match a.format {
        Format::Text => text(ctx, &linted),
        Format::Json => {
            // Tens of thousands of findings are megabytes of JSON: written in runs as they are
            // made (`write_json`), never joined and copied first; each run ends a line, so
            // stdout's line buffer passes it on whole. A clean course is one empty line.
            let mut so = std::io::stdout().lock();
            let wrote = if linted.diagnostics.is_empty() {
                so.write_all(b"\n")
            } else {
                write_json(ctx, &linted, &mut so)
            };
            wrote
                .and_then(|()| so.flush())
                .map_err(|e| Failure::data(format!("stdout: {e}")))?;
            String::new()
        }
        Format::Sarif => format!(
            "{}\n",
            serde_json::to_string_pretty(&sarif(ctx, &linted)).unwrap_or_default()
        ),
        Format::Github => github(ctx, &linted),
    };
    print!("{out}");
    let (errors, warnings, _) = linted.counts();
    let deny = a.deny == Some(Deny::Warnings) && warnings > 0;
    if errors > 0 || deny {
        return Err(Failure::user(t!(
            "lint-failed",
            errors = errors,
            warnings = warnings
        )));
    }
    Ok(())
}

/// The path a finding's file is shown by: the course folder as given, joined with the lab's
/// path in the course (`labs/day2/lab3-github.md` under `--course labs`).
fn shown_path(ctx: &Ctx, file: &str) -> String {
    let p = ctx.course_dir.join(file);
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

// ---------------------------------------------------------------------------------------
// Text

/// Every finding as rustc shows one (the source line, the span underlined, the second
/// location, the help), then the totals. Colour by [`super::style`]'s one rule.
pub fn text(ctx: &Ctx, linted: &Linted) -> String {
    let renderer = if ctx.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    let labs = &linted.course.labs;
    for d in &linted.diagnostics {
        let src = labs[d.at.lab].lab.source();
        let path = shown_path(ctx, &d.at.file);
        let mut snippet = Snippet::source(src)
            .line_start(1)
            .path(path)
            .fold(true)
            .annotation(AnnotationKind::Primary.span(d.at.span.clone()));
        let mut other = None;
        if let Some(r) = &d.related {
            if r.at.lab == d.at.lab {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(r.at.span.clone())
                        .label(r.label.as_str()),
                );
            } else {
                other = Some(
                    Snippet::source(labs[r.at.lab].lab.source())
                        .line_start(1)
                        .path(shown_path(ctx, &r.at.file))
                        .fold(true)
                        .annotation(
                            AnnotationKind::Context
                                .span(r.at.span.clone())
                                .label(r.label.as_str()),
                        ),
                );
            }
        }
        let code = d.rule.code();
        let mut group = level(d.severity)
            .primary_title(d.message.as_str())
            .id(code)
            .element(snippet);
        if let Some(o) = other {
            group = group.element(o);
        }
        if let Some(h) = &d.help {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        let report: [Group; 1] = [group];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    let (errors, warnings, notes) = linted.counts();
    out.push_str(&t!(
        "lint-summary",
        errors = errors,
        warnings = warnings,
        notes = notes,
        labs = linted.course.labs.len()
    ));
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------------------
// JSON

/// [`shown_path`] of each lab's file, by the lab's index: put together once, not per finding.
fn shown_paths(ctx: &Ctx, linted: &Linted) -> Vec<String> {
    linted
        .course
        .labs
        .iter()
        .map(|cl| shown_path(ctx, &cl.rel_path))
        .collect()
}

/// One JSON object per line, one line per finding, each line ended, written to `w` in order.
/// Runs of [`JSON_RUN`] findings are made on every core in turn (run `i` by core `i` modulo
/// their number, this thread the first) and written as they come: a core's buffers go back
/// to it once written, so a few are ever allocated (buffering every other core's share cost
/// megabytes of fresh pages).
fn write_json(ctx: &Ctx, linted: &Linted, w: &mut impl Write) -> std::io::Result<()> {
    let shown = shown_paths(ctx, linted);
    // Each lab's path as a JSON string, escaped once for all its findings.
    let files: Vec<Vec<u8>> = shown.iter().map(|s| json_string(s)).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    json_lines(&files, &linted.diagnostics, threads, w)
}

/// [`write_json`]'s lines of `all` on `threads` cores.
fn json_lines(
    files: &[Vec<u8>],
    all: &[Diagnostic],
    threads: usize,
    w: &mut impl Write,
) -> std::io::Result<()> {
    use std::sync::mpsc;
    if threads <= 1 || all.len() < 2 * JSON_RUN {
        return JsonLines::new(files).write_all(all, w);
    }
    let runs: Vec<&[Diagnostic]> = all.chunks(JSON_RUN).collect();
    let runs = &runs[..];
    std::thread::scope(|s| {
        // Per other core: the runs it made, and the buffers written (back to it).
        let mut cores = Vec::new();
        for t in 1..threads {
            let (made, made_rx) = mpsc::sync_channel::<Vec<u8>>(2);
            let (written, written_rx) = mpsc::channel::<Vec<u8>>();
            s.spawn(move || {
                let mut lines = JsonLines::new(files);
                for run in runs.iter().skip(t).step_by(threads) {
                    let mut buf = written_rx.try_recv().unwrap_or_default();
                    buf.clear();
                    // About the size of a finding's line, so the buffer seldom grows.
                    buf.reserve(run.len() * 320);
                    lines.run(run, &mut buf);
                    // Refused only when this thread stopped writing (stdout failed).
                    if made.send(buf).is_err() {
                        return;
                    }
                }
            });
            cores.push((made_rx, written));
        }
        let mut lines = JsonLines::new(files);
        let mut own = Vec::with_capacity(JSON_RUN * 320);
        for (i, run) in runs.iter().enumerate() {
            match i % threads {
                0 => {
                    own.clear();
                    lines.run(run, &mut own);
                    w.write_all(&own)?;
                }
                t => {
                    let (made, written) = &cores[t - 1];
                    // A core that stopped early panicked: the scope raises its panic.
                    let buf = made
                        .recv()
                        .map_err(|_| std::io::Error::other("a JSON writer stopped"))?;
                    w.write_all(&buf)?;
                    let _ = written.send(buf);
                }
            }
        }
        Ok(())
    })
}

/// Findings in a run of JSON lines made on one core ([`write_json`]): about 320 KB.
const JSON_RUN: usize = 1024;

/// `s` as a JSON string, as serde_json writes it.
fn json_string(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    push_json_string(&mut out, s);
    out
}

fn push_json_string(out: &mut Vec<u8>, s: &str) {
    // Writing to memory fails only for a value serde cannot write: a string never does.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The line of a finding exactly as serde_json writes its object (the tests' `finding_json`
/// holds them equal), without serde's call per piece: the strings every finding of a lab or a rule
/// shares (its file, its rule's names, a help repeated finding after finding) are escaped once.
struct JsonLines<'a> {
    /// Each lab's shown path as a JSON string, by the lab's index.
    files: &'a [Vec<u8>],
    /// The last help written and its JSON string.
    help: Option<(String, Vec<u8>)>,
}

impl<'a> JsonLines<'a> {
    fn new(files: &'a [Vec<u8>]) -> Self {
        JsonLines { files, help: None }
    }

    /// Each of `ds` as a line, written to `w` in runs of [`JSON_RUN`].
    fn write_all(&mut self, ds: &[Diagnostic], w: &mut impl Write) -> std::io::Result<()> {
        let mut buf = Vec::with_capacity(JSON_RUN * 320);
        for run in ds.chunks(JSON_RUN) {
            buf.clear();
            self.run(run, &mut buf);
            w.write_all(&buf)?;
        }
        Ok(())
    }

    /// Each of `ds` as a line, added to `out`.
    fn run(&mut self, ds: &[Diagnostic], out: &mut Vec<u8>) {
        for d in ds {
            self.line(d, out);
        }
    }

    fn line(&mut self, d: &Diagnostic, out: &mut Vec<u8>) {
        let at = &d.at;
        // Codes, rule names and severities are ASCII words: nothing in them to escape.
        out.extend_from_slice(b"{\"code\":\"");
        out.extend_from_slice(d.rule.code().as_bytes());
        out.extend_from_slice(b"\",");
        self.place_head(at, out);
        out.extend_from_slice(b",\"help\":");
        match &d.help {
            None => out.extend_from_slice(b"null"),
            Some(help) => {
                let same = matches!(&self.help, Some((last, _)) if last == help);
                if !same {
                    self.help = Some((help.clone(), json_string(help)));
                }
                if let Some((_, json)) = &self.help {
                    out.extend_from_slice(json);
                }
            }
        }
        out.extend_from_slice(b",\"line\":");
        push_number(out, at.line);
        out.extend_from_slice(b",\"message\":");
        push_json_string(out, &d.message);
        out.extend_from_slice(b",\"related\":");
        match &d.related {
            None => out.extend_from_slice(b"null"),
            Some(r) => {
                out.push(b'{');
                self.place_head(&r.at, out);
                out.extend_from_slice(b",\"label\":");
                push_json_string(out, &r.label);
                out.extend_from_slice(b",\"line\":");
                push_number(out, r.at.line);
                push_span(out, &r.at);
                out.push(b'}');
            }
        }
        out.extend_from_slice(b",\"rule\":\"");
        out.extend_from_slice(d.rule.name().as_bytes());
        out.extend_from_slice(b"\",\"severity\":\"");
        out.extend_from_slice(d.severity.as_str().as_bytes());
        out.push(b'"');
        push_span(out, at);
        out.extend_from_slice(b"}\n");
    }
}

impl JsonLines<'_> {
    /// `"column":…,"end_column":…,"end_line":…,"file":…`: the fields a finding and its second
    /// place begin with.
    fn place_head(&self, at: &Location, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\"column\":");
        push_number(out, at.column);
        out.extend_from_slice(b",\"end_column\":");
        push_number(out, at.end_column);
        out.extend_from_slice(b",\"end_line\":");
        push_number(out, at.end_line);
        out.extend_from_slice(b",\"file\":");
        out.extend_from_slice(&self.files[at.lab]);
    }
}

fn push_number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// `,"span":{"end":…,"start":…}`
fn push_span(out: &mut Vec<u8>, at: &Location) {
    out.extend_from_slice(b",\"span\":{\"end\":");
    push_number(out, at.span.end);
    out.extend_from_slice(b",\"start\":");
    push_number(out, at.span.start);
    out.push(b'}');
}

// ---------------------------------------------------------------------------------------
// SARIF 2.1.0

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A path as a URI reference: `/` separators, everything but unreserved characters and `/`
/// percent-encoded; an absolute path as a `file://` URI.
fn uri_of(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if Path::new(path).is_absolute() {
        format!("file://{out}")
    } else {
        out
    }
}

fn physical(ctx: &Ctx, l: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": uri_of(&shown_path(ctx, &l.file)) },
        "region": {
            "startLine": l.line,
            "startColumn": l.column,
            "endLine": l.end_line,
            "endColumn": l.end_column,
        },
    })
}

/// The findings as one SARIF 2.1.0 log (GitHub code scanning reads it).
pub fn sarif(ctx: &Ctx, linted: &Linted) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code(),
                "name": r.name(),
                "shortDescription": { "text": r.summary() },
                "defaultConfiguration": { "level": sarif_level(r.severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = linted
        .diagnostics
        .iter()
        .map(|d| {
            let text = match &d.help {
                Some(h) => format!("{}\nhelp: {h}", d.message),
                None => d.message.clone(),
            };
            let mut r = json!({
                "ruleId": d.rule.code(),
                "ruleIndex": d.rule.number() - 1,
                "level": sarif_level(d.severity),
                "message": { "text": text },
                "locations": [ { "physicalLocation": physical(ctx, &d.at) } ],
            });
            if let Some(rel) = &d.related {
                r["relatedLocations"] = json!([{
                    "id": 1,
                    "physicalLocation": physical(ctx, &rel.at),
                    "message": { "text": rel.label },
                }]);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "labnote",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

// ---------------------------------------------------------------------------------------
// GitHub workflow commands

/// A workflow command's message: `%`, CR and LF escaped.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property: also `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=LN001::message` per finding,
/// then one line with the totals (GitHub shows only the first 10 of each kind).
pub fn github(ctx: &Ctx, linted: &Linted) -> String {
    let mut out = String::new();
    for d in &linted.diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        out.push_str(&format!(
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&shown_path(ctx, &d.at.file)),
            d.at.line,
            d.at.column,
            d.at.end_line,
            d.at.end_column,
            escape_property(&format!("{} {}", d.rule.code(), d.rule.name())),
            escape_data(&msg),
        ));
    }
    let (errors, warnings, notes) = linted.counts();
    out.push_str(&t!(
        "lint-github-summary",
        errors = errors,
        warnings = warnings,
        notes = notes
    ));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One finding as an object; the field names never change. Its fields are in the order
    /// of their names (as a `serde_json::Value` object prints them).
    #[derive(serde::Serialize)]
    struct FindingJson<'a> {
        code: &'static str,
        column: usize,
        end_column: usize,
        end_line: usize,
        file: &'a str,
        help: Option<&'a str>,
        line: usize,
        message: &'a str,
        related: Option<RelatedJson<'a>>,
        rule: &'static str,
        severity: &'static str,
        span: SpanJson,
    }

    /// The second location of a finding, with its label.
    #[derive(serde::Serialize)]
    struct RelatedJson<'a> {
        column: usize,
        end_column: usize,
        end_line: usize,
        file: &'a str,
        label: &'a str,
        line: usize,
        span: SpanJson,
    }

    #[derive(serde::Serialize)]
    struct SpanJson {
        end: usize,
        start: usize,
    }

    impl From<&Location> for SpanJson {
        fn from(l: &Location) -> SpanJson {
            SpanJson {
                end: l.span.end,
                start: l.span.start,
            }
        }
    }

    /// One finding as an object (see [`FindingJson`]).
    /// `shown` gives the shown path of a lab's file by its index ([`shown_paths`]).
    fn finding_json<'a>(shown: &'a [String], d: &'a Diagnostic) -> FindingJson<'a> {
        let at = &d.at;
        FindingJson {
            code: d.rule.code(),
            column: at.column,
            end_column: at.end_column,
            end_line: at.end_line,
            file: &shown[at.lab],
            help: d.help.as_deref(),
            line: at.line,
            message: &d.message,
            related: d.related.as_ref().map(|r| RelatedJson {
                column: r.at.column,
                end_column: r.at.end_column,
                end_line: r.at.end_line,
                file: &shown[r.at.lab],
                label: &r.label,
                line: r.at.line,
                span: SpanJson::from(&r.at),
            }),
            rule: d.rule.name(),
            severity: d.severity.as_str(),
            span: SpanJson::from(at),
        }
    }

    fn location(lab: usize, line: usize, span: std::ops::Range<usize>) -> Location {
        Location {
            lab,
            file: "x.md".into(),
            line,
            column: 3,
            end_line: line + 1,
            end_column: 12,
            span,
        }
    }

    /// The fast writer's lines are serde_json's, byte for byte: every rule, help and no
    /// help (and the same help twice in a row, then another), a second place or none,
    /// strings with quotes, backslashes, control characters and letters beyond ASCII.
    #[test]
    fn json_lines_are_serde_json_lines() {
        let shown = vec![
            "labs/1일차/lab01.md".to_string(),
            "we\"ird\\path\u{7}.md".to_string(),
        ];
        let mut ds = Vec::new();
        for (i, rule) in Rule::ALL.iter().enumerate() {
            ds.push(Diagnostic {
                rule: *rule,
                severity: rule.severity(),
                message: format!("메시지 `<<이름>>` \"q\" \\ \t\n{i}\u{1}"),
                at: location(i % 2, i + 1, i..i + 10),
                related: (i % 3 == 0).then(|| {
                    Box::new(lint::Related {
                        label: "처음 쓰인 곳 \"here\"".to_string(),
                        at: location((i + 1) % 2, 2, 0..1),
                    })
                }),
                help: match i % 4 {
                    0 => None,
                    1 | 2 => Some("같은 도움말 \"same\"".to_string()),
                    _ => Some(format!("help {i}\u{1f}")),
                },
            });
        }
        let files: Vec<Vec<u8>> = shown.iter().map(|s| json_string(s)).collect();
        let mut fast = Vec::new();
        JsonLines::new(&files).write_all(&ds, &mut fast).unwrap();
        let mut slow = Vec::new();
        for d in &ds {
            serde_json::to_writer(&mut slow, &finding_json(&shown, d)).unwrap();
            slow.push(b'\n');
        }
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            String::from_utf8(slow).unwrap()
        );

        // Many findings made on several cores in runs: the same lines, in order.
        let many: Vec<Diagnostic> = (0..5 * JSON_RUN + 7)
            .map(|i| {
                let mut d = ds[i % ds.len()].clone();
                d.at.line = i;
                d
            })
            .collect();
        let mut one = Vec::new();
        JsonLines::new(&files).write_all(&many, &mut one).unwrap();
        for threads in [1, 2, 3, 8] {
            let mut several = Vec::new();
            json_lines(&files, &many, threads, &mut several).unwrap();
            assert!(several == one, "{threads} cores");
        }
    }
}
