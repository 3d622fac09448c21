//! One visit per conciergerie and day, a second one only with its reason on the sheet, and the
//! driver's break in every long round, each checked here independently of the plan's own
//! checks (the routing checker, then the times recomputed from the problem).

mod common;

use common::data;
use tournee::model::{Problem, Solution};
use tournee::plan::demand::SiteDemand;
use tournee::plan::rounds::Region;
use tournee::plan::settings::Settings;
use tournee::plan::{self, Demand, DemandInput, Quiet, Rounds, Territory};
use tournee::routing::check::check;

fn territory(toml: &str) -> (Territory, Settings) {
    let settings = Settings::from_toml(
        &format!("date = \"2026-11-25\"\n[sites]\nkicks = 3\nsensitivity_sizes = [50]\n{toml}"),
        "test.toml",
        &[],
    )
    .unwrap();
    let path = data("sant-julia-de-loria.osm.pbf");
    (Territory::read(&path, &settings, &Quiet).unwrap(), settings)
}

/// How many times each location of the problem is visited (consecutive orders at one place
/// are one visit), over all routes; and by how many routes.
fn visits(p: &Problem, s: &Solution, loc: usize) -> (usize, usize) {
    let mut n = 0;
    let mut routes = 0;
    for r in &s.routes {
        let locs: Vec<usize> = r
            .visits
            .iter()
            .map(|v| p.jobs[v.job.ix()].stops[v.stop as usize].location.ix())
            .collect();
        let here = locs
            .iter()
            .enumerate()
            .filter(|&(i, &l)| l == loc && (i == 0 || locs[i - 1] != loc))
            .count();
        n += here;
        routes += usize::from(here > 0);
    }
    (n, routes)
}

fn one_region(rounds: &Rounds) -> &Region {
    assert_eq!(rounds.regions.len(), 1);
    let r = &rounds.regions[0];
    check(&r.problem, &r.solution).unwrap();
    assert!(
        r.solution.unassigned.is_empty(),
        "{:?}",
        r.solution.unassigned
    );
    r
}

#[test]
fn bread_and_parcels_for_a_site_are_one_stop_and_an_oversized_load_two_with_the_reason() {
    let (t, settings) = territory("");
    let mut p = plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    let n = p.stops.sites();
    assert!(n >= 3);
    let mut per_site = vec![SiteDemand::default(); n];
    per_site[0] = SiteDemand {
        parcels: 6,
        parcel_litres: 72,
        purchases_litres: 40,
        bread_litres: 12,
        // Through the depot (the default): with the morning's order, collected for tomorrow.
        fresh: vec![(0, 15)],
        fresh_via_depot: None,
    };
    // More than a 3,300-litre van holds.
    per_site[1] = SiteDemand {
        parcels: 300,
        parcel_litres: 3_600,
        purchases_litres: 100,
        bread_litres: 20,
        ..SiteDemand::default()
    };
    p.demand = Demand {
        per_site,
        source: "by hand".into(),
        notes: vec![],
    };
    p.rounds = Rounds::solve(&p.stops, &p.demand, &settings, t.car()).unwrap();
    let r = one_region(&p.rounds);
    let site = |k: usize| {
        r.locs
            .iter()
            .position(|&l| l == p.stops.site_loc(k))
            .unwrap()
    };
    // Site 0: one job, one visit, in bread's window, its fresh products with it.
    let at0: Vec<_> = r
        .problem
        .jobs
        .iter()
        .filter(|j| j.stops.iter().any(|s| s.location.ix() == site(0)))
        .collect();
    assert_eq!(
        at0.len(),
        1,
        "{:?}",
        at0.iter().map(|j| &j.id).collect::<Vec<_>>()
    );
    assert_eq!(at0[0].amount.0[0], 124 + 15);
    let farm = r
        .locs
        .iter()
        .position(|&l| l == p.stops.producer_loc(0))
        .unwrap();
    let collected: Vec<_> = r
        .problem
        .jobs
        .iter()
        .filter(|j| j.stops.iter().any(|s| s.location.ix() == farm))
        .collect();
    assert_eq!(collected.len(), 1);
    assert_eq!(
        (collected[0].kind, collected[0].amount.0[0]),
        (tournee::model::JobKind::Pickup, 15)
    );
    assert_eq!(
        at0[0].stops[0].time_windows[0].end.0,
        settings.hours.bread_by.seconds()
    );
    assert_eq!(visits(&r.problem, &r.solution, site(0)), (1, 1));
    // Site 1: 3,720 L come in two visits, and the plan says why.
    assert_eq!(visits(&r.problem, &r.solution, site(1)).0, 2);
    let notes = p.rounds.notes.join("\n");
    assert!(notes.contains("3720 L is more than a van holds"), "{notes}");
    // The sheet of the second visit says why the van comes back.
    let dir = tempfile::tempdir().unwrap();
    tournee::report::plan::write(&p, &t, dir.path()).unwrap();
    let name = &p.stops.site(1).name;
    let mut rows = Vec::new();
    for e in std::fs::read_dir(dir.path().join("routes")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "csv") && path.to_string_lossy().contains("van-") {
            let mut rd = csv::Reader::from_path(&path).unwrap();
            let h = rd.headers().unwrap().clone();
            let (ni, no) = (
                h.iter().position(|x| x == "name").unwrap(),
                h.iter().position(|x| x == "note").unwrap(),
            );
            for rec in rd.records() {
                let rec = rec.unwrap();
                if &rec[ni] == name.as_str() {
                    rows.push(rec[no].to_string());
                }
            }
        }
    }
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().filter(|n| n.is_empty()).count() == 1,
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|n| n.starts_with("second")
            && (n.contains("more than a van holds") || n.contains("dépassent la capacité"))),
        "{rows:?}"
    );
}

#[test]
fn every_round_longer_than_the_rule_has_its_break_and_keeps_every_window() {
    // Breaks after at most 1 h in a 2 h 15 shift: most rounds need one.
    let (t, settings) = territory(
        "[fleet]\nshift_end = \"09:15\"\nbreak_minutes = 20\nbreak_after_hours = 1.0\n[hours]\nbread_by = \"09:30\"\nsites_close = \"09:30\"\nproducers_close = \"09:30\"\n",
    );
    let p = plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    let (after, length) = (3600, 1200);
    let mut long = 0;
    for r in &p.rounds.regions {
        check(&r.problem, &r.solution).unwrap();
        assert_eq!(r.pauses.len(), r.report.routes.len());
        for (route, pause) in r.report.routes.iter().zip(&r.pauses) {
            let steps = &route.steps;
            let leave = steps[0].arrival.0 + steps[0].waiting.0 + steps[0].service.0;
            let end = steps.last().unwrap().arrival.0;
            let v = &r.problem.vehicles[route.vehicle.ix()];
            assert!(end <= v.shift.end.0, "ends {end} after the shift");
            // Recompute each step from the previous one and the problem's matrix.
            for i in 1..steps.len() {
                let (a, b) = (&steps[i - 1], &steps[i]);
                let dep = a.arrival.0 + a.waiting.0 + a.service.0;
                let travel = match (a.location, b.location) {
                    (Some(x), Some(y)) => r.problem.durations.get(x, y).0,
                    _ => 0,
                };
                let rest = pause.filter(|p| p.before_step == i).map_or(0, |p| p.length);
                assert!(b.arrival.0 + b.waiting.0 >= dep + travel + rest, "step {i}");
                if let Some(vis) = b.visit {
                    let stop = &r.problem.jobs[vis.job.ix()].stops[vis.stop as usize];
                    let start = b.arrival.0 + b.waiting.0;
                    assert!(
                        stop.time_windows.is_empty()
                            || stop
                                .time_windows
                                .iter()
                                .any(|w| w.start.0 <= start && start <= w.end.0),
                        "step {i} at {start} outside {:?}",
                        stop.time_windows
                    );
                }
            }
            if end - leave > after {
                long += 1;
                let p = pause.expect("a long round has a break");
                assert!(p.length >= length);
                assert!(p.start - leave <= after, "works too long before the break");
                assert!(end - p.start - p.length <= after, "works too long after it");
            }
        }
    }
    assert!(long > 0, "no round needed a break: the test proves nothing");
}
