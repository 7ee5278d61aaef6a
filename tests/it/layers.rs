//! The workspace's layers: each crate depends only on crates below it, as `docs/architecture.md`
//! draws them. Cargo already refuses a cycle between crates; this test also refuses an edge that
//! goes up or sideways, and a graph in the document that is not the one in the manifests.

use std::collections::BTreeSet;
use std::path::Path;

/// Bottom to top. A crate may depend on crates earlier in the list only.
const LAYERS: [&str; 8] = [
    "mutasi-stats",
    "mutasi-domain",
    "mutasi-io",
    "mutasi-analysis",
    "mutasi-report",
    "mutasi-sample",
    "mutasi-pipeline",
    "mutasi",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `mutasi-*` crates named in the `[dependencies]` section of a manifest.
fn internal_deps(manifest: &str) -> BTreeSet<String> {
    let mut in_deps = false;
    let mut out = BTreeSet::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && line.starts_with("mutasi-") {
            let name: String = line.chars().take_while(|c| c.is_alphanumeric() || *c == '-').collect();
            out.insert(name);
        }
    }
    out
}

fn manifest_of(krate: &str) -> String {
    let path = if krate == "mutasi" {
        root().join("Cargo.toml")
    } else {
        root().join("crates").join(krate).join("Cargo.toml")
    };
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_crate_depends_only_on_lower_layers() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(root().join("crates"))
        .expect("crates/")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = LAYERS.iter().filter(|c| **c != "mutasi").map(|c| c.to_string()).collect();
    assert_eq!(on_disk, listed, "every crate has a place in LAYERS");
    for (rank, krate) in LAYERS.iter().enumerate() {
        for dep in internal_deps(&manifest_of(krate)) {
            let dep_rank = LAYERS.iter().position(|c| *c == dep).unwrap_or(usize::MAX);
            assert!(dep_rank < rank, "{krate} depends on {dep}, which is not below it");
        }
    }
}

#[test]
fn the_statistics_core_and_the_domain_know_nothing_of_polars() {
    for krate in ["mutasi-stats", "mutasi-domain"] {
        let m = manifest_of(krate);
        assert!(!m.contains("polars"), "{krate} must not depend on Polars");
    }
}

/// `docs/architecture.md` lists each crate's internal dependencies as `crate → a, b` lines in
/// its "Crate graph" block; they must be exactly the manifests' edges.
#[test]
fn the_documented_graph_is_the_real_one() {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).expect("architecture.md");
    let block = doc.split("<!-- crate-graph -->").nth(1).expect("a <!-- crate-graph --> block");
    let mut documented = BTreeSet::new();
    for line in block.lines().take_while(|l| !l.contains("<!-- /crate-graph -->")) {
        let Some((from, to)) = line.split_once('→') else { continue };
        let from = from.trim().trim_start_matches("- ").trim_matches('`').to_string();
        for dep in to.split(',').map(|d| d.trim().trim_matches('`')).filter(|d| !d.is_empty() && *d != "—")
        {
            documented.insert((from.clone(), dep.to_string()));
        }
    }
    let mut real = BTreeSet::new();
    for krate in LAYERS {
        for dep in internal_deps(&manifest_of(krate)) {
            real.insert((krate.to_string(), dep));
        }
    }
    assert_eq!(documented, real, "docs/architecture.md's crate graph differs from the manifests");
}
