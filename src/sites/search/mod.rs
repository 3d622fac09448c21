//! The search: location-allocation from a spread-out start, then repeated re-optimisation of
//! small regions (a site and its nearest neighbours, with all their households), in the spirit
//! of Gnägi & Baumann's matheuristic, with a random kick when no region improves.
//!
//! A region's sub-problem is solved by location-allocation plus site substitution (close one of
//! its sites, open another candidate of the region, reassign; the swaps ranked by a bound that
//! ignores the loads, so that few are assigned in full); small regions are solved exactly
//! with the MIP of [`super::exact`] instead. A region result is applied only when it lowers the
//! total cost, so the incumbent never gets worse; kicks work on a copy.

use super::assign::Assigned;
use super::exact;
use super::grid::SlotGrid;
use super::problem::{Distances, Siting};
use super::solution::Sites;
use kick::{far_kick, kick, FAR_KICKS};
use local::{locate_allocate, substitute};
use rand::seq::SliceRandom;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use start::initial;
use std::time::Instant;

mod kick;
mod local;
mod start;

const EPS: f64 = 1e-7;

/// How long and how the search runs.
#[derive(Clone, Debug)]
pub struct SearchParams {
    /// Random seed.
    pub seed: u64,
    /// Stop after this many kicks (deterministic budget).
    pub kicks: usize,
    /// Stop at this instant, if given.
    pub deadline: Option<Instant>,
    /// Stop as soon as the cost reaches this value (a proven lower bound).
    pub target: Option<f64>,
    /// Largest region (sites) re-optimised at once.
    pub max_region: usize,
    /// Solve a region exactly when it has at most this many point x candidate pairs.
    pub exact_pairs: usize,
    /// With road distances, also try the start shaped on straight lines ([`super::SitesParams`]).
    pub shaped_start: bool,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            seed: 1,
            kicks: 200,
            deadline: None,
            target: None,
            max_region: 5,
            exact_pairs: 0,
            shaped_start: true,
        }
    }
}

/// The incumbent: open candidates ("slots") and the slot of every point.
#[derive(Clone, Debug)]
pub struct State {
    /// Candidate of each slot.
    pub sites: Vec<usize>,
    /// Slot of each point (`u32::MAX`: unplaced).
    pub slot: Vec<u32>,
    /// Load of each slot.
    pub load: Vec<i64>,
    /// Total cost.
    pub cost: f64,
    /// Points unplaced or slots out of bounds.
    pub feasible: bool,
}

impl State {
    fn from_assigned(sites: Vec<usize>, a: Assigned) -> State {
        State {
            sites,
            slot: a.slot,
            load: a.load,
            cost: a.cost,
            feasible: a.feasible,
        }
    }

    /// As a [`Sites`] (open candidates ascending).
    pub fn to_sites(&self) -> Sites {
        let mut open = self.sites.clone();
        open.sort_unstable();
        let assign = self
            .slot
            .iter()
            .map(|&s| (s != u32::MAX).then(|| self.sites[s as usize]))
            .collect();
        Sites {
            open,
            assign,
            cost: self.cost,
        }
    }

    fn members(&self) -> Vec<Vec<usize>> {
        let mut m = vec![Vec::new(); self.sites.len()];
        for (i, &s) in self.slot.iter().enumerate() {
            if s != u32::MAX {
                m[s as usize].push(i);
            }
        }
        m
    }
}

/// Statistics of a run.
#[derive(Clone, Debug, Default)]
pub struct SearchStats {
    /// Regions re-optimised.
    pub regions: usize,
    /// Of which solved exactly.
    pub exact_regions: usize,
    /// Region results applied.
    pub improvements: usize,
    /// Global location-allocations that improved a stable region descent.
    pub global_improvements: usize,
    /// Kicks made.
    pub kicks: usize,
    /// Seconds to the first descended solution.
    pub first_seconds: f64,
    /// Its cost.
    pub first_cost: f64,
    /// Seconds spent on the lower bound.
    pub bound_seconds: f64,
    /// Site sets of the Lagrangian relaxation turned into solutions.
    pub lagrangian_tries: usize,
    /// Of which better than the incumbent.
    pub lagrangian_wins: usize,
}

/// Fixed per-instance data: the nearest candidates of each point. Build once per instance.
pub struct Ctx<'a> {
    pb: &'a Siting,
    /// The few cheapest candidates of each point (the pool a region may open).
    near_cands: Vec<Vec<usize>>,
}

const NEAR_CANDS: usize = 4;

/// An R-tree of the candidates' positions, each tagged with its index.
pub(crate) fn candidate_tree(
    pb: &Siting,
) -> rstar::RTree<rstar::primitives::GeomWithData<[f64; 2], usize>> {
    rstar::RTree::bulk_load(
        pb.candidate_xy
            .iter()
            .enumerate()
            .map(|(j, &xy)| rstar::primitives::GeomWithData::new(xy, j))
            .collect(),
    )
}

impl<'a> Ctx<'a> {
    /// Prepares `pb`: with straight-line distances from an R-tree of the candidates
    /// (O(points x log candidates)); with a matrix by scanning it (O(points x candidates)).
    pub fn new(pb: &'a Siting) -> Self {
        let near_cands = match pb.distances {
            Distances::Euclid { .. } => {
                let tree = candidate_tree(pb);
                (0..pb.n())
                    .map(|i| {
                        tree.nearest_neighbor_iter(pb.point_xy[i])
                            .take(NEAR_CANDS)
                            .map(|g| g.data)
                            .collect()
                    })
                    .collect()
            }
            Distances::Sparse(ref rows) => rows
                .iter()
                .map(|row| {
                    let mut v: Vec<(f32, u32)> = row
                        .iter()
                        .filter(|e| e.1.is_finite())
                        .map(|e| (e.1, e.0))
                        .collect();
                    v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    v.into_iter()
                        .take(NEAR_CANDS)
                        .map(|(_, j)| j as usize)
                        .collect()
                })
                .collect(),
            Distances::Matrix(_) => (0..pb.n())
                .map(|i| {
                    let mut v: Vec<(f64, usize)> = (0..pb.m())
                        .map(|j| (pb.distance(i, j), j))
                        .filter(|(d, _)| d.is_finite())
                        .collect();
                    let k = v.len().min(NEAR_CANDS);
                    if k > 0 && k < v.len() {
                        v.select_nth_unstable_by(k - 1, |a, b| {
                            a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
                        });
                        v.truncate(k);
                    }
                    v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    v.into_iter().map(|(_, j)| j).collect()
                })
                .collect(),
        };
        Ctx { pb, near_cands }
    }

    /// Candidates a region over `points` may open: its points' own candidates and their
    /// nearest ones, plus `current`.
    fn region_candidates(&self, points: &[usize], current: &[usize]) -> Vec<usize> {
        let mut c: Vec<usize> = current.to_vec();
        for &i in points {
            c.extend(self.near_cands[i].iter().take(2));
        }
        c.sort_unstable();
        c.dedup();
        c
    }
}

/// A full solution from a set of sites: assignment, then location-allocation until stable or
/// `deadline` (a solution is returned even past it: the first assignment is always made).
pub fn from_sites(ctx: &Ctx, sites: Vec<usize>, deadline: Option<Instant>) -> State {
    let all: Vec<usize> = (0..ctx.pb.n()).collect();
    let (sites, a) = locate_allocate(ctx, &all, sites, &vec![false; ctx.pb.m()], deadline);
    State::from_assigned(sites, a)
}

/// Re-optimises the region of slots `slots`; applies and returns true on improvement.
fn improve_region(
    ctx: &Ctx,
    st: &mut State,
    cat: &mut Catchments,
    slots: &[usize],
    params: &SearchParams,
    stats: &mut SearchStats,
) -> bool {
    // Candidates open outside the region are off limits to it.
    for &s in slots {
        cat.open[st.sites[s]] = false;
    }
    let improved = reoptimise(ctx, st, cat, slots, params, stats);
    for &s in slots {
        cat.open[st.sites[s]] = true;
    }
    improved
}

/// The work of [`improve_region`], with the region's own sites marked closed in `cat.open`.
fn reoptimise(
    ctx: &Ctx,
    st: &mut State,
    cat: &mut Catchments,
    slots: &[usize],
    params: &SearchParams,
    stats: &mut SearchStats,
) -> bool {
    let pb = ctx.pb;
    let taken = &cat.open;
    let points: Vec<usize> = slots
        .iter()
        .flat_map(|&s| cat.members[s].iter().copied())
        .collect();
    if points.is_empty() {
        return false;
    }
    let current: Vec<usize> = slots.iter().map(|&s| st.sites[s]).collect();
    let before: f64 = points
        .iter()
        .map(|&i| pb.cost(i, st.sites[st.slot[i] as usize]))
        .sum::<f64>()
        + current
            .iter()
            .map(|&j| pb.candidates[j].fixed_cost)
            .sum::<f64>();
    let mut pool = ctx.region_candidates(&points, &current);
    pool.retain(|&j| !taken[j]);
    stats.regions += 1;
    let result = if points.len() * pool.len() <= params.exact_pairs {
        stats.exact_regions += 1;
        exact::solve_region(pb, &points, &pool, slots.len()).map(|(sites, slot_of)| {
            // Re-express as an assignment over the region's slots.
            let mut load = vec![0i64; sites.len()];
            for (&i, &s) in points.iter().zip(&slot_of) {
                load[s] += pb.demand[i];
            }
            let cost = points
                .iter()
                .zip(&slot_of)
                .map(|(&i, &s)| pb.cost(i, sites[s]))
                .sum::<f64>()
                + sites
                    .iter()
                    .map(|&j| pb.candidates[j].fixed_cost)
                    .sum::<f64>();
            (
                sites,
                Assigned {
                    slot: slot_of.iter().map(|&s| s as u32).collect(),
                    load,
                    cost,
                    feasible: true,
                },
            )
        })
    } else {
        let (sites, a) = locate_allocate(ctx, &points, current.clone(), taken, None);
        Some(substitute(ctx, &points, &pool, sites, a, taken))
    };
    let Some((sites, a)) = result else {
        return false;
    };
    if !a.feasible || a.cost >= before - EPS * before.abs().max(1.0) {
        return false;
    }
    for (r, &s) in slots.iter().enumerate() {
        st.sites[s] = sites[r];
        st.load[s] = a.load[r];
        cat.members[s].clear();
    }
    for (k, &i) in points.iter().enumerate() {
        let s = slots[a.slot[k] as usize];
        st.slot[i] = s as u32;
        cat.members[s].push(i);
    }
    st.cost += a.cost - before;
    true
}

/// Recomputes cost, loads and feasibility from scratch (incremental cost updates drift by
/// rounding; this removes the drift).
fn recost(pb: &Siting, st: &mut State) {
    let mut c: f64 = st.sites.iter().map(|&j| pb.candidates[j].fixed_cost).sum();
    let mut load = vec![0i64; st.sites.len()];
    let mut feasible = true;
    for (i, &s) in st.slot.iter().enumerate() {
        if s == u32::MAX {
            feasible = false;
        } else {
            c += pb.cost(i, st.sites[s as usize]);
            load[s as usize] += pb.demand[i];
        }
    }
    for (s, &j) in st.sites.iter().enumerate() {
        let cand = &pb.candidates[j];
        feasible &= load[s] >= cand.min && load[s] <= cand.max;
    }
    st.cost = c;
    st.load = load;
    st.feasible = feasible;
}

/// The points of each slot, and which candidates are open.
struct Catchments {
    members: Vec<Vec<usize>>,
    open: Vec<bool>,
}

/// Regions known not to improve: `(size, first slot)` to the content signature of the region
/// when it failed. Content-based, so it stays valid across kicks and restarts: a region is
/// retried only once one of its sites or catchments has changed ("don't look" memo).
pub type Memo = std::collections::HashMap<(usize, usize), u64>;

/// A slot's content: its site and its members (order-free).
fn slot_hash(site: usize, members: &[usize]) -> u64 {
    let mix = |x: u64| {
        let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    members
        .iter()
        .fold(mix(site as u64 ^ 0x5ee5), |h, &i| h ^ mix(i as u64))
}

/// Region descent: sweeps regions of growing size until a full sweep at the largest size
/// improves nothing (or time is up), then one location-allocation over all points (it moves
/// households along chains of sites that no region spans); repeats while that improves.
fn descend(
    ctx: &Ctx,
    st: &mut State,
    params: &SearchParams,
    stats: &mut SearchStats,
    memo: &mut Memo,
    rng: &mut Pcg64Mcg,
    global: bool,
) {
    let p = st.sites.len();
    let mut cat = Catchments {
        members: st.members(),
        open: vec![false; ctx.pb.m()],
    };
    for &j in &st.sites {
        cat.open[j] = true;
    }
    let mut hash: Vec<u64> = (0..p)
        .map(|s| slot_hash(st.sites[s], &cat.members[s]))
        .collect();
    let at = |st: &State| -> Vec<[f64; 2]> {
        st.sites.iter().map(|&j| ctx.pb.candidate_xy[j]).collect()
    };
    let mut grid = SlotGrid::new(&ctx.pb.candidate_xy, &at(st));
    let mut w = 2.min(p);
    let wmax = params.max_region.min(p).max(1);
    let signature = |slots: &[usize], hash: &[u64]| {
        slots.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &s| {
            (h ^ hash[s]).wrapping_mul(0x100_0000_01b3)
        })
    };
    // A bound on the sweeps that holds whatever the numbers (an improving sweep is followed by
    // at most `wmax` stable ones, and improvements are far fewer than this).
    let mut sweeps_left = 1_000 + 20 * p;
    'sweeps: loop {
        if sweeps_left == 0 {
            break;
        }
        sweeps_left -= 1;
        let mut order: Vec<usize> = (0..p).collect();
        order.shuffle(rng);
        let mut improved = false;
        for s in order {
            if out_of_time(params, st.cost) {
                break 'sweeps;
            }
            let slots = grid.nearest(s, w);
            let sig = signature(&slots, &hash);
            if memo.get(&(w, s)) == Some(&sig) {
                continue;
            }
            if improve_region(ctx, st, &mut cat, &slots, params, stats) {
                stats.improvements += 1;
                improved = true;
                for &t in &slots {
                    hash[t] = slot_hash(st.sites[t], &cat.members[t]);
                    grid.moved(t, ctx.pb.candidate_xy[st.sites[t]]);
                }
            } else {
                memo.insert((w, s), sig);
            }
        }
        if improved {
            w = 2.min(p);
        } else if w < wmax {
            w += 1;
        } else if !global {
            break;
        } else {
            // Regions are stable: one global location-allocation.
            recost(ctx.pb, st);
            let all: Vec<usize> = (0..ctx.pb.n()).collect();
            let taken = vec![false; ctx.pb.m()];
            let (sites, a) = locate_allocate(ctx, &all, st.sites.clone(), &taken, params.deadline);
            if !(a.feasible && a.cost < st.cost - EPS * st.cost.abs().max(1.0)) {
                break;
            }
            stats.global_improvements += 1;
            *st = State::from_assigned(sites, a);
            cat.members = st.members();
            cat.open.fill(false);
            for &j in &st.sites {
                cat.open[j] = true;
            }
            for (t, h) in hash.iter_mut().enumerate() {
                *h = slot_hash(st.sites[t], &cat.members[t]);
            }
            grid = SlotGrid::new(&ctx.pb.candidate_xy, &at(st));
            w = 2.min(p);
        }
    }
    recost(ctx.pb, st);
}

fn out_of_time(params: &SearchParams, cost: f64) -> bool {
    params.deadline.is_some_and(|d| Instant::now() >= d)
        || params
            .target
            .is_some_and(|t| cost <= t + 1e-9 * t.abs().max(1.0))
}

/// The random stream `stream` of `seed`.
fn rng_for(seed: u64, stream: u64) -> Pcg64Mcg {
    Pcg64Mcg::new(((seed as u128) << 64 | stream as u128) ^ 0xcafe_f00d_d15e_a5e5)
}

/// A first solution: the `seeds` completed by k-means++ seeding, then location-allocation (no
/// region search).
pub fn start(ctx: &Ctx, seeds: &[usize], params: &SearchParams) -> State {
    initial(
        ctx,
        seeds,
        &mut rng_for(params.seed, 1),
        params.deadline,
        params.shaped_start,
    )
}

/// Region descent from `from`, then kicks until the budget is spent; returns the best state.
pub fn search(ctx: &Ctx, params: &SearchParams, stats: &mut SearchStats, from: State) -> State {
    let mut rng = rng_for(params.seed, 2);
    let mut best = from;
    let mut memo = Memo::new();
    descend(ctx, &mut best, params, stats, &mut memo, &mut rng, true);
    let mut current = best.clone();
    while stats.kicks < params.kicks && !out_of_time(params, best.cost) {
        stats.kicks += 1;
        let mut next = if rng.random::<f64>() < FAR_KICKS {
            far_kick(ctx, &current, &mut rng)
        } else {
            kick(ctx, &current, &mut rng)
        };
        // The global location-allocation (a fifth of a kick's time on 3,000 points) only for
        // a state that beats the best.
        descend(ctx, &mut next, params, stats, &mut memo, &mut rng, false);
        if next.feasible && next.cost < best.cost - EPS {
            descend(ctx, &mut next, params, stats, &mut memo, &mut rng, true);
        }
        // Accept improvements, and slightly worse states now and then (diversification).
        let better = next.cost < current.cost - EPS || !current.feasible;
        if next.feasible
            && (better || (next.cost < current.cost * 1.0005 && rng.random::<f64>() < 0.1))
        {
            current = next;
        }
        if current.feasible && (current.cost < best.cost - EPS || !best.feasible) {
            best = current.clone();
        } else if rng.random::<f64>() < 0.05 {
            current = best.clone();
        }
    }
    best
}

/// Rounds of [`search_shared`]: after each, every thread goes on from the best state so far.
const SHARED_ROUNDS: usize = 4;

/// [`search`] on `threads` threads at once, each with its own random stream: the budget (kicks
/// and time) is cut into [`SHARED_ROUNDS`] rounds, and each round every thread starts from the
/// best state of the last (ties to the lowest thread), so that a thread stuck in a poor basin
/// is brought back. Deterministic for a given seed, thread count and kicks (no deadline).
pub fn search_shared(
    ctx: &Ctx,
    params: &SearchParams,
    stats: &mut SearchStats,
    from: State,
    threads: usize,
) -> State {
    use rayon::prelude::*;
    if threads <= 1 {
        return search(ctx, params, stats, from);
    }
    let mut best = from;
    let mut kicks_left = params.kicks;
    for round in 0..SHARED_ROUNDS {
        let rounds_left = SHARED_ROUNDS - round;
        let mut p = params.clone();
        p.kicks = kicks_left.div_ceil(rounds_left);
        p.deadline = params.deadline.map(|d| {
            let now = Instant::now();
            now + d.saturating_duration_since(now) / rounds_left as u32
        });
        let results: Vec<(State, SearchStats)> = (0..threads)
            .into_par_iter()
            .map(|t| {
                let mut q = p.clone();
                q.seed = params
                    .seed
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    .wrapping_add((round * threads + t) as u64);
                let mut s = SearchStats::default();
                let st = search(ctx, &q, &mut s, best.clone());
                (st, s)
            })
            .collect();
        let mut most = 0;
        for (st, s) in results {
            most = most.max(s.kicks);
            stats.regions += s.regions;
            stats.exact_regions += s.exact_regions;
            stats.improvements += s.improvements;
            stats.global_improvements += s.global_improvements;
            stats.kicks += s.kicks;
            if st.feasible && (st.cost < best.cost - EPS || !best.feasible) {
                best = st;
            }
        }
        kicks_left = kicks_left.saturating_sub(most);
        if kicks_left == 0 || out_of_time(params, best.cost) {
            break;
        }
    }
    best
}
