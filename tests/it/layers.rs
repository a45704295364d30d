//! The layers of the binary crate, checked on its source (issue 19): no import cycle between
//! its modules, and the front ends (`cli/`, `web/`) import `app`, the view model and
//! presentation, nothing else of the crate.
//!
//! Every `.rs` file under `src/` (but `main.rs`, a crate of its own) is read with its
//! comments, string literals and `#[cfg(test)]` items blanked out; each `crate::a::b`,
//! `use crate::{a, b::c}` and `super::x` is resolved to the longest module it names. A
//! module and its ancestors are one unit (a child may use its parent's items, as `cli/run.rs`
//! uses `super::Ctx`): an edge between them is no import. The modules of `labnote-core`,
//! re-exported at the root, are outside the crate and cannot close a cycle in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What `cli/` and `web/` may import from the crate: the use cases and their vocabulary
/// (`app`), the view model and presentation of the core, and the messages.
const FRONT_MAY_IMPORT: &[&str] = &["app", "view", "render", "textsafe", "t", "t_in", "i18n"];

/// The front ends: each may also use itself.
const FRONTS: &[&str] = &["cli", "web"];

/// A front end may start another, never use its parts: the CLI's `serve` starts the web
/// front end through its entry point only.
const FRONT_ENTRIES: &[&str] = &["web::serve", "web::ServeOptions"];

/// One import: the module it is in, the module it names, where.
#[derive(Debug, Clone)]
struct Import {
    from: String,
    to: String,
    /// The path as written, after `crate::` (`web::serve`).
    path: String,
    file: String,
    line: usize,
    text: String,
}

/// The crate's source, read: its module names (`""` the root, `app::run`), the core's
/// modules re-exported at its root, and every import.
struct Crate {
    modules: BTreeSet<String>,
    core: BTreeSet<String>,
    imports: Vec<Import>,
}

/// `src/app/run.rs` → `app::run`; `src/cli/mod.rs` → `cli`; `src/lib.rs` → `""`.
fn module_of(path: &str) -> Option<String> {
    let rel = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    if rel == "main" {
        return None;
    }
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    Some(if rel == "lib" {
        String::new()
    } else {
        rel.replace('/', "::")
    })
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}::{child}")
    }
}

fn parent_of(m: &str) -> Option<&str> {
    if m.is_empty() {
        return None;
    }
    Some(m.rsplit_once("::").map_or("", |(p, _)| p))
}

/// The text with comments, string and char literals replaced by spaces (lines kept).
fn blank_comments(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let at = |k: usize| c.get(k).copied().unwrap_or('\0');
        if c[i] == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if c[i] == 'r'
            && (at(i + 1) == '"' || (at(i + 1) == '#' && matches!(at(i + 2), '"' | '#')))
            && !(i > 0
                && is_ident(c[i - 1])
                && !(c[i - 1] == 'b' && (i < 2 || !is_ident(c[i - 2]))))
        {
            // A raw string: r"…", r#"…"#, br"…".
            let mut hashes = 0;
            let mut j = i + 1;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1; // the opening quote
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &c[i..j.min(c.len())] {
                blank(&mut out, ch);
            }
            i = j;
        } else if c[i] == '"' {
            blank(&mut out, c[i]);
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            if i < c.len() {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A char literal ('"', '\n', '\''); a lifetime ('a) is left alone.
            let mut j = i + 1;
            if at(j) == '\\' {
                j += 2;
            }
            while j < c.len() && c[j] != '\'' {
                j += 1;
            }
            for &ch in &c[i..(j + 1).min(c.len())] {
                blank(&mut out, ch);
            }
            i = j + 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The end (exclusive) of the item starting at `from`: after its `;`, or its balanced
/// `{ … }`, whichever comes first.
fn item_end(s: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut depth = 0usize;
    while i < s.len() {
        match s[i] {
            b';' if depth == 0 => return i + 1,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.len()
}

/// The text (comments already blanked) with every `#[cfg(test)]` item blanked; and the names
/// of the child modules declared under `#[cfg(test)]` (`mod tests;`), which are test code.
fn blank_test_items(src: &str) -> (String, Vec<String>) {
    let mut s = src.as_bytes().to_vec();
    let mut test_mods = Vec::new();
    let mark = b"#[cfg(test)]";
    let mut i = 0;
    while let Some(p) = find(&s, mark, i) {
        let end = item_end(&s, p + mark.len());
        let item = String::from_utf8_lossy(&s[p + mark.len()..end]).to_string();
        let words: Vec<&str> = item
            .split(|c: char| c.is_whitespace() || c == ';')
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(n) = words.iter().position(|w| *w == "mod") {
            if item.trim_end().ends_with(';') {
                if let Some(name) = words.get(n + 1) {
                    test_mods.push(name.to_string());
                }
            }
        }
        for b in &mut s[p..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        i = end;
    }
    (String::from_utf8_lossy(&s).into_owned(), test_mods)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    (from..hay.len().saturating_sub(needle.len() - 1)).find(|&i| hay[i..].starts_with(needle))
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths (as segment lists) a `crate::…`/`super::…` reference at `text` names: one for
/// `crate::a::b`, several for `crate::{a, b::c, d::{e, f}}`. `text` starts after `crate::`.
fn paths_after(text: &str) -> Vec<Vec<String>> {
    let t = text.trim_start();
    if let Some(group) = t.strip_prefix('{') {
        // Up to the matching brace; each top-level entry is a path.
        let mut depth = 1;
        let mut end = group.len();
        for (n, ch) in group.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = n;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &group[..end];
        let mut entries = Vec::new();
        let mut depth = 0;
        let mut start = 0;
        for (n, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    entries.push(&inner[start..n]);
                    start = n + 1;
                }
                _ => {}
            }
        }
        entries.push(&inner[start..]);
        return entries
            .into_iter()
            .filter(|e| !e.trim().is_empty())
            .flat_map(paths_after)
            .collect();
    }
    let mut segs = Vec::new();
    let mut rest = t;
    loop {
        let ident: String = rest.chars().take_while(|&c| is_ident(c)).collect();
        if ident.is_empty() {
            break;
        }
        rest = &rest[ident.len()..];
        segs.push(ident);
        match rest.trim_start().strip_prefix("::") {
            Some(r) if r.trim_start().starts_with('{') => {
                // `crate::a::{b, c}`: the group extends the prefix.
                return paths_after(r)
                    .into_iter()
                    .map(|p| segs.iter().cloned().chain(p).collect())
                    .collect();
            }
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    vec![segs]
}

/// Read the crate from `(path, text)` pairs (paths as `src/app/run.rs`).
fn read(files: &[(String, String)]) -> Crate {
    let mut texts = Vec::new();
    let mut test_only: BTreeSet<String> = BTreeSet::new();
    for (path, text) in files {
        let Some(m) = module_of(path) else { continue };
        let (code, test_mods) = blank_test_items(&blank_comments(text));
        for t in test_mods {
            test_only.insert(join(&m, &t));
        }
        texts.push((path.clone(), m, code));
    }
    let is_test = |m: &str| {
        test_only
            .iter()
            .any(|t| m == t || m.starts_with(&format!("{t}::")))
    };
    texts.retain(|(_, m, _)| !is_test(m));
    let modules: BTreeSet<String> = texts.iter().map(|t| t.1.clone()).collect();
    // The core's modules, as the root re-exports them: `pub use labnote_core::{a, b};`.
    let mut core = BTreeSet::new();
    if let Some((_, _, root)) = texts.iter().find(|t| t.1.is_empty()) {
        let mut at = 0;
        while let Some(p) = root[at..].find("labnote_core::") {
            let start = at + p + "labnote_core::".len();
            for path in paths_after(&root[start..]) {
                if let Some(first) = path.first() {
                    core.insert(first.clone());
                }
            }
            at = start;
        }
    }
    let mut imports = Vec::new();
    for (path, m, code) in &texts {
        let mut at = 0;
        while at < code.len() {
            let rest = &code[at..];
            let hit = ["crate::", "super::", "labnote_core::"]
                .iter()
                .filter_map(|k| rest.find(k).map(|p| (p, *k)))
                .min_by_key(|h| h.0);
            let Some((p, kind)) = hit else { break };
            let start = at + p;
            let before = code[..start].chars().next_back();
            at = start + kind.len();
            if before.is_some_and(|c| is_ident(c) || c == '$' || c == ':') {
                continue; // `$crate::`, `foo_crate::`, `super::super::` (read whole below)
            }
            let line = code[..start].matches('\n').count() + 1;
            let text = code[start..]
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            // The module the path is relative to.
            let (base, after) = match kind {
                "crate::" => (Some(String::new()), &code[at..]),
                "labnote_core::" => (None, &code[at..]),
                _ => {
                    let mut base = parent_of(m).map(str::to_string);
                    let mut after = &code[at..];
                    while let Some(r) = after.strip_prefix("super::") {
                        base = base.as_deref().and_then(parent_of).map(str::to_string);
                        after = r;
                    }
                    (Some(base.unwrap_or_default()), after)
                }
            };
            for segs in paths_after(after) {
                let to = match &base {
                    None => format!("core::{}", segs.first().cloned().unwrap_or_default()),
                    Some(b) => resolve(&modules, &core, b, &segs),
                };
                imports.push(Import {
                    from: m.clone(),
                    to,
                    path: segs.join("::"),
                    file: path.clone(),
                    line,
                    text: text.clone(),
                });
            }
        }
    }
    Crate {
        modules,
        core,
        imports,
    }
}

/// The longest module `base::segs…` names; `core::x` for a core module re-exported at the
/// root; the base itself when the first segment is an item of it.
fn resolve(
    modules: &BTreeSet<String>,
    core: &BTreeSet<String>,
    base: &str,
    segs: &[String],
) -> String {
    if base.is_empty() {
        if let Some(first) = segs.first() {
            if core.contains(first) || !modules.contains(first) && is_core_item(first) {
                return format!("core::{first}");
            }
        }
    }
    let mut best = base.to_string();
    let mut cur = base.to_string();
    for s in segs {
        cur = join(&cur, s);
        if modules.contains(&cur) {
            best = cur.clone();
        } else {
            break;
        }
    }
    best
}

/// The root's items that are the core's (the message macros).
fn is_core_item(name: &str) -> bool {
    matches!(name, "t" | "t_in")
}

fn ancestor_or_self(a: &str, b: &str) -> bool {
    a == b || a.is_empty() || b.starts_with(&format!("{a}::"))
}

/// The module graph: an edge for each import between two modules of the crate that are not
/// one another's ancestors.
fn graph(c: &Crate) -> BTreeMap<String, BTreeMap<String, Import>> {
    let mut g: BTreeMap<String, BTreeMap<String, Import>> = BTreeMap::new();
    for i in &c.imports {
        if i.to.starts_with("core::") || !c.modules.contains(&i.to) {
            continue;
        }
        if ancestor_or_self(&i.from, &i.to) || ancestor_or_self(&i.to, &i.from) {
            continue;
        }
        g.entry(i.from.clone())
            .or_default()
            .entry(i.to.clone())
            .or_insert_with(|| i.clone());
    }
    g
}

/// The first import cycle found: the modules in order, the first repeated at the end, each
/// with the import that leads on (`file:line`).
fn find_cycle(c: &Crate) -> Option<Vec<String>> {
    let g = graph(c);
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark: BTreeMap<&str, Mark> =
        c.modules.iter().map(|m| (m.as_str(), Mark::New)).collect();
    fn visit<'a>(
        m: &'a str,
        g: &'a BTreeMap<String, BTreeMap<String, Import>>,
        mark: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        mark.insert(m, Mark::Open);
        stack.push(m);
        if let Some(next) = g.get(m) {
            for to in next.keys() {
                match mark.get(to.as_str()).copied().unwrap_or(Mark::New) {
                    Mark::Open => {
                        let from = stack.iter().position(|s| *s == to).unwrap_or(0);
                        let mut path: Vec<&str> = stack[from..].to_vec();
                        path.push(to);
                        return Some(
                            path.windows(2)
                                .map(|w| {
                                    let i = &g[w[0]][w[1]];
                                    format!("{} ({}:{}: {})", w[0], i.file, i.line, i.text)
                                })
                                .chain(std::iter::once(to.to_string()))
                                .collect(),
                        );
                    }
                    Mark::New => {
                        if let Some(c) = visit(to, g, mark, stack) {
                            return Some(c);
                        }
                    }
                    Mark::Done => {}
                }
            }
        }
        stack.pop();
        mark.insert(m, Mark::Done);
        None
    }
    let mods: Vec<&str> = c.modules.iter().map(String::as_str).collect();
    for m in mods {
        if mark[m] == Mark::New {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(m, &g, &mut mark, &mut stack) {
                return Some(cycle);
            }
        }
    }
    None
}

/// Each import of a front end outside what it may import, as `file:line: text → module`.
fn forbidden(c: &Crate) -> Vec<String> {
    let mut out = Vec::new();
    for i in &c.imports {
        let front = i.from.split("::").next().unwrap_or_default();
        if !FRONTS.contains(&front) {
            continue;
        }
        let target = i.to.strip_prefix("core::").unwrap_or(&i.to);
        let top = target.split("::").next().unwrap_or_default();
        if top == front
            || FRONT_MAY_IMPORT.contains(&top)
            || FRONT_ENTRIES.contains(&i.path.as_str())
        {
            continue;
        }
        let shown = if target.is_empty() {
            "the crate root"
        } else {
            &i.to
        };
        out.push(format!("{}:{}: {} → {shown}", i.file, i.line, i.text));
    }
    out
}

/// Every `.rs` file under `src/`, as `(src/…, text)`.
fn source_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("src"), root, &mut out);
    out
}

#[test]
fn the_modules_of_the_binary_crate_import_one_another_without_a_cycle() {
    let c = read(&source_files());
    assert!(
        c.modules.contains("app::run") && c.modules.contains("cli"),
        "{:?}",
        c.modules
    );
    assert!(
        c.core.contains("view"),
        "the core's modules are known: {:?}",
        c.core
    );
    let g = graph(&c);
    assert!(
        g.get("app::run")
            .is_some_and(|e| e.contains_key("app::progress")),
        "the checker sees the edges (app::run uses super::progress): {:?}",
        g.get("app::run").map(|e| e.keys().collect::<Vec<_>>())
    );
    if let Some(cycle) = find_cycle(&c) {
        panic!("an import cycle:\n  {}", cycle.join("\n  → "));
    }
}

#[test]
fn the_front_ends_import_only_app_the_view_model_and_presentation() {
    let c = read(&source_files());
    assert!(
        c.imports
            .iter()
            .any(|i| i.from.starts_with("cli") && i.to.starts_with("app")),
        "the checker sees the CLI's imports"
    );
    let bad = forbidden(&c);
    assert!(
        bad.is_empty(),
        "cli/ and web/ may import only {FRONT_MAY_IMPORT:?} (and themselves):\n{}",
        bad.join("\n")
    );
}

fn planted(files: &[(&str, &str)]) -> Crate {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    read(&files)
}

const PLANTED_ROOT: &str = "pub use labnote_core::{t, view, render};\npub mod a;\npub mod b;\n\
pub mod app;\npub mod cli;\npub mod web;\n#[cfg(test)]\nmod testutil;\n";

/// The checker finds a planted cycle (through a `use crate::{…}` group and a `super::`
/// path), names its path, and sees none once it is broken; comments, strings and test code
/// are not imports.
#[test]
fn the_checker_finds_a_planted_cycle() {
    let cyclic = planted(&[
        ("src/lib.rs", PLANTED_ROOT),
        ("src/a.rs", "use crate::{b::Thing, t};\n"),
        (
            "src/b.rs",
            "pub struct Thing;\nfn f() { crate::app::x::go(); }\n",
        ),
        ("src/app/mod.rs", "pub mod x;\n"),
        ("src/app/x.rs", "use super::super::a;\npub fn go() {}\n"),
        ("src/testutil.rs", "use crate::b;\n"),
    ]);
    let cycle = find_cycle(&cyclic).expect("the cycle a → b → app::x → a is found");
    let modules: Vec<&str> = cycle.iter().map(|s| s.split(' ').next().unwrap()).collect();
    assert_eq!(modules.len(), 4, "{cycle:?}");
    assert_eq!(modules.first(), modules.last(), "{cycle:?}");
    for m in ["a", "b", "app::x"] {
        assert!(modules.contains(&m), "{m} in {cycle:?}");
    }
    assert!(
        cycle[0].contains("src/"),
        "each step names its file: {cycle:?}"
    );

    let broken = planted(&[
        ("src/lib.rs", PLANTED_ROOT),
        ("src/a.rs", "use crate::{b::Thing, t};\n"),
        (
            "src/b.rs",
            "pub struct Thing;\n// crate::a::nope\nconst S: &str = \"crate::a::f\";\n\
             #[cfg(test)]\nmod tests {\n    use crate::a;\n}\n",
        ),
        ("src/app/mod.rs", "pub mod x;\n"),
        ("src/app/x.rs", "use super::Y;\npub fn go() {}\n"),
        ("src/testutil.rs", "use crate::b;\nuse crate::a;\n"),
    ]);
    assert_eq!(find_cycle(&broken), None);
}

/// The checker finds a planted forbidden import of a front end, in each of the forms a path
/// takes, and lets the allowed ones through.
#[test]
fn the_checker_finds_a_planted_forbidden_import() {
    let c = planted(&[
        ("src/lib.rs", PLANTED_ROOT),
        ("src/a.rs", ""),
        ("src/b.rs", ""),
        ("src/app/mod.rs", "pub mod x;\n"),
        ("src/app/x.rs", ""),
        ("src/web/mod.rs", "mod state;\n"),
        ("src/web/state.rs", ""),
        (
            "src/cli/mod.rs",
            "mod run;\nuse crate::app::x;\nuse crate::{t, view::Fill};\nuse crate::cli::run::go;\n\
             // use crate::a;\n",
        ),
        (
            "src/cli/run.rs",
            "use super::super::a::Thing;\nfn f() { crate::app::x::go(); crate::render::pad(); }\n\
             use crate::{app, b::{One, Two}};\nfn g() { crate::web::serve(); crate::web::state::load(); }\n",
        ),
    ]);
    let bad = forbidden(&c);
    assert_eq!(bad.len(), 4, "{bad:#?}");
    assert!(
        bad[3].starts_with("src/cli/run.rs:4:") && bad[3].ends_with("→ web::state"),
        "{bad:?}"
    );
    assert!(
        bad[0].starts_with("src/cli/run.rs:1:") && bad[0].ends_with("→ a"),
        "{bad:?}"
    );
    assert!(
        bad[1].starts_with("src/cli/run.rs:3:") && bad[1].ends_with("→ b"),
        "{bad:?}"
    );
    assert!(bad[2].ends_with("→ b"), "{bad:?}");
    let clean = planted(&[
        ("src/lib.rs", PLANTED_ROOT),
        ("src/app/mod.rs", ""),
        (
            "src/cli/mod.rs",
            "use crate::{app, t, view::Fill};\nuse crate::cli::x;\n",
        ),
    ]);
    assert!(forbidden(&clean).is_empty(), "{:?}", forbidden(&clean));
}
