//! The local steps of a region's re-optimisation: location-allocation (assign, then move each
//! site to its catchment's best place) and site substitution (close a site, open another
//! candidate, reassign).

use super::super::assign::{assign, Assigned};
use super::{Ctx, EPS};
use std::time::Instant;

/// Location step: each slot but the fixed ones moves to the candidate that serves its members at least cost
/// within its bounds, among its members' own nearest candidates. Returns whether a site moved.
fn relocate(
    ctx: &Ctx,
    points: &[usize],
    sites: &mut [usize],
    a: &Assigned,
    taken: &[bool],
) -> bool {
    let pb = ctx.pb;
    let w = sites.len();
    let mut members = vec![Vec::new(); w];
    for (k, &s) in a.slot.iter().enumerate() {
        if s != u32::MAX {
            members[s as usize].push(points[k]);
        }
    }
    let mut moved = false;
    let mut pool = Vec::new();
    for s in 0..w {
        if pb.candidates[sites[s]].fixed {
            continue;
        }
        let load = a.load[s];
        let value = |j: usize| -> f64 {
            let c = &pb.candidates[j];
            if c.max < load || c.min > load {
                return f64::INFINITY;
            }
            c.fixed_cost + members[s].iter().map(|&i| pb.cost(i, j)).sum::<f64>()
        };
        pool.clear();
        for &i in &members[s] {
            pool.extend(ctx.near_cands[i].iter().take(2));
        }
        pool.sort_unstable();
        pool.dedup();
        let mut best = (value(sites[s]), sites[s]);
        for &j in &pool {
            if j == best.1 || taken[j] || sites.contains(&j) {
                continue;
            }
            let v = value(j);
            if v < best.0 - EPS {
                best = (v, j);
            }
        }
        if best.1 != sites[s] {
            sites[s] = best.1;
            moved = true;
        }
    }
    moved
}

/// Location-allocation until stable (or `deadline`): assign, move each site to its
/// catchment's best place.
pub(super) fn locate_allocate(
    ctx: &Ctx,
    points: &[usize],
    mut sites: Vec<usize>,
    taken: &[bool],
    deadline: Option<Instant>,
) -> (Vec<usize>, Assigned) {
    let pb = ctx.pb;
    let mut a = assign(pb, points, &sites);
    for _ in 0..20 {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let mut next = sites.clone();
        if !relocate(ctx, points, &mut next, &a, taken) {
            break;
        }
        let b = assign(pb, points, &next);
        if !(b.feasible && (b.cost < a.cost - EPS || !a.feasible)) {
            break;
        }
        sites = next;
        a = b;
    }
    (sites, a)
}

/// Site substitution on a region: every candidate `j` of the pool (sorted, none taken) against every movable site
/// `s` of the region, most promising first. A swap is ranked by a lower bound on the region's
/// cost after it, each point at its cheapest remaining site with no bound on the loads (the
/// capacitated cost can only be higher); a swap whose bound does not beat the current cost
/// is not tried, the others are tried by a full assignment in increasing order of their bound,
/// and the first that lowers the cost is kept, then location-allocation. Until no swap does,
/// or the budget of assignments is spent.
pub(super) fn substitute(
    ctx: &Ctx,
    points: &[usize],
    pool: &[usize],
    sites: Vec<usize>,
    a: Assigned,
    taken: &[bool],
) -> (Vec<usize>, Assigned) {
    let pb = ctx.pb;
    let (mut sites, mut a) = (sites, a);
    let mut budget = (3 * pool.len() + 16).min(48);
    debug_assert!(pool.windows(2).all(|x| x[0] < x[1]) && pool.iter().all(|&j| !taken[j]));
    let m = pool.len();
    // Cost of every point to every candidate of the pool (sorted, none taken), tabulated once.
    let to_pool: Vec<f64> = points
        .iter()
        .flat_map(|&i| pool.iter().map(move |&j| pb.cost(i, j)))
        .collect();
    let mut trials: Vec<(f64, usize, usize)> = Vec::new();
    // Each point's cheapest site of the region, which one, and its second cheapest: the
    // cheapest once a site closes is the second when that site was the first.
    let mut nearest: Vec<(f64, usize, f64)> = Vec::with_capacity(points.len());
    'outer: while budget > 0 {
        let fixed: f64 = sites.iter().map(|&j| pb.candidates[j].fixed_cost).sum();
        // The region's sites are candidates of the pool (location-allocation moves them among
        // their members' nearest candidates, which the pool holds); looked up there.
        let column: Vec<Option<usize>> = sites.iter().map(|j| pool.binary_search(j).ok()).collect();
        let mut is_site = vec![false; m];
        column.iter().flatten().for_each(|&b| is_site[b] = true);
        nearest.clear();
        nearest.extend(points.iter().enumerate().map(|(k, &i)| {
            let mut best = (f64::INFINITY, usize::MAX, f64::INFINITY);
            for (r, c) in column.iter().enumerate() {
                let d = c.map_or_else(|| pb.cost(i, sites[r]), |b| to_pool[k * m + b]);
                if d < best.0 {
                    best = (d, r, best.0);
                } else if d < best.2 {
                    best.2 = d;
                }
            }
            best
        }));
        let bar = if a.feasible {
            a.cost - EPS * a.cost.abs().max(1.0)
        } else {
            f64::INFINITY
        };
        trials.clear();
        for (s, &site) in sites.iter().enumerate() {
            if pb.candidates[site].fixed {
                continue;
            }
            let base = fixed - pb.candidates[site].fixed_cost;
            for (b, &j) in pool.iter().enumerate() {
                if is_site[b] {
                    continue;
                }
                let mut lb = base + pb.candidates[j].fixed_cost;
                for (k, &(first, r, second)) in nearest.iter().enumerate() {
                    let others = if r == s { second } else { first };
                    lb += others.min(to_pool[k * m + b]);
                }
                if lb < bar {
                    trials.push((lb, s, j));
                }
            }
        }
        trials.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        for &(_, s, j) in &trials {
            if budget == 0 {
                break 'outer;
            }
            budget -= 1;
            let mut next = sites.clone();
            next[s] = j;
            let b = assign(pb, points, &next);
            if b.feasible && (b.cost < a.cost - EPS || !a.feasible) {
                let (ns, nb) = locate_allocate(ctx, points, next, taken, None);
                sites = ns;
                a = nb;
                continue 'outer;
            }
        }
        break;
    }
    (sites, a)
}
