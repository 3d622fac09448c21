//! `tournee bench vrp DIR`: every instance of a folder, with gaps to the best known solutions.

use super::super::solve::SearchArgs;
use super::super::Outcome;
use crate::io::bks::{self, Objective};
use crate::io::cvrplib::format_cost as fmt_cost;
use crate::io::instance::{read, user_cost, InstanceFormat as Format};
use crate::model::Problem;
use crate::routing::check::Report;
use crate::routing::solve_checked;
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `tournee bench vrp`.
#[derive(Args, Debug)]
pub struct BenchVrpArgs {
    /// Folder of instances (`.vrp`, Solomon or Li & Lim `.txt`).
    pub dir: PathBuf,
    #[command(flatten)]
    pub search: SearchArgs,
    /// Best-known table (CSV with instance,bks_cost,...); by default the first `bks.csv` found
    /// in the folder or up to two folders above it.
    #[arg(long, value_name = "CSV")]
    pub bks: Option<PathBuf>,
    /// Also write the table as CSV here.
    #[arg(long, value_name = "CSV")]
    pub csv: Option<PathBuf>,
}

/// The cost to compare with the best known: the objective in user units, except for Li & Lim
/// whose best known are real-valued distances (recomputed from the coordinates).
fn comparable_cost(problem: &Problem, report: &Report, format: Format) -> f64 {
    // PyVRP's VRPLIB dialect: the `.sol` files' `Cost:` is in the integer units of the
    // rounding (tenths for MTVRPTWR, thousandths for MDVRPTW), as tournee writes it.
    if format == Format::Vrplib {
        return report.cost.0 as f64;
    }
    if format == Format::Lilim && problem.coords.len() == problem.num_locations() {
        let c = &problem.coords;
        let d = |a: usize, b: usize| (c[a].0 - c[b].0).hypot(c[a].1 - c[b].1);
        return report
            .routes
            .iter()
            .map(|r| {
                let locs: Vec<usize> = r
                    .steps
                    .iter()
                    .filter_map(|s| s.location.map(|l| l.ix()))
                    .collect();
                locs.windows(2).map(|w| d(w[0], w[1])).sum::<f64>()
            })
            .sum();
    }
    user_cost(problem, report)
}

pub fn run(args: BenchVrpArgs) -> Result<Outcome> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .with_context(|| format!("cannot list {}", args.dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            matches!(ext.as_str(), "vrp" | "txt" | "json")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        anyhow::bail!(
            "{} holds no instance (.vrp, .txt or .json)",
            args.dir.display()
        );
    }
    let bks_path = args
        .bks
        .clone()
        .or_else(|| bks::find_up(&args.dir, "bks.csv"));
    let tables = match &bks_path {
        Some(p) => Some((
            bks::read_bks(p, Objective::Distance)?,
            bks::read_bks(p, Objective::Hierarchical)?,
        )),
        None => None,
    };
    let params = args.search.params();
    println!(
        "tournee bench vrp {} | seed {} | {} thread(s) | {} | best known: {}",
        args.dir.display(),
        params.seed,
        params.threads,
        match (params.time_limit, args.search.iterations) {
            (Some(t), _) => format!("{t} s per instance"),
            (None, Some(i)) => format!("{i} iterations per instance"),
            _ => String::new(),
        },
        bks_path
            .as_ref()
            .map_or("none".into(), |p| p.display().to_string())
    );
    println!(
        "| instance | n | best known | cost | gap % | routes | unassigned | seconds | iterations |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut rows = Vec::new();
    let mut gaps = Vec::new();
    for file in &files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        let (problem, format) = match read(file, None) {
            Ok(x) => x,
            Err(e) => {
                println!("| {name} | error: {e} | | | | | | | |");
                continue;
            }
        };
        let (solution, report, stats) = solve_checked(&problem, &params)?;
        let cost = comparable_cost(&problem, &report, format);
        let best = tables
            .as_ref()
            .and_then(|(dist, hier)| bks::find(dist, &name).or_else(|| bks::find(hier, &name)))
            .map(|b| b.cost)
            .or_else(|| bks::from_sol(&file.with_extension("sol")));
        let gap = best.map(|b| 100.0 * (cost - b) / b);
        if let Some(g) = gap {
            gaps.push(g);
        }
        let row = [
            name.clone(),
            problem
                .jobs
                .iter()
                .map(|j| j.stops.len())
                .sum::<usize>()
                .to_string(),
            best.map_or("-".into(), fmt_cost),
            if format == Format::Lilim {
                format!("{cost:.2}")
            } else {
                fmt_cost(cost)
            },
            gap.map_or("-".into(), |g| format!("{g:.2}")),
            solution.routes.len().to_string(),
            solution.unassigned.len().to_string(),
            format!("{:.1}", stats.seconds),
            stats.iterations.to_string(),
        ];
        println!("| {} |", row.join(" | "));
        rows.push(row);
    }
    if !gaps.is_empty() {
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let mut sorted = gaps.clone();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let median = sorted[sorted.len() / 2];
        println!(
            "mean gap {mean:.2} % | median gap {median:.2} % | {} instances with a best known",
            gaps.len()
        );
    }
    if let Some(csv_path) = &args.csv {
        let mut w = csv::Writer::from_path(csv_path)
            .with_context(|| format!("cannot write {}", csv_path.display()))?;
        w.write_record([
            "instance",
            "n",
            "best_known",
            "cost",
            "gap_percent",
            "routes",
            "unassigned",
            "seconds",
            "iterations",
        ])?;
        for r in &rows {
            w.write_record(r)?;
        }
        w.flush()?;
    }
    Ok(Outcome::Done)
}
