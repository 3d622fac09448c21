//! Witness search: is there a path from `u` to `x` that avoids `v` and is no heavier than
//! `u -> v -> x`? If so, contracting `v` needs no shortcut `u -> x`.
//!
//! A plain Dijkstra on the remaining graph, bounded by a weight (the heaviest path through `v`
//! that it must beat) and by a number of settled nodes. Giving up early only costs a superfluous
//! shortcut, never exactness.

use super::contract::Edge;
use crate::graph::Weight;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Reusable Dijkstra state over the nodes of the graph being contracted.
pub(super) struct WitnessSearch {
    /// `(stamp, distance)`: the distance is valid only when the stamp is the current one.
    label: Vec<(u32, Weight)>,
    stamp: u32,
    heap: BinaryHeap<Reverse<(Weight, u32)>>,
}

impl WitnessSearch {
    pub(super) fn new(num_nodes: usize) -> Self {
        WitnessSearch { label: vec![(0, Weight::INFINITY); num_nodes], stamp: 0, heap: BinaryHeap::new() }
    }

    /// Runs from `source` over `out` without entering `avoid`, settling at most `limit` nodes
    /// and none farther than `bound`. Afterwards [`WitnessSearch::dist`] gives, for every node,
    /// the weight of some path from `source` avoiding `avoid`, exact for nodes within `bound`
    /// when the limit was not hit.
    pub(super) fn run(&mut self, out: &[Vec<Edge>], source: u32, avoid: u32, bound: Weight, limit: usize) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.label.iter_mut().for_each(|l| l.0 = 0);
            self.stamp = 1;
        }
        self.heap.clear();
        self.label[source as usize] = (self.stamp, Weight::ZERO);
        self.heap.push(Reverse((Weight::ZERO, source)));
        let mut settled = 0;
        while let Some(Reverse((d, v))) = self.heap.pop() {
            if d > self.label[v as usize].1 {
                continue;
            }
            if d > bound || settled >= limit {
                break;
            }
            settled += 1;
            for e in &out[v as usize] {
                if e.node == avoid {
                    continue;
                }
                let nd = d + e.weight;
                let l = &mut self.label[e.node as usize];
                if l.0 != self.stamp || nd < l.1 {
                    *l = (self.stamp, nd);
                    self.heap.push(Reverse((nd, e.node)));
                }
            }
        }
    }

    /// Weight of the best path found by the last run to `v`, [`Weight::INFINITY`] if none.
    #[inline]
    pub(super) fn dist(&self, v: u32) -> Weight {
        let l = self.label[v as usize];
        if l.0 == self.stamp {
            l.1
        } else {
            Weight::INFINITY
        }
    }
}
