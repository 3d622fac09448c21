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
//!
//! Priorities are kept up to date lazily, which is where the time goes:
//! - a node leaving the queue is simulated exactly (witness searches) and re-queued if it got
//!   worse than the next one; otherwise it is contracted with the shortcuts just found;
//! - after a contraction, its neighbours get a cheap pessimistic estimate (every pair needs a
//!   shortcut), exact for the chain nodes that make up most of a road graph;
//! - a node with at most two neighbours (inside a chain, or a dead end) skips witness searches
//!   altogether: its shortcuts are all its pairs. A witness is rare there, and a superfluous
//!   shortcut costs a little space, never exactness.
//!
//! Ties are broken by node index (after the breadth-first renumbering of [`super::locality`]):
//! the order is deterministic, whatever the number of threads.

use super::locality::bfs_order;
use super::remaining::{Edge, Remaining, Shortcut};
use super::upward::UpGraph;
use super::witness::WitnessSearch;
use crate::graph::{Arc, Weight};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Settled-node budget of one witness search. Lower budgets miss witnesses, the superfluous
/// shortcuts thicken the top of the hierarchy and contraction slows down instead: on
/// `synth::road_like(300_000, 1)`, 32 gives 14 % more shortcuts and takes four times as long,
/// while 128 saves under 1 % of shortcuts for no gain in time.
const WITNESS_LIMIT: usize = 64;

/// The result of [`contract`].
pub(super) struct Contracted {
    pub(super) rank: Vec<u32>,
    pub(super) up: UpGraph,
    pub(super) down: UpGraph,
    pub(super) num_shortcuts: usize,
}

/// Contraction state besides the queue: graph, witness searches, levels, and a shortcut buffer.
struct Contractor {
    g: Remaining,
    witness: WitnessSearch,
    level: Vec<u32>,
    shortcuts: Vec<Shortcut>,
    targets: Vec<(u32, Weight)>,
}

impl Contractor {
    /// Fills `self.shortcuts` with the shortcuts that contracting `v` now would add.
    fn simulate(&mut self, v: u32) {
        self.shortcuts.clear();
        if self.g.is_chain(v) {
            return all_pairs(&self.g, v, &mut self.shortcuts);
        }
        for e_in in self.g.inc.of(v) {
            shortcuts_from(
                &self.g,
                &mut self.witness,
                v,
                e_in,
                &mut self.targets,
                &mut self.shortcuts,
            );
        }
    }

    /// Priority of `v` if contracting it added a shortcut for every pair `u -> v -> x`, `u != x`
    /// (see [`all_pairs`]), without building them.
    fn pessimistic_priority(&self, v: u32) -> u64 {
        let (out, inc) = (self.g.out.of(v), self.g.inc.of(v));
        let in_hops: u64 = inc.iter().map(|e| e.hops as u64).sum();
        let out_hops: u64 = out.iter().map(|e| e.hops as u64).sum();
        let (mut added, mut added_hops) = (
            (inc.len() * out.len()) as u64,
            in_hops * out.len() as u64 + out_hops * inc.len() as u64,
        );
        for e_in in inc {
            for e_out in out {
                if e_in.node == e_out.node || !(e_in.weight + e_out.weight).is_finite() {
                    added -= 1;
                    added_hops -= (e_in.hops + e_out.hops) as u64;
                }
            }
        }
        priority_from(
            self.level[v as usize],
            (out.len() + inc.len()) as u64,
            in_hops + out_hops,
            added,
            added_hops,
        )
    }

    /// Priority of `v` given the shortcuts in `self.shortcuts`.
    fn priority(&self, v: u32) -> u64 {
        priority_of(&self.g, &self.level, v, &self.shortcuts)
    }
}

/// Appends a shortcut for every pair `u -> v -> x`, `u != x`: what contracting `v` adds at most.
fn all_pairs(g: &Remaining, v: u32, found: &mut Vec<Shortcut>) {
    for e_in in g.inc.of(v) {
        for e_out in g.out.of(v) {
            let weight = e_in.weight + e_out.weight;
            if e_out.node != e_in.node && weight.is_finite() {
                found.push(Shortcut {
                    from: e_in.node,
                    to: e_out.node,
                    weight,
                    hops: e_in.hops + e_out.hops,
                });
            }
        }
    }
}

/// Priority of `v` if contracting it adds `shortcuts` (lower is contracted first).
fn priority_of(g: &Remaining, level: &[u32], v: u32, shortcuts: &[Shortcut]) -> u64 {
    let (out, inc) = (g.out.of(v), g.inc.of(v));
    let removed_hops: u64 = out.iter().chain(inc).map(|e| e.hops as u64).sum();
    let added_hops: u64 = shortcuts.iter().map(|s| s.hops as u64).sum();
    priority_from(
        level[v as usize],
        (out.len() + inc.len()) as u64,
        removed_hops,
        shortcuts.len() as u64,
        added_hops,
    )
}

/// The priority formula: level, then arcs and hops added over arcs and hops removed.
fn priority_from(level: u32, removed: u64, removed_hops: u64, added: u64, added_hops: u64) -> u64 {
    let level = level as u64;
    if removed == 0 {
        return 1000 * level;
    }
    1 + 1000 * level + 1000 * added / removed + 1000 * added_hops / removed_hops
}

/// Most witness searches running at once while computing the first priorities (each holds
/// 24 bytes per node).
const MAX_PARALLEL_SEARCHES: usize = 4;

/// Priorities of all nodes before any contraction. Each is independent of the others, so they
/// are computed in parallel over contiguous ranges of nodes, one witness search per range.
fn initial_priorities(c: &mut Contractor, priority: &mut [u64]) {
    let n = priority.len();
    let ranges = rayon::current_num_threads().clamp(1, MAX_PARALLEL_SEARCHES);
    let mut extra: Vec<WitnessSearch> = (1..ranges).map(|_| WitnessSearch::new(n)).collect();
    let (g, level) = (&c.g, &c.level);
    let witnesses = std::iter::once(&mut c.witness)
        .chain(extra.iter_mut())
        .collect::<Vec<_>>();
    let chunk = n.div_ceil(ranges).max(1);
    priority
        .par_chunks_mut(chunk)
        .zip(witnesses)
        .enumerate()
        .for_each(|(i, (range, witness))| {
            let (mut shortcuts, mut targets) = (Vec::new(), Vec::new());
            for (k, p) in range.iter_mut().enumerate() {
                let v = (i * chunk + k) as u32;
                shortcuts.clear();
                if g.is_chain(v) {
                    all_pairs(g, v, &mut shortcuts);
                } else {
                    for e_in in g.inc.of(v) {
                        shortcuts_from(g, witness, v, e_in, &mut targets, &mut shortcuts);
                    }
                }
                *p = priority_of(g, level, v, &shortcuts);
            }
        });
}

/// Appends to `found` the shortcuts `u -> x` needed for the in-arc `e_in = u -> v` of `v`: one
/// witness search from `u` that must beat `u -> v -> x` for every out-neighbour `x != u`.
fn shortcuts_from(
    g: &Remaining,
    witness: &mut WitnessSearch,
    v: u32,
    e_in: &Edge,
    targets: &mut Vec<(u32, Weight)>,
    found: &mut Vec<Shortcut>,
) {
    let (u, out) = (e_in.node, g.out.of(v));
    targets.clear();
    let via = out
        .iter()
        .filter(|e| e.node != u)
        .map(|e| (e.node, e_in.weight + e.weight));
    targets.extend(via.filter(|t| t.1.is_finite()));
    if targets.is_empty() {
        return;
    }
    witness.run(&g.out, u, v, targets, WITNESS_LIMIT);
    for e_out in out {
        let via = e_in.weight + e_out.weight;
        if e_out.node != u && via.is_finite() && witness.dist(e_out.node) > via {
            found.push(Shortcut {
                from: u,
                to: e_out.node,
                weight: via,
                hops: e_in.hops + e_out.hops,
            });
        }
    }
}

/// Contracts every node; see the module documentation.
///
/// # Panics
/// If an arc names a node `>= num_nodes`.
pub(super) fn contract(num_nodes: usize, arcs: &[Arc]) -> Contracted {
    for a in arcs {
        assert!(
            (a.from as usize) < num_nodes && (a.to as usize) < num_nodes,
            "arc {} -> {} out of range ({num_nodes} nodes)",
            a.from,
            a.to
        );
    }
    let new_id = bfs_order(num_nodes, arcs);
    let renumbered: Vec<Arc> = arcs
        .iter()
        .map(|a| Arc {
            from: new_id[a.from as usize],
            to: new_id[a.to as usize],
            weight: a.weight,
        })
        .collect();
    let mut c = contract_renumbered(num_nodes, &renumbered);
    c.rank = new_id.iter().map(|&v| c.rank[v as usize]).collect();
    c
}

/// [`contract`] on arcs numbered for locality.
fn contract_renumbered(num_nodes: usize, arcs: &[Arc]) -> Contracted {
    let mut c = Contractor {
        g: Remaining::new(num_nodes, arcs),
        witness: WitnessSearch::new(num_nodes),
        level: vec![0; num_nodes],
        shortcuts: Vec::new(),
        targets: Vec::new(),
    };
    let mut priority = vec![0u64; num_nodes];
    let mut heap = BinaryHeap::with_capacity(num_nodes);
    initial_priorities(&mut c, &mut priority);
    heap.extend((0..num_nodes as u32).map(|v| Reverse((priority[v as usize], v))));

    let mut rank = vec![u32::MAX; num_nodes];
    // Upward arcs, rank after rank; heads are node indices until the end.
    let (mut up_first, mut down_first) = (
        Vec::with_capacity(num_nodes + 1),
        Vec::with_capacity(num_nodes + 1),
    );
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
        up_arcs.extend(c.g.out.of(v).iter().map(|e| (e.node, e.weight)));
        down_arcs.extend(c.g.inc.of(v).iter().map(|e| (e.node, e.weight)));
        up_first.push(up_arcs.len() as u32);
        down_first.push(down_arcs.len() as u32);
        neighbours.clear();
        neighbours.extend(c.g.out.of(v).iter().chain(c.g.inc.of(v)).map(|e| e.node));
        neighbours.sort_unstable();
        neighbours.dedup();

        c.g.remove(v);
        for s in &c.shortcuts {
            num_shortcuts += c.g.add(s) as usize;
        }

        let level = c.level[v as usize] + 1;
        for &x in &neighbours {
            c.level[x as usize] = c.level[x as usize].max(level);
            let q = c.pessimistic_priority(x);
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
