//! What the unit tests of several modules share (compiled for tests only; `labnote` keeps its
//! own copy of what its tests use).

use std::fmt::Debug;

/// Asserts `f(input) == want` for every `(input, want)` of a table, naming the input of a
/// row that fails: the one loop behind the modules' tables of cases.
#[track_caller]
pub fn check_table<I, O, W>(f: impl Fn(I) -> O, rows: impl IntoIterator<Item = (I, W)>)
where
    I: Debug,
    O: PartialEq<W> + Debug,
    W: Debug,
{
    for (input, want) in rows {
        let shown = format!("{input:?}");
        let got = f(input);
        assert!(got == want, "{shown}: got {got:?}, want {want:?}");
    }
}

/// Asserts that `accepts` holds for every case of `yes` and for none of `no`; a failure
/// names the case sorted wrong. For the tests of a check that takes or refuses a text.
#[track_caller]
pub fn assert_sorts(accepts: impl Fn(&str) -> bool, yes: &[&str], no: &[&str]) {
    for case in yes {
        assert!(accepts(case), "should be accepted: {case:?}");
    }
    for case in no {
        assert!(!accepts(case), "should be refused: {case:?}");
    }
}
