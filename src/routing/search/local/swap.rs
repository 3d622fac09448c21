//! Swap: exchange two single-stop tasks `u` and `v` (in one route or two).

use super::super::super::instance::{Instance, NONE};
use super::super::super::route::{arc, RouteState};
use super::super::super::state::State;
use super::{exact_delta, place, Move};

/// Cost change of replacing the task at index `k` of `r` by a task at `loc` (arc estimate).
fn replace(inst: &Instance, r: &RouteState, k: usize, loc: u32) -> i64 {
    let c = &inst.cost[r.profile];
    let (a, x, b) = (r.loc[k], r.loc[k + 1], r.loc[k + 2]);
    arc(inst, c, a, loc) + arc(inst, c, loc, b) - arc(inst, c, a, x) - arc(inst, c, x, b)
}

/// The swap of `u` and `v` if it improves.
pub fn swap(inst: &Instance, state: &State, u: u32, v: u32) -> Option<Move> {
    let (tu, tv) = (&inst.tasks[u as usize], &inst.tasks[v as usize]);
    if tu.sibling != NONE || tv.sibling != NONE {
        return None;
    }
    let (ru, ku) = place(state, u)?;
    let (rv, kv) = place(state, v)?;
    if ru == rv {
        if ku.abs_diff(kv) < 2 {
            return None; // adjacent: a relocation covers it
        }
        let r = &state.routes[ru];
        let quick = replace(inst, r, ku, tv.loc) + replace(inst, r, kv, tu.loc);
        if quick >= 0 {
            return None;
        }
        let mut tasks = r.tasks.clone();
        tasks.swap(ku, kv);
        let delta = exact_delta(inst, state, &[(ru, &tasks)]).filter(|d| *d < 0)?;
        return Some(Move {
            delta,
            routes: vec![(ru, tasks)],
        });
    }
    let quick =
        replace(inst, &state.routes[ru], ku, tv.loc) + replace(inst, &state.routes[rv], kv, tu.loc);
    if quick >= 0 {
        return None;
    }
    let mut a = state.routes[ru].tasks.clone();
    let mut b = state.routes[rv].tasks.clone();
    a[ku] = v;
    b[kv] = u;
    let delta = exact_delta(inst, state, &[(ru, &a), (rv, &b)]).filter(|d| *d < 0)?;
    Some(Move {
        delta,
        routes: vec![(ru, a), (rv, b)],
    })
}
