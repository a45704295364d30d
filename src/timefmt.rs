//! How labnote shows a moment: in the student's local time zone, the one home of that rule.
//!
//! The journal stores UTC (`2026-03-02T01:02:03Z`, see [`crate::journal`]) so that records
//! written on machines in different zones sort and compare as text. What a person reads is
//! local: `log` and `issue-key`'s key list show `2026-03-02 10:02`, and `--json` gives RFC 3339
//! with the local offset (`2026-03-02T10:02:03+09:00`), which a program can still parse
//! exactly. The zone is the system's ([`TimeZone::system`]: `TZ` first, then
//! `/etc/localtime`), UTC when none can be found.
//!
//! Pure apart from [`zone`]: every formatter takes the zone, so tests need no environment.

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::journal::Record;

/// The local time zone (`TZ`, else the system's setting, else UTC).
pub fn zone() -> TimeZone {
    TimeZone::system()
}

/// RFC 3339 with the zone's offset, to the second: `2026-03-02T10:02:03+09:00`.
fn rfc3339_in(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Date and minute in the zone, for a column a person reads: `2026-03-02 10:02`.
fn short_in(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// [`short_in`] in the local zone.
pub fn short(t: Timestamp) -> String {
    short_in(t, &zone())
}

/// [`short_in`] in the local zone, or `never` (i18n) when there is no time.
pub fn short_or_never(t: Option<Timestamp>) -> String {
    t.map_or_else(|| crate::t!("time-never"), short)
}

/// A stored time (RFC 3339, any offset) as RFC 3339 in the zone; a text that does not parse is
/// returned as it is (the journal's reader reports it).
fn stored_in(s: &str, tz: &TimeZone) -> String {
    s.parse::<Timestamp>()
        .map_or_else(|_| s.to_string(), |t| rfc3339_in(t, tz))
}

/// A stored time in the local zone, for `log`.
pub fn stored(s: &str) -> String {
    stored_in(s, &zone())
}

/// Copies of `records` with their times in the local zone, for `log --json`.
pub fn records_local<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Record> {
    let tz = zone();
    records
        .into_iter()
        .map(|r| Record {
            time: stored_in(&r.time, &tz),
            ..r.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seoul() -> TimeZone {
        // A POSIX TZ string needs no time zone database: KST is UTC+9 all year.
        TimeZone::posix("KST-9").unwrap()
    }

    #[test]
    fn rfc3339_carries_the_local_offset() {
        let t: Timestamp = "2026-03-02T01:02:03Z".parse().unwrap();
        assert_eq!(rfc3339_in(t, &seoul()), "2026-03-02T10:02:03+09:00");
        assert_eq!(rfc3339_in(t, &TimeZone::UTC), "2026-03-02T01:02:03+00:00");
        // Across midnight the date moves with the zone.
        let late: Timestamp = "2026-03-02T20:30:00Z".parse().unwrap();
        assert_eq!(short_in(late, &seoul()), "2026-03-03 05:30");
        let ny = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(rfc3339_in(t, &ny), "2026-03-01T20:02:03-05:00");
    }

    #[test]
    fn stored_times_are_converted_and_the_same_instant() {
        let out = stored_in("2026-03-02T01:02:03Z", &seoul());
        assert_eq!(out, "2026-03-02T10:02:03+09:00");
        let back: Timestamp = out.parse().unwrap();
        assert_eq!(back, "2026-03-02T01:02:03Z".parse::<Timestamp>().unwrap());
        // Not a time: kept, never a panic.
        assert_eq!(stored_in("yesterday", &seoul()), "yesterday");
    }

    #[test]
    fn records_keep_everything_but_the_time() {
        let mut r = Record::new("2-4", "done");
        r.time = "2026-03-02T01:02:03Z".into();
        r.step = Some("3".into());
        let out = records_local([&r]);
        assert_eq!(out[0].step.as_deref(), Some("3"));
        assert_eq!(out[0].lab, "2-4");
        assert!(out[0].time.parse::<Timestamp>().is_ok(), "{}", out[0].time);
    }
}
