//! Edit one profile of the AWS config file (`~/.aws/config`), keeping every other byte.
//!
//! Same discipline as the memo writer: find the section and the line by their byte spans,
//! splice, never re-render the file. Comments, order, blank lines and line endings stay.

use crate::t;

/// Where the AWS tools read one of their files: `$VAR` (a leading `~/` expanded, as they
/// do), else `~/.aws/<file>`; `None` without either.
fn file_path(var: &str, file: &str) -> Option<std::path::PathBuf> {
    use std::path::{Path, PathBuf};
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(v);
        return Some(match (p.strip_prefix("~"), &home) {
            (Ok(rest), Some(h)) => Path::new(h).join(rest),
            _ => p,
        });
    }
    home.map(|h| Path::new(&h).join(".aws").join(file))
}

/// `AWS_CONFIG_FILE`, else `~/.aws/config`.
pub fn config_file() -> Option<std::path::PathBuf> {
    file_path("AWS_CONFIG_FILE", "config")
}

/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
pub fn credentials_file() -> Option<std::path::PathBuf> {
    file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

/// Which AWS file a text is: the config file names sections `[profile NAME]` (and
/// `[default]`), the shared credentials file names them `[NAME]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Config,
    Credentials,
}

/// The profile name of a section header line, if it is a profile section of that file.
fn section_name(line: &str, kind: FileKind) -> Option<&str> {
    let t = line.trim();
    let inner = t.strip_prefix('[')?.strip_suffix(']')?.trim();
    match kind {
        FileKind::Credentials => Some(inner),
        FileKind::Config if inner == "default" => Some(inner),
        FileKind::Config => inner
            .strip_prefix("profile")
            .filter(|r| r.starts_with(char::is_whitespace))
            .map(str::trim),
    }
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

/// The line indexes of a profile's section: its header and one past its last line.
fn section_of(
    text: &str,
    ls: &[(usize, usize, usize)],
    kind: FileKind,
    name: &str,
) -> Option<(usize, usize)> {
    let h = ls
        .iter()
        .position(|&(s, e, _)| section_name(&text[s..e], kind) == Some(name))?;
    let end = ls[h + 1..]
        .iter()
        .position(|&(s, e, _)| is_header(&text[s..e]))
        .map_or(ls.len(), |i| h + 1 + i);
    Some((h, end))
}

/// The key of a `key = value` setting line (not a comment, not a continuation line).
fn setting_key(line: &str) -> Option<&str> {
    let t = line.trim_start();
    if t.starts_with('#') || t.starts_with(';') || line.starts_with(char::is_whitespace) {
        return None;
    }
    t.split_once('=').map(|(k, _)| k.trim())
}

/// The value of `key` in a profile's section, trimmed.
pub fn get(text: &str, kind: FileKind, name: &str, key: &str) -> Option<String> {
    let ls = lines(text);
    let (h, end) = section_of(text, &ls, kind, name)?;
    ls[h + 1..end].iter().find_map(|&(s, e, _)| {
        let l = &text[s..e];
        (setting_key(l)? == key).then(|| l.split_once('=').map_or("", |x| x.1).trim().to_string())
    })
}

/// Settings that make a profile sign with a fixed key: the AWS CLI, boto3 and the SDKs use
/// them before `credential_process`.
const STATIC_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// 1-based line numbers of the static-key settings of a profile.
pub fn static_key_lines(text: &str, kind: FileKind, name: &str) -> Vec<usize> {
    let ls = lines(text);
    let Some((h, end)) = section_of(text, &ls, kind, name) else {
        return Vec::new();
    };
    (h + 1..end)
        .filter(|&i| {
            let (s, e, _) = ls[i];
            setting_key(&text[s..e]).is_some_and(|k| STATIC_KEYS.contains(&k))
        })
        .map(|i| i + 1)
        .collect()
}

/// The text with the profile's static-key settings commented out (`# `), every other byte
/// kept; `None` when it has none.
pub fn comment_out_static_keys(text: &str, kind: FileKind, name: &str) -> Option<String> {
    let found = static_key_lines(text, kind, name);
    if found.is_empty() {
        return None;
    }
    let ls = lines(text);
    let mut out = text.to_string();
    for n in found.iter().rev() {
        out.insert_str(ls[n - 1].0, "# ");
    }
    Some(out)
}

/// The text without the profile's section (header to the next header); `None` when the
/// file has no such profile.
pub fn remove_profile(text: &str, kind: FileKind, name: &str) -> Option<String> {
    let ls = lines(text);
    let (mut h, end) = section_of(text, &ls, kind, name)?;
    // The last section takes the blank lines before it along (`set_profile` adds one).
    while end == ls.len() && h > 0 && text[ls[h - 1].0..ls[h - 1].1].trim().is_empty() {
        h -= 1;
    }
    let from = ls[h].0;
    let to = ls.get(end).map_or(text.len(), |l| l.0);
    let mut out = text.to_string();
    out.replace_range(from..to, "");
    Some(out)
}

/// Every profile of the file with its `credential_process` value, in file order.
pub fn profiles(text: &str, kind: FileKind) -> Vec<(String, Option<String>)> {
    let mut names: Vec<String> = Vec::new();
    for &(s, e, _) in &lines(text) {
        if let Some(n) = section_name(&text[s..e], kind) {
            if !names.iter().any(|x| x == n) {
                names.push(n.to_string());
            }
        }
    }
    names
        .into_iter()
        .map(|n| {
            let cp = get(text, kind, &n, "credential_process");
            (n, cp)
        })
        .collect()
}

/// Checks that the AWS CLI and boto3 can select the profile: botocore splits a `[profile
/// …]` header like a shell and needs exactly two words, and `--profile X` or `AWS_PROFILE`
/// must survive copy-paste into every shell, so ASCII letters, digits and `-_.@+` only.
pub fn check_profile_name(name: &str) -> Result<(), String> {
    let bad = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.@+".contains(*c)));
    if name.is_empty() {
        return Err(t!("awsconfig-empty-name"));
    }
    if let Some(c) = bad {
        return Err(t!(
            "awsconfig-bad-char",
            name = name,
            char = format!("{c:?}"),
            suggestion = suggest_name(name)
        ));
    }
    if name.starts_with('-') {
        return Err(t!("awsconfig-leading-dash", name = name));
    }
    Ok(())
}

/// A usable name close to `name`: other characters become `-`.
fn suggest_name(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.@+".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "lab".into()
    } else {
        s
    }
}

/// Set `settings` (key, value) in the profile's section, adding the section at the end when
/// it is missing. Returns `None` when nothing changes.
pub fn set_profile(text: &str, name: &str, settings: &[(&str, &str)]) -> Option<String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let ls = lines(text);
    let Some((h, end_idx)) = section_of(text, &ls, FileKind::Config, name) else {
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
    let mut out = text.to_string();
    let mut changed = false;
    // Apply from the bottom so earlier offsets stay valid.
    let mut appends = Vec::new();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (k, v) in settings {
        let found = ls[h + 1..end_idx]
            .iter()
            .find(|&&(s, e, _)| setting_key(&text[s..e]) == Some(*k));
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
    fn static_keys_are_found_commented_and_sections_removed() {
        let creds = "[default]\naws_access_key_id = A\n\n[lab]\r\naws_access_key_id = B\r\n  # aws_secret_access_key = no\r\naws_secret_access_key = S\r\nregion = x\r\n[other]\naws_access_key_id = C\n";
        assert_eq!(
            static_key_lines(creds, FileKind::Credentials, "lab"),
            [5, 7]
        );
        assert_eq!(
            static_key_lines(creds, FileKind::Config, "lab"),
            Vec::<usize>::new()
        );
        let out = comment_out_static_keys(creds, FileKind::Credentials, "lab").unwrap();
        assert_eq!(
            out,
            creds
                .replace("\r\naws_access_key_id = B", "\r\n# aws_access_key_id = B")
                .replace(
                    "\r\naws_secret_access_key = S",
                    "\r\n# aws_secret_access_key = S"
                )
        );
        assert!(static_key_lines(&out, FileKind::Credentials, "lab").is_empty());
        assert_eq!(
            comment_out_static_keys(&out, FileKind::Credentials, "lab"),
            None
        );
        let config =
            "[default]\nregion = a\n[profile lab]\ncredential_process = x y\n[profile z]\n";
        assert_eq!(
            remove_profile(config, FileKind::Config, "lab").unwrap(),
            "[default]\nregion = a\n[profile z]\n"
        );
        assert_eq!(remove_profile(config, FileKind::Config, "nope"), None);
        let added = set_profile("[profile a]\nx = 1\n", "lab", &[("k", "v")]).unwrap();
        assert_eq!(
            remove_profile(&added, FileKind::Config, "lab").unwrap(),
            "[profile a]\nx = 1\n"
        );
        assert_eq!(
            get(config, FileKind::Config, "lab", "credential_process").as_deref(),
            Some("x y")
        );
        let names: Vec<String> = profiles(config, FileKind::Config)
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(names, ["default", "lab", "z"]);
    }

    #[test]
    fn profile_names() {
        let ok = ["lab", "default", "my-lab_2", "a.b", "me@x+1"];
        let bad = ["my lab", "", "-x", "a]b", "실습", "a\"b", "a'b", "a#b"];
        crate::testutil::assert_sorts(|p| check_profile_name(p).is_ok(), &ok, &bad);
        let e = check_profile_name("my lab").unwrap_err();
        assert!(e.contains("'my-lab'"), "{e}");
    }

    #[test]
    fn quoting() {
        for (arg, quoted) in [
            ("/usr/bin/labnote", "/usr/bin/labnote"),
            ("/home/a b/x", "'/home/a b/x'"),
            ("/x/it's $HOME", "'/x/it'\\''s $HOME'"),
            ("/a #1;b ;c", "'/a ''#1;b '';c'"),
        ] {
            assert_eq!(quote_arg(arg), quoted, "{arg}");
        }
    }
}
