//! Greedy insertion with blinks (the "recreate" of SISR, Christiaens & Vanden Berghe 2020):
//! jobs are inserted one by one, each at its cheapest feasible position over all routes, where
//! every position is skipped with a small probability so that repeated runs explore.

use super::super::insert::{apply, best_pair, best_single, Insertion};
use super::super::instance::{Instance, NONE};
use super::super::state::State;
use rand::seq::SliceRandom;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// Probability of skipping a position.
pub const BLINK: f64 = 0.01;

/// The order in which removed jobs are reinserted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Shuffled.
    Random,
    /// Largest amount first.
    Demand,
    /// Farthest from the depot first.
    Far,
    /// Closest to the depot first.
    Close,
}

impl Order {
    /// Draws an order with SISR's weights 4 : 4 : 2 : 1.
    pub fn draw(rng: &mut Pcg64Mcg) -> Order {
        match rng.random_range(0..11) {
            0..=3 => Order::Random,
            4..=7 => Order::Demand,
            8..=9 => Order::Far,
            _ => Order::Close,
        }
    }
}

/// Sorts `jobs` by `order` (ties broken by job index, after a shuffle for `Random`).
pub fn sort_jobs(inst: &Instance, jobs: &mut [u32], order: Order, rng: &mut Pcg64Mcg) {
    jobs.shuffle(rng);
    let depot = inst.problem.vehicles.first().and_then(|v| v.start).map(|l| l.0);
    let key_far = |j: u32| -> i64 {
        let t = &inst.tasks[inst.job_first_task[j as usize] as usize];
        depot.map_or(0, |d| inst.cost(0, d, t.loc))
    };
    match order {
        Order::Random => {}
        Order::Demand => jobs.sort_by_key(|&j| std::cmp::Reverse(inst.problem.jobs[j as usize].amount.0.iter().sum::<i64>())),
        Order::Far => jobs.sort_by_key(|&j| std::cmp::Reverse(key_far(j))),
        Order::Close => jobs.sort_by_key(|&j| key_far(j)),
    }
}

/// Inserts the unassigned jobs of `state` (in their current order) at their cheapest positions.
/// Jobs that fit nowhere stay unassigned; optional jobs are inserted only when that costs less
/// than leaving them out. `touched` collects the routes changed.
pub fn recreate(inst: &Instance, state: &mut State, rng: &mut Pcg64Mcg, blink: f64, touched: &mut Vec<usize>) {
    let jobs = std::mem::take(&mut state.unassigned);
    // Among identical empty vehicles, trying one is enough.
    for j in jobs {
        let first = inst.job_first_task[j as usize];
        let second = inst.tasks[first as usize].sibling;
        let mut best: Option<(Insertion, usize)> = None;
        let mut tried_empty_class: Vec<usize> = Vec::new();
        for (ri, r) in state.routes.iter().enumerate() {
            if r.is_empty() {
                let class = inst.vehicle_class[r.vehicle as usize];
                if tried_empty_class.contains(&class) {
                    continue;
                }
                tried_empty_class.push(class);
            }
            let mut skip = || blink > 0.0 && rng.random_bool(blink);
            let ins = if second == NONE {
                best_single(inst, r, first, &mut skip)
            } else {
                best_pair(inst, r, first, second, &mut skip)
            };
            if let Some(ins) = ins {
                if best.is_none_or(|(b, _)| ins.delta < b.delta) {
                    best = Some((ins, ri));
                }
            }
        }
        let job = &inst.problem.jobs[j as usize];
        let worth = |delta: i64| job.unassigned_cost.is_none_or(|c| delta < c.0 * (i64::from(job.priority) + 1));
        match best {
            Some((ins, ri)) if worth(ins.delta) => {
                apply(inst, &mut state.routes[ri], ins, first, second);
                touched.push(ri);
            }
            _ => state.unassigned.push(j),
        }
    }
}
