//! `course.yaml`: optional settings of a course folder.
//!
//! ```yaml
//! secrets: [gitopsconsole_PW]          # memo keys that are secret besides those named so
//! aliases:                             # placeholder name → memo key
//!   "생성된 IP": admin_server_ip
//! labs:
//!   "2-4": { iam_user: mspuser }       # the IAM user of a lab's access-key step
//! region: ap-northeast-2               # AWS region for `env` and `aws-profile`
//! workdir: ~/environment               # where `run`/`walk` start their shell
//! sources:                             # `labnote fetch`: a value's source, named
//!   "<<Allocation ID 1>>": eip.allocation_id
//! lint:                                # `labnote lint`: findings the authors accept
//!   allow:
//!     - { rule: LN002 }                              # everywhere
//!     - { rule: LN006, file: day2/lab5-network.md }  # in one file
//!     - { rule: LN004, file: day3/lab1.md, lines: "40-52" }  # in a line range
//! ```
//!
//! Unknown fields are errors, so a typo is reported (with line and column) instead of being
//! silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::t;

pub const FILE_NAME: &str = "course.yaml";

/// Largest `course.yaml` read: a few settings take a few hundred bytes.
pub const MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseConfig {
    #[serde(default)]
    pub secrets: Vec<String>,
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    #[serde(default)]
    pub labs: BTreeMap<String, LabConfig>,
    #[serde(default)]
    pub region: Option<String>,
    /// The folder `run` and `walk` start their shell in (`~/…`, or relative to the course).
    #[serde(default)]
    pub workdir: Option<String>,
    /// `labnote lint`'s settings.
    #[serde(default)]
    pub lint: LintConfig,
    /// The source of a value, named by the author (`labnote fetch`): placeholder or memo
    /// key → `eip.allocation_id`, `acm.arn`, … (`source_kind::SourceKind::name`).
    #[serde(default)]
    pub sources: BTreeMap<String, SourceName>,
}

/// A source named in `course.yaml`'s `sources:` (an unknown one is an error naming the
/// known ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct SourceName(pub crate::source_kind::SourceKind);

impl TryFrom<String> for SourceName {
    type Error = String;
    fn try_from(s: String) -> Result<SourceName, String> {
        use crate::source_kind::SourceKind;
        SourceKind::from_name(&s).map(SourceName).ok_or_else(|| {
            let known: Vec<&str> = SourceKind::ALL.iter().map(|k| k.name()).collect();
            t!(
                "config-unknown-source",
                name = s.clone(),
                known = known.join(", ")
            )
        })
    }
}

/// `lint:` of `course.yaml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Findings silenced: a rule, everywhere or in a file, or in a line range of it.
    #[serde(default)]
    pub allow: Vec<LintAllow>,
}

/// One silenced rule: `{ rule: LN002, file: day2/lab3.md, lines: "10-20" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintAllow {
    pub rule: LintRule,
    /// The lab's path relative to the course folder (`/` separators); every file when absent.
    #[serde(default)]
    pub file: Option<String>,
    /// `"12"` or `"10-20"` (1-based, inclusive); the whole file when absent.
    #[serde(default)]
    pub lines: Option<LineRange>,
}

/// How many rules `labnote lint` has (`LN001`…): `app::lint::Rule::ALL`'s length, which a
/// test of `app::lint` checks.
pub const LINT_RULES: u16 = 11;

/// A rule code of `labnote lint`, `LN001` to `LN0xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct LintRule(pub u16);

impl TryFrom<String> for LintRule {
    type Error = String;
    fn try_from(s: String) -> Result<LintRule, String> {
        let n = s
            .trim()
            .strip_prefix("LN")
            .filter(|d| d.len() == 3)
            .and_then(|d| d.parse::<u16>().ok());
        match n {
            Some(n) if (1..=LINT_RULES).contains(&n) => Ok(LintRule(n)),
            _ => Err(format!(
                "unknown lint rule `{s}`: the rules are LN001 to LN{LINT_RULES:03} (`labnote lint --help`)"
            )),
        }
    }
}

/// Lines `first..=last` of a file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct LineRange {
    pub first: usize,
    pub last: usize,
}

impl TryFrom<String> for LineRange {
    type Error = String;
    fn try_from(s: String) -> Result<LineRange, String> {
        let num = |x: &str| x.trim().parse::<usize>().ok().filter(|&n| n > 0);
        let r = match s.split_once('-') {
            Some((a, b)) => num(a).zip(num(b)),
            None => num(&s).map(|n| (n, n)),
        };
        match r {
            Some((first, last)) if first <= last => Ok(LineRange { first, last }),
            _ => Err(format!(
                "invalid line range `{s}`: write one line (\"12\") or a range (\"10-20\")"
            )),
        }
    }
}

impl LintAllow {
    /// Whether this entry silences rule `rule` at `line` of `file`.
    pub fn covers(&self, rule: u16, file: &str, line: usize) -> bool {
        self.rule.0 == rule
            && self
                .file
                .as_deref()
                .is_none_or(|f| f.trim_start_matches("./") == file)
            && self
                .lines
                .is_none_or(|r| (r.first..=r.last).contains(&line))
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabConfig {
    #[serde(default)]
    pub iam_user: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", t!("config-read", path = path, reason = source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not a regular file, too large, ...: the store's message names the file and the fix.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{}", t!("config-invalid", path = path, line = line, column = column, message = message))]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl CourseConfig {
    /// Read `<course>/course.yaml`; a missing file is the default (empty) configuration.
    /// The file comes with the course: it must be a regular file of at most [`MAX_BYTES`]
    /// (a link to one is fine: it is only read).
    pub fn load(course: &Path) -> Result<CourseConfig, ConfigError> {
        use crate::store::{read_bounded, Links};
        let path = course.join(FILE_NAME);
        let Some(bytes) = read_bounded(&path, MAX_BYTES, Links::Follow)? else {
            return Ok(Self::default());
        };
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::Read {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        })?;
        Self::parse(&text, &path)
    }

    /// Parse the text of a `course.yaml`. Nesting deeper than [`crate::yamlguard::MAX_DEPTH`]
    /// is refused before the YAML parser runs, so a hostile file fails at once.
    pub fn parse(text: &str, path: &Path) -> Result<CourseConfig, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        crate::yamlguard::check_depth(text).map_err(|d| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: d.line,
            column: d.column,
            message: d.to_string(),
        })?;
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.to_string(),
            }
        })
    }

    /// Whether the course marks `key` as secret.
    pub fn marks_secret(&self, key: &str) -> bool {
        let k = crate::names::normalize_key(key);
        self.secrets
            .iter()
            .any(|s| crate::names::normalize_key(s) == k)
    }

    pub fn iam_user(&self, lab_id: &str) -> Option<&str> {
        self.labs.get(lab_id).and_then(|l| l.iam_user.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_position() {
        let ok = "secrets: [pw]\naliases:\n  a: b\nlabs:\n  \"2-4\": { iam_user: mspuser }\n";
        let c = CourseConfig::parse(ok, Path::new("course.yaml")).unwrap();
        assert!(c.marks_secret("PW"));
        assert_eq!(c.iam_user("2-4"), Some("mspuser"));
        let bad = "secrets: [pw]\nlabz:\n  x: 1\n";
        let e = CourseConfig::parse(bad, Path::new("course.yaml")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("course.yaml:2:1:"), "{msg}");
        assert!(msg.contains("labz"), "{msg}");
    }

    #[test]
    fn deep_nesting_fails_at_once_naming_the_file() {
        let deep = format!("secrets: {}", "[".repeat(100_000));
        let t = std::time::Instant::now();
        let e = CourseConfig::parse(&deep, Path::new("course.yaml")).unwrap_err();
        assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
        let msg = e.to_string();
        assert!(msg.starts_with("course.yaml:1:"), "{msg}");
        assert!(msg.contains("nested"), "{msg}");
        let bom = "\u{feff}region: ap-northeast-2\n";
        let c = CourseConfig::parse(bom, Path::new("course.yaml")).unwrap();
        assert_eq!(c.region.as_deref(), Some("ap-northeast-2"));
    }
}
