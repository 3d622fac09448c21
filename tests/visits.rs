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
/// are one visit, unless the van reloads between them), over all routes; and by how many
/// routes.
fn visits(p: &Problem, s: &Solution, loc: usize) -> (usize, usize) {
    let mut n = 0;
    let mut routes = 0;
    for r in &s.routes {
        let locs: Vec<usize> = r
            .visits
            .iter()
            .map(|v| p.jobs[v.job.ix()].stops[v.stop as usize].location.ix())
            .collect();
        let reload_before = |i: usize| r.reloads.iter().any(|x| x.before == i);
        let here = locs
            .iter()
            .enumerate()
            .filter(|&(i, &l)| l == loc && (i == 0 || locs[i - 1] != loc || reload_before(i)))
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
    // Two sites alone at their place (not parts of a building sharing a stop).
    let alone: Vec<usize> = (0..n)
        .filter(|&k| {
            let s = p.stops.site(k);
            (0..n).all(|o| o == k || p.stops.site(o).at().distance_m(s.at()) > 1.0)
        })
        .collect();
    let (a, b) = (alone[0], alone[1]);
    let mut per_site = vec![SiteDemand::default(); n];
    per_site[a] = SiteDemand {
        parcels: 6,
        parcel_litres: 72,
        purchases_litres: 40,
        bread_litres: 12,
        // Through the depot (the default): with the morning's order, collected for tomorrow.
        fresh: vec![(0, 15)],
        fresh_via_depot: None,
    };
    // More than a 3,300-litre van holds.
    per_site[b] = SiteDemand {
        parcels: 300,
        parcel_litres: 3_600,
        purchases_litres: 100,
        bread_litres: 20,
        ..SiteDemand::default()
    };
    p.demand = Demand {
        per_site,
        source: "by hand".into(),
        from_model: false,
        notes: vec![],
    };
    p.rounds = Rounds::solve(&p.stops, &p.demand, &settings, t.car()).unwrap();
    let r = one_region(&p.rounds);
    let site = |k: usize| r.site_locs.iter().find(|x| x.0 == k).unwrap().1;
    // Site a: two orders (its goods with yesterday's fresh products, and its bread in bread's
    // window), brought at one visit: a second one would cost more.
    let at0: Vec<_> = r
        .problem
        .jobs
        .iter()
        .zip(&r.orders)
        .filter(|(j, o)| o.site == a && j.kind == tournee::model::JobKind::Delivery)
        .map(|x| x.0)
        .collect();
    assert_eq!(
        at0.len(),
        2,
        "{:?}",
        at0.iter().map(|j| &j.id).collect::<Vec<_>>()
    );
    assert_eq!(at0[0].amount.0[0], 72 + 40 + 15);
    assert_eq!(at0[1].amount.0[0], 12);
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
        at0[1].stops[0].time_windows[0].end.0,
        settings.hours.bread_by.seconds()
    );
    assert_eq!(
        at0[0].stops[0].time_windows[0].end.0,
        settings.hours.sites_close.seconds()
    );
    assert_eq!(visits(&r.problem, &r.solution, site(a)), (1, 1));
    // Site b: 3,700 L of goods (and its bread) come in two visits, and the plan says why.
    assert_eq!(visits(&r.problem, &r.solution, site(b)).0, 2);
    let notes = p.rounds.notes.join("\n");
    assert!(notes.contains("3700 L is more than a van holds"), "{notes}");
    // The sheet of the second visit says why the van comes back.
    let dir = tempfile::tempdir().unwrap();
    tournee::report::plan::write(&p, &t, dir.path()).unwrap();
    let name = &p.stops.site(b).name;
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

/// Issue 25: a van that has delivered its load goes back to the depot and out again within its
/// shift, and the checker accepts every trip (each within the van's capacity); with reloads
/// the day needs fewer vans than one trip each.
#[test]
fn a_van_reloads_at_the_depot_and_the_checker_accepts_its_second_trip() {
    let small = "[fleet]\ncapacity_litres = 600\n";
    let (t, settings) = territory(small);
    let p = plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    let r = one_region(&p.rounds);
    let trips: usize = r
        .report
        .routes
        .iter()
        .map(|route| 1 + route.steps.iter().filter(|s| s.reload).count())
        .sum();
    assert!(trips > r.report.routes.len(), "no van made a second trip");
    for route in &r.report.routes {
        assert!(route.steps.iter().all(|s| s.load.0[0] <= 600));
    }
    // The same day, one trip a van.
    let (t1, one_trip) = territory(&format!("{small}reloads = false\n"));
    let q = plan::plan(&t1, &one_trip, &DemandInput::Model, &Quiet).unwrap();
    let one = one_region(&q.rounds);
    assert!(
        r.report.routes.len() < one.report.routes.len(),
        "{} vans with reloads, {} without",
        r.report.routes.len(),
        one.report.routes.len()
    );
}

/// Issue 25: sites at the same place (the parts of a large building) are one stop, where the
/// van hands over each site's orders.
#[test]
fn sites_at_the_same_place_are_one_stop() {
    let dir = tempfile::tempdir().unwrap();
    // A block of 150 foyers (three parts, three sites at one place) and a few houses.
    let csv = dir.path().join("households.csv");
    let mut text = "id,lon,lat,foyers\nblock,1.5305,42.4640,150\n".to_string();
    for k in 0..12 {
        text.push_str(&format!(
            "h{k},{},{},4\n",
            1.5260 + 0.0006 * k as f64,
            42.4620 + 0.0003 * (k % 4) as f64
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let (_, mut settings) = territory("");
    settings.households = Some(csv);
    let t = Territory::read(&data("sant-julia-de-loria.osm.pbf"), &settings, &Quiet).unwrap();
    let p = plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    let r = one_region(&p.rounds);
    let block: Vec<usize> = (0..p.stops.sites())
        .filter(|&k| {
            let s = p.stops.site(k);
            (s.lon - 1.5305).abs() < 1e-7 && (s.lat - 42.4640).abs() < 1e-7
        })
        .collect();
    assert!(block.len() >= 2, "the block's parts are sites at one place");
    let locs: Vec<usize> = block
        .iter()
        .map(|k| r.site_locs.iter().find(|x| x.0 == *k).unwrap().1)
        .collect();
    assert!(locs.iter().all(|&l| l == locs[0]), "one location: {locs:?}");
    assert!(r.shared(locs[0]));
    // Fewer stops than sites there: a stop hands over the orders of several of them (the
    // bread may come at an early stop, the rest at another, and a trip may not hold all).
    let (stops, _) = visits(&r.problem, &r.solution, locs[0]);
    assert!(
        (1..=block.len()).contains(&stops),
        "{stops} stops for {} sites",
        block.len()
    );
    let mut shared_stop = false;
    for route in &r.solution.routes {
        let mut run: Vec<usize> = Vec::new();
        let at = |v: &tournee::model::Visit| {
            r.problem.jobs[v.job.ix()].stops[v.stop as usize]
                .location
                .ix()
        };
        for (k, v) in route.visits.iter().enumerate() {
            if at(v) == locs[0] {
                run.push(r.orders[v.job.ix()].site);
            }
            let ends = route.visits.get(k + 1).is_none_or(|n| at(n) != locs[0]);
            if at(v) == locs[0] && ends {
                run.sort_unstable();
                run.dedup();
                shared_stop |= run.len() >= 2;
                run.clear();
            }
        }
    }
    assert!(shared_stop, "no stop hands over the orders of two sites");
}
