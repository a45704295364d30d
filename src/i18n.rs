//! The student's language: every message labnote shows comes from a Fluent file, English
//! (`i18n/en/labnote.ftl`) or Korean (`i18n/ko/labnote.ftl`), both embedded in the binary.
//!
//! The language is chosen once per process by [`Lang::from_env`]: `LABNOTE_LANG` when set,
//! else the POSIX locale (the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not
//! empty); Korean when that starts with `ko`, English otherwise. A message is looked up with
//! [`t!`](crate::t): `t!("course-no-lab", arg = lab)`. A key missing from the chosen file
//! falls back to English, and a key missing everywhere shows the key itself, never a panic;
//! the unit tests below keep both files complete and every key used in `src/` defined.
//!
//! `--json` output never goes through here: its field names are part of the interface.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

const EN_FTL: &str = include_str!("../i18n/en/labnote.ftl");
const KO_FTL: &str = include_str!("../i18n/ko/labnote.ftl");

/// A language labnote speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// The language the environment asks for (see the module doc).
    pub fn from_env() -> Lang {
        Lang::pick(|name| std::env::var(name).ok())
    }

    /// The language for an environment given as a lookup (pure, for tests).
    pub fn pick(var: impl Fn(&str) -> Option<String>) -> Lang {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        let chosen = set("LABNOTE_LANG")
            .or_else(|| set("LC_ALL"))
            .or_else(|| set("LC_MESSAGES"))
            .or_else(|| set("LANG"));
        match chosen {
            Some(v) if v.to_ascii_lowercase().starts_with("ko") => Lang::Ko,
            _ => Lang::En,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => EN_FTL,
            Lang::Ko => KO_FTL,
        }
    }

    fn tag(self) -> unic_langid::LanguageIdentifier {
        let tag = match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        };
        tag.parse().expect("a valid language tag")
    }
}

/// The language of this process, read from the environment on first use.
pub fn lang() -> Lang {
    static LANG: OnceLock<Lang> = OnceLock::new();
    *LANG.get_or_init(Lang::from_env)
}

/// True when labnote speaks Korean in this process.
pub fn is_korean() -> bool {
    lang() == Lang::Ko
}

type Bundle = FluentBundle<FluentResource>;

fn bundle_of(lang: Lang) -> Bundle {
    let mut b = FluentBundle::new_concurrent(vec![lang.tag()]);
    // No Unicode isolation marks around values: they show up as stray characters in
    // terminals and would break copying a path or a command out of a message.
    b.set_use_isolating(false);
    // The embedded files are checked by the tests; a broken entry is dropped, not fatal.
    let res = FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(r, _)| r);
    let _ = b.add_resource(res);
    b
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static KO: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| bundle_of(Lang::En)),
        Lang::Ko => KO.get_or_init(|| bundle_of(Lang::Ko)),
    }
}

/// A value that can fill a `{ $name }` placeable.
pub trait Arg {
    fn to_fluent(&self) -> FluentValue<'static>;
}

macro_rules! text_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn to_fluent(&self) -> FluentValue<'static> {
                FluentValue::from(self.to_string())
            }
        }
    )*};
}
text_arg!(
    str,
    String,
    char,
    std::fmt::Arguments<'_>,
    std::borrow::Cow<'_, str>,
    std::io::Error
);

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn to_fluent(&self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64, f64);

impl Arg for std::path::Path {
    fn to_fluent(&self) -> FluentValue<'static> {
        FluentValue::from(self.display().to_string())
    }
}

impl Arg for std::path::PathBuf {
    fn to_fluent(&self) -> FluentValue<'static> {
        self.as_path().to_fluent()
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn to_fluent(&self) -> FluentValue<'static> {
        (**self).to_fluent()
    }
}

/// The message `key` in this process's language, its placeables filled from `args`.
/// Use the [`t!`](crate::t) macro rather than calling this directly.
pub fn message(key: &str, args: &[(&str, &dyn Arg)]) -> String {
    message_in(lang(), key, args)
}

/// The message `key` in this process's language, or `None` when neither file has it (for
/// texts that keep a default of their own, such as clap's help).
pub fn lookup(key: &str) -> Option<String> {
    let known = [lang(), Lang::En]
        .into_iter()
        .any(|l| bundle(l).has_message(key));
    known.then(|| message(key, &[]))
}

/// The message `key` in `lang` (English when `lang`'s file lacks it, else the key).
pub fn message_in(lang: Lang, key: &str, args: &[(&str, &dyn Arg)]) -> String {
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        fargs.set(*name, value.to_fluent());
    }
    for l in [lang, Lang::En] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
            let mut errors = vec![];
            let text = b.format_pattern(pattern, Some(&fargs), &mut errors);
            return text.into_owned();
        }
    }
    key.to_string()
}

/// A message in the student's language: `t!("key")` or `t!("key", name = value, ...)`,
/// where each value is text, a number or a path (see [`Arg`]).
#[macro_export]
macro_rules! t {
    ($key:literal $(,)?) => {
        $crate::i18n::message($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $key,
            &[$((stringify!($name), &$value as &dyn $crate::i18n::Arg)),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(src: &str) -> BTreeSet<String> {
        let res = match FluentResource::try_new(src.to_string()) {
            Ok(r) => r,
            Err((_, errs)) => panic!("the .ftl file does not parse: {errs:?}"),
        };
        res.entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Every `t!("key"` in `src/` names a key of the English file (that the Korean file has
    /// the same keys is checked by tests/it/i18n.rs).
    #[test]
    fn every_key_used_in_src_is_defined() {
        let en = keys(EN_FTL);
        assert!(!keys(KO_FTL).is_empty());
        let mut missing = vec![];
        let mut used = 0;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        // This file's own docs show the macro with made-up keys.
        let files = rust_files(&root)
            .into_iter()
            .filter(|f| !f.ends_with("i18n.rs"));
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (i, _) in text.match_indices("t!(") {
                if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                // `cargo fmt` puts the key on the next line when the call is long.
                let Some(rest) = text[i + 3..].trim_start().strip_prefix('"') else {
                    continue;
                };
                let key = &rest[..rest.find('"').unwrap()];
                used += 1;
                if !en.contains(key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(used > 20, "only {used} uses of t! found");
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(rust_files(&p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn the_posix_variable_that_is_set_first_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::pick(env(&[("LANG", "ko_KR.UTF-8")])), Lang::Ko);
        assert_eq!(Lang::pick(env(&[("LANG", "C")])), Lang::En);
        assert_eq!(Lang::pick(env(&[])), Lang::En);
        let c_all = &[("LC_ALL", "C"), ("LANG", "ko_KR.UTF-8")];
        assert_eq!(Lang::pick(env(c_all)), Lang::En);
        let empty_all = &[("LC_ALL", ""), ("LC_MESSAGES", "ko_KR"), ("LANG", "C")];
        assert_eq!(Lang::pick(env(empty_all)), Lang::Ko);
        let ours = &[("LABNOTE_LANG", "ko"), ("LC_ALL", "en_US.UTF-8")];
        assert_eq!(Lang::pick(env(ours)), Lang::Ko);
        let ours_en = &[("LABNOTE_LANG", "en"), ("LANG", "ko_KR.UTF-8")];
        assert_eq!(Lang::pick(env(ours_en)), Lang::En);
    }

    #[test]
    fn placeables_are_filled_without_isolation_marks() {
        let p = std::path::Path::new("/tmp/x");
        let en = message_in(Lang::En, "course-no-folder", &[("path", &p)]);
        assert!(
            en.starts_with("course folder /tmp/x does not exist"),
            "{en}"
        );
        let ko = message_in(Lang::Ko, "course-no-folder", &[("path", &p)]);
        assert!(ko.contains("/tmp/x") && ko.contains("--course"), "{ko}");
        assert!(!ko.contains('\u{2068}'), "{ko:?}");
        assert_eq!(message_in(Lang::Ko, "no-such-key", &[]), "no-such-key");
        // Numbers without grouping: line numbers and sizes are copied into commands.
        let big = message_in(
            Lang::En,
            "store-too-large",
            &[("path", &p), ("mib", &12345u64)],
        );
        assert!(big.contains("larger than 12345 MiB"), "{big}");
    }
}
