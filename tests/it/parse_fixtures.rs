//! The parser against the fixtures in `tests/fixtures/` and the expectations written in
//! `tests/fixtures/README.md` (the ```` ```steps FILE ```` and ```` ```placeholders FILE ````
//! blocks), plus the edge cases of the lab format: CRLF, repeated numbers, unclosed fences,
//! the table of contents, memo blocks, placeholders, details, images, input rows, empty and
//! invalid files, and a very large lab.

use std::collections::HashSet;
use std::path::PathBuf;

use labnote::lab::{self, Emphasis, Lab, LineEnding, ParseError, PlaceholderContext, Step};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read_fixture(name: &str) -> Vec<u8> {
    let p = fixtures_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn stem_of(name: &str) -> &str {
    name.strip_suffix(".md").unwrap_or(name)
}

fn parse_fixture(name: &str) -> Lab {
    lab::parse(&read_fixture(name), stem_of(name))
        .unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(read_fixture(name)).expect("fixture is UTF-8")
}

/// Every `.md` fixture (sorted).
fn all_fixtures() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "README.md")
        .collect();
    v.sort();
    v
}

/// The fenced blocks of the fixture README whose info string is `<kind> <file>`.
fn readme_blocks(kind: &str) -> Vec<(String, Vec<String>)> {
    let readme = fixture_text("README.md");
    let mut out = Vec::new();
    let mut cur: Option<(String, Vec<String>)> = None;
    let open = format!("```{kind} ");
    for line in readme.lines() {
        if let Some((file, lines)) = cur.as_mut() {
            if line.trim_end() == "```" {
                out.push((std::mem::take(file), std::mem::take(lines)));
                cur = None;
            } else {
                lines.push(line.to_string());
            }
        } else if let Some(file) = line.strip_prefix(&open) {
            cur = Some((file.trim().to_string(), Vec::new()));
        }
    }
    assert!(cur.is_none(), "unterminated ```{kind} block in the README");
    out
}

type StepTriple = (u8, String, String);

fn expected_steps() -> Vec<(String, Vec<StepTriple>)> {
    readme_blocks("steps")
        .into_iter()
        .map(|(file, lines)| {
            let steps = lines
                .iter()
                .map(|l| {
                    let parts: Vec<&str> = l.split('\t').collect();
                    assert_eq!(parts.len(), 3, "bad expected line in {file}: {l:?}");
                    (
                        parts[0].parse::<u8>().expect("depth"),
                        parts[1].to_string(),
                        parts[2].to_string(),
                    )
                })
                .collect();
            (file, steps)
        })
        .collect()
}

fn actual_steps(lab: &Lab) -> Vec<StepTriple> {
    lab.steps
        .iter()
        .map(|s| {
            (
                s.depth,
                s.number.clone().unwrap_or_default(),
                s.title.clone(),
            )
        })
        .collect()
}

#[test]
fn readme_step_lists_match_every_fixture() {
    let expected = expected_steps();
    // The README lists every fixture with steps (all but empty.md).
    let listed: HashSet<&str> = expected.iter().map(|(f, _)| f.as_str()).collect();
    for f in all_fixtures() {
        if f != "empty.md" {
            assert!(
                listed.contains(f.as_str()),
                "README has no steps block for {f}"
            );
        }
    }
    assert_eq!(
        expected.len(),
        12,
        "number of ```steps blocks in the README"
    );
    let mut failures = Vec::new();
    for (file, want) in &expected {
        let lab = parse_fixture(file);
        let got = actual_steps(&lab);
        if &got != want {
            failures.push(format!("{file}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ids_and_titles_of_fixtures() {
    let cases = [
        ("ref-2-3-github.md", "2-3", "GitHub 구성"),
        ("ref-2-4-access-key.md", "2-4", "AWS 액세스 키 발급하기"),
        ("ref-2-5-network.md", "2-5", "인프라 - 네트워크 생성 실습"),
        ("repeated-numbers.md", "3-2", "EKS 클러스터 구성"),
        ("number-variants.md", "4-1", "애플리케이션 배포 파이프라인"),
        ("unclosed-fence.md", "4-3", "Helm 차트 배포"),
        (
            "code-and-heredoc.md",
            "code-and-heredoc",
            "부록. 실습 명령어 모음",
        ),
        ("no-h1.md", "no-h1", "no-h1"),
        ("no-memo.md", "3-1", "Admin server 접속"),
        ("lf-bold-memo.md", "1-3", "GitHub 계정 메모"),
        ("crlf-italic-memo.md", "1-4", "액세스 키 메모"),
        ("placeholders.md", "5-2", "도메인 연결"),
        ("empty.md", "empty", "empty"),
    ];
    for (file, id, title) in cases {
        let lab = parse_fixture(file);
        assert_eq!(lab.id, id, "{file}");
        assert_eq!(lab.title, title, "{file}");
    }
}

#[test]
fn ids_are_unique_in_every_fixture() {
    for f in all_fixtures() {
        let lab = parse_fixture(&f);
        let mut seen = HashSet::new();
        for s in &lab.steps {
            assert!(!s.id.is_empty(), "{f}: empty id for {:?}", s.title);
            assert!(seen.insert(s.id.clone()), "{f}: duplicate id {}", s.id);
        }
    }
}

#[test]
fn line_endings_of_fixtures_are_detected() {
    for f in all_fixtures() {
        let bytes = read_fixture(&f);
        let lab = lab::parse(&bytes, stem_of(&f)).unwrap();
        let want = if bytes.windows(2).any(|w| w == b"\r\n") {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        };
        assert_eq!(lab.line_ending, want, "{f}");
    }
    assert_eq!(
        parse_fixture("ref-2-5-network.md").line_ending,
        LineEnding::CrLf
    );
}

fn lf_to_crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn crlf_to_lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// Parse the LF and the CRLF form of the same text and compare everything that should not
/// depend on line endings; every span of the CRLF parse must slice to the CRLF form of the
/// text the same span of the LF parse slices to.
fn assert_same_in_crlf(name: &str, lf: &str) {
    assert!(!lf.contains('\r'), "{name}: LF text expected");
    let crlf = lf_to_crlf(lf);
    let a = lab::parse(lf.as_bytes(), stem_of(name)).unwrap();
    let b = lab::parse(crlf.as_bytes(), stem_of(name)).unwrap();
    if lf.contains('\n') {
        assert_eq!(b.line_ending, LineEnding::CrLf, "{name}");
    }
    assert_eq!(a.id, b.id, "{name}");
    assert_eq!(a.title, b.title, "{name}");
    assert_eq!(a.heading, b.heading, "{name}");
    assert_eq!(a.goal, b.goal, "{name}");
    assert_eq!(a.steps.len(), b.steps.len(), "{name}: step count");
    let same = |sa: &str, sb: &str, what: &str| {
        assert_eq!(crlf_to_lf(sb), sa, "{name}: {what} slices differ");
        if !what.starts_with("code text") {
            // No bare \n in a slice of a CRLF file.
            assert!(
                !sb.replace("\r\n", "").contains('\n'),
                "{name}: {what} cuts a CRLF pair: {sb:?}"
            );
        }
    };
    for (x, y) in a.steps.iter().zip(&b.steps) {
        assert_eq!(x.id, y.id, "{name}");
        assert_eq!(x.number, y.number, "{name}");
        assert_eq!(x.marker, y.marker, "{name}");
        assert_eq!(x.title, y.title, "{name}");
        assert_eq!(x.depth, y.depth, "{name}");
        assert_eq!(x.parent, y.parent, "{name}");
        assert_eq!(x.checkable, y.checkable, "{name}");
        assert_eq!(
            x.fingerprint, y.fingerprint,
            "{name}: fingerprint of {} depends on line endings",
            x.id
        );
        same(&lf[x.span.clone()], &crlf[y.span.clone()], "heading span");
        let bare: String = crlf[y.span.clone()]
            .chars()
            .filter(|c| !matches!(c, '*' | '`' | '_'))
            .collect();
        assert!(
            bare.contains(&y.title),
            "{name}: heading span {:?} lacks title {:?}",
            &crlf[y.span.clone()],
            y.title
        );
        same(
            &lf[x.body_span.clone()],
            &crlf[y.body_span.clone()],
            "body span",
        );
        same(
            &lf[x.section_span.clone()],
            &crlf[y.section_span.clone()],
            "section span",
        );
        assert_eq!(x.code_blocks.len(), y.code_blocks.len(), "{name}");
        for (c, d) in x.code_blocks.iter().zip(&y.code_blocks) {
            assert_eq!(c.lang, d.lang, "{name}");
            assert_eq!(c.closed, d.closed, "{name}");
            assert_eq!(c.text, crlf_to_lf(&d.text), "{name}: code text");
            same(&lf[c.span.clone()], &crlf[d.span.clone()], "code span");
        }
        assert_eq!(x.images.len(), y.images.len(), "{name}");
        for (c, d) in x.images.iter().zip(&y.images) {
            assert_eq!(c.src, d.src);
            same(&lf[c.span.clone()], &crlf[d.span.clone()], "image span");
        }
        assert_eq!(x.details.len(), y.details.len(), "{name}");
        for (c, d) in x.details.iter().zip(&y.details) {
            assert_eq!(c.summary, d.summary);
            same(&lf[c.span.clone()], &crlf[d.span.clone()], "details span");
        }
        assert_eq!(x.inputs.len(), y.inputs.len(), "{name}");
        for (c, d) in x.inputs.iter().zip(&y.inputs) {
            assert_eq!((&c.field, &c.value, &c.rest), (&d.field, &d.value, &d.rest));
        }
    }
    assert_eq!(a.memo_blocks.len(), b.memo_blocks.len(), "{name}");
    for (x, y) in a.memo_blocks.iter().zip(&b.memo_blocks) {
        assert_eq!(x.name, y.name);
        same(&lf[x.span.clone()], &crlf[y.span.clone()], "memo span");
        same(
            &lf[x.heading_span.clone()],
            &crlf[y.heading_span.clone()],
            "memo heading span",
        );
        assert_eq!(x.entries.len(), y.entries.len(), "{name}");
        for (e, f) in x.entries.iter().zip(&y.entries) {
            assert_eq!(
                (&e.key, e.emphasis, &e.value),
                (&f.key, f.emphasis, &f.value)
            );
            assert_eq!(&crlf[f.line_span.clone()], &lf[e.line_span.clone()]);
            assert!(!crlf[f.line_span.clone()].contains('\r'));
            assert_eq!(&crlf[f.value_span.clone()], &lf[e.value_span.clone()]);
        }
    }
    let pa: Vec<_> = a
        .placeholders
        .iter()
        .map(|p| (&p.name, p.context, p.step))
        .collect();
    let pb: Vec<_> = b
        .placeholders
        .iter()
        .map(|p| (&p.name, p.context, p.step))
        .collect();
    assert_eq!(pa, pb, "{name}: placeholders");
    for (p, q) in a.placeholders.iter().zip(&b.placeholders) {
        assert_eq!(
            &lf[p.span.clone()],
            &crlf[q.span.clone()],
            "{name}: placeholder span"
        );
        assert!(crlf[q.span.clone()].starts_with("<<"));
        assert!(crlf[q.span.clone()].ends_with(">>"));
    }
    assert_eq!(a.toc_end.is_some(), b.toc_end.is_some(), "{name}: toc_end");
    if let (Some(x), Some(y)) = (a.toc_end, b.toc_end) {
        same(&lf[..x], &crlf[..y], "text before toc_end");
    }
}

#[test]
fn crlf_and_lf_parse_the_same() {
    let mut n = 0;
    for f in all_fixtures() {
        let text = fixture_text(&f);
        // CRLF fixtures are compared through their LF form.
        assert_same_in_crlf(&f, &crlf_to_lf(&text));
        n += 1;
    }
    assert!(n >= 13);
}

#[test]
fn crlf_fixture_equals_its_lf_conversion() {
    // The real CRLF bytes (not a conversion of ours) against their LF conversion.
    for f in ["ref-2-5-network.md", "crlf-italic-memo.md"] {
        let crlf = fixture_text(f);
        assert!(crlf.contains("\r\n"));
        let lf = crlf_to_lf(&crlf);
        let a = lab::parse(lf.as_bytes(), stem_of(f)).unwrap();
        let b = lab::parse(crlf.as_bytes(), stem_of(f)).unwrap();
        assert_eq!(actual_steps(&a), actual_steps(&b), "{f}");
        let ids_a: Vec<_> = a.steps.iter().map(|s| &s.id).collect();
        let ids_b: Vec<_> = b.steps.iter().map(|s| &s.id).collect();
        assert_eq!(ids_a, ids_b, "{f}");
        for s in &b.steps {
            assert!(crlf[s.span.clone()].contains(&s.title), "{f}: {}", s.id);
        }
    }
}

/// The steps of `lab` numbered `number`, in order.
fn numbered<'a>(lab: &'a Lab, number: &str) -> Vec<&'a Step> {
    lab.steps
        .iter()
        .filter(|s| s.number.as_deref() == Some(number))
        .collect()
}

#[test]
fn repeated_numbers_get_distinct_ids_and_fingerprints() {
    let lab = parse_fixture("repeated-numbers.md");
    let twins = numbered(&lab, "2-2");
    assert_eq!(twins.len(), 2);
    assert_eq!(twins[0].id, "2-2");
    assert_eq!(twins[1].id, "2-2.2");
    assert_eq!(twins[0].title, "노드 상태 확인");
    assert_eq!(twins[1].title, "노드 라벨 추가");
    assert_ne!(twins[0].fingerprint, twins[1].fingerprint);
    assert!(twins[0].checkable && twins[1].checkable);
    assert_eq!(twins[0].parent, twins[1].parent);

    // Identical headings (same number, same title, same parent) still differ.
    let same = numbered(&lab, "3-1");
    assert_eq!(same.len(), 2);
    assert_eq!(same[0].id, "3-1");
    assert_eq!(same[1].id, "3-1.2");
    assert_eq!(same[0].title, same[1].title);
    assert_ne!(same[0].fingerprint, same[1].fingerprint);

    // Skipped numbers stay as written.
    let ids: Vec<_> = lab.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["1", "1-1", "1-2", "2", "2-1", "2-2", "2-2.2", "2-4", "3", "3-1", "3-1.2", "5", "5-1"]
    );
    assert_eq!(lab.step_index("2-2.2"), Some(6));
}

#[test]
fn fingerprints_are_distinct_within_each_fixture() {
    for f in all_fixtures() {
        let lab = parse_fixture(&f);
        let mut seen = HashSet::new();
        for s in &lab.steps {
            assert!(
                seen.insert(s.fingerprint.clone()),
                "{f}: fingerprint of {} repeats",
                s.id
            );
        }
    }
}

#[test]
fn tree_of_number_variants() {
    let lab = parse_fixture("number-variants.md");
    let by_id = |id: &str| &lab.steps[lab.step_index(id).unwrap_or_else(|| panic!("no {id}"))];
    assert_eq!(by_id("1").marker.as_deref(), Some("✔"));
    assert_eq!(by_id("1-1").marker, None);
    assert_eq!(by_id("3").marker.as_deref(), Some("🟢"));
    assert_eq!(by_id("4").marker.as_deref(), Some("⭐"));
    assert_eq!(by_id("namespace-삭제").marker.as_deref(), Some("✔"));
    assert_eq!(by_id("설명").number, None);
    // Depth follows the heading level, not the number.
    assert_eq!(by_id("3-2-1").depth, 2);
    assert_eq!(by_id("3-1-1").depth, 3);
    let p = by_id("3-1-1").parent.unwrap();
    assert_eq!(lab.steps[p].id, "3-1");
    assert!(!by_id("3-1").checkable);
    assert!(!by_id("3").checkable);
    assert!(by_id("3-2-1").checkable);
    assert_eq!(
        lab.leaves_of(lab.step_index("3").unwrap())
            .iter()
            .map(|&i| lab.steps[i].id.as_str())
            .collect::<Vec<_>>(),
        ["3-1-1", "3-2-1", "3-3-1", "3-3-2"]
    );
    // Section span of `3` covers its children and stops at `4`.
    let s3 = by_id("3");
    let s4 = by_id("4");
    assert_eq!(s3.section_span.end, s4.span.start);
    assert_eq!(by_id("2-2").images.len(), 1);
}

#[test]
fn unclosed_fence_swallows_the_rest_of_the_file() {
    let text = fixture_text("unclosed-fence.md");
    let lab = parse_fixture("unclosed-fence.md");
    assert_eq!(lab.steps.len(), 2);
    assert!(lab.steps.iter().all(|s| !s.title.contains("not a step")));
    let s1 = &lab.steps[0];
    assert_eq!(s1.code_blocks.len(), 1);
    assert!(s1.code_blocks[0].closed);
    assert_eq!(s1.code_blocks[0].text, "mkdir -p helm-lab\ncd helm-lab\n");
    let s2 = &lab.steps[1];
    assert_eq!(s2.code_blocks.len(), 1);
    let cb = &s2.code_blocks[0];
    assert!(!cb.closed, "the last fence is never closed");
    assert_eq!(cb.lang.as_deref(), Some("bash"));
    let lines: Vec<&str> = cb.text.lines().collect();
    assert_eq!(
        lines,
        [
            "cat << EOF > values.yaml",
            "## not a step",
            "replicaCount: 2",
            "image:",
            "  repository: nginx",
            "  tag: \"1.27\"",
            "EOF",
            "cat values.yaml"
        ]
    );
    assert_eq!(cb.span.end, text.len());
    assert!(text[cb.span.clone()].starts_with("```bash"));
    // `<< EOF >` in code is a heredoc, not a placeholder.
    assert!(lab.placeholders.is_empty(), "{:?}", lab.placeholders);
}

#[test]
fn unclosed_fence_in_crlf_is_still_unclosed() {
    let crlf = lf_to_crlf(&fixture_text("unclosed-fence.md"));
    let lab = lab::parse(crlf.as_bytes(), "unclosed-fence").unwrap();
    assert_eq!(lab.steps.len(), 2);
    assert!(lab.steps[0].code_blocks[0].closed);
    assert!(!lab.steps[1].code_blocks[0].closed);
}

#[test]
fn code_blocks_of_code_and_heredoc() {
    let lab = parse_fixture("code-and-heredoc.md");
    let text = fixture_text("code-and-heredoc.md");
    let blocks = |id: &str| {
        lab.steps[lab.step_index(id).unwrap()]
            .code_blocks
            .iter()
            .map(|c| (c.lang.clone(), c.closed))
            .collect::<Vec<_>>()
    };
    let bash = || (Some("bash".to_string()), true);
    assert_eq!(blocks("1-1"), [bash()]);
    assert_eq!(blocks("1-2"), [bash()]);
    assert_eq!(blocks("1-3"), [bash()]);
    assert_eq!(blocks("2-1"), [(Some("yaml".to_string()), true)]);
    assert_eq!(blocks("2-2"), [(None, true), (None, true)]);
    assert_eq!(blocks("2-3"), [bash(), bash()]);
    let s11 = &lab.steps[lab.step_index("1-1").unwrap()];
    assert!(s11.code_blocks[0].text.contains("## 이 줄도 주석이다\n"));
    let s23 = &lab.steps[lab.step_index("2-3").unwrap()];
    assert_eq!(
        s23.code_blocks[0].text,
        "# 목록 안에 들여 쓴 코드 블록\nls app.yaml env.sh\n"
    );
    for s in &lab.steps {
        for c in &s.code_blocks {
            assert!(!c.indented);
            let slice = &text[c.span.clone()];
            assert!(slice.trim_start().starts_with("```"), "{slice:?}");
            // Indented fences: the code text loses the list indentation, the span keeps it.
            for line in c.text.lines() {
                assert!(slice.contains(line.trim()), "{line:?} not in {slice:?}");
            }
        }
    }
    // No placeholders: `<< EOF >` and `<<'EOF'` are heredocs.
    assert!(lab.placeholders.is_empty(), "{:?}", lab.placeholders);
}

#[test]
fn toc_never_yields_steps() {
    for f in all_fixtures() {
        let lab = parse_fixture(&f);
        if let Some(end) = lab.toc_end {
            for s in &lab.steps {
                assert!(s.span.start >= end, "{f}: step {} inside the TOC", s.id);
            }
        }
    }
    // A lab that is nothing but title, goal and TOC has no steps.
    let md = "# 2일차 - Lab 9. 목차만\n\nⓘ 실습목표 : 목차\n\n---\n\n- [2일차 - Lab 9. 목차만](#2일차---lab-9.-목차만)\n  - [1. 하나](#🔴-1.-하나)\n  - [2. 둘](#🔴-2.-둘)\n    - [2-1. 셋](#✔-2-1.-셋)\n\n---\n";
    let lab = lab::parse(md.as_bytes(), "x").unwrap();
    assert!(lab.steps.is_empty(), "{:?}", actual_steps(&lab));
    assert_eq!(lab.id, "2-9");
    let end = lab.toc_end.expect("toc end found");
    assert!(md[..end].contains("(#✔-2-1.-셋)"));
    assert_eq!(lab.goal.as_deref(), Some("실습목표 : 목차"));
}

#[test]
fn toc_end_of_fixtures() {
    let text = fixture_text("ref-2-4-access-key.md");
    let lab = parse_fixture("ref-2-4-access-key.md");
    let end = lab.toc_end.expect("ref-2-4 has a TOC");
    // Right after the second rule; the memo block follows.
    assert!(text[..end].trim_end().ends_with("---"));
    assert!(text[end..].trim_start().starts_with("> **📌"));
    assert!(parse_fixture("empty.md").toc_end.is_none());
}

#[test]
fn memo_blocks_both_styles() {
    struct Want {
        file: &'static str,
        name: &'static str,
        emphasis: Emphasis,
        entries: [(&'static str, &'static str); 2],
    }
    let wants = [
        Want {
            file: "ref-2-3-github.md",
            name: "메모사항",
            emphasis: Emphasis::Bold,
            entries: [("github_username", ""), ("github_token", "")],
        },
        Want {
            file: "ref-2-4-access-key.md",
            name: "실습 중 메모사항",
            emphasis: Emphasis::Italic,
            entries: [("AWS Access Key ID", ""), ("AWS Secret Access key", "")],
        },
        Want {
            file: "lf-bold-memo.md",
            name: "메모사항",
            emphasis: Emphasis::Bold,
            entries: [("github_username", "octocat"), ("github_token", "")],
        },
        Want {
            file: "crlf-italic-memo.md",
            name: "실습 중 메모사항",
            emphasis: Emphasis::Italic,
            entries: [
                ("AWS Access Key ID", "AKIAIOSFODNN7EXAMPLE"),
                ("AWS Secret Access key", ""),
            ],
        },
    ];
    for w in &wants {
        let text = fixture_text(w.file);
        let lab = parse_fixture(w.file);
        assert_eq!(lab.memo_blocks.len(), 1, "{}", w.file);
        let b = &lab.memo_blocks[0];
        assert_eq!(b.name, w.name, "{}", w.file);
        assert!(text[b.heading_span.clone()].contains(&format!("[{}]", w.name)));
        assert!(text[b.span.clone()].starts_with("> **📌"));
        assert_eq!(b.entries.len(), 2, "{}", w.file);
        for (e, (k, v)) in b.entries.iter().zip(w.entries) {
            assert_eq!(e.key, k, "{}", w.file);
            assert_eq!(e.value, v, "{}", w.file);
            assert_eq!(e.emphasis, w.emphasis, "{}", w.file);
            let line = &text[e.line_span.clone()];
            assert!(line.starts_with('>') && line.contains('➕'), "{line:?}");
            assert!(!line.ends_with('\r') && !line.ends_with('\n'));
            let vs = &text[e.value_span.clone()];
            assert_eq!(vs.trim(), v, "{}: value_span slices to {vs:?}", w.file);
            if v.is_empty() {
                assert!(e.value_span.is_empty());
                assert_eq!(&text[e.value_span.start - 1..e.value_span.start], ":");
            } else {
                assert!(vs.ends_with(v), "{vs:?}");
            }
            assert!(e.line_span.start <= e.value_span.start && e.value_span.end <= e.line_span.end);
            assert!(b.span.start <= e.line_span.start && e.line_span.end <= b.span.end);
        }
        // The memo entries' own `<< key>>` are memo placeholders.
        let memo_ph: Vec<_> = lab
            .placeholders
            .iter()
            .filter(|p| p.context == PlaceholderContext::Memo)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(memo_ph, [w.entries[0].0, w.entries[1].0], "{}", w.file);
    }
    // The two-space hard break after a value is not part of the value.
    let text = fixture_text("lf-bold-memo.md");
    let lab = parse_fixture("lf-bold-memo.md");
    let e = &lab.memo_blocks[0].entries[0];
    assert_eq!(&text[e.value_span.end..e.line_span.end], "  ");
    for f in [
        "ref-2-5-network.md",
        "repeated-numbers.md",
        "number-variants.md",
        "no-memo.md",
        "placeholders.md",
        "empty.md",
        "no-h1.md",
    ] {
        assert!(parse_fixture(f).memo_blocks.is_empty(), "{f}");
    }
}

#[test]
fn placeholders_of_placeholders_fixture() {
    let text = fixture_text("placeholders.md");
    let lab = parse_fixture("placeholders.md");
    let expected: Vec<(usize, String)> = readme_blocks("placeholders")
        .into_iter()
        .find(|(f, _)| f == "placeholders.md")
        .expect("README has a placeholders block")
        .1
        .iter()
        .map(|l| {
            let (n, name) = l.split_once('\t').expect("line<TAB>name");
            (n.parse().unwrap(), name.to_string())
        })
        .collect();
    let line_of = |pos: usize| text[..pos].matches('\n').count() + 1;
    let got: Vec<(usize, String)> = lab
        .placeholders
        .iter()
        .map(|p| (line_of(p.span.start), p.name.clone()))
        .collect();
    assert_eq!(got, expected);
    use PlaceholderContext::*;
    let contexts: Vec<_> = lab.placeholders.iter().map(|p| p.context).collect();
    assert_eq!(
        contexts,
        [
            Prose, InlineCode, InlineCode, Table, Table, Table, Table, CodeBlock, CodeBlock,
            CodeBlock, CodeBlock, CodeBlock, CodeBlock, CodeBlock, Prose
        ]
    );
    for p in &lab.placeholders {
        let s = &text[p.span.clone()];
        assert!(s.starts_with("<<") && s.ends_with(">>"), "{s:?}");
        assert_eq!(s[2..s.len() - 2].trim(), p.name);
    }
    // Step ownership.
    let step_ids: Vec<_> = lab
        .placeholders
        .iter()
        .map(|p| p.step.map(|i| lab.steps[i].id.as_str()))
        .collect();
    assert_eq!(step_ids[..7], [Some("1"); 7]);
    assert_eq!(step_ids[7..], [Some("2"); 8]);
    // Embedded in other text: `network-<<gitopsconsole_ID>>-<<YYMMDD>>`.
    let comment = &lab.placeholders[5];
    assert_eq!(
        &text[comment.span.start - 8..comment.span.start],
        "network-"
    );
}

/// (name, context) of each placeholder of `lab`, in order.
fn contexts(lab: &Lab) -> Vec<(&str, PlaceholderContext)> {
    lab.placeholders
        .iter()
        .map(|p| (p.name.as_str(), p.context))
        .collect()
}

#[test]
fn placeholders_in_memo_table_code_and_inline_code() {
    use PlaceholderContext::*;
    let lab = parse_fixture("no-memo.md");
    let got = contexts(&lab);
    assert_eq!(
        got,
        [
            ("생성된 IP", InlineCode),
            ("생성된 IP", CodeBlock),
            ("자신의 git name", Table),
            ("발급 받은 git token", Table),
            ("자신의 git name", CodeBlock),
        ]
    );
    let lab = parse_fixture("ref-2-5-network.md");
    let names: Vec<_> = lab.placeholders.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "gitopsconsole_ID",
            "YYMMDD",
            "발급받은 Access Key",
            "발급받은 AWS Secret Access key",
            "자신의 git repository 주소",
            "자신의 git name",
            "발급 받은 git token",
        ]
    );
    assert!(lab.placeholders.iter().all(|p| p.context == Table));
    let lab = parse_fixture("ref-2-3-github.md");
    let got = contexts(&lab);
    assert_eq!(
        got,
        [
            ("github_username", Memo),
            ("github_token", Memo),
            ("github_username", InlineCode),
            ("github_token", InlineCode),
        ]
    );
    // Memo placeholders sit before the first step.
    assert_eq!(lab.placeholders[0].step, None);
    assert_eq!(
        lab.placeholders[2].step.map(|i| lab.steps[i].id.as_str()),
        Some("1-3")
    );
}

#[test]
fn details_images_and_inputs() {
    let text = fixture_text("ref-2-3-github.md");
    let lab = parse_fixture("ref-2-3-github.md");
    let step = |id: &str| &lab.steps[lab.step_index(id).unwrap()];
    let s = step("1-1");
    assert_eq!(s.details.len(), 1);
    assert_eq!(s.details[0].summary, "😎 [참고 - 펼치기👇] 가입 화면");
    let d = &text[s.details[0].span.clone()];
    assert!(
        d.starts_with("<details>") && d.ends_with("</details>"),
        "{d:?}"
    );
    assert_eq!(s.images.len(), 1);
    assert_eq!(s.images[0].src, "../images/096.png");
    let srcs: Vec<_> = step("1-4").images.iter().map(|i| i.src.as_str()).collect();
    assert_eq!(
        srcs,
        [
            "../images/099.png",
            "../images/100.png",
            "../images/101.png",
            "../images/102.png",
            "../images/104.png"
        ]
    );
    for st in &lab.steps {
        for im in &st.images {
            assert_eq!(&text[im.span.clone()], format!("![]({})", im.src));
            assert!(st.body_span.start <= im.span.start && im.span.end <= st.body_span.end);
        }
    }
    let inputs = &step("2-2").inputs;
    let rows: Vec<_> = inputs
        .iter()
        .map(|r| (r.field.as_str(), r.value.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("Repository name", "network_pipeline"),
            ("Public/Private", "Private")
        ]
    );
    assert_eq!(inputs[0].rest, ["🧲복사 & 📋붙여넣기"]);
    assert!(text[inputs[0].span.clone()].contains("➕ Repository name"));
    assert!(step("1-4").inputs.is_empty());
    assert!(step("1-4").details.is_empty());

    let text = fixture_text("ref-2-4-access-key.md");
    let lab = parse_fixture("ref-2-4-access-key.md");
    let s4 = &lab.steps[lab.step_index("4").unwrap()];
    assert_eq!(s4.details.len(), 1);
    assert_eq!(s4.details[0].summary, "😎 [참고 - 펼치기👇] 액세스 키 삭제");
    let srcs: Vec<_> = s4.images.iter().map(|i| i.src.as_str()).collect();
    assert_eq!(
        srcs,
        [
            "../images/117.png",
            "../images/118.png",
            "../images/119.png"
        ]
    );
    for im in &s4.images {
        assert!(s4.details[0].span.start < im.span.start && im.span.end < s4.details[0].span.end);
    }
    assert!(text[s4.details[0].span.clone()].contains("Deactivate"));

    let lab = parse_fixture("ref-2-5-network.md");
    let s = &lab.steps[lab.step_index("2-2").unwrap()];
    let fields: Vec<_> = s.inputs.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "Workspace Name",
            "CSP",
            "AWS Access Key ID",
            "AWS Secret Access key",
            "GIT for IaC",
            "User Name for Git",
            "Access Token for Git",
            "Catalog"
        ]
    );
    assert_eq!(s.inputs[0].value, "network-<<gitopsconsole_ID>>-<<YYMMDD>>");
    assert_eq!(s.inputs[2].value, "<<발급받은 Access Key>>");
    assert_eq!(s.inputs[7].value, "aws vpc");
    let s34 = &lab.steps[lab.step_index("3-4").unwrap()];
    assert_eq!(s34.inputs.len(), 2);
    assert_eq!(
        (s34.inputs[1].field.as_str(), s34.inputs[1].value.as_str()),
        ("Source", "vpc_1")
    );
}

#[test]
fn step_spans_cover_the_file() {
    for f in all_fixtures() {
        let text = fixture_text(&f);
        let lab = parse_fixture(&f);
        for (i, s) in lab.steps.iter().enumerate() {
            assert_eq!(s.span.end, s.body_span.start, "{f}");
            assert_eq!(s.section_span.start, s.span.start, "{f}");
            assert!(s.section_span.end >= s.body_span.end, "{f}");
            let end = lab.steps.get(i + 1).map_or(text.len(), |n| n.span.start);
            assert_eq!(s.body_span.end, end, "{f}");
            let h = &text[s.span.clone()];
            assert!(
                h.starts_with(&"#".repeat(usize::from(s.depth) + 1)),
                "{f}: {h:?}"
            );
            for c in &s.code_blocks {
                assert!(s.body_span.start <= c.span.start && c.span.end <= s.body_span.end);
            }
        }
    }
}

#[test]
fn empty_file() {
    let lab = lab::parse(b"", "empty").unwrap();
    assert_eq!(lab.id, "empty");
    assert_eq!(lab.title, "empty");
    assert!(lab.heading.is_none());
    assert!(lab.title_span.is_none());
    assert!(lab.steps.is_empty());
    assert!(lab.memo_blocks.is_empty());
    assert!(lab.placeholders.is_empty());
    assert_eq!(lab.line_ending, LineEnding::Lf);
    assert_eq!(read_fixture("empty.md").len(), 0);
    // Whitespace-only files too.
    for ws in ["\n", "\r\n", "   \n\n", "\r\n\r\n"] {
        let lab = lab::parse(ws.as_bytes(), "ws").unwrap();
        assert!(lab.steps.is_empty() && lab.heading.is_none(), "{ws:?}");
    }
}

#[test]
fn no_h1_is_known_by_its_stem() {
    let lab = parse_fixture("no-h1.md");
    assert_eq!(lab.id, "no-h1");
    assert_eq!(lab.title, "no-h1");
    assert!(lab.heading.is_none());
    assert_eq!(lab.day, None);
    assert_eq!(lab.steps.len(), 4);
    // An H1 without the `N일차 - Lab M.` part: id = stem, title = the heading.
    let lab = lab::parse("# 소개\n\n## 1. a\n".as_bytes(), "intro").unwrap();
    assert_eq!(lab.id, "intro");
    assert_eq!(lab.title, "소개");
    assert_eq!(lab.heading.as_deref(), Some("소개"));
}

#[test]
fn invalid_utf8_reports_the_byte_offset() {
    let mut bytes = read_fixture("ref-2-4-access-key.md");
    let text = fixture_text("ref-2-4-access-key.md");
    // Break the first byte of `저장` (a 3-byte character) in the last heading.
    let at = text.find("## ✔ 5. 저장").unwrap() + "## ✔ 5. ".len();
    bytes[at] = 0xff;
    let line = text[..at].matches('\n').count() + 1;
    let err = lab::parse(&bytes, "bad").unwrap_err();
    assert_eq!(err, ParseError::InvalidUtf8 { offset: at, line });
    let msg = err.to_string();
    assert!(msg.contains(&at.to_string()), "{msg}");
    assert!(msg.contains(&format!("line {line}")), "{msg}");

    // A truncated multi-byte character at the end of the file.
    let mut bytes = "# t\n\n## 1. 한".as_bytes().to_vec();
    bytes.pop();
    let n = bytes.len();
    assert_eq!(
        lab::parse(&bytes, "x").unwrap_err(),
        ParseError::InvalidUtf8 {
            offset: n - 2,
            line: 3
        }
    );
    // At offset 0.
    assert_eq!(
        lab::parse(b"\xfe\xff# t", "x").unwrap_err(),
        ParseError::InvalidUtf8 { offset: 0, line: 1 }
    );
    // A UTF-16 file (BOM) is not UTF-8.
    assert!(matches!(
        lab::parse(b"\xff\xfe#\x00 \x00", "x"),
        Err(ParseError::InvalidUtf8 { offset: 0, .. })
    ));
}

#[test]
fn utf8_bom_is_tolerated() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(&read_fixture("ref-2-4-access-key.md"));
    let lab = lab::parse(&bytes, "bom").unwrap();
    assert_eq!(lab.steps.len(), 5);
}

/// A generated lab of about `target` bytes: many sections with steps, code, tables, memo
/// entries and placeholders, CRLF.
fn big_lab(target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    s.push_str("# 9일차 - Lab 9. 아주 큰 실습\r\n\r\n---\r\n\r\n> **📌 [실습 중 메모사항]**\r\n>\r\n> ➕ _<< AWS Access Key ID>>_ :  \r\n>  ➕ _<< AWS Secret Access key>>_ :\r\n\r\n");
    let mut k = 0usize;
    while s.len() < target {
        k += 1;
        // Numbers have at most three digits per group, so they repeat here: every id must
        // still be unique.
        let n = (k - 1) % 999 + 1;
        s.push_str(&format!("## 🔴 {n}. 섹션 {k}\r\n\r\n"));
        for j in 1..=3 {
            s.push_str(&format!(
                "### ✔ {n}-{j}. 단계 `code-{j}` 제목\r\n\r\n- 설명 <<생성된 IP>> 와 `<<YYMMDD>>`<br>\r\n  둘째 줄 &nbsp; 😎\r\n\r\n> | 항목 | 내용 | 액션 |\r\n> | --- | --- | --- |\r\n> | ➕ Name | `net-<<YYMMDD>>` | 🧲복사 |\r\n\r\n```bash\r\ncat << EOF > f.yaml\r\n## not a step\r\nssh ec2-user@<<생성된 IP>>\r\nEOF\r\n```\r\n\r\n![](../images/{k:03}.png)\r\n\r\n<details>\r\n<summary> 참고 {k}</summary>\r\n\r\n- 숨김\r\n\r\n</details>\r\n\r\n"
            ));
        }
    }
    // End inside an unclosed fence.
    s.push_str("## 끝\r\n\r\n```bash\r\necho 끝\r\n");
    s
}

#[test]
fn large_lab_parses() {
    // 50 MB parses in about 7 s in a debug build (it took minutes while placeholder
    // contexts were found by a linear scan of every code block and table).
    let target = 50 * 1024 * 1024;
    let text = big_lab(target);
    let t = std::time::Instant::now();
    let lab = lab::parse(text.as_bytes(), "big").unwrap();
    let took = t.elapsed();
    eprintln!("parsed {} bytes in {took:?}", text.len());
    assert_eq!(lab.id, "9-9");
    let sections = lab.steps.iter().filter(|s| s.depth == 1).count() - 1;
    assert!(sections > 10_000, "{sections}");
    assert!(lab
        .steps
        .iter()
        .all(|s| s.number.is_some() || s.title == "끝"));
    assert_eq!(lab.steps[4 * 999].id, "1.2");
    // 3 steps per section + the section itself, + the final `끝`.
    assert_eq!(lab.steps.len(), sections * 4 + 1);
    assert!(lab.steps.iter().all(|s| !s.title.contains("not a step")));
    let last = lab.steps.last().unwrap();
    assert_eq!(last.title, "끝");
    assert!(!last.code_blocks[0].closed);
    assert_eq!(lab.memo_blocks.len(), 1);
    // 2 in the memo block + 4 per step (prose, inline code, table, code block).
    assert_eq!(lab.placeholders.len(), 2 + sections * 3 * 4);
    let ids: HashSet<_> = lab.steps.iter().map(|s| &s.id).collect();
    assert_eq!(ids.len(), lab.steps.len());
    // Generous for a loaded debug build; a quadratic parser takes hours here.
    assert!(took.as_secs() < 120, "parsing 50 MB took {took:?}");
}
