//! Values in what a step's commands printed, and the one rule for output that looks like a
//! credential.
//!
//! After `run`, labnote offers to note a value from the output: [`candidates`] are the values
//! on its lines that look like something a lab asks to note (URLs, ARNs, ids, IPs, host
//! names, tokens, the right side of `key: value`), ranked by [`rank`] against the name the
//! note point asks for ("Cluster URL" puts URLs first, and a `server:` line's label is
//! compared with the name too); [`blocks`] are the runs of lines a multi-line value may be
//! (a YAML list a script printed). `run --note NAME=REGEX` takes its value by [`NoteRule`].
//!
//! [`mask_credentials`] is the rule for what must never be recorded: a JWT, an AWS secret
//! access key (40 characters next to an `AKIA…`/`ASIA…` key id or a `secret` label), a GitHub
//! token (`ghp_…`, `github_pat_…`), the value of a Kubernetes service-account `token:` line,
//! the value of any `key: value` / `key=value` / `"key": "value"` field whose key names a
//! secret by the memo's rule ([`crate::secret::is_secret_key`]).
//! [`looks_like_credential`] is the same rule for one value: such a value is noted as a
//! secret whatever its name.
//!
//! Pure: lines in, values out; linear in the size of the output.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::names;

/// What a value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateKind {
    Url,
    Arn,
    Ip,
    Host,
    /// A resource id (`eipalloc-0a1b…`, `i-0123…`) or an AWS access key id.
    Id,
    /// A credential (see [`looks_like_credential`]).
    Token,
    /// The right side of `key: value` / `key = value` / `"Key": "value"`.
    Field,
}

/// One value found in the output.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub value: String,
    pub kind: CandidateKind,
    /// The key of a `key: value` line it stands on, if any.
    pub label: Option<String>,
    /// Index of the line (0-based) in the output.
    pub line: usize,
}

/// A run of consecutive non-blank lines: a value of several lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub lines: Range<usize>,
}

/// The mask that stands for a hidden value (as [`crate::runner::Masker`] writes it).
pub const MASK: &str = "••••";

/// Longest value offered: a line longer than this is no value to note.
const MAX_VALUE: usize = 8 * 1024;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("a valid built-in pattern")
}

/// A terminal control sequence: CSI (`ESC [` or the C1 `U+009B`), a string sequence (OSC,
/// DCS, APC, PM, SOS, in 7-bit or C1 form) up to its terminator (BEL, `ESC \\`, `U+009C`) or,
/// unterminated, the end of the line, any other escape (`ESC ( B`, `ESC =`), a lone ESC.
static ANSI: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:\x1b\[|\u{9b})[0-?]*[ -/]*[@-~]?",
        r"|(?:\x1b[\]P_^X]|[\u{90}\u{98}\u{9d}\u{9e}\u{9f}])[^\x07\x1b\u{9c}]*(?:\x07|\x1b\\|\u{9c})?",
        r"|\x1b[ -/]*[0-~]?",
        r"|\u{9c}",
    ))
});
static URL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\s"'<>`)\]},]+"#));
static ARN: LazyLock<Regex> = LazyLock::new(|| re(r#"\barn:aws[A-Za-z-]*:[^\s"'<>`,]+"#));
static IP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[^\w.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?:/\d{1,2})?)(?:$|[^\w.])",
    )
});
static HOST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[^\w.@/-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?\.){2,}[A-Za-z]{2,24})(?:$|[^\w.-])",
    )
});
static RESOURCE_ID: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[a-z][a-z0-9]{0,15}-[0-9a-f]{8,17}\b"));
static KEY_ID: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"));
static JWT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"));
static GITHUB: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"));
/// A 40-character AWS secret access key: base64 letters, bounded by what cannot be part of it.
/// (`=` may stand before it: `AWS_SECRET_ACCESS_KEY=…`; after it, it is base64 padding.)
static SECRET40: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?:$|[^A-Za-z0-9/+=])"));
/// `"Key": "value"` anywhere on a line (compact JSON holds several).
static JSON_PAIR: LazyLock<Regex> = LazyLock::new(|| re(r#""([^"\\]{1,63})"\s*:\s*"([^"\\]*)""#));
/// `KEY=value` anywhere on a line (`export AWS_SESSION_TOKEN=…; …`).
static ASSIGN: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_.-]{0,62})=["']?([^\s"';]+)"#));
/// `token:      eyJ…` (`kubectl describe secret`), `token: ZXlK…` (`-o yaml`).
static TOKEN_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*"?token"?\s*[:=]\s*"?([^\s"]{8,})"?,?\s*$"#));
/// `key: value`, `key = value`, `"Key": "value",`; not `Key   value`, nor `- system:nodes`
/// (a YAML key needs a space after its colon).
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^\s*(?:-\s+)?(?:"([^"]{1,63})"\s*:|([A-Za-z_][A-Za-z0-9_ .-]{0,62}?)\s*(?::\s|:$|=))\s*"?([^"]*?)"?\s*,?\s*$"#,
    )
});

/// What `kubectl apply`/`create` prints for each object: `serviceaccount/gitops-sa created`,
/// `clusterrolebinding.rbac.authorization.k8s.io/gitops-admin unchanged`. Its words name an
/// object, never a value a lab asks to note (the API group is no host name).
static KUBE_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*/[A-Za-z0-9._:-]+\s+(?:created|configured|unchanged|deleted|patched|labeled|annotated|serverside-applied|replaced|restarted|scaled|exposed|edited|autoscaled|tainted|cordoned|drained|uncordoned)\b",
    )
});

/// The line without terminal colours and control sequences (see [`ANSI`]).
pub fn strip_ansi(line: &str) -> Cow<'_, str> {
    if line.contains([
        '\x1b', '\u{90}', '\u{98}', '\u{9b}', '\u{9c}', '\u{9d}', '\u{9e}', '\u{9f}',
    ]) {
        ANSI.replace_all(line, "")
    } else {
        Cow::Borrowed(line)
    }
}

/// Whether a value is a credential: a JWT, a GitHub token, an AWS secret access key shape
/// (40 characters of both cases), whole.
pub fn looks_like_credential(value: &str) -> bool {
    let v = value.trim();
    let whole = |r: &Regex| r.find(v).is_some_and(|m| m.range() == (0..v.len()));
    whole(&JWT) || whole(&GITHUB) || is_secret40(v)
}

/// 40 characters of base64 with both upper and lower case letters (a git hash is hex).
fn is_secret40(v: &str) -> bool {
    v.len() == 40
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
}

/// The lines with every credential masked (see the module doc), for the journal. An AWS
/// secret is recognised by its neighbour: a key id anywhere in the same output, or a label
/// saying secret on its line.
pub fn mask_credentials(lines: &[String]) -> Vec<String> {
    let has_key_id = lines.iter().any(|l| KEY_ID.is_match(l));
    lines
        .iter()
        .map(|l| mask_line(l, has_key_id).into_owned())
        .collect()
}

fn mask_line(line: &str, has_key_id: bool) -> Cow<'_, str> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    for r in [&*JWT, &*GITHUB] {
        spans.extend(r.find_iter(line).map(|m| m.range()));
    }
    if let Some(c) = TOKEN_LINE.captures(line).and_then(|c| c.get(1)) {
        spans.push(c.range());
    }
    spans.extend(secret_fields(line));
    let lower = line.to_ascii_lowercase();
    if has_key_id || lower.contains("secret") {
        spans.extend(
            SECRET40
                .captures_iter(line)
                .filter_map(|c| c.get(1))
                .filter(|m| is_secret40(m.as_str()))
                .map(|m| m.range()),
        );
    }
    if spans.is_empty() {
        return Cow::Borrowed(line);
    }
    spans.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for s in spans {
        if s.start < at {
            at = at.max(s.end);
            continue;
        }
        out.push_str(&line[at..s.start]);
        out.push_str(MASK);
        at = s.end;
    }
    out.push_str(&line[at..]);
    Cow::Owned(out)
}

/// The values of the fields on the line whose label names a secret by the memo's key rule
/// ([`crate::secret::is_secret_key`]): `password: …`, `aws_session_token = …`,
/// `"SessionToken": "…"`, `AWS_SECRET_ACCESS_KEY=…`.
fn secret_fields(line: &str) -> Vec<Range<usize>> {
    let whole = FIELD
        .captures(line)
        .and_then(|c| Some((c.get(1).or_else(|| c.get(2))?, c.get(3)?)));
    let pairs = JSON_PAIR
        .captures_iter(line)
        .chain(ASSIGN.captures_iter(line));
    let inline = pairs.filter_map(|c| Some((c.get(1)?, c.get(2)?)));
    whole
        .into_iter()
        .chain(inline)
        .filter(|(label, value)| {
            !value.as_str().trim().is_empty()
                && value.as_str() != MASK
                && crate::secret::is_secret_key(label.as_str())
        })
        .map(|(_, value)| value.range())
        .collect()
}

/// Every value on the lines that looks like one a lab asks to note, each once, in order of
/// appearance (the more specific kind wins when one value is found as two).
pub fn candidates<S: AsRef<str>>(lines: &[S]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for (n, raw) in lines.iter().enumerate() {
        let line = strip_ansi(raw.as_ref());
        let line = line.trim_end_matches(['\r', '\n']);
        if line.len() > MAX_VALUE || KUBE_OBJECT.is_match(line) {
            continue;
        }
        let label = FIELD.captures(line).and_then(|c| {
            let key = c.get(1).or_else(|| c.get(2))?.as_str().trim();
            Some((key, c.get(3)?.as_str().trim()))
        });
        let mut found: Vec<(String, CandidateKind)> = Vec::new();
        let mut add = |v: &str, k: CandidateKind| {
            let v = v.trim_end_matches(['.', ':', ';']);
            if !v.is_empty() && !found.iter().any(|(f, _)| f == v) {
                found.push((v.to_string(), k));
            }
        };
        for m in JWT.find_iter(line).chain(GITHUB.find_iter(line)) {
            add(m.as_str(), CandidateKind::Token);
        }
        for m in URL.find_iter(line) {
            add(m.as_str(), CandidateKind::Url);
        }
        for m in ARN.find_iter(line) {
            add(m.as_str(), CandidateKind::Arn);
        }
        for m in KEY_ID.find_iter(line).chain(RESOURCE_ID.find_iter(line)) {
            add(m.as_str(), CandidateKind::Id);
        }
        for c in IP.captures_iter(line).filter_map(|c| c.get(1)) {
            add(c.as_str(), CandidateKind::Ip);
        }
        for c in HOST.captures_iter(line).filter_map(|c| c.get(1)) {
            add(c.as_str(), CandidateKind::Host);
        }
        if let Some((_, v)) = label {
            if is_field_value(v) {
                let kind = if looks_like_credential(v) {
                    CandidateKind::Token
                } else {
                    CandidateKind::Field
                };
                add(v, kind);
            }
        }
        for (value, kind) in found {
            // A value inside a longer one of the same line (the host of a URL) is offered
            // as part of it, unless the line is a field whose whole value it is.
            if let Some(prev) = out.iter_mut().find(|c| c.value == value) {
                if prev.label.is_none() {
                    prev.label = label.map(|(l, _)| l.to_string());
                }
                continue;
            }
            out.push(Candidate {
                value,
                kind,
                label: label.map(|(l, _)| l.to_string()),
                line: n,
            });
        }
    }
    out
}

/// A field's right side worth offering: not empty, not the start of a nested block.
fn is_field_value(v: &str) -> bool {
    !v.is_empty()
        && !matches!(
            v,
            "|" | ">" | "{" | "[" | "|-" | ">-" | "null" | "~" | "true" | "false"
        )
        && !v.starts_with(['{', '['])
        && v.len() <= MAX_VALUE
}

/// The kinds a name asks for: "Cluster URL" → URLs and host names, "Allocation ID" → ids.
fn kinds_for(name: &str) -> Vec<CandidateKind> {
    let t = names::tokens(name);
    let has = |w: &str| t.iter().any(|x| x == w);
    let mut k = Vec::new();
    if has("url") || has("endpoint") || has("domain") || has("dns") || has("host") {
        k.extend([CandidateKind::Url, CandidateKind::Host]);
    }
    if has("arn") {
        k.push(CandidateKind::Arn);
    }
    if has("ip") {
        k.push(CandidateKind::Ip);
    }
    if has("id") {
        k.push(CandidateKind::Id);
    }
    if has("token") || has("password") || has("secret") || has("key") {
        k.push(CandidateKind::Token);
    }
    if has("data") {
        k.push(CandidateKind::Field);
    }
    k
}

/// How well a candidate fits a name: its kind is what the name asks for, and its label
/// shares the name's words (`certificate-authority-data:` for "Certificate Authority Data").
fn score(c: &Candidate, kinds: &[CandidateKind], name_tokens: &[String]) -> f64 {
    let kind = if kinds.contains(&c.kind) { 1.0 } else { 0.0 };
    let label = c
        .label
        .as_deref()
        .map_or(0.0, |l| names::similarity(&names::tokens(l), name_tokens));
    kind + 2.0 * label
}

/// The candidates, those fitting `name` first (stable: ties keep the output's order); at
/// most `max`.
pub fn rank(mut found: Vec<Candidate>, name: &str, max: usize) -> Vec<Candidate> {
    let kinds = kinds_for(name);
    let tokens = names::tokens(name);
    // A token looks like none of the values named by their shape (a URL, an ARN, an IP, a
    // host, an id): when only a token is asked, those are no candidates.
    if kinds == [CandidateKind::Token] {
        found.retain(|c| matches!(c.kind, CandidateKind::Token | CandidateKind::Field));
    }
    let mut scored: Vec<(f64, Candidate)> = found
        .drain(..)
        .map(|c| (score(&c, &kinds, &tokens), c))
        .collect();
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// The runs of two or more consecutive non-blank lines.
pub fn blocks<S: AsRef<str>>(lines: &[S]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (n, l) in lines.iter().enumerate() {
        let blank = l.as_ref().trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(n),
            (true, Some(s)) => {
                if n - s >= 2 {
                    out.push(Block { lines: s..n });
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        if lines.len() - s >= 2 {
            out.push(Block {
                lines: s..lines.len(),
            });
        }
    }
    out
}

/// The text of lines `r` (colours removed), as one value of several lines.
pub fn block_text<S: AsRef<str>>(lines: &[S], r: &Range<usize>) -> String {
    lines[r.clone()]
        .iter()
        .map(|l| {
            strip_ansi(l.as_ref())
                .trim_end_matches(['\r', '\n'])
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How a value is shown before it is noted: one line, at most `width` columns, and a
/// credential never in full (its first characters and its length).
pub fn preview(value: &str, width: usize) -> String {
    if looks_like_credential(value) {
        let head: String = value.chars().take(4).collect();
        return format!("{head}{MASK} ({} chars)", value.chars().count());
    }
    let one = value.replace(['\n', '\r', '\t'], " ");
    crate::render::truncate(&one, width)
}

/// `run --note NAME=REGEX`: the value NAME gets is the first match of REGEX in the output,
/// or its first capture group.
#[derive(Debug, Clone)]
pub struct NoteRule {
    pub name: String,
    pub pattern: Regex,
}

/// Why a `--note` argument is not a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// No `=`, or nothing before or after it.
    Shape,
    /// The regex does not compile: the reason.
    Regex(String),
}

/// The largest compiled pattern (the regex crate's own limit is 10 MiB).
const PATTERN_LIMIT: usize = 1 << 20;

impl NoteRule {
    /// `NAME=REGEX`, split at the first `=`.
    pub fn parse(arg: &str) -> Result<NoteRule, RuleError> {
        let (name, pattern) = arg.split_once('=').ok_or(RuleError::Shape)?;
        if name.trim().is_empty() || pattern.is_empty() {
            return Err(RuleError::Shape);
        }
        let pattern = regex::RegexBuilder::new(pattern)
            .multi_line(true)
            .size_limit(PATTERN_LIMIT)
            .build()
            .map_err(|e| RuleError::Regex(e.to_string()))?;
        Ok(NoteRule {
            name: name.trim().to_string(),
            pattern,
        })
    }

    /// The value in `output` (lines joined with `\n`, colours removed): the first capture
    /// group of the first match when the pattern has one and it matched, else the match;
    /// `None` when nothing (or only empty text) matches.
    pub fn value_in(&self, output: &str) -> Option<String> {
        let c = self.pattern.captures(output)?;
        let m = c.get(1).or_else(|| c.get(0))?;
        let v = m.as_str().trim_end_matches('\r');
        (!v.trim().is_empty()).then(|| v.to_string())
    }
}

/// The output as one text for [`NoteRule::value_in`]: colours removed, lines joined by `\n`.
pub fn joined<S: AsRef<str>>(lines: &[S]) -> String {
    block_text(lines, &(0..lines.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT_VALUE: &str =
        "eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlLW5vdC1yZWFs";
    /// AWS's documented example secret.
    const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    fn values(s: &str) -> Vec<(String, CandidateKind)> {
        candidates(&lines(s))
            .into_iter()
            .map(|c| (c.value, c.kind))
            .collect()
    }

    #[test]
    fn values_of_the_kinds_labs_ask_for() {
        let out = "Name:         default-token\n\x1b[32mtoken:\x1b[0m      EYJ\ntoken:      {JWT}\n  server: https://ABCD.gr7.ap-northeast-2.eks.amazonaws.com\n\"AllocationId\": \"eipalloc-0a1b2c3d4e5f67890\",\nPublic IP 3.35.120.7 of i-0123456789abcdef0\narn:aws:acm:ap-northeast-2:123456789012:certificate/1f2e-33\nELB  a1b2c3-1234.ap-northeast-2.elb.amazonaws.com  80\n".replace("{JWT}", JWT_VALUE);
        let v = values(&out);
        let has = |val: &str, k: CandidateKind| v.contains(&(val.to_string(), k));
        assert!(has("default-token", CandidateKind::Field), "{v:?}");
        assert!(has(JWT_VALUE, CandidateKind::Token), "{v:?}");
        assert!(
            has(
                "https://ABCD.gr7.ap-northeast-2.eks.amazonaws.com",
                CandidateKind::Url
            ),
            "{v:?}"
        );
        assert!(
            has("eipalloc-0a1b2c3d4e5f67890", CandidateKind::Id),
            "{v:?}"
        );
        assert!(has("3.35.120.7", CandidateKind::Ip), "{v:?}");
        assert!(has("i-0123456789abcdef0", CandidateKind::Id), "{v:?}");
        assert!(
            has(
                "arn:aws:acm:ap-northeast-2:123456789012:certificate/1f2e-33",
                CandidateKind::Arn
            ),
            "{v:?}"
        );
        assert!(
            has(
                "a1b2c3-1234.ap-northeast-2.elb.amazonaws.com",
                CandidateKind::Host
            ),
            "{v:?}"
        );
        // Each value once; the host inside the URL is part of the URL.
        let jwt = v.iter().filter(|(x, _)| x == JWT_VALUE).count();
        assert_eq!(jwt, 1);
        assert!(!has(
            "ABCD.gr7.ap-northeast-2.eks.amazonaws.com",
            CandidateKind::Host
        ));
        // The colours of `token:` do not hide its label.
        assert!(has("EYJ", CandidateKind::Field), "{v:?}");
        // No value on a line without one; a YAML list item is no field.
        assert!(values("hello world\n\n---\n    - system:nodes\n").is_empty());
        assert_eq!(
            values("  username: system:node:x\n{\"Name\":\"web\"}\nA=b\n"),
            [
                ("system:node:x".to_string(), CandidateKind::Field),
                ("b".to_string(), CandidateKind::Field)
            ]
        );
    }

    #[test]
    fn the_name_ranks_the_candidates() {
        let out = lines("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n    server: https://ABCD.yl4.ap-northeast-2.eks.amazonaws.com\n  name: arn:aws:eks:ap-northeast-2:111122223333:cluster/demo\n");
        let c = candidates(&out);
        let top = |name: &str| rank(c.clone(), name, 3)[0].value.clone();
        assert_eq!(
            top("Cluster URL"),
            "https://ABCD.yl4.ap-northeast-2.eks.amazonaws.com"
        );
        assert_eq!(
            top("메모한 Certificate Authority Data "),
            "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"
        );
        assert_eq!(
            top("클러스터 ARN"),
            "arn:aws:eks:ap-northeast-2:111122223333:cluster/demo"
        );
        // A name that asks for nothing in particular keeps the output's order.
        assert_eq!(top("출력된 결과"), "v1");
        assert_eq!(rank(c, "x", 2).len(), 2);
    }

    /// Issue 20, case 3: `kubectl apply` names objects; none is a value, and for a token
    /// the token comes first, a host or an id never.
    #[test]
    fn kubernetes_object_names_are_no_candidates_and_a_token_ranks_first() {
        let out = lines(&format!(
            "serviceaccount/gitops-sa created\nclusterrolebinding.rbac.authorization.k8s.io/gitops-admin created\nsecret/gitops-sa-token configured\nName:         gitops-sa-token\nNamespace:    kube-system\nca.crt:       1107 bytes\nnode ip-10-0-1-15.ap-northeast-2.compute.internal i-0123456789abcdef0\ntoken:      {JWT_VALUE}\n"
        ));
        let c = candidates(&out);
        assert!(
            c.iter().all(|c| c.line >= 3),
            "an object line gave a candidate: {c:?}"
        );
        let ranked = rank(c.clone(), "메모한 Service Account token ", 9);
        assert_eq!(ranked[0].value, JWT_VALUE, "{ranked:?}");
        assert!(
            ranked
                .iter()
                .all(|c| matches!(c.kind, CandidateKind::Token | CandidateKind::Field)),
            "{ranked:?}"
        );
        // Other names keep the other kinds.
        let ids = rank(c, "Instance ID", 9);
        assert_eq!(ids[0].value, "i-0123456789abcdef0", "{ids:?}");
    }

    #[test]
    fn blocks_are_runs_of_lines() {
        let out = lines("Roles:\n\n- rolearn: arn:aws:iam::1:role/a\n  username: a\n  groups:\n    - system:masters\n\ndone\n");
        let b = blocks(&out);
        assert_eq!(b, [Block { lines: 2..6 }]);
        assert_eq!(
            block_text(&out, &b[0].lines),
            "- rolearn: arn:aws:iam::1:role/a\n  username: a\n  groups:\n    - system:masters"
        );
        assert_eq!(blocks(&lines("a\nb")), [Block { lines: 0..2 }]);
    }

    /// GitHub token shapes, assembled so that no whole token is written in the source.
    const GH_TOKEN: &str = concat!("ghp_", "abcdefghijklmnopqrstuvwxyz0123456789");
    const GH_PAT: &str = concat!("github_pat_", "11ABCDEFG0123456789_abcdefghijklmnop");

    /// `text`'s lines and the same lines masked, asserting that none of `gone` is left.
    #[track_caller]
    fn masked_without(text: &str, gone: &[&str]) -> (Vec<String>, Vec<String>) {
        let out = lines(text);
        let m = mask_credentials(&out);
        let all = m.join("\n");
        for s in gone {
            assert!(!all.contains(s), "{s} left in {all}");
        }
        (out, m)
    }

    #[test]
    fn credentials_are_masked_and_nothing_else() {
        let (out, m) = masked_without(&format!(
            "token:      {JWT_VALUE}\nAuthorization: Bearer {JWT_VALUE} end\n\"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\",\n\"SecretAccessKey\": \"{AWS_SECRET}\",\nremote: {GH_TOKEN} ok\nPAT {GH_PAT}\ntoken: c2VjcmV0LXRva2VuLXZhbHVl\ncommit 9fceb02d0ae598e95dc970b74767f19372d61af8\nplain line\n"
            ),
            &[
                JWT_VALUE,
                AWS_SECRET,
                GH_TOKEN,
                GH_PAT,
                "c2VjcmV0LXRva2VuLXZhbHVl",
            ],
        );
        assert_eq!(m[0], "token:      ••••");
        assert_eq!(m[1], "Authorization: Bearer •••• end");
        // The key id is an identifier, kept; a git hash is no secret; other lines are kept.
        assert_eq!(m[2], out[2]);
        assert_eq!(m[3], "\"SecretAccessKey\": \"••••\",");
        assert_eq!(m[7], out[7]);
        assert_eq!(m[8], "plain line");
        // Without a key id or a secret label, 40 characters are just 40 characters.
        let lone = lines(&format!("value {AWS_SECRET}\n"));
        assert_eq!(mask_credentials(&lone), lone);
    }

    /// Review finding 3: the common forms of a secret in a field are masked, the label kept.
    #[test]
    fn secret_fields_are_masked() {
        let (out, m) = masked_without(&format!(
            "AWS_SECRET_ACCESS_KEY={AWS_SECRET}\naws_secret_access_key={AWS_SECRET}\naws_session_token = IQoJb3JpZ2luX2VjEXAMPLE\n  \"SessionToken\": \"FwoGZXIvYXdzEXAMPLE\",\npassword: Sup3rS3cret!\nexport AWS_SESSION_TOKEN=IQoJtok; echo ok\n{{\"Token\": \"abc123\", \"Expiration\": \"2026\"}}\nregion = ap-northeast-2\n"
            ),
            &[
                AWS_SECRET,
                "IQoJb3Jp",
                "FwoGZXIv",
                "Sup3rS3cret",
                "IQoJtok",
                "abc123",
            ],
        );
        assert_eq!(m[0], "AWS_SECRET_ACCESS_KEY=••••");
        assert_eq!(m[2], "aws_session_token = ••••");
        assert_eq!(m[3], "  \"SessionToken\": \"••••\",");
        assert_eq!(m[4], "password: ••••");
        // The whole-line rule takes the rest of the line: more masked, never less.
        assert_eq!(m[5], "export AWS_SESSION_TOKEN=••••");
        assert_eq!(m[6], "{\"Token\": \"••••\", \"Expiration\": \"2026\"}");
        assert_eq!(m[7], out[7]);
    }

    /// Review finding 7: every escape sequence goes, terminated or not, 7-bit or C1.
    #[test]
    fn strip_ansi_takes_every_sequence() {
        for (raw, want) in [
            ("\x1b[31mred\x1b[0m", "red"),
            ("a\x1b]8;;https://x\x07link\x1b]8;;\x1b\\b", "alinkb"),
            ("a\x1b]52;c;ZWNobw==", "a"),
            ("a\x1bPq#0;2;0\x1b\\b", "ab"),
            ("a\x1b_apc payload\x1b\\b", "ab"),
            ("a\u{9b}1mb", "ab"),
            ("a\u{9d}0;title\u{9c}b", "ab"),
            ("a\x1b(Bb\x1b=c", "abc"),
            ("pass\x1b[1mw0rd\x1b[m", "passw0rd"),
        ] {
            assert_eq!(strip_ansi(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn credential_values() {
        assert!(looks_like_credential(JWT_VALUE));
        assert!(looks_like_credential(AWS_SECRET));
        assert!(looks_like_credential(GH_TOKEN));
        assert!(!looks_like_credential("https://example.com"));
        assert!(!looks_like_credential(
            "9fceb02d0ae598e95dc970b74767f19372d61af8"
        ));
        assert!(!looks_like_credential(&format!("x {JWT_VALUE}")));
        assert_eq!(
            preview(JWT_VALUE, 40),
            format!("eyJh•••• ({} chars)", JWT_VALUE.len())
        );
        assert_eq!(preview("a\nb", 40), "a b");
    }

    #[test]
    fn note_rules() {
        let r = NoteRule::parse(r"token=token:\s+(\S+)").unwrap();
        assert_eq!(r.name, "token");
        let out = joined(&lines(&format!("Name: x\ntoken:      {JWT_VALUE}\n")));
        assert_eq!(r.value_in(&out).as_deref(), Some(JWT_VALUE));
        // Without a group: the match; `^` is a line start.
        let r = NoteRule::parse(r"<<메모한 Cluster URL>>=^https://\S+").unwrap();
        assert_eq!(r.name, "<<메모한 Cluster URL>>");
        assert_eq!(
            r.value_in("x\nhttps://a.example.com\n").as_deref(),
            Some("https://a.example.com")
        );
        assert_eq!(r.value_in("nothing here"), None);
        // A value of several lines.
        let r = NoteRule::parse(r"roles=(?s)BEGIN\n(.*)\nEND").unwrap();
        assert_eq!(r.value_in("BEGIN\na\nb\nEND").as_deref(), Some("a\nb"));
        assert_eq!(NoteRule::parse("noequals").unwrap_err(), RuleError::Shape);
        assert_eq!(NoteRule::parse("=x").unwrap_err(), RuleError::Shape);
        assert!(matches!(
            NoteRule::parse("a=(").unwrap_err(),
            RuleError::Regex(_)
        ));
    }
}
