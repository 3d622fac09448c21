//! The road taken between two snapped points, for drawing a round on a map and for a
//! navigation track. Plain Dijkstra with predecessors, stopped at the target: a few legs per
//! round, so no need for the contraction hierarchy here.

use super::{NodeIdx, RoadGraph, Snapped, Weight};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The points along the fastest road from `from` to `to`: the snapped start, the road nodes
/// passed, the snapped end (`[lon, lat]`). `None` when no road leads there.
pub fn road_path(g: &RoadGraph, from: &Snapped, to: &Snapped) -> Option<Vec<[f64; 2]>> {
    let ends = [[from.lon, from.lat], [to.lon, to.lat]];
    if from.direct(to, g).is_some() {
        return Some(ends.to_vec());
    }
    let n = g.num_nodes();
    let mut dist = vec![Weight::INFINITY; n];
    let mut pred: Vec<NodeIdx> = vec![NodeIdx::MAX; n];
    let mut heap = BinaryHeap::new();
    for (v, w) in from.source_seeds(g) {
        if w < dist[v as usize] {
            dist[v as usize] = w;
            heap.push(Reverse((w, v)));
        }
    }
    let targets = to.target_seeds(g);
    let mut best: Option<(Weight, NodeIdx)> = None;
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        if best.is_some_and(|(b, _)| d >= b) {
            break;
        }
        for &(t, off) in &targets {
            if t == v {
                let total = d + off;
                if best.is_none_or(|(b, _)| total < b) {
                    best = Some((total, v));
                }
            }
        }
        for (u, w) in g.out_arcs(v) {
            let nd = d + w;
            if nd < dist[u as usize] {
                dist[u as usize] = nd;
                pred[u as usize] = v;
                heap.push(Reverse((nd, u)));
            }
        }
    }
    let (_, mut v) = best?;
    let mut nodes = vec![v];
    while pred[v as usize] != NodeIdx::MAX {
        v = pred[v as usize];
        nodes.push(v);
    }
    nodes.reverse();
    let mut out = Vec::with_capacity(nodes.len() + 2);
    out.push(ends[0]);
    out.extend(nodes.iter().map(|&v| {
        let c = g.coord(v);
        [c.x, c.y]
    }));
    out.push(ends[1]);
    Some(out)
}
