//! 2-opt*: exchange the tails of two routes after `u` and after `v`
//! (`... u -> next(v) ...` and `... v -> next(u) ...`).

use super::super::super::instance::Instance;
use super::super::super::route::arc;
use super::super::super::state::State;
use super::{exact_delta, place, Move};

/// The tail exchange after `u` and `v` if it improves.
pub fn two_opt_star(inst: &Instance, state: &State, u: u32, v: u32) -> Option<Move> {
    let (ru, ku) = place(state, u)?;
    let (rv, kv) = place(state, v)?;
    if ru == rv {
        return None;
    }
    let (r1, r2) = (&state.routes[ru], &state.routes[rv]);
    let (c1, c2) = (&inst.cost[r1.profile], &inst.cost[r2.profile]);
    // Positions: u is at ku + 1, its successor at ku + 2 (maybe the end).
    let (lu, nu) = (r1.loc[ku + 1], r1.loc[ku + 2]);
    let (lv, nv) = (r2.loc[kv + 1], r2.loc[kv + 2]);
    let quick = arc(inst, c1, lu, nv) + arc(inst, c2, lv, nu)
        - arc(inst, c1, lu, nu)
        - arc(inst, c2, lv, nv);
    if quick >= 0 {
        return None;
    }
    let mut a: Vec<u32> = r1.tasks[..=ku].to_vec();
    a.extend_from_slice(&r2.tasks[kv + 1..]);
    let mut b: Vec<u32> = r2.tasks[..=kv].to_vec();
    b.extend_from_slice(&r1.tasks[ku + 1..]);
    let delta = exact_delta(inst, state, &[(ru, &a), (rv, &b)]).filter(|d| *d < 0)?;
    Some(Move {
        delta,
        routes: vec![(ru, a), (rv, b)],
    })
}
