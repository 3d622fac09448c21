//! Conciergerie siting: the solver against brute force on tiny instances, bounds below optima,
//! every answer through the independent checker, bad input, the command line.

mod common;

use common::{data, tournee};
use proptest::prelude::*;
use std::process::Output;
use tournee::sites::{self, bound, check::check, exact, Candidate, Distances, SitesParams, Siting};

/// A tiny instance: points on a grid with demands, every point a candidate.
fn tiny(xy: &[(i32, i32)], demand: &[i64], cap: i64, min: i64, p: usize, floor: bool) -> Siting {
    let pts: Vec<[f64; 2]> = xy.iter().map(|&(x, y)| [x as f64, y as f64]).collect();
    Siting {
        point_xy: pts.clone(),
        demand: demand.to_vec(),
        weight: demand.iter().map(|&q| q as f64).collect(),
        candidate_xy: pts,
        candidates: (0..xy.len())
            .map(|i| Candidate {
                min,
                max: cap,
                fixed_cost: 0.0,
                point: Some(i),
                fixed: false,
            })
            .collect(),
        p,
        distances: Distances::Euclid { floor },
    }
}

/// The optimum by enumeration: every set of p sites, every assignment.
fn brute_force(pb: &Siting) -> Option<f64> {
    let n = pb.n();
    let m = pb.m();
    let mut best: Option<f64> = None;
    let mut sets = Vec::new();
    let mut cur = Vec::new();
    fn choose(start: usize, m: usize, p: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == p {
            out.push(cur.clone());
            return;
        }
        for j in start..m {
            cur.push(j);
            choose(j + 1, m, p, cur, out);
            cur.pop();
        }
    }
    choose(0, m, pb.p, &mut cur, &mut sets);
    // A set without every fixed candidate is not a siting.
    sets.retain(|set| (0..m).all(|j| !pb.candidates[j].fixed || set.contains(&j)));
    for set in sets {
        let p = set.len();
        let total = p.pow(n as u32);
        for code in 0..total {
            let mut c = code;
            let mut load = vec![0i64; p];
            let mut cost = 0.0;
            for i in 0..n {
                let s = c % p;
                c /= p;
                load[s] += pb.demand[i];
                cost += pb.cost(i, set[s]);
            }
            let ok = (0..p).all(|s| {
                load[s] <= pb.candidates[set[s]].max && load[s] >= pb.candidates[set[s]].min
            });
            if ok && best.is_none_or(|b| cost < b) {
                best = Some(cost);
            }
        }
    }
    best
}

fn instance() -> impl Strategy<Value = Siting> {
    (5usize..=7, 2usize..=3, any::<bool>()).prop_flat_map(|(n, p, floor)| {
        (
            prop::collection::vec((0i32..20, 0i32..20), n),
            prop::collection::vec(1i64..=4, n),
            0i64..=2,
        )
            .prop_map(move |(xy, demand, min)| {
                let total: i64 = demand.iter().sum();
                // Room for all, a little tight.
                let cap = (total + p as i64 - 1) / p as i64 + 2;
                tiny(&xy, &demand, cap, min, p, floor)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The MIP (good_lp) finds the brute-force optimum; the heuristic is checked and never
    /// below it; both bounds stay below it.
    #[test]
    fn exact_and_heuristic_agree_with_brute_force(pb in instance()) {
        let Some(opt) = brute_force(&pb) else { return Ok(()) };
        let all: Vec<usize> = (0..pb.n()).collect();
        let (open, slot) = exact::solve_region(&pb, &all, &all, pb.p).expect("feasible");
        let mip: f64 = (0..pb.n()).map(|i| pb.cost(i, open[slot[i]])).sum();
        prop_assert!((mip - opt).abs() < 1e-6, "MIP {} vs brute force {}", mip, opt);

        let r = sites::solve(&pb, &SitesParams { kicks: 30, ..SitesParams::default() }).unwrap();
        let report = check(&pb, &r.sites).expect("the heuristic's answer passes the checker");
        prop_assert!(report.unassigned.is_empty());
        prop_assert!(r.sites.cost >= opt - 1e-6);
        let b = r.bound.expect("a bound");
        prop_assert!(b.value <= opt + 1e-6, "bound {} above optimum {}", b.value, opt);
        if let Some(lp) = exact::lp_bound(&pb) {
            prop_assert!(lp <= opt + 1e-6, "LP {} above optimum {}", lp, opt);
        }
        let start: Vec<f64> = vec![0.0; pb.n()];
        let lag = bound::lagrangian(&pb, &start, r.sites.cost, 200, None, &mut |_| None);
        prop_assert!(lag <= opt + 1e-6, "Lagrangian {} above optimum {}", lag, opt);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(30))]

    /// With one candidate fixed (a planner's decision), the MIP and the search find the
    /// brute-force optimum among the sitings that open it, and the checker refuses a siting
    /// that closes it.
    #[test]
    fn a_fixed_candidate_always_opens(mut pb in instance(), pick in 0usize..100) {
        let j = pick % pb.m();
        pb.candidates[j].fixed = true;
        let Some(opt) = brute_force(&pb) else { return Ok(()) };
        let all: Vec<usize> = (0..pb.n()).collect();
        let (open, slot) = exact::solve_region(&pb, &all, &all, pb.p).expect("feasible");
        prop_assert!(open.contains(&j));
        let mip: f64 = (0..pb.n()).map(|i| pb.cost(i, open[slot[i]])).sum();
        prop_assert!((mip - opt).abs() < 1e-6, "MIP {} vs brute force {}", mip, opt);
        let r = sites::solve(&pb, &SitesParams { kicks: 30, ..SitesParams::default() }).unwrap();
        check(&pb, &r.sites).expect("the heuristic's answer passes the checker");
        prop_assert!(r.sites.open.contains(&j), "fixed {} closed: {:?}", j, r.sites.open);
        prop_assert!(r.sites.cost >= opt - 1e-6);
        let b = r.bound.expect("a bound");
        prop_assert!(b.value <= opt + 1e-6, "bound {} above optimum {}", b.value, opt);
        // The same siting with the fixed candidate closed is refused.
        let mut closed = r.sites.clone();
        if let Some(k) = (0..pb.m()).find(|k| !closed.open.contains(k)) {
            let at = closed.open.iter().position(|&o| o == j).unwrap();
            closed.open[at] = k;
            closed.open.sort_unstable();
            for a in closed.assign.iter_mut() {
                if *a == Some(j) {
                    *a = Some(k);
                }
            }
            let e = check(&pb, &closed).unwrap_err();
            prop_assert!(e.iter().any(|v| v.to_string().contains("must open")), "{:?}", e);
        }
    }
}

#[test]
fn the_heuristic_finds_the_optimum_on_small_cases() {
    // Two clear clusters, capacity forcing one point across.
    let pb = tiny(
        &[(0, 0), (1, 0), (2, 0), (0, 1), (10, 0), (11, 0), (12, 0)],
        &[1; 7],
        4,
        0,
        2,
        false,
    );
    let r = sites::solve(&pb, &SitesParams::default()).unwrap();
    check(&pb, &r.sites).unwrap();
    assert_eq!(Some(r.sites.cost), brute_force(&pb));
}

/// Solves SJC1 (when the shared data is there) twice with `params` and checks that both give
/// the same siting, one the checker accepts; returns both runs' kicks.
fn sjc1_twice_alike(params: &SitesParams) -> Option<(usize, usize)> {
    let path = data("../../shared/data/benchmarks/clustering/lorena_senne_sjc/SJC1.dat");
    if !path.exists() {
        return None;
    }
    let pb = tournee::io::pmedcap::read(&path, tournee::io::pmedcap::Rounding::None).unwrap();
    let a = sites::solve(&pb, params).unwrap();
    let b = sites::solve(&pb, params).unwrap();
    assert_eq!(a.sites, b.sites);
    check(&pb, &a.sites).unwrap();
    Some((a.stats.kicks, b.stats.kicks))
}

#[test]
fn same_seed_same_siting() {
    sjc1_twice_alike(&SitesParams {
        kicks: 5,
        seed: 7,
        ..SitesParams::default()
    });
}

#[test]
fn two_threads_sharing_their_best_stay_deterministic_and_checked() {
    let pb = tiny(
        &[(0, 0), (1, 0), (2, 0), (0, 1), (10, 0), (11, 0), (12, 0)],
        &[1; 7],
        4,
        0,
        2,
        false,
    );
    let two = SitesParams {
        threads: 2,
        ..SitesParams::default()
    };
    let r = sites::solve(&pb, &two).unwrap();
    check(&pb, &r.sites).unwrap();
    assert_eq!(Some(r.sites.cost), brute_force(&pb));
    let kicks = sjc1_twice_alike(&SitesParams {
        kicks: 8,
        seed: 7,
        threads: 2,
        ..SitesParams::default()
    });
    if let Some((a, b)) = kicks {
        assert_eq!(a, b);
    }
}

#[test]
fn bounds_that_cannot_be_met_state_the_feasible_range() {
    let mut pb = tiny(
        &[(0, 0), (1, 0), (2, 0), (3, 0)],
        &[30, 30, 30, 30],
        60,
        40,
        1,
        false,
    );
    let e = sites::solve(&pb, &SitesParams::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("between 2 and 3"), "{e}");
    pb.p = 4;
    let e = sites::solve(&pb, &SitesParams::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("between 2 and 3"), "{e}");
    pb.demand = vec![-1, 30, 30, 30];
    pb.p = 2;
    let e = sites::solve(&pb, &SitesParams::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("negative"), "{e}");
}

#[test]
fn the_checker_catches_broken_sitings() {
    let pb = tiny(&[(0, 0), (1, 0), (5, 0), (6, 0)], &[1; 4], 2, 1, 2, false);
    let good = sites::Sites {
        open: vec![0, 2],
        assign: vec![Some(0), Some(0), Some(2), Some(2)],
        cost: 2.0,
    };
    check(&pb, &good).unwrap();
    let over = sites::Sites {
        assign: vec![Some(0), Some(0), Some(0), Some(2)],
        cost: 6.0,
        ..good.clone()
    };
    assert!(check(&pb, &over)
        .unwrap_err()
        .iter()
        .any(|v| v.to_string().contains("more than its maximum")));
    let closed = sites::Sites {
        assign: vec![Some(0), Some(1), Some(2), Some(2)],
        cost: 1.0,
        ..good.clone()
    };
    assert!(check(&pb, &closed)
        .unwrap_err()
        .iter()
        .any(|v| v.to_string().contains("not open")));
    let wrong_cost = sites::Sites {
        cost: 1.0,
        ..good.clone()
    };
    assert!(check(&pb, &wrong_cost).is_err());
    let count = sites::Sites {
        open: vec![0],
        ..good
    };
    assert!(check(&pb, &count).is_err());
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn cli_solves_a_literature_instance_and_writes_a_checkable_assignment() {
    let path =
        data("../../shared/data/benchmarks/clustering/osman_christofides_pmedcap1/cpmp01.txt");
    if !path.exists() {
        eprintln!("benchmarks absent: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("assign.csv");
    let o = tournee(&[
        "sites",
        "--instance",
        path.to_str().unwrap(),
        "--kicks",
        "50",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("lower bound"), "{}", text(&o));
    // Re-check the file on its own: p medians, capacities, the printed cost.
    let pb = tournee::io::pmedcap::read(&path, tournee::io::pmedcap::Rounding::Floor).unwrap();
    let csv = std::fs::read_to_string(&out).unwrap();
    let assign: Vec<usize> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(assign.len(), pb.n());
    let mut open: Vec<usize> = assign.clone();
    open.sort_unstable();
    open.dedup();
    assert_eq!(open.len(), pb.p);
    let cost: f64 = (0..pb.n()).map(|i| pb.cost(i, assign[i])).sum();
    for &j in &open {
        let load: i64 = (0..pb.n())
            .filter(|&i| assign[i] == j)
            .map(|i| pb.demand[i])
            .sum();
        assert!(load <= pb.candidates[j].max);
    }
    assert!(
        text(&o).contains(&format!("cost {cost:.0}")),
        "{}",
        text(&o)
    );
}

#[test]
fn cli_groups_the_households_of_an_extract() {
    let dir = tempfile::tempdir().unwrap();
    let o = tournee(&[
        "sites",
        "--osm",
        data("andorra-2021-10-28.osm.pbf").to_str().unwrap(),
        "--kicks",
        "3",
        "--no-bound",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(matches!(o.status.code(), Some(0) | Some(3)), "{}", text(&o));
    assert!(text(&o).contains("Foyers per site"), "{}", text(&o));
    for f in [
        "assignment.csv",
        "sites.csv",
        "sites.geojson",
        "summary.txt",
    ] {
        assert!(dir.path().join(f).exists(), "{f} missing");
    }
    let geo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sites.geojson")).unwrap()).unwrap();
    assert!(geo["features"].as_array().unwrap().len() > 3);
    // Every household of the CSV is there, with a site within the bounds.
    let mut rd = csv::Reader::from_path(dir.path().join("sites.csv")).unwrap();
    let h = rd.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (col, kind) = (col("foyers"), col("kind"));
    for rec in rd.records() {
        let line = rec.unwrap();
        let foyers: i64 = line[col].parse().unwrap();
        // A regular site within the bounds; hamlet sites and home deliveries, for households
        // no site of 40 foyers serves within a walk, smaller.
        match &line[kind] {
            "site" => assert!((40..=60).contains(&foyers), "{line:?}"),
            "hamlet" | "home" => assert!((1..=60).contains(&foyers), "{line:?}"),
            k => panic!("kind {k}: {line:?}"),
        }
    }
}

#[test]
fn cli_refuses_impossible_bounds_with_the_range() {
    let o = tournee(&[
        "sites",
        "--osm",
        data("andorra-2021-10-28.osm.pbf").to_str().unwrap(),
        "--sites",
        "1",
        "--distance",
        "straight",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("must be between"), "{}", text(&o));
    assert!(!text(&o).contains("panicked"));
}

#[test]
fn cli_names_a_bad_households_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("foyers.csv");
    std::fs::write(
        &csv,
        "id,lon,lat,foyers\na,-62.85,17.9,2\na,-62.84,17.9,1\n",
    )
    .unwrap();
    let o = tournee(&[
        "sites",
        "--osm",
        data("andorra-2021-10-28.osm.pbf").to_str().unwrap(),
        "--households",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("line 3"), "{}", text(&o));
}

/// Regression: with public places as the only candidates, neighbouring regions share
/// candidates; a region must not open a place already open elsewhere (the checker refused
/// the answer). Also: without a time limit, two runs give the same files (the Lagrangian
/// heuristic used to be rationed by the clock).
#[test]
fn cli_places_only_is_valid_and_repeatable() {
    let run = |dir: &std::path::Path| {
        let o = tournee(&[
            "sites",
            "--osm",
            data("andorra-2021-10-28.osm.pbf").to_str().unwrap(),
            "--candidates-from",
            "places",
            "--kicks",
            "1",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(matches!(o.status.code(), Some(0) | Some(3)), "{}", text(&o));
        std::fs::read_to_string(dir.join("assignment.csv")).unwrap()
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert_eq!(run(a.path()), run(b.path()));
}
