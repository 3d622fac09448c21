//! The `tournee` command line: argument parsing, then one function per command.
//!
//! Exit codes: 0 success; 1 error (the message says what is wrong and what to do); 2 bad
//! arguments; 3 partial result (files written, but some input was refused, e.g. a point far
//! from any road: the message lists it).

mod bench;
mod compare;
mod extract;
mod matrix;
mod plan;
mod progress;
mod sites;
mod solve;
mod week;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The embedded default extract, relative to the crate's folder.
pub const DEFAULT_EXTRACT: &str = "data/andorra-2021-10-28.osm.pbf";

/// tournee: delivery rounds for rural conciergeries, from OpenStreetMap data.
#[derive(Parser, Debug)]
#[command(name = "tournee", version, about, long_about = None)]
pub struct Cli {
    /// Print more details.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// The main job on an extract (the embedded default if none): conciergerie sites, the day's
    /// van rounds with a route sheet per van, and a scenario report; writes everything to an
    /// output folder and says which.
    Plan(plan::PlanArgs),
    /// The week: each site's passages (its subscription), the days chosen for all sites
    /// together, a route sheet per van and day (vans may reload at their depot), and the week
    /// against planning each day on its own.
    Week(week::WeekArgs),
    /// The scenario report alone: today (postman at every door, car trips to shops) against
    /// the conciergerie network, per day and per year, with its own options.
    Compare(compare::CompareArgs),
    /// Prints every setting of `plan --config FILE` with its default value (TOML).
    Config,
    /// Lists households, candidate sites, producers and post offices of an extract as CSV and GeoJSON.
    Extract(extract::ExtractArgs),
    /// Travel-time and distance matrix between the points of a CSV (id,lon,lat), as JSON.
    Matrix(matrix::MatrixArgs),
    /// Solve one routing instance (CVRPLIB, Solomon, Li & Lim or VROOM JSON).
    Solve(solve::SolveArgs),
    /// Conciergerie sites: group households into catchments of about 50 foyers, or solve a
    /// capacitated p-median file (`--instance`).
    Sites(sites::SitesArgs),
    /// Quality and speed tables on benchmark folders.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// What a command ended with, besides errors.
pub enum Outcome {
    /// Everything done.
    Done,
    /// Files written, but some input was refused (already reported).
    Partial,
}

/// Finds the extract to use: the given one, or the embedded default.
/// A flag's number within `[lo, hi]`, finite (NaN and infinities refused), in `unit`.
fn bounded(s: &str, lo: f64, hi: f64, unit: &str, example: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => Ok(x),
        Ok(x) if x.is_finite() => Err(format!(
            "{} is out of range: give {unit} from {lo} to {hi} (e.g. {example})",
            s.trim()
        )),
        _ => Err(format!("{s:?} is not a number of {unit} (e.g. {example})")),
    }
}

/// `--time-limit`: seconds, above 0 and at most a week.
pub(crate) fn seconds(s: &str) -> Result<f64, String> {
    let x = bounded(s, 0.0, 604_800.0, "seconds", "10")?;
    if x <= 0.0 {
        return Err(
            "0 seconds leaves no time to search: give more than 0 (e.g. 10), or --iterations"
                .into(),
        );
    }
    Ok(x)
}

/// `--seed` of every command, one range: a whole number from 0 to i64::MAX, the largest a
/// settings file's `seed` holds (TOML integers are signed), so that a seed `solve` or `sites`
/// takes is one `plan` takes too and writes back in its `settings.toml`.
pub(crate) fn seed(s: &str) -> Result<u64, String> {
    s.trim()
        .parse::<u64>()
        .ok()
        .filter(|&n| i64::try_from(n).is_ok())
        .ok_or_else(|| format!("a seed is a whole number from 0 to {}, e.g. 1", i64::MAX))
}

/// `--max-snap`: metres from 0 to 100 km.
pub(crate) fn metres(s: &str) -> Result<f64, String> {
    bounded(s, 0.0, 100_000.0, "metres", "500")
}

/// Costs in euros, from 0 to a billion.
pub(crate) fn euros(s: &str) -> Result<f64, String> {
    bounded(s, 0.0, 1e9, "euros", "40")
}

pub fn extract_path(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        let beside_crate = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_EXTRACT);
        if beside_crate.exists() {
            beside_crate
        } else {
            PathBuf::from(DEFAULT_EXTRACT)
        }
    })
}

/// Says a panic is a bug of tournee's, where, and what to send, instead of Rust's message (the
/// panics of a dependency decoding a file are caught where they happen and never reach here:
/// see [`crate::model::guard`]).
fn bug_report_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "internal error: tournee stopped on a bug ({message}{at}). Please report it with the command you ran and its input files; outputs already written are kept, and an unfinished output folder is marked INCOMPLETE."
        );
    }));
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    bug_report_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => plan::run(args, cli.verbose),
        Command::Compare(args) => compare::run(args, cli.verbose),
        Command::Week(args) => week::run(args, cli.verbose),
        Command::Config => {
            print!("{}", crate::plan::Settings::defaults_toml());
            Ok(Outcome::Done)
        }
        Command::Extract(args) => extract::run(args, cli.verbose),
        Command::Matrix(args) => matrix::run(args, cli.verbose),
        Command::Solve(args) => solve::run(args, cli.verbose),
        Command::Sites(args) => sites::run(args, cli.verbose),
        Command::Bench(cmd) => bench::run(cmd, cli.verbose),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(3),
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  because: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
