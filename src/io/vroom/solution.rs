//! A checked solution in VROOM's output shape.

use super::COST_SCALE;
use crate::model::schedule::Report;
use crate::model::{Cost, Costs, Job, JobKind, Load, Problem, Solution, Time};
use serde_json::{json, Map, Value};

/// Internal cost units per user cost unit for `problem`: [`COST_SCALE`] if it was read from a
/// VROOM file whose vehicles have `costs` (every vehicle's prices are then multiples of the
/// scale's factors and none is exactly [`Costs::TRAVEL_TIME`]), else 1.
pub fn cost_scale(problem: &Problem) -> i64 {
    let scaled = |c: &Costs| {
        c.fixed.0 % COST_SCALE == 0
            && c.per_travel_time % (COST_SCALE / 3600) == 0
            && c.per_distance % (COST_SCALE / 1000) == 0
    };
    let vs = &problem.vehicles;
    if !vs.is_empty()
        && vs
            .iter()
            .all(|v| v.costs != Costs::TRAVEL_TIME && scaled(&v.costs))
    {
        COST_SCALE
    } else {
        1
    }
}

/// A VROOM id: an integer when it parses as one, else the string.
fn id_value(id: &str) -> Value {
    id.parse::<u64>()
        .map_or_else(|_| Value::from(id), Value::from)
}

/// The pickup and delivery ids of a shipment named `"<pickup>-<delivery>"` (else the id twice).
fn shipment_ids(id: &str) -> (Value, Value) {
    match id.split_once('-') {
        Some((a, b)) if a.parse::<u64>().is_ok() && b.parse::<u64>().is_ok() => {
            (id_value(a), id_value(b))
        }
        _ => (id_value(id), id_value(id)),
    }
}

/// VROOM's step type and task id for stop `stop` of `job`.
fn task(job: &Job, stop: u8) -> (&'static str, Value) {
    match job.kind {
        JobKind::Shipment => {
            let (p, d) = shipment_ids(&job.id);
            if stop == 0 {
                ("pickup", p)
            } else {
                ("delivery", d)
            }
        }
        _ => ("job", id_value(&job.id)),
    }
}

/// The solution as VROOM writes it: `code`, `summary`, `unassigned`, `routes` with their steps,
/// every number taken from the checker's `report` (so what is written is what was checked).
/// Extra field: each unassigned task's `reason` ([`crate::model::Reason::code`]).
///
/// `report` must be `check(problem, solution)`: its routes are written in order.
pub fn write_solution(problem: &Problem, solution: &Solution, report: &Report) -> Value {
    let scale = cost_scale(problem);
    let user_cost = |c: Cost| (c.0 + scale / 2).div_euclid(scale);
    let dims = problem.dims;
    let arr = |l: &Load| Value::from(l.dims(dims).to_vec());
    let (mut total_delivery, mut total_pickup) = (Load::ZERO, Load::ZERO);
    let (mut service, mut waiting, mut route_costs) = (Time::ZERO, Time::ZERO, 0i64);
    let mut routes = Vec::with_capacity(report.routes.len());
    for r in &report.routes {
        let (mut delivery, mut pickup) = (Load::ZERO, Load::ZERO);
        let departure = r.steps.first().map_or(Time::ZERO, |s| s.arrival);
        let mut spent = Time::ZERO; // waiting and service before the current step
        let mut steps = Vec::with_capacity(r.steps.len());
        for (k, s) in r.steps.iter().enumerate() {
            let mut step = Map::new();
            let kind = match s.visit {
                None if k == 0 => "start",
                None => "end",
                Some(v) => {
                    let job = &problem.jobs[v.job.ix()];
                    let (kind, id) = task(job, v.stop);
                    match (job.kind, v.stop) {
                        (JobKind::Pickup, _) | (JobKind::Shipment, 0) => pickup += job.amount,
                        _ => delivery += job.amount,
                    }
                    step.insert("id".into(), id);
                    kind
                }
            };
            step.insert("type".into(), kind.into());
            if let Some(l) = s.location {
                step.insert("location_index".into(), l.0.into());
            }
            step.insert("arrival".into(), s.arrival.0.into());
            step.insert("duration".into(), (s.arrival - departure - spent).0.into());
            step.insert("service".into(), s.service.0.into());
            step.insert("waiting_time".into(), s.waiting.0.into());
            step.insert("load".into(), arr(&s.load));
            step.insert("distance".into(), s.distance.0.into());
            spent += s.waiting + s.service;
            steps.push(Value::Object(step));
        }
        total_delivery += delivery;
        total_pickup += pickup;
        service += r.service;
        waiting += r.waiting;
        route_costs += user_cost(r.cost);
        routes.push(json!({
            "vehicle": id_value(&problem.vehicles[r.vehicle.ix()].id),
            "cost": user_cost(r.cost),
            "delivery": arr(&delivery),
            "pickup": arr(&pickup),
            "service": r.service.0,
            "duration": r.travel_time.0,
            "waiting_time": r.waiting.0,
            "distance": r.distance.0,
            "steps": steps,
        }));
    }
    let mut unassigned = Vec::new();
    for u in &solution.unassigned {
        let job = &problem.jobs[u.job.ix()];
        for (k, stop) in job.stops.iter().enumerate() {
            let (kind, id) = task(job, k as u8);
            unassigned.push(json!({"id": id, "type": kind, "location_index": stop.location.0, "reason": u.reason.code()}));
        }
    }
    let left_out = report.cost.0 - report.routes.iter().map(|r| r.cost.0).sum::<i64>();
    json!({
        "code": 0,
        "summary": {
            "cost": route_costs + user_cost(Cost(left_out)),
            "routes": report.routes.len(),
            "unassigned": solution.unassigned.len(),
            "delivery": arr(&total_delivery),
            "pickup": arr(&total_pickup),
            "service": service.0,
            "duration": report.travel_time.0,
            "waiting_time": waiting.0,
            "distance": report.distance.0,
        },
        "unassigned": unassigned,
        "routes": routes,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{fixtures::TINY, parse};
    use super::*;
    use crate::model::{JobIdx, Reason, Route, Unassigned, VehicleIdx, Visit};
    use crate::routing::check::check;
    use std::path::Path;

    fn parse_str(text: &str) -> Problem {
        parse(Path::new("v.json"), text).unwrap()
    }

    #[test]
    fn solution_is_written_from_the_checked_timeline() {
        let p = parse_str(TINY);
        let v = |j: u32, stop: u8| Visit {
            job: JobIdx(j),
            stop,
        };
        // 0 -> 1 (arrive 60, wait 40, serve 10 until 110) -> 2 (140: job 18, then pickup 4, 5 s)
        // -> 1 (175: delivery 3) -> 0 (235).
        let s = Solution {
            routes: vec![Route {
                vehicle: VehicleIdx(0),
                departure: Time(0),
                visits: vec![v(0, 0), v(1, 0), v(2, 0), v(2, 1)],
                reloads: vec![],
            }],
            unassigned: vec![],
        };
        let report = check(&p, &s).unwrap();
        assert_eq!(report.cost, Cost(60 + 30 + 30 + 60)); // 2 -> 2 costs 0
        let out = write_solution(&p, &s, &report);
        assert_eq!(out["code"], 0);
        assert_eq!(out["summary"]["cost"], 180);
        assert_eq!(out["summary"]["waiting_time"], 40);
        assert_eq!(out["summary"]["service"], 15);
        assert_eq!(out["summary"]["distance"], 1800);
        assert_eq!(out["summary"]["delivery"], json!([2]));
        assert_eq!(out["summary"]["pickup"], json!([3]));
        let steps = out["routes"][0]["steps"].as_array().unwrap();
        let col = |key: &str| steps.iter().map(|s| s[key].clone()).collect::<Vec<_>>();
        assert_eq!(
            col("type"),
            json!(["start", "job", "job", "pickup", "delivery", "end"])
                .as_array()
                .unwrap()
                .clone()
        );
        assert_eq!(
            col("id"),
            vec![
                Value::Null,
                json!(17),
                json!(18),
                json!(4),
                json!(3),
                Value::Null
            ]
        );
        assert_eq!(
            col("arrival"),
            vec![
                json!(0),
                json!(60),
                json!(140),
                json!(140),
                json!(175),
                json!(235)
            ]
        );
        assert_eq!(
            col("duration"),
            vec![
                json!(0),
                json!(60),
                json!(90),
                json!(90),
                json!(120),
                json!(180)
            ]
        );
        assert_eq!(
            col("load"),
            vec![
                json!([1]),
                json!([0]),
                json!([2]),
                json!([3]),
                json!([2]),
                json!([2])
            ]
        );
        assert_eq!(out["routes"][0]["vehicle"], 1);
        assert_eq!(out["routes"][0]["duration"], 180);
    }

    #[test]
    fn unassigned_tasks_carry_the_reason() {
        let p = parse_str(TINY);
        let s = Solution {
            routes: vec![],
            unassigned: (0..3)
                .map(|j| Unassigned {
                    job: JobIdx(j),
                    reason: Reason::NoRoom,
                })
                .collect(),
        };
        let report = check(&p, &s).unwrap();
        let out = write_solution(&p, &s, &report);
        let u = out["unassigned"].as_array().unwrap();
        assert_eq!(u.len(), 4);
        assert_eq!(
            u[3],
            json!({"id": 3, "type": "delivery", "location_index": 1, "reason": "no_room"})
        );
        assert_eq!(out["summary"]["unassigned"], 3);
    }

    #[test]
    fn vehicle_costs_are_scaled_and_written_back() {
        let text = TINY.replace(
            r#""time_window": [0, 1000]"#,
            r#""costs": {"fixed": 100, "per_hour": 1800, "per_km": 500}"#,
        );
        let p = parse_str(&text);
        assert_eq!(
            p.vehicles[0].costs,
            Costs {
                fixed: Cost(1_800_000),
                per_distance: 9000,
                per_travel_time: 9000
            }
        );
        assert_eq!(cost_scale(&p), COST_SCALE);
        let s = Solution {
            routes: vec![Route {
                vehicle: VehicleIdx(0),
                departure: Time(0),
                visits: vec![
                    Visit {
                        job: JobIdx(0),
                        stop: 0,
                    },
                    Visit {
                        job: JobIdx(1),
                        stop: 0,
                    },
                    Visit {
                        job: JobIdx(2),
                        stop: 0,
                    },
                    Visit {
                        job: JobIdx(2),
                        stop: 1,
                    },
                ],
                reloads: vec![],
            }],
            unassigned: vec![],
        };
        let report = check(&p, &s).unwrap();
        // 100 + 1800 * 180 / 3600 + 500 * 1800 / 1000 = 100 + 90 + 900.
        assert_eq!(write_solution(&p, &s, &report)["summary"]["cost"], 1090);
    }
}
