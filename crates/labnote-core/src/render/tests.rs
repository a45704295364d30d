use std::path::Path;

use secrecy::SecretString;

use super::*;
use crate::view::{self, Files};

/// How a test renders: everything but the lab.
struct T {
    theme: Box<dyn Theme>,
    width: Option<usize>,
    raw: bool,
    details_open: bool,
    hints: Hints,
}

impl Default for T {
    fn default() -> T {
        T {
            theme: Box::new(Plain),
            width: None,
            raw: false,
            details_open: false,
            hints: Hints::Command,
        }
    }
}

fn value_of(name: &str) -> FillValue {
    match name {
        "secret key" | "db_password" => FillValue::Secret(None),
        "revealed" => FillValue::Secret(Some(SecretString::from("s3cr3t"))),
        "unknown" => FillValue::Missing { suggestion: None },
        n => FillValue::Plain(format!("[{n}]")),
    }
}

fn resolve(name: &str) -> Fill {
    Fill {
        name: name.to_string(),
        value: value_of(name),
        source: None,
    }
}

/// `md` (a whole lab, or a piece given a title) rendered as `set` changes the defaults.
fn render_as(md: &str, set: impl FnOnce(&mut T)) -> String {
    let mut t = T::default();
    set(&mut t);
    let md = if md.starts_with("# ") {
        md.to_string()
    } else {
        format!("# 1일차 - Lab 1. 시험\n\n## 1. 단계\n\n{md}")
    };
    let lab = crate::lab::parse(md.as_bytes(), "x").unwrap();
    let files = Files {
        lab_dir: Path::new("/c/day1"),
        root: Path::new("/c"),
        exists: &|p: &Path| p.ends_with("images/1.png"),
    };
    let pieces = view::lab_view(&lab, &resolve, &files);
    let memo = |e: &MemoEntry| match e.key.as_str() {
        "db_password" => FillValue::Secret(None),
        _ if e.value.is_empty() => FillValue::Missing { suggestion: None },
        _ => FillValue::Plain(e.value.clone()),
    };
    let mark = |i: usize| (i == 0).then(|| "[x]".to_string());
    render(
        &pieces,
        &Options {
            theme: t.theme.as_ref(),
            lab: &lab,
            width: t.width,
            raw: t.raw,
            details_open: t.details_open,
            hints: t.hints,
            memo: &memo,
            step_mark: &mark,
        },
    )
}

fn plain(md: &str) -> String {
    render_as(md, |_| {})
}

/// Asserts that `out` holds every one of `want` and none of `never` (the message shows the
/// output as printed and, for its escape sequences, quoted).
#[track_caller]
fn check(out: &str, want: &[&str], never: &[&str]) {
    for w in want {
        assert!(out.contains(w), "{w:?} is not in:\n{out}\n{out:?}");
    }
    for n in never {
        assert!(!out.contains(n), "{n:?} is in:\n{out}\n{out:?}");
    }
}

#[test]
fn lists_code_images_details_tables() {
    let md = "- 하나<br>\n  둘\n\n```bash\necho <<x>>\n```\n\n![](../images/1.png) ![](../images/2.png)\n\n<details>\n<summary> 참고 </summary>\n\n- hidden\n\n</details>\n\n> | 항목 | 내용 |\n> | --- | --- |\n> | ➕ 이름 | `값` |\n";
    check(
        &plain(md),
        &[
            "• 하나\n  둘",
            "┌─ bash · runs\n│ echo [x]\n└─",
            "[image: ../images/1.png] ",
            "[image: ../images/2.png] (missing)",
            "▸ 참고 (folded) · show --details opens it",
            "▌ ➕ 이름 │ 값",
        ],
        &["1.png] (missing)", "hidden", "\x1b"],
    );
}

#[test]
fn walk_hints_name_its_keys_and_details_open_on_request() {
    let md = "<details>\n<summary>😎 [참고] 숨김</summary>\n\n- 숨긴 줄 `<<x>>`\n\n<details><summary>안쪽</summary>\n\n깊은 줄\n\n</details>\n\n</details>\n\n![](../images/1.png)\n\n끝.\n";
    check(
        &render_as(md, |t| t.hints = Hints::Walk),
        &[
            "▸ 😎 [참고] 숨김 (folded) · e opens it",
            "[image: ../images/1.png] (o opens it)",
            // The nested <details> closes inside the folded one: the text after both shows.
            "끝.",
        ],
        &["깊은 줄", "숨긴 줄"],
    );
    check(
        &render_as(md, |t| t.details_open = true),
        &["▾ 😎 [참고] 숨김", "• 숨긴 줄 `[x]`", "▾ 안쪽", "깊은 줄"],
        &["folded"],
    );
}

#[test]
fn links_show_where_they_go() {
    let md = "🔗[EC2 서비스로 이동한다](https://console.aws.amazon.com/ec2/) 와 <https://x.io/a> 와 [다음 실습](lab2.md) 와 [위로](#top) 와 [서버](http://<<server_ip>>:8080)\n";
    check(
        &plain(md),
        &[
            "🔗EC2 서비스로 이동한다 (https://console.aws.amazon.com/ec2/)",
            "와 https://x.io/a 와",
            "다음 실습 (lab2.md)",
            "와 위로 와",
            "서버 (http://[server_ip]:8080)",
        ],
        &[],
    );
    check(
        &render_as(md, |t| t.theme = pick(false, true)),
        &[
            "\x1b]8;;https://console.aws.amazon.com/ec2/\x1b\\EC2 서비스로 이동한다\x1b]8;;\x1b\\ \
             \x1b]8;;https://console.aws.amazon.com/ec2/\x1b\\(https://console.aws.amazon.com/ec2/)\x1b]8;;\x1b\\",
            // A relative path is not a link a terminal opens: text form.
            "다음 실습 (lab2.md)",
        ],
        &[],
    );
}

#[test]
fn done_like_markers_are_dropped_and_labnote_marks_shown() {
    let md = "# 1일차 - Lab 1. 시험\n\n## ✔ 1. 하나\n\n가\n\n## ✅ 2. 둘\n\n나\n\n### 🔴 2-1. 셋\n\n다\n\n## ☑ `code` 제목\n\n라\n";
    check(
        &plain(md),
        &[
            "[x] 1. 하나\n",
            "\n2. 둘\n",
            "\n🔴 2-1. 셋\n",
            "\n`code` 제목\n",
        ],
        &["✔", "✅", "☑"],
    );
}

#[test]
fn raw_blocks_have_no_border_and_values_are_never_cut() {
    let long = "A".repeat(300);
    let md = format!(
        "- 목록 안의 블록\n\n  ```bash\n  echo {long}\n  cat <<EOF > f\n    들여쓴 줄\n  EOF\n  ```\n\n| 항목 | 내용 | 액션 |\n|---|---|---|\n| ➕ 인증서 | {long} | 🧲복사 & 📋붙여넣기 |\n"
    );
    let raw = render_as(&md, |t| {
        t.raw = true;
        t.width = Some(60);
    });
    check(
        &raw,
        &[
            &format!("\necho {long}\ncat <<EOF > f\n  들여쓴 줄\nEOF\n"),
            &format!("\n➕ 인증서 │ {long} │ 🧲복사 & 📋붙여넣기\n"),
        ],
        &["┌", "└", "…", "│ echo"],
    );
    // Not raw, in 60 columns: the table does not fit, so it is told as label: value lines;
    // every character of the value is kept, whole on one line (it alone is wider than the
    // terminal); every other line fits.
    let out = render_as(&md, |t| t.width = Some(60));
    let after_code = out.rsplit("└─").next().unwrap();
    for l in after_code.lines() {
        assert!(
            width(l) <= 60 || l.trim() == long,
            "{l:?} is {} wide",
            width(l)
        );
    }
    assert!(after_code.lines().any(|l| l.trim() == long), "{out}");
    // The action column's words are not broken either.
    check(
        &out,
        &["• 항목: ➕ 인증서\n", "  액션: 🧲복사 & 📋붙여넣기\n"],
        &["…"],
    );
}

#[test]
fn placeholders_are_filled_where_the_scanner_finds_them() {
    // The issue-10 step: prose and code filled, the heredoc operator left alone.
    let md = "- 버킷 `<<bucket_name>>` 과 서버 <<생성된 IP>> 를 쓴다.\n```bash\necho ssh <<생성된 IP>> >> a.txt\ncat <<EOF >> b.txt\nplain\nEOF\n```\n\n비밀 <<secret key>> 와 <<revealed>> 와 <<unknown>>\n\n| a | b |\n|---|---|\n| k | <<v>> |\n\n![](img/<<v>>.png)\n";
    check(
        &plain(md),
        &[
            "• 버킷 `[bucket_name]` 과 서버 [생성된 IP] 를 쓴다.",
            "│ echo ssh [생성된 IP] >> a.txt",
            "│ cat <<EOF >> b.txt",
            "비밀 •••• 와 s3cr3t 와 <<unknown>>",
            "k │ [v]",
            "[image: img/[v].png]",
        ],
        &[],
    );
}

#[test]
fn the_memo_block_shows_its_values_masked_as_the_caller_says() {
    let md = "# 1일차 - Lab 1. 시험\n\n> **📌 [메모사항]**\n>\n> ➕ _<< user>>_ : octocat  \n>  ➕ _<< db_password>>_ : hunter2\n>  ➕ _<< empty>>_ :\n\n## 1. 단계\n\n가\n";
    check(
        &plain(md),
        &[
            "▌ 📌 [메모사항]\n▌ ➕ user : octocat\n",
            "▌ ➕ db_password : ••••\n",
            "▌ ➕ empty :\n",
        ],
        &["hunter2"],
    );
}

#[test]
fn colour_lives_in_the_theme_and_a_lab_cannot_send_escapes() {
    let md =
        "**굵게** 와 `코드` 와 \u{1b}[31m빨강\u{7}\n\n```bash\necho \u{1b}]0;title\u{7}\n```\n";
    check(
        &plain(md),
        &["굵게 와 `코드` 와 [31m빨강"],
        &["\x1b", "\x07"],
    );
    check(
        &render_as(md, |t| t.theme = pick(true, false)),
        &["\x1b[1m굵게\x1b[0m", "\x1b[36m코드\x1b[0m"],
        // The lab's own ESC is gone; only the theme's remain.
        &["\x1b]0;"],
    );
}

#[test]
fn each_block_is_labelled_with_what_run_does_with_it() {
    let md = "- 결과 예시\n\n```bash\nstudent:~/environment $ kubectl get ns\nNAME     STATUS\n<<x>>\n```\n\n- [참고] 이렇게도 된다.\n\n```bash\nls -al\n```\n\n```yaml\na: 1\n```\n\n```bash\nkubectl get ns\n```\n";
    check(
        &plain(md),
        &[
            "┌─ bash · example output (not run)\n│ student:~/environment $ kubectl get ns\n│ NAME     STATUS\n│ [x]\n└─",
            "┌─ bash · 참고: asked before it runs\n│ ls -al\n└─",
            "┌─ yaml · not a shell block\n│ a: 1\n└─",
            "┌─ bash · runs\n│ kubectl get ns\n└─",
        ],
        &[],
    );
    // In colour: the example's lines dim one by one (a filled value keeps its own look),
    // the class word coloured, the frame dim.
    check(
        &render_as(md, |t| t.theme = pick(true, false)),
        &[
            "\x1b[2m│ \x1b[0m\x1b[2mNAME     STATUS\x1b[0m\n",
            "\x1b[2m│ \x1b[0m\x1b[32m[x]\x1b[0m\n",
            "\x1b[2m┌─ bash · \x1b[0m\x1b[32mruns\x1b[0m\n",
            "\x1b[2m┌─ bash · \x1b[0m\x1b[33m참고: asked before it runs\x1b[0m\n",
            "\x1b[2mexample output (not run)\x1b[0m",
            "\x1b[2m│ \x1b[0mkubectl get ns\n",
        ],
        &[],
    );
    // Raw: a one-line shell comment before each block, then exactly its lines.
    check(
        &render_as(md, |t| t.raw = true),
        &[
            "\n# bash · example output (not run)\nstudent:~/environment $ kubectl get ns\nNAME     STATUS\n[x]\n\n",
            "\n# yaml · not a shell block\na: 1\n",
            "\n# bash · runs\nkubectl get ns\n",
        ],
        &[],
    );
}

#[test]
fn a_block_outside_every_step_says_so() {
    let md = "# 1일차 - Lab 1. 시험\n\n```bash\necho 준비\n```\n\n## 1. 단계\n\n가\n";
    check(
        &plain(md),
        &["┌─ bash · outside every step (not run)\n│ echo 준비\n└─"],
        &[],
    );
}

#[test]
fn wrap_breaks_at_spaces_then_inside_words() {
    assert_eq!(wrap("ab cd ef", 5), ["ab cd", "ef"]);
    assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
    assert_eq!(wrap("한국어입니다", 4), ["한국", "어입", "니다"]);
    assert_eq!(wrap("a\nb", 10), ["a", "b"]);
}

#[test]
fn width_pad_truncate() {
    assert_eq!(width("한글ab"), 6);
    assert_eq!(pad("한", 4), "한  ");
    assert_eq!(truncate("한국어입니다", 7), "한국어…");
}

/// The fit before it was one pass: the widest column that may narrow loses one column, again
/// and again, in the rounds of [`fit_floors`]. [`fit`] must give the same widths.
fn fit_by_one(widths: &mut [usize], words: &[usize], room: usize) {
    for floors in fit_floors(words) {
        while widths.iter().sum::<usize>() > room {
            let widest = widths
                .iter()
                .enumerate()
                .filter(|&(i, &w)| floors[i].is_some_and(|f| w > f))
                .max_by_key(|&(_, &w)| w)
                .map(|(i, _)| i);
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
    }
}

#[test]
fn fit_in_one_pass_gives_the_widths_of_the_column_by_column_fit() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m) as usize
    };
    for _ in 0..3000 {
        let n = 1 + next(7);
        let widths: Vec<usize> = (0..n).map(|_| 1 + next(60)).collect();
        let words: Vec<usize> = widths.iter().map(|&w| 1 + next(w as u64)).collect();
        let room = next(widths.iter().sum::<usize>() as u64 + 10);
        let (mut a, mut b) = (widths.clone(), widths.clone());
        fit(&mut a, &words, room);
        fit_by_one(&mut b, &words, room);
        assert_eq!(a, b, "widths {widths:?} words {words:?} room {room}");
    }
}

#[test]
fn a_table_of_1200_columns_fits_at_once() {
    let cols = 1200;
    let head: Vec<String> = (0..cols).map(|i| format!("h{i}")).collect();
    let row: Vec<String> = (0..cols)
        .map(|i| format!("value-{i}-{}", "x".repeat(i % 40)))
        .collect();
    let sep = vec!["---"; cols];
    let md = format!(
        "## 1. t\n\n| {} |\n| {} |\n| {} |\n",
        head.join(" | "),
        sep.join(" | "),
        row.join(" | ")
    );
    // The fit itself (the column-by-column one took 15 s here).
    let mut widths: Vec<usize> = (0..cols).map(|i| 8 + i % 40).collect();
    let words = vec![8; cols];
    let started = std::time::Instant::now();
    fit(&mut widths, &words, 100);
    let took = started.elapsed();
    assert!(widths.iter().all(|&w| w == 8), "{widths:?}");
    assert!(
        took < std::time::Duration::from_millis(200),
        "fit took {took:?}"
    );
    // The whole table, in a debug build on a shared machine: well under a second.
    let started = std::time::Instant::now();
    let out = render_as(&md, |t| t.width = Some(100));
    let took = started.elapsed();
    eprintln!("1200 columns rendered in {took:?}");
    assert!(out.contains("h1199"), "the last column is shown");
    assert!(
        took < std::time::Duration::from_secs(2),
        "1200 columns took {took:?}"
    );
}

/// A lab of ours in the course's style (tests/fixtures/layout): Korean prose, emoji, tables
/// with `👆🏻라디오버튼`-like cells, ARNs, a long URL, filled lines in code blocks.
const LONG_VALUES: &str = include_str!("../../../../tests/fixtures/layout/long-values.md");
const CERT_ARN: &str =
    "arn:aws:acm:ap-northeast-2:123456789012:certificate/3f2a9c1e-7b4d-4e2a-9c1e-7b4d4e2a9c1e";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/eks-node-role";
const CLUSTER_URL: &str =
    "https://3F2A9C1E7B4D4E2A9C1E7B4D4E2A9C1E.gr7.ap-northeast-2.eks.amazonaws.com";
const DOC_URL: &str = "https://docs.aws.amazon.com/acm/latest/userguide/gs-acm-describe.html?section=certificate-details&lang=ko-KR#describe-certificate-arn-status";

/// The CA data: 1,800 characters of base64, one word.
fn ca_data() -> String {
    "LS0tLS1CRUdJTi".repeat(129)[..1800].to_string()
}

/// [`LONG_VALUES`] rendered `width` columns wide, its values noted.
fn long_values(width: usize, theme: Box<dyn Theme>) -> String {
    let lab = crate::lab::parse(LONG_VALUES.as_bytes(), "x").unwrap();
    let ca = ca_data();
    let fill = |name: &str| Fill {
        name: name.to_string(),
        value: FillValue::Plain(
            match name {
                "인증서 ARN" => CERT_ARN,
                "노드 역할 ARN" => ROLE_ARN,
                "Cluster URL" => CLUSTER_URL,
                "gitopsconsole_ID" => "student07",
                "YYMMDD" => "261207",
                "certificate-authority-data" => &ca,
                _ => "?",
            }
            .to_string(),
        ),
        source: None,
    };
    let files = Files {
        lab_dir: Path::new("/c/day9"),
        root: Path::new("/c"),
        exists: &|_: &Path| true,
    };
    let pieces = view::lab_view(&lab, &fill, &files);
    let memo = |e: &MemoEntry| FillValue::Plain(e.value.clone());
    render(
        &pieces,
        &Options {
            theme: theme.as_ref(),
            lab: &lab,
            width: Some(width),
            raw: false,
            details_open: false,
            hints: Hints::Walk,
            memo: &memo,
            step_mark: &|_| None,
        },
    )
}

/// The values of [`LONG_VALUES`] a student selects on screen: each must stand whole on one
/// line.
fn values() -> Vec<String> {
    vec![
        CERT_ARN.to_string(),
        ROLE_ARN.to_string(),
        CLUSTER_URL.to_string(),
        DOC_URL.to_string(),
        ca_data(),
        "network-student07-261207".to_string(),
        "vpc-0a1b2c3d4e5f67890".to_string(),
        "subnet-0123456789abcdef0".to_string(),
        "../images/977-certificate-status-check.png".to_string(),
        "👆🏻라디오버튼".to_string(),
    ]
}

/// Every value of [`values`] whole on one line of `out`, and no line wider than `w` but one
/// that holds, after its frame and bullet, a single word that alone is wider.
#[track_caller]
fn check_layout(out: &str, w: usize) {
    for v in values() {
        assert!(
            out.lines().any(|l| l.contains(&v)),
            "{v} is broken at {w} columns:\n{out}"
        );
    }
    for l in out.lines() {
        if width(l) <= w {
            continue;
        }
        let word = l.trim_start_matches(['│', '┆', '▌', '•', ' ']);
        assert!(
            !word.contains(' ') && values().iter().any(|v| word.contains(v.as_str())),
            "{l:?} is {} columns, wider than {w}, and not a value alone:\n{out}",
            width(l)
        );
    }
}

#[test]
fn nothing_breaks_a_value_at_60_80_and_120_columns() {
    for w in [60, 80, 120] {
        let out = long_values(w, Box::new(Plain));
        eprintln!("── {w} columns ──\n{out}");
        check_layout(&out, w);
        // A long code line goes on under the dotted bar, inside its frame; never at column 0.
        assert!(
            out.lines()
                .any(|l| l.starts_with("│ aws acm describe-certificate")),
            "{out}"
        );
        assert!(out.lines().any(|l| l.starts_with("┆ ")), "{out}");
        // The table of long values is told as label: value lines; the small one stays a
        // table at every width.
        assert!(out.contains("• 항목: ➕ 인증서\n"), "{out}");
        assert!(out.contains("  액션: 👆🏻라디오버튼 선택\n"), "{out}");
        assert!(
            out.contains("VPC    │ vpc-0a1b2c3d4e5f67890    │ 👆🏻라디오버튼\n"),
            "{out}"
        );
        // Prose is folded at spaces inside the width, the image line whole.
        assert!(out.contains("[image: ../images/977-certificate-status-check.png]"));
    }
    // In colour the looks are closed at each break and opened again: every line ends with
    // no look open, and the values are still whole.
    for w in [60, 80, 120] {
        let out = long_values(w, pick(true, true));
        for l in out.lines() {
            let (sgr, link) = looks_at(l, l.len());
            assert!(
                sgr.is_empty() && link.is_none(),
                "a look stays open at the end of {l:?}"
            );
        }
        for v in [CERT_ARN, ROLE_ARN, CLUSTER_URL, "network-student07-261207"] {
            assert!(out.lines().any(|l| l.contains(v)), "{v} broken:\n{out}");
        }
    }
}

#[test]
fn fold_breaks_at_spaces_only_and_keeps_looks_per_line() {
    assert_eq!(fold("ab cd ef", 5, 5), ["ab cd", "ef"]);
    // A word longer than the line stands alone, whole.
    assert_eq!(
        fold("값은 arn:aws:iam::123456789012:role/x 입니다", 10, 10),
        ["값은", "arn:aws:iam::123456789012:role/x", "입니다"]
    );
    assert_eq!(fold("가나 다라", 4, 4), ["가나", "다라"]);
    // A look open across a break closes before it and opens again after.
    assert_eq!(
        fold("\x1b[1mab cd\x1b[0m ef", 3, 5),
        ["\x1b[1mab\x1b[0m", "\x1b[1mcd\x1b[0m ef"]
    );
    let link = "\x1b]8;;https://x.io\x1b\\ab cd\x1b]8;;\x1b\\";
    assert_eq!(
        fold(link, 2, 2),
        [
            "\x1b]8;;https://x.io\x1b\\ab\x1b]8;;\x1b\\",
            "\x1b]8;;https://x.io\x1b\\cd\x1b]8;;\x1b\\"
        ]
    );
}

#[test]
fn emoji_and_wide_characters_count_as_wide_as_a_terminal_draws_them() {
    for e in ["✔️", "📝", "✍️", "🧲", "가"] {
        assert_eq!(width(e), 2, "{e}");
    }
    // tmux 3.3 draws an emoji and its skin tone side by side: four columns.
    assert_eq!(width("👆🏻"), 4);
    assert_eq!(width("👆🏻라디오버튼"), 14);
    assert_eq!(width("✔"), 1);
}

#[test]
fn a_paragraph_of_a_million_characters_folds_at_once() {
    let words: Vec<String> = (0..100_000).map(|i| format!("w{i:06}")).collect();
    let line = format!("\x1b[1m{}\x1b[0m", words.join(" "));
    let started = std::time::Instant::now();
    let lines = fold(&line, 60, 60);
    let took = started.elapsed();
    assert!(lines.len() > 10_000, "{}", lines.len());
    assert!(lines.iter().all(|l| width(l) <= 60));
    assert!(
        took < std::time::Duration::from_secs(2),
        "fold took {took:?}"
    );
}
