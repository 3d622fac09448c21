//! Ruin and recreate under simulated annealing (SISR, Christiaens & Vanden Berghe 2020).
//!
//! Each iteration removes adjacent strings of tasks ([`super::ruin`]), reinserts the removed
//! jobs greedily with blinks ([`crate::routing::construct::recreate`]) and accepts the result
//! if its cost is below the current cost plus a random threshold `-T ln U` that shrinks with
//! the temperature `T`, which decreases geometrically from `T0` to `Tf` over the budget. When
//! vehicles have a fixed cost, one iteration in twenty removes a whole route instead (route
//! minimisation: the fleet comes out of one solve). Only the
//! routes an iteration touched are copied back or forward, so an iteration costs about as much
//! as the jobs it moves.

use super::super::construct::recreate::{recreate_with, sort_jobs, Order, BLINK};
use super::super::instance::Instance;
use super::super::state::{Objective, State};
use super::fleet::{FleetLimit, RELEASE_AT};
use super::local::descend;
use super::ruin::{select, select_route, RuinParams, ROUTE_REMOVAL_RATE};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use std::time::Instant;

/// When to stop.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Most iterations (the deterministic budget).
    pub iterations: u64,
    /// Wall-clock limit, if any.
    pub seconds: Option<f64>,
}

/// What a run did.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunStats {
    /// Iterations done.
    pub iterations: u64,
    /// Iterations whose result was accepted.
    pub accepted: u64,
    /// Times a new best was found.
    pub improvements: u64,
}

/// Improves `start` and returns the best solution found. With a `fleet` limit, idle vehicles
/// start only within it, and it grows when the search stalls with jobs left out
/// ([`super::fleet`]).
pub fn run(
    inst: &Instance,
    start: State,
    budget: Budget,
    rng: &mut Pcg64Mcg,
    mut fleet: Option<FleetLimit>,
) -> (State, RunStats) {
    let clock = Instant::now();
    let mut stats = RunStats::default();
    let mut cur = start;
    let mut cur_obj = cur.objective(inst);
    let mut best = cur.clone();
    let mut best_obj = cur_obj;
    let mut state = cur.clone();
    let n_tasks = inst.first_reload.max(1);
    let per_task = (cur_obj.cost as f64 / n_tasks as f64).max(1.0);
    // SISR uses T0 = 100 and Tf = 1 on instances whose cost per customer is about ten units:
    // the same ratios, relative to the start's cost per task. A hot start matters on instances
    // with few long routes (Solomon C2/R2/RC2), where a cold search stays in its first basin.
    let (t0, tf) = (10.0 * per_task, 0.01 * per_task);
    let params = RuinParams::default();
    let fixed_costs = inst.problem.vehicles.iter().any(|v| v.costs.fixed.0 > 0);
    let mut touched = Vec::new();
    let mut squeeze = Squeeze {
        window: ((budget.iterations as f64 * SQUEEZE_SHARE) as u64).max(SQUEEZE_MIN),
        ..Squeeze::default()
    };
    // Per job, iterations it ended left out (fleet minimisation).
    let mut absence = vec![0u64; inst.problem.jobs.len()];
    while stats.iterations < budget.iterations {
        let progress = match budget.seconds {
            Some(s) => {
                let e = clock.elapsed().as_secs_f64();
                if e >= s {
                    break;
                }
                (e / s).max(stats.iterations as f64 / budget.iterations as f64)
            }
            None => stats.iterations as f64 / budget.iterations as f64,
        };
        stats.iterations += 1;
        let temperature = t0 * (tf / t0).powf(progress);
        touched.clear();
        let mut removed = Vec::new();
        if fixed_costs && rng.random_bool(ROUTE_REMOVAL_RATE) {
            removed = select_route(&state, inst, rng);
        }
        if removed.is_empty() {
            // While the fleet is limited and jobs are left out, half the ruins make room
            // around one of them.
            let focus = (fleet.is_some() && cur_obj.missing > 0 && rng.random_bool(0.5))
                .then(|| {
                    let missing: Vec<u32> = state
                        .unassigned
                        .iter()
                        .copied()
                        .filter(|&j| inst.problem.jobs[j as usize].unassigned_cost.is_none())
                        .collect();
                    (!missing.is_empty()).then(|| {
                        inst.job_first_task[missing[rng.random_range(0..missing.len())] as usize]
                    })
                })
                .flatten();
            removed = select(inst, &state, &params, rng, focus);
        }
        state.remove_jobs(inst, &removed, &mut touched);
        let order = Order::draw(rng, inst.windows_differ);
        sort_jobs(inst, &mut state.unassigned, order, rng);
        let new_routes = fleet.map_or(usize::MAX, |f| {
            f.new_routes(state.routes.iter().filter(|r| !r.is_empty()).count())
        });
        recreate_with(inst, &mut state, rng, BLINK, &mut touched, new_routes);
        touched.sort_unstable();
        touched.dedup();
        let obj = state.objective(inst);
        let threshold = cur_obj.cost as f64 - temperature * rng.random::<f64>().max(1e-12).ln();
        // With jobs left out while the fleet is limited, the jobs left out most often weigh
        // most (SISR's fleet minimisation, Christiaens & Vanden Berghe 2020, section 5): a
        // state leaving out jobs that are rarely out is preferred, so that the hard jobs get
        // placed.
        let absent = |s: &State| -> u64 { s.unassigned.iter().map(|&j| absence[j as usize]).sum() };
        let accept = obj.missing < cur_obj.missing
            || (obj.missing == cur_obj.missing
                && if obj.missing > 0 && fleet.is_some() {
                    let (a, b) = (absent(&state), absent(&cur));
                    a < b || (a == b && (obj.cost as f64) < threshold)
                } else {
                    (obj.cost as f64) < threshold
                });
        if accept {
            stats.accepted += 1;
            for &ri in &touched {
                cur.routes[ri].clone_from(&state.routes[ri]);
            }
            cur.unassigned.clone_from(&state.unassigned);
            cur.pos.clone_from(&state.pos);
            cur_obj = obj;
            if obj < best_obj {
                // Polish the new best with local search, and continue from it.
                let mut touched_tasks: Vec<u32> = Vec::new();
                for &ri in &touched {
                    touched_tasks.extend_from_slice(&cur.routes[ri].tasks);
                }
                if descend(inst, &mut cur, &touched_tasks, rng).delta < 0 {
                    cur_obj = cur.objective(inst);
                    state.clone_from(&cur);
                }
                best_obj = cur_obj;
                best.clone_from(&cur);
                stats.improvements += 1;
            }
        } else {
            for &ri in &touched {
                state.routes[ri].clone_from(&cur.routes[ri]);
            }
            state.unassigned.clone_from(&cur.unassigned);
            state.pos.clone_from(&cur.pos);
        }
        if let Some(f) = fleet.as_mut() {
            for &j in &cur.unassigned {
                if inst.problem.jobs[j as usize].unassigned_cost.is_none() {
                    absence[j as usize] += 1;
                }
            }
            let late = (stats.iterations + squeeze.window) as f64
                >= RELEASE_AT * budget.iterations as f64
                || budget.seconds.is_some_and(|_| progress + 0.1 >= RELEASE_AT);
            match squeeze.step(stats.iterations, cur_obj, best_obj, f, late) {
                Step::Wait => {}
                Step::Go => {
                    f.observe(
                        cur_obj.missing,
                        inst.problem.jobs.len(),
                        inst.problem.vehicles.len(),
                        progress,
                    );
                }
                Step::Start => {
                    // One route fewer: its jobs are left out, and the search must place
                    // them in the other routes within the window.
                    let jobs = select_route(&cur, inst, rng);
                    if jobs.is_empty() {
                        squeeze.until = None;
                    } else {
                        touched.clear();
                        cur.remove_jobs(inst, &jobs, &mut touched);
                        for ri in 0..cur.routes.len() {
                            cur.drop_reloads(inst, ri, false);
                        }
                        cur_obj = cur.objective(inst);
                        state.clone_from(&cur);
                        f.allowed = used(&cur);
                    }
                }
                Step::GiveUp => {
                    cur.clone_from(&best);
                    state.clone_from(&best);
                    cur_obj = best_obj;
                    f.allowed = used(&best);
                }
            }
        }
    }
    (best, stats)
}

/// Routes in use.
fn used(s: &State) -> usize {
    s.routes.iter().filter(|r| !r.is_empty()).count()
}

/// Route elimination for problems whose vehicles have a fixed cost: when the search has gone
/// [`SQUEEZE_AFTER`] iterations without a new best with every job placed, one route is emptied
/// and the fleet limit set one lower; the search then has an eighth of its budget to
/// place the jobs it left out in the other routes (acceptance puts fewer jobs left out first).
/// If it does, the day needs one vehicle fewer; else the search goes back to its best.
/// A failed attempt doubles the wait before the next one.
#[derive(Clone, Copy, Debug, Default)]
struct Squeeze {
    /// While squeezing, the iteration at which the attempt is given up.
    until: Option<u64>,
    /// The last iteration with a new best, or the end of the last attempt.
    since: u64,
    /// Failed attempts in a row.
    failures: u32,
    best_seen: Option<Objective>,
    /// Iterations an attempt has.
    window: u64,
}

/// Iterations without a new best before a route is emptied.
const SQUEEZE_AFTER: u64 = 150;
/// The share of the budget an attempt has to place the emptied route's jobs, and at least.
const SQUEEZE_SHARE: f64 = 0.125;
const SQUEEZE_MIN: u64 = 200;

/// What the search does after an iteration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Goes on (the fleet limit may grow as usual).
    Go,
    /// Goes on with an attempt (the fleet limit stays).
    Wait,
    /// Empties a route.
    Start,
    /// Gives up the attempt: back to the best.
    GiveUp,
}

impl Squeeze {
    /// After iteration `it`: `late` when no attempt should start any more (one would not end
    /// before the fleet limit is lifted, [`super::fleet`]).
    fn step(
        &mut self,
        it: u64,
        cur: Objective,
        best: Objective,
        f: &FleetLimit,
        late: bool,
    ) -> Step {
        if self.best_seen.is_none_or(|b| best < b) {
            self.best_seen = Some(best);
            self.since = it;
            if self.until.is_some() && best.missing == 0 {
                // The attempt placed every job: one vehicle fewer.
                self.until = None;
                self.failures = 0;
            }
        }
        if let Some(until) = self.until {
            if cur.missing == 0 {
                self.until = None;
                self.since = it;
                return Step::Go;
            }
            if it >= until {
                self.until = None;
                self.since = it;
                self.failures += 1;
                return Step::GiveUp;
            }
            return Step::Wait;
        }
        let wait = SQUEEZE_AFTER << self.failures.min(6);
        if !late
            && best.missing == 0
            && cur.missing == 0
            && f.allowed > 1
            && it >= self.since + wait
        {
            self.until = Some(it + self.window);
            return Step::Start;
        }
        Step::Go
    }
}
