//! Capacitated assignment for fixed sites (a generalised assignment problem): regret-ordered
//! greedy, then shifts and swaps between sites until no move improves, then a repair of sites
//! under their minimum.
//!
//! Works on a subset of points and a list of open candidates ("slots"), so that the same code
//! serves the whole instance and the small regions the search re-optimises. Costs are tabulated
//! once per call (`points x slots`); with at most [`WIDE`] slots every slot is scanned, beyond
//! that each point only looks at its [`WIDE`] cheapest slots (and at all of them when those are
//! full).

use super::problem::{Distances, Siting};

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
    assign_by(pb, points, sites, false)
}

/// As [`assign`], but minimising `weight x distance²` when `squared` (the k-means objective,
/// used to shape a start); the returned cost is then in squared units.
pub fn assign_by(pb: &Siting, points: &[usize], sites: &[usize], squared: bool) -> Assigned {
    let n = points.len();
    let w = sites.len();
    let max: Vec<i64> = sites.iter().map(|&j| pb.candidates[j].max).collect();
    let min: Vec<i64> = sites.iter().map(|&j| pb.candidates[j].min).collect();
    let q: Vec<i64> = points.iter().map(|&i| pb.demand[i]).collect();
    let mut cost = Costs {
        pb,
        points,
        sites,
        squared,
        table: Vec::new(),
    };
    // Candidate slots of each point, cheapest first: all of them when few; otherwise the
    // nearest by straight line (twice as many as kept), re-ranked by cost.
    let keep = w.min(WIDE);
    if keep == w {
        cost.tabulate();
    }
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
        // On straight lines the cost grows with the distance: the nearest are the cheapest.
        let look = if matches!(pb.distances, Distances::Euclid { .. }) {
            keep
        } else {
            (2 * keep).min(w)
        };
        let mut row: Vec<(f64, u32)> = Vec::with_capacity(look);
        for (k, &i) in points.iter().enumerate() {
            row.clear();
            row.extend(
                tree.nearest_neighbor_iter(pb.point_xy[i])
                    .take(look)
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
    cancel_cycles(
        &cost,
        &q,
        (&min, &max),
        (&near, keep),
        &mut slot,
        &mut load,
        &mut members,
    );

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

/// Point-to-slot costs: a table when every point looks at every slot (regions), computed on
/// demand otherwise (a Euclidean distance or a matrix lookup).
struct Costs<'a> {
    pb: &'a Siting,
    points: &'a [usize],
    sites: &'a [usize],
    squared: bool,
    /// `table[k * sites.len() + s]`, when filled.
    table: Vec<f64>,
}

impl Costs<'_> {
    /// Fills the table (`points x sites` costs).
    fn tabulate(&mut self) {
        let w = self.sites.len();
        let table = (0..self.points.len() * w)
            .map(|x| self.compute(x / w, x % w))
            .collect();
        self.table = table;
    }

    #[inline]
    fn at(&self, k: usize, s: usize) -> f64 {
        if self.table.is_empty() {
            self.compute(k, s)
        } else {
            self.table[k * self.sites.len() + s]
        }
    }

    #[inline]
    fn compute(&self, k: usize, s: usize) -> f64 {
        let (i, j) = (self.points[k], self.sites[s]);
        if self.squared {
            let d = self.pb.distance(i, j);
            self.pb.weight[i] * d * d
        } else {
            self.pb.cost(i, j)
        }
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
/// the cost and respect the bounds. First improvement, passes until none. Longer chains of
/// moves are left to [`cancel_cycles`].
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
                // Swap with a point of s that is cheap to bring to a (on wide problems the
                // cycle cancelling below finds swaps at a fraction of the cost).
                if keep >= WIDE {
                    continue;
                }
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

/// A cycle of moves found by [`cancel_cycles`]: `(from node, to node, point)`, the point
/// `u32::MAX` on the arcs through the slack node.
type Cycle = Vec<(usize, usize, u32)>;

const NONE: u32 = u32::MAX;

/// Negative-cycle cancelling on the graph of slots: an arc `s -> t` moves the point of `s`
/// that gains most by going to `t` (among the points that list `t` as one of their cheapest
/// slots), at cost `c(k, t) - c(k, s)`; a slack node `Z` has an arc to every slot that can
/// lose a foyer and from every slot that can take one. A negative cycle is a set of moves that
/// lowers the cost and keeps every slot within its bounds (cycles through `Z` are transfer
/// paths from a slot above its minimum to one below its maximum). Cancelling cycles until
/// none is left is the optimality condition of the transportation problem: with one foyer per
/// point the assignment is then optimal over the near lists. Larger points can make a cycle
/// break a bound; such a cycle is skipped (its points are left out of the graph).
fn cancel_cycles(
    cost: &Costs,
    q: &[i64],
    (min, max): (&[i64], &[i64]),
    (near, keep): (&[u32], usize),
    slot: &mut [u32],
    load: &mut [i64],
    members: &mut [Vec<usize>],
) {
    let w = load.len();
    if w < 2 {
        return;
    }
    let n = slot.len();
    let z = w;
    let mut banned = vec![false; n];
    let mut scratch: Vec<(f64, u32)> = vec![(f64::INFINITY, NONE); w];
    let mut arcs: Vec<Vec<(u32, f64, u32)>> = vec![Vec::new(); w + 1];
    for s in 0..w {
        arcs[s] = out_arcs(cost, near, keep, s, &members[s], &banned, &mut scratch);
    }
    let mut dist = vec![0.0f64; w + 1];
    let mut parent: Vec<(u32, u32)> = vec![(NONE, NONE); w + 1];
    let mut mark = vec![NONE; w + 1];
    for _ in 0..(4 * n + 100) {
        // Slack arcs follow the loads.
        arcs[z].clear();
        arcs[z].extend(
            (0..w)
                .filter(|&s| load[s] > min[s])
                .map(|s| (s as u32, 0.0, NONE)),
        );
        let Some(cycle) = negative_cycle(
            &arcs,
            |s| load[s] < max[s],
            &mut dist,
            &mut parent,
            &mut mark,
        ) else {
            return;
        };
        // Check the moves against the bounds (points of several foyers can break them).
        let gain: f64 = cycle
            .iter()
            .filter(|a| a.2 != NONE)
            .map(|&(f, t, k)| cost.at(k as usize, t) - cost.at(k as usize, f))
            .sum();
        let mut next: Vec<(usize, i64)> = Vec::with_capacity(cycle.len());
        for &(f, t, k) in &cycle {
            if k == NONE {
                continue;
            }
            for (s, d) in [(f, -q[k as usize]), (t, q[k as usize])] {
                match next.iter_mut().find(|x| x.0 == s) {
                    Some(x) => x.1 += d,
                    None => next.push((s, load[s] + d)),
                }
            }
        }
        let within = next
            .iter()
            .all(|&(s, l)| l >= min[s].min(load[s]) && l <= max[s].max(load[s]));
        if within && gain < -EPS {
            for &(_, t, k) in &cycle {
                if k != NONE {
                    shift(slot, load, members, q[k as usize], k as usize, t);
                }
            }
        } else {
            for &(_, _, k) in &cycle {
                if k != NONE {
                    banned[k as usize] = true;
                }
            }
        }
        for &(f, t, _) in &cycle {
            for s in [f, t] {
                if s != z {
                    arcs[s] = out_arcs(cost, near, keep, s, &members[s], &banned, &mut scratch);
                }
            }
        }
    }
}

/// The arcs out of slot `s`: for every other slot `t`, the member of `s` cheapest to move there.
fn out_arcs(
    cost: &Costs,
    near: &[u32],
    keep: usize,
    s: usize,
    members: &[usize],
    banned: &[bool],
    scratch: &mut [(f64, u32)],
) -> Vec<(u32, f64, u32)> {
    let mut touched: Vec<u32> = Vec::new();
    for &k in members {
        if banned[k] {
            continue;
        }
        let cs = cost.at(k, s);
        for &t in &near[k * keep..(k + 1) * keep] {
            let tu = t as usize;
            if tu == s {
                continue;
            }
            let d = cost.at(k, tu) - cs;
            if !d.is_finite() {
                continue;
            }
            if scratch[tu].1 == NONE {
                touched.push(t);
                scratch[tu] = (d, k as u32);
            } else if d < scratch[tu].0 {
                scratch[tu] = (d, k as u32);
            }
        }
    }
    touched.sort_unstable();
    touched
        .into_iter()
        .map(|t| {
            let (d, k) = std::mem::replace(&mut scratch[t as usize], (f64::INFINITY, NONE));
            (t, d, k)
        })
        .collect()
}

/// Bellman-Ford from a virtual source joined to every node; the last node is the slack node,
/// which every slot `s` with `to_slack(s)` reaches at cost 0. Returns a cycle of the
/// predecessor graph (always negative) as soon as one appears, or `None` once distances settle.
fn negative_cycle(
    arcs: &[Vec<(u32, f64, u32)>],
    to_slack: impl Fn(usize) -> bool,
    dist: &mut [f64],
    parent: &mut [(u32, u32)],
    mark: &mut [u32],
) -> Option<Cycle> {
    let nodes = arcs.len();
    let z = nodes - 1;
    dist.fill(0.0);
    parent.fill((NONE, NONE));
    for _ in 0..=nodes {
        let mut changed = false;
        for u in 0..nodes {
            let du = dist[u];
            for &(v, d, k) in &arcs[u] {
                let v = v as usize;
                if du + d < dist[v] - EPS {
                    dist[v] = du + d;
                    parent[v] = (u as u32, k);
                    changed = true;
                }
            }
            if u != z && du < dist[z] - EPS && to_slack(u) {
                dist[z] = du;
                parent[z] = (u as u32, NONE);
                changed = true;
            }
        }
        if !changed {
            return None;
        }
        // A cycle in the predecessor graph? Walk up from every node, marking by walk.
        mark.fill(NONE);
        for start in 0..nodes {
            let mut v = start;
            while v != NONE as usize && mark[v] == NONE {
                mark[v] = start as u32;
                v = parent[v].0 as usize;
            }
            if v != NONE as usize && mark[v] == start as u32 {
                let mut cycle = Vec::new();
                let mut u = v;
                loop {
                    let (f, k) = parent[u];
                    cycle.push((f as usize, u, k));
                    u = f as usize;
                    if u == v {
                        break;
                    }
                }
                cycle.reverse();
                return Some(cycle);
            }
        }
    }
    None
}
