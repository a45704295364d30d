//! A test that the modules of this crate import each other without a cycle: each module's
//! code (its tests left out) is read with `include_str!`, the sibling modules it names through
//! `crate::…` are its edges, and the graph must be acyclic.

/// Every module of the crate with its sources (a module's submodules count as the module).
const MODULES: &[(&str, &[&str])] = &[
    ("blocks", &[include_str!("blocks.rs")]),
    ("i18n", &[include_str!("i18n.rs")]),
    ("lab", &[include_str!("lab.rs")]),
    ("labuser", &[include_str!("labuser.rs")]),
    ("memo", &[include_str!("memo.rs")]),
    ("multiline", &[include_str!("multiline.rs")]),
    ("names", &[include_str!("names.rs")]),
    ("notepoint", &[include_str!("notepoint.rs")]),
    ("placeholder", &[include_str!("placeholder.rs")]),
    (
        "render",
        &[include_str!("render.rs"), include_str!("render/theme.rs")],
    ),
    ("script", &[include_str!("script.rs")]),
    ("shells", &[include_str!("shells.rs")]),
    ("source_kind", &[include_str!("source_kind.rs")]),
    ("textsafe", &[include_str!("textsafe.rs")]),
    ("view", &[include_str!("view.rs")]),
    ("yamlguard", &[include_str!("yamlguard.rs")]),
];

/// The code of a source file: its test module and its comments left out.
fn code(src: &str) -> String {
    let end = src.find("#[cfg(test)]\nmod tests").unwrap_or(src.len());
    src[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules of the crate that `src` names through `crate::`.
fn named(src: &str) -> Vec<&'static str> {
    let code = code(src);
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        // `crate::{lab, names::x}` names each module of the group.
        let words: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                group
                    .split(',')
                    .map(|w| w.trim().split("::").next().unwrap_or(""))
                    .collect()
            }
            None => {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                vec![&rest[..end]]
            }
        };
        for w in words {
            if let Some((m, _)) = MODULES.iter().find(|(m, _)| *m == w) {
                if !out.contains(m) {
                    out.push(*m);
                }
            }
        }
    }
    out
}

/// The graph: each module's edges, as indices into [`MODULES`].
fn graph() -> Vec<Vec<usize>> {
    MODULES
        .iter()
        .map(|(me, sources)| {
            let mut edges: Vec<usize> = Vec::new();
            for src in *sources {
                for m in named(src) {
                    let j = MODULES.iter().position(|(n, _)| *n == m).unwrap();
                    if m != *me && !edges.contains(&j) {
                        edges.push(j);
                    }
                }
            }
            edges
        })
        .collect()
}

/// A cycle of the graph, as module names (the first repeated at the end), if any.
fn cycle(g: &[Vec<usize>]) -> Option<Vec<&'static str>> {
    // 0: not seen, 1: on the path, 2: done.
    fn visit(
        u: usize,
        g: &[Vec<usize>],
        state: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        state[u] = 1;
        path.push(u);
        for &v in &g[u] {
            if state[v] == 1 {
                let at = path.iter().position(|&p| p == v).unwrap();
                let mut c = path[at..].to_vec();
                c.push(v);
                return Some(c);
            }
            if state[v] == 0 {
                if let Some(c) = visit(v, g, state, path) {
                    return Some(c);
                }
            }
        }
        path.pop();
        state[u] = 2;
        None
    }
    let mut state = vec![0u8; g.len()];
    for u in 0..g.len() {
        if state[u] == 0 {
            if let Some(c) = visit(u, g, &mut state, &mut Vec::new()) {
                return Some(c.into_iter().map(|i| MODULES[i].0).collect());
            }
        }
    }
    None
}

#[test]
fn every_module_is_in_the_graph() {
    let lib = include_str!("lib.rs");
    for line in lib.lines() {
        if let Some(m) = line.strip_prefix("pub mod ") {
            let m = m.trim_end_matches(';');
            assert!(
                MODULES.iter().any(|(n, _)| *n == m),
                "module {m} is missing from MODULES"
            );
        }
    }
    assert_eq!(
        lib.lines().filter(|l| l.starts_with("pub mod ")).count(),
        MODULES.len()
    );
}

#[test]
fn the_modules_import_each_other_without_a_cycle() {
    let g = graph();
    assert_eq!(cycle(&g), None);
    // The check sees edges: the lab parser uses the placeholder scanner and the note point
    // finder, and memo uses the lab model.
    let edges = |m: &str| -> Vec<&str> {
        let i = MODULES.iter().position(|(n, _)| *n == m).unwrap();
        g[i].iter().map(|&j| MODULES[j].0).collect()
    };
    assert!(edges("lab").contains(&"notepoint"), "{:?}", edges("lab"));
    assert!(edges("lab").contains(&"placeholder"));
    assert!(edges("memo").contains(&"lab"));
    assert!(edges("memo").contains(&"names"));
}

#[test]
fn a_cycle_is_found() {
    let g = vec![vec![1], vec![2], vec![0]];
    assert_eq!(cycle(&g), Some(vec!["blocks", "i18n", "lab", "blocks"]));
    assert_eq!(cycle(&[vec![1], vec![], vec![0, 1]]), None);
    assert_eq!(
        named("use crate::{lab, names::x};\n// crate::view\n"),
        ["lab", "names"]
    );
}
