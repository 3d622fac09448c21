//! Local search: small changes to one or two routes, each scored before it is made.
//!
//! Every operator follows one contract: from a pair `(u, v)` of tasks, with `v` among the
//! nearest neighbours of `u` (granular neighbourhoods, Toth & Vigo 2003), it returns a [`Move`]
//! whose `delta` is the exact change of the objective, or nothing. A cheap arc-cost estimate
//! filters candidates first; feasibility then comes from the route caches where they give it
//! in O(1) (relocation) and from one O(m) pass over the new route otherwise. [`Move::apply`]
//! makes the change. Tests check that the objective changes by exactly `delta`.
//!
//! Operators: [`relocate`] (a task, or a shipment's pair, to a neighbour's route), [`swap`]
//! (exchange two tasks), [`two_opt_star`] (exchange route tails), [`two_opt`] (reverse a
//! segment of one route), [`or_opt`] (move a string of two or three tasks).

pub mod eval;
pub mod or_opt;
pub mod relocate;
pub mod swap;
pub mod two_opt;
pub mod two_opt_star;

use super::super::instance::{Instance, NONE};
use super::super::state::State;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64Mcg;

/// A change to one or two routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    /// Exact change of the objective.
    pub delta: i64,
    /// The routes changed and their new task sequences.
    pub routes: Vec<(usize, Vec<u32>)>,
}

impl Move {
    /// Replaces the routes' tasks, updates their caches and the task positions.
    pub fn apply(self, inst: &Instance, state: &mut State) {
        for (ri, tasks) in self.routes {
            state.routes[ri].tasks = tasks;
            state.routes[ri].update(inst);
            state.relocate(ri);
        }
    }
}

/// Route of a task and its index in the route's tasks, if assigned.
#[inline]
pub fn place(state: &State, t: u32) -> Option<(usize, usize)> {
    let (r, k) = state.pos[t as usize];
    (r != NONE).then_some((r as usize, k as usize))
}

/// How many neighbours of each task the operators look at.
pub const LS_NEIGHBOURS: usize = 16;

/// What a descent did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Descent {
    /// Total change of the objective (negative or zero).
    pub delta: i64,
    /// `(u, v)` pairs evaluated, each by every operator.
    pub evaluated: u64,
    /// Moves applied.
    pub applied: u64,
}

/// Most moves one descent applies per task it starts from (plus [`MOVES_BASE`]): a bound that
/// holds whatever the numbers, far above what a descent needs (a few moves per task).
pub const MOVES_PER_TASK: u64 = 50;
/// Moves a descent may apply whatever its size.
pub const MOVES_BASE: u64 = 1_000;

/// Runs every operator over every `(u, v)` pair until no move improves (first improvement),
/// or until it has applied [`MOVES_PER_TASK`] moves per task of `order` (plus [`MOVES_BASE`]).
/// `only` restricts `u` to some tasks (all if empty).
pub fn descend(inst: &Instance, state: &mut State, only: &[u32], rng: &mut Pcg64Mcg) -> Descent {
    let mut order: Vec<u32> = if only.is_empty() {
        (0..inst.tasks.len() as u32).collect()
    } else {
        only.to_vec()
    };
    order.shuffle(rng);
    let mut stats = Descent::default();
    let most = MOVES_BASE + MOVES_PER_TASK * order.len() as u64;
    let mut improved = true;
    while improved && stats.applied < most {
        improved = false;
        for &u in &order {
            if place(state, u).is_none() {
                continue;
            }
            for &v in inst.neighbours[u as usize].iter().take(LS_NEIGHBOURS) {
                if place(state, v).is_none() || place(state, u).is_none() {
                    continue;
                }
                stats.evaluated += 1;
                let found = relocate::relocate(inst, state, u, v)
                    .or_else(|| swap::swap(inst, state, u, v))
                    .or_else(|| two_opt_star::two_opt_star(inst, state, u, v))
                    .or_else(|| two_opt::two_opt(inst, state, u, v))
                    .or_else(|| or_opt::or_opt(inst, state, u, v));
                if let Some(m) = found {
                    debug_assert!(m.delta < 0);
                    stats.delta += m.delta;
                    stats.applied += 1;
                    m.apply(inst, state);
                    improved = true;
                }
            }
        }
    }
    stats
}

/// Exact delta of replacing routes by new sequences: `None` if a new route is infeasible.
pub fn exact_delta(inst: &Instance, state: &State, changes: &[(usize, &[u32])]) -> Option<i64> {
    let mut delta = 0;
    for &(ri, tasks) in changes {
        let r = &state.routes[ri];
        delta += eval::full_cost(inst, r, tasks)? - r.cost(inst);
    }
    Some(delta)
}
