//! Evaluating a whole candidate route, for moves whose feasibility the caches do not give in O(1).

use super::super::super::instance::{Instance, NONE};
use super::super::super::route::{arc, RouteState};
use crate::model::Load;

/// The arc cost of a route for `vehicle` visiting `tasks` in order, if it is feasible:
/// loads within capacity (trip by trip when the route holds reloads), time windows, release
/// times (a trip leaves no earlier than its deliveries' goods reach the depot), shift end,
/// shipments picked up before delivery in the same route, reloads only where the vehicle may
/// reload, maximum distance and duration. O(m).
pub fn route_cost(inst: &Instance, vehicle: u32, tasks: &[u32]) -> Option<i64> {
    let v = &inst.problem.vehicles[vehicle as usize];
    let profile = inst.vehicle_profile[vehicle as usize];
    let (mut load, release) = inst.trip(tasks);
    if !load.fits(&v.capacity) {
        return None;
    }
    let mut unload = Load::ZERO;
    let mut time = v.shift.start.0.max(release);
    let mut at = v.start.map_or(NONE, |l| l.0);
    let (mut cost, mut dist) = (0, 0);
    let mut service = 0;
    for (k, &t) in tasks.iter().enumerate() {
        let task = &inst.tasks[t as usize];
        if task.sibling != NONE {
            // A pickup needs its delivery later, a delivery its pickup earlier.
            let other = tasks.iter().position(|&x| x == task.sibling)?;
            if task.is_pickup != (other > k) {
                return None;
            }
        }
        let mut arrival = time + service + arc(inst, &inst.dur, at, task.loc);
        if task.reload {
            // A reload belongs between two visits, where the vehicle may reload.
            let between = k > 0 && k + 1 < tasks.len() && !inst.tasks[tasks[k - 1] as usize].reload;
            if !between || !inst.may_reload(vehicle, t) {
                return None;
            }
            let (next, release) = inst.trip(&tasks[k + 1..]);
            arrival = arrival.max(release);
            load = load - unload + next;
            unload = Load::ZERO;
        } else {
            load += task.delta;
            if task.unload_at_reload {
                unload += task.delta;
            }
        }
        time = inst.earliest_start(t, arrival)?;
        cost += arc(inst, &inst.cost[profile], at, task.loc);
        dist += arc(inst, &inst.dist, at, task.loc);
        service = task.service;
        if !load.fits(&v.capacity) || load.any_negative() {
            return None;
        }
        at = task.loc;
    }
    let end = v.end.map_or(NONE, |l| l.0);
    time += service + arc(inst, &inst.dur, at, end);
    cost += arc(inst, &inst.cost[profile], at, end);
    dist += arc(inst, &inst.dist, at, end);
    if time > v.shift.end.0 || v.max_distance.is_some_and(|m| dist > m.0) {
        return None;
    }
    if let Some(max) = v.max_duration {
        let mut r = RouteState::new(inst, vehicle);
        r.tasks.extend_from_slice(tasks);
        r.update(inst);
        if r.duration(inst) > max.0 {
            return None;
        }
    }
    Some(cost)
}

/// The fixed cost of `vehicle` if `tasks` is not empty.
pub fn fixed_if_used(inst: &Instance, vehicle: u32, n_tasks: usize) -> i64 {
    if n_tasks == 0 {
        0
    } else {
        inst.problem.vehicles[vehicle as usize].costs.fixed.0
    }
}

/// Cost of a route (fixed included) visiting `tasks`, if feasible.
pub fn full_cost(inst: &Instance, r: &RouteState, tasks: &[u32]) -> Option<i64> {
    if tasks.is_empty() {
        return Some(0);
    }
    route_cost(inst, r.vehicle, tasks).map(|c| c + fixed_if_used(inst, r.vehicle, tasks.len()))
}
