//! Issue 20, "nothing breaks a value": `show` of `tests/fixtures/layout/long-values.md` (lab
//! 9-7, its values noted) in tmux panes 60, 80 and 120 columns wide. What tmux shows, line by
//! line as the student sees it (soft wraps not joined), holds each value that fits the pane
//! whole on one line: the renderer folds prose, code lines and tables itself, at spaces, so
//! the terminal never continues a value at column 0. The captures are printed (`--nocapture`)
//! to be looked at.

use crate::course::{fixture_path, Course};
use crate::tmux::Pane;

pub const CERT_ARN: &str =
    "arn:aws:acm:ap-northeast-2:123456789012:certificate/3f2a9c1e-7b4d-4e2a-9c1e-7b4d4e2a9c1e";
pub const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/eks-node-role";
pub const CLUSTER_URL: &str =
    "https://3F2A9C1E7B4D4E2A9C1E7B4D4E2A9C1E.gr7.ap-northeast-2.eks.amazonaws.com";

/// 1,800 characters of base64 (a CA-data-like value), one word.
pub fn ca_data() -> String {
    "LS0tLS1CRUdJTi".repeat(129)[..1800].to_string()
}

/// The fixture with its memo entries noted (written into the memo block as `memo set` would).
pub fn lab_text() -> String {
    let md = std::fs::read_to_string(fixture_path("layout/long-values.md")).unwrap();
    md.replace(
        "<< 인증서 ARN>>_ :",
        &format!("<< 인증서 ARN>>_ : {CERT_ARN}"),
    )
    .replace(
        "<< 노드 역할 ARN>>_ :",
        &format!("<< 노드 역할 ARN>>_ : {ROLE_ARN}"),
    )
    .replace(
        "<< Cluster URL>>_ :",
        &format!("<< Cluster URL>>_ : {CLUSTER_URL}"),
    )
    .replace(
        "<< gitopsconsole_ID>>_ :",
        "<< gitopsconsole_ID>>_ : student07",
    )
    .replace(
        "<< certificate-authority-data>>_ :",
        &format!("<< certificate-authority-data>>_ : {}", ca_data()),
    )
}

/// A course holding lab 9-7 in `day9/`, its values noted.
pub fn course() -> Course {
    let c = Course::empty();
    std::fs::create_dir_all(c.course.join("day9")).unwrap();
    std::fs::create_dir_all(c.course.join("images")).unwrap();
    std::fs::write(c.course.join("day9/long-values.md"), lab_text()).unwrap();
    c
}

#[test]
fn show_keeps_every_value_whole_in_60_80_and_120_columns() {
    let c = course();
    let today = c.ok(&["show", "9-7", "--fill"]).stdout;
    let yymmdd = today
        .split("network-student07-")
        .nth(1)
        .map(|s| s[..6].to_string())
        .expect("network-student07-YYMMDD is shown");
    let network = format!("network-student07-{yymmdd}");
    for cols in [60, 80, 120] {
        let pane = Pane::start_sized(
            &c,
            &format!("show{cols}"),
            &["show", "9-7", "--fill"],
            "",
            cols,
        );
        assert_eq!(pane.wait_exit(), "0");
        // As the student sees it: every screen line, soft wraps not joined.
        let seen = pane.tmux(&["capture-pane", "-p", "-t", "p", "-S", "-", "-E", "-"]);
        eprintln!("──── show 9-7 in {cols} columns ────\n{seen}");
        let values = [
            CERT_ARN,
            ROLE_ARN,
            CLUSTER_URL,
            network.as_str(),
            "vpc-0a1b2c3d4e5f67890",
            "subnet-0123456789abcdef0",
            "../images/977-certificate-status-check.png",
            "👆🏻라디오버튼",
            "https://docs.aws.amazon.com/acm/latest/userguide/gs-acm-describe.html",
        ];
        for v in values {
            // A value with room on a line (its frame or bullet in front) is whole on one.
            if v.chars().count() + 6 <= cols {
                assert!(
                    seen.lines().any(|l| l.contains(v)),
                    "{v} is broken across screen lines at {cols} columns:\n{seen}"
                );
            }
        }
        // Longer ones overflow on a line of their own: whole once soft wraps are joined.
        let joined = pane.text();
        for v in [CERT_ARN, CLUSTER_URL, ca_data().as_str()] {
            assert!(
                joined
                    .lines()
                    .any(|l| l.trim_start_matches(['│', '┆', '▌', ' ']) == v
                        || l.contains(&format!(" {v}"))),
                "{} is not whole at {cols} columns:\n{joined}",
                &v[..20]
            );
        }
        // The long table is told as label: value lines; the frame of a long code line
        // goes on under its dotted bar, never at column 0.
        assert!(seen.contains("▌ • 항목: ➕ 인증서"), "{seen}");
        assert!(
            joined.lines().any(|l| l.contains(CERT_ARN)
                && (l.starts_with("┆   arn:") || l.starts_with("│ aws acm describe-certificate"))),
            "{seen}"
        );
        assert!(!seen.lines().any(|l| l.starts_with("4d-4e2a")), "{seen}");
        // No table row spills to column 0 (`👆🏻` is as wide as tmux draws it).
        for row in joined.lines().filter(|l| l.contains(" │ ")) {
            assert!(
                seen.lines().any(|l| l == row),
                "{row:?} spills at {cols} columns:\n{seen}"
            );
        }
    }
}

/// The number `c`'s list gives the line holding `needle`.
fn number_of(list: &str, needle: &str) -> String {
    let line = list
        .lines()
        .rev()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} is not listed:\n{list}"));
    line.trim_start()
        .split('.')
        .next()
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn walk_c_copies_a_filled_cell_line_and_block_as_they_will_be_pasted() {
    let c = course();
    c.init();
    let roles = "- rolearn: arn:aws:iam::123456789012:role/eks-node-role\n  username: system:node:{{EC2PrivateDNSName}}";
    c.memo_set_on_stdin("9-7", "aws_auth_roles", roles);
    c.ok(&["done", "9-7", "1"]);
    c.ok(&["done", "9-7", "2"]);
    let pane = Pane::start(&c, "paste", &["walk", "9-7"], "set -g set-clipboard on");
    pane.nth(1, "[c]opy");
    pane.send("c");
    let list = pane.nth(1, "copy which?");
    eprintln!("{list}");
    // A filled line of the kubeconfig block, the whole block, each as pasted.
    let n = number_of(&list, "line, filled:    name: network-student07-");
    pane.send(&n);
    pane.nth(1, "copied «line, filled:»");
    let buf = pane.tmux(&["show-buffer"]);
    assert!(
        buf.starts_with("  name: network-student07-") && !buf.contains("<<"),
        "{buf:?}"
    );
    pane.send("c");
    let list = pane.nth(2, "copy which?");
    let n = number_of(&list, "whole block, filled:  data:");
    pane.send(&n);
    pane.nth(1, "copied «whole block, filled:»");
    assert_eq!(
        pane.tmux(&["show-buffer"]),
        format!("data:\n  mapRoles: |\n{roles}\n")
    );
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");
    // Step 2's table: the cell `network-<<gitopsconsole_ID>>-<<YYMMDD>>` whole.
    c.ok(&["undo", "9-7", "2"]);
    let pane = Pane::start(&c, "cell", &["walk", "9-7"], "set -g set-clipboard on");
    pane.nth(1, "[c]opy");
    pane.send("c");
    let list = pane.nth(1, "copy which?");
    let n = number_of(&list, "table cell, filled:  network-student07-");
    pane.send(&n);
    pane.nth(1, "copied «table cell, filled:»");
    let buf = pane.tmux(&["show-buffer"]);
    assert!(
        buf.starts_with("network-student07-") && buf.len() == "network-student07-".len() + 6,
        "{buf:?}"
    );
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");
}
