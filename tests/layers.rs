//! The architecture, checked: data flows one way, `model -> osm -> graph -> sites -> routing ->
//! io -> plan -> report -> cli`, and no two files of the crate import each other (directly or
//! through others).
//!
//! The check reads the sources: every `crate::...` and `super::...` path outside comments and
//! test code is resolved to the file that defines the module it names. A path to a module's
//! `mod.rs` counts for the layer rule but not for the cycle rule (a `mod.rs` declares and
//! re-exports its children, so its children naming it is how Rust modules work); `lib.rs` and
//! `main.rs` are the top and may name everything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 9] = [
    "model", "osm", "graph", "sites", "routing", "io", "plan", "report", "cli",
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == module)
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/plan/siting.rs` -> `[plan, siting]`, `src/plan/mod.rs` ->
/// `[plan]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file defining module `path` (the deepest prefix of `path` that is a module).
fn file_of(src: &Path, path: &[String]) -> Option<PathBuf> {
    let mut best = None;
    let mut dir = src.to_path_buf();
    for seg in path {
        let as_file = dir.join(format!("{seg}.rs"));
        let as_dir = dir.join(seg).join("mod.rs");
        if as_file.exists() {
            best = Some(as_file);
        } else if as_dir.exists() {
            best = Some(as_dir);
        } else {
            break;
        }
        dir = dir.join(seg);
    }
    best
}

/// The source without comments, strings' contents and test modules.
fn code(text: &str, test_only: &mut BTreeSet<String>) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            // The item that follows is test code: a `mod x;` line, or a block.
            let Some(next) = lines.next() else { break };
            let n = next.trim();
            if n.ends_with(';') {
                if let Some(name) = n.trim_end_matches(';').split_whitespace().last() {
                    test_only.insert(name.to_string());
                }
                continue;
            }
            let mut depth = next.matches('{').count() as i64 - next.matches('}').count() as i64;
            while depth > 0 {
                let Some(l) = lines.next() else { break };
                depth += l.matches('{').count() as i64 - l.matches('}').count() as i64;
            }
            continue;
        }
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The paths of a use tree starting at `s` (after `crate::` or `super::`).
fn use_tree(s: &[u8], prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut i = 0;
    let mut path = prefix;
    loop {
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < s.len() && s[i] == b'{' {
            i += 1;
            loop {
                i += use_tree(&s[i..], path.clone(), out);
                while i < s.len() && (s[i].is_ascii_whitespace() || s[i] == b',') {
                    i += 1;
                }
                if i >= s.len() || s[i] == b'}' {
                    return i + 1;
                }
            }
        }
        let start = i;
        while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_') {
            i += 1;
        }
        if i == start {
            out.push(path);
            return i;
        }
        path.push(String::from_utf8_lossy(&s[start..i]).into_owned());
        if s[i..].starts_with(b"::") {
            i += 2;
        } else {
            out.push(path);
            return i;
        }
    }
}

/// Every module path named by the code of module `me`.
fn references(code: &str, me: &[String]) -> Vec<Vec<String>> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if boundary && b[i..].starts_with(b"crate::") {
            i += 7 + use_tree(&b[i + 7..], Vec::new(), &mut out);
        } else if boundary && b[i..].starts_with(b"super::") {
            // `super` of a file `a/b.rs` (module a::b) is `a`; of `a/b/mod.rs` (a::b) too.
            let mut base: Vec<String> = me.to_vec();
            base.pop();
            let mut j = i + 7;
            while b[j..].starts_with(b"super::") {
                base.pop();
                j += 7;
            }
            let mut found = Vec::new();
            j += use_tree(&b[j..], base, &mut found);
            out.extend(found);
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn layers_point_down_and_files_form_no_cycle() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    all.sort();
    let mut test_only = BTreeSet::new();
    let mut codes = BTreeMap::new();
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap();
        codes.insert(f.clone(), code(&text, &mut test_only));
    }
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for f in &all {
        let me = module_of(&src, f);
        if me.last().is_some_and(|m| test_only.contains(m)) {
            continue;
        }
        let Some(my_rank) = me.first().and_then(|m| rank(m)) else {
            continue; // lib.rs, main.rs
        };
        for r in references(&codes[f], &me) {
            let Some(target) = file_of(&src, &r) else {
                continue;
            };
            if let Some(their) = r.first().and_then(|m| rank(m)) {
                if their > my_rank {
                    wrong.push(format!(
                        "{} ({}) names {} ({})",
                        f.strip_prefix(&src).unwrap().display(),
                        LAYERS[my_rank],
                        r.join("::"),
                        LAYERS[their]
                    ));
                }
            }
            let counts = |p: &Path| !p.ends_with("mod.rs") && !p.ends_with("lib.rs");
            if &target != f && counts(&target) && counts(f) {
                edges.entry(f.clone()).or_default().insert(target);
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a lower layer names a higher one:\n{}",
        wrong.join("\n")
    );
    // Cycles, by depth-first search.
    let mut state: BTreeMap<&PathBuf, u8> = BTreeMap::new();
    let mut stack: Vec<&PathBuf> = Vec::new();
    fn visit<'a>(
        f: &'a PathBuf,
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<&'a PathBuf, u8>,
        stack: &mut Vec<&'a PathBuf>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(f, 1);
        stack.push(f);
        for g in edges.get(f).into_iter().flatten() {
            match state.get(g) {
                Some(1) => {
                    let at = stack.iter().position(|x| *x == g).unwrap();
                    let names: Vec<String> = stack[at..]
                        .iter()
                        .chain(std::iter::once(&g))
                        .map(|p| p.display().to_string())
                        .collect();
                    cycles.push(names.join(" -> "));
                }
                Some(_) => {}
                None => visit(g, edges, state, stack, cycles),
            }
        }
        stack.pop();
        state.insert(f, 2);
    }
    let mut cycles = Vec::new();
    for f in edges.keys() {
        if !state.contains_key(f) {
            visit(f, &edges, &mut state, &mut stack, &mut cycles);
        }
    }
    assert!(
        cycles.is_empty(),
        "files that import each other:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_checker_sees_use_trees_and_relative_paths() {
    let me: Vec<String> = vec!["plan".into(), "siting".into()];
    let r = references(
        "use crate::{io::files::{csv_bytes, write_file}, model::Date};\nuse super::super::graph::Network;\nlet x = crate::osm::read_pbf(p);",
        &me,
    );
    let names: Vec<String> = r.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        names,
        [
            "io::files::csv_bytes",
            "io::files::write_file",
            "model::Date",
            "graph::Network",
            "osm::read_pbf"
        ]
    );
    let mut t = BTreeSet::new();
    let c = code(
        "use a; // crate::report\n#[cfg(test)]\nmod tests {\n  use crate::cli;\n}\n#[cfg(test)]\nmod fixture;\n",
        &mut t,
    );
    assert!(!c.contains("crate::"), "{c}");
    assert!(t.contains("fixture"));
}
