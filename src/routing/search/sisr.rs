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
use super::super::state::State;
use super::fleet::FleetLimit;
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
            removed = select(inst, &state, &params, rng);
        }
        state.remove_jobs(inst, &removed, &mut touched);
        let order = Order::draw(rng);
        sort_jobs(inst, &mut state.unassigned, order, rng);
        let new_routes = fleet.map_or(usize::MAX, |f| {
            f.new_routes(state.routes.iter().filter(|r| !r.is_empty()).count())
        });
        recreate_with(inst, &mut state, rng, BLINK, &mut touched, new_routes);
        touched.sort_unstable();
        touched.dedup();
        let obj = state.objective(inst);
        let threshold = cur_obj.cost as f64 - temperature * rng.random::<f64>().max(1e-12).ln();
        let accept = obj.missing < cur_obj.missing
            || (obj.missing == cur_obj.missing && (obj.cost as f64) < threshold);
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
            f.observe(
                cur_obj.missing,
                inst.problem.jobs.len(),
                inst.problem.vehicles.len(),
                progress,
            );
        }
    }
    (best, stats)
}
