//! Property tests of the lab parser: labs generated from the pieces of the course format
//! (H1 variants, step headings with markers and numbers in every written form, memo blocks
//! in both styles, tables of inputs, fences — the last one sometimes unclosed —, details,
//! images, placeholders, Korean text and emoji, LF or CRLF) parse without panicking, into
//! the steps, memo entries, placeholders, details, images and input rows they were built
//! from, with every span in bounds, on char boundaries and slicing to the text it claims.
//! Arbitrary bytes and arbitrary markdown-ish text never make the parser panic.

use std::ops::Range;

use labnote::lab::{self, Emphasis, Lab, LineEnding, ParseError, PlaceholderContext};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------
// The pieces.

const PH_NAMES: &[&str] = &[
    "생성된 IP",
    "YYMMDD",
    "YOUR_DOMAIN",
    "나의도메인",
    "자신의 git name",
    "발급받은 Access Key",
    "gitopsconsole_ID",
    "github_token",
];

const FIRST_WORDS: &[&str] = &[
    "Github",
    "설정하기",
    "Pipeline",
    "kubectl",
    "노드그룹",
    "AWS",
    "task",
    "설명",
    "정리",
];
const WORDS: &[&str] = &[
    "생성",
    "확인",
    "설치",
    "(AWS Console)",
    "Destroy된",
    "VPC",
    "😎",
    "🔥",
    "console",
    "-",
    "및",
    "2.x",
];

#[derive(Debug, Clone)]
enum TitleWord {
    Plain(&'static str),
    Code(&'static str),
    Bold(&'static str),
}

impl TitleWord {
    fn md(&self) -> String {
        match self {
            TitleWord::Plain(w) => (*w).to_string(),
            TitleWord::Code(w) => format!("`{w}`"),
            TitleWord::Bold(w) => format!("**{w}**"),
        }
    }
    fn text(&self) -> &'static str {
        match self {
            TitleWord::Plain(w) | TitleWord::Code(w) | TitleWord::Bold(w) => w,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum NumFmt {
    DotSpace,
    NoDot,
    NoSpace,
}

#[derive(Debug, Clone)]
struct Heading {
    level: u8,
    marker: Option<&'static str>,
    number: Option<(Vec<u16>, NumFmt)>,
    words: Vec<TitleWord>,
}

#[derive(Debug, Clone)]
enum Inline {
    Word(&'static str),
    Ph(&'static str, bool),
    Code(Option<&'static str>),
    Embedded(&'static str, &'static str),
    Bold(&'static str),
    Nbsp,
    Br,
}

#[derive(Debug, Clone)]
enum CodeLine {
    Plain(&'static str),
    Ph(&'static str),
}

#[derive(Debug, Clone)]
struct Fence {
    lang: Option<&'static str>,
    tilde: bool,
    lines: Vec<CodeLine>,
}

#[derive(Debug, Clone)]
enum Cell {
    Code(&'static str),
    Ph(&'static str),
    Embedded(&'static str, &'static str),
}

#[derive(Debug, Clone)]
struct Memo {
    bold: bool,
    short_name: bool,
    entries: Vec<(&'static str, bool, &'static str)>,
}

#[derive(Debug, Clone)]
enum Block {
    Prose {
        bullet: bool,
        inlines: Vec<Inline>,
    },
    Table {
        quoted: bool,
        rows: Vec<(&'static str, Cell)>,
    },
    Fence(Fence),
    Details {
        summary: &'static str,
        image: bool,
    },
    Image(u16),
    Br,
    StepProse(u8),
    Memo(Memo),
}

#[derive(Debug, Clone)]
enum H1 {
    None,
    Lab(u8, u8, Vec<TitleWord>),
    Plain(Vec<TitleWord>),
}

#[derive(Debug, Clone)]
struct Doc {
    h1: H1,
    goal: bool,
    toc: bool,
    memo: Option<Memo>,
    steps: Vec<(Heading, Vec<Block>)>,
    unclosed: Option<(Fence, bool)>,
    crlf: bool,
}

fn title_word() -> impl Strategy<Value = TitleWord> {
    prop_oneof![
        6 => select(WORDS).prop_map(TitleWord::Plain),
        1 => select(&["Create environment", "IAM", "step-1"][..]).prop_map(TitleWord::Code),
        1 => select(&["Admin server", "중요"][..]).prop_map(TitleWord::Bold),
    ]
}

fn title_words() -> impl Strategy<Value = Vec<TitleWord>> {
    (
        select(FIRST_WORDS),
        prop::collection::vec(title_word(), 0..4),
    )
        .prop_map(|(first, mut rest)| {
            rest.insert(0, TitleWord::Plain(first));
            rest
        })
}

fn heading() -> impl Strategy<Value = Heading> {
    (
        2u8..=4,
        prop::option::of(select(&["✔", "🔴", "⭐", "🟢", "✔️"][..])),
        prop::option::of((
            prop::collection::vec(1u16..=120, 1..=3),
            prop_oneof![
                4 => Just(NumFmt::DotSpace),
                1 => Just(NumFmt::NoDot),
                1 => Just(NumFmt::NoSpace),
            ],
        )),
        title_words(),
    )
        .prop_map(|(level, marker, number, words)| Heading {
            level,
            marker,
            number,
            words,
        })
}

fn inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        4 => select(&["값을", "입력한다.", "Workspace", "🔥", "화면에서", "누른다", "😎", "AWS"][..])
            .prop_map(Inline::Word),
        2 => (select(PH_NAMES), any::<bool>()).prop_map(|(n, sp)| Inline::Ph(n, sp)),
        2 => prop::option::of(select(PH_NAMES)).prop_map(Inline::Code),
        1 => (select(PH_NAMES), select(PH_NAMES)).prop_map(|(a, b)| Inline::Embedded(a, b)),
        1 => select(&["Access Key ID", "주의"][..]).prop_map(Inline::Bold),
        1 => Just(Inline::Nbsp),
        1 => Just(Inline::Br),
    ]
}

fn fence() -> impl Strategy<Value = Fence> {
    (
        prop::option::of(select(&["bash", "yaml", "sh"][..])),
        prop::bool::weighted(0.2),
        prop::collection::vec(
            prop_oneof![
                3 => select(&[
                    "echo 한글 😎",
                    "## not a step",
                    "# 주석",
                    "cat << EOF > f.yaml",
                    "cat << EOF >> out.txt",
                    "cat <<'EOF' > env.sh",
                    "EOF",
                    "  name: web",
                    "",
                ][..])
                .prop_map(CodeLine::Plain),
                1 => select(PH_NAMES).prop_map(CodeLine::Ph),
            ],
            0..6,
        ),
    )
        .prop_map(|(lang, tilde, lines)| Fence { lang, tilde, lines })
}

fn memo() -> impl Strategy<Value = Memo> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(
            (
                select(
                    &[
                        "AWS Access Key ID",
                        "AWS Secret Access key",
                        "github_username",
                        "생성된 IP",
                    ][..],
                ),
                any::<bool>(),
                select(&["", "octocat", "AKIAIOSFODNN7EXAMPLE", "값 123", "😎 이모지"][..]),
            ),
            1..=3,
        ),
    )
        .prop_map(|(bold, short_name, entries)| Memo {
            bold,
            short_name,
            entries,
        })
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        select(&["network_pipeline", "AWS", "aws vpc", "Private"][..]).prop_map(Cell::Code),
        select(PH_NAMES).prop_map(Cell::Ph),
        (select(PH_NAMES), select(PH_NAMES)).prop_map(|(a, b)| Cell::Embedded(a, b)),
    ]
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => (any::<bool>(), prop::collection::vec(inline(), 1..6))
            .prop_map(|(bullet, inlines)| Block::Prose { bullet, inlines }),
        2 => (
            any::<bool>(),
            prop::collection::vec(
                (select(&["Workspace Name", "AWS Access Key ID", "CSP", "이름"][..]), cell()),
                1..4
            )
        )
            .prop_map(|(quoted, rows)| Block::Table { quoted, rows }),
        2 => fence().prop_map(Block::Fence),
        1 => (select(&["😎 [참고 - 펼치기👇] 삭제 방법", "참고", "Tip"][..]), any::<bool>())
            .prop_map(|(summary, image)| Block::Details { summary, image }),
        1 => (1u16..999).prop_map(Block::Image),
        1 => Just(Block::Br),
        1 => (1u8..6).prop_map(Block::StepProse),
        1 => memo().prop_map(Block::Memo),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        prop_oneof![
            1 => Just(H1::None),
            4 => (1u8..=12, 1u8..=20, title_words()).prop_map(|(d, l, w)| H1::Lab(d, l, w)),
            1 => title_words().prop_map(H1::Plain),
        ],
        any::<bool>(),
        any::<bool>(),
        prop::option::of(memo()),
        prop::collection::vec((heading(), prop::collection::vec(block(), 0..5)), 0..10),
        prop::option::weighted(0.3, (fence(), any::<bool>())),
        any::<bool>(),
    )
        .prop_map(|(h1, goal, toc, memo, steps, unclosed, crlf)| Doc {
            h1,
            goal,
            toc,
            memo,
            steps,
            unclosed,
            crlf,
        })
}

// ---------------------------------------------------------------------------------------
// Rendering a document, with what the parser should find in it.

/// A memo block: name, emphasis of its keys, entries (key, value).
type MemoExpect = (String, Emphasis, Vec<(String, String)>);

#[derive(Debug, Default)]
struct Expect {
    id: Option<String>,
    steps: Vec<(u8, Option<String>, String)>,
    /// Per step: images, details summaries, input rows (field, value).
    images: Vec<usize>,
    details: Vec<Vec<String>>,
    inputs: Vec<Vec<(String, String)>>,
    placeholders: Vec<(String, PlaceholderContext)>,
    memo: Vec<MemoExpect>,
}

fn words_md(w: &[TitleWord]) -> String {
    w.iter().map(TitleWord::md).collect::<Vec<_>>().join(" ")
}

fn words_text(w: &[TitleWord]) -> String {
    w.iter().map(TitleWord::text).collect::<Vec<_>>().join(" ")
}

fn render_memo(m: &Memo, out: &mut Vec<String>, e: &mut Expect) {
    let name = if m.short_name {
        "메모사항"
    } else {
        "실습 중 메모사항"
    };
    let mark = if m.bold { "**" } else { "_" };
    let mut s = format!("> **📌 [{name}]**\n>\n");
    let mut entries = Vec::new();
    for (k, (key, spaced, value)) in m.entries.iter().enumerate() {
        let lead = if k == 0 { "> " } else { ">  " };
        let inner = if *spaced {
            format!(" {key}")
        } else {
            (*key).to_string()
        };
        let sep = if value.is_empty() { "" } else { " " };
        let tail = if k == 0 { "  " } else { "" };
        s.push_str(&format!(
            "{lead}➕ {mark}<<{inner}>>{mark} :{sep}{value}{tail}\n"
        ));
        entries.push(((*key).to_string(), (*value).to_string()));
        e.placeholders
            .push(((*key).to_string(), PlaceholderContext::Memo));
    }
    out.push(s.trim_end_matches('\n').to_string());
    e.memo.push((
        name.to_string(),
        if m.bold {
            Emphasis::Bold
        } else {
            Emphasis::Italic
        },
        entries,
    ));
}

fn render_fence(f: &Fence, closed: bool, e: &mut Expect) -> String {
    let fc = if f.tilde { "~~~" } else { "```" };
    let mut s = format!("{fc}{}\n", f.lang.unwrap_or(""));
    for l in &f.lines {
        match l {
            CodeLine::Plain(t) => s.push_str(t),
            CodeLine::Ph(n) => {
                s.push_str(&format!("ssh ec2-user@<<{n}>> -p 22"));
                e.placeholders
                    .push(((*n).to_string(), PlaceholderContext::CodeBlock));
            }
        }
        s.push('\n');
    }
    if closed {
        s.push_str(fc);
    }
    s.trim_end_matches('\n').to_string()
}

fn render(d: &Doc) -> (String, Expect) {
    let mut e = Expect::default();
    let mut out: Vec<String> = Vec::new();
    match &d.h1 {
        H1::None => {}
        H1::Lab(day, no, w) => {
            out.push(format!("# {day}일차 - Lab {no}. {}", words_md(w)));
            e.id = Some(format!("{day}-{no}"));
        }
        H1::Plain(w) => out.push(format!("# {}", words_md(w))),
    }
    if d.goal {
        out.push("ⓘ 실습목표 : 생성된 실습 😎".into());
    }
    if d.toc {
        out.push("---".into());
        let mut toc = String::from("- [제목](#제목)\n");
        for (h, _) in d.steps.iter().take(4) {
            toc.push_str(&format!(
                "  - [{}](#✔-1.-{})\n",
                words_text(&h.words),
                words_text(&h.words).replace(' ', "-")
            ));
        }
        out.push(toc.trim_end().to_string());
        out.push("---".into());
    }
    if let Some(m) = &d.memo {
        render_memo(m, &mut out, &mut e);
    }
    for (h, blocks) in &d.steps {
        let mut line = "#".repeat(usize::from(h.level));
        line.push(' ');
        if let Some(m) = h.marker {
            line.push_str(m);
            line.push(' ');
        }
        let number = h.number.as_ref().map(|(parts, fmt)| {
            let n = parts
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join("-");
            match fmt {
                NumFmt::DotSpace => line.push_str(&format!("{n}. ")),
                NumFmt::NoDot => line.push_str(&format!("{n} ")),
                NumFmt::NoSpace => line.push_str(&format!("{n}.")),
            }
            n
        });
        line.push_str(&words_md(&h.words));
        out.push(line);
        e.steps.push((h.level - 1, number, words_text(&h.words)));
        let mut images = 0;
        let mut details = Vec::new();
        let mut inputs = Vec::new();
        for b in blocks {
            match b {
                Block::Prose { bullet, inlines } => {
                    let mut s = String::from(if *bullet { "- 먼저 " } else { "먼저 " });
                    for i in inlines {
                        match i {
                            Inline::Word(w) => s.push_str(w),
                            Inline::Ph(n, spaced) => {
                                if *spaced {
                                    s.push_str(&format!("<< {n} >>"));
                                } else {
                                    s.push_str(&format!("<<{n}>>"));
                                }
                                e.placeholders
                                    .push(((*n).to_string(), PlaceholderContext::Prose));
                            }
                            Inline::Code(None) => s.push_str("`kubectl get nodes`"),
                            Inline::Code(Some(n)) => {
                                s.push_str(&format!("`app.<<{n}>>`"));
                                e.placeholders
                                    .push(((*n).to_string(), PlaceholderContext::InlineCode));
                            }
                            Inline::Embedded(a, b) => {
                                s.push_str(&format!("network-<<{a}>>-<<{b}>>"));
                                for n in [a, b] {
                                    e.placeholders
                                        .push(((*n).to_string(), PlaceholderContext::Prose));
                                }
                            }
                            Inline::Bold(w) => s.push_str(&format!("**{w}**")),
                            Inline::Nbsp => s.push_str("&nbsp; &nbsp;"),
                            Inline::Br => s.push_str("<br>\n  이어서"),
                        }
                        s.push(' ');
                    }
                    out.push(s.trim_end().to_string());
                }
                Block::Table { quoted, rows } => {
                    let q = if *quoted { "> " } else { "" };
                    let mut s = format!("{q}| 항목 | 내용 | 액션 |\n{q}| --- | --- | --- |\n");
                    for (field, c) in rows {
                        let (md, value) = match c {
                            Cell::Code(v) => (format!("`{v}`"), (*v).to_string()),
                            Cell::Ph(n) => {
                                e.placeholders
                                    .push(((*n).to_string(), PlaceholderContext::Table));
                                (format!("`<<{n}>>`"), format!("<<{n}>>"))
                            }
                            Cell::Embedded(a, b) => {
                                for n in [a, b] {
                                    e.placeholders
                                        .push(((*n).to_string(), PlaceholderContext::Table));
                                }
                                let v = format!("network-<<{a}>>-<<{b}>>");
                                (format!("`{v}`"), v)
                            }
                        };
                        s.push_str(&format!("{q}| ➕ {field} | {md} | 🧲복사 & 📋붙여넣기 |\n"));
                        inputs.push(((*field).to_string(), value));
                    }
                    out.push(s.trim_end().to_string());
                }
                Block::Fence(f) => out.push(render_fence(f, true, &mut e)),
                Block::Details { summary, image } => {
                    let mut s =
                        format!("<details>\n<summary> {summary} </summary>\n\n- 숨김 내용\n");
                    if *image {
                        s.push_str("\n![](../images/117.png)\n");
                        images += 1;
                    }
                    s.push_str("\n</details>");
                    out.push(s);
                    details.push((*summary).to_string());
                }
                Block::Image(n) => {
                    out.push(format!("![](../images/{n:03}.png)"));
                    images += 1;
                }
                Block::Br => out.push("<br>".into()),
                Block::StepProse(n) => out.push(format!("Step {n}) `Settings` 를 누른다.")),
                Block::Memo(m) => render_memo(m, &mut out, &mut e),
            }
        }
        e.images.push(images);
        e.details.push(details);
        e.inputs.push(inputs);
    }
    if let Some((f, heading_inside)) = &d.unclosed {
        if d.steps.is_empty() {
            // Nothing to attach the expectations to: leave it out.
        } else {
            let mut s = render_fence(f, false, &mut e);
            if *heading_inside {
                s.push_str("\n## 🔴 9. not a step\n");
            }
            out.push(s);
        }
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    if d.crlf {
        text = text.replace('\n', "\r\n");
    }
    (text, e)
}

// ---------------------------------------------------------------------------------------
// Checks.

fn check_span(text: &str, r: &Range<usize>, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(r.start <= r.end, "{what}: reversed span {r:?}");
    prop_assert!(
        r.end <= text.len(),
        "{what}: span {r:?} beyond {}",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: span {r:?} not on char boundaries"
    );
    Ok(())
}

fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// Invariants that hold for any text.
fn check_invariants(text: &str, lab: &Lab) -> Result<(), TestCaseError> {
    let mut ids = std::collections::HashSet::new();
    if let Some(r) = &lab.title_span {
        check_span(text, r, "title")?;
        prop_assert!(text[r.clone()].starts_with('#'));
    }
    for (i, s) in lab.steps.iter().enumerate() {
        prop_assert!(ids.insert(s.id.clone()), "duplicate id {}", s.id);
        check_span(text, &s.span, "step span")?;
        check_span(text, &s.body_span, "body span")?;
        check_span(text, &s.section_span, "section span")?;
        prop_assert_eq!(s.span.end, s.body_span.start);
        prop_assert_eq!(s.section_span.start, s.span.start);
        prop_assert!(s.section_span.end >= s.body_span.end);
        let next = lab.steps.get(i + 1).map_or(text.len(), |n| n.span.start);
        prop_assert_eq!(s.body_span.end, next);
        prop_assert!((1..=5).contains(&s.depth));
        prop_assert_eq!(s.checkable, s.children.is_empty());
        if let Some(p) = s.parent {
            prop_assert!(p < i && lab.steps[p].depth < s.depth);
            prop_assert!(lab.steps[p].children.contains(&i));
            prop_assert!(lab.steps[p].section_span.end >= s.section_span.end);
        }
        for c in &s.code_blocks {
            check_span(text, &c.span, "code span")?;
            prop_assert!(s.body_span.start <= c.span.start && c.span.end <= s.body_span.end);
            let slice = lf(&text[c.span.clone()]);
            for line in lf(&c.text).lines() {
                prop_assert!(
                    slice.contains(line.trim()),
                    "code line {line:?} not in its span {slice:?}"
                );
            }
        }
        for im in &s.images {
            check_span(text, &im.span, "image span")?;
            let sl = &text[im.span.clone()];
            prop_assert!(sl.starts_with("![") && sl.contains(&im.src), "{sl:?}");
        }
        for d in &s.details {
            check_span(text, &d.span, "details span")?;
            let sl = &text[d.span.clone()];
            prop_assert!(
                sl.starts_with("<details") && sl.ends_with("</details>"),
                "{sl:?}"
            );
        }
        for r in &s.inputs {
            check_span(text, &r.span, "input row span")?;
        }
    }
    for b in &lab.memo_blocks {
        check_span(text, &b.span, "memo span")?;
        check_span(text, &b.heading_span, "memo heading span")?;
        prop_assert!(text[b.heading_span.clone()].contains('📌'));
        for e in &b.entries {
            check_span(text, &e.line_span, "memo line span")?;
            check_span(text, &e.value_span, "memo value span")?;
            let line = &text[e.line_span.clone()];
            prop_assert!(!line.contains('\n') && !line.ends_with('\r'), "{line:?}");
            prop_assert!(line.contains('➕'));
            prop_assert!(
                e.line_span.start <= e.value_span.start && e.value_span.end <= e.line_span.end
            );
            prop_assert_eq!(text[e.value_span.clone()].trim(), e.value.as_str());
        }
    }
    for p in &lab.placeholders {
        check_span(text, &p.span, "placeholder span")?;
        let sl = &text[p.span.clone()];
        prop_assert!(sl.starts_with("<<") && sl.ends_with(">>"), "{sl:?}");
        prop_assert!(sl.contains(&p.name), "{sl:?} lacks {:?}", p.name);
        if let Some(i) = p.step {
            let s = &lab.steps[i];
            prop_assert!(
                s.span.start <= p.span.start && p.span.start < s.body_span.end.max(s.span.end)
            );
        }
    }
    if let Some(t) = lab.toc_end {
        prop_assert!(t <= text.len() && text.is_char_boundary(t));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_labs_parse_into_what_they_were_built_from(d in doc()) {
        let (text, e) = render(&d);
        let lab = lab::parse(text.as_bytes(), "gen").expect("valid UTF-8");
        check_invariants(&text, &lab)?;
        prop_assert_eq!(
            lab.line_ending,
            if d.crlf { LineEnding::CrLf } else { LineEnding::Lf }
        );
        prop_assert_eq!(&lab.id, e.id.as_deref().unwrap_or("gen"));

        let got: Vec<_> = lab
            .steps
            .iter()
            .map(|s| (s.depth, s.number.clone(), s.title.clone()))
            .collect();
        prop_assert_eq!(&got, &e.steps, "text:\n{}", text);
        for (i, s) in lab.steps.iter().enumerate() {
            let bare: String = text[s.span.clone()]
                .chars()
                .filter(|c| !matches!(c, '*' | '`'))
                .collect();
            prop_assert!(bare.contains(&s.title), "{bare:?} lacks {:?}", s.title);
            prop_assert_eq!(s.images.len(), e.images[i], "images of {}", s.id);
            let sums: Vec<_> = s.details.iter().map(|x| x.summary.clone()).collect();
            prop_assert_eq!(&sums, &e.details[i], "details of {}", s.id);
            let rows: Vec<_> = s.inputs.iter().map(|r| (r.field.clone(), r.value.clone())).collect();
            prop_assert_eq!(&rows, &e.inputs[i], "inputs of {}", s.id);
        }
        if let Some(s) = lab.steps.last() {
            if d.unclosed.is_some() {
                let c = s.code_blocks.last().expect("the unclosed fence");
                prop_assert!(!c.closed);
                prop_assert_eq!(c.span.end, text.len());
            }
        }
        for s in &lab.steps[..lab.steps.len().saturating_sub(1)] {
            prop_assert!(s.code_blocks.iter().all(|c| c.closed), "{}", s.id);
        }

        let memo: Vec<_> = lab
            .memo_blocks
            .iter()
            .map(|b| {
                let emph = b.entries.first().map_or(Emphasis::Plain, |x| x.emphasis);
                let entries: Vec<_> = b.entries.iter().map(|x| (x.key.clone(), x.value.clone())).collect();
                (b.name.clone(), emph, entries)
            })
            .collect();
        prop_assert_eq!(&memo, &e.memo, "text:\n{}", text);

        let ph: Vec<_> = lab.placeholders.iter().map(|p| (p.name.clone(), p.context)).collect();
        prop_assert_eq!(&ph, &e.placeholders, "text:\n{}", text);
    }

    #[test]
    fn crlf_and_lf_of_a_generated_lab_agree(d in doc()) {
        let (text, _) = render(&Doc { crlf: false, ..d });
        let crlf = text.replace('\n', "\r\n");
        let a = lab::parse(text.as_bytes(), "gen").unwrap();
        let b = lab::parse(crlf.as_bytes(), "gen").unwrap();
        check_invariants(&crlf, &b)?;
        let key = |l: &Lab| -> Vec<(String, u8, String, String, usize, usize, usize)> {
            l.steps
                .iter()
                .map(|s| (s.id.clone(), s.depth, s.title.clone(), s.fingerprint.clone(),
                          s.code_blocks.len(), s.images.len(), s.inputs.len()))
                .collect()
        };
        prop_assert_eq!(key(&a), key(&b));
        for (x, y) in a.steps.iter().zip(&b.steps) {
            prop_assert_eq!(&text[x.span.clone()], lf(&crlf[y.span.clone()]));
            prop_assert_eq!(&text[x.body_span.clone()], lf(&crlf[y.body_span.clone()]));
            for (c, k) in x.code_blocks.iter().zip(&y.code_blocks) {
                prop_assert_eq!(&c.text, &lf(&k.text));
                prop_assert_eq!(c.closed, k.closed);
            }
            for (c, k) in x.details.iter().zip(&y.details) {
                prop_assert_eq!(&text[c.span.clone()], lf(&crlf[k.span.clone()]));
            }
        }
        let pa: Vec<_> = a.placeholders.iter().map(|p| (&p.name, p.context, p.step)).collect();
        let pb: Vec<_> = b.placeholders.iter().map(|p| (&p.name, p.context, p.step)).collect();
        prop_assert_eq!(pa, pb);
        let ma: Vec<_> = a.memo_entries().map(|m| (&m.key, &m.value, &text[m.value_span.clone()])).collect();
        let mb: Vec<_> = b.memo_entries().map(|m| (&m.key, &m.value, &crlf[m.value_span.clone()])).collect();
        prop_assert_eq!(ma, mb);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        match lab::parse(&bytes, "x") {
            Ok(lab) => {
                let text = std::str::from_utf8(&bytes).expect("Ok only for UTF-8");
                check_invariants(text, &lab)?;
            }
            Err(ParseError::InvalidUtf8 { offset, line }) => {
                let e = std::str::from_utf8(&bytes).expect_err("Err only for invalid UTF-8");
                prop_assert_eq!(offset, e.valid_up_to());
                prop_assert_eq!(line, bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1);
            }
        }
    }

    #[test]
    fn markdownish_text_never_panics(
        parts in prop::collection::vec(
            select(&[
                "#", "## ", "### ", "#### ", "✔ ", "🔴", "1.", "2-2", "3-1-1 ", "\n", "\r\n", " ",
                "> ", ">  ", "➕ ", "_", "**", "<<", ">>", "<", ">", ":", "  ", "`", "```", "~~~",
                "```bash", "|", "| --- |", "---", "- ", "  - ", "[a](#b)", "![](../images/1.png)",
                "<details>", "<summary>", "</summary>", "</details>", "<br>", "&nbsp;", "📌",
                "[실습 중 메모사항]", "[메모사항]", "한글", "😎", "EOF", "Step 1)", "ⓘ", "\t",
                "일차 - Lab ", "9", "\u{feff}", "é", "\u{301}",
            ][..]),
            0..120,
        )
    ) {
        let text: String = parts.concat();
        let lab = lab::parse(text.as_bytes(), "x").expect("valid UTF-8");
        check_invariants(&text, &lab)?;
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let lab = lab::parse(text.as_bytes(), "x").expect("valid UTF-8");
        check_invariants(&text, &lab)?;
    }
}
