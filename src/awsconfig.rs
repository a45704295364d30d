//! Edit one profile of the AWS config file (`~/.aws/config`), keeping every other byte.
//!
//! Same discipline as the memo writer: find the section and the line by their byte spans,
//! splice, never re-render the file. Comments, order, blank lines and line endings stay.

/// The section header for a profile name: `[default]` or `[profile NAME]`.
fn header_matches(line: &str, name: &str) -> bool {
    let t = line.trim();
    let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return false;
    };
    let inner = inner.trim();
    if name == "default" {
        return inner == "default" || inner == "profile default";
    }
    inner
        .strip_prefix("profile")
        .is_some_and(|r| r.starts_with(char::is_whitespace) && r.trim() == name)
}

fn is_header(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('[') && t.ends_with(']')
}

/// Lines with their byte ranges (content without the line ending, end with it).
fn lines(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let nl = text[pos..].find('\n').map(|i| pos + i);
        let (end, next) = match nl {
            Some(i) => (
                if i > pos && text.as_bytes()[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                },
                i + 1,
            ),
            None => (text.len(), text.len()),
        };
        out.push((pos, end, next));
        pos = next;
    }
    out
}

/// Set `settings` (key, value) in the profile's section, adding the section at the end when
/// it is missing. Returns `None` when nothing changes.
pub fn set_profile(text: &str, name: &str, settings: &[(&str, &str)]) -> Option<String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let ls = lines(text);
    let start = ls
        .iter()
        .position(|&(s, e, _)| header_matches(&text[s..e], name));
    let Some(h) = start else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(nl);
        }
        if !out.is_empty() && !out.ends_with(&format!("{nl}{nl}")) {
            out.push_str(nl);
        }
        if name == "default" {
            out.push_str("[default]");
        } else {
            out.push_str(&format!("[profile {name}]"));
        }
        out.push_str(nl);
        for (k, v) in settings {
            out.push_str(&format!("{k} = {v}{nl}"));
        }
        return Some(out);
    };
    // The section runs to the next header.
    let end_idx = ls[h + 1..]
        .iter()
        .position(|&(s, e, _)| is_header(&text[s..e]))
        .map_or(ls.len(), |i| h + 1 + i);
    let mut out = text.to_string();
    let mut changed = false;
    // Apply from the bottom so earlier offsets stay valid.
    let mut appends = Vec::new();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (k, v) in settings {
        let found = ls[h + 1..end_idx].iter().find(|&&(s, e, _)| {
            let l = &text[s..e];
            let t = l.trim_start();
            !t.starts_with('#')
                && !t.starts_with(';')
                && t.split_once('=').is_some_and(|(lk, _)| lk.trim() == *k)
                && !l.starts_with(char::is_whitespace)
        });
        match found {
            Some(&(s, e, _)) => {
                let l = &text[s..e];
                let eq = l.find('=').unwrap_or(0);
                let cur = l[eq + 1..].trim();
                if cur != *v {
                    edits.push((s + eq + 1, e, format!(" {v}")));
                }
            }
            None => appends.push(format!("{k} = {v}")),
        }
    }
    if !appends.is_empty() {
        // After the section's last setting (a comment right before the next header belongs to
        // that section), else right after the header.
        let last = ls[h + 1..end_idx]
            .iter()
            .rev()
            .find(|&&(s, e, _)| {
                let t = text[s..e].trim();
                !t.is_empty() && !t.starts_with('#') && !t.starts_with(';')
            })
            .copied()
            .unwrap_or(ls[h]);
        let (_, _, next) = last;
        let mut ins = String::new();
        if next == text.len() && !text.ends_with('\n') {
            ins.push_str(nl);
        }
        for a in &appends {
            ins.push_str(a);
            ins.push_str(nl);
        }
        edits.push((next, next, ins));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (s, e, rep) in edits {
        out.replace_range(s..e, &rep);
        changed = true;
    }
    changed.then_some(out)
}

/// Quote a path for `credential_process`. The AWS CLI splits the command like a POSIX shell
/// (`shlex`), the Rust SDK runs it with `sh -c`: single quotes mean the same to both, while
/// in double quotes `sh` would expand `$` and backticks. The Rust SDK also cuts a value at a
/// `#` or `;` that follows whitespace (an inline comment), so such a character gets an empty
/// `''` before it.
pub fn quote_arg(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "/._-+:@%,".contains(c))
    {
        return s.to_string();
    }
    let mut q = String::from("'");
    let mut after_space = false;
    for c in s.chars() {
        match c {
            '\'' => q.push_str("'\\''"),
            '#' | ';' if after_space => {
                q.push_str("''");
                q.push(c);
            }
            _ => q.push(c),
        }
        after_space = c.is_whitespace();
    }
    q.push('\'');
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_and_updates_keeping_other_bytes() {
        let orig = "# mine\n[default]\nregion = us-west-2\n\n[profile other]\noutput = json\n";
        let out =
            set_profile(orig, "lab", &[("credential_process", "x"), ("region", "r")]).unwrap();
        assert_eq!(
            out,
            format!("{orig}\n[profile lab]\ncredential_process = x\nregion = r\n")
        );
        assert_eq!(
            set_profile(&out, "lab", &[("credential_process", "x"), ("region", "r")]),
            None
        );
        let out2 = set_profile(&out, "lab", &[("credential_process", "y")]).unwrap();
        assert_eq!(
            out2,
            out.replace("credential_process = x", "credential_process = y")
        );
        let out3 = set_profile(orig, "other", &[("region", "eu")]).unwrap();
        assert_eq!(
            out3,
            orig.replace("output = json\n", "output = json\nregion = eu\n")
        );
        let crlf = "[profile lab]\r\nregion = a\r\n[x]\r\n";
        assert_eq!(
            set_profile(crlf, "lab", &[("region", "b"), ("credential_process", "c")]).unwrap(),
            "[profile lab]\r\nregion = b\r\ncredential_process = c\r\n[x]\r\n"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_arg("/usr/bin/labnote"), "/usr/bin/labnote");
        assert_eq!(quote_arg("/home/a b/x"), "'/home/a b/x'");
        assert_eq!(quote_arg("/x/it's $HOME"), "'/x/it'\\''s $HOME'");
        assert_eq!(quote_arg("/a #1;b ;c"), "'/a ''#1;b '';c'");
    }
}
