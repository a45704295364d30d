//! The web page's code block badges (issue 10: one rule per concept): each block's badge says
//! what `labnote run` does with it — the class `blocks::classify` gives it, as the terminal's
//! label and `run --list` say — for every block of every lab of `tests/fixtures` and `labs/`.

use crate::render_term::{each_lab, label_of_class, listed, OUTSIDE};
use crate::web_http::Server;

/// `(language, badge)` of every code block of a lab page, in order; a badge's `data-class`
/// and its words must name the same class.
fn badges(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for bar in page.split("<div class=\"code-bar\">").skip(1) {
        let lang = between(bar, "<span class=\"lang\">", "</span>");
        let badge = between(bar, "<span class=\"badge\"", "</span>");
        let class = between(badge, "data-class=\"", "\"");
        let words = unescape(&badge[badge.find('>').expect(badge) + 1..]);
        if class != "outside" {
            assert_eq!(words, label_of_class(class), "badge {badge:?}");
        } else {
            assert_eq!(words, OUTSIDE, "badge {badge:?}");
        }
        let lang = if lang.is_empty() { "code" } else { lang };
        out.push((unescape(lang), words));
    }
    out
}

/// The text of `s` between the first `open` and the `close` after it.
fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let from = s
        .find(open)
        .unwrap_or_else(|| panic!("{open:?} not in {s:?}"))
        + open.len();
    let len = s[from..]
        .find(close)
        .unwrap_or_else(|| panic!("{close:?} not in {s:?}"));
    &s[from..from + len]
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A path segment with every byte outside unreserved ASCII percent-encoded.
fn segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_badges_on_the_page_agree_with_run_list_for_every_block_of_every_lab() {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let labs = each_lab(|f, c, id| {
        let server = Server::start(c, &[]);
        let r = server.get(&format!("/lab/{}", segment(id)));
        assert_eq!(r.status, 200, "{}: {}", f.display(), r.body);
        let on_page: Vec<(String, String)> = badges(&r.body)
            .into_iter()
            .filter(|(_, b)| b != OUTSIDE)
            .collect();
        let want = listed(c, id);
        assert_eq!(on_page, want, "{}: the page vs run --list", f.display());
        for (_, l) in want {
            *seen.entry(l).or_default() += 1;
        }
    });
    assert!(labs >= 20, "{labs} labs");
    // Every class occurs, so the comparison covered each badge.
    assert_eq!(seen.len(), 4, "{seen:?}");
    eprintln!("{labs} labs, blocks by badge: {seen:?}");
}
