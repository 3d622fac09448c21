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
    let mut estimate = vec![0.0f64; m];
    let mut scratch: Vec<(f64, u32, f64)> = Vec::new();
    let mut best_p: std::collections::BinaryHeap<Key> = std::collections::BinaryHeap::new();
    let mut open: Vec<usize> = Vec::new();
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
        // Each candidate's knapsack estimated by its fractional relaxation (a lower value, in
        // k log k), then solved exactly only while it can still be among the p best: in the
        // order of the estimates, until the next estimate is above the p-th best exact value.
        // The same p sites as solving every knapsack, for a few more than p knapsacks.
        for j in 0..m {
            let rj = &mut ranked[j];
            rj.sort_unstable_by_key(|x| x.0);
            items.clear();
            items.extend(rj.iter().map(|&(_, i, r)| (i, r)));
            estimate[j] = pb.candidates[j].fixed_cost
                + fractional(pb, &items, pb.candidates[j].max, &mut scratch, None);
        }
        order.sort_unstable_by(|&a, &b| {
            free[a]
                .cmp(&free[b])
                .then(estimate[a].total_cmp(&estimate[b]))
                .then(a.cmp(&b))
        });
        let p = pb.p.min(m);
        best_p.clear();
        for &j in &order {
            if let (true, Some(top)) = (best_p.len() == p, best_p.peek()) {
                let slack = 1e-9 * top.1.abs().max(1.0);
                if (free[j] && !top.0) || (free[j] == top.0 && estimate[j] > top.1 + slack) {
                    break;
                }
            }
            items.clear();
            items.extend(ranked[j].iter().map(|&(_, i, r)| (i, r)));
            let (v, chosen) = knapsack(pb, &items, pb.candidates[j].max);
            value[j] = pb.candidates[j].fixed_cost + v;
            take[j] = chosen;
            best_p.push(Key(free[j], value[j], j));
            if best_p.len() > p {
                best_p.pop();
            }
        }
        open.clear();
        open.extend(best_p.iter().map(|k| k.2));
        open.sort_unstable();
        let l: f64 = lambda.iter().sum::<f64>() + open.iter().map(|&j| value[j]).sum::<f64>();
        if best == f64::NEG_INFINITY || l > best + 1e-9 * best.abs().max(1.0) {
            best = l;
            stall = 0;
            if let Some(c) = heuristic(&open) {
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
        for &j in &open {
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
    let cap = capacity.max(0) as usize;
    if total > capacity && items.len() * (cap + 1) <= DP_CELLS {
        return knapsack_dp(pb, items, cap);
    }
    let mut chosen = Vec::new();
    let v = fractional(pb, items, capacity, &mut Vec::new(), Some(&mut chosen));
    (v, chosen)
}

/// The fractional relaxation of the knapsack: every item when all fit, else items by reduced
/// cost per unit of demand (then by point), the last one cut; with `chosen`, the fraction of
/// each point taken. Never above the 0/1 knapsack's value, so it bounds [`knapsack`] from
/// below. `by` is scratch space.
fn fractional(
    pb: &Siting,
    items: &[(u32, f64)],
    capacity: i64,
    by: &mut Vec<(f64, u32, f64)>,
    mut chosen: Option<&mut Vec<(u32, f64)>>,
) -> f64 {
    let total: i64 = items.iter().map(|&(i, _)| pb.demand[i as usize]).sum();
    if total <= capacity {
        if let Some(c) = chosen {
            c.extend(items.iter().map(|&(i, _)| (i, 1.0)));
        }
        return items.iter().map(|x| x.1).sum();
    }
    by.clear();
    by.extend(items.iter().map(|&(i, r)| {
        let q = pb.demand[i as usize];
        let ratio = if q == 0 {
            f64::NEG_INFINITY
        } else {
            r / q as f64
        };
        (ratio, i, r)
    }));
    by.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut left = capacity.max(0) as f64;
    let mut v = 0.0;
    for &(_, i, r) in by.iter() {
        let q = pb.demand[i as usize] as f64;
        let f = if q <= left { 1.0 } else { left / q };
        left -= q * f;
        v += r * f;
        if let Some(c) = chosen.as_deref_mut() {
            c.push((i, f));
        }
        if f < 1.0 {
            break;
        }
    }
    v
}

/// A candidate in the choice of the p best: must-open sites first, then by value, then index.
struct Key(bool, f64, usize);

impl PartialEq for Key {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o).is_eq()
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0
            .cmp(&o.0)
            .then(self.1.total_cmp(&o.1))
            .then(self.2.cmp(&o.2))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::Distances;

    /// The fractional relaxation never exceeds the knapsack's value (else the choice of the p
    /// best sites by estimate could miss one), and equals it when everything fits.
    #[test]
    fn fractional_estimate_stays_below_the_knapsack() {
        let mut state = 7u64;
        let mut next = |k: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % k
        };
        for _ in 0..500 {
            let n = 1 + next(30) as usize;
            let demand: Vec<i64> = (0..n).map(|_| next(6) as i64).collect();
            let pb = Siting {
                point_xy: vec![[0.0, 0.0]; n],
                demand,
                weight: vec![1.0; n],
                candidate_xy: Vec::new(),
                candidates: Vec::new(),
                p: 0,
                distances: Distances::Euclid { floor: false },
            };
            let items: Vec<(u32, f64)> = (0..n)
                .map(|i| (i as u32, -(1.0 + next(1000) as f64)))
                .collect();
            let capacity = next(40) as i64;
            let (exact, _) = knapsack(&pb, &items, capacity);
            let est = fractional(&pb, &items, capacity, &mut Vec::new(), None);
            assert!(
                est <= exact + 1e-9,
                "estimate {est} above the knapsack {exact}"
            );
            if pb.demand.iter().sum::<i64>() <= capacity {
                assert_eq!(est, exact);
            }
        }
    }
}
