//! The IAM user of a lab's access-key step.
//!
//! The course's access-key lab names its users in prose — `**(수강생 : mspuser )** / (강사 :
//! mspmanager )` (student / instructor) — and the student's key is for the student user,
//! not for whoever is signed in (on Cloud9 an assumed role, which is no IAM user at all).
//! Order: `--user` when given, else `iam_user` of the lab in course.yaml (the course's own
//! setting overrides its prose), else the student user the lab names, else (`None`) the
//! caller.

/// Labels that introduce the student's user name.
const STUDENT_LABELS: &[&str] = &["수강생", "학생", "student"];

/// The student user the lab's text names: the name after a 수강생 / student label and a
/// colon, ended by a delimiter (`)`, `]`, `/`, `,`, `|`, emphasis or the end of the line),
/// so that a sentence (`student: please note…`) names nobody.
fn student_user(text: &str) -> Option<String> {
    // ASCII lowering keeps every byte offset, so a match in `hay` is one in `text`.
    let hay = text.to_ascii_lowercase();
    for label in STUDENT_LABELS {
        let mut from = 0;
        while let Some(at) = hay[from..].find(label) {
            let after = from + at + label.len();
            if let Some(name) = name_after(&text[after..]) {
                return Some(name);
            }
            from = after;
        }
    }
    None
}

/// `␣*[:：]␣*NAME␣*DELIM`, emphasis and backticks allowed around the name.
fn name_after(rest: &str) -> Option<String> {
    let skip = |s: &str| s.trim_start_matches([' ', '\t', '*', '_', '`']).to_string();
    let s = skip(rest);
    let s = s.strip_prefix(':').or_else(|| s.strip_prefix('：'))?;
    let s = skip(s);
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)))
        .unwrap_or(s.len());
    let name = s[..end].trim_end_matches(['.', ',']);
    let tail = s[end..].trim_start_matches([' ', '\t', '*', '_', '`']);
    let delimited = tail.is_empty()
        || tail.starts_with(['\n', '\r', ')', ']', '/', ',', '|', '('])
        || tail.starts_with("<br");
    (!name.is_empty() && name.len() <= 64 && delimited).then(|| name.to_string())
}

/// The user for the access-key step (see the module comment); the lab's text `lab_text` is
/// searched for the student user only when neither `flag` nor `configured` names one.
pub fn choose(flag: Option<&str>, configured: Option<&str>, lab_text: &str) -> Option<String> {
    flag.or(configured)
        .map(str::to_string)
        .or_else(|| student_user(lab_text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_student_user() {
        let cases = [
            (
                "- `Users` 에서 **(수강생 : mspuser )** / (강사 : mspmanager ) 사용자",
                Some("mspuser"),
            ),
            ("(수강생: stu01) / (강사: teacher)", Some("stu01")),
            ("수강생 ： `lab-user.1`\n", Some("lab-user.1")),
            ("| 수강생 | 강사 |\n| stu | t |", None),
            ("(Student: alice@example) ", Some("alice@example")),
            ("student: please note the user\n", None),
            ("수강생은 본인 계정을 사용한다.", None),
            (
                "(강사 : mspmanager ) / (수강생 : mspuser )",
                Some("mspuser"),
            ),
            ("no user named here", None),
        ];
        for (text, want) in cases {
            assert_eq!(student_user(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn flag_then_course_yaml_then_the_lab() {
        let lab = "(수강생 : mspuser ) / (강사 : mspmanager )\n";
        assert_eq!(choose(None, None, lab).as_deref(), Some("mspuser"));
        assert_eq!(choose(None, Some("cfg"), lab).as_deref(), Some("cfg"));
        assert_eq!(choose(Some("me"), Some("cfg"), lab).as_deref(), Some("me"));
        assert_eq!(choose(None, None, "# a lab that names no user\n"), None);
    }
}
