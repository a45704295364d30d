//! Placeholder resolution for a lab: which value each `<<name>>` stands for and where it
//! comes from ([`crate::resolve`] decides), the value itself (decrypted on request), and
//! what a listing of a lab's placeholders shows.

use secrecy::{ExposeSecret, SecretString};

use super::{AppError, Front};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::Record;
use crate::lab::{Lab, PlaceholderContext};
/// What a placeholder resolves to and where it comes from, as a front end lists it; the
/// keyring a value is decrypted with.
pub use crate::resolve::{Resolution, Resolver, Source};
pub use crate::secret::Keyring;

/// What a secret shows where it is not revealed.
pub const MASK: &str = "••••";

/// Everything resolution needs, loaded once: the course, course.yaml and the journal.
pub struct Env {
    pub course: Course,
    pub cfg: CourseConfig,
    pub records: Vec<Record>,
}

impl Env {
    pub fn load(front: &dyn Front) -> Result<Env, AppError> {
        let course = super::open_course(front)?;
        // Opening the course read and validated course.yaml already.
        let cfg = course.config.clone();
        Ok(Env {
            course,
            cfg,
            records: super::load_journal(front)?,
        })
    }

    pub fn resolver(&self) -> Resolver<'_> {
        resolver(&self.course, &self.cfg, &self.records)
    }
}

/// The resolver of a course as read (today's date for `<<YYMMDD>>`).
pub fn resolver<'a>(
    course: &'a Course,
    cfg: &'a CourseConfig,
    records: &'a [Record],
) -> Resolver<'a> {
    Resolver::new(course, cfg, records, Resolver::local_today())
}

/// The plaintext a resolution stands for (`None`: nothing noted), decrypting a secret with
/// `keyring` (loaded the first time one is needed).
pub fn value_of(
    course: &Course,
    res: &Resolution,
    keyring: &mut Option<Keyring>,
) -> Result<Option<SecretString>, AppError> {
    match &res.source {
        None => Ok(None),
        Some(Source::Builtin { value }) => Ok(Some(SecretString::from(value.clone()))),
        Some(Source::Memo {
            lab_index,
            key,
            raw,
            ..
        }) => {
            let lab_id = &course.labs[*lab_index].lab.id;
            super::memo::reveal(raw, lab_id, key, keyring).map(Some)
        }
    }
}

/// The text a placeholder is filled with where it is shown: the value, [`MASK`] for a
/// secret unless `reveal`, `None` when nothing is noted.
pub fn shown_value(
    course: &Course,
    res: &Resolution,
    reveal: bool,
    keyring: &mut Option<Keyring>,
) -> Result<Option<String>, AppError> {
    if res.secret && !reveal && matches!(res.source, Some(Source::Memo { .. })) {
        return Ok(Some(MASK.to_string()));
    }
    Ok(value_of(course, res, keyring)?.map(|v| v.expose_secret().to_string()))
}

/// The value placeholder `name` of lab `k` stands for, revealed; an error when the lab has
/// no such placeholder or nothing is noted for it.
pub fn reveal_placeholder(r: &Resolver, k: usize, name: &str) -> Result<SecretString, AppError> {
    let course = r.course();
    let lab = &course.labs[k].lab;
    let name = name.trim();
    if !lab.placeholders.iter().any(|p| p.name == name) {
        return Err(AppError::NoPlaceholder {
            lab: lab.id.clone(),
            name: name.to_string(),
        });
    }
    value_of(course, &r.resolve(name), &mut None)?.ok_or_else(|| AppError::NotNoted {
        name: name.to_string(),
    })
}

/// One distinct placeholder of a lab: how it resolves, and how often the lab uses it.
pub struct Listed {
    pub resolution: Resolution,
    pub occurrences: usize,
}

/// The distinct placeholders of lab `k`, in order of first use. A memo entry's own
/// `<< key>>` is not a use of the placeholder.
pub fn placeholders(env: &Env, k: usize) -> Vec<Listed> {
    let lab = &env.course.labs[k].lab;
    let r = env.resolver();
    distinct_names(lab)
        .into_iter()
        .map(|name| Listed {
            occurrences: uses(lab).filter(|p| p.name == name).count(),
            resolution: r.resolve(&name),
        })
        .collect()
}

/// The placeholders of a lab that are uses (outside its memo entries).
fn uses(lab: &Lab) -> impl Iterator<Item = &crate::lab::Placeholder> {
    lab.placeholders
        .iter()
        .filter(|p| p.context != PlaceholderContext::Memo)
}

/// Distinct placeholder names of a lab, in order of first appearance.
fn distinct_names(lab: &Lab) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for p in uses(lab) {
        if !v.contains(&p.name) {
            v.push(p.name.clone());
        }
    }
    v
}
