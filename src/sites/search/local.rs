//! The local steps of a region's re-optimisation: location-allocation (assign, then move each
//! site to its catchment's best place) and site substitution (close a site, open another
//! candidate, reassign).

use super::super::assign::{assign, Assigned};
use super::{Ctx, EPS};
use rand::seq::SliceRandom;
use rand_pcg::Pcg64Mcg;
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

/// Site substitution on a region: tries opening each candidate of the pool instead of one of
/// the two sites nearest to it, keeps the first change that lowers the cost, until none does or
/// the budget of assignments is spent.
pub(super) fn substitute(
    ctx: &Ctx,
    points: &[usize],
    pool: &[usize],
    sites: Vec<usize>,
    a: Assigned,
    taken: &[bool],
    rng: &mut Pcg64Mcg,
) -> (Vec<usize>, Assigned) {
    let pb = ctx.pb;
    let (mut sites, mut a) = (sites, a);
    let mut budget = (3 * pool.len() + 16).min(48);
    'outer: loop {
        let mut order: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&j| !taken[j] && !sites.contains(&j))
            .collect();
        order.shuffle(rng);
        for &j in &order {
            let [x, y] = pb.candidate_xy[j];
            let mut near: Vec<(f64, usize)> = sites
                .iter()
                .enumerate()
                .map(|(s, &c)| {
                    let [u, v] = pb.candidate_xy[c];
                    ((x - u) * (x - u) + (y - v) * (y - v), s)
                })
                .collect();
            near.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let movable = near
                .iter()
                .filter(|&&(_, s)| !pb.candidates[sites[s]].fixed);
            for &(_, s) in movable.take(2) {
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
        }
        break;
    }
    (sites, a)
}
