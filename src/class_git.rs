//! The git edge of `labnote class`: the system `git`, run with argument lists (never a shell
//! string), in a private repository of labnote's (`<course>/.labnote/class/git` for a
//! student, a cache folder for the instructor). Nothing here knows a course or a journal: it
//! commits bytes as one file on one branch, pushes it, fetches branches and reads blobs.
//!
//! Secrets never reach git's argv or a URL: a token is handed to git by a credential helper
//! command that reads it itself (`labnote class credential`), named in `-c
//! credential.helper=…` by its path alone.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why git failed: the command (without its data) and what git said, cut short.
#[derive(Debug, thiserror::Error)]
#[error("git {what}: {reason}")]
pub struct GitError {
    pub what: String,
    pub reason: String,
    /// The remote refused a push that does not fast-forward.
    pub rejected: bool,
}

/// How git talks to the remote: a credential helper command (`!'/path/labnote' class
/// credential`) and whether git may ask on the terminal.
#[derive(Debug, Clone, Default)]
pub struct Remote {
    pub url: String,
    /// The helper git runs for a credential (before the student's own helpers).
    pub helper: Option<String>,
    /// Extra environment for git and its helper (the course folder of the helper).
    pub env: Vec<(String, PathBuf)>,
    /// Never prompt: a background push has no terminal.
    pub batch: bool,
}

/// A private repository of labnote's (bare).
#[derive(Debug, Clone)]
pub struct Repo {
    pub dir: PathBuf,
}

fn cut(s: &str) -> String {
    let s = s.trim();
    let mut out: String = s.lines().rev().take(4).collect::<Vec<_>>().join(" / ");
    if out.len() > 400 {
        let mut n = 400;
        while !out.is_char_boundary(n) {
            n -= 1;
        }
        out.truncate(n);
    }
    out
}

impl Repo {
    /// The repository at `dir`, made (`git init --bare`) when missing. The folder is
    /// created by the caller (through `store`).
    pub fn open(dir: &Path) -> Result<Repo, GitError> {
        let repo = Repo {
            dir: dir.to_path_buf(),
        };
        if !dir.join("HEAD").is_file() {
            repo.run(&["init", "--quiet", "--bare"], None, None)?;
        }
        Ok(repo)
    }

    fn command(&self, remote: Option<&Remote>) -> Command {
        let mut c = Command::new("git");
        c.arg("--git-dir").arg(&self.dir);
        // No hooks of the student's config, no automatic gc in the middle of a push.
        c.args(["-c", "gc.auto=0", "-c", "core.hooksPath=/dev/null"]);
        c.env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env("LC_ALL", "C");
        if let Some(r) = remote {
            if let Some(h) = &r.helper {
                // Added after the student's own helpers (command-line config comes last),
                // never replacing them: theirs answer first when they know the host.
                c.arg("-c").arg(format!("credential.helper={h}"));
            }
            for (k, v) in &r.env {
                c.env(k, v);
            }
            if r.batch {
                c.env("GIT_ASKPASS", "").env("SSH_ASKPASS", "");
                if std::env::var_os("GIT_SSH_COMMAND").is_none() {
                    c.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
                }
            }
        }
        c
    }

    /// Run git with `args`, `input` on stdin; its stdout.
    fn run(
        &self,
        args: &[&str],
        input: Option<&[u8]>,
        remote: Option<&Remote>,
    ) -> Result<Vec<u8>, GitError> {
        let mut c = self.command(remote);
        c.args(args)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let what = args.first().copied().unwrap_or("").to_string();
        let mut child = c.spawn().map_err(|e| GitError {
            what: what.clone(),
            reason: e.to_string(),
            rejected: false,
        })?;
        if let Some(bytes) = input {
            if let Some(mut stdin) = child.stdin.take() {
                let bytes = bytes.to_vec();
                std::thread::spawn(move || {
                    let _ = stdin.write_all(&bytes);
                });
            }
        }
        let out = child.wait_with_output().map_err(|e| GitError {
            what: what.clone(),
            reason: e.to_string(),
            rejected: false,
        })?;
        if out.status.success() {
            return Ok(out.stdout);
        }
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        Err(GitError {
            rejected: err.contains("[rejected]")
                || err.contains("non-fast-forward")
                || err.contains("fetch first"),
            what,
            reason: cut(&err),
        })
    }

    fn text(&self, args: &[&str], input: Option<&[u8]>) -> Result<String, GitError> {
        Ok(String::from_utf8_lossy(&self.run(args, input, None)?)
            .trim()
            .to_string())
    }

    /// A commit holding `bytes` as `path` (`dir/file`) and nothing else, on top of `parent`.
    pub fn commit_file(
        &self,
        dir: &str,
        file: &str,
        bytes: &[u8],
        parent: Option<&str>,
        author: &str,
        message: &str,
    ) -> Result<String, GitError> {
        let blob = self.text(&["hash-object", "-w", "--stdin"], Some(bytes))?;
        let inner = self.text(
            &["mktree"],
            Some(format!("100644 blob {blob}\t{file}\n").as_bytes()),
        )?;
        let root = self.text(
            &["mktree"],
            Some(format!("040000 tree {inner}\t{dir}\n").as_bytes()),
        )?;
        let mut args = vec!["commit-tree", root.as_str(), "-m", message];
        if let Some(p) = parent {
            args.push("-p");
            args.push(p);
        }
        let mut c = self.command(None);
        c.args(&args)
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", "labnote@class.invalid")
            .env("GIT_COMMITTER_NAME", author)
            .env("GIT_COMMITTER_EMAIL", "labnote@class.invalid")
            .stdin(Stdio::null());
        let out = c.output().map_err(|e| GitError {
            what: "commit-tree".into(),
            reason: e.to_string(),
            rejected: false,
        })?;
        if !out.status.success() {
            return Err(GitError {
                what: "commit-tree".into(),
                reason: cut(&String::from_utf8_lossy(&out.stderr)),
                rejected: false,
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// The commit a local ref names, if any.
    pub fn resolve(&self, refname: &str) -> Option<String> {
        let v = format!("{refname}^{{commit}}");
        self.text(&["rev-parse", "--verify", "--quiet", &v], None)
            .ok()
    }

    pub fn set_ref(&self, refname: &str, commit: &str) -> Result<(), GitError> {
        self.run(&["update-ref", refname, commit], None, None)
            .map(|_| ())
    }

    /// Push `commit` to `refs/heads/<branch>` of the remote.
    pub fn push(&self, remote: &Remote, commit: &str, branch: &str) -> Result<(), GitError> {
        let spec = format!("{commit}:refs/heads/{branch}");
        self.run(
            &["push", "--quiet", "--no-verify", "--", &remote.url, &spec],
            None,
            Some(remote),
        )
        .map(|_| ())
    }

    /// Fetch the remote's `refs/heads/<pattern>` into the same local refs (pruned).
    pub fn fetch(&self, remote: &Remote, pattern: &str) -> Result<(), GitError> {
        let spec = format!("+refs/heads/{pattern}:refs/heads/{pattern}");
        self.run(
            &[
                "fetch",
                "--quiet",
                "--prune",
                "--no-tags",
                "--no-write-fetch-head",
                "--",
                &remote.url,
                &spec,
            ],
            None,
            Some(remote),
        )
        .map(|_| ())
    }

    /// Local refs under `prefix` (`refs/heads/labnote/`): (ref name, commit).
    pub fn refs(&self, prefix: &str) -> Result<Vec<(String, String)>, GitError> {
        let out = self.text(
            &["for-each-ref", "--format=%(refname) %(objectname)", prefix],
            None,
        )?;
        Ok(out
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(r, o)| (r.to_string(), o.to_string()))
            .collect())
    }

    /// Every file of a commit: (path, size, blob id); a tree entry that is not a plain
    /// blob (a link, a submodule) is given with size `None`.
    pub fn files(&self, commit: &str) -> Result<Vec<(String, Option<u64>, String)>, GitError> {
        let out = self.run(&["ls-tree", "-r", "-l", "-z", commit], None, None)?;
        let mut v = Vec::new();
        for entry in out.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let e = String::from_utf8_lossy(entry);
            let Some((meta, path)) = e.split_once('\t') else {
                continue;
            };
            let f: Vec<&str> = meta.split_whitespace().collect();
            let (mode, kind, id, size) = (f[0], f.get(1).copied(), f.get(2), f.get(3));
            let plain = mode == "100644" || mode == "100755";
            let size = match (plain, kind) {
                (true, Some("blob")) => size.and_then(|s| s.parse().ok()),
                _ => None,
            };
            v.push((
                path.to_string(),
                size,
                id.map_or(String::new(), |s| s.to_string()),
            ));
        }
        Ok(v)
    }

    /// The contents of several blobs at once (`git cat-file --batch`), in order.
    pub fn blobs(&self, ids: &[String]) -> Result<Vec<Vec<u8>>, GitError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = ids.join("\n");
        input.push('\n');
        let out = self.run(&["cat-file", "--batch"], Some(input.as_bytes()), None)?;
        let mut v = Vec::new();
        let mut rest: &[u8] = &out;
        for _ in ids {
            let nl = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            let head = String::from_utf8_lossy(&rest[..nl]).to_string();
            rest = rest.get(nl + 1..).unwrap_or_default();
            let size: usize = head
                .split_whitespace()
                .nth(2)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            if head.ends_with("missing") || rest.len() < size {
                v.push(Vec::new());
                continue;
            }
            v.push(rest[..size].to_vec());
            rest = rest.get(size + 1..).unwrap_or_default();
        }
        Ok(v)
    }
}

/// Whether a `git` can be run at all.
pub fn available() -> bool {
    Command::new("git")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Read git's credential request (`key=value` lines up to an empty line) from `input`.
pub fn read_request(input: &mut dyn Read) -> Vec<(String, String)> {
    let mut s = String::new();
    let _ = input.take(64 * 1024).read_to_string(&mut s);
    s.lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
