//! 2-opt within a route: reverse the segment from the successor of `u` to `v`, so that `u` is
//! followed by `v`.

use super::super::super::instance::Instance;
use super::super::super::route::arc;
use super::super::super::state::State;
use super::{exact_delta, place, Move};

/// The reversal if it improves (matrices may be asymmetric: the reversed arcs are summed).
pub fn two_opt(inst: &Instance, state: &State, u: u32, v: u32) -> Option<Move> {
    let (ru, ku) = place(state, u)?;
    let (rv, kv) = place(state, v)?;
    if ru != rv || kv <= ku + 1 {
        return None;
    }
    let r = &state.routes[ru];
    let c = &inst.cost[r.profile];
    // Positions ku+1 (u) .. kv+1 (v); reverse positions ku+2 ..= kv+1.
    let (i, j) = (ku + 1, kv + 1);
    let mut old = arc(inst, c, r.loc[i], r.loc[i + 1]) + arc(inst, c, r.loc[j], r.loc[j + 1]);
    let mut new = arc(inst, c, r.loc[i], r.loc[j]) + arc(inst, c, r.loc[i + 1], r.loc[j + 1]);
    for p in i + 1..j {
        old += arc(inst, c, r.loc[p], r.loc[p + 1]);
        new += arc(inst, c, r.loc[p + 1], r.loc[p]);
    }
    if new >= old {
        return None;
    }
    let mut tasks = r.tasks.clone();
    tasks[ku + 1..=kv].reverse();
    let delta = exact_delta(inst, state, &[(ru, &tasks)]).filter(|d| *d < 0)?;
    Some(Move {
        delta,
        routes: vec![(ru, tasks)],
    })
}
