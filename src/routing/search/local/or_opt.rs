//! Or-opt: move the string of two or three tasks starting at `u` to just after `v`.

use super::super::super::instance::Instance;
use super::super::super::route::arc;
use super::super::super::state::State;
use super::{exact_delta, place, Move};

/// The best improving string move, if any.
pub fn or_opt(inst: &Instance, state: &State, u: u32, v: u32) -> Option<Move> {
    let (ru, ku) = place(state, u)?;
    let (rv, kv) = place(state, v)?;
    let r1 = &state.routes[ru];
    let r2 = &state.routes[rv];
    for len in [2usize, 3] {
        if ku + len > r1.len() || (ru == rv && kv >= ku && kv < ku + len) {
            continue;
        }
        let (c1, c2) = (&inst.cost[r1.profile], &inst.cost[r2.profile]);
        let (first, last) = (r1.loc[ku + 1], r1.loc[ku + len]);
        let (a, b) = (r1.loc[ku], r1.loc[ku + len + 1]);
        let (x, y) = (r2.loc[kv + 1], r2.loc[kv + 2]);
        if ru == rv && kv + 1 == ku {
            continue; // already after v
        }
        let quick = arc(inst, c1, a, b) - arc(inst, c1, a, first) - arc(inst, c1, last, b)
            + arc(inst, c2, x, first)
            + arc(inst, c2, last, y)
            - arc(inst, c2, x, y);
        if quick >= 0 {
            continue;
        }
        let string: Vec<u32> = r1.tasks[ku..ku + len].to_vec();
        if ru == rv {
            let mut tasks: Vec<u32> = r1
                .tasks
                .iter()
                .copied()
                .filter(|t| !string.contains(t))
                .collect();
            let at = tasks.iter().position(|&t| t == v)? + 1;
            tasks.splice(at..at, string.iter().copied());
            if let Some(delta) = exact_delta(inst, state, &[(ru, &tasks)]).filter(|d| *d < 0) {
                return Some(Move {
                    delta,
                    routes: vec![(ru, tasks)],
                });
            }
        } else {
            let from: Vec<u32> = r1
                .tasks
                .iter()
                .copied()
                .filter(|t| !string.contains(t))
                .collect();
            let mut to = r2.tasks.clone();
            to.splice(kv + 1..kv + 1, string.iter().copied());
            if let Some(delta) =
                exact_delta(inst, state, &[(ru, &from), (rv, &to)]).filter(|d| *d < 0)
            {
                return Some(Move {
                    delta,
                    routes: vec![(ru, from), (rv, to)],
                });
            }
        }
    }
    None
}
