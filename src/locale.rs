//! The process's language, read from its environment: the edge that feeds the core's
//! [`i18n`](crate::i18n), which reads no environment itself.

use crate::i18n::{self, Lang};

/// The language this process's environment asks for (`LABNOTE_LANG`, else the POSIX locale;
/// see [`Lang::pick`]).
fn from_env() -> Lang {
    Lang::pick(|name| std::env::var(name).ok())
}

/// Sets the language of this process from its environment (once, at start).
pub fn init() {
    i18n::set_language(from_env());
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn keys(path: &Path) -> BTreeSet<String> {
        let text = std::fs::read_to_string(path).unwrap();
        let resource = match fluent_syntax::parser::parse(text.as_str()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{}: {errors:?}", path.display()),
        };
        resource
            .body
            .iter()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    fn rust_files(dir: &Path) -> Vec<PathBuf> {
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

    /// Every `t!("key"` and `t_in!(lang, "key"` in `src/` and in the core crate's sources
    /// names a key of the English file (that the Korean file has the same keys is checked by tests/it/i18n.rs).
    #[test]
    fn every_key_used_in_src_is_defined() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let en = keys(&root.join("i18n/en/labnote.ftl"));
        assert!(!keys(&root.join("i18n/ko/labnote.ftl")).is_empty());
        let mut missing = vec![];
        let mut used = 0;
        // The core's i18n.rs shows the macro with made-up keys in its docs; this file scans.
        let files = [root.join("src"), root.join("crates/labnote-core/src")]
            .iter()
            .flat_map(|d| rust_files(d))
            .filter(|f| !f.ends_with("i18n.rs") && !f.ends_with("src/locale.rs"))
            .collect::<Vec<_>>();
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
        // `t_in!(lang, "key"`: the key after the language (a web request's pages).
        let mut used_in = 0;
        for file in [root.join("src"), root.join("crates/labnote-core/src")]
            .iter()
            .flat_map(|d| rust_files(d))
            .filter(|f| !f.ends_with("i18n.rs") && !f.ends_with("src/locale.rs"))
        {
            let text = std::fs::read_to_string(&file).unwrap();
            for (i, _) in text.match_indices("t_in!(") {
                let rest = &text[i + 6..];
                let Some(comma) = rest.find(',') else {
                    continue;
                };
                let Some(rest) = rest[comma + 1..].trim_start().strip_prefix('"') else {
                    continue;
                };
                let key = &rest[..rest.find('"').unwrap()];
                used_in += 1;
                if !en.contains(key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(used_in > 20, "only {used_in} uses of t_in! found");
        assert!(used > 20, "only {used} uses of t! found");
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }
}
