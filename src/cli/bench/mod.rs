//! `tournee bench`: quality and speed tables on benchmark folders.

mod plan;
mod sites;
mod vrp;

use super::Outcome;
use anyhow::Result;
use clap::Subcommand;

/// What to benchmark.
#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Solve every routing instance of a folder and compare with the best known solutions.
    Vrp(vrp::BenchVrpArgs),
    /// Solve every capacitated p-median file of a folder (or of its sub-folders) and compare
    /// with `best_known.csv`.
    Sites(sites::BenchSitesArgs),
    /// Plan each extract (smallest first) and time every stage: its share of the time, its
    /// peak memory, and how it scales from one territory to the next.
    Plan(plan::BenchPlanArgs),
}

/// Runs `tournee bench`.
pub fn run(cmd: BenchCommand, _verbose: bool) -> Result<Outcome> {
    match cmd {
        BenchCommand::Vrp(args) => vrp::run(args),
        BenchCommand::Sites(args) => sites::run(args),
        BenchCommand::Plan(args) => plan::run(args),
    }
}
