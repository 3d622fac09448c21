//! Fuzz targets: every reader of user input, fed arbitrary bytes, and what follows the reading
//! where a wrong number could hurt (a routing file is also validated, solved on a small budget
//! and checked; a p-median file is sited and checked; an extract becomes road graphs).
//!
//! A target returns `Ok` when the input was accepted or refused cleanly, and a [`Bug`] when the
//! answer is wrong: the independent checker refused a solution ("internal error"), or an error
//! message says "internal error". A panic or a run that never ends is a bug too; the harnesses
//! catch those: `examples/fuzz.rs` (stable Rust, mutations of the seed files, a time limit per
//! input), the `cargo fuzz` targets of `fuzz/` (nightly, coverage-guided), and `tests/fuzz.rs`,
//! which replays every input that once failed (`tests/fuzz/regressions/<target>/`).
//!
//! Readers take a path, so each input is written to a file of its own thread first.

use crate::io::{cvrplib, lilim, pmedcap, solomon, vroom, vrplib};
use crate::model::Problem;
use crate::plan::settings::Settings;
use crate::plan::sites_file;
use crate::{io, osm, plan, routing, sites};
use std::fmt;
use std::path::{Path, PathBuf};

/// A wrong answer found by a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bug(pub String);

impl fmt::Display for Bug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One reader and what follows it.
pub struct Target {
    /// Its name: the folder of its seeds and regressions, the `cargo fuzz` target.
    pub name: &'static str,
    /// The file name the input is written to (some readers look at the extension).
    pub file: &'static str,
    /// Runs the input.
    pub run: fn(&Path) -> Result<(), Bug>,
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "pbf",
        file: "input.osm.pbf",
        run: pbf,
    },
    Target {
        name: "cvrplib",
        file: "input.vrp",
        run: |p| routing_file(cvrplib::read(p)),
    },
    Target {
        name: "solomon",
        file: "input.txt",
        run: |p| routing_file(solomon::read(p)),
    },
    Target {
        name: "lilim",
        file: "input.txt",
        run: |p| routing_file(lilim::read(p)),
    },
    Target {
        name: "vrplib",
        file: "input.vrp",
        run: |p| routing_file(vrplib::read(p)),
    },
    Target {
        name: "vroom",
        file: "input.json",
        run: |p| routing_file(vroom::read(p)),
    },
    Target {
        name: "pmedcap",
        file: "input.txt",
        run: pmedcap_file,
    },
    Target {
        name: "points",
        file: "points.csv",
        run: |p| clean(io::points::read_points(p)),
    },
    Target {
        name: "households",
        file: "households.csv",
        run: households,
    },
    Target {
        name: "demand",
        file: "demand.csv",
        run: demand,
    },
    Target {
        name: "sites_csv",
        file: "sites.csv",
        run: |p| clean(sites_file::read(p)),
    },
    Target {
        name: "settings",
        file: "settings.toml",
        run: |p| clean(Settings::load(Some(p), &[])),
    },
    Target {
        name: "producers",
        file: "producers.csv",
        run: producers,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Runs `target` on `bytes`, written first to a file of its own (removed after; panics are
/// the caller's to catch).
pub fn run(target: &Target, bytes: &[u8]) -> Result<(), Bug> {
    let path = scratch(target.file);
    std::fs::write(&path, bytes)
        .map_err(|e| Bug(format!("cannot write the input {}: {e}", path.display())))?;
    let result = (target.run)(&path);
    let _ = std::fs::remove_file(&path);
    result
}

/// A new file name in this process's folder of the system's temporary folder.
fn scratch(file: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("tournee-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    dir.join(format!("{n}-{file}"))
}

/// A refusal is clean unless it calls itself an internal error.
fn clean<T, E: fmt::Display>(r: Result<T, E>) -> Result<(), Bug> {
    match r {
        Err(e) if e.to_string().contains("internal error") => Err(Bug(e.to_string())),
        _ => Ok(()),
    }
}

/// A routing problem: validated, solved on a small budget, and every solution checked.
fn routing_file(read: Result<Problem, io::format_error::FormatError>) -> Result<(), Bug> {
    let Ok(problem) = read else {
        return clean(read);
    };
    let params = routing::Params {
        seed: 1,
        threads: 1,
        iterations: 50,
        time_limit: Some(5.0),
    };
    match routing::solve_checked(&problem, &params) {
        Err(e @ routing::SolveError::Refused(_)) => Err(Bug(e.to_string())),
        other => clean(other),
    }
}

/// A p-median file (both distance conventions): sited on a small budget and checked.
fn pmedcap_file(path: &Path) -> Result<(), Bug> {
    for rounding in [pmedcap::Rounding::Floor, pmedcap::Rounding::None] {
        let Ok(pb) = pmedcap::read(path, rounding) else {
            return clean(pmedcap::read(path, rounding));
        };
        let params = sites::SitesParams {
            kicks: 3,
            time_limit: Some(std::time::Duration::from_secs(5)),
            ..sites::SitesParams::default()
        };
        match sites::solve_checked(&pb, &params) {
            Err(e @ sites::SitingError::Refused(_)) => return Err(Bug(e.to_string())),
            other => clean(other)?,
        }
    }
    Ok(())
}

/// An extract: read, then its households and road graphs as a plan builds them.
fn pbf(path: &Path) -> Result<(), Bug> {
    let bytes = std::fs::read(path).map_err(|e| Bug(e.to_string()))?;
    let extract = match osm::read_pbf_bytes(path, &bytes) {
        Ok(x) => x,
        Err(e) => return clean(Err::<(), _>(e)),
    };
    let settings = Settings::default();
    clean(plan::Territory::from_extract(
        extract,
        &settings,
        &plan::Quiet,
    ))
}

/// The planner's households and candidate places (same columns). The ids read must leave
/// room for the parts a siting makes of a large building (`x#1`...): no id read is the id of a
/// part of another (issue 32: `x#1` and a `x` of 100 foyers ended in "job id x#1 is used
/// twice").
fn households(path: &Path) -> Result<(), Bug> {
    use io::households::part_id;
    let no_part = |ids: Vec<&str>| -> Result<(), Bug> {
        let set: std::collections::HashSet<&str> = ids.iter().copied().collect();
        match ids.iter().find(|id| set.contains(part_id(id, 1).as_str())) {
            Some(id) => Err(Bug(format!(
                "the id {} of the file is the first part of the building {id}",
                part_id(id, 1)
            ))),
            None => Ok(()),
        }
    };
    match io::households::read_households(path) {
        Ok(rows) => no_part(rows.iter().map(|r| r.id.as_str()).collect())?,
        e => clean(e)?,
    }
    match io::households::read_candidates(path) {
        Ok(rows) => no_part(rows.iter().map(|r| r.id.as_str()).collect()),
        e => clean(e),
    }
}

/// A producers file for two producers (`node/9`, `way/8`).
fn producers(path: &Path) -> Result<(), Bug> {
    let ids = ["node/9".to_string(), "way/8".into()];
    clean(plan::week::producers::ProducersFile::read(path, &ids))
}

/// A demand file for three sites and one producer.
fn demand(path: &Path) -> Result<(), Bug> {
    let sites = ["way/1".to_string(), "node/2".into(), "node/3".into()];
    clean(plan::demand::read_csv(path, &sites, &["node/9".into()]))
}

pub mod harness;
pub mod mutate;

/// The body of a `cargo fuzz` target: runs the target `name` on `data` and panics on a
/// [`Bug`], so that libFuzzer records the input as a crash (a panic of the target is one
/// already).
pub fn libfuzzer(name: &str, data: &[u8]) {
    let t = target(name).unwrap_or_else(|| panic!("no fuzz target {name}"));
    if let Err(bug) = run(t, data) {
        panic!("{}: {bug}", t.name);
    }
}
