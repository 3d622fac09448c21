//! The vans of a day: priced from the settings' factors, given in number or sized to the work,
//! and the solve with its deterministic budget, checked by the independent checker.

use super::settings::Settings;
use super::PlanError;
use crate::model::{Cost, Costs, Load, Problem, Reason, Solution, TimeWindow, Vehicle};
use crate::routing::{self, check, SolveError};

/// Ruin-and-recreate iterations of the round solver (a deterministic budget) for the
/// postman's rounds, one search.
pub const ROUND_ITERATIONS: u64 = 4_000;

/// A deterministic search budget: iterations per search, and searches run at once (the best
/// is kept; the same seed and budget give the same rounds on every machine).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Ruin-and-recreate iterations of each search.
    pub iterations: u64,
    /// Searches run at once.
    pub searches: usize,
}

/// The budget of the day's rounds: two searches of 8,000 iterations. The fleet is sized in
/// the search, and emptying a route takes long searches (measured in BENCHMARKS.md, "Vans
/// that work a day"); two searches use the machine's two cores.
pub const DAY_ROUNDS: Budget = Budget {
    iterations: 8_000,
    searches: 2,
};
/// Cost unit of the van solver: 1/100,000 euro.
pub const COST_UNITS_PER_EUR: f64 = 100_000.0;

/// Adds the fleet to `p` and solves. `depots` lists each depot (a location of `p`) with its
/// vans: `Some(n)`, or `None` for as many as the day needs, found in one solve: the vans carry
/// a fixed cost, so the solver sizes the fleet in its run from a lower bound (see
/// [`crate::routing::search::fleet`]); each such depot is offered twice the problem's lower
/// bound (load and working time) plus two. Only if work is still left for want of room with
/// every offered van used is the fleet enlarged and the day solved again. `budget` is the
/// solver's ([`DAY_ROUNDS`] for the plan's rounds); `shift_end` the end of the
/// vans' shift as the solver sees it (earlier than the settings' to keep room for the break:
/// [`super::breaks`]). Returns the solution, its report and the vans the solver could use.
pub fn solve_fleet(
    p: &mut Problem,
    settings: &Settings,
    depots: &[(usize, Option<usize>)],
    budget: Budget,
    shift_end: i64,
) -> Result<(Solution, check::Report, usize), PlanError> {
    let fleet = &settings.fleet;
    let most = p.jobs.len().max(1);
    let litres: i64 = p.jobs.iter().map(|j| j.amount.0[0]).sum();
    let service: i64 = p
        .jobs
        .iter()
        .flat_map(|j| &j.stops)
        .map(|s| s.service.0)
        .sum();
    let shift = fleet.shift_seconds().max(1);
    let by_load = (litres + fleet.capacity_litres - 1) / fleet.capacity_litres;
    let lower = by_load.max((service + shift - 1) / shift).max(1) as usize;
    let mut counts: Vec<(usize, usize, bool)> = depots
        .iter()
        .map(|&(loc, n)| match n {
            Some(n) => (loc, n, false),
            None => (loc, (2 * lower + 2).min(most), true),
        })
        .collect();
    let auto = counts.iter().any(|c| c.2);
    loop {
        p.vehicles.clear();
        add_vans(
            p,
            settings,
            &counts.iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
        );
        for v in &mut p.vehicles {
            v.shift.end = crate::model::Time(shift_end);
        }
        let k = p.vehicles.len();
        let (solution, report) = solve_checked(p, settings.seed, budget, settings.deadline)?;
        let short = solution
            .unassigned
            .iter()
            .filter(|u| u.reason == Reason::NoRoom)
            .count();
        let all_used = report.routes.len() >= k;
        if !auto || short == 0 || !all_used || k >= most * depots.len().max(1) {
            return Ok((solution, report, k));
        }
        let served = (p.jobs.len() - solution.unassigned.len()).max(1);
        for c in counts.iter_mut().filter(|c| c.2) {
            c.1 = (c.1 + (short * c.1).div_ceil(served)).min(most);
        }
    }
}

/// `count` identical vans at each `(location, count)`, priced in 1/100,000 euro, numbered in
/// order (`Van 1`, `Van 2`...). A van used on a day costs its day (`factors.van_eur_per_day`)
/// and its driver's paid day ([`crate::plan::settings::Fleet::paid_day_hours`] at
/// `factors.driver_eur_per_hour`) whatever it drives, then its kilometres: the solver keeps a
/// van only when its day saves more than it costs.
pub fn add_vans(p: &mut Problem, settings: &Settings, depots: &[(usize, usize)]) {
    let f = &settings.factors;
    let fleet = &settings.fleet;
    let shift = TimeWindow::new(fleet.shift_start.seconds(), fleet.shift_end.seconds());
    for &(loc, count) in depots {
        for _ in 0..count {
            let mut v = Vehicle::new(
                format!("Van {}", p.vehicles.len() + 1),
                loc,
                Load::from_slice(&[fleet.capacity_litres]),
            );
            v.shift = shift;
            if let Some(reload) = fleet.reload_seconds {
                v.reloads = vec![crate::model::LocIdx(loc as u32)];
                v.reload_time = crate::model::Time(reload);
            }
            let day = f.van_eur_per_day + fleet.paid_day_hours() * f.driver_eur_per_hour;
            v.costs = Costs {
                fixed: Cost((day * COST_UNITS_PER_EUR).round() as i64),
                per_distance: (f.van_eur_per_km(fleet.van_type) * COST_UNITS_PER_EUR / 1000.0)
                    .round() as i64,
                per_travel_time: 0,
            };
            p.vehicles.push(v);
        }
    }
}

/// Solves with a deterministic budget (stopping earlier at `deadline`, the plan's
/// `--time-limit`) and checks with the independent checker.
pub fn solve_checked(
    p: &Problem,
    seed: u64,
    budget: Budget,
    deadline: Option<std::time::Instant>,
) -> Result<(Solution, check::Report), PlanError> {
    let params = routing::Params {
        seed,
        threads: budget.searches,
        iterations: budget.iterations,
        time_limit: deadline.map(|d| {
            d.saturating_duration_since(std::time::Instant::now())
                .as_secs_f64()
        }),
    };
    match routing::solve_checked(p, &params) {
        Ok((solution, report, _)) => Ok((solution, report)),
        Err(SolveError::Invalid(e)) => Err(PlanError::Internal(format!(
            "the rounds problem is not valid: {e}"
        ))),
        Err(SolveError::Refused(v)) => Err(PlanError::Internal(format!(
            "the checker refused the rounds ({} violations, first: {:?})",
            v.len(),
            v.first()
        ))),
    }
}
