//! Joining zones at their borders, in the spirit of Gnägi & Baumann's (2021) local phase: a
//! group of neighbouring sites of which at least two lie in different zones is re-solved as one
//! small problem (their households, the candidates among them, the same number of sites), and
//! the new siting replaces the old when it costs less. Groups of a pass are disjoint, solved in
//! parallel and applied in a fixed order, so the result does not depend on the threads.

use super::zone::Common;
use super::{DistanceKind, SitingOptions};
use crate::plan::progress::Quiet;
use crate::plan::territory::Territory;
use crate::plan::PlanError;
use crate::sites::{solve_checked, Distances, Sites, SitesParams, Siting, SitingError};
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use std::collections::{BTreeMap, BTreeSet};

/// Sites in a group: a site and its nearest neighbours.
const GROUP_SITES: usize = 6;
/// Passes over the borders.
const PASSES: usize = 3;
/// Kicks of each group's search (a deterministic budget).
const GROUP_KICKS: usize = 10;

/// The borders' budget for a siting of `kicks`: passes and kicks per group. A siting given
/// fewer kicks than a group's (the scenario's what-if sizes) joins its borders in one pass.
fn budget(kicks: usize) -> (usize, usize) {
    if kicks < GROUP_KICKS {
        (1, GROUP_KICKS)
    } else {
        (PASSES, GROUP_KICKS)
    }
}
/// Candidates each household keeps from a group's table, besides its site's.
const KEPT: usize = 4;

/// The zones' groupings as one: the territory's households and candidates, sparse distances
/// (each household's site and its zone's nearest candidates), the sites of every zone.
pub(super) struct Joined {
    /// The whole territory's problem, with [`Distances::Sparse`].
    pub pb: Siting,
    /// Its sites.
    pub sites: Sites,
    /// How each household's distances were measured.
    pub by: Vec<super::DistanceKind>,
}

/// What the joining did.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Repaired {
    /// Groups re-solved.
    pub groups: usize,
    /// Groups whose new siting was kept.
    pub improved: usize,
    /// Foyer-metres saved.
    pub saved: f64,
}

/// A household of a group, with its new site.
struct Reassigned {
    household: usize,
    site: usize,
    distance: f32,
    by: DistanceKind,
    /// Its nearest candidates in the group's table, with their distances.
    kept: Vec<(u32, f32)>,
}

/// A group's better siting.
struct Proposal {
    old: Vec<usize>,
    open: Vec<usize>,
    assign: Vec<Reassigned>,
    saved: f64,
}

/// Re-optimises the groups of neighbouring sites across zone borders of `joined`
/// (`cand_home[j]`: the household candidate `j` belongs to, see [`Common::candidate_homes`];
/// `zone_of_cand[j]`: its zone).
pub(super) fn borders(
    t: &Territory,
    opts: &SitingOptions,
    common: &Common,
    joined: &mut Joined,
    (cand_home, zone_of_cand): (&[usize], &[usize]),
) -> Result<Repaired, PlanError> {
    let mut stats = Repaired::default();
    // The candidates a household brings to a group: itself, and the public places nearest it.
    let mut cands_of_home: Vec<Vec<usize>> = vec![Vec::new(); common.households.len()];
    for (j, &h) in cand_home.iter().enumerate() {
        cands_of_home[h].push(j);
    }
    let (passes, _) = budget(opts.params.kicks);
    for pass in 0..passes {
        let saved_before = stats.saved;
        // Every open site is the centre of a group once per pass; groups of a batch are
        // disjoint, a centre whose group overlaps the batch waits for the next one.
        let mut pending: Vec<usize> = joined.sites.open.clone();
        let mut batch_no = 0u64;
        while !pending.is_empty() {
            let open: BTreeSet<usize> = joined.sites.open.iter().copied().collect();
            let mut members: BTreeMap<usize, Vec<usize>> =
                open.iter().map(|&j| (j, vec![])).collect();
            for (i, a) in joined.sites.assign.iter().enumerate() {
                if let Some(j) = a {
                    members.entry(*j).or_default().push(i);
                }
            }
            let tree = RTree::bulk_load(
                open.iter()
                    .map(|&j| GeomWithData::new(common.candidate_xy[j], j))
                    .collect(),
            );
            let mut taken = BTreeSet::new();
            let mut groups: Vec<Vec<usize>> = Vec::new();
            let mut later = Vec::new();
            for &s in &pending {
                if !open.contains(&s) {
                    continue;
                }
                let group = neighbours(s, &members[&s], &tree, common);
                let zones: BTreeSet<usize> = group.iter().map(|&j| zone_of_cand[j]).collect();
                if zones.len() < 2 {
                    continue;
                }
                if group.iter().any(|j| taken.contains(j)) {
                    later.push(s);
                    continue;
                }
                taken.extend(group.iter().copied());
                groups.push(group);
            }
            let view: &Joined = joined;
            let proposals: Vec<Option<Proposal>> = groups
                .par_iter()
                .enumerate()
                .map(|(k, g)| {
                    let seed =
                        opts.params.seed ^ ((pass as u64) << 48) ^ (batch_no << 24) ^ k as u64;
                    improve(t, opts, common, view, &members, &cands_of_home, g, seed)
                })
                .collect::<Result<_, _>>()?;
            stats.groups += groups.len();
            for p in proposals.into_iter().flatten() {
                apply(joined, p, &mut stats);
            }
            pending = later;
            batch_no += 1;
        }
        if stats.saved <= saved_before {
            break;
        }
    }
    Ok(stats)
}

/// The group around site `s`: itself and the sites its households live nearest to (each
/// household's two nearest other open sites, in a straight line, counted over the households,
/// most often first), [`GROUP_SITES`] at most. A household far from its own site, across a
/// zone border, thus brings the sites near it into the group.
fn neighbours(
    s: usize,
    households: &[usize],
    tree: &RTree<GeomWithData<[f64; 2], usize>>,
    common: &Common,
) -> Vec<usize> {
    let mut count: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    for &i in households {
        let at = common.point_xy[i];
        for g in tree
            .nearest_neighbor_iter(at)
            .filter(|g| g.data != s)
            .take(2)
        {
            let xy = g.geom();
            let d = (xy[0] - at[0]).hypot(xy[1] - at[1]);
            let e = count.entry(g.data).or_insert((0, f64::INFINITY));
            e.0 += 1;
            e.1 = e.1.min(d);
        }
    }
    let mut near: Vec<(usize, f64, usize)> =
        count.into_iter().map(|(j, (c, d))| (c, d, j)).collect();
    near.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    std::iter::once(s)
        .chain(near.into_iter().map(|x| x.2))
        .take(GROUP_SITES)
        .collect()
}

/// Re-solves one group; the new siting when it is better.
#[allow(clippy::too_many_arguments)]
fn improve(
    t: &Territory,
    opts: &SitingOptions,
    common: &Common,
    joined: &Joined,
    members: &BTreeMap<usize, Vec<usize>>,
    cands_of_home: &[Vec<usize>],
    group: &[usize],
    seed: u64,
) -> Result<Option<Proposal>, PlanError> {
    let mut hh: Vec<usize> = group
        .iter()
        .flat_map(|j| members[j].iter().copied())
        .collect();
    hh.sort_unstable();
    let mut cc: Vec<usize> = hh
        .iter()
        .flat_map(|&h| cands_of_home[h].iter().copied())
        .chain(group.iter().copied())
        .collect();
    cc.sort_unstable();
    cc.dedup();
    let (mut table, home_xy, cand_xy) = common.table(t, opts.distance, (&hh, &cc), &Quiet);
    let matrix = table.matrix.take();
    let pb = common.siting((&hh, &cc), (home_xy, cand_xy), matrix, group.len());
    // The group's cost now, measured as the new one will be.
    let local = |j: usize| {
        cc.binary_search(&j)
            .expect("the group's sites are candidates")
    };
    let mut before = 0.0;
    for (li, &i) in hh.iter().enumerate() {
        let j = joined.sites.assign[i].expect("every household of a site is assigned");
        before += pb.cost(li, local(j));
    }
    if !before.is_finite() {
        return Ok(None);
    }
    let params = SitesParams {
        seed,
        time_limit: None,
        kicks: budget(opts.params.kicks).1,
        bound: false,
        start: Some(group.iter().map(|&j| local(j)).collect()),
        ..opts.params.clone()
    };
    // A group the search cannot fit within the bounds is left as it is.
    let r = match solve_checked(&pb, &params) {
        Ok(r) => r,
        Err(SitingError::Refused(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let placed = r.sites.assign.iter().all(Option::is_some);
    if !placed || r.sites.cost >= before - 1e-6 * before.max(1.0) {
        return Ok(None);
    }
    let assign = hh
        .iter()
        .enumerate()
        .map(|(li, &i)| {
            let lj = r.sites.assign[li].expect("every household placed: tested above");
            let mut near: Vec<(f64, usize)> = (0..pb.m())
                .map(|k| (pb.distance(li, k), k))
                .filter(|x| x.0.is_finite())
                .collect();
            near.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let kept = near
                .into_iter()
                .take(KEPT)
                .map(|(d, k)| (cc[k] as u32, d as f32))
                .collect();
            Reassigned {
                household: i,
                site: cc[lj],
                distance: pb.distance(li, lj) as f32,
                by: table.by[li],
                kept,
            }
        })
        .collect();
    Ok(Some(Proposal {
        old: group.to_vec(),
        open: r.sites.open.iter().map(|&k| cc[k]).collect(),
        assign,
        saved: before - r.sites.cost,
    }))
}

/// Applies a proposal unless it would open a candidate another group opened meanwhile.
fn apply(joined: &mut Joined, p: Proposal, stats: &mut Repaired) {
    let open: BTreeSet<usize> = joined.sites.open.iter().copied().collect();
    if p.open
        .iter()
        .any(|j| open.contains(j) && !p.old.contains(j))
    {
        return;
    }
    let mut next: BTreeSet<usize> = open;
    for j in &p.old {
        next.remove(j);
    }
    next.extend(p.open.iter().copied());
    joined.sites.open = next.into_iter().collect();
    let Distances::Sparse(rows) = &mut joined.pb.distances else {
        unreachable!("a joined territory has sparse distances");
    };
    for a in p.assign {
        let (i, j, d) = (a.household, a.site, a.distance);
        let row = &mut rows[i];
        let kept = a.kept;
        row.extend(kept);
        row.push((j as u32, d));
        row.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        row.dedup_by_key(|e| e.0);
        // The group's measure of the household's site is the one kept.
        if let Ok(k) = row.binary_search_by_key(&(j as u32), |e| e.0) {
            row[k].1 = d;
        }
        joined.sites.assign[i] = Some(j);
        joined.by[i] = a.by;
    }
    joined.sites.cost -= p.saved;
    stats.improved += 1;
    stats.saved += p.saved;
}
