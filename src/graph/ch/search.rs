//! Upward searches with stall-on-demand, over labels reused between searches.
//!
//! An upward search from a set of seeds settles nodes by increasing weight following only arcs to
//! higher ranks. Its labels are weights of real paths, exact for the nodes that lie on an
//! up-down shortest path. Stall-on-demand (Schultes and Sanders 2007) skips a settled node `v`
//! when a higher node `w` already reaches it more cheaply through an arc `w -> v` (an arc that
//! goes *down* in the search's direction): `v`'s label is then not its distance, so `v` can be
//! neither a meeting node nor a relay. The comparison is strict, so a node on a shortest path is
//! never stalled.

use super::upward::UpGraph;
use crate::graph::Weight;
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Tentative weights and a heap, reset in O(1) by a timestamp.
#[derive(Default)]
pub(super) struct Labels {
    /// `(stamp, weight)`: the weight is valid only when the stamp is the current one.
    label: Vec<(u32, Weight)>,
    stamp: u32,
    heap: BinaryHeap<Reverse<(Weight, u32)>>,
}

impl Labels {
    /// Forgets every label and makes room for `num_nodes` nodes.
    fn reset(&mut self, num_nodes: usize) {
        if self.label.len() < num_nodes {
            self.label.resize(num_nodes, (0, Weight::INFINITY));
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.label.iter_mut().for_each(|l| l.0 = 0);
            self.stamp = 1;
        }
        self.heap.clear();
    }

    /// The tentative weight of `v`, [`Weight::INFINITY`] if unreached.
    #[inline]
    pub(super) fn get(&self, v: u32) -> Weight {
        let l = self.label[v as usize];
        if l.0 == self.stamp {
            l.1
        } else {
            Weight::INFINITY
        }
    }

    /// Lowers the label of `v` to `w` if that improves it, and queues `v`.
    #[inline]
    fn improve(&mut self, v: u32, w: Weight) {
        let l = &mut self.label[v as usize];
        if l.0 != self.stamp || w < l.1 {
            *l = (self.stamp, w);
            self.heap.push(Reverse((w, v)));
        }
    }
}

/// Labels for the two directions of a query, one pair per thread, reused across calls.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) forward: Labels,
    pub(super) backward: Labels,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch labels. `f` must not call back into a search.
pub(super) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|s| f(&mut s.borrow_mut()))
}

/// One upward search, advanced a node at a time.
pub(super) struct Upward<'a> {
    /// The arcs the search follows.
    graph: &'a UpGraph,
    /// The arcs of the opposite direction, from higher nodes into the settled one: for stalling.
    stall: &'a UpGraph,
    labels: &'a mut Labels,
}

impl<'a> Upward<'a> {
    /// Starts a search from seeds given as `(rank, offset)`.
    pub(super) fn new(
        graph: &'a UpGraph,
        stall: &'a UpGraph,
        labels: &'a mut Labels,
        num_nodes: usize,
        seeds: &[(u32, Weight)],
    ) -> Self {
        labels.reset(num_nodes);
        for &(r, off) in seeds {
            labels.improve(r, off);
        }
        Upward {
            graph,
            stall,
            labels,
        }
    }

    /// The smallest key in the queue, if any.
    #[inline]
    pub(super) fn min_key(&self) -> Option<Weight> {
        self.labels.heap.peek().map(|Reverse((w, _))| *w)
    }

    /// Settles the next node and returns it with its weight, or `None` when the search is over.
    /// Stalled nodes are settled silently: they are never returned.
    #[inline]
    pub(super) fn next(&mut self) -> Option<(u32, Weight)> {
        while let Some(Reverse((d, v))) = self.labels.heap.pop() {
            if d > self.labels.get(v) {
                continue; // stale entry
            }
            let (heads, weights) = self.stall.arcs(v);
            if heads
                .iter()
                .zip(weights)
                .any(|(&w, &c)| self.labels.get(w) + c < d)
            {
                continue;
            }
            let (heads, weights) = self.graph.arcs(v);
            for (&w, &c) in heads.iter().zip(weights) {
                self.labels.improve(w, d + c);
            }
            return Some((v, d));
        }
        None
    }

    /// The labels, for a meeting test from the other direction.
    #[inline]
    pub(super) fn labels(&self) -> &Labels {
        self.labels
    }
}
