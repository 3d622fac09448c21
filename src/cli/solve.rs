//! `tournee solve`: one routing instance, from a benchmark or exchange file.

use super::Outcome;
use crate::io::cvrplib;
use crate::io::files::check_writable;
use crate::io::files::write_file;
use crate::io::instance::{self, user_cost, InstanceFormat};
use crate::routing::{solve_checked, Params};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

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
    /// PyVRP's VRPLIB dialect for multi-depot VRPTW (`TYPE: MDVRPTW`).
    Vrplib,
}

/// Search settings shared by `solve` and `bench vrp`.
#[derive(Args, Debug, Clone, Copy)]
pub struct SearchArgs {
    /// Stop after this many seconds (default 10 unless --iterations is given).
    #[arg(long, value_name = "SECONDS", value_parser = super::seconds)]
    pub time_limit: Option<f64>,
    /// Stop after this many iterations per thread: with a fixed seed and thread count the result
    /// is then identical on every run and machine.
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Random seed.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = super::seed)]
    pub seed: u64,
    /// Independent search threads (the best result is kept), 1 to 256.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
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
            threads: usize::from(self.threads.max(1)),
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

impl Format {
    /// The library's format, `None` to guess it from the file.
    pub fn known(self) -> Option<InstanceFormat> {
        match self {
            Format::Auto => None,
            Format::Cvrplib => Some(InstanceFormat::Cvrplib),
            Format::Solomon => Some(InstanceFormat::Solomon),
            Format::Lilim => Some(InstanceFormat::Lilim),
            Format::Vroom => Some(InstanceFormat::Vroom),
            Format::Vrplib => Some(InstanceFormat::Vrplib),
        }
    }
}

/// Runs `tournee solve`.
pub fn run(args: SolveArgs, verbose: bool) -> Result<Outcome> {
    let (problem, format) = instance::read(&args.file, args.format.known())?;
    if let Some(out) = &args.out {
        check_writable(out)?;
    }
    crate::routing::validate(&problem)
        .with_context(|| format!("{} cannot be solved as it is", args.file.display()))?;
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
        cvrplib::format_cost(match format {
            // VROOM costs are kept in 1/18,000 of the user's unit (see io::vroom::COST_SCALE).
            InstanceFormat::Vroom => {
                user_cost(&problem, &report) / crate::io::vroom::cost_scale(&problem) as f64
            }
            _ => user_cost(&problem, &report),
        }),
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
        write_file(
            out,
            &instance::solution_bytes(format, &problem, &solution, &report),
        )?;
        println!("solution written to {}", out.display());
    }
    Ok(if solution.unassigned.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}
