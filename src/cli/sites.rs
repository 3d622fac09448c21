//! `tournee sites`: conciergerie catchments, from an OSM extract (real use) or from a
//! literature p-median file (`--instance`).

use super::Outcome;
use crate::io::pmedcap::{self, Rounding};
use crate::sites::{self, check, SitesParams, Siting, SitingResult};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

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
    /// Seconds of search at most (the search also stops when it proves its answer optimal).
    #[arg(long, value_name = "S")]
    pub time_limit: Option<f64>,
    /// Kicks of the search (a deterministic budget: same seed and kicks, same answer).
    #[arg(long, default_value_t = 300)]
    pub kicks: usize,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Skip the lower bound.
    #[arg(long)]
    pub no_bound: bool,
    /// Re-optimise a region exactly (MIP) when it has at most this many household x
    /// candidate pairs (0: never; worth it only with the `cbc` build, see BENCHMARKS.md).
    #[arg(long, value_name = "PAIRS")]
    pub exact_pairs: Option<usize>,
}

impl SitesSearchArgs {
    /// As solver settings. With a time limit and no explicit kicks, the clock decides.
    pub fn params(&self) -> SitesParams {
        let mut p = SitesParams {
            seed: self.seed,
            kicks: self.kicks,
            bound: !self.no_bound,
            ..SitesParams::default()
        };
        if let Some(x) = self.exact_pairs {
            p.exact_pairs = x;
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
    #[arg(long, value_enum, default_value_t = InstanceFormat::Pmedcap)]
    pub format: InstanceFormat,
    /// Distance rounding of `--instance` (default: floor for `cpmp*` files, none otherwise).
    #[arg(long, value_enum)]
    pub rounding: Option<RoundingArg>,
    /// Where to write: the assignment CSV for `--instance`, a folder otherwise (default
    /// `tournee-out/<extract>/sites`).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The OpenStreetMap extract (default: the embedded one in `data/`).
    #[arg(long, value_name = "FILE.osm.pbf")]
    pub osm: Option<PathBuf>,
    /// Households from a CSV (`id,lon,lat[,foyers]`) instead of the extract's buildings.
    #[arg(long, value_name = "CSV")]
    pub households: Option<PathBuf>,
    /// Candidate places from a CSV (`id,lon,lat[,name][,min][,max]`) instead of the default.
    #[arg(long, value_name = "CSV")]
    pub candidates: Option<PathBuf>,
    /// Without `--candidates`: which places may host a conciergerie.
    #[arg(long, value_enum, default_value_t = super::sites_osm::CandidatesFrom::Both)]
    pub candidates_from: super::sites_osm::CandidatesFrom,
    /// Foyers per conciergerie aimed at: sets the number of sites to total foyers / target
    /// (rounded, kept within what the bounds allow) unless `--sites` or costs are given.
    #[arg(long, default_value_t = 50)]
    pub target: i64,
    /// Fewest foyers a conciergerie may serve.
    #[arg(long, default_value_t = 40)]
    pub min: i64,
    /// Most foyers a conciergerie may serve.
    #[arg(long, default_value_t = 60)]
    pub max: i64,
    /// Number of conciergeries (overrides `--target`); `0` means the fewest the bounds allow.
    #[arg(long, value_name = "P")]
    pub sites: Option<usize>,
    /// Daily cost of running one conciergerie (with `--cost-per-km`: the number of sites is
    /// chosen to minimise the total).
    #[arg(long, value_name = "EUR")]
    pub site_cost: Option<f64>,
    /// Cost of one foyer's kilometre to its conciergerie (a daily trip there and back counts 2).
    #[arg(long, value_name = "EUR")]
    pub cost_per_km: Option<f64>,
    /// How distance to a conciergerie is measured.
    #[arg(long, value_enum, default_value_t = super::sites_osm::DistanceArg::Walking)]
    pub distance: super::sites_osm::DistanceArg,
    #[command(flatten)]
    pub search: SitesSearchArgs,
}

/// Solves and checks; a checker failure is a bug, reported as such.
pub fn solve_checked(pb: &Siting, params: &SitesParams) -> Result<SitingResult> {
    let result = sites::solve(pb, params)?;
    if let Err(v) = check::check(pb, &result.sites) {
        let list: Vec<String> = v.iter().map(|e| e.to_string()).collect();
        bail!(
            "internal error: the siting breaks its own rules ({}); please report it",
            list.join("; ")
        );
    }
    Ok(result)
}

/// Runs `tournee sites`.
pub fn run(args: SitesArgs, verbose: bool) -> Result<Outcome> {
    match &args.instance {
        Some(path) => instance(path.clone(), &args),
        None => super::sites_osm::run(&args, verbose),
    }
}

fn instance(path: PathBuf, args: &SitesArgs) -> Result<Outcome> {
    let rounding = match args.rounding {
        Some(RoundingArg::Floor) => Rounding::Floor,
        Some(RoundingArg::None) => Rounding::None,
        None => Rounding::for_file(&path),
    };
    let pb = pmedcap::read(&path, rounding)?;
    let params = args.search.params();
    println!(
        "{}: {} points, p = {}, distances {} | seed {}",
        path.display(),
        pb.n(),
        pb.p,
        if rounding == Rounding::Floor {
            "floored"
        } else {
            "real"
        },
        params.seed
    );
    let r = solve_checked(&pb, &params)?;
    println!("cost {}", fmt(r.sites.cost));
    match r.bound {
        Some(b) => println!(
            "lower bound {} ({}), gap {:.3} %",
            fmt(b.value),
            b.method.name(),
            b.gap_percent(r.sites.cost)
        ),
        None => println!("lower bound not computed"),
    }
    println!("{}", stats_line(&r));
    if let Some(out) = &args.out {
        std::fs::write(out, pmedcap::write_assignment(&r.sites))
            .with_context(|| format!("cannot write {}", out.display()))?;
        println!("assignment written to {}", out.display());
    }
    Ok(Outcome::Done)
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
