//! Issue 23 in a real browser: the note forms of our lab 4-1 offer what the value's source
//! gives. The Public IP's form reads EC2 (moto) on the click and notes the one instance's
//! address; the memo entry `Elastic IP Allocation ID 2` lists both Elastic IPs with their
//! Name tags, and the one picked is noted (read again on the server). The memo panel then
//! says where the value came from. Screenshots in `target/test-artifacts/`.

use std::time::Duration;

use serde_json::json;

use super::sources::{course_with_sources, eip_allocation as eip, github_stand_in, setup_moto};
use super::web_browser::{wait_until, Browser};
use super::web_http::Server;

/// The value noted under `key` in lab `lab`, if any (no panic: polled while the page works).
fn noted(c: &crate::course::Course, lab: &str, key: &str) -> Option<String> {
    let r = c.run(&["memo", "get", key, "--lab", lab]);
    (r.code == 0).then(|| r.stdout.trim_end_matches('\n').to_string())
}

#[test]
fn the_note_forms_offer_the_sources_candidates_and_note_the_one_picked() {
    let region = "us-west-1";
    let m = setup_moto(region, 1);
    let (github, _) = github_stand_in();
    let c = course_with_sources(region, &github);
    c.init();
    let s = Server::start(&c, &[]);
    let b = Browser::start_lang("en-US");
    b.go(&format!("http://{}/lab/4-1?token={}", s.addr, s.token));
    b.find("main[data-lab=\"4-1\"]");

    // The prose note point of the Public IP: its form has the read button, labelled by
    // service; nothing was read to draw the page.
    let form = "form.note-point[data-names*=\"Public IP\"]";
    b.find(form);
    let read = format!("{form} button[data-source-read]");
    assert_eq!(b.prop(&read, "textContent"), "Read from AWS (ec2)");
    b.click(&read);
    let cand = format!("{form} button[data-source-note]");
    b.find(&cand);
    let label = b.prop(&cand, "textContent");
    let ip = m["public_ip"].as_str().unwrap();
    assert!(label.as_str().unwrap().contains(ip), "{label}");
    assert!(label.as_str().unwrap().contains("web-server"), "{label}");
    b.screenshot("web-source-candidates.png");
    b.click(&cand);
    wait_until("the Public IP noted", Duration::from_secs(10), || {
        noted(&c, "4-1", "메모한 Public IP").as_deref() == Some(ip)
    });

    // The memo entry of the second Elastic IP: both Elastic IPs listed, by Name tag.
    let entry = "form.memo-entry[data-memo-key=\"Elastic IP Allocation ID 2\"]";
    b.find(entry);
    b.click(&format!("{entry} button[data-source-read]"));
    let cands = format!("{entry} button[data-source-note]");
    b.find(&cands);
    let listed = b.js(
        "return Array.from(document.querySelectorAll(arguments[0])).map(function (b) { return [b.dataset.value, b.textContent]; });",
        json!([cands]),
    );
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    // The stable order: eip-1 first.
    assert_eq!(listed[0][0], eip(&m, "eip-1"), "{listed:?}");
    assert!(
        listed[1][1].as_str().unwrap().contains("eip-2"),
        "{listed:?}"
    );
    b.js(
        "document.querySelectorAll(arguments[0])[1].click();",
        json!([cands]),
    );
    wait_until(
        "the second allocation id noted",
        Duration::from_secs(10),
        || noted(&c, "4-1", "Elastic IP Allocation ID 2") == Some(eip(&m, "eip-2")),
    );

    // The page redraws the memo panel: where the value came from.
    wait_until("the provenance shown", Duration::from_secs(10), || {
        b.js(
            "var f = document.querySelector(arguments[0]); var s = f && f.querySelector('.source-from'); return s ? s.textContent : '';",
            json!([entry]),
        )
        .as_str()
        .is_some_and(|t| t.contains(&format!("from AWS (ec2, {region})")))
    });
    b.screenshot("web-source-noted.png");
    let fetched = c.events("fetched");
    assert_eq!(fetched.len(), 2, "{fetched:?}");
}

#[test]
fn a_candidate_the_source_no_longer_gives_is_refused() {
    let region = "us-west-2";
    setup_moto(region, 1);
    let (github, _) = github_stand_in();
    let c = course_with_sources(region, &github);
    c.init();
    let s = Server::start(&c, &[]);
    // A value the page never got from the source: refused, nothing noted.
    let r = s.post(
        "/api/source/note",
        &json!({"lab": "4-1", "key": "메모한 Public IP", "resource": "i-0000000000", "value": "198.51.100.7"}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("no longer gives"), "{}", r.body);
    assert!(c.events("fetched").is_empty());
    // A value with no source is 404.
    let r = s.post(
        "/api/source/read",
        &json!({"lab": "4-1", "key": "GitHub Token"}),
    );
    assert_eq!(r.status, 404, "{}", r.body);
}
