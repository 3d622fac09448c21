//! `tournee sites`: conciergerie catchments, from an OSM extract (real use, [`extract`]) or
//! from a literature p-median file (`--instance`, [`instance`]).

mod extract;
mod instance;

use super::Outcome;
use crate::plan::siting::{CandidatesFrom, DistanceKind};
use crate::sites::{SitesParams, SitingResult};
use anyhow::Result;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Which places may host a conciergerie (without `--candidates`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CandidatesArg {
    /// Any household (a foyer hosting it).
    Households,
    /// Public places of the extract: town halls, post offices, schools, libraries, shops.
    Places,
    /// Both.
    Both,
}

impl From<CandidatesArg> for CandidatesFrom {
    fn from(c: CandidatesArg) -> Self {
        match c {
            CandidatesArg::Households => CandidatesFrom::Households,
            CandidatesArg::Places => CandidatesFrom::Places,
            CandidatesArg::Both => CandidatesFrom::Both,
        }
    }
}

/// The distance households travel to their conciergerie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DistanceArg {
    /// Along footways and roads a pedestrian may use.
    Walking,
    /// Along roads open to cars.
    Driving,
    /// As the crow flies.
    Straight,
}

impl From<DistanceArg> for DistanceKind {
    fn from(d: DistanceArg) -> Self {
        match d {
            DistanceArg::Walking => DistanceKind::Walking,
            DistanceArg::Driving => DistanceKind::Driving,
            DistanceArg::Straight => DistanceKind::Straight,
        }
    }
}

/// Distance rounding of `--instance` files.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoundingArg {
    /// Floor (OR-Library `pmedcap1`); the default for `cpmp*` files.
    Floor,
    /// Real Euclidean distances; the default for the other files.
    None,
}

/// Formats of `--instance`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InstanceFormat {
    /// `n p`, then `x y capacity demand` per point.
    Pmedcap,
}

/// Search settings shared by `sites` and `bench sites`.
#[derive(Args, Debug, Clone)]
pub struct SitesSearchArgs {
    /// Seconds at most: with `--instance`, the search runs this long (or until it proves its
    /// answer optimal); on an extract, the whole siting stops by then at the latest.
    #[arg(long, value_name = "S", value_parser = crate::cli::seconds)]
    pub time_limit: Option<f64>,
    /// Kicks of the search (a deterministic budget: same seed and kicks, same answer).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub kicks: u32,
    /// Random seed.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = crate::cli::seed)]
    pub seed: u64,
    /// Skip the lower bound.
    #[arg(long)]
    pub no_bound: bool,
    /// Re-optimise a region exactly (MIP) when it has at most this many household x
    /// candidate pairs (0: never; worth it only with the `cbc` build, see BENCHMARKS.md).
    #[arg(long, value_name = "PAIRS", value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    pub exact_pairs: Option<u32>,
    /// Search threads sharing their best state (1 to 256), each making the `--kicks`; the
    /// same seed, kicks and thread count give the same answer.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
}

impl SitesSearchArgs {
    /// As solver settings. With a time limit and no explicit kicks, the clock decides.
    pub fn params(&self) -> SitesParams {
        let mut p = SitesParams {
            seed: self.seed,
            kicks: self.kicks as usize,
            bound: !self.no_bound,
            threads: usize::from(self.threads.max(1)),
            ..SitesParams::default()
        };
        if let Some(x) = self.exact_pairs {
            p.exact_pairs = x as usize;
        }
        if let Some(t) = self.time_limit {
            p.time_limit = Some(Duration::from_secs_f64(t.max(0.0)));
            p.kicks = usize::MAX;
        }
        p
    }
}

/// Arguments of `tournee sites`.
#[derive(Args, Debug)]
pub struct SitesArgs {
    /// A literature instance to solve instead of an extract.
    #[arg(long, value_name = "FILE")]
    pub instance: Option<PathBuf>,
    /// Format of `--instance`.
    #[arg(long, value_enum, default_value_t = InstanceFormat::Pmedcap, requires = "instance")]
    pub format: InstanceFormat,
    /// Distance rounding of `--instance` (default: floor for `cpmp*` files, none otherwise).
    #[arg(long, value_enum, requires = "instance")]
    pub rounding: Option<RoundingArg>,
    /// Where to write: the assignment CSV for `--instance`, a folder otherwise (default
    /// `tournee-out/<extract>/siting`: not a plan's own `sites/`).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The OpenStreetMap extract (default: the embedded one in `data/`).
    #[arg(long, value_name = "FILE.osm.pbf", conflicts_with = "instance")]
    pub osm: Option<PathBuf>,
    /// Households from a CSV (`id,lon,lat[,foyers]`) instead of the extract's buildings.
    #[arg(long, value_name = "CSV", conflicts_with = "instance")]
    pub households: Option<PathBuf>,
    /// Candidate places from a CSV (`id,lon,lat[,name][,min][,max]`) instead of the default.
    #[arg(long, value_name = "CSV", conflicts_with = "instance")]
    pub candidates: Option<PathBuf>,
    /// Without `--candidates`: which places may host a conciergerie.
    #[arg(long, value_enum, default_value_t = CandidatesArg::Both, conflicts_with = "instance")]
    pub candidates_from: CandidatesArg,
    /// Foyers per conciergerie aimed at: sets the number of sites to total foyers / target
    /// (rounded, kept within what the bounds allow) unless `--sites` or costs are given.
    #[arg(long, default_value_t = 50, conflicts_with = "instance", value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub target: i64,
    /// Fewest foyers a conciergerie may serve.
    #[arg(long, default_value_t = 40, conflicts_with = "instance", value_parser = clap::value_parser!(i64).range(0..=100_000))]
    pub min: i64,
    /// Most foyers a conciergerie may serve.
    #[arg(long, default_value_t = 60, conflicts_with = "instance", value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub max: i64,
    /// Number of conciergeries (overrides `--target`); `0` means the fewest the bounds allow.
    #[arg(long, value_name = "P", conflicts_with = "instance")]
    pub sites: Option<usize>,
    /// Daily cost of running one conciergerie (with `--cost-per-km`: the number of sites is
    /// chosen to minimise the total).
    #[arg(long, value_name = "EUR", value_parser = crate::cli::euros, conflicts_with = "instance")]
    pub site_cost: Option<f64>,
    /// Cost of one foyer's kilometre to its conciergerie (a daily trip there and back counts 2).
    #[arg(long, value_name = "EUR", value_parser = crate::cli::euros, conflicts_with = "instance")]
    pub cost_per_km: Option<f64>,
    /// How distance to a conciergerie is measured.
    #[arg(long, value_enum, default_value_t = DistanceArg::Walking, conflicts_with = "instance")]
    pub distance: DistanceArg,
    /// Households per zone at most: a larger territory is sited by zones in parallel, joined
    /// at their borders.
    #[arg(long, value_name = "N", default_value_t = crate::plan::siting::ZONE_HOUSEHOLDS as u32, conflicts_with = "instance", value_parser = clap::value_parser!(u32).range(100..=2_000_000))]
    pub zone_households: u32,
    #[command(flatten)]
    pub search: SitesSearchArgs,
}

/// Runs `tournee sites`.
pub fn run(args: SitesArgs, verbose: bool) -> Result<Outcome> {
    match &args.instance {
        Some(path) => instance::run(path.clone(), &args),
        None => extract::run(&args, verbose),
    }
}

/// What the search did, in one line.
pub fn stats_line(r: &SitingResult) -> String {
    let s = &r.stats;
    format!(
        "{:.2} s | first solution {} after {:.2} s, bound {:.2} s ({} Lagrangian site sets tried, {} better) | {} regions re-optimised ({} exactly), {} improvements, {} kicks",
        r.seconds, fmt(s.first_cost), s.first_seconds, s.bound_seconds, s.lagrangian_tries, s.lagrangian_wins, s.regions, s.exact_regions, s.improvements, s.kicks
    )
}

/// A cost with two decimals, or none when it is a whole number.
pub fn fmt(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}
