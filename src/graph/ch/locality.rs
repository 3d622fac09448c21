//! Renumbering for memory locality during contraction.
//!
//! Witness searches are many small Dijkstras; they run several times faster when neighbours sit
//! close in memory. Input numbering (OSM ids, or junctions before chain nodes) rarely does that,
//! so contraction works on a breadth-first numbering of the undirected graph: neighbours then get
//! indices at most one BFS layer apart.

use crate::graph::Arc;

/// New index of every node: breadth-first order over arcs in both directions, each component
/// started from its smallest unvisited node. Deterministic.
pub(super) fn bfs_order(num_nodes: usize, arcs: &[Arc]) -> Vec<u32> {
    let mut first = vec![0u32; num_nodes + 1];
    for a in arcs {
        first[a.from as usize + 1] += 1;
        first[a.to as usize + 1] += 1;
    }
    for i in 0..num_nodes {
        first[i + 1] += first[i];
    }
    let mut next = first.clone();
    let mut adj = vec![0u32; first[num_nodes] as usize];
    for a in arcs {
        adj[next[a.from as usize] as usize] = a.to;
        next[a.from as usize] += 1;
        adj[next[a.to as usize] as usize] = a.from;
        next[a.to as usize] += 1;
    }
    let mut new_id = vec![u32::MAX; num_nodes];
    let mut queue = Vec::with_capacity(num_nodes);
    for root in 0..num_nodes {
        if new_id[root] != u32::MAX {
            continue;
        }
        new_id[root] = queue.len() as u32;
        queue.push(root as u32);
        let mut head = queue.len() - 1;
        while head < queue.len() {
            let v = queue[head] as usize;
            head += 1;
            for &w in &adj[first[v] as usize..first[v + 1] as usize] {
                if new_id[w as usize] == u32::MAX {
                    new_id[w as usize] = queue.len() as u32;
                    queue.push(w);
                }
            }
        }
    }
    new_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Weight;

    #[test]
    fn is_a_permutation_in_breadth_first_order() {
        let arc = |from, to| Arc {
            from,
            to,
            weight: Weight(1),
        };
        // Component {0, 3, 4} (3 reaches 0 only backwards), component {1}, component {2, 5}.
        let order = bfs_order(6, &[arc(3, 0), arc(0, 4), arc(5, 2)]);
        assert_eq!(order, vec![0, 3, 4, 1, 2, 5]);
        assert!(bfs_order(0, &[]).is_empty());
    }
}
