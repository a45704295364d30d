//! Bounds on YAML from a course folder, checked before `serde_yaml` sees it.
//!
//! `course.yaml` and the journal come with the course folder, which may be someone else's.
//! libyaml's time grows quadratically with flow nesting: a `course.yaml` of 100 000 `[` took
//! 35 s before failing. labnote's own YAML nests two or three levels, so anything nested
//! deeper than [`MAX_DEPTH`] is refused at once, by a linear scan.

/// Deepest flow nesting (`[`, `{`) accepted; labnote's files need 3.
use crate::t;

pub const MAX_DEPTH: usize = 32;

/// Where text is nested too deeply: 1-based line and column of the bracket that went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let msg = t!(
            "yamlguard-too-deep",
            max = MAX_DEPTH,
            line = self.line,
            column = self.column
        );
        f.write_str(&msg)
    }
}

/// Checks the flow nesting of `text`. Conservative on purpose: brackets inside quoted
/// strings count too (only comments are skipped), so a deep structure cannot hide in a
/// string the scan misreads; no real file has 32 unclosed brackets in its strings.
pub fn check_depth(text: &str) -> Result<(), TooDeep> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut in_comment = false;
    let mut prev_blank = true;
    for c in text.chars() {
        column += 1;
        match c {
            '\n' | '\r' => {
                in_comment = false;
                line += usize::from(c == '\n');
                column = 0;
            }
            _ if in_comment => {}
            '#' if prev_blank => in_comment = true,
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(TooDeep { line, column });
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev_blank = c.is_whitespace();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_yaml_passes_and_deep_yaml_is_located() {
        assert!(check_depth("labs:\n  \"2-4\": { iam_user: [a, [b]] }\n").is_ok());
        let deep = format!("a: 1\nsecrets: {}", "[".repeat(100_000));
        assert_eq!(
            check_depth(&deep),
            Err(TooDeep {
                line: 2,
                column: 10 + MAX_DEPTH
            })
        );
        // Closed brackets do not add up; comments do not count.
        assert!(check_depth(&"[] ".repeat(10_000)).is_ok());
        assert!(check_depth(&format!("a: 1 # {}", "[".repeat(100))).is_ok());
        assert!(check_depth(&format!("# {}\n", "{".repeat(100))).is_ok());
    }
}
