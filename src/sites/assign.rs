//! Capacitated assignment for fixed sites (a generalised assignment problem): regret-ordered
//! greedy, then shifts and swaps between sites until no move improves, then a repair of sites
//! under their minimum.
//!
//! Works on a subset of points and a list of open candidates ("slots"), so that the same code
//! serves the whole instance and the small regions the search re-optimises. Costs are tabulated
//! once per call (`points x slots`); with at most [`WIDE`] slots every slot is scanned, beyond
//! that each point only looks at its [`WIDE`] cheapest slots (and at all of them when those are
//! full).

use super::problem::Siting;

/// Beyond this many slots, a point only considers its cheapest `WIDE` ones in local search.
pub const WIDE: usize = 24;
const EPS: f64 = 1e-9;

/// The outcome of an assignment.
#[derive(Clone, Debug)]
pub struct Assigned {
    /// Slot of each point (`u32::MAX`: no open site with room can reach it).
    pub slot: Vec<u32>,
    /// Load of each slot.
    pub load: Vec<i64>,
    /// Sum of point costs plus fixed costs of the slots.
    pub cost: f64,
    /// Every point placed and every slot within its bounds.
    pub feasible: bool,
}

/// Assigns `points` (indices into the problem) to the candidates `sites`.
pub fn assign(pb: &Siting, points: &[usize], sites: &[usize]) -> Assigned {
    let n = points.len();
    let w = sites.len();
    let max: Vec<i64> = sites.iter().map(|&j| pb.candidates[j].max).collect();
    let min: Vec<i64> = sites.iter().map(|&j| pb.candidates[j].min).collect();
    let q: Vec<i64> = points.iter().map(|&i| pb.demand[i]).collect();
    let cost = Costs { pb, points, sites };
    // Candidate slots of each point, cheapest first: all of them when few; otherwise the
    // nearest by straight line (twice as many as kept), re-ranked by cost.
    let keep = w.min(WIDE);
    let mut near: Vec<u32> = Vec::with_capacity(n * keep);
    if keep == w {
        let mut row: Vec<(f64, u32)> = Vec::with_capacity(w);
        for k in 0..n {
            row.clear();
            row.extend((0..w as u32).map(|s| (cost.at(k, s as usize), s)));
            row.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            near.extend(row.iter().map(|x| x.1));
        }
    } else {
        let tree = rstar::RTree::bulk_load(
            sites
                .iter()
                .enumerate()
                .map(|(s, &j)| rstar::primitives::GeomWithData::new(pb.candidate_xy[j], s as u32))
                .collect(),
        );
        let mut row: Vec<(f64, u32)> = Vec::with_capacity(2 * keep);
        for (k, &i) in points.iter().enumerate() {
            row.clear();
            row.extend(
                tree.nearest_neighbor_iter(pb.point_xy[i])
                    .take((2 * keep).min(w))
                    .map(|g| (cost.at(k, g.data as usize), g.data)),
            );
            row.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            near.extend(row.iter().take(keep).map(|x| x.1));
        }
    }
    let near_of = |k: usize| &near[k * keep..(k + 1) * keep];

    // Regret order: points whose second choice is much worse go first.
    let mut order: Vec<usize> = (0..n).collect();
    let regret: Vec<f64> = (0..n)
        .map(|k| {
            let l = near_of(k);
            let c1 = cost.at(k, l[0] as usize);
            let c2 = if keep > 1 {
                cost.at(k, l[1] as usize)
            } else {
                f64::INFINITY
            };
            let r = c2 - c1;
            if r.is_finite() {
                r * (1.0 + q[k] as f64)
            } else {
                f64::MAX
            }
        })
        .collect();
    order.sort_by(|&a, &b| {
        regret[b]
            .total_cmp(&regret[a])
            .then(q[b].cmp(&q[a]))
            .then(a.cmp(&b))
    });

    let mut slot = vec![u32::MAX; n];
    let mut load = vec![0i64; w];
    for &k in &order {
        let fits = |s: usize, load: &[i64]| load[s] + q[k] <= max[s] && cost.at(k, s).is_finite();
        let mut chosen = near_of(k)
            .iter()
            .map(|&s| s as usize)
            .find(|&s| fits(s, &load));
        if chosen.is_none() && keep < w {
            chosen = (0..w)
                .filter(|&s| fits(s, &load))
                .min_by(|&a, &b| cost.at(k, a).total_cmp(&cost.at(k, b)));
        }
        if let Some(s) = chosen {
            slot[k] = s as u32;
            load[s] += q[k];
        }
    }

    let mut members: Vec<Vec<usize>> = vec![Vec::new(); w];
    for k in 0..n {
        if slot[k] != u32::MAX {
            members[slot[k] as usize].push(k);
        }
    }
    improve(
        &cost,
        &q,
        &max,
        &min,
        &near,
        keep,
        &mut slot,
        &mut load,
        &mut members,
    );
    repair_min(&cost, w, &q, &max, &min, &mut slot, &mut load, &mut members);

    let mut total: f64 = sites.iter().map(|&j| pb.candidates[j].fixed_cost).sum();
    let mut feasible = true;
    for (k, &s) in slot.iter().enumerate() {
        if s == u32::MAX {
            feasible = false;
        } else {
            total += cost.at(k, s as usize);
        }
    }
    feasible &= (0..w).all(|s| load[s] >= min[s] && load[s] <= max[s]);
    Assigned {
        slot,
        load,
        cost: total,
        feasible,
    }
}

/// Point-to-slot costs, computed on demand (a Euclidean distance or a matrix lookup).
struct Costs<'a> {
    pb: &'a Siting,
    points: &'a [usize],
    sites: &'a [usize],
}

impl Costs<'_> {
    #[inline]
    fn at(&self, k: usize, s: usize) -> f64 {
        self.pb.cost(self.points[k], self.sites[s])
    }
}

fn remove(members: &mut [Vec<usize>], s: usize, k: usize) {
    let v = &mut members[s];
    let pos = v.iter().position(|&x| x == k).expect("member listed");
    v.swap_remove(pos);
}

/// Moves point `k` (demand `q`) from its slot (if any) to slot `to`.
fn shift(
    slot: &mut [u32],
    load: &mut [i64],
    members: &mut [Vec<usize>],
    q: i64,
    k: usize,
    to: usize,
) {
    let from = slot[k];
    if from != u32::MAX {
        load[from as usize] -= q;
        remove(members, from as usize, k);
    }
    slot[k] = to as u32;
    load[to] += q;
    members[to].push(k);
}

/// Two moves at once: point `k` from slot `a` to slot `s`, and point `k2` from `s` to `t`
/// (`t == a`: a swap; otherwise an ejection chain).
fn chain(
    slot: &mut [u32],
    load: &mut [i64],
    members: &mut [Vec<usize>],
    q: &[i64],
    (k, a, s): (usize, usize, usize),
    (k2, t): (usize, usize),
) {
    load[a] -= q[k];
    load[s] += q[k] - q[k2];
    load[t] += q[k2];
    slot[k] = s as u32;
    slot[k2] = t as u32;
    remove(members, a, k);
    remove(members, s, k2);
    members[s].push(k);
    members[t].push(k2);
}

/// Shifts (one point to another slot) and swaps (two points exchange slots) while they lower
/// the cost and respect the bounds. First improvement, passes until none.
#[allow(clippy::too_many_arguments)]
fn improve(
    cost: &Costs,
    q: &[i64],
    max: &[i64],
    min: &[i64],
    near: &[u32],
    keep: usize,
    slot: &mut [u32],
    load: &mut [i64],
    members: &mut [Vec<usize>],
) {
    let n = slot.len();
    for _pass in 0..50 {
        let mut moved = false;
        for k in 0..n {
            let a = slot[k];
            if a == u32::MAX {
                continue;
            }
            let a = a as usize;
            let ca = cost.at(k, a);
            for &s in &near[k * keep..(k + 1) * keep] {
                let s = s as usize;
                let cs = cost.at(k, s);
                if s == a || cs >= ca - EPS || cs.is_nan() {
                    continue;
                }
                // Shift.
                if load[s] + q[k] <= max[s] && load[a] - q[k] >= min[a].min(load[a]) {
                    shift(slot, load, members, q[k], k, s);
                    moved = true;
                    break;
                }
                // Swap with a point of s that is cheap to bring to a.
                let mut best: Option<(usize, f64)> = None;
                for &k2 in &members[s] {
                    let d = cs + cost.at(k2, a) - ca - cost.at(k2, s);
                    if d < -EPS
                        && load[s] - q[k2] + q[k] <= max[s]
                        && load[a] - q[k] + q[k2] <= max[a]
                        && load[s] - q[k2] + q[k] >= min[s].min(load[s])
                        && load[a] - q[k] + q[k2] >= min[a].min(load[a])
                        && best.is_none_or(|(_, bd)| d < bd)
                    {
                        best = Some((k2, d));
                    }
                }
                if let Some((k2, _)) = best {
                    chain(slot, load, members, q, (k, a, s), (k2, a));
                    moved = true;
                    break;
                }
                // Ejection: k goes to s, which makes room by sending one of its points k2 to a
                // third slot t that has room.
                let mut best: Option<(usize, usize, f64)> = None;
                let gain = cs - ca;
                for &k2 in &members[s] {
                    if load[s] - q[k2] + q[k] > max[s]
                        || load[s] - q[k2] + q[k] < min[s].min(load[s])
                    {
                        continue;
                    }
                    let c2s = cost.at(k2, s);
                    for &t in &near[k2 * keep..(k2 + 1) * keep] {
                        let t = t as usize;
                        if t == s || t == a {
                            continue;
                        }
                        let d = gain + cost.at(k2, t) - c2s;
                        if d >= -EPS {
                            break; // near lists are sorted by cost: later t are dearer
                        }
                        if load[t] + q[k2] <= max[t] && best.is_none_or(|(_, _, bd)| d < bd) {
                            best = Some((k2, t, d));
                        }
                    }
                }
                if let Some((k2, t, _)) = best {
                    if load[a] - q[k] >= min[a].min(load[a]) {
                        chain(slot, load, members, q, (k, a, s), (k2, t));
                        moved = true;
                        break;
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// Brings slots under their minimum up by pulling the points that cost least to move from
/// slots that can spare them.
#[allow(clippy::too_many_arguments)]
fn repair_min(
    cost: &Costs,
    w: usize,
    q: &[i64],
    max: &[i64],
    min: &[i64],
    slot: &mut [u32],
    load: &mut [i64],
    members: &mut [Vec<usize>],
) {
    for s in 0..w {
        while load[s] < min[s] {
            let mut best: Option<(usize, f64)> = None;
            for k in 0..slot.len() {
                let t = slot[k];
                let from_spare = t == u32::MAX || {
                    let t = t as usize;
                    t != s && load[t] - q[k] >= min[t]
                };
                if !from_spare || load[s] + q[k] > max[s] || !cost.at(k, s).is_finite() {
                    continue;
                }
                let before = if t == u32::MAX {
                    0.0
                } else {
                    cost.at(k, t as usize)
                };
                let d = cost.at(k, s) - before;
                if best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((k, d));
                }
            }
            let Some((k, _)) = best else { break };
            shift(slot, load, members, q[k], k, s);
        }
    }
}
