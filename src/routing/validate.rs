//! Checks a problem once, before solving, and reports every problem found.

use crate::model::limits::{
    thousands, MAX_FACTOR, MAX_JOBS, MAX_LOCATIONS, MAX_TOTAL, MAX_VALUE, MAX_VEHICLES,
};
use crate::model::{JobKind, Problem, Time, MAX_DIMS};
use std::fmt;

/// One problem in the input: a stable code, what is wrong and where, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// Stable code, e.g. `E_LOCATION`.
    pub code: &'static str,
    /// What is wrong, naming the job or vehicle id.
    pub what: String,
    /// What to do.
    pub action: &'static str,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}; {}", self.code, self.what, self.action)
    }
}

/// Every issue of a problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The issues, in input order.
    pub issues: Vec<Issue>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the problem has {} issue(s):", self.issues.len())?;
        for i in &self.issues {
            writeln!(f, "  {i}")?;
        }
        Ok(())
    }
}

/// What to do with a number above its limit.
const TOO_LARGE: &str = "tournee accepts times, distances, amounts and costs up to 10^12 of the problem's units and costs per unit up to 10^6 (see the README's limits); check the value, or use larger units";

/// `true` for a value of at most [`MAX_VALUE`], or exactly [`Time::MAX`] where `open` allows
/// it (a window or shift without end, a pair of places without road).
fn in_range(v: i64, open: bool) -> bool {
    (0..=MAX_VALUE).contains(&v) || (open && v == Time::MAX.0)
}

/// Validates `p`: sizes, matrix sizes and values, locations in range, load dimensions, amounts,
/// time windows, shipments, vehicles, unique ids, every number within [`crate::model::limits`]
/// and their totals too (so that no sum of the solver can overflow). Infeasible jobs (too
/// heavy, unreachable in time) are not errors: the solver reports them unassigned with their
/// reason.
pub fn validate(p: &Problem) -> Result<(), ValidationError> {
    let mut issues = Vec::new();
    let mut add = |code, what: String, action| issues.push(Issue { code, what, action });
    let n = p.num_locations();
    for (count, most, what) in [
        (n, MAX_LOCATIONS, "locations"),
        (p.jobs.len(), MAX_JOBS, "jobs"),
        (p.vehicles.len(), MAX_VEHICLES, "vehicles"),
    ] {
        if count > most {
            add(
                "E_TOO_MANY",
                format!(
                    "{} {what}, more than the {} tournee accepts",
                    thousands(count as i128),
                    thousands(most as i128)
                ),
                "split the problem (by area or by day)",
            );
        }
    }
    if p.vehicles.is_empty() && !p.jobs.is_empty() {
        add(
            "E_NO_VEHICLE",
            format!("{} job(s) and no vehicle", p.jobs.len()),
            "add at least one vehicle",
        );
    }
    let too_large = |v: i64| v > MAX_VALUE && v != Time::MAX.0;
    let durations = p.durations.values().iter().map(|t| t.0).position(too_large);
    let distances = p.distances.values().iter().map(|d| d.0).position(too_large);
    for (name, at, values) in [
        (
            "duration",
            durations,
            p.durations
                .values()
                .iter()
                .map(|t| t.0)
                .nth(durations.unwrap_or(0)),
        ),
        (
            "distance",
            distances,
            p.distances
                .values()
                .iter()
                .map(|d| d.0)
                .nth(distances.unwrap_or(0)),
        ),
    ] {
        if let (Some(k), Some(v)) = (at, values) {
            add(
                "E_TOO_LARGE",
                format!(
                    "{name} matrix entry [{}][{}] is {v}, above the largest accepted, {}",
                    k / n.max(1),
                    k % n.max(1),
                    thousands(MAX_VALUE.into())
                ),
                TOO_LARGE,
            );
        }
    }
    if p.durations.values().iter().any(|t| t.0 < 0) || p.distances.values().iter().any(|d| d.0 < 0)
    {
        add(
            "E_MATRIX_NEGATIVE",
            "a matrix has a negative entry".into(),
            "travel times and distances must be >= 0",
        );
    }
    if p.dims == 0 || p.dims > MAX_DIMS {
        add(
            "E_DIMENSIONS",
            format!("{} load dimensions", p.dims),
            "use between 1 and 4 load dimensions (kg, crates, parcels...)",
        );
    }
    let loc_ok = |l: u32| (l as usize) < n;
    let mut ids = std::collections::HashMap::new();
    for (j, job) in p.jobs.iter().enumerate() {
        if let Some(prev) = ids.insert(job.id.as_str(), j) {
            add(
                "E_DUPLICATE_JOB",
                format!("job id {} is used twice (jobs #{prev} and #{j})", job.id),
                "give every job its own id",
            );
        }
        let expected = if job.kind == JobKind::Shipment { 2 } else { 1 };
        if job.stops.len() != expected {
            add(
                "E_JOB_STOPS",
                format!(
                    "job {} ({:?}) has {} stop(s), expected {expected}",
                    job.id,
                    job.kind,
                    job.stops.len()
                ),
                "a delivery or pickup has one stop, a shipment a pickup and a delivery",
            );
        }
        if job.amount.any_negative() {
            add(
                "E_NEGATIVE_AMOUNT",
                format!("job {} has a negative amount", job.id),
                "amounts are >= 0; use a pickup instead of a negative delivery",
            );
        }
        if job.amount.0[p.dims.min(MAX_DIMS)..].iter().any(|&a| a != 0) {
            add(
                "E_DIMENSIONS",
                format!(
                    "job {} has more load dimensions than the problem's {}",
                    job.id, p.dims
                ),
                "give every amount the same dimensions as the capacities",
            );
        }
        if job.unassigned_cost.is_some_and(|c| c.0 < 0) {
            add(
                "E_NEGATIVE_COST",
                format!("job {} has a negative unassigned cost", job.id),
                "use a cost >= 0",
            );
        }
        let mut numbers: Vec<(&str, i64, bool)> = job
            .amount
            .0
            .iter()
            .map(|&a| ("an amount", a, false))
            .collect();
        numbers.extend(
            job.unassigned_cost
                .map(|c| ("an unassigned cost", c.0, false)),
        );
        for stop in &job.stops {
            numbers.push(("a service time", stop.service.0, false));
            for w in &stop.time_windows {
                numbers.push(("a time window start", w.start.0, false));
                numbers.push(("a time window end", w.end.0, true));
            }
        }
        if let Some((what, v, _)) = numbers
            .iter()
            .find(|(_, v, open)| *v > 0 && !in_range(*v, *open))
        {
            add(
                "E_TOO_LARGE",
                format!(
                    "job {}: {what} of {v} is above the largest accepted, {}",
                    job.id,
                    thousands(MAX_VALUE.into())
                ),
                TOO_LARGE,
            );
        }
        for stop in &job.stops {
            if !loc_ok(stop.location.0) {
                add(
                    "E_LOCATION",
                    format!(
                        "job {}: location index {} is outside the {n} x {n} matrix",
                        job.id, stop.location.0
                    ),
                    "location indices count from 0 and must be below the matrix size",
                );
            }
            if stop.service.0 < 0 {
                add(
                    "E_SERVICE",
                    format!("job {} has a negative service time", job.id),
                    "use a service time >= 0",
                );
            }
            let mut prev_end: Option<Time> = None;
            for w in &stop.time_windows {
                if w.start > w.end {
                    add(
                        "E_TIME_WINDOW",
                        format!(
                            "job {}: time window [{}, {}] ends before it starts",
                            job.id, w.start, w.end
                        ),
                        "write windows as [start, end] with start <= end",
                    );
                }
                if prev_end.is_some_and(|e| w.start <= e) {
                    add(
                        "E_TIME_WINDOW_ORDER",
                        format!("job {}: time windows overlap or are not sorted", job.id),
                        "sort the windows by start and merge overlapping ones",
                    );
                }
                prev_end = Some(w.end);
            }
        }
    }
    let mut vids = std::collections::HashMap::new();
    for (v, veh) in p.vehicles.iter().enumerate() {
        if let Some(prev) = vids.insert(veh.id.as_str(), v) {
            add(
                "E_DUPLICATE_VEHICLE",
                format!("vehicle id {} is used twice (#{prev} and #{v})", veh.id),
                "give every vehicle its own id",
            );
        }
        for l in veh.start.iter().chain(veh.end.iter()) {
            if !loc_ok(l.0) {
                add(
                    "E_LOCATION",
                    format!(
                        "vehicle {}: location index {} is outside the {n} x {n} matrix",
                        veh.id, l.0
                    ),
                    "location indices count from 0 and must be below the matrix size",
                );
            }
        }
        if veh.capacity.any_negative() {
            add(
                "E_CAPACITY",
                format!("vehicle {} has a negative capacity", veh.id),
                "capacities are >= 0",
            );
        }
        if veh.shift.start > veh.shift.end {
            add(
                "E_SHIFT",
                format!(
                    "vehicle {}: shift [{}, {}] ends before it starts",
                    veh.id, veh.shift.start, veh.shift.end
                ),
                "write the shift as [start, end] with start <= end",
            );
        }
        let mut numbers: Vec<(&str, i64, bool)> = veh
            .capacity
            .0
            .iter()
            .map(|&c| ("a capacity", c, false))
            .collect();
        numbers.extend([
            ("the shift start", veh.shift.start.0, false),
            ("the shift end", veh.shift.end.0, true),
            ("the fixed cost", veh.costs.fixed.0, false),
        ]);
        numbers.extend(
            veh.max_duration
                .map(|t| ("the longest duration", t.0, true)),
        );
        numbers.extend(
            veh.max_distance
                .map(|d| ("the longest distance", d.0, true)),
        );
        if let Some((what, v, _)) = numbers
            .iter()
            .find(|(_, v, open)| *v > 0 && !in_range(*v, *open))
        {
            add(
                "E_TOO_LARGE",
                format!(
                    "vehicle {}: {what} of {v} is above the largest accepted, {}",
                    veh.id,
                    thousands(MAX_VALUE.into())
                ),
                TOO_LARGE,
            );
        }
        if veh.costs.per_distance > MAX_FACTOR || veh.costs.per_travel_time > MAX_FACTOR {
            add(
                "E_TOO_LARGE",
                format!(
                    "vehicle {}: a cost per unit of {} is above the largest accepted, {}",
                    veh.id,
                    veh.costs.per_distance.max(veh.costs.per_travel_time),
                    thousands(MAX_FACTOR.into())
                ),
                TOO_LARGE,
            );
        }
        if veh.costs.per_distance < 0 || veh.costs.per_travel_time < 0 || veh.costs.fixed.0 < 0 {
            add(
                "E_COSTS",
                format!("vehicle {} has a negative cost", veh.id),
                "costs are >= 0",
            );
        }
    }
    if issues.is_empty() {
        totals(p, &mut |code, what, action| {
            issues.push(Issue { code, what, action })
        });
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { issues })
    }
}

/// Checks that a route's end time, the whole cost and the distance driven stay within
/// [`MAX_TOTAL`] whatever the solver does, from each number's largest value (in `i128`, so that
/// the check itself cannot overflow). Called once every single value is within its limit.
fn totals(p: &Problem, add: &mut impl FnMut(&'static str, String, &'static str)) {
    let finite = |values: &mut dyn Iterator<Item = i64>| -> i128 {
        values
            .filter(|&v| v != Time::MAX.0)
            .max()
            .unwrap_or(0)
            .into()
    };
    let travel = finite(&mut p.durations.values().iter().map(|t| t.0));
    let dist = finite(&mut p.distances.values().iter().map(|d| d.0));
    let stops: i128 = p.jobs.iter().map(|j| j.stops.len() as i128).sum();
    let arcs = stops + p.vehicles.len() as i128;
    let service: i128 = p
        .jobs
        .iter()
        .flat_map(|j| &j.stops)
        .map(|s| i128::from(s.service.0))
        .max()
        .unwrap_or(0);
    let latest_start = p
        .jobs
        .iter()
        .flat_map(|j| &j.stops)
        .flat_map(|s| &s.time_windows)
        .map(|w| w.start.0)
        .chain(p.vehicles.iter().map(|v| v.shift.start.0))
        .max()
        .unwrap_or(0);
    let time = i128::from(latest_start) + (stops + 1) * (travel + service);
    let arc_cost = p
        .vehicles
        .iter()
        .map(|v| {
            i128::from(v.costs.per_distance) * dist + i128::from(v.costs.per_travel_time) * travel
        })
        .max()
        .unwrap_or(0);
    let cost = p
        .vehicles
        .iter()
        .map(|v| i128::from(v.costs.fixed.0))
        .sum::<i128>()
        + arcs * arc_cost
        + p.jobs
            .iter()
            .map(|j| {
                i128::from(j.unassigned_cost.map_or(0, |c| c.0)) * (i128::from(j.priority) + 1)
            })
            .sum::<i128>();
    for (what, total) in [
        ("a route could end at time", time),
        ("the cost could reach", cost),
        ("the distance driven could reach", arcs * dist),
    ] {
        if total > i128::from(MAX_TOTAL) {
            add(
                "E_TOO_LARGE_TOGETHER",
                format!(
                    "the numbers are too large together: {what} {}, above the {} tournee computes exactly",
                    thousands(total),
                    thousands(MAX_TOTAL.into())
                ),
                "use smaller units (minutes instead of seconds, km instead of m) or smaller costs",
            );
        }
    }
}
