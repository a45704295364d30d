//! The use cases that need no IAM, on temporary courses: what they write, what they
//! record, and what they refuse (with nothing changed).

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use super::memo::{self, Shown, Written};
use super::{keys, progress, resolve, AppError, ErrorKind, Front};
use crate::journal::{Event, Progress, StepState};
use crate::memo::MemoError;

/// The GitHub lab, with CRLF line ends as some of the course's files have.
const GITHUB: &str = "# 2일차 - Lab 3. GitHub 준비하기\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ **<< github_username>>** :  \n>  ➕ **<< github_token>>** :\n\n## 🔴 1. 계정 준비\n\n### ✔ 1-1. 사용자 이름 확인\n\n사용자 이름을 메모합니다.\n\n### ✔ 1-2. 토큰 발급\n\n토큰 값을 메모📝합니다.\n\n## 🔴 2. 저장소\n\n### ✔ 2-1. 저장소 만들기\n\n```bash\ngit clone https://github.com/<<github_username>>/demo.git\ncat <<EOF > note.txt\n<<github_token>>\nEOF\n```\n";

/// The access-key lab: a student user named in prose, two steps numbered `3-1.`.
const KEYS: &str = "# 2일차 - Lab 4. AWS 액세스 키 발급하기\n\n**(수강생 : mspuser )** / (강사 : mspmanager )\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< AWS Access Key ID>>_ :  \n> ➕ _<< AWS Secret Access key>>_ :  \n\n## 🔴 3. 키 발급\n\n### ✔ 3-1. 키 만들기\n\n콘솔에서 키를 만든다.\n\n### ✔ 3-1. 키 확인\n\n키를 확인한다.\n";

/// A later lab that uses the values in prose, code and a heredoc.
const LATER: &str = "# 2일차 - Lab 5. 네트워크\n\n## 🔴 1. 준비\n\n### ✔ 1-1. 값 쓰기\n\n- 사용자 `<<github_username>>` 와 키 <<AWS Access Key ID>> 를 쓴다.\n\n```bash\necho <<AWS Secret Access key>> >> a.txt\ncat <<EOF >> b.txt\nplain\nEOF\n```\n";

const GITHUB_MD: &str = "day2/lab3-github.md";
const KEYS_MD: &str = "day2/lab4-keys.md";
const LATER_MD: &str = "day2/lab5-network.md";

/// A temporary course and a front end on it that keeps its warnings.
struct TestCourse {
    dir: tempfile::TempDir,
    warnings: RefCell<Vec<String>>,
}

impl Front for TestCourse {
    fn course_dir(&self) -> &Path {
        self.dir.path()
    }
    fn warn(&self, msg: &str) {
        self.warnings.borrow_mut().push(msg.to_string());
    }
}

impl TestCourse {
    /// The three labs, the GitHub one with CRLF.
    fn new() -> TestCourse {
        TestCourse::with(&[
            (GITHUB_MD, &GITHUB.replace('\n', "\r\n")),
            (KEYS_MD, KEYS),
            (LATER_MD, LATER),
        ])
    }

    fn with(labs: &[(&str, &str)]) -> TestCourse {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in labs {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        TestCourse {
            dir,
            warnings: RefCell::new(Vec::new()),
        }
    }

    fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }

    fn course(&self) -> crate::course::Course {
        super::open_course(self).unwrap()
    }

    fn lab(&self, id: &str) -> usize {
        self.course().resolve(id).unwrap()
    }

    fn events(&self, event: Event) -> usize {
        let records = super::load_journal(self).unwrap();
        records.iter().filter(|r| r.event == event).count()
    }

    fn set(&self, lab: &str, key: &str, value: &str) -> Result<Written, AppError> {
        let course = self.course();
        let k = course.resolve(lab).unwrap();
        let v = SecretString::from(value.to_string());
        memo::set_value(self, &course, k, key, &v, false, None)
    }
}

/// One age identity for the tests (`--identity` is process-wide, as in the CLI), kept in
/// the build folder and reused by later runs rather than left in /tmp by each.
fn identity() {
    static ONCE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/app-tests");
        let path = dir.join("identity.txt");
        crate::secret::init_identity(&path).unwrap();
        crate::secret::set_identity_override(path.clone());
        path
    });
}

#[test]
fn noting_a_value_splices_it_keeps_crlf_and_records_it_once() {
    let c = TestCourse::new();
    assert_eq!(
        c.set("2-3", "github_username", "octocat").unwrap(),
        Written::Changed
    );
    let text = c.text(GITHUB_MD);
    assert!(
        text.contains("> ➕ **<< github_username>>** : octocat  \r\n"),
        "{text:?}"
    );
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF kept");
    assert_eq!(c.events(Event::MemoSet), 1);
    // The same value again: the file is not touched, nothing is recorded.
    assert_eq!(
        c.set("2-3", "github_username", "octocat").unwrap(),
        Written::Unchanged
    );
    assert_eq!(c.text(GITHUB_MD), text);
    assert_eq!(c.events(Event::MemoSet), 1);
    let got = memo::get(&c, &c.course(), "<<github_username>>", None).unwrap();
    assert_eq!(got.value.expose_secret(), "octocat");
    assert!(c.warnings.borrow().is_empty(), "{:?}", c.warnings.borrow());
}

/// The walk wipe: an empty answer is refused by the use case itself, for every front end.
#[test]
fn an_empty_value_is_refused_and_the_noted_one_stays() {
    let c = TestCourse::new();
    c.set("2-3", "github_username", "octo-kept").unwrap();
    let before = c.text(GITHUB_MD);
    for empty in ["", "   ", "\n"] {
        let err = c.set("2-3", "github_username", empty).unwrap_err();
        assert!(
            matches!(
                &err,
                AppError::Memo {
                    source: MemoError::Empty { .. },
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.kind(), ErrorKind::User);
        assert!(err.to_string().contains("labnote memo unset 2-3"), "{err}");
    }
    assert_eq!(c.text(GITHUB_MD), before);
    assert_eq!(c.events(Event::MemoSet), 1);
}

#[test]
fn a_key_written_twice_is_refused_naming_both_lines() {
    let twice = GITHUB.replace(
        ">  ➕ **<< github_token>>** :\n",
        ">  ➕ **<< github_token>>** :\n> ➕ **<< github_username>>** : old\n",
    );
    let c = TestCourse::with(&[(GITHUB_MD, &twice)]);
    let err = c.set("2-3", "github_username", "new").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, AppError::MemoFile { .. }), "{err:?}");
    assert!(
        msg.contains(GITHUB_MD) && msg.contains("lines 5 and 7"),
        "{msg}"
    );
    assert_eq!(c.text(GITHUB_MD), twice);
    assert_eq!(c.events(Event::MemoSet), 0);
}

#[test]
fn unset_empties_once_and_an_unknown_key_lists_the_entries() {
    let c = TestCourse::new();
    c.set("2-3", "github_username", "octocat").unwrap();
    let course = c.course();
    let k = c.lab("2-3");
    let (key, w) = memo::unset(&c, &course, k, "GITHUB_USERNAME").unwrap();
    assert_eq!((key.as_str(), w), ("github_username", Written::Changed));
    assert!(c
        .text(GITHUB_MD)
        .contains("**<< github_username>>** :  \r\n"));
    let (_, again) = memo::unset(&c, &c.course(), k, "github_username").unwrap();
    assert_eq!(again, Written::Unchanged);
    assert_eq!(c.events(Event::MemoUnset), 1);
    let err = memo::unset(&c, &course, k, "nosuch").unwrap_err();
    assert!(
        err.to_string().contains("github_username, github_token"),
        "{err}"
    );
    let err = memo::reveal_entry(&c.course(), k, "github_username").unwrap_err();
    assert!(matches!(err, AppError::EntryEmpty { .. }), "{err:?}");
}

#[test]
fn a_secret_is_stored_encrypted_revealed_on_request_and_never_listed() {
    identity();
    let c = TestCourse::new();
    let token = concat!("ghp_", "unitTestToken0123456789");
    assert_eq!(
        c.set("2-3", "github_token", token).unwrap(),
        Written::Changed
    );
    let text = c.text(GITHUB_MD);
    assert!(!text.contains(token) && text.contains("`age:"), "{text}");
    let course = c.course();
    let k = c.lab("2-3");
    assert_eq!(
        memo::reveal_entry(&course, k, "github_token")
            .unwrap()
            .expose_secret(),
        token
    );
    // The same secret again leaves the ciphertext as it is.
    assert_eq!(
        c.set("2-3", "github_token", token).unwrap(),
        Written::Unchanged
    );
    assert_eq!(c.text(GITHUB_MD), text);
    let rows = memo::list(&c, &course, &[k]).unwrap();
    let row = rows.iter().find(|r| r.key == "github_token").unwrap();
    assert!(row.secret);
    assert_eq!(row.shown, Shown::Encrypted);
    assert!(rows
        .iter()
        .all(|r| !format!("{:?}", r.shown).contains(token)));
    let records = super::load_journal(&c).unwrap();
    assert!(!serde_yaml::to_string(&records).unwrap().contains(token));
}

#[test]
fn seal_encrypts_a_secret_noted_by_hand() {
    identity();
    let by_hand = GITHUB.replace(
        ">  ➕ **<< github_token>>** :\n",
        ">  ➕ **<< github_token>>** : ghp_byHand42\n",
    );
    let c = TestCourse::with(&[(GITHUB_MD, &by_hand)]);
    let course = c.course();
    let rows = memo::list(&c, &course, &[0]).unwrap();
    assert_eq!(rows[1].shown, Shown::Plaintext);
    let sealed = memo::seal(&c, &course, &[0]).unwrap();
    assert_eq!(sealed, vec![(0, "github_token".to_string())]);
    let text = c.text(GITHUB_MD);
    assert!(
        !text.contains("ghp_byHand42") && text.contains("age:"),
        "{text}"
    );
    assert_eq!(
        memo::reveal_entry(&c.course(), 0, "github_token")
            .unwrap()
            .expose_secret(),
        "ghp_byHand42"
    );
    assert!(memo::seal(&c, &c.course(), &[0]).unwrap().is_empty());
}

#[test]
fn marking_a_section_marks_its_leaves_once() {
    let c = TestCourse::new();
    let course = c.course();
    let k = c.lab("2-3");
    let lab = &course.labs[k].lab;
    let marked = progress::mark(&c, &course, k, &["1".to_string()], true).unwrap();
    let ids: Vec<(&str, bool)> = marked
        .steps
        .iter()
        .map(|&(i, ch)| (lab.steps[i].id.as_str(), ch))
        .collect();
    assert_eq!(ids, [("1-1", true), ("1-2", true)]);
    let p = Progress::from_records(&super::load_journal(&c).unwrap());
    assert_eq!(progress::done_count(&p, lab), 2);
    assert_eq!(
        progress::step_state(&p, lab, lab.step_index("1").unwrap()),
        StepState::Done
    );
    assert_eq!(
        progress::step_state(&p, lab, lab.step_index("2").unwrap()),
        StepState::Open
    );
    assert_eq!(progress::first_open(&p, lab), lab.step_index("2-1"));
    // Again: nothing changes, nothing is recorded.
    let again = progress::mark(&c, &course, k, &["1-1".to_string()], true).unwrap();
    assert_eq!(again.steps, [(lab.step_index("1-1").unwrap(), false)]);
    assert_eq!(c.events(Event::Done), 2);
    progress::mark(&c, &course, k, &["1-2".to_string()], false).unwrap();
    let p = Progress::from_records(&super::load_journal(&c).unwrap());
    assert_eq!(progress::done_count(&p, lab), 1);
    assert_eq!(progress::first_open(&p, lab), lab.step_index("1-2"));
}

/// `walk` goes on with the next open leaf after the step it is at, skipping the done ones,
/// and wraps to the first open one at the end of the lab (`app::progress::next_open_after`).
#[test]
fn the_step_after_is_the_next_open_leaf_wrapping_at_the_end() {
    let c = TestCourse::new();
    let course = c.course();
    let k = c.lab("2-3");
    let lab = &course.labs[k].lab;
    progress::mark(&c, &course, k, &["1-2".to_string()], true).unwrap();
    let p = Progress::from_records(&super::load_journal(&c).unwrap());
    let at = |id: &str| lab.step_index(id).unwrap();
    assert_eq!(
        progress::next_open_after(&p, lab, at("1-1")),
        Some(at("2-1"))
    );
    let last = (0..lab.steps.len())
        .rev()
        .find(|&i| lab.steps[i].checkable)
        .unwrap();
    assert_eq!(progress::next_open_after(&p, lab, last), Some(at("1-1")));
    let tops: Vec<String> = lab
        .steps
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| s.id.clone())
        .collect();
    progress::mark(&c, &course, k, &tops, true).unwrap();
    let p = Progress::from_records(&super::load_journal(&c).unwrap());
    assert_eq!(progress::first_open(&p, lab), None);
    assert_eq!(progress::next_open_after(&p, lab, at("1-1")), None);
}

#[test]
fn a_wrong_step_records_nothing_and_a_repeated_number_names_its_twin() {
    let c = TestCourse::new();
    let course = c.course();
    let k = c.lab("2-4");
    let args = ["3-1".to_string(), "9-9".to_string()];
    let err = progress::mark(&c, &course, k, &args, true).unwrap_err();
    assert!(matches!(err, AppError::NoStep { .. }) && err.kind() == ErrorKind::User);
    assert!(err.to_string().contains("3-1.2"), "lists the steps: {err}");
    assert_eq!(c.events(Event::Done), 0, "nothing recorded");
    let marked = progress::mark(&c, &course, k, &args[..1], true).unwrap();
    assert_eq!(marked.twins.len(), 1);
    assert!(
        marked.twins[0].others.starts_with("3-1.2 (키 확인)"),
        "{:?}",
        marked.twins
    );
    assert_eq!(c.events(Event::Done), 1);
}

#[test]
fn a_bar_shows_started_and_unfinished_work() {
    assert_eq!(progress::bar(0, 10, 10), "░".repeat(10));
    assert_eq!(progress::bar(1, 100, 10), format!("█{}", "░".repeat(9)));
    assert_eq!(progress::bar(99, 100, 10), format!("{}░", "█".repeat(9)));
    assert_eq!(progress::bar(3, 3, 4), "████");
    assert_eq!(progress::bar(0, 0, 4), "░░░░");
}

#[test]
fn placeholders_resolve_from_the_memo_and_a_heredoc_is_none() {
    identity();
    let c = TestCourse::new();
    c.set("2-3", "github_username", "octocat").unwrap();
    c.set(
        "2-4",
        "AWS Secret Access key",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap();
    let env = resolve::Env::load(&c).unwrap();
    let k = env.course.resolve("2-5").unwrap();
    let listed = resolve::placeholders(&env, k);
    let names: Vec<&str> = listed.iter().map(|l| l.resolution.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "github_username",
            "AWS Access Key ID",
            "AWS Secret Access key"
        ]
    );
    assert!(listed.iter().all(|l| l.occurrences == 1));
    let shown = |l: &resolve::Listed, reveal| {
        resolve::shown_value(&env.course, &l.resolution, reveal, &mut None).unwrap()
    };
    assert_eq!(shown(&listed[0], false).as_deref(), Some("octocat"));
    assert_eq!(shown(&listed[1], false), None, "not noted");
    assert_eq!(shown(&listed[2], false).as_deref(), Some(resolve::MASK));
    assert_eq!(
        shown(&listed[2], true).as_deref(),
        Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    );
    let r = env.resolver();
    let err = resolve::reveal_placeholder(&r, k, "EOF").unwrap_err();
    assert!(matches!(err, AppError::NoPlaceholder { .. }), "{err:?}");
    let err = resolve::reveal_placeholder(&r, k, "AWS Access Key ID").unwrap_err();
    assert!(matches!(err, AppError::NotNoted { .. }), "{err:?}");
    let v = resolve::reveal_placeholder(&r, k, " github_username ").unwrap();
    assert_eq!(v.expose_secret(), "octocat");
}

#[test]
fn the_key_pair_is_the_latest_noted_and_the_user_is_the_labs_student() {
    identity();
    let c = TestCourse::new();
    let course = c.course();
    let k = c.lab("2-4");
    assert!(matches!(
        keys::pair_of(&course, 0),
        Err(AppError::NoKeyEntries { .. })
    ));
    assert!(matches!(
        keys::pair_of(&course, k),
        Err(AppError::NoKeyNoted { .. })
    ));
    assert!(matches!(
        keys::latest_pair_lab(&c, &course),
        Err(AppError::NoKeyInCourse)
    ));
    c.set("2-4", "AWS Access Key ID", "AKIAIOSFODNN7EXAMPLE")
        .unwrap();
    c.set(
        "2-4",
        "AWS Secret Access key",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap();
    let course = c.course();
    assert_eq!(keys::latest_pair_lab(&c, &course).unwrap(), k);
    let (id, secret) = keys::key_pair(&c, &course, None).unwrap();
    assert_eq!(id, "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(
        secret.expose_secret(),
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    );
    let cfg = crate::config::CourseConfig::default();
    assert_eq!(
        keys::user_for(&cfg, &course, k, None).as_deref(),
        Some("mspuser")
    );
    assert_eq!(
        keys::user_for(&cfg, &course, k, Some("other")).as_deref(),
        Some("other")
    );
    let req = keys::request(&c, &cfg, &course, k, &keys::IssueOptions::default());
    assert_eq!(req.user.as_deref(), Some("mspuser"));
    assert_eq!(req.protected, ["AKIAIOSFODNN7EXAMPLE"]);
}

/// The page's Note form for a placeholder with nothing noted targets the entry `memo set`
/// stores it in: the value's one key, in this lab or the first lab that has it.
#[test]
fn a_placeholder_is_noted_where_memo_set_would_store_it() {
    let c = TestCourse::new();
    let env = resolve::Env::load(&c).unwrap();
    let (k3, k4, k5) = (c.lab("2-3"), c.lab("2-4"), c.lab("2-5"));
    let target = |k, name| {
        let t = super::notes::note_target(&env.course, &env.cfg, k, name);
        Some((t.lab, t.key, t.secret))
    };
    let key4 = |key: &str, secret| Some((k4, key.to_string(), secret));
    assert_eq!(
        target(k5, "AWS Access Key ID"),
        key4("AWS Access Key ID", false)
    );
    assert_eq!(
        target(k5, "발급받은 AWS Secret Access key"),
        key4("AWS Secret Access key", true)
    );
    assert_eq!(
        target(k3, "github_username"),
        Some((k3, "github_username".into(), false))
    );
    // No lab has an entry for it, the course neither asks for it nor uses it: the lab the
    // student is in gets the entry (the one rule of `notes::home_lab`, as `memo set`, the
    // offer after a run and `walk`'s `m` note it).
    let t = target(k5, "생성된 IP").unwrap();
    assert_eq!((t.0, t.2), (k5, false), "no lab has an entry for it: {t:?}");
    let key = memo::key_of(&c, &env.course, "발급받은 AWS Secret Access key").unwrap();
    assert_eq!(key, "AWS Secret Access key", "memo set agrees");
}

/// Issue 22: the note form of each note point (`notes::point_menus`), in walk's `m` order:
/// the values the point asks for, then the lab's memo entries, never the rest of the
/// course; a typed name found by `named` on it; the write by `note_offer`, as walk's `m`.
#[test]
fn each_note_point_offers_its_values_then_the_labs_entries() {
    use super::notes::{self, PointKind, Tier};
    identity();
    let c = TestCourse::new();
    let env = resolve::Env::load(&c).unwrap();
    let k3 = c.lab("2-3");
    let lab = &env.course.labs[k3].lab;
    let menus = notes::point_menus(&env.course, &env.cfg, &env.records, k3);
    assert_eq!(menus.len(), lab.note_points.len());
    for (n, m) in menus.iter().enumerate() {
        assert_eq!(m.point, n);
        assert_eq!(m.step, lab.note_points[n].step);
        let tiers: Vec<Tier> = m.offers.iter().map(|o| o.offer.tier).collect();
        assert!(!tiers.contains(&Tier::Course), "{tiers:?}");
        let first_lab = tiers.iter().position(|t| *t == Tier::Lab).unwrap();
        assert!(
            tiers[first_lab..].iter().all(|t| *t == Tier::Lab),
            "{tiers:?}"
        );
        let step_names: Vec<&String> = m
            .offers
            .iter()
            .filter(|o| o.offer.tier == Tier::Step)
            .map(|o| &o.name)
            .collect();
        assert_eq!(m.names.iter().collect::<Vec<_>>(), step_names);
        // The lab's memo entries, each once.
        let lab_keys: Vec<&str> = m.offers.iter().map(|o| o.offer.key.trim()).collect();
        for e in lab.memo_entries() {
            assert_eq!(
                lab_keys.iter().filter(|k| **k == e.key.trim()).count(),
                1,
                "{lab_keys:?}"
            );
        }
    }
    // The memo entry `github_token`: itself first, a secret used in 2-3 2-1.
    let token = lab
        .note_points
        .iter()
        .position(|p| p.kind == PointKind::Memo && p.text.trim() == "github_token")
        .unwrap();
    let m = &menus[token];
    assert_eq!(m.offers[0].offer.key.trim(), "github_token");
    assert_eq!(m.offers[0].offer.tier, Tier::Step);
    assert!(m.offers[0].offer.secret);
    assert_eq!(
        notes::step_label(&env.course, &m.offers[0].uses[0]),
        "2-3 2-1"
    );
    // A typed name: the value it means by any written form, else a new entry here.
    let o = notes::named(&env.course, &env.cfg, k3, &m.menu, "<<github_token>>");
    assert_eq!((o.key.trim(), o.lab, o.secret), ("github_token", k3, true));
    let o = notes::named(&env.course, &env.cfg, k3, &m.menu, "저장소 이름");
    assert_eq!((o.lab, o.tier), (k3, Tier::Course));
    // Noted as walk's `m` notes it: the secret encrypted in 2-3's memo block.
    let course = c.course();
    let first = m.offers[0].offer.clone();
    let n = notes::note_offer(
        &c,
        &course,
        &first,
        &SecretString::from("ghp_x1y2z3".to_string()),
    )
    .unwrap();
    assert!(n.secret && n.lab == k3);
    let text = c.text(GITHUB_MD);
    assert!(
        text.contains("github_token>>** : `age:") && !text.contains("ghp_x1y2z3"),
        "{text}"
    );
}
