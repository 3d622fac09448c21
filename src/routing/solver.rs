//! The solver's entry point: validate, prepare, construct, improve, report.

use super::construct::reasons::impossible_jobs;
use super::construct::recreate::{recreate_with, sort_jobs, Order};
use super::instance::Instance;
use super::search::fleet::FleetLimit;
use super::search::local::descend;
use super::search::sisr::{self, Budget, RunStats};
use super::state::State;
use crate::model::{Problem, Solution};
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;

/// Solver settings. Results depend only on the problem, `seed`, `threads` and `iterations`;
/// a `time_limit` may stop a run earlier, and then the iteration count reached is reported so
/// that the run can be replayed exactly with `iterations`.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Random seed.
    pub seed: u64,
    /// Independent search threads (the best result is kept; ties go to the lowest thread).
    pub threads: usize,
    /// Iterations per thread.
    pub iterations: u64,
    /// Wall-clock limit in seconds.
    pub time_limit: Option<f64>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 1,
            threads: 1,
            iterations: 20_000,
            time_limit: None,
        }
    }
}

/// What the solver did.
#[derive(Clone, Copy, Debug, Default)]
pub struct SolveStats {
    /// Iterations of the thread whose solution was kept.
    pub iterations: u64,
    /// Accepted iterations in that thread.
    pub accepted: u64,
    /// New bests in that thread.
    pub improvements: u64,
    /// Seconds spent.
    pub seconds: f64,
}

/// Solves a problem. The problem must have passed [`crate::routing::validate()`].
pub fn solve(problem: &Problem, params: &Params) -> (Solution, SolveStats) {
    let clock = std::time::Instant::now();
    let inst = Instance::new(problem);
    let reasons = impossible_jobs(&inst);
    let threads = params.threads.max(1);
    let budget = Budget {
        iterations: params.iterations,
        seconds: params
            .time_limit
            .map(|t| (t - clock.elapsed().as_secs_f64()).max(0.0)),
    };
    let fixed_costs = problem.vehicles.iter().any(|v| v.costs.fixed.0 > 0);
    let run = |k: usize| -> (State, RunStats) {
        let mut rng = Pcg64Mcg::seed_from_u64(
            params
                .seed
                .wrapping_add(k as u64)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let mut state = State::empty(&inst);
        // Jobs that cannot be served alone are left out from the start.
        state.unassigned.retain(|&j| reasons[j as usize].is_none());
        sort_jobs(&inst, &mut state.unassigned, Order::Far, &mut rng);
        let mut touched = Vec::new();
        // With fixed vehicle costs the fleet is sized in the run, from its lower bound.
        let fleet = fixed_costs.then(|| FleetLimit::new(&inst, budget.iterations));
        let new_routes = fleet.map_or(usize::MAX, |f| f.allowed);
        recreate_with(&inst, &mut state, &mut rng, 0.0, &mut touched, new_routes);
        state
            .unassigned
            .extend((0..problem.jobs.len() as u32).filter(|&j| reasons[j as usize].is_some()));
        descend(&inst, &mut state, &[], &mut rng);
        let (mut best, stats) = sisr::run(&inst, state, budget, &mut rng, fleet);
        descend(&inst, &mut best, &[], &mut rng);
        (best, stats)
    };
    let results: Vec<(State, RunStats)> = if threads == 1 {
        vec![run(0)]
    } else {
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| (0..threads).into_par_iter().map(run).collect()),
            Err(_) => (0..threads).map(run).collect(),
        }
    };
    let (best, stats) = results
        .into_iter()
        .min_by_key(|(s, _)| s.objective(&inst))
        .expect("at least one thread");
    let solution = best.to_solution(&inst, &reasons);
    (
        solution,
        SolveStats {
            iterations: stats.iterations,
            accepted: stats.accepted,
            improvements: stats.improvements,
            seconds: clock.elapsed().as_secs_f64(),
        },
    )
}

/// Why [`solve_checked`] gives no answer.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The problem breaks the model's rules (every issue listed).
    #[error(transparent)]
    Invalid(#[from] super::ValidationError),
    /// The independent checker refused the solver's answer: a bug.
    #[error("internal error: the solver returned a solution the checker refuses; please report it with the input file:\n{}", violations(.0))]
    Refused(Vec<super::check::Violation>),
}

fn violations(v: &[super::check::Violation]) -> String {
    let list: Vec<String> = v.iter().map(|v| format!("  {v}")).collect();
    list.join("\n")
}

/// Validates, solves, then checks the answer with the independent checker
/// ([`super::check::check`]): what a person gets is what was checked.
pub fn solve_checked(
    problem: &Problem,
    params: &Params,
) -> Result<(Solution, super::check::Report, SolveStats), SolveError> {
    super::validate(problem)?;
    let (solution, stats) = solve(problem, params);
    let report = super::check::check(problem, &solution).map_err(SolveError::Refused)?;
    Ok((solution, report, stats))
}
