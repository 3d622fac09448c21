//! The first solution: a spread-out seeding, shaped by constrained k-means on straight lines,
//! then location-allocation.

use super::{candidate_tree, from_sites, Ctx, State};
use crate::sites::assign::assign_by;
use crate::sites::problem::Distances;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use std::time::Instant;

/// Spread-out start: the `seeds` (the sites that must open, then those preferred; `p` at
/// most), completed by weighted k-means++ seeding over candidates, shaped by constrained
/// k-means on straight lines (with road distances and `shaped`: the better of shaped and not;
/// without `shaped`: not shaped), then
/// location-allocation.
pub(super) fn initial(
    ctx: &Ctx,
    seeds: &[usize],
    rng: &mut Pcg64Mcg,
    deadline: Option<Instant>,
    shaped: bool,
) -> State {
    let pb = ctx.pb;
    let n = pb.n();
    let mut sites: Vec<usize> = Vec::with_capacity(pb.p);
    let mut nearest = vec![f64::INFINITY; n];
    let mut used = vec![false; pb.m()];
    for &j in seeds.iter().take(pb.p) {
        if j < pb.m() && !used[j] {
            used[j] = true;
            sites.push(j);
            for (k, d) in nearest.iter_mut().enumerate() {
                *d = d.min(pb.distance(k, j));
            }
        }
    }
    while sites.len() < pb.p {
        let total: f64 = nearest
            .iter()
            .zip(&pb.demand)
            .map(|(d, &q)| {
                if d.is_finite() {
                    d * d * (q.max(1) as f64)
                } else {
                    1e30
                }
            })
            .sum();
        let mut pick = None;
        if total > 0.0 && !sites.is_empty() {
            let mut r = rng.random::<f64>() * total;
            for (i, &d) in nearest.iter().enumerate() {
                r -= if d.is_finite() {
                    d * d * (pb.demand[i].max(1) as f64)
                } else {
                    1e30
                };
                if r <= 0.0 {
                    pick = Some(i);
                    break;
                }
            }
        } else {
            pick = Some(rng.random_range(0..n));
        }
        let i = pick.unwrap_or(n - 1);
        let j = ctx.near_cands[i]
            .iter()
            .copied()
            .find(|&j| !used[j])
            .or_else(|| (0..pb.m()).find(|&j| !used[j]));
        let Some(j) = j else { break };
        used[j] = true;
        sites.push(j);
        for (k, d) in nearest.iter_mut().enumerate() {
            *d = d.min(pb.distance(k, j));
        }
    }
    if matches!(pb.distances, Distances::Euclid { .. }) {
        return from_sites(ctx, shape(ctx, sites, deadline, SHAPE_ROUNDS), deadline);
    }
    // Road or walking distances: the seeds as they are, and shaped on straight lines; the
    // better of the two (in mountains the shaped start is far better: Andorra's grouping 23 %
    // lower; on Liechtenstein the plain seeds are, and shaping can strand a zone's households).
    if !shaped {
        return from_sites(ctx, sites, deadline);
    }
    let plain = from_sites(ctx, sites.clone(), deadline);
    let shaped = from_sites(ctx, shape(ctx, sites, deadline, SHAPE_ROUNDS), deadline);
    let better = |a: &State, b: &State| {
        (a.feasible && !b.feasible) || (a.feasible == b.feasible && a.cost < b.cost)
    };
    if better(&shaped, &plain) {
        shaped
    } else {
        plain
    }
}

/// Rounds of constrained k-means of [`shape`].
const SHAPE_ROUNDS: usize = 15;

/// Rounds of constrained k-means on straight lines: assign by squared distance within the
/// bounds, move each site to the candidate nearest its catchment's centroid. Squared
/// distances penalise far households, which gives compact catchments: a better start for the
/// p-median descent than the seeds alone (measured on 10,000 households, BENCHMARKS.md).
fn shape(ctx: &Ctx, mut sites: Vec<usize>, deadline: Option<Instant>, rounds: usize) -> Vec<usize> {
    let pb = ctx.pb;
    let all: Vec<usize> = (0..pb.n()).collect();
    let tree = candidate_tree(pb);
    for _ in 0..rounds {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let a = assign_by(pb, &all, &sites, true);
        if !a.feasible {
            break;
        }
        let mut sum = vec![[0.0f64; 3]; sites.len()];
        for (i, &s) in a.slot.iter().enumerate() {
            let w = pb.weight[i].max(1e-9);
            let [x, y] = pb.point_xy[i];
            let c = &mut sum[s as usize];
            c[0] += w * x;
            c[1] += w * y;
            c[2] += w;
        }
        let mut used = vec![false; pb.m()];
        let mut next = sites.clone();
        for (s, c) in sum.iter().enumerate() {
            if c[2] == 0.0 || pb.candidates[sites[s]].fixed {
                used[sites[s]] = true;
                continue;
            }
            let centroid = [c[0] / c[2], c[1] / c[2]];
            if let Some(g) = tree.nearest_neighbor_iter(centroid).find(|g| !used[g.data]) {
                next[s] = g.data;
                used[g.data] = true;
            }
        }
        if next == sites {
            break;
        }
        sites = next;
    }
    sites
}
