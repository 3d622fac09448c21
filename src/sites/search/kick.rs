//! Kicks: the perturbations of the search, local (a few sites of one area moved within it) or
//! far (a site moved to another area of the map).

use super::{recost, Ctx, State};
use crate::sites::assign::assign;
use crate::sites::problem::Siting;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// The `w` open slots nearest to slot `s` (itself first), by straight line between sites.
fn region_slots(pb: &Siting, st: &State, s: usize, w: usize) -> Vec<usize> {
    let [x, y] = pb.candidate_xy[st.sites[s]];
    let mut v: Vec<(f64, usize)> = (0..st.sites.len())
        .map(|t| {
            let [u, v] = pb.candidate_xy[st.sites[t]];
            ((x - u) * (x - u) + (y - v) * (y - v), t)
        })
        .collect();
    let w = w.min(v.len());
    v.select_nth_unstable_by(w - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v.truncate(w);
    v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v.into_iter().map(|(_, t)| t).collect()
}

/// Share of kicks that are far kicks: on p3038 at 20 s, 0.2 to 0.8 all gain 0.5 to 1 % over
/// local kicks alone (BENCHMARKS.md).
pub(super) const FAR_KICKS: f64 = 0.3;

/// A far kick: moves one site of an area to another area, drawn anywhere (local kicks keep
/// each area's number of sites, so a sparse area cannot give a site to a dense one), and
/// reassigns both areas' households.
pub(super) fn far_kick(ctx: &Ctx, st: &State, rng: &mut Pcg64Mcg) -> State {
    let pb = ctx.pb;
    let p = st.sites.len();
    if p < 8 {
        return st.clone();
    }
    let s = rng.random_range(0..p);
    let a = region_slots(pb, st, s, 6);
    let t = rng.random_range(0..p);
    let b: Vec<usize> = region_slots(pb, st, t, 3)
        .into_iter()
        .filter(|x| !a.contains(x))
        .collect();
    if b.is_empty() {
        return st.clone();
    }
    let members = st.members();
    let mut slots = a.clone();
    slots.extend(&b);
    let points = households_of(&members, &slots);
    let b_points = households_of(&members, &b);
    let pool: Vec<usize> = ctx
        .region_candidates(&b_points, &[])
        .into_iter()
        .filter(|j| !st.sites.contains(j))
        .collect();
    if pool.is_empty() {
        return st.clone();
    }
    let mut sites: Vec<usize> = slots.iter().map(|&x| st.sites[x]).collect();
    if pb.candidates[sites[0]].fixed {
        return st.clone();
    }
    sites[0] = pool[rng.random_range(0..pool.len())];
    with_sites(pb, st, &slots, &points, &sites)
}

/// A kick: moves a few sites of one area to random candidates of the area, reassigns the area.
pub(super) fn kick(ctx: &Ctx, st: &State, rng: &mut Pcg64Mcg) -> State {
    let pb = ctx.pb;
    let p = st.sites.len();
    let w = rng.random_range(2..=4usize).min(p);
    let s = rng.random_range(0..p);
    let slots = region_slots(pb, st, s, w);
    let members = st.members();
    let points = households_of(&members, &slots);
    let current: Vec<usize> = slots.iter().map(|&t| st.sites[t]).collect();
    let pool = ctx.region_candidates(&points, &current);
    let mut sites = current.clone();
    for _ in 0..(w / 2).max(1) {
        let r = rng.random_range(0..w);
        let j = pool[rng.random_range(0..pool.len())];
        if !sites.contains(&j) && !st.sites.contains(&j) && !pb.candidates[sites[r]].fixed {
            sites[r] = j;
        }
    }
    with_sites(pb, st, &slots, &points, &sites)
}

/// `st` with the slots `slots` at `sites` and their households `points` reassigned among
/// them; `st` itself when they cannot all be placed within the bounds.
fn with_sites(
    pb: &Siting,
    st: &State,
    slots: &[usize],
    points: &[usize],
    sites: &[usize],
) -> State {
    let mut next = st.clone();
    let a = assign(pb, points, sites);
    if !a.feasible {
        return next;
    }
    for (r, &t) in slots.iter().enumerate() {
        next.sites[t] = sites[r];
        next.load[t] = a.load[r];
    }
    for (k, &i) in points.iter().enumerate() {
        next.slot[i] = slots[a.slot[k] as usize] as u32;
    }
    recost(pb, &mut next);
    next
}

/// The households of the slots `slots`, slot by slot.
fn households_of(members: &[Vec<usize>], slots: &[usize]) -> Vec<usize> {
    slots
        .iter()
        .flat_map(|&t| members[t].iter().copied())
        .collect()
}
