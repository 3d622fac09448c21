//! Plain Dijkstra with a binary heap: the oracle that every faster method is checked against.
//!
//! Nothing clever on purpose: no bidirectional search, no pruning, no reuse of memory between
//! calls. It is fast enough for a few thousand sources on a regional graph and obviously correct,
//! which is what an oracle needs.

use super::{Arc, NodeIdx, RoadGraph, Weight};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Shortest weights from a set of seeds to every node of `g`.
///
/// # Arguments
/// - `g`: the road graph;
/// - `seeds`: `(node, offset)` pairs; the search starts from every seed at once, each with its
///   initial weight (a point snapped to the interior of a road starts at both ends of its
///   segment, each with the weight of the piece of road in between). Repeated seeds keep their
///   smallest offset; a seed with offset [`Weight::INFINITY`] is ignored.
///
/// # Returns
/// One weight per node: the minimum over seeds `s` of `offset(s) + dist(s, v)`, or
/// [`Weight::INFINITY`] when no seed reaches `v`.
///
/// # Complexity
/// `O((n + m) log m)` time and `O(n + m)` memory for `n` nodes and `m` arcs (lazy deletion: the
/// heap may hold one entry per arc relaxation).
///
/// # Panics
/// If a seed is not a node of `g`.
///
/// # Example
/// ```
/// use tournee::graph::{dijkstra, Arc, Weight};
/// let arcs = [
///     Arc { from: 0, to: 1, weight: Weight(5) },
///     Arc { from: 1, to: 2, weight: Weight(2) },
///     Arc { from: 0, to: 2, weight: Weight(9) },
/// ];
/// let d = dijkstra::one_to_all_arcs(4, &arcs, &[(0, Weight(1))]);
/// assert_eq!(d, vec![Weight(1), Weight(6), Weight(8), Weight::INFINITY]);
/// ```
pub fn one_to_all(g: &RoadGraph, seeds: &[(NodeIdx, Weight)]) -> Vec<Weight> {
    search(g.num_nodes(), seeds, |v| g.out_arcs(v))
}

/// [`one_to_all`] on a raw list of arcs over nodes `0..num_nodes`, in any order.
///
/// Parallel arcs, self loops and zero weights are all allowed. Same result and complexity as
/// [`one_to_all`], plus `O(m log m)` to sort the arcs.
///
/// # Panics
/// If an arc or a seed names a node `>= num_nodes`.
pub fn one_to_all_arcs(num_nodes: usize, arcs: &[Arc], seeds: &[(NodeIdx, Weight)]) -> Vec<Weight> {
    let mut sorted = arcs.to_vec();
    sorted.sort_unstable_by_key(|a| a.from);
    let mut first_out = vec![0usize; num_nodes + 1];
    for a in &sorted {
        assert!(
            (a.to as usize) < num_nodes,
            "arc head {} out of range",
            a.to
        );
        first_out[a.from as usize + 1] += 1;
    }
    for i in 0..num_nodes {
        first_out[i + 1] += first_out[i];
    }
    search(num_nodes, seeds, |v| {
        sorted[first_out[v as usize]..first_out[v as usize + 1]]
            .iter()
            .map(|a| (a.to, a.weight))
    })
}

/// Shortest weights between every source and every target, row-major `|sources| x |targets|`.
///
/// Each source and each target is a set of seeds with offsets, as in [`one_to_all`]: entry
/// `(i, j)` is the minimum over seeds `s` of source `i` and `t` of target `j` of
/// `offset(s) + dist(s, t) + offset(t)`. One [`one_to_all_arcs`] per source:
/// `O(|sources| (n + m) log m)`.
pub fn many_to_many_arcs(
    num_nodes: usize,
    arcs: &[Arc],
    sources: &[Vec<(NodeIdx, Weight)>],
    targets: &[Vec<(NodeIdx, Weight)>],
) -> Vec<Weight> {
    let mut out = Vec::with_capacity(sources.len() * targets.len());
    for s in sources {
        let d = one_to_all_arcs(num_nodes, arcs, s);
        out.extend(targets.iter().map(|t| to_seeds(&d, t)));
    }
    out
}

/// The best weight from the labels `dist` of a one-to-all search to a set of target seeds.
pub fn to_seeds(dist: &[Weight], targets: &[(NodeIdx, Weight)]) -> Weight {
    targets
        .iter()
        .map(|&(t, off)| dist[t as usize] + off)
        .min()
        .unwrap_or(Weight::INFINITY)
}

fn search<I, F>(num_nodes: usize, seeds: &[(NodeIdx, Weight)], out_arcs: F) -> Vec<Weight>
where
    I: Iterator<Item = (NodeIdx, Weight)>,
    F: Fn(NodeIdx) -> I,
{
    let mut dist = vec![Weight::INFINITY; num_nodes];
    let mut heap = BinaryHeap::new();
    for &(s, off) in seeds {
        if off < dist[s as usize] {
            dist[s as usize] = off;
            heap.push(Reverse((off, s)));
        }
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue; // stale entry
        }
        for (w, weight) in out_arcs(v) {
            let nd = d + weight;
            if nd < dist[w as usize] {
                dist[w as usize] = nd;
                heap.push(Reverse((nd, w)));
            }
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(from: NodeIdx, to: NodeIdx, w: u64) -> Arc {
        Arc {
            from,
            to,
            weight: Weight(w),
        }
    }

    #[test]
    fn multi_source_offsets_pick_the_best_seed() {
        let arcs = [
            arc(0, 2, 10),
            arc(1, 2, 1),
            arc(2, 3, 0),
            arc(3, 3, 0),
            arc(0, 2, 3),
        ];
        let d = one_to_all_arcs(5, &arcs, &[(0, Weight(0)), (1, Weight(5)), (1, Weight(7))]);
        assert_eq!(d[..4], [Weight(0), Weight(5), Weight(3), Weight(3)]);
        assert_eq!(d[4], Weight::INFINITY);
    }

    #[test]
    fn infinite_offsets_and_no_seeds_reach_nothing() {
        let arcs = [arc(0, 1, 1)];
        assert!(one_to_all_arcs(2, &arcs, &[(0, Weight::INFINITY)])
            .iter()
            .all(|w| !w.is_finite()));
        assert!(one_to_all_arcs(2, &arcs, &[])
            .iter()
            .all(|w| !w.is_finite()));
    }

    #[test]
    fn many_to_many_adds_target_offsets() {
        let arcs = [arc(0, 1, 4), arc(1, 0, 6)];
        let m = many_to_many_arcs(
            2,
            &arcs,
            &[vec![(0, Weight(1))], vec![]],
            &[vec![(1, Weight(2)), (0, Weight(10))], vec![(0, Weight(0))]],
        );
        assert_eq!(
            m,
            vec![Weight(7), Weight(1), Weight::INFINITY, Weight::INFINITY]
        );
    }
}
