//! Strongly connected components: a van must be able to come back from every road it takes.

use super::road::NodeIdx;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::DiGraph;

/// Marks the nodes of the largest strongly connected component of a directed graph.
///
/// Ties between equally large components go to the one holding the smallest node index, so the
/// result does not depend on anything but the input. Returns `(in_largest, number_of_components)`.
/// Complexity: O(n + m) (Kosaraju, iterative, from `petgraph`).
pub fn largest_component(
    num_nodes: usize,
    arcs: impl Iterator<Item = (NodeIdx, NodeIdx)>,
) -> (Vec<bool>, usize) {
    let mut g: DiGraph<(), (), u32> = DiGraph::with_capacity(num_nodes, 0);
    for _ in 0..num_nodes {
        g.add_node(());
    }
    g.extend_with_edges(arcs);
    let components = kosaraju_scc(&g);
    let mut keep = vec![false; num_nodes];
    let best = components.iter().max_by_key(|c| {
        (
            c.len(),
            std::cmp::Reverse(c.iter().map(|v| v.index()).min().unwrap_or(usize::MAX)),
        )
    });
    if let Some(best) = best {
        for v in best {
            keep[v.index()] = true;
        }
    }
    (keep, components.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_way_dead_end_is_not_in_the_largest_component() {
        // 0 <-> 1 <-> 2 is a two-way street, 2 -> 3 is a one-way lane with no way back.
        let arcs = [(0, 1), (1, 0), (1, 2), (2, 1), (2, 3)];
        let (keep, n) = largest_component(4, arcs.into_iter());
        assert_eq!(keep, vec![true, true, true, false]);
        assert_eq!(n, 2);
    }

    #[test]
    fn empty_graph_keeps_nothing() {
        let (keep, n) = largest_component(0, std::iter::empty());
        assert!(keep.is_empty());
        assert_eq!(n, 0);
    }
}
