//! The graph being contracted: the remaining nodes, their arcs and the shortcuts added so far.
//!
//! Adjacency lists live in one flat array, each node's list in a slot with some slack, in node
//! order: witness searches then read nearby memory (the nodes are numbered breadth-first, see
//! [`super::locality`]). A list that outgrows its slot moves to the end of the array with twice
//! the room; the holes it leaves are not reused.

use crate::graph::{Arc, Weight};

/// An arc of the remaining graph: to (or from) `node`, standing for `hops` original arcs.
#[derive(Clone, Copy, Debug)]
pub(super) struct Edge {
    pub(super) node: u32,
    pub(super) hops: u32,
    pub(super) weight: Weight,
}

/// Free room left in each slot when the lists are first laid out.
const SLACK: u32 = 2;

#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    begin: u32,
    len: u32,
    cap: u32,
}

/// One adjacency list per node, in slots of a flat array.
pub(super) struct Adjacency {
    slots: Vec<Slot>,
    edges: Vec<Edge>,
}

impl Adjacency {
    /// Empty lists with room for the given lengths.
    fn new(degree: &[u32]) -> Self {
        let mut slots = Vec::with_capacity(degree.len());
        let mut begin = 0u64;
        for &d in degree {
            slots.push(Slot {
                begin: begin as u32,
                len: 0,
                cap: d + SLACK,
            });
            begin += (d + SLACK) as u64;
        }
        assert!(
            begin < u32::MAX as u64 / 2,
            "graph too large for contraction"
        );
        let filler = Edge {
            node: u32::MAX,
            hops: 0,
            weight: Weight::INFINITY,
        };
        Adjacency {
            slots,
            edges: vec![filler; begin as usize],
        }
    }

    /// The list of `v`.
    #[inline]
    pub(super) fn of(&self, v: u32) -> &[Edge] {
        let s = self.slots[v as usize];
        &self.edges[s.begin as usize..(s.begin + s.len) as usize]
    }

    #[inline]
    fn of_mut(&mut self, v: u32) -> &mut [Edge] {
        let s = self.slots[v as usize];
        &mut self.edges[s.begin as usize..(s.begin + s.len) as usize]
    }

    fn push(&mut self, v: u32, e: Edge) {
        let s = &mut self.slots[v as usize];
        if s.len == s.cap {
            let begin = self.edges.len();
            assert!(
                begin < u32::MAX as usize / 2,
                "graph too large for contraction"
            );
            self.edges
                .extend_from_within(s.begin as usize..(s.begin + s.len) as usize);
            s.cap = 2 * s.cap + SLACK;
            self.edges.resize(begin + s.cap as usize, e);
            s.begin = begin as u32;
        }
        self.edges[(s.begin + s.len) as usize] = e;
        s.len += 1;
    }

    /// Removes the arc to (or from) `node` from the list of `v`; order is not kept.
    fn remove(&mut self, v: u32, node: u32) {
        let s = &mut self.slots[v as usize];
        let list = &mut self.edges[s.begin as usize..(s.begin + s.len) as usize];
        let i = list
            .iter()
            .position(|e| e.node == node)
            .expect("arcs are mirrored");
        list.swap(i, s.len as usize - 1);
        s.len -= 1;
    }

    fn clear(&mut self, v: u32) {
        self.slots[v as usize].len = 0;
    }
}

/// A shortcut `from -> to` needed when contracting a node.
#[derive(Clone, Copy, Debug)]
pub(super) struct Shortcut {
    pub(super) from: u32,
    pub(super) to: u32,
    pub(super) weight: Weight,
    pub(super) hops: u32,
}

/// Both adjacency lists of every remaining node, remaining neighbours only, at most one arc per
/// ordered pair (the lightest), no loops.
pub(super) struct Remaining {
    pub(super) out: Adjacency,
    pub(super) inc: Adjacency,
}

impl Remaining {
    /// The graph of `arcs`, whose nodes must be `< num_nodes`. Loops and infinite arcs are
    /// dropped, parallel arcs merged.
    pub(super) fn new(num_nodes: usize, arcs: &[Arc]) -> Self {
        let mut sorted: Vec<Arc> = arcs
            .iter()
            .filter(|a| a.from != a.to && a.weight.is_finite())
            .copied()
            .collect();
        sorted.sort_unstable_by_key(|a| (a.from, a.to, a.weight));
        sorted.dedup_by_key(|a| (a.from, a.to));
        let (mut out_degree, mut in_degree) = (vec![0u32; num_nodes], vec![0u32; num_nodes]);
        for a in &sorted {
            out_degree[a.from as usize] += 1;
            in_degree[a.to as usize] += 1;
        }
        let mut g = Remaining {
            out: Adjacency::new(&out_degree),
            inc: Adjacency::new(&in_degree),
        };
        for a in &sorted {
            g.out.push(
                a.from,
                Edge {
                    node: a.to,
                    hops: 1,
                    weight: a.weight,
                },
            );
            g.inc.push(
                a.to,
                Edge {
                    node: a.from,
                    hops: 1,
                    weight: a.weight,
                },
            );
        }
        g
    }

    /// Adds `s` or lowers the weight of the existing arc; `true` if the arc is new.
    pub(super) fn add(&mut self, s: &Shortcut) -> bool {
        if let Some(e) = self.out.of_mut(s.from).iter_mut().find(|e| e.node == s.to) {
            if s.weight < e.weight {
                (e.weight, e.hops) = (s.weight, s.hops);
                let e = self
                    .inc
                    .of_mut(s.to)
                    .iter_mut()
                    .find(|e| e.node == s.from)
                    .expect("arcs are mirrored");
                (e.weight, e.hops) = (s.weight, s.hops);
            }
            return false;
        }
        self.out.push(
            s.from,
            Edge {
                node: s.to,
                hops: s.hops,
                weight: s.weight,
            },
        );
        self.inc.push(
            s.to,
            Edge {
                node: s.from,
                hops: s.hops,
                weight: s.weight,
            },
        );
        true
    }

    /// Removes `v` and its arcs (read them first with `out.of(v)` and `inc.of(v)`).
    pub(super) fn remove(&mut self, v: u32) {
        for i in 0..self.out.of(v).len() {
            let w = self.out.of(v)[i].node;
            self.inc.remove(w, v);
        }
        for i in 0..self.inc.of(v).len() {
            let w = self.inc.of(v)[i].node;
            self.out.remove(w, v);
        }
        self.out.clear(v);
        self.inc.clear(v);
    }

    /// Whether `v` has at most two distinct neighbours (a dead end or a node inside a chain).
    pub(super) fn is_chain(&self, v: u32) -> bool {
        let mut seen = [u32::MAX; 2];
        for e in self.out.of(v).iter().chain(self.inc.of(v)) {
            if seen.contains(&e.node) {
                continue;
            }
            if seen[0] == u32::MAX {
                seen[0] = e.node;
            } else if seen[1] == u32::MAX {
                seen[1] = e.node;
            } else {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(from: u32, to: u32, w: u64) -> Arc {
        Arc {
            from,
            to,
            weight: Weight(w),
        }
    }

    fn heads(adj: &Adjacency, v: u32) -> Vec<(u32, u64)> {
        let mut h: Vec<_> = adj.of(v).iter().map(|e| (e.node, e.weight.0)).collect();
        h.sort_unstable();
        h
    }

    #[test]
    fn merges_parallel_arcs_drops_loops_and_keeps_lists_mirrored() {
        let arcs = [
            arc(0, 1, 5),
            arc(0, 1, 3),
            arc(1, 1, 1),
            arc(1, 2, 2),
            arc(2, 0, 7),
        ];
        let mut g = Remaining::new(6, &arcs);
        assert_eq!(heads(&g.out, 0), [(1, 3)]);
        assert_eq!(heads(&g.out, 1), [(2, 2)]);
        assert_eq!(heads(&g.inc, 0), [(2, 7)]);
        // Shortcuts out of 0: its list (room for 3) outgrows its slot and moves.
        for to in 1..6 {
            g.add(&Shortcut {
                from: 0,
                to,
                weight: Weight(4),
                hops: 2,
            });
        }
        assert!(!g.add(&Shortcut {
            from: 0,
            to: 2,
            weight: Weight(1),
            hops: 2
        }));
        assert_eq!(heads(&g.out, 0), [(1, 3), (2, 1), (3, 4), (4, 4), (5, 4)]);
        assert_eq!(heads(&g.inc, 2), [(0, 1), (1, 2)]);
        assert_eq!(heads(&g.out, 1), [(2, 2)], "neighbouring slots untouched");
        g.remove(1);
        assert_eq!(heads(&g.out, 0), [(2, 1), (3, 4), (4, 4), (5, 4)]);
        assert_eq!(heads(&g.inc, 2), [(0, 1)]);
        assert!(g.out.of(1).is_empty() && g.inc.of(1).is_empty());
    }

    #[test]
    fn chain_nodes_have_at_most_two_neighbours() {
        let g = Remaining::new(
            4,
            &[
                arc(0, 1, 1),
                arc(1, 0, 1),
                arc(1, 2, 1),
                arc(3, 1, 1),
                arc(2, 3, 1),
            ],
        );
        assert!(!g.is_chain(1));
        assert!(g.is_chain(0) && g.is_chain(2) && g.is_chain(3));
    }
}
