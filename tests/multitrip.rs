//! Issue 16, reloads: a van may return to its depot within its shift to unload and load its next
//! trip; a trip leaves no earlier than its deliveries' goods reach the depot (release times).
//! Tiny hand-checked cases, a brute force, and the independent checker on every answer.

mod common;

use common::{brute_force_cvrp, deliveries, lcg, plane, tiny_cvrp};
use tournee::model::*;
use tournee::routing::check::{check, Violation};
use tournee::routing::{solve, validate, Params};

fn params(iterations: u64) -> Params {
    Params {
        seed: 3,
        threads: 1,
        iterations,
        time_limit: None,
    }
}

/// Solves and checks; returns the solution and its checked report.
fn solved(p: &Problem, iterations: u64) -> (Solution, tournee::model::schedule::Report) {
    validate(p).expect("valid problem");
    let (s, _) = solve(p, &params(iterations));
    let report = check(p, &s).unwrap_or_else(|v| panic!("checker refused the solution: {v:?}"));
    (s, report)
}

/// One van of `capacity` based at location 0, reloading there.
fn reloading_van(capacity: i64) -> Vehicle {
    let mut v = Vehicle::new("van", 0, Load::single(capacity));
    v.reloads = vec![LocIdx(0)];
    v
}

#[test]
fn a_reload_resets_the_load() {
    // Three deliveries of 6 at distance 10, a van of 10: one trip each, 3 x 20.
    let mut p = plane(&[(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (-10.0, 0.0)]);
    deliveries(&mut p, 1..4, || 6);
    p.vehicles.push(reloading_van(10));
    let (s, report) = solved(&p, 300);
    assert!(s.unassigned.is_empty());
    assert_eq!(s.routes.len(), 1);
    assert_eq!(s.routes[0].reloads.len(), 2, "{:?}", s.routes[0]);
    assert_eq!(report.cost.0, 60);
    // Each trip leaves with 6 on board: after the start and after each reload.
    let loads: Vec<i64> = report.routes[0]
        .steps
        .iter()
        .filter(|st| st.visit.is_none() && st.location == Some(LocIdx(0)))
        .map(|st| st.load.0[0])
        .collect();
    assert_eq!(loads, [6, 6, 6, 0], "start, two reloads, end");
}

#[test]
fn without_reloads_the_same_van_serves_one_trip() {
    let mut p = plane(&[(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (-10.0, 0.0)]);
    deliveries(&mut p, 1..4, || 6);
    p.vehicles.push(Vehicle::new("van", 0, Load::single(10)));
    let (s, _) = solved(&p, 300);
    assert_eq!(s.unassigned.len(), 2, "one delivery of 6 fits a van of 10");
}

#[test]
fn a_trip_leaves_no_earlier_than_its_goods_reach_the_depot() {
    // Two deliveries of 6 (one trip each, van of 10) at 10 from the depot; b's goods arrive at
    // 500. The trip with b leaves the depot at 500 or later.
    let mut p = plane(&[(0.0, 0.0), (10.0, 0.0), (-10.0, 0.0)]);
    p.jobs
        .push(Job::delivery("a", Stop::at(1, 5), Load::single(6)));
    let mut b = Job::delivery("b", Stop::at(2, 5), Load::single(6));
    b.release = Time(500);
    p.jobs.push(b);
    p.vehicles.push(reloading_van(10));
    let (s, report) = solved(&p, 300);
    assert!(s.unassigned.is_empty());
    let steps = &report.routes[0].steps;
    let b_step = steps
        .iter()
        .find(|st| st.visit.is_some_and(|v| p.jobs[v.job.ix()].id == "b"))
        .unwrap();
    assert!(b_step.arrival.0 >= 510, "b reached at {}", b_step.arrival.0);
    // Serving a first keeps the van busy while b's goods are on their way: a before b.
    let a_step = steps
        .iter()
        .position(|st| st.visit.is_some_and(|v| p.jobs[v.job.ix()].id == "a"))
        .unwrap();
    let b_pos = steps
        .iter()
        .position(|st| std::ptr::eq(st, b_step))
        .unwrap();
    assert!(a_step < b_pos);
    // Alone in one trip, b's departure is the release.
    let mut late = plane(&[(0.0, 0.0), (-10.0, 0.0)]);
    let mut only = Job::delivery("b", Stop::at(1, 0), Load::single(6));
    only.release = Time(500);
    late.jobs.push(only);
    late.vehicles.push(Vehicle::new("van", 0, Load::single(10)));
    let (s, report) = solved(&late, 50);
    assert!(s.routes[0].departure.0 >= 500);
    assert_eq!(report.routes[0].steps[1].arrival.0, 510);
}

#[test]
fn one_van_with_reloads_finds_the_optimum_of_tiny_instances() {
    // With unlimited reloads at the depot and no time limits, one van's trips are the routes of
    // a CVRP with as many vans as needed: the same optimum.
    let mut next = lcg(99);
    for _ in 0..5 {
        let (mut p, pts) = tiny_cvrp(&mut next);
        let mut cvrp = p.clone();
        for k in 0..6 {
            cvrp.vehicles
                .push(Vehicle::new(format!("v{k}"), 0, Load::single(6)));
        }
        let optimum = brute_force_cvrp(&cvrp);
        p.vehicles.push(reloading_van(6));
        let (s, report) = solved(&p, 3000);
        assert!(s.unassigned.is_empty());
        assert_eq!(report.cost.0, optimum, "{pts:?}");
    }
}

#[test]
fn the_checker_refuses_broken_trips() {
    let mut p = plane(&[(0.0, 0.0), (10.0, 0.0), (-10.0, 0.0), (0.0, 10.0)]);
    deliveries(&mut p, 1..3, || 6);
    p.jobs[1].release = Time(100);
    p.vehicles.push(reloading_van(10));
    let visit = |j: u32| Visit {
        job: JobIdx(j),
        stop: 0,
    };
    let route = |reloads: Vec<Reload>, departure: i64| Solution {
        routes: vec![Route {
            vehicle: VehicleIdx(0),
            departure: Time(departure),
            visits: vec![visit(0), visit(1)],
            reloads,
        }],
        unassigned: vec![],
    };
    let at = |l: u32| Reload {
        before: 1,
        at: LocIdx(l),
    };
    // One trip of 12 in a van of 10.
    let e = check(&p, &route(vec![], 100)).unwrap_err();
    assert!(
        e.iter().any(|v| matches!(v, Violation::Capacity { .. })),
        "{e:?}"
    );
    // A reload where the van may not reload.
    let e = check(&p, &route(vec![at(3)], 0)).unwrap_err();
    assert!(
        e.iter().any(|v| matches!(v, Violation::Reload { .. })),
        "{e:?}"
    );
    // Two trips, the first leaving before... nothing: c1 has no release; the second trip's
    // goods (c2, released at 100) are waited for at the reload.
    let ok = check(&p, &route(vec![at(0)], 0)).unwrap();
    let reload = &ok.routes[0].steps[2];
    assert!(reload.reload && reload.arrival.0 == 20 && reload.waiting.0 == 80);
    // c2 first, in one trip with c1 after a reload: leaving at 0 is before c2's release.
    let early = Solution {
        routes: vec![Route {
            vehicle: VehicleIdx(0),
            departure: Time(0),
            visits: vec![visit(1), visit(0)],
            reloads: vec![at(0)],
        }],
        unassigned: vec![],
    };
    let e = check(&p, &early).unwrap_err();
    assert!(
        e.iter().any(|v| matches!(v, Violation::Release { .. })),
        "{e:?}"
    );
    // A reload before the first visit is not a reload.
    let first = Solution {
        routes: vec![Route {
            reloads: vec![Reload {
                before: 0,
                at: LocIdx(0),
            }],
            ..route(vec![], 100).routes[0].clone()
        }],
        unassigned: vec![],
    };
    assert!(check(&p, &first).is_err());
}
