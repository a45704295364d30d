//! What the unit tests of several modules share (compiled for tests only).

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
