//! `tournee solve`: one routing instance, from a benchmark or exchange file.

use super::Outcome;
use crate::io::files::write_file;
use crate::io::{cvrplib, format_error::FormatError, lilim, solomon, vroom};
use crate::model::{Problem, Solution};
use crate::routing::check::{check, Report};
use crate::routing::{solve, validate, Params, SolveStats};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Instance file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Guess from the file: `.vrp` CVRPLIB, `.json` VROOM, a text file Solomon or Li & Lim.
    Auto,
    /// CVRPLIB / TSPLIB `.vrp` (EUC_2D, nint distances).
    Cvrplib,
    /// Solomon and Gehring-Homberger VRPTW text files (DIMACS convention).
    Solomon,
    /// Li & Lim PDPTW text files (DIMACS convention).
    Lilim,
    /// VROOM's JSON problem (with a matrix).
    Vroom,
}

/// Search settings shared by `solve` and `bench vrp`.
#[derive(Args, Debug, Clone, Copy)]
pub struct SearchArgs {
    /// Stop after this many seconds (default 10 unless --iterations is given).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Stop after this many iterations per thread: with a fixed seed and thread count the result
    /// is then identical on every run and machine.
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Independent search threads (the best result is kept).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
}

impl SearchArgs {
    /// Solver parameters.
    pub fn params(&self) -> Params {
        let time_limit = match (self.time_limit, self.iterations) {
            (None, None) => Some(10.0),
            (t, _) => t,
        };
        Params {
            seed: self.seed,
            threads: self.threads.max(1),
            iterations: self.iterations.unwrap_or(u64::MAX),
            time_limit,
        }
    }
}

/// Arguments of `tournee solve`.
#[derive(Args, Debug)]
pub struct SolveArgs {
    /// The instance file.
    pub file: PathBuf,
    /// Its format.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: Format,
    #[command(flatten)]
    pub search: SearchArgs,
    /// Write the solution here: CVRPLIB `.sol` text, or VROOM's solution JSON for `--format vroom`.
    #[arg(long, value_name = "SOLUTION")]
    pub out: Option<PathBuf>,
}

/// Guesses the format of `path`.
pub fn detect(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "vrp" => return Ok(Format::Cvrplib),
        "json" => return Ok(Format::Vroom),
        _ => {}
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let numbers = first
        .split_whitespace()
        .filter(|w| w.parse::<f64>().is_ok())
        .count();
    if numbers == 3 && first.split_whitespace().count() == 3 {
        Ok(Format::Lilim)
    } else if text.contains("CUST NO.") || text.contains("VEHICLE") {
        Ok(Format::Solomon)
    } else if text.contains("NODE_COORD_SECTION") || text.contains("EDGE_WEIGHT") {
        Ok(Format::Cvrplib)
    } else {
        bail!(
            "cannot tell the format of {}: give --format cvrplib|solomon|lilim|vroom",
            path.display()
        )
    }
}

/// Reads an instance in a format (detected if `Auto`).
pub fn read(path: &Path, format: Format) -> Result<(Problem, Format)> {
    let format = if format == Format::Auto {
        detect(path)?
    } else {
        format
    };
    let read: fn(&Path) -> Result<Problem, FormatError> = match format {
        Format::Cvrplib => cvrplib::read,
        Format::Solomon => solomon::read,
        Format::Lilim => lilim::read,
        Format::Vroom | Format::Auto => vroom::read,
    };
    Ok((read(path)?, format))
}

/// Solves, then checks with the independent checker; an infeasible answer is an error.
pub fn solve_checked(problem: &Problem, params: &Params) -> Result<(Solution, Report, SolveStats)> {
    validate(problem)?;
    let (solution, stats) = solve(problem, params);
    let report = match check(problem, &solution) {
        Ok(r) => r,
        Err(violations) => {
            let list: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
            bail!(
                "internal error: the solver returned a solution the checker refuses; please report it with the input file:\n{}",
                list.join("\n")
            )
        }
    };
    Ok((solution, report, stats))
}

/// Cost in the user's units.
pub fn user_cost(problem: &Problem, report: &Report) -> f64 {
    report.cost.0 as f64 / problem.scale.per_unit as f64
}

/// Runs `tournee solve`.
pub fn run(args: SolveArgs, verbose: bool) -> Result<Outcome> {
    let (problem, format) = read(&args.file, args.format)?;
    let params = args.search.params();
    eprintln!(
        "{}: {} jobs, {} vehicles; seed {}, {} thread(s), {}",
        problem.name,
        problem.jobs.len(),
        problem.vehicles.len(),
        params.seed,
        params.threads,
        match (params.time_limit, args.search.iterations) {
            (Some(t), Some(i)) => format!("at most {t} s and {i} iterations"),
            (Some(t), None) => format!("{t} s"),
            (None, _) => format!("{} iterations", params.iterations),
        }
    );
    let (solution, report, stats) = solve_checked(&problem, &params)?;
    println!(
        "cost {} | routes {} | unassigned {} | {:.2} s | {} iterations",
        cvrplib::format_cost(user_cost(&problem, &report)),
        solution.routes.len(),
        solution.unassigned.len(),
        stats.seconds,
        stats.iterations
    );
    for u in &solution.unassigned {
        println!(
            "  not served: job {} ({}: {})",
            problem.jobs[u.job.ix()].id,
            u.reason.code(),
            u.reason.explain()
        );
    }
    if verbose {
        for (k, r) in report.routes.iter().enumerate() {
            eprintln!(
                "  route {}: vehicle {}, {} stops, distance {}",
                k + 1,
                problem.vehicles[r.vehicle.ix()].id,
                r.steps.len() - 2,
                r.distance.0
            );
        }
    }
    if let Some(out) = &args.out {
        let text = match format {
            Format::Vroom => {
                serde_json::to_vec_pretty(&vroom::write_solution(&problem, &solution, &report))?
            }
            _ => cvrplib::write_sol(&problem, &solution, report.cost).into_bytes(),
        };
        write_file(out, &text)?;
        println!("solution written to {}", out.display());
    }
    Ok(if solution.unassigned.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}
