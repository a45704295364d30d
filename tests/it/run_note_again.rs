//! Noting a value from output a second time (a reissued token): the value goes to the memo
//! entry the first run made, not to a new key named by the note point's own word.

use crate::course::Course;

#[test]
fn a_second_note_from_output_replaces_the_same_entry() {
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&["run/note-output.md"]);
    c.init();
    for _ in 0..2 {
        let r = c.run(&[
            "run",
            "7-1",
            "1-1",
            "--yes",
            "--note",
            r"token=token:\s+(\S+)",
        ]);
        assert_eq!(r.code, 0, "{}", r.text());
        assert!(
            r.text().contains("'Service Account token' in 7-1"),
            "{}",
            r.text()
        );
    }
    let list = c.ok(&["memo", "list", "7-1", "--json"]).stdout;
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    let keys: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["Service Account token"], "{list}");
}
