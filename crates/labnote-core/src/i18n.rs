//! The student's language: every message labnote shows comes from a Fluent file, English
//! (`i18n/en/labnote.ftl`) or Korean (`i18n/ko/labnote.ftl`), both embedded in the binary.
//!
//! The language is chosen by [`Lang::pick`] from the environment's values, which the caller
//! reads and passes in (this crate reads no environment): `LABNOTE_LANG` when set, else the
//! POSIX locale (the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty);
//! Korean when that starts with `ko`, English otherwise. The binary sets the process's
//! language once at start ([`set_language`]); until then, English. A message is looked up
//! with [`t!`](crate::t): `t!("course-no-lab", arg = lab)`, or in a language given
//! explicitly with [`t_in!`](crate::t_in) (a web request's language); [`in_lang`] makes `t!`
//! speak another language on this thread while a closure runs (an error's message rendered
//! for a web request). A key missing from the
//! chosen file falls back to English, and a key missing everywhere shows the key itself, never
//! a panic; tests keep both files complete (tests/it/i18n.rs) and every key used in the
//! sources defined (`labnote::locale`'s unit test, which may read files).
//!
//! `--json` output never goes through here: its field names are part of the interface.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

const EN_FTL: &str = include_str!("../../../i18n/en/labnote.ftl");
const KO_FTL: &str = include_str!("../../../i18n/ko/labnote.ftl");

/// A language labnote speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// The language an environment asks for, given as a lookup of its variables (see the
    /// module doc).
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

    /// The language an HTTP `Accept-Language` header asks for: its languages by their
    /// `q` weights (the first written wins a tie; `q=0` refuses one), the first that is
    /// Korean (`ko`, `ko-KR`) or English; `None` when it names neither (`*`, `fr`): the
    /// caller then falls back to the process's language ([`lang`]).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut langs: Vec<(f32, usize, Lang)> = Vec::new();
        for (n, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q.is_nan() || q <= 0.0 {
                continue;
            }
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            let lang = match primary {
                "ko" => Lang::Ko,
                "en" => Lang::En,
                _ => continue,
            };
            langs.push((q, n, lang));
        }
        langs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        langs.first().map(|l| l.2)
    }

    /// The language's tag for HTML's `lang` attribute (`en`, `ko`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
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

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of this process (the binary does it once at start, from the
/// environment); later calls keep the first.
pub fn set_language(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this process ([`set_language`]; English before it is set), or, inside
/// [`in_lang`] on this thread, the language given there.
pub fn lang() -> Lang {
    SCOPED
        .with(|s| s.get())
        .unwrap_or_else(|| LANG.get().copied().unwrap_or(Lang::En))
}

thread_local! {
    /// The language of a request this thread is working for ([`in_lang`]).
    static SCOPED: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with [`t!`](crate::t) speaking `lang` on this thread (and only there, only
/// until `f` returns, even by a panic): a server formats the messages of a request, its
/// errors included, in the request's language while the process keeps its own. `f` is not
/// async, so the language cannot leak to other work sharing the thread.
pub fn in_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SCOPED.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(SCOPED.with(|s| s.replace(Some(lang))));
    f()
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

/// The whole bundle of each language, parsed once when first needed.
static PARSED: [OnceLock<Bundle>; 2] = [OnceLock::new(), OnceLock::new()];

fn index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Ko => 1,
    }
}

fn bundle(lang: Lang) -> &'static Bundle {
    PARSED[index(lang)].get_or_init(|| bundle_of(lang))
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
    let fluent_args = || {
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            fargs.set(*name, value.to_fluent());
        }
        fargs
    };
    if PARSED[index(lang)].get().is_none() {
        if let Some(text) = alone(lang, key, &fluent_args()) {
            return text;
        }
    }
    for l in [lang, Lang::En] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
            if let Some(text) = plain(pattern, args) {
                return text;
            }
            let mut errors = vec![];
            let text = b.format_pattern(pattern, Some(&fluent_args()), &mut errors);
            return text.into_owned();
        }
    }
    key.to_string()
}

/// `pattern` formatted as Fluent formats it when it holds only text and `{ $name }`
/// placeables whose values are text (no isolation marks, no transform: [`bundle_of`]): the
/// pieces joined, without building Fluent's arguments and scope. `None` for any other pattern
/// (a selector, a function, a reference to another message, a number or a missing value):
/// Fluent formats those. Lint puts thousands of findings in words this way.
fn plain(pattern: &fluent_syntax::ast::Pattern<&str>, args: &[(&str, &dyn Arg)]) -> Option<String> {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    let mut out = String::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => out.push_str(value),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::VariableReference { id }),
            } => {
                // The last value given under a name, as Fluent's arguments keep it.
                let (_, value) = args.iter().rev().find(|(name, _)| *name == id.name)?;
                match value.to_fluent() {
                    FluentValue::String(text) => out.push_str(&text),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// How many messages a process formats from a bundle of their own entry ([`alone`]) before
/// it parses the whole file once: a command that prints a line or two (a warning of
/// `credential-process`) never pays for the parse, one that prints many pays it once.
const ALONE: usize = 8;

/// The message `key` in `lang` (or English, as [`message_in`] falls back) formatted from a
/// bundle holding only its own entry, taken from the same file (asked only while the whole
/// file is not parsed: [`message_in`] tells, before making Fluent's arguments); `None` after
/// [`ALONE`] messages, or when the entry refers to another message (then formatting it alone
/// gives errors and the whole bundle answers).
fn alone(lang: Lang, key: &str, args: &FluentArgs) -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static USED: AtomicUsize = AtomicUsize::new(0);
    if USED.fetch_add(1, Ordering::Relaxed) >= ALONE {
        return None;
    }
    let l = [lang, Lang::En]
        .into_iter()
        .find(|l| entry(l.source(), key).is_some())?;
    let res = FluentResource::try_new(entry(l.source(), key)?.to_string()).ok()?;
    let mut b = FluentBundle::new_concurrent(vec![l.tag()]);
    b.set_use_isolating(false);
    b.add_resource(res).ok()?;
    let pattern = b.get_message(key)?.value()?;
    let mut errors = vec![];
    let text = b.format_pattern(pattern, Some(args), &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// The text of message `key`'s entry in a Fluent file: its `key =` line at the start of a
/// line and the lines that continue it, up to the next entry or comment.
fn entry<'a>(ftl: &'a str, key: &str) -> Option<&'a str> {
    let mut from = 0;
    let start = loop {
        let i = from + ftl[from..].find(key)?;
        let at_line_start = i == 0 || ftl.as_bytes()[i - 1] == b'\n';
        if at_line_start
            && ftl[i + key.len()..]
                .trim_start_matches(' ')
                .starts_with('=')
        {
            break i;
        }
        from = i + key.len();
    };
    let mut end = ftl[start..].find('\n').map_or(ftl.len(), |e| start + e + 1);
    while end < ftl.len() {
        let next = ftl[end..].find('\n').map_or(ftl.len(), |e| end + e + 1);
        let line = &ftl[end..next];
        // A new entry (a message id, a term) or a comment; an indented line, a blank one or
        // the `}` or `[variant]` of a placeable written at the margin continues this one.
        if line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '#') {
            break;
        }
        end = next;
    }
    Some(&ftl[start..end])
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

/// A message in the language given: `t_in!(lang, "key")` or `t_in!(lang, "key", name =
/// value, ...)` (as [`t!`], for a caller that speaks another language than the process, such
/// as a web request's).
#[macro_export]
macro_rules! t_in {
    ($lang:expr, $key:literal $(,)?) => {
        $crate::i18n::message_in($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message_in(
            $lang,
            $key,
            &[$((stringify!($name), &$value as &dyn $crate::i18n::Arg)),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The message ids of a Fluent file (it must parse).
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

    /// Every message of both files, formatted the plain way where it can be, is what Fluent
    /// formats: text values for every variable it names (and numbers, which Fluent formats).
    #[test]
    fn plain_messages_are_fluents() {
        use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
        let mut plain_ones = 0;
        for lang in [Lang::En, Lang::Ko] {
            let res = FluentResource::try_new(lang.source().to_string()).unwrap();
            let b = bundle(lang);
            for entry in res.entries() {
                let Entry::Message(m) = entry else { continue };
                let Some(pattern) = b.get_message(m.id.name).and_then(|m| m.value()) else {
                    continue;
                };
                let mut names: Vec<&str> = pattern
                    .elements
                    .iter()
                    .filter_map(|e| match e {
                        PatternElement::Placeable {
                            expression:
                                Expression::Inline(InlineExpression::VariableReference { id }),
                        } => Some(id.name),
                        _ => None,
                    })
                    .collect();
                names.sort_unstable();
                names.dedup();
                let texts: Vec<String> = (0..names.len())
                    .map(|i| format!("값 {i} \"<<x>>\" {{ $y }}\n"))
                    .collect();
                let numbers: Vec<usize> = (0..names.len()).map(|i| i * 1000 + 7).collect();
                let with_texts: Vec<(&str, &dyn Arg)> = names
                    .iter()
                    .zip(&texts)
                    .map(|(n, v)| (*n, v as &dyn Arg))
                    .collect();
                let with_numbers: Vec<(&str, &dyn Arg)> = names
                    .iter()
                    .zip(&numbers)
                    .map(|(n, v)| (*n, v as &dyn Arg))
                    .collect();
                for args in [&with_texts, &with_numbers] {
                    let mut fargs = FluentArgs::new();
                    for (name, value) in args.iter() {
                        fargs.set(*name, value.to_fluent());
                    }
                    let fluent = b.format_pattern(pattern, Some(&fargs), &mut vec![]);
                    if let Some(text) = plain(pattern, args) {
                        plain_ones += 1;
                        assert_eq!(text, fluent, "{lang:?} {}", m.id.name);
                    }
                    assert_eq!(message_in(lang, m.id.name, args), fluent, "{}", m.id.name);
                }
            }
        }
        assert!(plain_ones > 200, "{plain_ones}");
    }

    #[test]
    fn both_files_parse_and_hold_messages() {
        assert!(keys(EN_FTL).len() > 50);
        assert!(keys(KO_FTL).len() > 50);
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
        for name in ["LABNOTE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            let one = move |n: &str| (n == name).then(|| "ko_KR.UTF-8".to_string());
            assert_eq!(Lang::pick(one), Lang::Ko, "{name}");
        }
    }

    #[test]
    fn accept_language_by_weight_then_order() {
        let a = Lang::from_accept_language;
        assert_eq!(a("ko"), Some(Lang::Ko));
        assert_eq!(a("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Ko));
        assert_eq!(a("en-US,en;q=0.9,ko;q=0.8"), Some(Lang::En));
        assert_eq!(a("en;q=0.5, ko-KR;q=0.8"), Some(Lang::Ko));
        assert_eq!(a("fr-FR, ko;q=0.1"), Some(Lang::Ko), "the first we speak");
        assert_eq!(a("ko;q=0, en"), Some(Lang::En), "q=0 refuses");
        assert_eq!(a("KO-kr"), Some(Lang::Ko));
        assert_eq!(a("ko, en"), Some(Lang::Ko), "a tie: the first written");
        assert_eq!(a("*"), None);
        assert_eq!(a("fr, de;q=0.5"), None);
        assert_eq!(a(""), None);
        assert_eq!(a("ko;q=abc"), Some(Lang::Ko), "a bad weight counts as 1");
        assert_eq!(a("kok, en;q=0.2"), Some(Lang::En), "kok is not ko");
    }

    #[test]
    fn t_in_speaks_the_language_given() {
        let p = std::path::Path::new("/tmp/x");
        let ko = crate::t_in!(Lang::Ko, "course-no-folder", path = p);
        assert_eq!(
            ko,
            message_in(Lang::Ko, "course-no-folder", &[("path", &p)])
        );
        assert_ne!(ko, crate::t_in!(Lang::En, "course-no-folder", path = p));
    }

    /// A message formatted from its entry alone is the message the whole bundle gives, for
    /// every message of both files (with arguments of every name the files use).
    #[test]
    fn a_message_alone_is_the_message_of_the_bundle() {
        let mut args = FluentArgs::new();
        for src in [EN_FTL, KO_FTL] {
            for name in src.split("{ $").skip(1) {
                let name = name
                    .split([' ', '}'])
                    .next()
                    .unwrap_or_default()
                    .to_string();
                args.set(name, FluentValue::from("v"));
            }
        }
        args.set("count", FluentValue::from(2));
        args.set("n", FluentValue::from(1));
        let mut checked = 0;
        for lang in [Lang::En, Lang::Ko] {
            let b = bundle_of(lang);
            for key in keys(lang.source()) {
                let whole = b.get_message(&key).and_then(|m| m.value()).map(|p| {
                    let mut errors = vec![];
                    b.format_pattern(p, Some(&args), &mut errors).into_owned()
                });
                let Some(whole) = whole else { continue };
                let entry = entry(lang.source(), &key).expect(&key);
                let res = FluentResource::try_new(entry.to_string()).expect(&key);
                let mut own = FluentBundle::new_concurrent(vec![lang.tag()]);
                own.set_use_isolating(false);
                own.add_resource(res).expect(&key);
                let p = own.get_message(&key).and_then(|m| m.value()).expect(&key);
                let mut errors = vec![];
                let one = own.format_pattern(p, Some(&args), &mut errors);
                if errors.is_empty() {
                    assert_eq!(one, whole, "{key}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 500, "{checked}");
        // A key is found only where an entry starts.
        assert_eq!(
            entry("a-b = x\nb = y\n  z\n\n  w\nc = 1\n", "b"),
            Some("b = y\n  z\n\n  w\n")
        );
        assert_eq!(entry("ab = x\n", "b"), None);
    }

    #[test]
    fn in_lang_speaks_the_language_given_on_this_thread_only() {
        let p = std::path::Path::new("/tmp/x");
        let outside = crate::t!("course-no-folder", path = p);
        let ko = in_lang(Lang::Ko, || {
            // Another thread keeps the process's language.
            let other = std::thread::spawn(move || crate::t!("course-no-folder", path = p));
            assert_eq!(other.join().unwrap(), outside);
            // Nested: the inner language, then the outer again.
            let en = in_lang(Lang::En, || crate::t!("course-no-folder", path = p));
            assert_eq!(
                en,
                message_in(Lang::En, "course-no-folder", &[("path", &p)])
            );
            crate::t!("course-no-folder", path = p)
        });
        assert_eq!(
            ko,
            message_in(Lang::Ko, "course-no-folder", &[("path", &p)])
        );
        assert_eq!(crate::t!("course-no-folder", path = p), outside);
        // A panic inside restores the language too.
        let r = std::panic::catch_unwind(|| in_lang(Lang::Ko, || panic!("inside")));
        assert!(r.is_err());
        assert_eq!(crate::t!("course-no-folder", path = p), outside);
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
