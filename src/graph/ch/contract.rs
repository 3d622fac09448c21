//! Node ordering and contraction.
//!
//! Nodes are contracted one at a time, cheapest first. Contracting `v` removes it from the
//! remaining graph and, for every pair `u -> v -> x` with no witness path (see [`super::witness`]),
//! adds a shortcut `u -> x` of the same weight, so that distances between remaining nodes are
//! preserved. The arcs of `v` to remaining nodes, all of higher rank, become its upward arcs.
//!
//! The priority of a node (lower is contracted first) follows RoutingKit: its level (one more than
//! the highest contracted neighbour, which spreads contraction evenly), plus the ratio of arcs
//! added to arcs removed and the same ratio counted in original arcs ("hops") represented.
//! Priorities are kept up to date lazily: recomputed for the neighbours of each contracted node,
//! and for a node when it leaves the queue (re-queued if it got worse than the next one).
//! Ties are broken by node index: the order is deterministic.

use super::upward::UpGraph;
use super::witness::WitnessSearch;
use crate::graph::{Arc, Weight};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Settled-node budget of one witness search.
const WITNESS_LIMIT: usize = 64;

/// An arc of the remaining graph: to (or from) `node`, standing for `hops` original arcs.
#[derive(Clone, Copy, Debug)]
pub(super) struct Edge {
    pub(super) node: u32,
    pub(super) hops: u32,
    pub(super) weight: Weight,
}

/// A shortcut `from -> to` needed when contracting a node.
#[derive(Clone, Copy, Debug)]
struct Shortcut {
    from: u32,
    to: u32,
    weight: Weight,
    hops: u32,
}

/// The result of [`contract`].
pub(super) struct Contracted {
    pub(super) rank: Vec<u32>,
    pub(super) up: UpGraph,
    pub(super) down: UpGraph,
    pub(super) num_shortcuts: usize,
}

/// The graph being contracted: both adjacency lists of every remaining node, remaining
/// neighbours only, at most one arc per ordered pair (the lightest).
struct Remaining {
    out: Vec<Vec<Edge>>,
    inc: Vec<Vec<Edge>>,
}

impl Remaining {
    fn new(num_nodes: usize, arcs: &[Arc]) -> Self {
        let mut sorted: Vec<Arc> = arcs
            .iter()
            .filter(|a| {
                assert!(
                    (a.from as usize) < num_nodes && (a.to as usize) < num_nodes,
                    "arc {} -> {} out of range ({num_nodes} nodes)",
                    a.from,
                    a.to
                );
                a.from != a.to && a.weight.is_finite()
            })
            .copied()
            .collect();
        sorted.sort_unstable_by_key(|a| (a.from, a.to, a.weight));
        sorted.dedup_by_key(|a| (a.from, a.to));
        let mut out = vec![Vec::new(); num_nodes];
        let mut inc = vec![Vec::new(); num_nodes];
        for a in &sorted {
            out[a.from as usize].push(Edge { node: a.to, hops: 1, weight: a.weight });
            inc[a.to as usize].push(Edge { node: a.from, hops: 1, weight: a.weight });
        }
        Remaining { out, inc }
    }

    /// Adds `s` or lowers the weight of the existing arc; `true` if the arc is new.
    fn add(&mut self, s: &Shortcut) -> bool {
        let out = &mut self.out[s.from as usize];
        if let Some(e) = out.iter_mut().find(|e| e.node == s.to) {
            if s.weight < e.weight {
                e.weight = s.weight;
                e.hops = s.hops;
                let e = self.inc[s.to as usize].iter_mut().find(|e| e.node == s.from).expect("arcs are mirrored");
                e.weight = s.weight;
                e.hops = s.hops;
            }
            return false;
        }
        out.push(Edge { node: s.to, hops: s.hops, weight: s.weight });
        self.inc[s.to as usize].push(Edge { node: s.from, hops: s.hops, weight: s.weight });
        true
    }

    /// Removes `v` and its arcs, returning its outgoing and incoming arcs.
    fn remove(&mut self, v: u32) -> (Vec<Edge>, Vec<Edge>) {
        let out = std::mem::take(&mut self.out[v as usize]);
        let inc = std::mem::take(&mut self.inc[v as usize]);
        for e in &out {
            let l = &mut self.inc[e.node as usize];
            let i = l.iter().position(|f| f.node == v).expect("arcs are mirrored");
            l.swap_remove(i);
        }
        for e in &inc {
            let l = &mut self.out[e.node as usize];
            let i = l.iter().position(|f| f.node == v).expect("arcs are mirrored");
            l.swap_remove(i);
        }
        (out, inc)
    }
}

/// Contraction state besides the graph: witness search, levels, and a buffer for shortcuts.
struct Contractor {
    g: Remaining,
    witness: WitnessSearch,
    level: Vec<u32>,
    shortcuts: Vec<Shortcut>,
    targets: Vec<(u32, Weight)>,
    limit: usize,
}

impl Contractor {
    /// Fills `self.shortcuts` with the shortcuts that contracting `v` now would add.
    fn simulate(&mut self, v: u32) {
        self.shortcuts.clear();
        let out = &self.g.out[v as usize];
        for e_in in &self.g.inc[v as usize] {
            let u = e_in.node;
            self.targets.clear();
            self.targets.extend(out.iter().filter(|e| e.node != u).map(|e| (e.node, e_in.weight + e.weight)));
            self.targets.retain(|t| t.1.is_finite());
            if self.targets.is_empty() {
                continue;
            }
            self.witness.run(&self.g.out, u, v, &self.targets, self.limit);
            for e_out in out {
                let via = e_in.weight + e_out.weight;
                if e_out.node != u && via.is_finite() && self.witness.dist(e_out.node) > via {
                    self.shortcuts.push(Shortcut { from: u, to: e_out.node, weight: via, hops: e_in.hops + e_out.hops });
                }
            }
        }
    }

    /// Priority of `v` given the shortcuts just simulated (lower is contracted first).
    fn priority(&self, v: u32) -> u64 {
        let (out, inc) = (&self.g.out[v as usize], &self.g.inc[v as usize]);
        let removed = (out.len() + inc.len()) as u64;
        let removed_hops: u64 = out.iter().chain(inc).map(|e| e.hops as u64).sum();
        let added = self.shortcuts.len() as u64;
        let added_hops: u64 = self.shortcuts.iter().map(|s| s.hops as u64).sum();
        let level = self.level[v as usize] as u64;
        if removed == 0 {
            return 1000 * level;
        }
        1 + 1000 * level + 1000 * added / removed + 1000 * added_hops / removed_hops
    }
}

/// Contracts every node; see the module documentation.
pub(super) fn contract(num_nodes: usize, arcs: &[Arc]) -> Contracted {
    let mut c = Contractor {
        g: Remaining::new(num_nodes, arcs),
        witness: WitnessSearch::new(num_nodes),
        level: vec![0; num_nodes],
        shortcuts: Vec::new(),
        targets: Vec::new(),
        limit: WITNESS_LIMIT,
    };
    let mut priority = vec![0u64; num_nodes];
    let mut heap = BinaryHeap::with_capacity(num_nodes);
    for v in 0..num_nodes as u32 {
        c.simulate(v);
        priority[v as usize] = c.priority(v);
        heap.push(Reverse((priority[v as usize], v)));
    }

    let mut rank = vec![u32::MAX; num_nodes];
    // Upward arcs, rank after rank; heads are node indices until the end.
    let (mut up_first, mut down_first) = (Vec::with_capacity(num_nodes + 1), Vec::with_capacity(num_nodes + 1));
    let (mut up_arcs, mut down_arcs) = (Vec::new(), Vec::new());
    up_first.push(0u32);
    down_first.push(0u32);
    let mut num_shortcuts = 0;
    let mut neighbours = Vec::new();
    let mut next_rank = 0u32;

    while let Some(Reverse((p, v))) = heap.pop() {
        if rank[v as usize] != u32::MAX || p != priority[v as usize] {
            continue; // stale entry
        }
        c.simulate(v);
        let fresh = c.priority(v);
        if fresh > p && heap.peek().is_some_and(|Reverse((q, _))| fresh > *q) {
            priority[v as usize] = fresh;
            heap.push(Reverse((fresh, v)));
            continue;
        }

        rank[v as usize] = next_rank;
        next_rank += 1;
        let shortcuts = std::mem::take(&mut c.shortcuts);
        let (out, inc) = c.g.remove(v);
        for s in &shortcuts {
            num_shortcuts += c.g.add(s) as usize;
        }
        c.shortcuts = shortcuts;
        up_arcs.extend(out.iter().map(|e| (e.node, e.weight)));
        down_arcs.extend(inc.iter().map(|e| (e.node, e.weight)));
        up_first.push(up_arcs.len() as u32);
        down_first.push(down_arcs.len() as u32);

        neighbours.clear();
        neighbours.extend(out.iter().chain(&inc).map(|e| e.node));
        neighbours.sort_unstable();
        neighbours.dedup();
        let level = c.level[v as usize] + 1;
        for &x in &neighbours {
            c.level[x as usize] = c.level[x as usize].max(level);
            c.simulate(x);
            let q = c.priority(x);
            if q != priority[x as usize] {
                priority[x as usize] = q;
                heap.push(Reverse((q, x)));
            }
        }
    }

    for a in up_arcs.iter_mut().chain(down_arcs.iter_mut()) {
        a.0 = rank[a.0 as usize];
    }
    Contracted {
        rank,
        up: UpGraph::from_lists(up_first, up_arcs),
        down: UpGraph::from_lists(down_first, down_arcs),
        num_shortcuts,
    }
}
