//! Witness search: is there a path from `u` to `x` that avoids `v` and is no heavier than
//! `u -> v -> x`? If so, contracting `v` needs no shortcut `u -> x`.
//!
//! One Dijkstra from `u` on the remaining graph answers for every out-neighbour `x` of `v` at
//! once. It stops as soon as every target has a witness, or when its smallest key exceeds the
//! heaviest path through `v` it must still beat, or after a budget of settled nodes. Giving up
//! early only costs a superfluous shortcut, never exactness.

use super::remaining::Adjacency;
use crate::graph::Weight;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Clone, Copy)]
struct Label {
    /// The distance is valid only when `stamp` is the current search's.
    stamp: u32,
    /// Equal to the current stamp while the node is a target without a witness yet.
    target: u32,
    dist: Weight,
}

/// Reusable Dijkstra state over the nodes of the graph being contracted.
pub(super) struct WitnessSearch {
    label: Vec<Label>,
    /// Weight a witness to a target must not exceed (valid while it is a target).
    need: Vec<Weight>,
    stamp: u32,
    heap: BinaryHeap<Reverse<(Weight, u32)>>,
}

impl WitnessSearch {
    pub(super) fn new(num_nodes: usize) -> Self {
        WitnessSearch {
            label: vec![
                Label {
                    stamp: 0,
                    target: 0,
                    dist: Weight::INFINITY
                };
                num_nodes
            ],
            need: vec![Weight::INFINITY; num_nodes],
            stamp: 0,
            heap: BinaryHeap::new(),
        }
    }

    /// Runs from `source` over `out` without entering `avoid`, looking for a path to each
    /// `(target, need)` no heavier than `need`, settling at most `limit` nodes. Targets must be
    /// distinct and differ from `source`. Afterwards [`WitnessSearch::dist`] gives, for every
    /// node, the weight of some path from `source` avoiding `avoid`; a target whose `dist` is
    /// at most its `need` has a witness.
    pub(super) fn run(
        &mut self,
        out: &Adjacency,
        source: u32,
        avoid: u32,
        targets: &[(u32, Weight)],
        limit: usize,
    ) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.label
                .iter_mut()
                .for_each(|l| (l.stamp, l.target) = (0, 0));
            self.stamp = 1;
        }
        let stamp = self.stamp;
        self.heap.clear();
        for &(t, need) in targets {
            self.label[t as usize].target = stamp;
            self.need[t as usize] = need;
        }
        let mut bound = targets.iter().map(|t| t.1).max().unwrap_or(Weight::ZERO);
        let mut unresolved = targets.len();
        self.label[source as usize].stamp = stamp;
        self.label[source as usize].dist = Weight::ZERO;
        self.heap.push(Reverse((Weight::ZERO, source)));
        let mut settled = 0;
        'search: while let Some(Reverse((d, v))) = self.heap.pop() {
            if d > self.label[v as usize].dist {
                continue; // stale entry
            }
            if d > bound || settled >= limit {
                break;
            }
            settled += 1;
            for e in out.of(v) {
                if e.node == avoid {
                    continue;
                }
                let nd = d + e.weight;
                let l = &mut self.label[e.node as usize];
                if l.stamp != stamp || nd < l.dist {
                    l.stamp = stamp;
                    l.dist = nd;
                    if l.target == stamp && nd <= self.need[e.node as usize] {
                        l.target = 0;
                        unresolved -= 1;
                        if unresolved == 0 {
                            break 'search;
                        }
                        // The search now only has to beat the heaviest unresolved target.
                        bound = targets
                            .iter()
                            .filter(|t| self.label[t.0 as usize].target == stamp)
                            .map(|t| t.1)
                            .max()
                            .unwrap_or(Weight::ZERO);
                    }
                    self.heap.push(Reverse((nd, e.node)));
                }
            }
        }
        for &(t, _) in targets {
            self.label[t as usize].target = 0;
        }
    }

    /// Weight of the best path found by the last run to `v`, [`Weight::INFINITY`] if none.
    #[inline]
    pub(super) fn dist(&self, v: u32) -> Weight {
        let l = self.label[v as usize];
        if l.stamp == self.stamp {
            l.dist
        } else {
            Weight::INFINITY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ch::remaining::Remaining;
    use crate::graph::Arc;

    #[test]
    fn finds_witnesses_around_the_avoided_node_only() {
        let arc = |from, to, w| Arc {
            from,
            to,
            weight: Weight(w),
        };
        // 0 -> 1 -> 2 through the node being contracted (1), and a detour 0 -> 3 -> 2 of 6.
        let g = Remaining::new(
            5,
            &[
                arc(0, 1, 2),
                arc(1, 2, 2),
                arc(0, 3, 3),
                arc(3, 2, 3),
                arc(1, 4, 1),
            ],
        );
        let mut w = WitnessSearch::new(5);
        w.run(&g.out, 0, 1, &[(2, Weight(4)), (4, Weight(3))], 64);
        assert!(
            w.dist(2) > Weight(4),
            "the detour is heavier: a shortcut is needed"
        );
        assert_eq!(w.dist(4), Weight::INFINITY, "only reachable through 1");
        w.run(&g.out, 0, 1, &[(2, Weight(6))], 64);
        assert_eq!(w.dist(2), Weight(6), "equal weight is a witness");
        w.run(&g.out, 0, 1, &[(2, Weight(6))], 1);
        assert_eq!(
            w.dist(2),
            Weight::INFINITY,
            "budget of one settled node: gives up"
        );
    }
}
