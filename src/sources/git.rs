//! The git reader: the remote URLs of the repositories under the course's work folder
//! (`workdir` of `course.yaml`: the folder itself and the folders two levels below it), read
//! with `git config --file <repo>/.git/config` (a file read as data: no hook, no filter, no
//! command of the repository runs). A URL's user part (`https://user:token@…`) is dropped,
//! so no credential is ever noted.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{order_key, Hint, Reader, SourceError, SourceKind, SourceValue};

pub(super) struct Git {
    workdir: Option<PathBuf>,
}

impl Git {
    pub(super) fn new(workdir: Option<PathBuf>) -> Git {
        Git { workdir }
    }
}

/// The git repositories at `dir` and up to two levels below it (symbolic links not followed),
/// in name order.
fn repositories(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut level = vec![dir.to_path_buf()];
    for depth in 0..3 {
        let mut next = Vec::new();
        for d in level {
            if d.join(".git").join("config").is_file() {
                out.push(d.clone());
                continue;
            }
            if depth == 2 {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            let mut subs: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect();
            subs.sort();
            next.extend(subs);
        }
        level = next;
    }
    out
}

/// `url` without a user part: `https://u:t@github.com/a/b.git` → `https://github.com/a/b.git`.
pub(super) fn without_user(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let sep = if rest.contains('/') { "/" } else { "" };
        return format!("{scheme}://{host}{sep}{path}");
    }
    url.to_string()
}

/// A repository's name in a URL: `…/gitops_pac.git` → `gitops_pac`.
pub(super) fn repo_name(url: &str) -> &str {
    let last = url
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(url);
    last.strip_suffix(".git").unwrap_or(last)
}

impl Reader for Git {
    fn reads(&self, kind: SourceKind) -> bool {
        kind == SourceKind::GitRemote
    }

    fn read(&mut self, _kind: SourceKind, hint: &Hint) -> Result<Vec<SourceValue>, SourceError> {
        let Some(dir) = &self.workdir else {
            return Err(SourceError::NoWorkdir { path: "-".into() });
        };
        if !dir.is_dir() {
            return Err(SourceError::NoWorkdir {
                path: dir.display().to_string(),
            });
        }
        let mut out = Vec::new();
        for repo in repositories(dir) {
            let config = repo.join(".git").join("config");
            let Ok(o) = Command::new("git")
                .arg("config")
                .arg("--file")
                .arg(&config)
                .args(["--get-regexp", r"^remote\..*\.url$"])
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .output()
            else {
                return Err(SourceError::Failed {
                    service: "git",
                    reason: crate::t!("source-git-missing"),
                });
            };
            let folder = repo.file_name().map_or_else(
                || repo.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                let Some((key, url)) = line.split_once(' ') else {
                    continue;
                };
                let remote = key
                    .strip_prefix("remote.")
                    .and_then(|k| k.strip_suffix(".url"))
                    .unwrap_or(key);
                let url = without_user(url.trim());
                out.push(SourceValue {
                    resource: repo.display().to_string(),
                    label: format!("{folder} ({remote})"),
                    service: "git",
                    region: None,
                    order: order_key(&folder, remote),
                    value: url,
                });
            }
        }
        // The repositories the lab names, when it names some that are here.
        let named: Vec<SourceValue> = out
            .iter()
            .filter(|c| {
                hint.repositories.iter().any(|r| {
                    repo_name(&c.value).eq_ignore_ascii_case(r)
                        || c.label
                            .split(' ')
                            .next()
                            .is_some_and(|f| f.eq_ignore_ascii_case(r))
                })
            })
            .cloned()
            .collect();
        Ok(if named.is_empty() { out } else { named })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_parts_are_dropped_and_names_read() {
        assert_eq!(
            without_user("https://me:ghp_x@github.com/me/gitops_pac.git"),
            "https://github.com/me/gitops_pac.git"
        );
        assert_eq!(
            without_user("git@github.com:me/a.git"),
            "git@github.com:me/a.git"
        );
        assert_eq!(
            repo_name("https://github.com/me/gitops_pac.git"),
            "gitops_pac"
        );
        assert_eq!(repo_name("git@github.com:me/app"), "app");
    }
}
