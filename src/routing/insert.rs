//! Insertion of a job into a route: feasibility and cost delta from the route's caches.
//!
//! A single-stop job is checked in O(1) per position; a shipment's pickup and delivery in
//! O(m^2) per route (for each pickup position, the delivery position moves forward while the
//! shifted schedule is propagated).

use super::instance::{Instance, NONE};
use super::route::{arc, RouteState};
use super::search::local::eval::route_cost;

/// Where to insert: after position `i` (0 = the start) and, for a shipment's delivery, after
/// position `j` of the original route (`j >= i`; `j == i` puts the delivery right after the pickup).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insertion {
    /// Cost increase, fixed cost included for an empty route.
    pub delta: i64,
    /// Gap of the first task.
    pub i: usize,
    /// Gap of the second task (shipments), else equal to `i`.
    pub j: usize,
}

/// Cost of the arcs `a -> x -> b` minus `a -> b`.
#[inline]
fn detour(inst: &Instance, r: &RouteState, a: u32, x: u32, b: u32) -> i64 {
    let c = &inst.cost[r.profile];
    arc(inst, c, a, x) + arc(inst, c, x, b) - arc(inst, c, a, b)
}

/// The fixed cost paid by inserting into `r` (the vehicle's, if `r` is empty).
pub fn fixed_cost(inst: &Instance, r: &RouteState) -> i64 {
    if r.is_empty() {
        inst.problem.vehicles[r.vehicle as usize].costs.fixed.0
    } else {
        0
    }
}

/// Checks the limits that need the whole route (max duration), by rebuilding a copy. Rare.
fn duration_ok(inst: &Instance, r: &RouteState, tasks: &[(usize, u32)]) -> bool {
    let v = &inst.problem.vehicles[r.vehicle as usize];
    let Some(max) = v.max_duration else {
        return true;
    };
    let mut copy = r.clone();
    for &(pos, t) in tasks.iter().rev() {
        copy.tasks.insert(pos, t);
    }
    copy.update(inst);
    copy.feasible(inst) && copy.duration(inst) <= max.0
}

/// Cost increase (fixed cost excluded) of putting single-stop `task` in gap `i` of `r` (after
/// position `i`), if feasible and below `limit`. `skip` is asked once the position is known to be
/// cheap enough, and may veto it (blinks).
#[inline]
pub fn eval_single(
    inst: &Instance,
    r: &RouteState,
    task: u32,
    i: usize,
    limit: i64,
    skip: &mut impl FnMut() -> bool,
) -> Option<i64> {
    let t = &inst.tasks[task as usize];
    let v = &inst.problem.vehicles[r.vehicle as usize];
    if t.reload && !inst.reloading[r.vehicle as usize] {
        return None;
    }
    if inst.slow(r.vehicle) {
        // Trips or release times: the caches do not tell, a pass over the new route does.
        let delta = detour(inst, r, r.loc[i], t.loc, r.loc[i + 1]);
        if delta >= limit || skip() {
            return None;
        }
        delta_with(inst, r, &mut Vec::new(), (i, task), (i, NONE))?;
        return Some(delta);
    }
    // Capacity: positions up to i carry `init` more, positions from i on carry `init + delta` more.
    if !(r.pre_max[i] + t.init).fits(&v.capacity)
        || !(r.suf_max[i] + t.init + t.delta).fits(&v.capacity)
    {
        return None;
    }
    let (a, b) = (r.loc[i], r.loc[i + 1]);
    let delta = detour(inst, r, a, t.loc, b);
    if delta >= limit || skip() {
        return None;
    }
    let arrival = r.earliest[i] + r.service_at(inst, i) + arc(inst, &inst.dur, a, t.loc);
    let start = inst.earliest_start(task, arrival)?;
    if start + t.service + arc(inst, &inst.dur, t.loc, b) > r.latest[i + 1] {
        return None;
    }
    if let Some(max) = v.max_distance {
        let extra = arc(inst, &inst.dist, a, t.loc) + arc(inst, &inst.dist, t.loc, b)
            - arc(inst, &inst.dist, a, b);
        if r.dist_to[r.len() + 1] + extra > max.0 {
            return None;
        }
    }
    if !duration_ok(inst, r, &[(i, task)]) {
        return None;
    }
    Some(delta)
}

/// The cheapest feasible position for a single-stop task in `r`, over every gap.
///
/// Only insertions cheaper than `bound` are considered (pass `i64::MAX` for any); the fixed cost
/// of an empty route counts towards it. `skip` may veto positions (blinks).
pub fn best_single(
    inst: &Instance,
    r: &RouteState,
    task: u32,
    bound: i64,
    mut skip: impl FnMut() -> bool,
) -> Option<Insertion> {
    let fix = fixed_cost(inst, r);
    let mut best: Option<Insertion> = None;
    let mut limit = bound.saturating_sub(fix);
    for i in 0..=r.len() {
        if let Some(delta) = eval_single(inst, r, task, i, limit, &mut skip) {
            best = Some(Insertion { delta, i, j: i });
            limit = delta;
        }
    }
    best.map(|b| Insertion {
        delta: b.delta + fix,
        ..b
    })
}

/// The cheapest feasible positions for a shipment (pickup task `p`, delivery task `d`) in `r`.
pub fn best_pair(
    inst: &Instance,
    r: &RouteState,
    p: u32,
    d: u32,
    bound: i64,
    mut skip: impl FnMut() -> bool,
) -> Option<Insertion> {
    if inst.slow(r.vehicle) {
        return best_pair_slow(inst, r, p, d, bound, skip);
    }
    let (tp, td) = (&inst.tasks[p as usize], &inst.tasks[d as usize]);
    let v = &inst.problem.vehicles[r.vehicle as usize];
    let cap = &v.capacity;
    let q = tp.delta;
    let m = r.len();
    let dist_total = r.dist_to[m + 1];
    let fix = fixed_cost(inst, r);
    let limit = bound.saturating_sub(fix);
    let dist_extra = |a: u32, x: u32, b: u32| {
        arc(inst, &inst.dist, a, x) + arc(inst, &inst.dist, x, b) - arc(inst, &inst.dist, a, b)
    };
    let mut best: Option<Insertion> = None;
    for i in 0..=m {
        if !(r.load[i] + q).fits(cap) {
            continue;
        }
        let (a, b) = (r.loc[i], r.loc[i + 1]);
        let arrival = r.earliest[i] + r.service_at(inst, i) + arc(inst, &inst.dur, a, tp.loc);
        let Some(sp) = inst.earliest_start(p, arrival) else {
            continue;
        };
        let leave_p = sp + tp.service;
        let cost_p = detour(inst, r, a, tp.loc, b);
        // Delivery right after the pickup.
        {
            let delta = arc(inst, &inst.cost[r.profile], a, tp.loc)
                + arc(inst, &inst.cost[r.profile], tp.loc, td.loc)
                + arc(inst, &inst.cost[r.profile], td.loc, b)
                - arc(inst, &inst.cost[r.profile], a, b);
            let ok_cost = delta < limit && best.is_none_or(|bst| delta < bst.delta);
            if ok_cost && !skip() {
                let arr_d = leave_p + arc(inst, &inst.dur, tp.loc, td.loc);
                if let Some(sd) = inst.earliest_start(d, arr_d) {
                    let extra = arc(inst, &inst.dist, a, tp.loc)
                        + arc(inst, &inst.dist, tp.loc, td.loc)
                        + arc(inst, &inst.dist, td.loc, b)
                        - arc(inst, &inst.dist, a, b);
                    if sd + td.service + arc(inst, &inst.dur, td.loc, b) <= r.latest[i + 1]
                        && v.max_distance.is_none_or(|mx| dist_total + extra <= mx.0)
                        && duration_ok(inst, r, &[(i, p), (i, d)])
                    {
                        best = Some(Insertion { delta, i, j: i });
                    }
                }
            }
        }
        // Delivery later: the delivery's detour adds to the pickup's, so a pickup position
        // already too dear cannot lead anywhere (detours are not negative on road and
        // Euclidean matrices, which respect the triangle inequality; on a matrix that does
        // not, this prune may only miss a cheaper pair, never accept an infeasible one).
        if cost_p >= best.map_or(limit, |bst| bst.delta.min(limit)) {
            continue;
        }
        // Propagate the delayed schedule through positions i+1..=m.
        let mut time_arrival = leave_p + arc(inst, &inst.dur, tp.loc, b);
        for j in i + 1..=m {
            if time_arrival > r.latest[j] || !(r.load[j] + q).fits(cap) {
                break;
            }
            let tj = r.tasks[j - 1];
            let Some(sj) = inst.earliest_start(tj, time_arrival) else {
                break;
            };
            let (c, e) = (r.loc[j], r.loc[j + 1]);
            let delta = cost_p + detour(inst, r, c, td.loc, e);
            let leave_j = sj + inst.tasks[tj as usize].service;
            if delta < limit && best.is_none_or(|bst| delta < bst.delta) && !skip() {
                let arr_d = leave_j + arc(inst, &inst.dur, c, td.loc);
                if let Some(sd) = inst.earliest_start(d, arr_d) {
                    if sd + td.service + arc(inst, &inst.dur, td.loc, e) <= r.latest[j + 1]
                        && v.max_distance.is_none_or(|mx| {
                            dist_total + dist_extra(a, tp.loc, b) + dist_extra(c, td.loc, e) <= mx.0
                        })
                        && duration_ok(inst, r, &[(i, p), (j, d)])
                    {
                        best = Some(Insertion { delta, i, j });
                    }
                }
            }
            time_arrival = leave_j + arc(inst, &inst.dur, c, e);
        }
    }
    best.map(|b| Insertion {
        delta: b.delta + fix,
        ..b
    })
}

/// The arc cost that inserting `a` at position `i` and `b` at position `j` (both of the
/// original route, `j >= i`; `b == NONE`: `a` alone) adds to `r`, if the new route is feasible
/// ([`route_cost`]); `tasks` is scratch space.
fn delta_with(
    inst: &Instance,
    r: &RouteState,
    tasks: &mut Vec<u32>,
    (i, a): (usize, u32),
    (j, b): (usize, u32),
) -> Option<i64> {
    tasks.clear();
    tasks.extend_from_slice(&r.tasks);
    if b != NONE {
        tasks.insert(j, b);
    }
    tasks.insert(i, a);
    route_cost(inst, r.vehicle, tasks).map(|cost| cost - r.arc_cost)
}

/// [`best_pair`] by a pass over every candidate route (trips, release times). O(m^3).
fn best_pair_slow(
    inst: &Instance,
    r: &RouteState,
    p: u32,
    d: u32,
    bound: i64,
    mut skip: impl FnMut() -> bool,
) -> Option<Insertion> {
    let fix = fixed_cost(inst, r);
    let limit = bound.saturating_sub(fix);
    let mut best: Option<Insertion> = None;
    let mut tasks = Vec::with_capacity(r.len() + 2);
    for i in 0..=r.len() {
        for j in i..=r.len() {
            let Some(delta) = delta_with(inst, r, &mut tasks, (i, p), (j, d)) else {
                continue;
            };
            if delta < limit && best.is_none_or(|b| delta < b.delta) && !skip() {
                best = Some(Insertion { delta, i, j });
            }
        }
    }
    best.map(|b| Insertion {
        delta: b.delta + fix,
        ..b
    })
}

/// The cheapest insertion of single-stop `task` into the non-empty route `r` together with the
/// reload task `reload` (a new trip), right before the task or right after it: for a route
/// whose vehicle may reload and that has no room for the task in its trips. Returns the
/// insertion and which goes first (`apply(inst, r, ins, first, second)`).
pub fn best_with_reload(
    inst: &Instance,
    r: &RouteState,
    task: u32,
    reload: u32,
    bound: i64,
) -> Option<(Insertion, u32, u32)> {
    let mut best: Option<(Insertion, u32, u32)> = None;
    let mut tasks = Vec::with_capacity(r.len() + 2);
    for i in 0..=r.len() {
        for (first, second) in [(reload, task), (task, reload)] {
            let Some(delta) = delta_with(inst, r, &mut tasks, (i, first), (i, second)) else {
                continue;
            };
            if delta < bound && best.is_none_or(|b| delta < b.0.delta) {
                best = Some((Insertion { delta, i, j: i }, first, second));
            }
        }
    }
    best
}

/// Applies an insertion of one task (`second == NONE`) or a pair.
pub fn apply(inst: &Instance, r: &mut RouteState, ins: Insertion, first: u32, second: u32) {
    if second != NONE {
        r.tasks.insert(ins.j, second);
    }
    r.tasks.insert(ins.i, first);
    r.update(inst);
}
