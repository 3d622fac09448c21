//! `tournee bench sites DIR`: capacitated p-median files against their best known values.

use super::super::sites::{fmt, SitesSearchArgs};
use super::super::Outcome;
use crate::io::bks::{self, Objective};
use crate::io::pmedcap::{self, Rounding};
use crate::sites::solve_checked;
use anyhow::{Context, Result};
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Arguments of `tournee bench sites`.
#[derive(Args, Debug)]
pub struct BenchSitesArgs {
    /// A folder of instances, or a folder of such folders (one set each).
    pub dir: PathBuf,
    #[command(flatten)]
    pub search: SitesSearchArgs,
    /// Best-known table (`instance,...,best_known`); by default `best_known.csv` in the folder
    /// or up to two folders above.
    #[arg(long, value_name = "CSV")]
    pub bks: Option<PathBuf>,
    /// Only the instances whose name contains this text.
    #[arg(long)]
    pub only: Option<String>,
    /// Also write the table as CSV here.
    #[arg(long, value_name = "CSV")]
    pub csv: Option<PathBuf>,
}

fn is_instance(p: &Path) -> bool {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = p
        .file_name()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    (ext == "txt" || ext == "dat")
        && !name.starts_with("cap")
        && !name.contains("opt")
        && !name.contains("sources")
}

/// Instances grouped by set (the folder holding them).
fn collect(dir: &Path) -> Result<BTreeMap<String, Vec<PathBuf>>> {
    let mut sets: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if is_instance(&p) {
                let set = d
                    .file_name()
                    .and_then(|s| s.to_str())
                    .unwrap_or("?")
                    .to_string();
                sets.entry(set).or_default().push(p);
            }
        }
    }
    for v in sets.values_mut() {
        v.sort();
    }
    Ok(sets)
}

/// Runs `tournee bench sites`.
pub fn run(args: BenchSitesArgs) -> Result<Outcome> {
    let bks_path = args
        .bks
        .clone()
        .or_else(|| bks::find_up(&args.dir, "best_known.csv"));
    let table = match &bks_path {
        Some(p) => bks::read_bks(p, Objective::Distance)?,
        None => Default::default(),
    };
    let mut sets = collect(&args.dir)?;
    if let Some(only) = &args.only {
        for v in sets.values_mut() {
            v.retain(|p| {
                p.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| s.contains(only.as_str()))
            });
        }
        sets.retain(|_, v| !v.is_empty());
    }
    if sets.is_empty() {
        anyhow::bail!(
            "{} holds no p-median instance (.txt or .dat)",
            args.dir.display()
        );
    }
    let params = args.search.params();
    println!(
        "tournee bench sites {} | seed {} | {} thread(s) | {} | best known: {}",
        args.dir.display(),
        params.seed,
        params.threads,
        match params.time_limit {
            Some(t) => format!("{:.1} s per instance", t.as_secs_f64()),
            None => format!("{} kicks per instance", params.kicks),
        },
        bks_path
            .as_ref()
            .map_or("none".into(), |p| p.display().to_string())
    );
    println!("| set | instance | n | p | best known | cost | gap % | lower bound | bound gap % | seconds |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut rows = Vec::new();
    for (set, files) in &sets {
        let mut gaps = Vec::new();
        for file in files {
            let name = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("?")
                .to_string();
            let pb = match pmedcap::read(file, Rounding::for_file(file)) {
                Ok(pb) => pb,
                Err(e) => {
                    println!("| {set} | {name} | error: {e} | | | | | | | |");
                    continue;
                }
            };
            let r = solve_checked(&pb, &params)?;
            let best = bks::find(&table, &name).map(|b| b.cost);
            let gap = best.map(|b| 100.0 * (r.sites.cost - b) / b);
            gaps.extend(gap);
            let row = vec![
                set.clone(),
                name,
                pb.n().to_string(),
                pb.p.to_string(),
                best.map_or("-".into(), fmt),
                fmt(r.sites.cost),
                gap.map_or("-".into(), |g| format!("{g:.3}")),
                r.bound.map_or("-".into(), |b| fmt(b.value)),
                r.bound.map_or("-".into(), |b| {
                    format!("{:.3}", b.gap_percent(r.sites.cost))
                }),
                format!("{:.2}", r.seconds),
            ];
            println!("| {} |", row.join(" | "));
            rows.push(row);
        }
        if !gaps.is_empty() {
            let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
            println!("| {set} | **mean gap** | | | | | **{mean:.3}** | | | |");
        }
    }
    if let Some(path) = &args.csv {
        let mut w = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        w.write_record([
            "set",
            "instance",
            "n",
            "p",
            "best_known",
            "cost",
            "gap_percent",
            "lower_bound",
            "bound_gap_percent",
            "seconds",
        ])?;
        for r in &rows {
            w.write_record(r)?;
        }
        w.flush()?;
    }
    Ok(Outcome::Done)
}
