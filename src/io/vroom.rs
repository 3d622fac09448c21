//! VROOM's JSON problem format (matrix-based input) and solution format.
//!
//! ```json
//! {"vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 36000]}],
//!  "jobs": [{"id": 17, "location_index": 1, "service": 300, "delivery": [1], "time_windows": [[3600, 7200]]}],
//!  "shipments": [{"amount": [1], "pickup": {"id": 4, "location_index": 2}, "delivery": {"id": 3, "location_index": 1}}],
//!  "matrices": {"car": {"durations": [[0, 600, 900], [610, 0, 300], [880, 310, 0]],
//!                       "distances": [[0, 9000, 13000], [9100, 0, 4000], [12800, 4100, 0]]}}}
//! ```
//!
//! What is read:
//! - `jobs`: `id`, `location_index`, `service`, `delivery` or `pickup` (a job with both non-zero
//!   is refused: the model's jobs have one kind, and splitting it in two would let two vehicles
//!   serve it), `priority`, `time_windows`;
//! - `shipments`: `pickup` and `delivery` (`id`, `location_index`, `service`, `time_windows`),
//!   `amount`, `priority`; the model's job id is `"<pickup id>-<delivery id>"`;
//! - `vehicles`: `id`, `start_index`, `end_index`, `capacity`, `time_window` (the shift),
//!   `max_distance`, `costs` (`fixed`, `per_hour` default 3600, `per_km` default 0);
//! - `matrices.<profile>.durations` and `.distances` (the vehicles' profile, default `car`; one
//!   profile for all), or a top-level `matrix` of durations. `null` = unreachable. Without
//!   distances every distance is 0.
//!
//! Only matrix input is supported: coordinates need a matrix, e.g. from `tournee matrix`. Keys
//! that would change the meaning of the problem and that the model lacks are refused with a
//! clear error rather than ignored: `skills` that restrict anything, `breaks`, `max_tasks`,
//! `max_travel_time` (the model's `max_duration` also counts waiting and service), `setup`,
//! `speed_factor` other than 1, vehicle `steps`, custom `costs` matrices.
//!
//! Objective: travel time ([`Costs::TRAVEL_TIME`]), VROOM's default. When some vehicle has
//! `costs`, every vehicle is priced in units of 1/[`COST_SCALE`] of the user's cost unit, so that
//! `per_hour` (per 3600 s) and `per_km` (per 1000 m) are exact integers per second and per metre;
//! [`write_solution`] converts back.
//!
//! Semantic errors found while reading an object (a job with both amounts, a negative amount, a
//! window that ends before it starts) give the line and column of the object's closing brace and
//! name its id; errors that relate several objects (a location outside the matrix, a repeated id)
//! name the object by its JSON path and id.

mod input;
mod solution;

pub use solution::{cost_scale, write_solution};

use super::format_error::FormatError;
use crate::model::{
    Cost, Costs, Dist, Job, Load, LocIdx, Problem, SquareMatrix, Stop, Time, Vehicle,
};
use input::{Input, Task, VMatrix};
use std::collections::HashSet;
use std::path::Path;

/// Internal cost units per user cost unit when vehicles have `costs`: `lcm(3600, 1000)`.
pub const COST_SCALE: i64 = 18_000;

/// Reads a VROOM problem file.
pub fn read(path: &Path) -> Result<Problem, FormatError> {
    parse(path, &super::text::read_text(path)?)
}

/// Parses a VROOM problem; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Problem, FormatError> {
    let input: Input = serde_json::from_str(super::text::without_bom(text))
        .map_err(|e| FormatError::json(path, &e))?;
    let name = path
        .file_stem()
        .map_or_else(|| "vroom".into(), |s| s.to_string_lossy().into_owned());
    to_problem(name, &input).map_err(|(place, message)| FormatError::object(path, place, message))
}

/// A problem that involves several objects: which object (JSON path and id), and what is wrong.
type Misfit = (String, String);

fn vehicle_name(input: &Input, k: usize) -> String {
    format!("vehicles[{k}] (id {})", input.vehicles[k].id)
}

fn job_name(input: &Input, k: usize) -> String {
    format!("jobs[{k}] (id {})", input.jobs[k].task.id)
}

fn shipment_name(input: &Input, k: usize) -> String {
    let s = &input.shipments[k];
    format!(
        "shipments[{k}] (pickup {}, delivery {})",
        s.pickup.id, s.delivery.id
    )
}

fn to_problem(name: String, input: &Input) -> Result<Problem, Misfit> {
    let (durations, distances) = matrices(input)?;
    let dims = dimensions(input)?;
    check_skills(input)?;
    let mut p = Problem::new(name, durations, distances);
    p.dims = dims.max(1);
    add_jobs(&mut p, input)?;
    add_vehicles(&mut p, input)?;
    Ok(p)
}

/// The matrices of the vehicles' profile (one for all); `null` = unreachable.
fn matrices(input: &Input) -> Result<(SquareMatrix<Time>, SquareMatrix<Dist>), Misfit> {
    let profile = input.vehicles.first().map_or("car", |v| v.profile.as_str());
    if let Some(k) = input.vehicles.iter().position(|v| v.profile != profile) {
        let other = &input.vehicles[k].profile;
        return Err((vehicle_name(input, k), format!("profile {other:?} differs from the first vehicle's {profile:?}; one profile for all vehicles is supported")));
    }
    let (durations, distances): (&VMatrix, Option<&VMatrix>) = match (
        &input.matrices,
        &input.matrix,
    ) {
        (Some(m), _) => {
            let Some(p) = m.get(profile) else {
                let found: Vec<&str> = m.keys().map(String::as_str).collect();
                return Err((
                    "matrices".into(),
                    format!("no matrices for profile {profile:?} (found {found:?})"),
                ));
            };
            if p.costs.is_some() {
                let why = "custom cost matrices are not supported yet; give durations (and distances) and vehicle `costs`";
                return Err((format!("matrices.{profile}.costs"), why.into()));
            }
            let Some(d) = &p.durations else {
                return Err((
                    format!("matrices.{profile}"),
                    "no `durations` matrix".into(),
                ));
            };
            (d, p.distances.as_ref())
        }
        (None, Some(m)) => (m, None),
        (None, None) => {
            let why = "no `matrices`: tournee reads only matrix-based VROOM input; compute a matrix (e.g. with `tournee matrix`) \
                       and give it as `matrices.car.durations` (and `distances`), with a location_index for every job and vehicle";
            return Err(("top level".into(), why.into()));
        }
    };
    let n = durations.n;
    if n > crate::model::limits::MAX_LOCATIONS {
        return Err((
            format!("matrices.{profile}.durations"),
            format!(
                "is {n} x {n}; tournee accepts at most {} locations (split the problem)",
                crate::model::limits::MAX_LOCATIONS
            ),
        ));
    }
    if let Some(d) = distances.filter(|d| d.n != n) {
        return Err((
            format!("matrices.{profile}.distances"),
            format!("is {0} x {0} but durations are {n} x {n}", d.n),
        ));
    }
    if distances.is_none() {
        let needs = |v: &input::VVehicle| {
            v.max_distance.is_some() || v.costs.as_ref().is_some_and(|c| c.per_km != 0)
        };
        if let Some(k) = input.vehicles.iter().position(needs) {
            return Err((
                vehicle_name(input, k),
                "max_distance or costs.per_km needs a `distances` matrix".into(),
            ));
        }
    }
    let unreachable = Time::MAX.0;
    let time = SquareMatrix::from_fn(n, |i, j| {
        Time(durations.data[i * n + j].unwrap_or(unreachable))
    });
    let dist = SquareMatrix::from_fn(n, |i, j| {
        let reachable = durations.data[i * n + j].is_some();
        Dist(match distances {
            Some(d) => d.data[i * n + j].unwrap_or(unreachable),
            None if reachable => 0,
            None => unreachable,
        })
    });
    Ok((time, dist))
}

/// The number of load dimensions: every amount and capacity given has the same length.
fn dimensions(input: &Input) -> Result<usize, Misfit> {
    let jobs = input
        .jobs
        .iter()
        .enumerate()
        .map(|(k, j)| (j.amount.as_ref(), job_name(input, k)));
    let shipments = input
        .shipments
        .iter()
        .enumerate()
        .map(|(k, s)| (s.amount.as_ref(), shipment_name(input, k)));
    let vehicles = input
        .vehicles
        .iter()
        .enumerate()
        .map(|(k, v)| (v.capacity.as_ref(), vehicle_name(input, k)));
    let mut first: Option<(usize, String)> = None;
    for (amount, place) in jobs.chain(shipments).chain(vehicles) {
        let Some(len) = amount.map(Vec::len) else {
            continue;
        };
        match &first {
            None => first = Some((len, place)),
            Some((d, where_)) if *d != len => {
                return Err((place, format!("an amount of {len} dimensions where {where_} has {d}; use the same dimensions everywhere")));
            }
            Some(_) => {}
        }
    }
    let dims = first.map_or(0, |(d, _)| d);
    if dims > 0 {
        if let Some(k) = input.vehicles.iter().position(|v| v.capacity.is_none()) {
            return Err((
                vehicle_name(input, k),
                format!("no capacity while amounts have {dims} dimension(s); give `capacity`"),
            ));
        }
    }
    Ok(dims)
}

/// Skills are accepted only when they restrict nothing (every vehicle has every skill asked).
fn check_skills(input: &Input) -> Result<(), Misfit> {
    let all_have = |skills: &[u64]| {
        input
            .vehicles
            .iter()
            .all(|v| skills.iter().all(|s| v.skills.contains(s)))
    };
    let why = || "its skills exclude some vehicles; skills are not supported yet".to_string();
    if let Some(k) = input.jobs.iter().position(|j| !all_have(&j.skills)) {
        return Err((job_name(input, k), why()));
    }
    if let Some(k) = input.shipments.iter().position(|s| !all_have(&s.skills)) {
        return Err((shipment_name(input, k), why()));
    }
    Ok(())
}

fn location(n: usize, place: impl Fn() -> String, l: u32) -> Result<LocIdx, Misfit> {
    if (l as usize) < n {
        Ok(LocIdx(l))
    } else {
        Err((
            place(),
            format!("location index {l} is outside the {n} x {n} matrix"),
        ))
    }
}

fn load(amount: &Option<Vec<i64>>) -> Load {
    amount.as_deref().map_or(Load::ZERO, Load::from_slice)
}

/// Jobs, then shipments (id `"<pickup>-<delivery>"`); ids unique per kind, as VROOM wants.
fn add_jobs(p: &mut Problem, input: &Input) -> Result<(), Misfit> {
    let n = p.num_locations();
    let stop = |t: &Task, place: &dyn Fn() -> String| -> Result<Stop, Misfit> {
        Ok(Stop {
            location: location(n, place, t.location)?,
            service: Time(t.service),
            time_windows: t.windows.clone(),
        })
    };
    let mut seen: [HashSet<u64>; 3] = Default::default();
    let mut unique = |kind: usize, id: u64, place: &dyn Fn() -> String| {
        if seen[kind].insert(id) {
            return Ok(());
        }
        Err((place(), format!("id {id} is used twice; VROOM ids are unique among jobs, among pickups and among deliveries")))
    };
    for (k, j) in input.jobs.iter().enumerate() {
        let place = || job_name(input, k);
        unique(0, j.task.id, &place)?;
        let mut job = Job::delivery(
            j.task.id.to_string(),
            stop(&j.task, &place)?,
            load(&j.amount),
        );
        job.kind = j.kind;
        job.priority = j.priority;
        p.jobs.push(job);
    }
    for (k, s) in input.shipments.iter().enumerate() {
        let place = || shipment_name(input, k);
        unique(1, s.pickup.id, &place)?;
        unique(2, s.delivery.id, &place)?;
        let id = format!("{}-{}", s.pickup.id, s.delivery.id);
        let mut job = Job::shipment(
            id,
            stop(&s.pickup, &place)?,
            stop(&s.delivery, &place)?,
            load(&s.amount),
        );
        job.priority = s.priority;
        p.jobs.push(job);
    }
    Ok(())
}

/// Vehicles, priced by travel time unless some vehicle has `costs` (then see [`COST_SCALE`]).
fn add_vehicles(p: &mut Problem, input: &Input) -> Result<(), Misfit> {
    let n = p.num_locations();
    let priced = input.vehicles.iter().any(|v| v.costs.is_some());
    let mut ids = HashSet::new();
    for (k, v) in input.vehicles.iter().enumerate() {
        let place = || vehicle_name(input, k);
        if !ids.insert(v.id) {
            return Err((place(), format!("vehicle id {} is used twice", v.id)));
        }
        let (fixed, per_hour, per_km) = v
            .costs
            .as_ref()
            .map_or((0, 3600, 0), |c| (c.fixed, c.per_hour, c.per_km));
        // Internal costs are the user's times COST_SCALE: the user's values are bounded so
        // that the products stay within the model's limits.
        use crate::model::limits::{MAX_FACTOR, MAX_VALUE};
        for (key, value, most) in [
            ("fixed", fixed, MAX_VALUE / COST_SCALE),
            ("per_km", per_km, MAX_FACTOR / (COST_SCALE / 1000)),
            ("per_hour", per_hour, MAX_FACTOR / (COST_SCALE / 3600)),
        ] {
            if value > most {
                return Err((
                    place(),
                    format!("costs.{key} is {value}, above the largest accepted, {most}; use a larger cost unit"),
                ));
            }
        }
        let costs = match priced {
            false => Costs::TRAVEL_TIME,
            true => Costs {
                fixed: Cost(fixed * COST_SCALE),
                per_distance: per_km * (COST_SCALE / 1000),
                per_travel_time: per_hour * (COST_SCALE / 3600),
            },
        };
        p.vehicles.push(Vehicle {
            id: v.id.to_string(),
            start: v.start.map(|l| location(n, place, l)).transpose()?,
            end: v.end.map(|l| location(n, place, l)).transpose()?,
            capacity: load(&v.capacity),
            shift: v.shift,
            max_duration: None,
            max_distance: v.max_distance.map(Dist),
            costs,
            reloads: Vec::new(),
            reload_time: Time::ZERO,
        });
    }
    Ok(())
}

/// Shared by the reader's and the writer's tests.
#[cfg(test)]
pub(crate) mod fixtures {
    /// Depot 0; job 17 at 1 (delivery 1, window [100, 200], service 10); job 18 at 2 (pickup 2);
    /// shipment 4 (at 2, service 5) -> 3 (at 1), amount 1; one vehicle of capacity 4.
    pub(crate) const TINY: &str = r#"{
  "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 1000]}],
  "jobs": [
    {"id": 17, "location_index": 1, "service": 10, "delivery": [1], "time_windows": [[100, 200]]},
    {"id": 18, "location_index": 2, "pickup": [2], "priority": 5}
  ],
  "shipments": [
    {"amount": [1], "pickup": {"id": 4, "location_index": 2, "service": 5}, "delivery": {"id": 3, "location_index": 1}}
  ],
  "matrices": {"car": {
    "durations": [[0, 60, 90], [60, 0, 30], [90, 30, 0]],
    "distances": [[0, 600, 900], [600, 0, 300], [900, 300, 0]]
  }}
}"#;
}

#[cfg(test)]
mod tests {
    use super::fixtures::TINY;
    use super::*;
    use crate::model::{JobKind, TimeWindow};

    fn parse_str(text: &str) -> Result<Problem, FormatError> {
        parse(Path::new("v.json"), text)
    }

    fn err(text: &str) -> String {
        parse_str(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_jobs_shipments_vehicles_and_matrices() {
        let p = parse_str(TINY).unwrap();
        assert_eq!(
            (p.name.as_str(), p.jobs.len(), p.vehicles.len(), p.dims),
            ("v", 3, 1, 1)
        );
        let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["17", "18", "4-3"]);
        assert_eq!(p.jobs[0].kind, JobKind::Delivery);
        assert_eq!(
            p.jobs[0].stops[0].time_windows,
            vec![TimeWindow::new(100, 200)]
        );
        assert_eq!(
            (p.jobs[1].kind, p.jobs[1].amount, p.jobs[1].priority),
            (JobKind::Pickup, Load::single(2), 5)
        );
        assert_eq!(
            (p.jobs[2].kind, p.jobs[2].stops[0].service),
            (JobKind::Shipment, Time(5))
        );
        assert_eq!(p.vehicles[0].costs, Costs::TRAVEL_TIME);
        assert_eq!(p.vehicles[0].shift, TimeWindow::new(0, 1000));
        assert_eq!(p.distances.get(LocIdx(1), LocIdx(2)), Dist(300));
        crate::routing::validate(&p).unwrap();
    }

    #[test]
    fn legacy_matrix_and_null_entries() {
        let text = r#"{"vehicles": [{"id": 0, "start_index": 0}], "jobs": [{"id": 1, "location_index": 1}], "matrix": [[0, 5], [null, 0]]}"#;
        let p = parse_str(text).unwrap();
        assert_eq!(p.durations.get(LocIdx(0), LocIdx(1)), Time(5));
        assert!(p.durations.get(LocIdx(1), LocIdx(0)) >= Time::MAX);
        assert_eq!(p.vehicles[0].end, None);
        assert_eq!((p.dims, p.jobs[0].amount), (1, Load::ZERO));
    }

    #[test]
    fn malformed_inputs_are_explained() {
        let line = |text: &str| parse_str(text).unwrap_err().line_number();
        assert_eq!(line(""), Some(1));
        assert_eq!(line("{\n\"jobs\": [\n{\"id\": \"x\"}]}"), Some(3));
        let mixed = TINY.replace(
            r#""delivery": [1], "time"#,
            r#""delivery": [1], "pickup": [1], "time"#,
        );
        assert_eq!(line(&mixed), Some(4));
        // The last object of an array too (not the `]` on the next line).
        let last = TINY.replace(r#""pickup": [2]"#, r#""pickup": [2], "delivery": [1]"#);
        assert_eq!(line(&last), Some(5));
        assert!(err(&last).contains("job 18"));
        assert!(err(&mixed).contains("mixed jobs are not supported"));
        assert_eq!(
            line(&TINY.replace(r#""delivery": [1]"#, r#""delivery": [-1]"#)),
            Some(4)
        );
        assert_eq!(line(&TINY.replace("[[100, 200]]", "[[200, 100]]")), Some(4));
        assert_eq!(line(&TINY.replace("[0, 60, 90], ", "[0, 60], ")), Some(11));
        assert_eq!(
            line(&TINY.replace(
                r#""capacity": [4], "#,
                r#""capacity": [4], "max_travel_time": 60, "#
            )),
            Some(2)
        );
        let coords = TINY.replace(
            r#""location_index": 1, "service": 10"#,
            r#""location": [2.35, 48.85], "service": 10"#,
        );
        let e = err(&coords);
        assert!(e.contains("line 4") && e.contains("matrix"), "{e}");
        let e = err(&TINY.replace(r#""matrices""#, r#""matrice""#));
        assert!(
            e.contains("unknown key `matrice`; did you mean `matrices`?"),
            "{e}"
        );
        let no_matrix = &TINY[..TINY
            .find(
                r#",
  "matrices""#,
            )
            .unwrap()];
        let e = err(&format!("{no_matrix}}}"));
        assert!(e.contains("tournee matrix"), "{e}");
        let e = err(&TINY.replace(
            r#""location_index": 2, "pickup""#,
            r#""location_index": 7, "pickup""#,
        ));
        assert!(
            e.contains("jobs[1] (id 18)") && e.contains("location index 7"),
            "{e}"
        );
        let e = err(&TINY.replace(r#""amount": [1]"#, r#""amount": [1, 1]"#));
        assert!(
            e.contains("shipments[0]") && e.contains("2 dimensions"),
            "{e}"
        );
        let e = err(&TINY.replace(r#""id": 18"#, r#""id": 17"#));
        assert!(e.contains("jobs[1]") && e.contains("twice"), "{e}");
        let e = err(&TINY.replace(r#""priority": 5"#, r#""priority": 5, "skills": [3]"#));
        assert!(e.contains("skills"), "{e}");
    }
}
