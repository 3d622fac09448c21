//! Fixtures shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use tournee::model::{Dist, Job, Load, LocIdx, Problem, SquareMatrix, Stop, Time};
use tournee::osm::{OsmExtract, OsmWay, Tags};

/// A file of the crate's `data/` folder.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// A hand-made village, about 800 m a side, near lon 2.00, lat 45.00:
///
/// ```text
///   6 ==<== 4 ------- 3 -- (private) -- 5        7 --- 8   (an island, unconnected)
///           |         |
///           1 ==>==== 2
/// ```
/// - way 10: 1 -> 2, one-way (`oneway=yes`), residential, 786 m;
/// - way 11: 2 - 3 - 4 - 1, two-way residential, 1112 + 786 + 1112 m;
/// - way 12: 3 - 5, `access=private`: not for vans;
/// - way 13: 4 - 6 tagged `oneway=-1`: only 6 -> 4 may be driven, so 6 cannot be reached and is dropped;
/// - way 14: 7 - 8, an island with no road to the rest.
/// - way 15: 1 - 4 `highway=footway`: walkers only.
pub fn village() -> OsmExtract {
    let nodes = [
        (1, 2.000, 45.000),
        (2, 2.010, 45.000),
        (3, 2.010, 45.010),
        (4, 2.000, 45.010),
        (5, 2.020, 45.010),
        (6, 1.990, 45.010),
        (7, 2.100, 45.100),
        (8, 2.110, 45.100),
    ];
    let way = |id, nodes: &[i64], tags: &[(&str, &str)]| OsmWay {
        id,
        nodes: nodes.to_vec(),
        tags: Tags::from_pairs(tags),
    };
    OsmExtract::from_parts(
        "village fixture",
        &nodes,
        vec![
            way(
                10,
                &[1, 2],
                &[("highway", "residential"), ("oneway", "yes")],
            ),
            way(11, &[2, 3, 4, 1], &[("highway", "residential")]),
            way(
                12,
                &[3, 5],
                &[("highway", "service"), ("access", "private")],
            ),
            way(13, &[4, 6], &[("highway", "residential"), ("oneway", "-1")]),
            way(14, &[7, 8], &[("highway", "residential")]),
            way(15, &[1, 4], &[("highway", "footway")]),
        ],
    )
}

/// Runs the `tournee` binary.
pub fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// What the command printed on its error stream.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the command failed as user errors do (exit 1, no panic) with `needle` in its
/// message.
pub fn refused(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    assert!(stderr(o).contains(needle), "{}", stderr(o));
    no_panic(o);
}

/// Asserts that nothing panicked (no panic message, no internal error).
pub fn no_panic(o: &Output) {
    let e = stderr(o);
    assert!(
        !e.contains("panicked") && !e.contains("internal error"),
        "{e}"
    );
}

/// The small extract of the tests: Sant Julià de Lòria, 370 dwellings (see data/SOURCES.md).
pub fn small() -> String {
    data("sant-julia-de-loria.osm.pbf").display().to_string()
}

/// A problem on points of the plane: integer Euclidean (rounded) times and distances.
pub fn plane(points: &[(f64, f64)]) -> Problem {
    let n = points.len();
    let d = |i: usize, j: usize| {
        let (a, b) = (points[i], points[j]);
        ((a.0 - b.0).hypot(a.1 - b.1)).round() as i64
    };
    Problem::new(
        "plane",
        SquareMatrix::from_fn(n, |i, j| Time(d(i, j))),
        SquareMatrix::from_fn(n, |i, j| Dist(d(i, j))),
    )
}

/// Deliveries `c{i}` of `amount()` litres to the locations `to` of `p` (no service time).
pub fn deliveries(p: &mut Problem, to: std::ops::Range<usize>, mut amount: impl FnMut() -> i64) {
    for i in to {
        p.jobs.push(Job::delivery(
            format!("c{i}"),
            Stop::at(i, 0),
            Load::single(amount()),
        ));
    }
}

/// A pseudo-random stream for tests (a 64-bit LCG from `seed`): `next(m)` draws from `0..m`.
pub fn lcg(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x = seed;
    move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    }
}

/// A tiny random CVRP without vehicles: 7 points of a 100 x 100 square drawn from `next`
/// (location 0 the depot), six deliveries of 1 to 4; and its points.
pub fn tiny_cvrp(next: &mut impl FnMut(u64) -> u64) -> (Problem, Vec<(f64, f64)>) {
    let pts: Vec<(f64, f64)> = (0..7)
        .map(|_| (next(100) as f64, next(100) as f64))
        .collect();
    let mut p = plane(&pts);
    deliveries(&mut p, 1..7, || 1 + next(4) as i64);
    (p, pts)
}

/// The optimal cost of a tiny CVRP (deliveries from location 0, one capacity for all, at most
/// as many routes as vehicles), by enumerating every order and every way to cut it in routes.
pub fn brute_force_cvrp(p: &Problem) -> i64 {
    let n = p.jobs.len();
    let cap = p.vehicles[0].capacity;
    let mut best = i64::MAX;
    // Enumerate permutations and split greedily at every possible breakpoint set.
    let mut perm: Vec<usize> = (0..n).collect();
    fn permute(k: usize, perm: &mut Vec<usize>, f: &mut dyn FnMut(&[usize])) {
        if k == perm.len() {
            f(perm);
            return;
        }
        for i in k..perm.len() {
            perm.swap(k, i);
            permute(k + 1, perm, f);
            perm.swap(k, i);
        }
    }
    let d = |a: usize, b: usize| p.distances.get(LocIdx(a as u32), LocIdx(b as u32)).0;
    let loc = |j: usize| p.jobs[j].stops[0].location.ix();
    permute(0, &mut perm, &mut |order| {
        for mask in 0..(1u32 << (n - 1)) {
            // Bit k set: a new route starts after position k.
            let mut cost = 0;
            let mut load = Load::ZERO;
            let mut at = 0;
            let mut ok = true;
            let mut routes = 1;
            for (k, &j) in order.iter().enumerate() {
                cost += d(at, loc(j));
                load += p.jobs[j].amount;
                at = loc(j);
                if k + 1 < n && mask & (1 << k) != 0 {
                    cost += d(at, 0);
                    at = 0;
                    ok &= load.fits(&cap);
                    load = Load::ZERO;
                    routes += 1;
                }
            }
            cost += d(at, 0);
            ok &= load.fits(&cap) && routes <= p.vehicles.len();
            if ok {
                best = best.min(cost);
            }
        }
    });
    best
}
