//! A Lagrangian lower bound: relax "every point goes to exactly one site" with a multiplier
//! `lambda_i` per point. What remains splits by candidate: site `j`, if open, takes the points
//! whose reduced cost `w_i d_ij - lambda_i` is negative, as many as its maximum allows (a
//! knapsack; exact by dynamic programming when small, fractional otherwise; both give a valid
//! bound), and the `p` best sites open:
//!
//! ```text
//! L(lambda) = sum_i lambda_i + sum of the p smallest  (f_j + knapsack_j(lambda))
//! ```
//!
//! Every `L(lambda)` is a lower bound on the optimal cost; subgradient steps raise it. At its
//! best it is at least the LP relaxation's value. Site minimums are dropped (a relaxation).
//!
//! Memory: each candidate keeps its nearest points up to a budget of [`PAIR_BUDGET`] pairs in
//! all; `lambda_i` is then capped below the cost of every pair left out, which keeps the bound
//! valid.

use super::problem::{Distances, Siting};
use std::time::Instant;

/// Most (candidate, point) pairs kept.
pub const PAIR_BUDGET: usize = 24_000_000;
const DP_CELLS: usize = 40_000;

/// A Lagrangian heuristic: given the sites the relaxation opens, the cost of a feasible
/// solution built from them, if any.
pub type Heuristic<'a> = dyn FnMut(&[usize]) -> Option<f64> + 'a;

/// Runs the subgradient method from `start` multipliers (e.g. each point's cost in a good
/// solution) with `upper` a known solution cost; stops after `iterations` or at `deadline`.
/// Returns the best bound found.
///
/// `heuristic` is offered the `p` sites the relaxation opens whenever the bound improves (a
/// Lagrangian heuristic); it returns the cost of a solution built from them, if feasible,
/// which tightens the step size.
pub fn lagrangian(
    pb: &Siting,
    start: &[f64],
    upper: f64,
    iterations: usize,
    deadline: Option<Instant>,
    heuristic: &mut Heuristic,
) -> f64 {
    let mut upper = upper;
    let n = pb.n();
    let m = pb.m();
    // Each candidate keeps its nearest points, ten times the mean catchment (at least 64):
    // enough that caps on lambda (the cost of the first pair left out) never bind in practice.
    let mean = n.div_ceil(pb.p.max(1));
    let keep = n
        .min((PAIR_BUDGET / m.max(1)).max(1))
        .min((10 * mean).max(64));
    let (lists, cap) = nearest_lists(pb, keep);
    // f32 storage rounds costs; shave the bound by the rounding to stay valid.
    let rounding: f64 = lists
        .iter()
        .flatten()
        .map(|&(c, _)| c as f64)
        .fold(0.0, f64::max)
        * 1e-6
        * n as f64;

    // The same pairs by point, cheapest first, each with its rank in its candidate's list: an
    // iteration only visits the pairs of negative reduced cost (`c < lambda_i`), a few per point,
    // and gives each candidate its items in its list's order, as a scan of the list would.
    let mut by_point: Vec<Vec<(f32, u32, u32)>> = vec![Vec::new(); n];
    for (j, l) in lists.iter().enumerate() {
        for (rank, &(c, i)) in l.iter().enumerate() {
            by_point[i as usize].push((c, j as u32, rank as u32));
        }
    }
    drop(lists);
    for l in &mut by_point {
        l.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    }

    let mut lambda: Vec<f64> = start.iter().zip(&cap).map(|(&l, &c)| l.min(c)).collect();
    let mut best = f64::NEG_INFINITY;
    let mut mu = 2.0;
    let mut stall = 0;
    let mut value = vec![0.0f64; m];
    let mut take: Vec<Vec<(u32, f64)>> = vec![Vec::new(); m];
    let mut order: Vec<usize> = (0..m).collect();
    // The sites that must open come first in each iteration's choice, then the cheapest.
    let free: Vec<bool> = pb.candidates.iter().map(|c| !c.fixed).collect();
    let mut g = vec![0.0f64; n];
    let mut ranked: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); m];
    let mut items: Vec<(u32, f64)> = Vec::new();
    for it in 0..iterations {
        if it > 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        ranked.iter_mut().for_each(Vec::clear);
        for (i, l) in by_point.iter().enumerate() {
            let li = lambda[i];
            for &(c, j, rank) in l {
                let r = c as f64 - li;
                if r >= 0.0 {
                    break;
                }
                ranked[j as usize].push((rank, i as u32, r));
            }
        }
        for j in 0..m {
            let rj = &mut ranked[j];
            rj.sort_unstable_by_key(|x| x.0);
            items.clear();
            items.extend(rj.iter().map(|&(_, i, r)| (i, r)));
            let (v, chosen) = knapsack(pb, &items, pb.candidates[j].max);
            value[j] = pb.candidates[j].fixed_cost + v;
            take[j] = chosen;
        }
        let p = pb.p.min(m);
        order.select_nth_unstable_by(p - 1, |&a, &b| {
            free[a]
                .cmp(&free[b])
                .then(value[a].total_cmp(&value[b]))
                .then(a.cmp(&b))
        });
        let l: f64 = lambda.iter().sum::<f64>() + order[..p].iter().map(|&j| value[j]).sum::<f64>();
        if best == f64::NEG_INFINITY || l > best + 1e-9 * best.abs().max(1.0) {
            best = l;
            stall = 0;
            if let Some(c) = heuristic(&order[..p]) {
                upper = upper.min(c);
            }
        } else {
            stall += 1;
            if stall >= 20 {
                mu /= 2.0;
                stall = 0;
            }
        }
        if mu < 1e-4 || best >= upper - 1e-9 * upper.abs().max(1.0) {
            break;
        }
        g.iter_mut().for_each(|x| *x = 1.0);
        for &j in &order[..p] {
            for &(i, f) in &take[j] {
                g[i as usize] -= f;
            }
        }
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm < 1e-12 {
            break;
        }
        let step = mu * (upper - l).max(1e-9 * upper.abs().max(1.0)) / norm;
        for i in 0..n {
            lambda[i] = (lambda[i] + step * g[i]).min(cap[i]);
        }
    }
    // Distances and weights are never negative: any solution costs at least its p cheapest
    // fixed costs, a floor for a subgradient run stopped early far from its optimum.
    let mut fixed: Vec<f64> = pb.candidates.iter().map(|c| c.fixed_cost).collect();
    fixed.sort_unstable_by(f64::total_cmp);
    let floor: f64 = fixed.iter().take(pb.p).sum();
    (best - rounding).max(floor)
}

/// Most negative total of `items` (point, reduced cost) within `capacity`, with the fraction of
/// each point taken. Exact 0/1 when the table is small, fractional (greedy by ratio) otherwise.
fn knapsack(pb: &Siting, items: &[(u32, f64)], capacity: i64) -> (f64, Vec<(u32, f64)>) {
    let total: i64 = items.iter().map(|&(i, _)| pb.demand[i as usize]).sum();
    if total <= capacity {
        return (
            items.iter().map(|x| x.1).sum(),
            items.iter().map(|&(i, _)| (i, 1.0)).collect(),
        );
    }
    let cap = capacity.max(0) as usize;
    if items.len() * (cap + 1) <= DP_CELLS {
        return knapsack_dp(pb, items, cap);
    }
    let mut by: Vec<(u32, f64)> = items.to_vec();
    let ratio = |&(i, r): &(u32, f64)| {
        let q = pb.demand[i as usize];
        if q == 0 {
            f64::NEG_INFINITY
        } else {
            r / q as f64
        }
    };
    by.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)).then(a.0.cmp(&b.0)));
    let mut left = capacity as f64;
    let mut v = 0.0;
    let mut chosen = Vec::new();
    for (i, r) in by {
        let q = pb.demand[i as usize] as f64;
        if q <= left {
            left -= q;
            v += r;
            chosen.push((i, 1.0));
        } else {
            let f = left / q;
            v += r * f;
            chosen.push((i, f));
            break;
        }
    }
    (v, chosen)
}

fn knapsack_dp(pb: &Siting, items: &[(u32, f64)], cap: usize) -> (f64, Vec<(u32, f64)>) {
    let k = items.len();
    // best[c] = most negative sum using capacity at most c; keep decisions for backtracking.
    let mut best = vec![0.0f64; cap + 1];
    let mut took = vec![false; k * (cap + 1)];
    for (t, &(i, r)) in items.iter().enumerate() {
        let q = pb.demand[i as usize] as usize;
        if q > cap {
            continue;
        }
        for c in (q..=cap).rev() {
            let cand = best[c - q] + r;
            if cand < best[c] {
                best[c] = cand;
                took[t * (cap + 1) + c] = true;
            }
        }
    }
    let mut c = cap;
    let mut chosen = Vec::new();
    for t in (0..k).rev() {
        if took[t * (cap + 1) + c] {
            let (i, _) = items[t];
            chosen.push((i, 1.0));
            c -= pb.demand[i as usize] as usize;
        }
    }
    (best[cap], chosen)
}

/// The `keep` nearest points of each candidate, sorted by cost (`f32`), and each point's cap:
/// the least cost of the pairs left out (infinite when none is).
fn nearest_lists(pb: &Siting, keep: usize) -> (Vec<Vec<(f32, u32)>>, Vec<f64>) {
    let (n, m) = (pb.n(), pb.m());
    let mut cap = vec![f64::INFINITY; n];
    let sorted = |mut v: Vec<(f64, u32)>| -> Vec<(f32, u32)> {
        v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        v.into_iter()
            .filter(|c| c.0.is_finite())
            .map(|(c, i)| (c as f32, i))
            .collect()
    };
    if let (Distances::Euclid { .. }, true) = (&pb.distances, keep < n) {
        // Straight lines: R-trees instead of a scan of every pair. A point left out of a
        // candidate's list is farther from it than every point kept.
        let points = rstar::RTree::bulk_load(
            pb.point_xy
                .iter()
                .enumerate()
                .map(|(i, &xy)| rstar::primitives::GeomWithData::new(xy, i as u32))
                .collect(),
        );
        let lists: Vec<Vec<(f32, u32)>> = (0..m)
            .map(|j| {
                sorted(
                    points
                        .nearest_neighbor_iter(pb.candidate_xy[j])
                        .take(keep)
                        .map(|g| (pb.cost(g.data as usize, j), g.data))
                        .collect(),
                )
            })
            .collect();
        let mut listed: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (j, l) in lists.iter().enumerate() {
            for &(_, i) in l {
                listed[i as usize].push(j as u32);
            }
        }
        let candidates = super::search::candidate_tree(pb);
        for i in 0..n {
            listed[i].sort_unstable();
            // The nearest candidate whose list leaves `i` out gives the least cost left out.
            if let Some(g) = candidates
                .nearest_neighbor_iter(pb.point_xy[i])
                .find(|g| listed[i].binary_search(&(g.data as u32)).is_err())
            {
                cap[i] = pb.cost(i, g.data);
            }
        }
        return (lists, cap);
    }
    let lists = (0..m)
        .map(|j| {
            let mut v: Vec<(f64, u32)> = (0..n).map(|i| (pb.cost(i, j), i as u32)).collect();
            if keep < n {
                v.select_nth_unstable_by(keep - 1, |a, b| a.0.total_cmp(&b.0));
                for &(c, i) in &v[keep..] {
                    let i = i as usize;
                    cap[i] = cap[i].min(c);
                }
                v.truncate(keep);
            }
            sorted(v)
        })
        .collect();
    (lists, cap)
}
