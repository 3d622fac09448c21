//! Checks a problem once, before solving, and reports every problem found.

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

/// Validates `p`: matrix sizes and values, locations in range, load dimensions, amounts,
/// time windows, shipments, vehicles, unique ids. Infeasible jobs (too heavy, unreachable in
/// time) are not errors: the solver reports them unassigned with their reason.
pub fn validate(p: &Problem) -> Result<(), ValidationError> {
    let mut issues = Vec::new();
    let mut add = |code, what: String, action| issues.push(Issue { code, what, action });
    let n = p.num_locations();
    if p.distances.len() != n {
        add(
            "E_MATRIX_SIZE",
            format!(
                "the duration matrix is {n} x {n} but the distance matrix is {0} x {0}",
                p.distances.len()
            ),
            "give both matrices for the same locations",
        );
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
        if veh.costs.per_distance < 0 || veh.costs.per_travel_time < 0 || veh.costs.fixed.0 < 0 {
            add(
                "E_COSTS",
                format!("vehicle {} has a negative cost", veh.id),
                "costs are >= 0",
            );
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { issues })
    }
}
