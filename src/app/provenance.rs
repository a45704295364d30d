//! Where a noted value came from: the `fetched` journal record `app::sources::note` writes
//! (source, region, resource id; never a value), read back for `memo list -v` and the page's
//! memo panel until the entry is edited by hand. Its own module, below `app::memo` and
//! `app::sources`, so that both read it without an import cycle.

use crate::journal::{Event, Record};
use crate::names;

/// Where a noted value came from, when a source gave it and nothing was noted by hand since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub source: String,
    pub region: Option<String>,
    pub resource: String,
    pub time: String,
}

impl Provenance {
    /// "from AWS (ec2, ap-northeast-2)", "from kubeconfig", "from github".
    pub fn said(&self) -> String {
        said_from(&self.source, self.region.as_deref())
    }
}

/// Where a value comes from, in words: "from AWS (ec2, ap-northeast-2)" for a service read
/// in a region, "from kubeconfig" (git, github) otherwise. The one wording of `memo list -v`,
/// walk's `m`, the page's memo panel and its Read button (under `i18n::in_lang` for a
/// request's language).
pub fn said_from(source: &str, region: Option<&str>) -> String {
    match region {
        Some(r) if !matches!(source, "kubeconfig" | "git" | "github") => crate::t!(
            "source-from-aws",
            service = source.to_string(),
            region = r.to_string()
        ),
        _ => crate::t!("source-from-other", source = source.to_string()),
    }
}

/// The provenance of entry `key` of lab `lab_id`: its last `fetched` record, when no
/// `memo-set` or `memo-unset` of the key came after it other than the one the fetch made.
pub fn provenance(records: &[Record], lab_id: &str, key: &str) -> Option<Provenance> {
    let nk = names::normalize_key(key);
    let of_key = |r: &Record| {
        r.lab == lab_id
            && r.details
                .get("key")
                .and_then(|v| v.as_str())
                .is_some_and(|k| names::normalize_key(k) == nk)
    };
    let last_fetch = records
        .iter()
        .rposition(|r| r.event == Event::Fetched && of_key(r))?;
    let later_edit = records[last_fetch + 1..]
        .iter()
        .any(|r| (r.event == Event::MemoSet || r.event == Event::MemoUnset) && of_key(r));
    if later_edit {
        return None;
    }
    let r = &records[last_fetch];
    let s = |k: &str| {
        r.details
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    Some(Provenance {
        source: s("source")?,
        region: s("region"),
        resource: s("resource").unwrap_or_default(),
        time: r.time.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(event: Event, key: &str) -> Record {
        Record::new("4-1", event)
            .detail("key", key)
            .detail("source", "ec2")
            .detail("region", "ap-northeast-2")
            .detail("resource", "i-1")
    }

    #[test]
    fn provenance_ends_at_a_later_edit_by_hand() {
        let mut rs = vec![
            rec(Event::MemoSet, "Public IP"),
            rec(Event::Fetched, "Public IP"),
        ];
        let p = provenance(&rs, "4-1", "public ip").unwrap();
        assert_eq!(
            (p.source.as_str(), p.region.as_deref()),
            ("ec2", Some("ap-northeast-2"))
        );
        assert!(provenance(&rs, "4-2", "Public IP").is_none());
        rs.push(rec(Event::MemoSet, "Public IP"));
        assert!(provenance(&rs, "4-1", "Public IP").is_none());
    }
}
