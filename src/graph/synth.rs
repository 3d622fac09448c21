//! Synthetic road-like graphs for scaling benchmarks and tests.
//!
//! Real extracts are mostly chains of degree-2 nodes (the points that draw a road's curves)
//! between fewer junctions; [`road_like`] imitates that at any size, deterministically.

use super::{Arc, NodeIdx, RoadGraph, Segment, Weight};
use crate::model::geo::{LonLat, Projection, METRES_PER_DEGREE};
use crate::model::{Centimetres, Millis};
use crate::osm::Profile;
use geo::Coord;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

/// Share of nodes that are junctions; the rest are chain nodes along streets.
const JUNCTION_SHARE: f64 = 0.12;
/// Distance between neighbouring junctions of the grid, metres (before perturbation).
const SPACING_M: f64 = 600.0;
/// Share of non-essential streets left out.
const MISSING: f64 = 0.12;
/// Share of streets that are one-way.
const ONE_WAY: f64 = 0.05;
/// Every `ARTERIAL_EVERY`-th grid line is a fast arterial road.
const ARTERIAL_EVERY: usize = 12;
/// Centre of the graph (longitude, latitude): somewhere in the Massif central.
const CENTRE: (f64, f64) = (3.0, 45.0);

/// A street between two neighbouring junctions.
struct Street {
    a: usize,
    b: usize,
    kmh: f64,
    arterial: bool,
    /// `Some(true)`: one-way from `a` to `b`; `Some(false)`: from `b` to `a`.
    one_way: Option<bool>,
    /// Number of chain nodes drawing the street.
    chain: usize,
}

/// A deterministic synthetic road graph with exactly `num_nodes` nodes, strongly connected.
///
/// # Construction
/// - a `k x k` grid of junctions (about 12 % of the nodes), 600 m apart and perturbed, centred on
///   longitude 3, latitude 45;
/// - streets between neighbouring junctions: a random spanning tree of them and every arterial
///   street are always kept, about 12 % of the others are left out;
/// - every 12th row and column is an arterial road at 80-90 km/h, other streets 30-70 km/h;
/// - about 5 % of the streets are one-way, chosen off the spanning tree and the arterials: the
///   tree stays two-way, so every junction reaches every other, and a chain node of a one-way
///   street reaches its downstream junction; the graph is therefore strongly connected;
/// - the remaining nodes are spread at random over the streets as bends (degree-2 chain nodes);
/// - arc weights are the haversine length of each piece and its time at the street's speed.
///
/// Below 8 nodes the graph is a two-way path. Same `num_nodes` and `seed`, same graph.
///
/// # Complexity
/// `O(num_nodes log num_nodes)` time (the graph's adjacency sort), `O(num_nodes)` memory.
pub fn road_like(num_nodes: usize, seed: u64) -> RoadGraph {
    let mut rng = Pcg64::seed_from_u64(seed);
    let side = (((num_nodes as f64) * JUNCTION_SHARE).sqrt() as usize).max(2);
    let (w, h) = if num_nodes < 8 {
        (num_nodes, usize::from(num_nodes > 0))
    } else {
        (side, side)
    };
    let junctions = w * h;

    let dx = SPACING_M / metres_per_degree_lon(CENTRE.1);
    let dy = SPACING_M / METRES_PER_DEGREE;
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(num_nodes);
    for j in 0..h {
        for i in 0..w {
            let jitter = |rng: &mut Pcg64| rng.random_range(-0.25..0.25);
            coords.push(Coord {
                x: CENTRE.0 + (i as f64 - w as f64 / 2.0 + jitter(&mut rng)) * dx,
                y: CENTRE.1 + (j as f64 - h as f64 / 2.0 + jitter(&mut rng)) * dy,
            });
        }
    }

    let mut streets = grid_streets(w, h, &mut rng);
    keep_connected_subset(&mut streets, junctions, &mut rng);
    let chain_nodes = num_nodes - junctions;
    if !streets.is_empty() {
        for _ in 0..chain_nodes {
            let s = rng.random_range(0..streets.len());
            streets[s].chain += 1;
        }
    }

    let mut arcs = Vec::with_capacity(2 * num_nodes);
    let mut segments = Vec::with_capacity(num_nodes);
    let mut path = Vec::new();
    for (way, s) in streets.iter().enumerate() {
        let (pa, pb) = (coords[s.a], coords[s.b]);
        let bend = rng.random_range(-0.12..0.12);
        path.clear();
        path.push(s.a as NodeIdx);
        for m in 0..s.chain {
            let t = (m as f64 + 1.0 + rng.random_range(-0.3..0.3)) / (s.chain as f64 + 1.0);
            let off = bend * (std::f64::consts::PI * t).sin() + rng.random_range(-0.02..0.02);
            // Perpendicular offset, in the grid's own (degree) axes: good enough for a bend.
            let (ex, ey) = (pb.x - pa.x, pb.y - pa.y);
            path.push(coords.len() as NodeIdx);
            coords.push(Coord {
                x: pa.x + t * ex - off * ey * dx / dy,
                y: pa.y + t * ey + off * ex * dy / dx,
            });
        }
        path.push(s.b as NodeIdx);
        for pair in path.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let weight = piece_weight(coords[a as usize], coords[b as usize], s.kmh);
            let (forward, backward) = match s.one_way {
                None => (Some(weight), Some(weight)),
                Some(true) => (Some(weight), None),
                Some(false) => (None, Some(weight)),
            };
            if forward.is_some() {
                arcs.push(Arc {
                    from: a,
                    to: b,
                    weight,
                });
            }
            if backward.is_some() {
                arcs.push(Arc {
                    from: b,
                    to: a,
                    weight,
                });
            }
            segments.push(Segment {
                a,
                b,
                forward,
                backward,
                way: way as i64,
            });
        }
    }
    debug_assert_eq!(coords.len(), num_nodes);
    let osm_ids = (1..=num_nodes as i64).collect();
    RoadGraph::from_parts(Profile::Car, coords, osm_ids, arcs, segments)
}

/// Every street between horizontally or vertically neighbouring junctions of a `w x h` grid.
fn grid_streets(w: usize, h: usize, rng: &mut Pcg64) -> Vec<Street> {
    let mut streets = Vec::with_capacity(2 * w * h);
    let mut street = |a: usize, b: usize, arterial: bool, rng: &mut Pcg64| {
        let kmh = if arterial {
            rng.random_range(80.0..90.0)
        } else {
            rng.random_range(30.0..70.0)
        };
        streets.push(Street {
            a,
            b,
            kmh,
            arterial,
            one_way: None,
            chain: 0,
        });
    };
    for j in 0..h {
        for i in 0..w {
            let v = j * w + i;
            if i + 1 < w {
                street(v, v + 1, j % ARTERIAL_EVERY == ARTERIAL_EVERY / 2, rng);
            }
            if j + 1 < h {
                street(v, v + w, i % ARTERIAL_EVERY == ARTERIAL_EVERY / 2, rng);
            }
        }
    }
    streets
}

/// Drops some streets and makes some one-way, keeping a two-way spanning tree (built by Kruskal
/// over arterials first, then the other streets in random order) and every arterial intact.
fn keep_connected_subset(streets: &mut Vec<Street>, junctions: usize, rng: &mut Pcg64) {
    let mut order: Vec<usize> = (0..streets.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    order.sort_by_key(|&s| !streets[s].arterial); // stable: arterials first, then shuffled
    let mut parent: Vec<usize> = (0..junctions).collect();
    let mut essential = vec![false; streets.len()];
    for &s in &order {
        let (ra, rb) = (
            find(&mut parent, streets[s].a),
            find(&mut parent, streets[s].b),
        );
        if ra != rb {
            parent[ra] = rb;
            essential[s] = true;
        }
    }
    let total = streets.len();
    let mut one_way_left = (ONE_WAY * total as f64).round() as usize;
    let mut kept = Vec::with_capacity(total);
    for &s in &order {
        let optional = !essential[s] && !streets[s].arterial;
        if optional && rng.random_bool(MISSING) {
            continue;
        }
        if optional && one_way_left > 0 {
            one_way_left -= 1;
            streets[s].one_way = Some(rng.random_bool(0.5));
        }
        kept.push(s);
    }
    kept.sort_unstable(); // grid order: nearby streets get nearby chain nodes
    let mut all: Vec<Option<Street>> = std::mem::take(streets).into_iter().map(Some).collect();
    *streets = kept
        .into_iter()
        .map(|s| all[s].take().expect("each street kept once"))
        .collect();
}

fn find(parent: &mut [usize], mut v: usize) -> usize {
    while parent[v] != v {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    v
}

/// Weight of a straight piece of road at `kmh`: haversine length (at least 1 cm), time rounded.
fn piece_weight(a: Coord<f64>, b: Coord<f64>, kmh: f64) -> Weight {
    let metres = haversine_m(a, b).max(0.01);
    let millis = metres / (kmh / 3.6) * 1000.0;
    Weight::new(
        Millis(millis.round() as u32),
        Centimetres((metres * 100.0).round() as u32),
    )
}

fn haversine_m(a: Coord<f64>, b: Coord<f64>) -> f64 {
    crate::model::geo::haversine_m(LonLat::new(a.x, a.y), LonLat::new(b.x, b.y))
}

fn metres_per_degree_lon(lat: f64) -> f64 {
    Projection::new(lat).metres_per_degree_lon()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::dijkstra;

    /// Every node reaches node 0 and node 0 reaches every node.
    fn is_strongly_connected(g: &RoadGraph) -> bool {
        if g.num_nodes() == 0 {
            return true;
        }
        let reversed: Vec<Arc> = g
            .arcs()
            .map(|a| Arc {
                from: a.to,
                to: a.from,
                weight: a.weight,
            })
            .collect();
        let seed = [(0, Weight::ZERO)];
        dijkstra::one_to_all(g, &seed).iter().all(|w| w.is_finite())
            && dijkstra::one_to_all_arcs(g.num_nodes(), &reversed, &seed)
                .iter()
                .all(|w| w.is_finite())
    }

    #[test]
    fn has_the_requested_size_and_shape() {
        let g = road_like(20_000, 7);
        assert_eq!(g.num_nodes(), 20_000);
        let mut degree = vec![0usize; g.num_nodes()];
        for s in g.segments() {
            degree[s.a as usize] += 1;
            degree[s.b as usize] += 1;
        }
        let junctions = degree.iter().filter(|&&d| d >= 3).count() as f64 / g.num_nodes() as f64;
        assert!(
            (0.07..0.15).contains(&junctions),
            "junction share {junctions}"
        );
        let one_way = g
            .segments()
            .iter()
            .filter(|s| s.forward.is_none() || s.backward.is_none())
            .count();
        let one_way = one_way as f64 / g.segments().len() as f64;
        assert!((0.02..0.08).contains(&one_way), "one-way share {one_way}");
        for a in g.arcs() {
            let kmh = a.weight.length().get() as f64
                / 100.0
                / (a.weight.time().get().max(1) as f64 / 1000.0)
                * 3.6;
            assert!(
                a.weight.length().get() < 50_000 || (25.0..95.0).contains(&kmh),
                "{kmh} km/h"
            );
        }
        for c in g.coords() {
            assert!((2.0..4.0).contains(&c.x) && (44.0..46.0).contains(&c.y));
        }
    }

    #[test]
    fn is_strongly_connected_at_every_size() {
        for n in [0, 1, 2, 5, 7, 8, 9, 30, 100, 1000, 20_000] {
            let g = road_like(n, n as u64);
            assert_eq!(g.num_nodes(), n);
            assert!(is_strongly_connected(&g), "{n} nodes");
        }
    }

    #[test]
    fn is_deterministic() {
        let (a, b) = (road_like(3000, 42), road_like(3000, 42));
        assert_eq!(a.arcs().collect::<Vec<_>>(), b.arcs().collect::<Vec<_>>());
        assert_eq!(a.coords(), b.coords());
        assert_ne!(
            a.arcs().collect::<Vec<_>>(),
            road_like(3000, 43).arcs().collect::<Vec<_>>()
        );
    }
}
