//! Road graph, snapping and matrices on hand-made fixtures and on the real extracts.

mod common;

use common::{data, village};
use geo::{Distance, Haversine, Point};
use tournee::graph::build::{build_with, BuildError, BuildOptions};
use tournee::graph::{self, MatrixBuilder, SnapError};
use tournee::osm::{self, OsmExtract, Profile};

#[test]
fn one_way_streets_are_driven_one_way_only() {
    let (g, report) = graph::build(&village(), Profile::Car).unwrap();
    // Nodes 1-4 are kept; 5 (private), 6 (unreachable one-way) and the island 7-8 are not.
    assert_eq!(g.num_nodes(), 4, "{report:?}");
    let ids: Vec<i64> = (0..4).map(|v| g.osm_id(v)).collect();
    assert!(!ids.contains(&6) && !ids.contains(&5) && !ids.contains(&7));
    assert_eq!(report.dropped_nodes, 3);
    let m = MatrixBuilder::new(&g).build(&[(2.000, 45.000), (2.010, 45.000)]);
    let there = m.distance(0, 1).unwrap().get();
    let back = m.distance(1, 0).unwrap().get();
    assert!(
        (780..=792).contains(&there),
        "1 -> 2 takes the one-way street: {there} m"
    );
    assert!(
        (2990..=3030).contains(&back),
        "2 -> 1 goes round the block: {back} m"
    );
    assert!(m.duration(0, 1).unwrap() < m.duration(1, 0).unwrap());
}

#[test]
fn walkers_ignore_one_ways_and_use_footways() {
    let (g, _) = graph::build(&village(), Profile::Foot).unwrap();
    let m = MatrixBuilder::new(&g).build(&[(2.010, 45.000), (2.000, 45.000), (2.000, 45.010)]);
    assert!(
        m.distance(0, 1).unwrap().get() < 800,
        "against the one-way on foot"
    );
    // 1 -> 4 by the footway (1112 m); at 4.5 km/h that is about 890 s.
    let secs = m.duration(1, 2).unwrap().get();
    assert!((880..=900).contains(&secs), "{secs} s");
}

#[test]
fn private_roads_are_not_for_vans() {
    let (g, _) = graph::build(&village(), Profile::Car).unwrap();
    assert!(g.segments().iter().all(|s| s.way != 12));
}

#[test]
fn a_point_snaps_onto_the_interior_of_a_segment() {
    let (g, _) = graph::build(&village(), Profile::Car).unwrap();
    let snapper = graph::Snapper::new(&g);
    // 55 m south of the middle of the one-way street 1 -> 2.
    let s = snapper.snap(2.005, 44.9995).unwrap();
    assert_eq!(g.segments()[s.segment as usize].way, 10);
    assert!((s.t - 0.5).abs() < 0.01, "t = {}", s.t);
    assert!((s.distance_m - 55.6).abs() < 1.0, "{} m", s.distance_m);
    assert!((s.lon - 2.005).abs() < 1e-6 && (s.lat - 45.0).abs() < 1e-6);
    // From that point, half the one-way street to node 2.
    let m = MatrixBuilder::new(&g).build(&[(2.005, 44.9995), (2.010, 45.000)]);
    let d = m.distance(0, 1).unwrap().get();
    assert!((390..=396).contains(&d), "{d} m");
}

#[test]
fn two_points_on_one_segment_follow_its_direction() {
    let (g, _) = graph::build(&village(), Profile::Car).unwrap();
    let m = MatrixBuilder::new(&g).build(&[(2.002, 45.0), (2.006, 45.0)]);
    let ahead = m.distance(0, 1).unwrap().get();
    assert!(
        (310..=320).contains(&ahead),
        "straight along the one-way: {ahead} m"
    );
    let behind = m.distance(1, 0).unwrap().get();
    assert!(behind > 3000, "round the block: {behind} m");
    assert_eq!(m.distance(0, 0).unwrap().get(), 0);
}

#[test]
fn points_too_far_or_outside_are_refused_and_their_rows_are_null() {
    let (g, _) = graph::build(&village(), Profile::Car).unwrap();
    let b = MatrixBuilder::new(&g).with_max_snap(300.0);
    let m = b.build(&[(2.000, 45.000), (2.020, 45.010), (5.0, 48.0)]);
    assert!(
        matches!(m.snaps[1], Err(SnapError::TooFar { .. })),
        "{:?}",
        m.snaps[1]
    );
    assert!(
        matches!(m.snaps[2], Err(SnapError::OutsideExtract { .. })),
        "{:?}",
        m.snaps[2]
    );
    for i in 0..3 {
        for j in 1..3 {
            assert_eq!(m.duration(i, j), None);
            assert_eq!(m.distance(j, i), None);
        }
    }
    assert_eq!(m.duration(0, 0).map(|s| s.get()), Some(0));
    let message = m.snaps[1].as_ref().unwrap_err().to_string();
    assert!(message.contains("--max-snap"), "{message}");
}

#[test]
fn an_unreachable_point_has_a_null_row() {
    let opts = BuildOptions {
        keep_all_components: true,
        ..Default::default()
    };
    let (g, _) = build_with(&village(), Profile::Car, opts).unwrap();
    let m = MatrixBuilder::new(&g).build(&[(2.000, 45.000), (2.105, 45.100)]);
    assert!(m.snaps.iter().all(|s| s.is_ok()));
    assert_eq!(m.duration(0, 1), None);
    assert_eq!(m.distance(1, 0), None);
    assert!(m.duration(1, 1).is_some());
    let dijkstra = MatrixBuilder::new(&g).build_with_dijkstra(&[(2.000, 45.000), (2.105, 45.100)]);
    assert_eq!(dijkstra.duration(0, 1), None);
}

#[test]
fn an_extract_without_roads_is_an_error_that_says_so() {
    let empty = OsmExtract::from_parts("empty.osm.pbf", &[(1, 2.0, 45.0)], vec![]);
    let err = graph::build(&empty, Profile::Car).unwrap_err();
    assert!(matches!(err, BuildError::NoRoads { .. }));
    assert!(err.to_string().contains("empty.osm.pbf"));
}

/// Deterministic pseudo-random points within the bounding box of a graph's nodes.
fn sample_points(g: &graph::RoadGraph, n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    // Pick existing nodes and jitter them by up to ~50 m, so that points land near roads.
    (0..n)
        .map(|_| {
            let v = (next() * g.num_nodes() as f64) as u32;
            let c = g.coord(v.min(g.num_nodes() as u32 - 1));
            (c.x + (next() - 0.5) * 0.001, c.y + (next() - 0.5) * 0.001)
        })
        .collect()
}

#[test]
fn contraction_hierarchy_equals_dijkstra_on_the_real_extract() {
    let extract = osm::read_pbf(&data("andorra-2021-10-28.osm.pbf")).unwrap();
    for profile in [Profile::Car, Profile::Foot] {
        let (g, _) = graph::build(&extract, profile).unwrap();
        let points = sample_points(&g, 60, 7);
        let b = MatrixBuilder::new(&g);
        let fast = b.build(&points);
        let slow = b.build_with_dijkstra(&points);
        for i in 0..points.len() {
            for j in 0..points.len() {
                assert_eq!(
                    fast.weight(i, j),
                    slow.weight(i, j),
                    "{profile:?} {i} -> {j}"
                );
            }
        }
    }
}

#[test]
fn a_rectangular_matrix_equals_the_square_one_it_is_cut_from() {
    let extract = osm::read_pbf(&data("sant-julia-de-loria.osm.pbf")).unwrap();
    let (g, _) = graph::build(&extract, Profile::Foot).unwrap();
    let mut points = sample_points(&g, 50, 3);
    // Two points on one segment, a point far off every road.
    points.push(points[0]);
    points.push((points[1].0 + 0.00001, points[1].1));
    points.push((1.0, 42.0));
    let (from, to) = points.split_at(30);
    let square = MatrixBuilder::new(&g).build(&points);
    let net = graph::Network::new(g);
    let rect = net.rectangle(from, to);
    assert_eq!((rect.rows(), rect.cols()), (from.len(), to.len()));
    for i in 0..from.len() {
        for j in 0..to.len() {
            assert_eq!(rect.weight(i, j), square.weight(i, 30 + j), "{i} -> {j}");
        }
    }
    assert!(rect.to_snaps.last().unwrap().is_err());
}

#[test]
fn road_distance_is_never_shorter_than_the_straight_line() {
    let extract = osm::read_pbf(&data("saint_barthelemy.osm.pbf")).unwrap();
    let (g, _) = graph::build(&extract, Profile::Car).unwrap();
    let points = sample_points(&g, 80, 11);
    let m = MatrixBuilder::new(&g).build(&points);
    let mut checked = 0;
    for i in 0..points.len() {
        for j in 0..points.len() {
            let (Ok(a), Ok(b), Some(d)) = (&m.snaps[i], &m.snaps[j], m.distance(i, j)) else {
                continue;
            };
            let straight = Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat));
            assert!(
                d.get() as f64 + 1.0 >= straight,
                "{i} -> {j}: road {} m < straight {straight:.0} m",
                d.get()
            );
            checked += 1;
        }
    }
    assert!(checked > 1000);
}

#[test]
fn real_extracts_give_plausible_graphs_and_places() {
    let extract = osm::read_pbf(&data("andorra-2021-10-28.osm.pbf")).unwrap();
    let (g, report) = graph::build(&extract, Profile::Car).unwrap();
    // Independent figures (roads.md): 26,717 drivable nodes, largest SCC 26,522.
    assert!((24_000..29_000).contains(&report.total_nodes), "{report:?}");
    assert!(
        report.kept_nodes * 100 > report.total_nodes * 95,
        "{report:?}"
    );
    assert_eq!(g.num_nodes(), report.kept_nodes);
    let f = &extract.features;
    assert!(
        f.households.len() > 1000,
        "{} households",
        f.households.len()
    );
    assert!(f.candidates.iter().any(|p| p.kind == "amenity=townhall"));
    assert!(!f.post_offices.is_empty());
    assert!(f.households.iter().all(|h| h.foyers >= 1));
}
