//! A small rural round built in code: a depot, five conciergerie sites, two farms whose products
//! go to given sites, and two vans. Times in seconds from midnight, distances in metres.
//!
//! Run with `cargo run --release --example rural_round`.

use tournee::model::*;
use tournee::routing::{check::check, solve, validate, Params};

fn main() {
    // Places: 0 depot (post office), 1-5 sites, 6-7 farms, on a 20 km x 20 km territory.
    let names = [
        "depot",
        "mairie Aubrac",
        "école Nasbinals",
        "épicerie Marchastel",
        "foyer Recoules",
        "bibliothèque Prinsuéjols",
        "ferme du Bès",
        "fromagerie Laguiole",
    ];
    let xy: [(f64, f64); 8] = [
        (0.0, 0.0),
        (6.0, 2.0),
        (9.0, -4.0),
        (-5.0, 7.0),
        (-8.0, -3.0),
        (3.0, 11.0),
        (12.0, 5.0),
        (-2.0, 14.0),
    ];
    let n = xy.len();
    // Road distance ~ 1.3 x straight line, driven at 50 km/h.
    let metres =
        |i: usize, j: usize| ((xy[i].0 - xy[j].0).hypot(xy[i].1 - xy[j].1) * 1300.0).round() as i64;
    let mut p = Problem::new(
        "rural round",
        SquareMatrix::from_fn(n, |i, j| Time(metres(i, j) * 36 / 500)),
        SquareMatrix::from_fn(n, |i, j| Dist(metres(i, j))),
    );
    let h = |hours: f64| (hours * 3600.0) as i64;
    // Parcels (first dimension) and crates (second) for each site, open 9:00-12:00 or 14:00-17:00.
    for (site, name) in names.iter().enumerate().take(6).skip(1) {
        let stop = Stop::at(site, 600)
            .window(h(9.0), h(12.0))
            .window(h(14.0), h(17.0));
        p.jobs.push(Job::delivery(
            format!("parcels for {name}"),
            stop,
            Load::from_slice(&[8 + site as i64, 1]),
        ));
    }
    // Farm products: picked at the farm in the morning, delivered to a site.
    p.jobs.push(Job::shipment(
        "vegetables ferme du Bès -> mairie Aubrac",
        Stop::at(6, 900).window(h(8.0), h(11.0)),
        Stop::at(1, 300).window(h(9.0), h(12.0)),
        Load::from_slice(&[0, 6]),
    ));
    p.jobs.push(Job::shipment(
        "cheese fromagerie Laguiole -> épicerie Marchastel",
        Stop::at(7, 900).window(h(8.0), h(11.0)),
        Stop::at(3, 300).window(h(9.0), h(17.0)),
        Load::from_slice(&[0, 4]),
    ));
    p.dims = 2;
    for k in 1..=2 {
        let mut van = Vehicle::new(format!("van {k}"), 0, Load::from_slice(&[60, 10]));
        van.shift = TimeWindow::new(h(7.0), h(15.0));
        // Costs in thousandths of a cent: 50 € a day per van used, 0.35 €/km, 25 €/h of driving.
        van.costs = Costs {
            fixed: Cost(5_000_000),
            per_distance: 35,
            per_travel_time: 694,
        };
        p.vehicles.push(van);
    }
    validate(&p).expect("a valid problem");
    let (solution, stats) = solve(
        &p,
        &Params {
            seed: 1,
            threads: 1,
            iterations: 2000,
            time_limit: None,
        },
    );
    let report = check(&p, &solution).expect("the checker accepts the solution");
    for (route, r) in solution.routes.iter().zip(&report.routes) {
        println!(
            "{}: {:.1} km, back at {}",
            p.vehicles[route.vehicle.ix()].id,
            r.distance.0 as f64 / 1000.0,
            clock(r.steps.last().unwrap().arrival.0)
        );
        for (visit, step) in route.visits.iter().zip(&r.steps[1..]) {
            let job = &p.jobs[visit.job.ix()];
            let what = match (job.kind, visit.stop) {
                (JobKind::Shipment, 0) => "pick up",
                _ => "drop",
            };
            println!(
                "  {}  {:<28} {what} {}",
                clock(step.arrival.0 + step.waiting.0),
                names[job.stops[visit.stop as usize].location.ix()],
                job.id
            );
        }
    }
    for u in &solution.unassigned {
        println!(
            "not served: {} ({})",
            p.jobs[u.job.ix()].id,
            u.reason.explain()
        );
    }
    println!(
        "cost {:.2} €, {} iterations",
        report.cost.0 as f64 / 100_000.0,
        stats.iterations
    );
}

fn clock(seconds: i64) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}
