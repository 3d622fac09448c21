//! Relocate: move task `u` next to its neighbour `v` (before or after it). A shipment's stop
//! moves with its sibling: the pair is reinserted at its best positions in `v`'s route.

use super::super::super::insert::{best_pair, eval_single};
use super::super::super::instance::{Instance, NONE};
use super::super::super::route::arc;
use super::super::super::state::State;
use super::{eval, exact_delta, place, Move};

/// The best improving relocation of `u` next to `v`, if any.
pub fn relocate(inst: &Instance, state: &State, u: u32, v: u32) -> Option<Move> {
    let (ru, ku) = place(state, u)?;
    let (rv, kv) = place(state, v)?;
    let tu = &inst.tasks[u as usize];
    let r = &state.routes[ru];
    if tu.sibling != NONE {
        return relocate_pair(inst, state, u, rv);
    }
    // Gain of taking u out of its route.
    let c = &inst.cost[r.profile];
    let (a, b) = (r.loc[ku], r.loc[ku + 2]);
    let removal = arc(inst, c, a, b) - arc(inst, c, a, tu.loc) - arc(inst, c, tu.loc, b);
    let removal = removal
        - if r.len() == 1 {
            inst.problem.vehicles[r.vehicle as usize].costs.fixed.0
        } else {
            0
        };
    if ru == rv {
        // Within one route: evaluate the new sequence.
        for gap in [kv, kv + 1] {
            if gap == ku || gap == ku + 1 {
                continue;
            }
            let mut tasks = r.tasks.clone();
            tasks.remove(ku);
            let at = if gap > ku { gap - 1 } else { gap };
            tasks.insert(at, u);
            let rv_ = &state.routes[rv];
            let quick = {
                let c = &inst.cost[rv_.profile];
                let (p, n) = (rv_.loc[gap], rv_.loc[gap + 1]);
                removal + arc(inst, c, p, tu.loc) + arc(inst, c, tu.loc, n) - arc(inst, c, p, n)
            };
            if quick >= 0 {
                continue;
            }
            if let Some(delta) = exact_delta(inst, state, &[(ru, &tasks)]).filter(|d| *d < 0) {
                return Some(Move {
                    delta,
                    routes: vec![(ru, tasks)],
                });
            }
        }
        return None;
    }
    let target = &state.routes[rv];
    let mut best: Option<(i64, usize)> = None;
    for gap in [kv, kv + 1] {
        // Only an insertion cheaper than the removal gains, and cheaper than the best so far.
        let limit = best.map_or(0, |(d, _)| d) - removal;
        if let Some(ins) = eval_single(inst, target, u, gap, limit, &mut || false) {
            let d = removal + ins;
            if d < 0 && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, gap));
            }
        }
    }
    let (_, gap) = best?;
    let mut from = r.tasks.clone();
    from.remove(ku);
    let mut to = target.tasks.clone();
    to.insert(gap, u);
    let delta = exact_delta(inst, state, &[(ru, &from), (rv, &to)]).filter(|d| *d < 0)?;
    Some(Move {
        delta,
        routes: vec![(ru, from), (rv, to)],
    })
}

/// Moves the shipment of `u` (both stops) into route `rv` at its best positions.
fn relocate_pair(inst: &Instance, state: &State, u: u32, rv: usize) -> Option<Move> {
    let tu = &inst.tasks[u as usize];
    let (p, d) = if tu.is_pickup {
        (u, tu.sibling)
    } else {
        (tu.sibling, u)
    };
    let (ru, _) = place(state, p)?;
    if ru == rv {
        return None;
    }
    let r = &state.routes[ru];
    let from: Vec<u32> = r
        .tasks
        .iter()
        .copied()
        .filter(|&t| t != p && t != d)
        .collect();
    let gain = eval::full_cost(inst, r, &from)? - r.cost(inst);
    let target = &state.routes[rv];
    let ins = best_pair(inst, target, p, d, -gain, || false)?;
    let mut to = target.tasks.clone();
    to.insert(ins.j, d);
    to.insert(ins.i, p);
    let delta = exact_delta(inst, state, &[(ru, &from), (rv, &to)]).filter(|x| *x < 0)?;
    Some(Move {
        delta,
        routes: vec![(ru, from), (rv, to)],
    })
}
