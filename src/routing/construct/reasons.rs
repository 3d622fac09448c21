//! Jobs that no vehicle can serve, even alone, and why.

use super::super::insert::{best_pair, best_single};
use super::super::instance::{Instance, NONE};
use super::super::route::RouteState;
use crate::model::{Reason, Time};

/// For each job, `Some(reason)` if no vehicle can serve it even alone in its route.
///
/// The reason is the first rule that fails for every vehicle, tested in this order:
/// unreachable, capacity, time windows (ignoring the shift end), shift, max distance, max duration.
pub fn impossible_jobs(inst: &Instance) -> Vec<Option<Reason>> {
    let p = inst.problem;
    let empties: Vec<RouteState> = (0..p.vehicles.len() as u32)
        .map(|v| RouteState::new(inst, v))
        .collect();
    (0..p.jobs.len())
        .map(|j| {
            let first = inst.job_first_task[j];
            let second = inst.tasks[first as usize].sibling;
            let fits = |r: &RouteState| {
                if second == NONE {
                    best_single(inst, r, first, i64::MAX, || false).is_some()
                } else {
                    best_pair(inst, r, first, second, i64::MAX, || false).is_some()
                }
            };
            if empties.iter().any(fits) {
                return None;
            }
            Some(classify(inst, j))
        })
        .collect()
}

fn classify(inst: &Instance, j: usize) -> Reason {
    let p = inst.problem;
    let job = &p.jobs[j];
    let unreachable = Time::MAX.0;
    let reachable_by = |vi: usize| {
        let v = &p.vehicles[vi];
        job.stops.iter().all(|s| {
            let l = s.location.0;
            v.start.is_none_or(|a| inst.dur(a.0, l) < unreachable)
                && v.end.is_none_or(|b| inst.dur(l, b.0) < unreachable)
        }) && (job.stops.len() < 2
            || inst.dur(job.stops[0].location.0, job.stops[1].location.0) < unreachable)
    };
    if !(0..p.vehicles.len()).any(reachable_by) {
        return Reason::Unreachable;
    }
    if !p.vehicles.iter().any(|v| job.amount.fits(&v.capacity)) {
        return Reason::Capacity;
    }
    // Time windows alone, with the shift start but without the shift end.
    let windows_ok = p.vehicles.iter().any(|v| {
        let mut t = v.shift.start.0;
        let mut at = v.start.map(|l| l.0);
        for (s, stop) in job.stops.iter().enumerate() {
            let task = inst.job_first_task[j] + s as u32;
            if let Some(a) = at {
                t += inst.dur(a, stop.location.0);
            }
            match inst.earliest_start(task, t) {
                Some(start) => t = start + stop.service.0,
                None => return false,
            }
            at = Some(stop.location.0);
        }
        true
    });
    if !windows_ok {
        return Reason::TimeWindow;
    }
    if p.vehicles.iter().all(|v| v.max_distance.is_some()) {
        // Shift first unless only the distance limit can explain it.
        let dist_ok = p.vehicles.iter().any(|v| {
            let mut d = 0;
            let mut at = v.start.map(|l| l.0);
            for stop in &job.stops {
                if let Some(a) = at {
                    d += inst.dist(a, stop.location.0);
                }
                at = Some(stop.location.0);
            }
            if let (Some(a), Some(e)) = (at, v.end) {
                d += inst.dist(a, e.0);
            }
            v.max_distance.is_none_or(|m| d <= m.0)
        });
        if !dist_ok {
            return Reason::MaxDistance;
        }
    }
    if p.vehicles.iter().all(|v| v.max_duration.is_some())
        && p.vehicles.iter().all(|v| v.shift.end.0 >= Time::MAX.0)
    {
        return Reason::MaxDuration;
    }
    Reason::Shift
}
