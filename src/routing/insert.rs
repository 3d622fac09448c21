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
    if inst.slow(r.vehicle, task) {
        // A reload or release times: the caches do not tell, a pass over the new route does.
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
    if inst.slow(r.vehicle, p) {
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
///
/// O(1) per gap from the route's trip caches ([`RouteState::init_after`],
/// [`RouteState::unload_upto`]): a reload after position `i` leaves the deliveries of the rest
/// of `i`'s trip for the new trip and unloads what the first part picked up. With release times
/// or a maximum duration, each gap is checked by a pass over the new route instead.
pub fn best_with_reload(
    inst: &Instance,
    r: &RouteState,
    task: u32,
    reload: u32,
    bound: i64,
) -> Option<(Insertion, u32, u32)> {
    best_with_reload_in(inst, r, task, reload, bound, 0..=r.len())
}

/// [`best_with_reload`] over the gaps `gaps` of `r` only (granular search: the gaps next to the
/// task's nearest neighbours).
pub fn best_with_reload_in(
    inst: &Instance,
    r: &RouteState,
    task: u32,
    reload: u32,
    bound: i64,
    gaps: impl IntoIterator<Item = usize>,
) -> Option<(Insertion, u32, u32)> {
    let v = &inst.problem.vehicles[r.vehicle as usize];
    if inst.has_release || v.max_duration.is_some() {
        return best_with_reload_slow(inst, r, task, reload, bound, gaps);
    }
    if !inst.may_reload(r.vehicle, reload) {
        return None;
    }
    let (t, rl) = (&inst.tasks[task as usize], &inst.tasks[reload as usize]);
    let cap = &v.capacity;
    let m = r.len();
    let is_reload = |p: usize| p >= 1 && p <= m && inst.tasks[r.tasks[p - 1] as usize].reload;
    let c = &inst.cost[r.profile];
    let mut best: Option<(Insertion, u32, u32)> = None;
    for i in gaps {
        if i > m {
            continue;
        }
        let (a, b) = (r.loc[i], r.loc[i + 1]);
        // The rest of i's trip (positions i+1.. up to the trip's end), if any.
        let rest = !is_reload(i + 1);
        let init_b = r.init_after[i];
        let unload_a = r.unload_upto[i];
        for reload_first in [true, false] {
            // A reload goes between two visits.
            if reload_first && (i == 0 || is_reload(i)) {
                continue;
            }
            if !reload_first && (i == m || is_reload(i + 1)) {
                continue;
            }
            let (x, y) = if reload_first {
                (rl.loc, t.loc)
            } else {
                (t.loc, rl.loc)
            };
            let delta =
                arc(inst, c, a, x) + arc(inst, c, x, y) + arc(inst, c, y, b) - arc(inst, c, a, b);
            if delta >= bound || best.is_some_and(|bst| delta >= bst.0.delta) {
                continue;
            }
            // Loads: the first part of the trip, the task, and the new trip.
            let fits = if reload_first {
                let start = r.load[i] - unload_a + t.init;
                (r.pre_max[i] - init_b).fits(cap)
                    && start.fits(cap)
                    && (start + t.delta).fits(cap)
                    && !(start + t.delta).any_negative()
                    && (!rest || (r.suf_max[i + 1] - unload_a + t.init + t.delta).fits(cap))
            } else {
                let unload = if t.unload_at_reload {
                    unload_a + t.delta
                } else {
                    unload_a
                };
                let after = r.load[i] - init_b + t.init + t.delta;
                (r.pre_max[i] - init_b + t.init).fits(cap)
                    && after.fits(cap)
                    && !after.any_negative()
                    && (r.suf_max[i + 1] - unload + t.init + t.delta).fits(cap)
            };
            if !fits {
                continue;
            }
            // Times: a reload has no window.
            let mut time = r.earliest[i] + r.service_at(inst, i) + arc(inst, &inst.dur, a, x);
            if reload_first {
                time += rl.service;
                time = match inst.earliest_start(task, time + arc(inst, &inst.dur, x, y)) {
                    Some(s) => s + t.service,
                    None => continue,
                };
            } else {
                time = match inst.earliest_start(task, time) {
                    Some(s) => s + t.service + arc(inst, &inst.dur, x, y) + rl.service,
                    None => continue,
                };
            }
            if time + arc(inst, &inst.dur, y, b) > r.latest[i + 1] {
                continue;
            }
            if let Some(max) = v.max_distance {
                let d = &inst.dist;
                let extra = arc(inst, d, a, x) + arc(inst, d, x, y) + arc(inst, d, y, b)
                    - arc(inst, d, a, b);
                if r.dist_to[m + 1] + extra > max.0 {
                    continue;
                }
            }
            let pair = if reload_first {
                (reload, task)
            } else {
                (task, reload)
            };
            best = Some((Insertion { delta, i, j: i }, pair.0, pair.1));
        }
    }
    best
}

/// [`best_with_reload`] by a pass over the new route for every gap. O(m^2).
fn best_with_reload_slow(
    inst: &Instance,
    r: &RouteState,
    task: u32,
    reload: u32,
    bound: i64,
    gaps: impl IntoIterator<Item = usize>,
) -> Option<(Insertion, u32, u32)> {
    let mut best: Option<(Insertion, u32, u32)> = None;
    let mut tasks = Vec::with_capacity(r.len() + 2);
    for i in gaps {
        if i > r.len() {
            continue;
        }
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

#[cfg(test)]
mod tests {
    //! The O(1) checks of a job's insertion into a route with reloads, and of a new trip, give
    //! what a pass over the new route gives, on random routes.
    use super::*;
    use crate::model::*;
    use crate::routing::state::State;

    /// A small random problem: a depot where one van reloads, deliveries and pickups with
    /// windows, on an asymmetric matrix.
    fn problem(seed: u64) -> Problem {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |m: i64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % m as u64) as i64
        };
        let n = 9;
        let d: Vec<i64> = (0..n * n).map(|_| 5 + next(40)).collect();
        let mut p = Problem::new(
            "random",
            SquareMatrix::from_fn(n, |i, j| Time(if i == j { 0 } else { d[i * n + j] })),
            SquareMatrix::from_fn(n, |i, j| Dist(if i == j { 0 } else { d[j * n + i] })),
        );
        for k in 0..14 {
            let loc = 1 + (k % (n - 1));
            let open = next(150);
            let stop = Stop::at(loc, next(5)).window(open, open + 40 + next(300));
            let amount = Load::single(1 + next(6));
            p.jobs.push(if next(4) == 0 {
                Job::pickup(format!("p{k}"), stop, amount)
            } else {
                Job::delivery(format!("d{k}"), stop, amount)
            });
        }
        let mut v = Vehicle::new("van", 0, Load::single(9 + next(6)));
        v.reloads = vec![LocIdx(0)];
        v.reload_time = Time(next(10));
        v.shift = TimeWindow::new(0, 700);
        p.vehicles.push(v);
        p
    }

    #[test]
    fn reload_and_job_insertions_match_a_full_pass() {
        let (mut compared, mut with_trips, mut new_trips) = (0, 0, 0);
        for seed in 0..400 {
            let p = problem(seed);
            let inst = Instance::new(&p);
            let mut state = State::empty(&inst);
            // A random feasible route: the jobs tried in order, each at its first feasible
            // position (a new trip when none), by full passes.
            let mut tasks: Vec<u32> = Vec::new();
            for j in 0..p.jobs.len() as u32 {
                let t = inst.job_first_task[j as usize];
                let fits = (0..=tasks.len()).find_map(|i| {
                    let mut c = tasks.clone();
                    c.insert(i, t);
                    eval_route(&inst, &c).then_some(c)
                });
                let with_trip = || {
                    let reload = (inst.first_reload..inst.tasks.len())
                        .map(|r| r as u32)
                        .find(|r| !tasks.contains(r))?;
                    (0..=tasks.len()).find_map(|i| {
                        let mut c = tasks.clone();
                        c.insert(i, t);
                        c.insert(i, reload);
                        eval_route(&inst, &c).then_some(c)
                    })
                };
                if let Some(c) = fits.or_else(with_trip) {
                    tasks = c;
                }
            }
            if tasks.iter().any(|&t| inst.tasks[t as usize].reload) {
                with_trips += 1;
            }
            state.routes[0].tasks = tasks.clone();
            state.routes[0].update(&inst);
            let r = &state.routes[0];
            let Some(reload) = (inst.first_reload..inst.tasks.len())
                .map(|x| x as u32)
                .find(|x| !tasks.contains(x))
            else {
                continue;
            };
            for j in 0..p.jobs.len() as u32 {
                let t = inst.job_first_task[j as usize];
                if tasks.contains(&t) {
                    continue;
                }
                // A job's task in a route with trips, gap by gap.
                for i in 0..=r.len() {
                    let fast = eval_single(&inst, r, t, i, i64::MAX, &mut || false);
                    let slow = delta_with(&inst, r, &mut Vec::new(), (i, t), (i, NONE));
                    assert_eq!(fast, slow, "seed {seed}, task {t} in gap {i} of {tasks:?}");
                    compared += 1;
                }
                // A new trip with it.
                let fast = best_with_reload(&inst, r, t, reload, i64::MAX).map(|b| b.0.delta);
                let slow = best_with_reload_slow(&inst, r, t, reload, i64::MAX, 0..=r.len())
                    .map(|b| b.0.delta);
                assert_eq!(
                    fast, slow,
                    "seed {seed}, task {t} with a new trip in {tasks:?}"
                );
                new_trips += usize::from(fast.is_some());
            }
        }
        assert!(compared > 1_000, "{compared} insertions compared");
        assert!(
            with_trips > 50 && new_trips > 100,
            "{with_trips} routes with trips, {new_trips} new trips"
        );
    }

    fn eval_route(inst: &Instance, tasks: &[u32]) -> bool {
        crate::routing::search::local::eval::route_cost(inst, 0, tasks).is_some()
    }
}
