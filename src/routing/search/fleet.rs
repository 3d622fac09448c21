//! Fleet sizing inside one search run, for problems whose vehicles have a fixed cost (a used
//! van costs its day).
//!
//! The run starts with as few vehicles as a lower bound allows ([`lower_bound`]: the jobs'
//! load and service time against one vehicle's capacity and shift): idle vehicles beyond that
//! number may not start. Ruin and recreate then works with its usual rule, fewer jobs left out
//! first: when it stalls with jobs still left out, the limit grows in proportion to the work
//! left (as a loop of solves with more and more vehicles would, but from where the search
//! stands instead of from scratch). Once every job is placed, the route-removal ruin
//! ([`super::ruin::select_route`]) empties the routes the day can do without. Starting low
//! matters: a search given many vehicles at once keeps more of them than it needs (measured in
//! BENCHMARKS.md).

use super::super::instance::Instance;

/// How many vehicles may be in use, and when to allow more.
#[derive(Clone, Copy, Debug)]
pub struct FleetLimit {
    /// Vehicles that may be in use now.
    pub allowed: usize,
    /// Iterations without fewer jobs left out before the limit grows.
    pub patience: u64,
    stall: u64,
    best_missing: usize,
    /// Where the search stood (progress, jobs left out) when the limit last changed.
    stretch: Option<(f64, usize)>,
}

/// Iterations of patience per job, and at least.
const PATIENCE_PER_JOB: u64 = 2;
const MIN_PATIENCE: u64 = 100;
/// The stall before the limit grows while many jobs are left out.
const SHORT_PATIENCE: u64 = 20;
/// At most this share of an iteration budget waits before the limit grows.
const MAX_PATIENCE_SHARE: f64 = 0.1;
/// From this share of the budget on, jobs still left out may take any vehicle.
pub const RELEASE_AT: f64 = 0.9;

impl FleetLimit {
    /// The limit for `inst` with a budget of `iterations`, starting at the lower bound.
    pub fn new(inst: &Instance, iterations: u64) -> FleetLimit {
        let jobs = inst.problem.jobs.len() as u64;
        let most = (iterations as f64 * MAX_PATIENCE_SHARE).max(MIN_PATIENCE as f64) as u64;
        FleetLimit {
            allowed: lower_bound(inst).min(inst.problem.vehicles.len()).max(1),
            patience: (PATIENCE_PER_JOB * jobs).clamp(MIN_PATIENCE, most),
            stall: 0,
            best_missing: usize::MAX,
            stretch: None,
        }
    }

    /// Idle vehicles that may start in a state using `used` vehicles.
    pub fn new_routes(&self, used: usize) -> usize {
        self.allowed.saturating_sub(used)
    }

    /// After an iteration whose current state leaves `missing` mandatory jobs out of `jobs`,
    /// `progress` (0 to 1) into the budget: grows the limit (by the share of the work left, at
    /// least one vehicle) when the search has stalled with jobs left out, and lifts it near the
    /// end of the budget if jobs are still left out. Returns whether it grew.
    pub fn observe(&mut self, missing: usize, jobs: usize, vehicles: usize, progress: f64) -> bool {
        if missing > 0 && progress >= RELEASE_AT && self.allowed < vehicles {
            self.allowed = vehicles;
            return true;
        }
        let (p0, m0) = *self.stretch.get_or_insert((progress, missing));
        // Placing jobs, but too slowly to place them all by mid-budget at this pace (the
        // other half improves the cost): grow.
        let slow = missing > 0 && progress - p0 >= MEASURE_OVER && {
            let rate = m0.saturating_sub(missing) as f64 / (progress - p0);
            rate <= 0.0 || progress + missing as f64 / rate > PLACED_BY
        };
        if missing < self.best_missing && !slow {
            self.best_missing = missing;
            self.stall = 0;
            return false;
        }
        self.stall += 1;
        // Many jobs left out (more than one in ten): the limit is plainly too low, and
        // every iteration pays for trying them all: grow after a short stall.
        let patience = if missing * 10 > jobs {
            SHORT_PATIENCE.min(self.patience)
        } else {
            self.patience
        };
        if missing == 0 || (self.stall < patience && !slow) || self.allowed >= vehicles {
            return false;
        }
        let served = jobs.saturating_sub(missing).max(1);
        let more = (missing * self.allowed).div_ceil(served).max(1);
        self.allowed = (self.allowed + more).min(vehicles);
        self.stall = 0;
        self.best_missing = usize::MAX;
        self.stretch = None;
        true
    }
}

/// The share of the budget over which the pace of placing jobs is measured.
const MEASURE_OVER: f64 = 0.05;
/// The share of the budget by which, at the pace measured, every job should be placed.
const PLACED_BY: f64 = 0.6;

/// Vehicles needed at least: the jobs' total amount in each dimension against the largest
/// capacity (times the trips a reloading vehicle may make), and the time the jobs take at
/// least against the longest shift: their service, plus for each place visited the cheapest
/// arc into it (every place must be reached once; travel otherwise ignored).
pub fn lower_bound(inst: &Instance) -> usize {
    let p = inst.problem;
    let mut need = 1usize;
    let dims = p
        .vehicles
        .iter()
        .map(|v| v.capacity.0.len())
        .max()
        .unwrap_or(0);
    // A reloading vehicle carries at most this many loads a day.
    let trips = if p.vehicles.iter().any(|v| !v.reloads.is_empty()) {
        super::super::instance::RELOADS_PER_VEHICLE as i64 + 1
    } else {
        1
    };
    for d in 0..dims {
        let cap = p
            .vehicles
            .iter()
            .filter_map(|v| v.capacity.0.get(d).copied())
            .max()
            .unwrap_or(0)
            .saturating_mul(trips);
        let total: i64 = p
            .jobs
            .iter()
            .map(|j| j.amount.0.get(d).copied().unwrap_or(0).max(0))
            .fold(0i64, i64::saturating_add);
        if cap > 0 {
            need = need.max((total / cap + i64::from(total % cap > 0)) as usize);
        }
    }
    let shift = p
        .vehicles
        .iter()
        .map(|v| v.shift.end.0.saturating_sub(v.shift.start.0).max(0))
        .max()
        .unwrap_or(0);
    let service: i64 = p
        .jobs
        .iter()
        .flat_map(|j| &j.stops)
        .map(|s| s.service.0.max(0))
        .fold(0i64, i64::saturating_add);
    let mut places: Vec<u32> = p
        .jobs
        .iter()
        .flat_map(|j| &j.stops)
        .map(|s| s.location.0)
        .collect();
    places.sort_unstable();
    places.dedup();
    let n = inst.n_loc;
    // Without a start place, a vehicle's first stop is not reached by an arc.
    let all_start = p.vehicles.iter().all(|v| v.start.is_some());
    let reach: i64 = places
        .iter()
        .map(|&b| {
            (0..n)
                .filter(|&a| a != b as usize)
                .map(|a| inst.dur[a * n + b as usize])
                .filter(|t| (0..crate::model::Time::MAX.0).contains(t))
                .min()
                .unwrap_or(0)
        })
        .fold(0i64, i64::saturating_add);
    let work = service.saturating_add(if all_start { reach } else { 0 });
    if shift > 0 {
        need = need.max((work / shift + i64::from(work % shift > 0)) as usize);
    }
    need
}
