//! What the unit tests of several modules share.

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
