//! Contraction hierarchies against the Dijkstra oracle: random small graphs with every awkward
//! feature (parallel arcs, self loops, zero weights, one-ways, disconnected parts), multi-seed
//! sources and targets with offsets, determinism, and a synthetic road graph.

use proptest::prelude::*;
use tournee::graph::{dijkstra, synth, Arc, ContractionHierarchy, NodeIdx, Weight};

type Seeds = Vec<(NodeIdx, Weight)>;

/// Weights that stress ties: many zeros, many equal small values, and packed time/length pairs.
fn weight() -> impl Strategy<Value = Weight> {
    prop_oneof![
        2 => Just(Weight::ZERO),
        4 => (1u64..8).prop_map(Weight),
        3 => (0u64..1000, 0u64..1000).prop_map(|(t, l)| Weight((t << 32) | l)),
    ]
}

/// A random graph on `1..60` nodes with up to four arcs per node (any pair, loops included).
fn graph() -> impl Strategy<Value = (usize, Vec<Arc>)> {
    (1usize..60).prop_flat_map(|n| {
        let arc = (0..n as NodeIdx, 0..n as NodeIdx, weight()).prop_map(|(from, to, weight)| Arc {
            from,
            to,
            weight,
        });
        (Just(n), prop::collection::vec(arc, 0..4 * n))
    })
}

/// Up to `max` seed sets of up to three seeds each, offsets included.
fn seed_sets(n: usize, max: usize) -> impl Strategy<Value = Vec<Seeds>> {
    let seed = (
        0..n as NodeIdx,
        prop_oneof![3 => Just(Weight::ZERO), 2 => weight()],
    );
    prop::collection::vec(prop::collection::vec(seed, 0..4), 0..max)
}

fn graph_and_seeds() -> impl Strategy<Value = (usize, Vec<Arc>, Vec<Seeds>, Vec<Seeds>)> {
    graph().prop_flat_map(|(n, arcs)| (Just(n), Just(arcs), seed_sets(n, 6), seed_sets(n, 6)))
}

fn single(n: usize) -> Vec<Seeds> {
    (0..n as NodeIdx).map(|v| vec![(v, Weight::ZERO)]).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn many_to_many_equals_dijkstra_for_all_pairs((n, arcs) in graph()) {
        let ch = ContractionHierarchy::from_arcs(n, &arcs);
        let all = single(n);
        prop_assert_eq!(ch.many_to_many(&all, &all), dijkstra::many_to_many_arcs(n, &arcs, &all, &all));
    }

    #[test]
    fn query_equals_dijkstra_for_all_pairs((n, arcs) in graph()) {
        let ch = ContractionHierarchy::from_arcs(n, &arcs);
        for s in 0..n as NodeIdx {
            let d = dijkstra::one_to_all_arcs(n, &arcs, &[(s, Weight::ZERO)]);
            for t in 0..n as NodeIdx {
                prop_assert_eq!(ch.query(&[(s, Weight::ZERO)], &[(t, Weight::ZERO)]), d[t as usize], "{} -> {}", s, t);
            }
        }
    }

    #[test]
    fn seeds_with_offsets_equal_dijkstra((n, arcs, sources, targets) in graph_and_seeds()) {
        let ch = ContractionHierarchy::from_arcs(n, &arcs);
        let expected = dijkstra::many_to_many_arcs(n, &arcs, &sources, &targets);
        prop_assert_eq!(&ch.many_to_many(&sources, &targets), &expected);
        for (i, s) in sources.iter().enumerate() {
            for (j, t) in targets.iter().enumerate() {
                prop_assert_eq!(ch.query(s, t), expected[i * targets.len() + j]);
            }
        }
    }
}

#[test]
fn empty_inputs() {
    let ch = ContractionHierarchy::from_arcs(0, &[]);
    assert_eq!(ch.num_nodes(), 0);
    assert!(ch.many_to_many(&[], &[]).is_empty());
    assert_eq!(ch.query(&[], &[]), Weight::INFINITY);
    let ch = ContractionHierarchy::from_arcs(3, &[]);
    assert_eq!(ch.many_to_many(&single(3), &[]), vec![]);
    assert_eq!(
        ch.many_to_many(&[vec![]], &single(1)),
        vec![Weight::INFINITY]
    );
    assert_eq!(ch.query(&[(1, Weight(4))], &[(1, Weight(3))]), Weight(7));
}

/// Builds on pools of one and three threads give the same hierarchy, and matrices computed on
/// pools of one and two threads are identical.
#[test]
fn deterministic_across_builds_and_thread_counts() {
    let g = synth::road_like(5_000, 3);
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    };
    let a = pool(1).install(|| ContractionHierarchy::new(&g));
    let b = pool(3).install(|| ContractionHierarchy::new(&g));
    assert_eq!(a.num_shortcuts(), b.num_shortcuts());
    assert_eq!(a.memory_bytes(), b.memory_bytes());
    let points: Vec<Seeds> = (0..120)
        .map(|i| {
            vec![
                (i * 41 % 5_000, Weight(i as u64)),
                (i * 97 % 5_000, Weight(7)),
            ]
        })
        .collect();
    let one = pool(1).install(|| a.many_to_many(&points, &points));
    let two = pool(2).install(|| a.many_to_many(&points, &points));
    assert_eq!(one, two);
    assert_eq!(one, b.many_to_many(&points, &points));
}

/// 200 random pairs of a 20,000-node synthetic road graph, and a 20 x 30 matrix.
#[test]
fn synthetic_road_graph_equals_dijkstra() {
    let n = 20_000;
    let g = synth::road_like(n, 11);
    let ch = ContractionHierarchy::new(&g);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as NodeIdx
    };
    let sources: Vec<NodeIdx> = (0..20).map(|_| next()).collect();
    let targets: Vec<NodeIdx> = (0..30).map(|_| next()).collect();
    let wrap = |v: &[NodeIdx]| {
        v.iter()
            .map(|&v| vec![(v, Weight::ZERO)])
            .collect::<Vec<_>>()
    };
    let m = ch.many_to_many(&wrap(&sources), &wrap(&targets));
    for (i, &s) in sources.iter().enumerate() {
        let d = dijkstra::one_to_all(&g, &[(s, Weight::ZERO)]);
        for (j, &t) in targets.iter().enumerate() {
            assert!(d[t as usize].is_finite(), "strongly connected");
            assert_eq!(m[i * targets.len() + j], d[t as usize]);
            if j < 10 {
                assert_eq!(
                    ch.query(&[(s, Weight::ZERO)], &[(t, Weight::ZERO)]),
                    d[t as usize]
                );
            }
        }
    }
}
