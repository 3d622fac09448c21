//! Road-graph benchmarks: contraction hierarchies on the Andorra extract and on a synthetic
//! 1,000,000-node road graph.
//!
//! `cargo bench --bench roads` takes about three minutes on two cores. Groups:
//! - `ch_preprocess`: contraction of the Andorra car graph;
//! - `matrix_2000`: a 2,000 x 2,000 matrix by bucket many-to-many, and 20 rows of it by Dijkstra
//!   (2,000 Dijkstra rows would take minutes);
//! - `scaling_1m`: contraction and a 1,000 x 1,000 matrix on `synth::road_like(1_000_000, 1)`.
//!
//! Node samples are spread over the graph by a fixed multiplicative hash: no clock, no seed.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
use tournee::graph::{self, dijkstra, synth, ContractionHierarchy, NodeIdx, RoadGraph, Weight};
use tournee::osm::{self, Profile};

const ANDORRA: &str = "data/andorra-2021-10-28.osm.pbf";

fn andorra() -> RoadGraph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ANDORRA);
    let extract =
        osm::read_pbf(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (roads, _) =
        graph::build(&extract, Profile::Car).expect("the Andorra extract has car roads");
    roads
}

/// `k` nodes spread over `0..n` (Knuth's multiplicative hash), each as a single seed.
fn sample(n: usize, k: usize) -> Vec<Vec<(NodeIdx, Weight)>> {
    (0..k as u64)
        .map(|i| vec![((i * 2_654_435_761 % n as u64) as NodeIdx, Weight::ZERO)])
        .collect()
}

fn andorra_benches(c: &mut Criterion) {
    let roads = andorra();
    eprintln!(
        "andorra: {} nodes, {} arcs",
        roads.num_nodes(),
        roads.num_arcs()
    );

    let mut group = c.benchmark_group("ch_preprocess");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    group.bench_function("andorra", |b| {
        b.iter(|| ContractionHierarchy::new(black_box(&roads)))
    });
    group.finish();

    let ch = ContractionHierarchy::new(&roads);
    eprintln!(
        "andorra CH: {} shortcuts, {} KiB",
        ch.num_shortcuts(),
        ch.memory_bytes() >> 10
    );
    let points = sample(roads.num_nodes(), 2000);
    let mut group = c.benchmark_group("matrix_2000");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    group.bench_function("ch_many_to_many", |b| {
        b.iter(|| ch.many_to_many(black_box(&points), black_box(&points)))
    });
    group.bench_function("dijkstra_20_sources", |b| {
        b.iter(|| {
            points[..20]
                .iter()
                .flat_map(|s| {
                    let dist = dijkstra::one_to_all(&roads, s);
                    points
                        .iter()
                        .map(move |t| dijkstra::to_seeds(&dist, t))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

fn scaling_benches(c: &mut Criterion) {
    let roads = synth::road_like(1_000_000, 1);
    let ch = ContractionHierarchy::new(&roads);
    eprintln!(
        "road_like(1_000_000, 1): {} nodes, {} arcs; CH {} shortcuts, {} MiB",
        roads.num_nodes(),
        roads.num_arcs(),
        ch.num_shortcuts(),
        ch.memory_bytes() >> 20
    );
    let mut group = c.benchmark_group("scaling_1m");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(30));
    group.bench_function("ch_preprocess", |b| {
        b.iter(|| ContractionHierarchy::new(black_box(&roads)))
    });
    let points = sample(roads.num_nodes(), 1000);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("matrix_1000", |b| {
        b.iter(|| ch.many_to_many(black_box(&points), black_box(&points)))
    });
    group.finish();
}

criterion_group!(benches, andorra_benches, scaling_benches);
criterion_main!(benches);
