//! Issue 23 on a real terminal (tmux): `walk`'s `m` at the note point of lab 4-1 offers what
//! the value's source gives first — the running instance's address read from EC2 (moto),
//! with its Name tag — and the number picked is noted, with its provenance.

use crate::sources::{course_with_sources, github_stand_in, setup_moto};
use crate::tmux::Pane;

#[test]
fn walks_m_offers_the_sources_candidate_first() {
    let region = "eu-north-1";
    let m = setup_moto(region, 1);
    let (github, _) = github_stand_in();
    let c = course_with_sources(region, &github);
    c.init();
    let p = Pane::start(&c, "walk-sources", &["walk", "4-1"], "");
    p.nth(1, "[q]uit >");
    p.send("m");
    let menu = p.nth(1, "which entry?");
    // The step's own value is offered first.
    let first = menu
        .lines()
        .find(|l| l.trim_start().starts_with("1. "))
        .unwrap_or_else(|| panic!("no menu:\n{menu}"));
    assert!(first.contains("Public IP"), "{menu}");
    p.send("1");
    let offered = p.nth(1, "type it yourself");
    let ip = m["public_ip"].as_str().unwrap();
    assert!(
        offered.contains(&format!("read from AWS (ec2, {region}):")),
        "{offered}"
    );
    let line = offered
        .lines()
        .find(|l| l.contains(ip))
        .unwrap_or_else(|| panic!("{ip} not offered:\n{offered}"));
    assert!(line.contains("1)") && line.contains("web-server"), "{line}");
    p.send("1");
    p.nth(2, "[q]uit >");
    assert_eq!(c.memo_get("4-1", "메모한 Public IP"), ip);
    let fetched = c.events("fetched");
    assert_eq!(fetched.len(), 1, "{fetched:?}");
    assert_eq!(fetched[0]["details"]["source"], "ec2");
    p.send("q");
}
