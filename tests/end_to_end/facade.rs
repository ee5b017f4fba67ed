//! The facade's public paths: every public item of the core and of the ureq
//! crate is reachable through `tencentcloud_cvm` at exactly one path, and the
//! root stays small (what an application uses). Read from the sources, so a
//! type added to a crate's root without a place in the facade fails here
//! instead of going missing (or appearing twice).

use std::collections::BTreeMap;
use std::path::Path;

fn source(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names `pub use` statements in `text` bring in (the alias if renamed;
/// `*` for a glob), and the names of `pub mod` items.
fn exported(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("pub use ") {
        let stmt = &rest[i + 8..];
        let end = stmt.find(';').unwrap();
        let body = &stmt[..end];
        let items: Vec<&str> = match (body.find('{'), body.rfind('}')) {
            (Some(a), Some(b)) => body[a + 1..b].split(',').collect(),
            _ => vec![body],
        };
        for item in items {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let name = match item.split_once(" as ") {
                Some((_, alias)) => alias.trim(),
                None => item.rsplit("::").next().unwrap().trim(),
            };
            names.push(name.to_owned());
        }
        rest = &stmt[end..];
    }
    for line in text.lines() {
        if let Some(m) = line.trim().strip_prefix("pub mod ") {
            let name = m.trim_end_matches([';', '{', '}', ' ']);
            names.push(name.to_owned());
        }
    }
    names
}

/// `text` without the bodies of its inline `pub mod name { ... }` blocks.
fn outside_modules(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("pub mod ") {
        let open = match rest[i..].find(['{', ';']) {
            Some(o) => i + o,
            None => break,
        };
        out.push_str(&rest[..=open]);
        if rest.as_bytes()[open] == b';' {
            rest = &rest[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut close = open;
        for (k, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_item_at_one_path_and_a_small_root() {
    let facade = source("src/lib.rs");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for name in exported(&facade) {
        *counts.entry(name).or_default() += 1;
    }
    let core = exported(&source("crates/core/src/lib.rs"));
    let mut ureq = exported(&source("crates/ureq/src/lib.rs"));
    ureq.extend(exported(&source("crates/ureq/src/credentials.rs")));
    // Modules of the crates the facade takes apart or renames.
    let exploded = ["configured_region", "credentials", "*", "ReadmeDoctests"];
    let mut wrong = Vec::new();
    for name in core.iter().chain(&ureq) {
        if exploded.contains(&name.as_str()) || name.starts_with("tests") {
            continue;
        }
        // Private `mod` lines are not exported; `pub mod` ones are.
        match counts.get(name).copied().unwrap_or(0) {
            1 => {}
            n => wrong.push(format!("{name}: {n} path(s) in the facade")),
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    let root = exported(&outside_modules(&facade));
    println!("{} items at the root: {root:?}", root.len());
    assert!(
        root.len() <= 45,
        "{} items at the root: {root:?}",
        root.len()
    );
    for must in [
        "Client",
        "ClientBuilder",
        "TerminateOptions",
        "Report",
        "Credentials",
        "ResolvedRegion",
    ] {
        assert!(root.iter().any(|n| n == must), "{must} is not at the root");
    }
    for below in [
        "Transmit",
        "Page",
        "InstanceIdList",
        "ApiRequest",
        "TerminateInstancesBody",
        "RateLimiter",
        "SECRET_ID_VAR",
    ] {
        assert!(!root.iter().any(|n| n == below), "{below} is at the root");
    }
}
