//! Where a student who names no lab goes on (`walk`, `next`): the lab last worked on.
//!
//! A student stops in the middle of a lab and comes back the next day with `labnote walk`;
//! starting over at the course's first lab would send them through labs they finished.
//! The rule, in one place: the lab of the journal's last record (the last one that names a
//! lab of the course: a record of a lab since removed decides nothing), if that lab still has
//! an open step; else the first lab, in course order, with an open step; else none.
//!
//! Pure: the journal's lab ids, the course's lab ids and whether each lab is open in, an
//! index out.

/// The index in `labs` of the lab to resume. `journal` is the lab id of every record, in
/// journal order; `labs` the course's lab ids in course order; `open(k)` whether lab `k` has
/// a step left.
pub fn lab<'a>(
    journal: impl DoubleEndedIterator<Item = &'a str>,
    labs: &[&str],
    open: impl Fn(usize) -> bool,
) -> Option<usize> {
    let last = journal
        .rev()
        .find_map(|id| labs.iter().position(|l| *l == id));
    last.filter(|&k| open(k))
        .or_else(|| last.and_then(|k| after(k, labs.len(), &open)))
        .or_else(|| (0..labs.len()).find(|&k| open(k)))
}

/// After lab `k` of `n`: the next lab, in course order, with a step left (no wrapping). The one
/// rule of "the next lab" for `walk`'s offer after a lab and for `next` after a finished lab.
pub fn after(k: usize, n: usize, open: impl Fn(usize) -> bool) -> Option<usize> {
    (k + 1..n).find(|&m| open(m))
}

/// [`lab`] over a course and its journal.
pub fn lab_of_course(
    course: &crate::course::Course,
    records: &[crate::journal::Record],
    open: impl Fn(usize) -> bool,
) -> Option<usize> {
    let ids: Vec<&str> = course.labs.iter().map(|l| l.lab.id.as_str()).collect();
    lab(records.iter().map(|r| r.lab.as_str()), &ids, open)
}

#[cfg(test)]
mod tests {
    use super::lab;

    const LABS: &[&str] = &["2-3", "2-4", "2-5", "3-1"];

    fn pick(journal: &[&str], open: &[bool]) -> Option<usize> {
        lab(journal.iter().copied(), LABS, |k| open[k])
    }

    #[test]
    fn the_last_lab_worked_on_while_it_has_a_step_left() {
        let all = [true; 4];
        assert_eq!(pick(&["2-3", "2-5"], &all), Some(2));
        // The last record decides, not the most frequent lab.
        assert_eq!(pick(&["2-5", "2-5", "2-4"], &all), Some(1));
    }

    #[test]
    fn a_finished_last_lab_gives_the_first_open_one() {
        assert_eq!(pick(&["2-3", "2-4"], &[false, false, true, true]), Some(2));
        // The first open lab in course order, even before the last one.
        assert_eq!(pick(&["3-1"], &[false, true, true, false]), Some(1));
    }

    #[test]
    fn a_finished_last_lab_gives_the_next_open_one_after_it() {
        // After 2-4 (finished), 3-1 is open and so is 2-3 before it: 3-1, as walk offers.
        assert_eq!(pick(&["2-3", "2-4"], &[true, false, false, true]), Some(3));
        assert_eq!(
            super::after(1, 4, |k| [true, false, false, true][k]),
            Some(3)
        );
    }

    #[test]
    fn no_journal_gives_the_first_open_lab() {
        assert_eq!(pick(&[], &[true; 4]), Some(0));
        assert_eq!(pick(&[], &[false, false, false, true]), Some(3));
    }

    #[test]
    fn records_of_labs_no_longer_in_the_course_are_passed_over() {
        assert_eq!(pick(&["2-5", "9-9"], &[true; 4]), Some(2));
        assert_eq!(pick(&["9-9"], &[false, true, true, true]), Some(1));
    }

    #[test]
    fn nothing_open_gives_none() {
        assert_eq!(pick(&["2-4"], &[false; 4]), None);
        assert_eq!(lab([].into_iter(), &[], |_| true), None);
    }
}
