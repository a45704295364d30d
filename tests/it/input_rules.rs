//! Input rules with one answer everywhere (issue 19): an invalid `course.yaml` stops every
//! command that opens the course, a link to a folder is reported rather than its labs
//! vanishing, and a bad journal record is set aside and said once (the journal's own unit
//! tests and `untrusted` cover the last one in detail).

use crate::course::Course;

/// Every command that reads the course fails on an invalid `course.yaml` with exit 2, names
/// the file with its line and column, and writes nothing.
#[test]
fn an_invalid_course_yaml_is_the_same_error_for_every_command() {
    let c = Course::empty().with_bundled_labs();
    std::fs::write(
        c.file("course.yaml"),
        "region: ap-northeast-2\nsecret: [x]\n",
    )
    .unwrap();
    let lab = c.lab_bytes("day2/lab4-aws-access-key.md");
    let commands: &[&[&str]] = &[
        &["labs"],
        &["labs", "--json"],
        &["steps", "2-4"],
        &["log"],
        &["next"],
        &["done", "2-4", "1"],
        &["undo", "2-4", "1"],
        &["placeholders", "2-5"],
        &["wanted"],
        &["memo", "list"],
        &["run", "3-1", "1", "--list"],
        &["credential-process"],
    ];
    for args in commands {
        let r = c.run(args);
        assert_eq!(r.code, 2, "labnote {args:?}:\n{}", r.text());
        assert!(
            r.stderr.contains("course.yaml:2:1"),
            "labnote {args:?} names the file, line and column:\n{}",
            r.text()
        );
        assert!(r.stdout.is_empty(), "labnote {args:?}:\n{}", r.text());
    }
    assert!(
        !c.file(".labnote/journal.yaml").exists(),
        "nothing recorded"
    );
    assert_eq!(c.lab_bytes("day2/lab4-aws-access-key.md"), lab);
}

/// A link to a folder inside the course is never followed, and never silent: `labs` names
/// it and says why its labs are missing; the rest of the course is listed as before.
#[test]
fn a_linked_lab_folder_is_reported_not_dropped() {
    let c = Course::empty().with_bundled_labs();
    let outside = c.root.join("elsewhere");
    crate::course::copy_dir(&c.course.join("day3"), &outside);
    std::fs::remove_dir_all(c.course.join("day3")).unwrap();
    std::os::unix::fs::symlink(&outside, c.course.join("day3")).unwrap();
    let r = c.ok(&["labs", "--json"]);
    let labs: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = labs["labs"]
        .as_array()
        .or(labs.as_array())
        .unwrap()
        .iter()
        .filter_map(|l| l["id"].as_str())
        .collect();
    assert!(ids.contains(&"2-4") && !ids.contains(&"3-1"), "{ids:?}");
    assert!(
        r.stderr.contains("day3") && r.stderr.contains("link to a folder"),
        "the link is named with the reason:\n{}",
        r.text()
    );
    // Under a Korean locale the same warning is Korean.
    let mut ko = Course::empty();
    ko.course = c.course.clone();
    ko.env = c.env.clone();
    ko.set_env("LANG", "ko_KR.UTF-8");
    let r = ko.ok(&["labs"]);
    assert!(r.stderr.contains("폴더를 가리키는 링크"), "{}", r.text());
}
