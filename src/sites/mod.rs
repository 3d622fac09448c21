//! Conciergerie sites: group households into catchments of about fifty foyers.
//!
//! This is the capacitated p-median problem ([`Siting`]): open `p` sites among candidate
//! places, give every household one open site, keep each site's load within its bounds, and
//! minimise the total `foyers x distance`. [`solve`] runs, in order:
//!
//! 1. a spread-out start (k-means++ seeding) improved by location-allocation (capacitated
//!    assignment by regret, shifts and swaps; each site moved to its catchment's best place);
//! 2. a Lagrangian lower bound (and the exact LP relaxation with `good_lp` when it is small
//!    enough), so that every answer states how far from optimal it can be at most;
//! 3. region re-optimisation: a site and its nearest neighbours, with all their households,
//!    re-solved as a small problem (exactly with `good_lp` when small, by site substitution
//!    otherwise), with random kicks when no region improves; until the time limit, the kick
//!    budget, or the bound is reached.
//!
//! Every solution can be verified by [`check::check`], which shares no code with the solver.
//!
//! ```
//! use tournee::sites::{self, Candidate, Distances, Siting, SitesParams};
//! // Six households on a line, two sites of at most 3 foyers.
//! let xs = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0];
//! let pb = Siting {
//!     point_xy: xs.iter().map(|&x| [x, 0.0]).collect(),
//!     demand: vec![1; 6],
//!     weight: vec![1.0; 6],
//!     candidate_xy: xs.iter().map(|&x| [x, 0.0]).collect(),
//!     candidates: (0..6).map(|i| Candidate { min: 0, max: 3, fixed_cost: 0.0, point: Some(i), fixed: false }).collect(),
//!     p: 2,
//!     distances: Distances::Euclid { floor: false },
//! };
//! let result = sites::solve(&pb, &SitesParams::default()).unwrap();
//! assert_eq!(result.sites.open, vec![1, 4]);
//! assert_eq!(result.sites.cost, 4.0);
//! sites::check::check(&pb, &result.sites).unwrap();
//! ```

pub mod assign;
pub mod bound;
pub mod check;
pub mod exact;
mod grid;
mod problem;
pub mod search;
mod solution;
pub mod summary;

pub use problem::{feasible_p, Candidate, Distances, Siting, SitingError};
pub use solution::{Bound, BoundMethod, Sites};

use search::{SearchParams, SearchStats};
use std::time::{Duration, Instant};

/// Settings of [`solve`].
#[derive(Clone, Debug)]
pub struct SitesParams {
    /// Random seed.
    pub seed: u64,
    /// Wall-clock budget (the search stops at the first of this and `kicks`).
    pub time_limit: Option<Duration>,
    /// Kicks of the search (deterministic budget).
    pub kicks: usize,
    /// A hard stop for the whole solve whatever else is left (a plan's `--time-limit`): the
    /// first solution, the bound and the search stop there. Unlike `time_limit`, it changes
    /// nothing in a run that ends before it.
    pub deadline: Option<Instant>,
    /// Compute a lower bound.
    pub bound: bool,
    /// Solve the LP relaxation exactly when the instance has at most this many pairs.
    pub lp_pairs: usize,
    /// Solve regions exactly (MIP) when they have at most this many point x candidate pairs.
    pub exact_pairs: usize,
    /// Open these candidates first (a warm start: the search then only improves on the
    /// location-allocation from them), instead of the spread-out start; fewer than `p` are
    /// completed by the spread-out seeding. The fixed candidates are always among them.
    pub start: Option<Vec<usize>>,
    /// With road or walking distances, also try the start shaped by constrained k-means on
    /// straight lines and keep the better: a spread-out territory gains (Andorra's grouping
    /// 23 % lower); the plan's zones, compact by construction, turn it off (on the 5 x 5 tiling
    /// it made the siting 35 % slower, on Liechtenstein's zones 0.3 % worse).
    pub shaped_start: bool,
    /// Search threads: 1, or several searches at once that share their best state
    /// ([`search::search_shared`]).
    pub threads: usize,
}

impl Default for SitesParams {
    fn default() -> Self {
        SitesParams {
            seed: 1,
            time_limit: None,
            kicks: 300,
            deadline: None,
            bound: true,
            lp_pairs: 3_000,
            // Off: microlp takes 20-80 ms per region, too slow to pay off (BENCHMARKS.md).
            exact_pairs: 0,
            start: None,
            shaped_start: true,
            threads: 1,
        }
    }
}

/// What [`solve`] returns.
#[derive(Clone, Debug)]
pub struct SitingResult {
    /// The best siting found.
    pub sites: Sites,
    /// A lower bound on the optimal cost, when computed.
    pub bound: Option<Bound>,
    /// Search statistics.
    pub stats: SearchStats,
    /// Seconds spent.
    pub seconds: f64,
}

/// [`solve`], then [`check::check`] on the answer: a siting the checker refuses is a bug, and an
/// error ([`SitingError::Refused`]) rather than an answer.
pub fn solve_checked(pb: &Siting, params: &SitesParams) -> Result<SitingResult, SitingError> {
    let result = solve(pb, params)?;
    if let Err(v) = check::check(pb, &result.sites) {
        let list: Vec<String> = v.iter().map(|e| e.to_string()).collect();
        return Err(SitingError::Refused(list.join("; ")));
    }
    Ok(result)
}

/// The largest region (sites) the search re-optimises at once. Measured on Stefanello's
/// fnl4461 at 60 s (BENCHMARKS.md): with 4.5 points a site, regions of 7 (0.33-0.59 % above the
/// best known) beat 5 (0.48 %), 4 and 10 (0.59-0.63 %); with 223, 3 (0.03 %) beats 5 (0.13 %).
/// With 45, 5 finds more in a minute (0.06 % against 0.25 %), but a territory's siting (about
/// 36 households a site) runs on a fixed number of kicks, and there regions of 5 cost
/// Liechtenstein's plan 45 to 72 s instead of 34 s for no better grouping: 3 from 20 points a
/// site up.
fn region_sites(n: usize, p: usize) -> usize {
    if n > 20 * p {
        3
    } else if n < 10 * p {
        7
    } else {
        5
    }
}

/// Lagrangian heuristic tries when no time limit is set (a deterministic budget).
const UNTIMED_HEURISTIC_TRIES: usize = 12;

/// Whether every cost is an integer (then a bound can be rounded up).
fn integral(pb: &Siting) -> bool {
    matches!(pb.distances, Distances::Euclid { floor: true })
        && pb.weight.iter().all(|w| w.fract() == 0.0)
        && pb.candidates.iter().all(|c| c.fixed_cost.fract() == 0.0)
}

/// Solves a capacitated p-median instance; see the module documentation.
///
/// Deterministic for a given seed when no time limit is set.
pub fn solve(pb: &Siting, params: &SitesParams) -> Result<SitingResult, SitingError> {
    pb.validate()?;
    let start = Instant::now();
    let hard = |d: Option<Instant>| match (d, params.deadline) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let deadline = hard(params.time_limit.map(|t| start + t));
    let mut stats = SearchStats::default();
    // The first descent gets a third of the budget at most, the bound half of what is left.
    let first_deadline = hard(params.time_limit.map(|t| start + t / 3));
    let mut sp = SearchParams {
        seed: params.seed,
        kicks: 0,
        deadline: first_deadline,
        target: None,
        max_region: region_sites(pb.n(), pb.p),
        exact_pairs: params.exact_pairs,
        shaped_start: params.shaped_start,
    };
    let ctx = search::Ctx::new(pb);
    // The sites that must open, then the warm start's.
    let mut seeds: Vec<usize> = (0..pb.m()).filter(|&j| pb.candidates[j].fixed).collect();
    let mut seen = vec![false; pb.m()];
    seeds.iter().for_each(|&j| seen[j] = true);
    for &j in params.start.iter().flatten() {
        if j < pb.m() && !seen[j] {
            seen[j] = true;
            seeds.push(j);
        }
    }
    seeds.truncate(pb.p);
    let mut first = if seeds.len() == pb.p {
        search::from_sites(&ctx, seeds, first_deadline)
    } else {
        search::start(&ctx, &seeds, &sp)
    };
    stats.first_seconds = start.elapsed().as_secs_f64();
    stats.first_cost = first.cost;

    let mut bound = None;
    if params.bound && first.feasible {
        let costs: Vec<f64> = (0..pb.n())
            .map(|i| pb.cost(i, first.sites[first.slot[i] as usize]))
            .collect();
        // Two thirds of the budget at most for the first solution and the bound.
        let timed = params.time_limit.map(|t| start + t * 2 / 3);
        let bound_deadline = hard(timed);
        let first_cost = first.cost;
        let bound_start = Instant::now();
        let mut heuristic_seconds = 0.0;
        let mut offered = std::collections::HashSet::new();
        let mut heuristic = |open: &[usize]| -> Option<f64> {
            let mut sites = open.to_vec();
            sites.sort_unstable();
            // With a time limit, the heuristic may use a third of the time spent on the bound
            // so far; without one, a fixed number of tries keeps the run deterministic.
            let out_of_budget = match timed {
                Some(d) => {
                    Instant::now() >= d
                        || heuristic_seconds > bound_start.elapsed().as_secs_f64() / 3.0
                }
                None => {
                    stats.lagrangian_tries >= UNTIMED_HEURISTIC_TRIES
                        || params.deadline.is_some_and(|d| Instant::now() >= d)
                }
            };
            if out_of_budget || !offered.insert(sites.clone()) {
                return None;
            }
            let t0 = Instant::now();
            stats.lagrangian_tries += 1;
            let s = search::from_sites(&ctx, sites, bound_deadline);
            let cost = s.feasible.then_some(s.cost);
            heuristic_seconds += t0.elapsed().as_secs_f64();
            if s.feasible && (s.cost < first.cost || !first.feasible) {
                stats.lagrangian_wins += 1;
                first = s;
            }
            cost
        };
        let upper = first_cost;
        let lag = bound::lagrangian(pb, &costs, upper, 400, bound_deadline, &mut heuristic);
        let mut b = Bound {
            value: lag,
            method: BoundMethod::Lagrangian,
        };
        if pb.n() * pb.m() <= params.lp_pairs {
            if let Some(lp) = exact::lp_bound(pb) {
                if lp > b.value {
                    b = Bound {
                        value: lp,
                        method: BoundMethod::LpRelaxation,
                    };
                }
            }
        }
        if integral(pb) {
            b.value = (b.value - 1e-6).ceil();
        }
        bound = Some(b);
        stats.bound_seconds = start.elapsed().as_secs_f64() - stats.first_seconds;
    }
    sp.deadline = deadline;
    sp.kicks = params.kicks;
    sp.target = bound.map(|b| b.value);
    let best = search::search_shared(&ctx, &sp, &mut stats, first, params.threads);
    let sites = best.to_sites();
    if let Some(b) = bound.as_mut() {
        if sites.cost <= b.value + 1e-9 * b.value.abs().max(1.0) {
            b.method = BoundMethod::Exact;
        }
    }
    Ok(SitingResult {
        sites,
        bound,
        stats,
        seconds: start.elapsed().as_secs_f64(),
    })
}
