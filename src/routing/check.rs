//! The independent checker: recomputes every route from the problem alone.
//!
//! It shares no code with the solver. Given a problem and a solution, it simulates each route
//! (leave the start at the route's departure time, drive, wait for the time window, serve) and
//! verifies: every job served exactly once or reported unassigned; both stops of a shipment in
//! the same route, pickup first; loads within capacity (and never negative) in every dimension
//! at every step; service within a time window; departure and return within the shift; maximum
//! duration and distance; every arc reachable. It returns the full timeline and the cost, which
//! the writers use, so what a person reads is what was checked.

use crate::model::{
    Cost, Dist, JobKind, Load, LocIdx, Problem, Reload, Solution, Time, VehicleIdx, Visit,
};

pub use crate::model::schedule::{Report, RouteReport, StepReport};

/// A broken rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    #[error("job {0} is neither in a route nor reported unassigned")]
    Missing(String),
    #[error("job {0} is served more than once (or also reported unassigned)")]
    Duplicate(String),
    #[error("a route names job index {0}, which does not exist")]
    UnknownJob(u32),
    #[error("a route names vehicle index {0}, which does not exist")]
    UnknownVehicle(u32),
    #[error("vehicle {0} has two routes")]
    VehicleTwice(String),
    #[error("job {job}: stop {stop} does not exist")]
    UnknownStop { job: String, stop: u8 },
    #[error("shipment {0}: pickup and delivery are not both in one route, pickup first")]
    Precedence(String),
    #[error("vehicle {vehicle}: load {load:?} exceeds capacity or is negative at step {step}")]
    Capacity {
        vehicle: String,
        step: usize,
        load: Vec<i64>,
    },
    #[error("vehicle {vehicle}: arrives at {arrival} at step {step} (job {job}), after its time windows")]
    TimeWindow {
        vehicle: String,
        step: usize,
        job: String,
        arrival: i64,
    },
    #[error("vehicle {vehicle}: leaves at {departure}, before its shift starts at {shift_start}")]
    EarlyDeparture {
        vehicle: String,
        departure: i64,
        shift_start: i64,
    },
    #[error("vehicle {vehicle}: ends at {end}, after its shift ends at {shift_end}")]
    LateReturn {
        vehicle: String,
        end: i64,
        shift_end: i64,
    },
    #[error("vehicle {vehicle}: route lasts {duration}, over its maximum {max}")]
    MaxDuration {
        vehicle: String,
        duration: i64,
        max: i64,
    },
    #[error("vehicle {vehicle}: route drives {distance}, over its maximum {max}")]
    MaxDistance {
        vehicle: String,
        distance: i64,
        max: i64,
    },
    #[error("vehicle {vehicle}: no road from location {from} to location {to}")]
    Unreachable { vehicle: String, from: u32, to: u32 },
    #[error("vehicle {vehicle}: a reload before visit {before} at location {at} ({why})")]
    Reload {
        vehicle: String,
        before: usize,
        at: u32,
        why: &'static str,
    },
    #[error("vehicle {vehicle}: leaves at {departure} with job {job}, whose goods reach the depot at {release}")]
    Release {
        vehicle: String,
        job: String,
        departure: i64,
        release: i64,
    },
}

/// Checks `solution` against `problem`; returns the timeline and costs, or every violation found.
pub fn check(problem: &Problem, solution: &Solution) -> Result<Report, Vec<Violation>> {
    let mut violations = Vec::new();
    // Per job: times each stop was visited, and times it was reported unassigned.
    let mut seen = vec![[0u32; 2]; problem.jobs.len()];
    let mut left_out = vec![0u32; problem.jobs.len()];
    let mut vehicle_used = vec![false; problem.vehicles.len()];
    for u in &solution.unassigned {
        match left_out.get_mut(u.job.ix()) {
            Some(c) => *c += 1,
            None => violations.push(Violation::UnknownJob(u.job.0)),
        }
    }
    let mut routes = Vec::new();
    for route in &solution.routes {
        let Some(vehicle) = problem.vehicles.get(route.vehicle.ix()) else {
            violations.push(Violation::UnknownVehicle(route.vehicle.0));
            continue;
        };
        if std::mem::replace(&mut vehicle_used[route.vehicle.ix()], true) {
            violations.push(Violation::VehicleTwice(vehicle.id.clone()));
        }
        // Stop counts per job within this route, for completeness and precedence.
        let mut valid = true;
        for (pos, v) in route.visits.iter().enumerate() {
            let Some(job) = problem.jobs.get(v.job.ix()) else {
                violations.push(Violation::UnknownJob(v.job.0));
                valid = false;
                continue;
            };
            if v.stop as usize >= job.stops.len() {
                violations.push(Violation::UnknownStop {
                    job: job.id.clone(),
                    stop: v.stop,
                });
                valid = false;
                continue;
            }
            seen[v.job.ix()][v.stop as usize] += 1;
            if job.kind == JobKind::Shipment && v.stop == 1 {
                let pickup_before = route.visits[..pos]
                    .iter()
                    .any(|w| w.job == v.job && w.stop == 0);
                if !pickup_before {
                    violations.push(Violation::Precedence(job.id.clone()));
                }
            }
            if job.kind == JobKind::Shipment && v.stop == 0 {
                let delivery_after = route.visits[pos + 1..]
                    .iter()
                    .any(|w| w.job == v.job && w.stop == 1);
                if !delivery_after {
                    violations.push(Violation::Precedence(job.id.clone()));
                }
            }
        }
        let mut previous = 0;
        for r in &route.reloads {
            let why = if r.before == 0 || r.before >= route.visits.len() {
                Some("a reload belongs between two visits")
            } else if r.before < previous {
                Some("reloads are not in route order")
            } else if !vehicle.reloads.contains(&r.at) {
                Some("the vehicle may not reload there")
            } else {
                None
            };
            if let Some(why) = why {
                violations.push(Violation::Reload {
                    vehicle: vehicle.id.clone(),
                    before: r.before,
                    at: r.at.0,
                    why,
                });
                valid = false;
            }
            previous = r.before;
        }
        if valid {
            routes.push(simulate(
                problem,
                route.vehicle,
                route.departure,
                &route.visits,
                &route.reloads,
                &mut violations,
            ));
        }
    }
    for (j, job) in problem.jobs.iter().enumerate() {
        let visits = &seen[j][..job.stops.len().min(2)];
        let served = visits.iter().all(|&c| c == 1);
        let absent = visits.iter().all(|&c| c == 0);
        match (left_out[j], served, absent) {
            (0, true, _) | (1, _, true) => {}
            (0, false, true) => violations.push(Violation::Missing(job.id.clone())),
            _ => violations.push(Violation::Duplicate(job.id.clone())),
        }
    }
    if !violations.is_empty() {
        return Err(violations);
    }
    let mut cost: Cost = routes.iter().map(|r| r.cost).sum();
    let mut unassigned_mandatory = 0;
    for u in &solution.unassigned {
        let job = &problem.jobs[u.job.ix()];
        match job.unassigned_cost {
            Some(c) => cost += Cost(c.0 * (i64::from(job.priority) + 1)),
            None => unassigned_mandatory += 1,
        }
    }
    Ok(Report {
        distance: routes.iter().map(|r| r.distance).sum(),
        travel_time: routes.iter().map(|r| r.travel_time).sum(),
        routes,
        cost,
        unassigned_mandatory,
    })
}

/// The deliveries' load of the trip made of `visits` and the latest of their release times.
fn trip(problem: &Problem, visits: &[Visit]) -> (Load, Time, Option<usize>) {
    let mut load = Load::ZERO;
    let mut release = Time::ZERO;
    let mut latest = None;
    for v in visits {
        let job = &problem.jobs[v.job.ix()];
        if job.kind == JobKind::Delivery {
            load += job.amount;
            if job.release > release {
                release = job.release;
                latest = Some(v.job.ix());
            }
        }
    }
    (load, release, latest)
}

fn simulate(
    problem: &Problem,
    vi: VehicleIdx,
    departure: Time,
    visits: &[Visit],
    reloads: &[Reload],
    violations: &mut Vec<Violation>,
) -> RouteReport {
    let vehicle = &problem.vehicles[vi.ix()];
    let name = || vehicle.id.clone();
    // Trip k is visits[bounds[k]..bounds[k + 1]].
    let mut bounds = vec![0];
    bounds.extend(reloads.iter().map(|r| r.before));
    bounds.push(visits.len());
    let (mut load, release, latest) = trip(problem, &visits[bounds[0]..bounds[1]]);
    if departure < release {
        violations.push(Violation::Release {
            vehicle: name(),
            job: latest.map_or(String::new(), |j| problem.jobs[j].id.clone()),
            departure: departure.0,
            release: release.0,
        });
    }
    let mut unload = Load::ZERO;
    let mut next_reload = 0;
    // The load after step `step`: within capacity, never negative.
    let check_load = |l: &Load, step: usize, violations: &mut Vec<Violation>| {
        if !l.fits(&vehicle.capacity) || l.any_negative() {
            violations.push(Violation::Capacity {
                vehicle: name(),
                step,
                load: l.dims(problem.dims).to_vec(),
            });
        }
    };
    check_load(&load, 0, violations);
    if departure < vehicle.shift.start {
        violations.push(Violation::EarlyDeparture {
            vehicle: name(),
            departure: departure.0,
            shift_start: vehicle.shift.start.0,
        });
    }
    let mut steps = vec![StepReport {
        visit: None,
        location: vehicle.start,
        arrival: departure,
        waiting: Time::ZERO,
        service: Time::ZERO,
        load,
        distance: Dist::ZERO,
        reload: false,
    }];
    let (mut time, mut distance, mut travel, mut waiting, mut service) =
        (departure, Dist::ZERO, Time::ZERO, Time::ZERO, Time::ZERO);
    let mut at = vehicle.start;
    let mut cost = Cost::ZERO;
    let drive = |from: Option<LocIdx>,
                 to: LocIdx,
                 time: &mut Time,
                 distance: &mut Dist,
                 travel: &mut Time,
                 violations: &mut Vec<Violation>| {
        if let Some(from) = from {
            let (t, d) = (
                problem.durations.get(from, to),
                problem.distances.get(from, to),
            );
            if t >= Time::MAX || d >= Dist::MAX || t.0 < 0 || d.0 < 0 {
                violations.push(Violation::Unreachable {
                    vehicle: name(),
                    from: from.0,
                    to: to.0,
                });
                return Cost::ZERO;
            }
            *time += t;
            *distance += d;
            *travel += t;
            return vehicle.costs.arc(d, t);
        }
        Cost::ZERO
    };
    for (k, v) in visits.iter().enumerate() {
        while next_reload < reloads.len() && reloads[next_reload].before == k {
            // A reload: drive there, wait for the next trip's goods, unload and load.
            let r = reloads[next_reload];
            next_reload += 1;
            cost += drive(at, r.at, &mut time, &mut distance, &mut travel, violations);
            at = Some(r.at);
            let arrival = time;
            let (next, release, _) = trip(problem, &visits[k..bounds[next_reload + 1]]);
            let start = arrival.max(release);
            waiting += start - arrival;
            service += vehicle.reload_time;
            time = start + vehicle.reload_time;
            load = load - unload + next;
            unload = Load::ZERO;
            check_load(&load, steps.len(), violations);
            steps.push(StepReport {
                visit: None,
                location: Some(r.at),
                arrival,
                waiting: start - arrival,
                service: vehicle.reload_time,
                load,
                distance,
                reload: true,
            });
        }
        let job = &problem.jobs[v.job.ix()];
        let stop = &job.stops[v.stop as usize];
        cost += drive(
            at,
            stop.location,
            &mut time,
            &mut distance,
            &mut travel,
            violations,
        );
        at = Some(stop.location);
        let arrival = time;
        let start = match stop.earliest_start(arrival) {
            Some(s) => s,
            None => {
                violations.push(Violation::TimeWindow {
                    vehicle: name(),
                    step: k + 1,
                    job: job.id.clone(),
                    arrival: arrival.0,
                });
                arrival
            }
        };
        waiting += start - arrival;
        service += stop.service;
        time = start + stop.service;
        match (job.kind, v.stop) {
            (JobKind::Delivery, _) | (JobKind::Shipment, 1) => load -= job.amount,
            (JobKind::Pickup, _) => {
                load += job.amount;
                unload += job.amount;
            }
            _ => load += job.amount,
        }
        check_load(&load, steps.len(), violations);
        steps.push(StepReport {
            visit: Some(*v),
            location: Some(stop.location),
            arrival,
            waiting: start - arrival,
            service: stop.service,
            load,
            distance,
            reload: false,
        });
    }
    if let Some(end) = vehicle.end {
        cost += drive(at, end, &mut time, &mut distance, &mut travel, violations);
    }
    steps.push(StepReport {
        visit: None,
        location: vehicle.end,
        arrival: time,
        waiting: Time::ZERO,
        service: Time::ZERO,
        load,
        distance,
        reload: false,
    });
    if time > vehicle.shift.end {
        violations.push(Violation::LateReturn {
            vehicle: name(),
            end: time.0,
            shift_end: vehicle.shift.end.0,
        });
    }
    let duration = time - departure;
    if let Some(max) = vehicle.max_duration.filter(|m| duration > *m) {
        violations.push(Violation::MaxDuration {
            vehicle: name(),
            duration: duration.0,
            max: max.0,
        });
    }
    if let Some(max) = vehicle.max_distance.filter(|m| distance > *m) {
        violations.push(Violation::MaxDistance {
            vehicle: name(),
            distance: distance.0,
            max: max.0,
        });
    }
    RouteReport {
        vehicle: vi,
        steps,
        distance,
        travel_time: travel,
        waiting,
        service,
        duration,
        cost: cost + vehicle.costs.fixed,
    }
}
