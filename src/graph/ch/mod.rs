//! Contraction hierarchies (Geisberger et al. 2008) with the bucket many-to-many query
//! (Knopp et al. 2007): exact shortest weights, orders of magnitude faster than Dijkstra.
//!
//! One file per phase:
//! - `locality.rs`: breadth-first renumbering, so that contraction reads nearby memory;
//! - `remaining.rs`: the graph being contracted (flat adjacency lists with slack);
//! - `contract.rs`: node ordering (lazy priorities) and contraction;
//! - `witness.rs`: the bounded witness search that decides which shortcuts are needed;
//! - `upward.rs`: the result, as upward forward and upward backward graphs in CSR ordered by rank;
//! - `search.rs`: upward searches with stall-on-demand over reusable, timestamped labels;
//! - `query.rs`: one-to-one (bidirectional upward search);
//! - `many_to_many.rs`: buckets filled by backward searches, scanned by forward searches.
//!
//! Exactness does not depend on the heuristics: a witness search that gives up early only adds a
//! superfluous shortcut, and the node order only changes speed. Every query equals
//! [`crate::graph::dijkstra`] on the same arcs, and `tests/ch_oracle.rs` checks it on random graphs.

mod contract;
mod locality;
mod many_to_many;
mod query;
mod remaining;
mod search;
mod upward;
mod witness;

use super::{Arc, NodeIdx, RoadGraph, Weight};
use upward::UpGraph;

/// A preprocessed road graph that answers exact shortest-weight queries fast.
///
/// Every node gets a rank (its position in the contraction order); a shortest path between any
/// two nodes then exists that goes only up in rank, then only down. Queries search upwards from
/// both ends and meet at the top.
///
/// Preprocessing is deterministic (ties broken by node index, no clock, no random seed): the same
/// arcs give the same hierarchy and byte-identical query results on any number of threads.
///
/// # Example
/// ```
/// use tournee::graph::{Arc, ContractionHierarchy, Weight};
/// let arcs = [
///     Arc { from: 0, to: 1, weight: Weight(3) },
///     Arc { from: 1, to: 2, weight: Weight(4) },
///     Arc { from: 2, to: 0, weight: Weight(1) },
/// ];
/// let ch = ContractionHierarchy::from_arcs(3, &arcs);
/// assert_eq!(ch.query(&[(0, Weight::ZERO)], &[(2, Weight::ZERO)]), Weight(7));
/// // A point 2 units before node 1 on the arc 0 -> 1, to node 0 or node 2 plus 5.
/// let m = ch.many_to_many(&[vec![(1, Weight(2))]], &[vec![(0, Weight::ZERO)], vec![(2, Weight(5))]]);
/// assert_eq!(m, vec![Weight(7), Weight(11)]);
/// ```
#[derive(Clone, Debug)]
pub struct ContractionHierarchy {
    /// Rank of every node of the input graph; the upward graphs are indexed by rank.
    rank: Vec<u32>,
    /// `v -> w` with `rank(w) > rank(v)`, for forward searches.
    up: UpGraph,
    /// `v <- w` with `rank(w) > rank(v)` (stored at `v`, heads are the tails `w`), for backward
    /// searches.
    down: UpGraph,
    num_shortcuts: usize,
}

impl ContractionHierarchy {
    /// Preprocesses a road graph. See [`ContractionHierarchy::from_arcs`].
    pub fn new(g: &RoadGraph) -> Self {
        let arcs: Vec<Arc> = g.arcs().collect();
        Self::from_arcs(g.num_nodes(), &arcs)
    }

    /// Preprocesses arcs over nodes `0..num_nodes`, in any order.
    ///
    /// Parallel arcs (the lightest is kept), self loops (dropped), zero weights and disconnected
    /// parts are all fine. Arcs of weight [`Weight::INFINITY`] are dropped.
    ///
    /// # Complexity
    /// Sequential but for the first priorities (parallel on the current `rayon` pool). Each
    /// witness search settles at most 64 nodes, so the cost is about linear in the number of
    /// arcs of the hierarchy, which stays within a few times the input on road graphs; grids
    /// with little speed hierarchy grow a denser top and cost more. Measured on two cores:
    /// Andorra (26,500 nodes) about 25 ms, `synth::road_like(1_000_000, 1)` 6-8 s.
    ///
    /// # Panics
    /// If an arc names a node `>= num_nodes`.
    pub fn from_arcs(num_nodes: usize, arcs: &[Arc]) -> Self {
        let c = contract::contract(num_nodes, arcs);
        ContractionHierarchy {
            rank: c.rank,
            up: c.up,
            down: c.down,
            num_shortcuts: c.num_shortcuts,
        }
    }

    /// Number of nodes of the input graph.
    pub fn num_nodes(&self) -> usize {
        self.rank.len()
    }

    /// Number of shortcut arcs added by the contraction (arcs of the hierarchy that are not arcs
    /// of the input graph).
    pub fn num_shortcuts(&self) -> usize {
        self.num_shortcuts
    }

    /// Heap memory held by the hierarchy, in bytes (capacity, not just length).
    pub fn memory_bytes(&self) -> usize {
        self.rank.capacity() * std::mem::size_of::<u32>()
            + self.up.memory_bytes()
            + self.down.memory_bytes()
    }

    /// Shortest weight from any source seed to any target seed.
    ///
    /// Seeds are `(node, offset)` pairs: the result is the minimum over sources `s` and targets `t`
    /// of `offset(s) + dist(s, t) + offset(t)`, [`Weight::INFINITY`] if none is reachable. Offsets
    /// describe phantom nodes: a point snapped inside a road starts (or ends) at both ends of its
    /// segment, each at the weight of the piece in between.
    ///
    /// # Complexity
    /// Two interleaved upward searches with stall-on-demand, stopped once their smallest keys
    /// exceed the best meeting weight: typically a few hundred nodes on a regional road graph.
    /// Reuses per-thread labels: no allocation proportional to the graph after the first call
    /// on a thread.
    ///
    /// # Panics
    /// If a seed is not a node of the graph.
    pub fn query(&self, sources: &[(NodeIdx, Weight)], targets: &[(NodeIdx, Weight)]) -> Weight {
        query::query(self, sources, targets)
    }

    /// Shortest weights between every source and every target, row-major
    /// `|sources| x |targets|`, [`Weight::INFINITY`] when unreachable.
    ///
    /// Each source and each target is a set of seeds with offsets, as in
    /// [`ContractionHierarchy::query`]; an empty set reaches nothing.
    ///
    /// Bucket many-to-many: a backward upward search from every target leaves `(target, weight)`
    /// in a bucket at each node it settles; a forward upward search from each source scans the
    /// buckets of the nodes it settles. Both phases run in parallel on the current `rayon` pool;
    /// every entry is computed by one task, so the result does not depend on the number of
    /// threads.
    ///
    /// # Complexity
    /// `|sources| + |targets|` upward searches plus one scan of a bucket per settled node;
    /// memory `O(|sources| |targets| + total backward search space)`.
    ///
    /// # Panics
    /// If a seed is not a node of the graph.
    pub fn many_to_many(
        &self,
        sources: &[Vec<(NodeIdx, Weight)>],
        targets: &[Vec<(NodeIdx, Weight)>],
    ) -> Vec<Weight> {
        many_to_many::many_to_many(self, sources, targets)
    }

    /// Seeds renumbered by rank; infinite offsets dropped.
    fn ranked(&self, seeds: &[(NodeIdx, Weight)]) -> Vec<(u32, Weight)> {
        seeds
            .iter()
            .filter(|(_, off)| off.is_finite())
            .map(|&(v, off)| {
                let r = *self.rank.get(v as usize).unwrap_or_else(|| {
                    panic!(
                        "seed node {v} is not in the graph ({} nodes)",
                        self.rank.len()
                    )
                });
                (r, off)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::dijkstra;

    fn arc(from: NodeIdx, to: NodeIdx, w: u64) -> Arc {
        Arc {
            from,
            to,
            weight: Weight(w),
        }
    }

    /// Every pair by `query` and `many_to_many` against Dijkstra.
    fn assert_exact(n: usize, arcs: &[Arc]) {
        let ch = ContractionHierarchy::from_arcs(n, arcs);
        let all: Vec<Vec<(NodeIdx, Weight)>> =
            (0..n as NodeIdx).map(|v| vec![(v, Weight::ZERO)]).collect();
        let expected = dijkstra::many_to_many_arcs(n, arcs, &all, &all);
        assert_eq!(ch.many_to_many(&all, &all), expected);
        for s in 0..n {
            for t in 0..n {
                assert_eq!(
                    ch.query(&all[s], &all[t]),
                    expected[s * n + t],
                    "{s} -> {t}"
                );
            }
        }
    }

    #[test]
    fn a_two_way_chain_needs_shortcuts_and_stays_exact() {
        let arcs: Vec<Arc> = (0..9)
            .flat_map(|v| [arc(v, v + 1, 3), arc(v + 1, v, 3)])
            .collect();
        assert_exact(10, &arcs);
        assert!(ContractionHierarchy::from_arcs(10, &arcs).num_shortcuts() > 0);
    }

    #[test]
    fn one_ways_zero_weights_loops_and_parallel_arcs() {
        let arcs = [
            arc(0, 1, 0),
            arc(1, 2, 0),
            arc(2, 0, 0), // a zero-weight cycle
            arc(2, 3, 5),
            arc(2, 3, 4), // parallel, lighter
            arc(3, 3, 1), // loop
            arc(3, 4, 2),
            arc(4, 2, 9),
            arc(5, 6, 1), // another component
        ];
        assert_exact(7, &arcs);
    }

    #[test]
    fn a_grid_with_ties_is_exact() {
        let side = 6;
        let mut arcs = Vec::new();
        for v in 0..side * side {
            if v % side + 1 < side {
                arcs.extend([arc(v, v + 1, 1), arc(v + 1, v, 1)]);
            }
            if v + side < side * side {
                arcs.extend([arc(v, v + side, 1), arc(v + side, v, 1)]);
            }
        }
        assert_exact((side * side) as usize, &arcs);
    }

    #[test]
    fn memory_and_counts_are_reported() {
        let ch = ContractionHierarchy::from_arcs(3, &[arc(0, 1, 1), arc(1, 2, 1)]);
        assert_eq!(ch.num_nodes(), 3);
        assert!(ch.memory_bytes() >= 3 * 4);
    }

    #[test]
    #[should_panic(expected = "not in the graph")]
    fn a_seed_outside_the_graph_panics() {
        ContractionHierarchy::from_arcs(2, &[]).query(&[(2, Weight::ZERO)], &[(0, Weight::ZERO)]);
    }
}
