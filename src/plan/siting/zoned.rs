//! A large territory sited by zones: each zone ([`super::zones`]) grouped on its own, in
//! parallel (`rayon`; each zone's search is deterministic, so the result does not depend on
//! the threads), then the zones joined into one grouping whose borders are re-optimised
//! ([`super::repair`]). Nothing holds a households x candidates matrix of the whole territory:
//! each household keeps its distances to its zone's nearest candidates only.

use super::repair::{self, Joined};
use super::zone::{solve_zone, Common, SitesRule, ZoneSolution};
use super::{fallback_notes, Grouping, SitingOptions, ZoneInfo, Zoning};
use crate::plan::progress::{step, Progress, Quiet};
use crate::plan::territory::Territory;
use crate::plan::PlanError;
use crate::sites::{check, Bound, BoundMethod, Candidate, Distances, Sites, Siting, SitingResult};
use rayon::prelude::*;

/// Candidates each household keeps with their distances, besides its site's.
const KEPT_PER_HOUSEHOLD: usize = 8;

/// Sites the households of `common` by the zones `parts` (household indices).
pub(super) fn site_zones(
    t: &Territory,
    opts: &SitingOptions,
    common: &Common,
    zones: Vec<super::zones::Zone>,
    progress: &dyn Progress,
) -> Result<Grouping, PlanError> {
    let names: Vec<String> = zones.iter().map(|z| z.name.clone()).collect();
    let parts: Vec<Vec<usize>> = zones.into_iter().map(|z| z.households).collect();
    let (n, m) = (common.households.len(), common.cands.len());
    let mut zone_of_home = vec![0usize; n];
    for (z, part) in parts.iter().enumerate() {
        for &i in part {
            zone_of_home[i] = z;
        }
    }
    // A candidate belongs to the zone of its household, a public place to that of the
    // household nearest it.
    let cand_home = common.candidate_homes();
    let zone_of_cand: Vec<usize> = cand_home.iter().map(|&h| zone_of_home[h]).collect();
    let mut zone_cands = vec![Vec::new(); parts.len()];
    for (j, &z) in zone_of_cand.iter().enumerate() {
        zone_cands[z].push(j);
    }
    let total_foyers: i64 = common.households.iter().map(|h| h.foyers).sum();
    progress.info(&format!(
        "{n} households, {total_foyers} foyers, {m} candidates: sited in {} zones ({}) of at most {} households, then joined at their borders | seed {}",
        parts.len(),
        if t.extract.features.communes.is_empty() { "spatial clusters" } else { "communes" },
        opts.zone_households,
        opts.params.seed
    ));
    let solved: Vec<ZoneSolution> = step(
        progress,
        &format!("grouping households in {} zones", parts.len()),
        || {
            // Largest zones first, each thread taking the next zone when it is free (greedy
            // list scheduling): no thread is left with a large zone at the end. Each zone's
            // solve is independent of the others, so the order changes no result.
            let mut by_size: Vec<usize> = (0..parts.len()).collect();
            by_size.sort_by_key(|&z| (std::cmp::Reverse(parts[z].len()), z));
            let mut done = by_size
                .into_iter()
                .par_bridge()
                .map(|z| {
                    let hc = (&parts[z][..], &zone_cands[z][..]);
                    solve_zone(t, opts, common, hc, SitesRule::ByTarget, &Quiet).map(|s| (z, s))
                })
                .collect::<Result<Vec<_>, _>>()?;
            done.sort_unstable_by_key(|x| x.0);
            Ok::<_, PlanError>(done.into_iter().map(|x| x.1).collect::<Vec<_>>())
        },
    )?;
    let mut notes = Vec::new();
    for z in &solved {
        notes.extend(fallback_notes(common.households, z, |i| {
            z.result.sites.assign[i].map_or(f64::INFINITY, |j| z.pb.distance(i, j))
        }));
    }
    let zones = solved
        .iter()
        .zip(names)
        .map(|(z, name)| ZoneInfo {
            name,
            households: z.households.len(),
            foyers: z.pb.total_demand(),
            sites: z.pb.p,
            cost: z.result.sites.cost,
            bound: z.result.bound.map(|b| b.value),
        })
        .collect();
    let planner_fixed: Vec<bool> = common.cands.iter().map(|c| c.fixed).collect();
    // The zones' hamlet and home sites open with their own bounds, in the joining too.
    let mut kinds: Vec<super::hamlets::SiteKind> = common.cands.iter().map(|c| c.kind).collect();
    let mut cands = common.cands.to_vec();
    for z in &solved {
        if z.relaxed {
            for &j in &z.cands {
                cands[j].min = cands[j].min.min(1);
            }
            notes.push(super::relaxed_note(opts));
        }
        for &(j, kind) in &z.specials {
            kinds[j] = kind;
            let c = &mut cands[j];
            c.min = 1;
            c.fixed = true;
            if kind == super::hamlets::SiteKind::Home {
                c.max = c.household.map_or(c.max, |h| common.households[h].foyers);
            }
        }
    }
    let common = &Common {
        cands: &cands,
        ..*common
    };
    let mut joined = join(common, &solved);
    let repaired = step(progress, "joining the zones at their borders", || {
        repair::borders(t, opts, common, &mut joined, (&cand_home, &zone_of_cand))
    })?;
    progress.info(&format!(
        "borders: {} groups of neighbouring sites re-optimised, {} improved, {:.1} foyer-km saved",
        repaired.groups,
        repaired.improved,
        repaired.saved / 1000.0
    ));
    let report = check::check(&joined.pb, &joined.sites).map_err(|v| {
        PlanError::Internal(format!(
            "the zones joined break the siting's rules ({})",
            v.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    joined.sites.cost = report.cost;
    // The zones' bounds: a bound on the grouping with the zones kept apart.
    let bound = solved
        .iter()
        .map(|z| z.result.bound.map(|b| b.value))
        .sum::<Option<f64>>()
        .map(|value| Bound {
            value,
            method: BoundMethod::Lagrangian,
        });
    let seconds = solved.iter().map(|z| z.result.seconds).sum();
    Ok(Grouping {
        households: common.households.to_vec(),
        candidates: common.cands.iter().map(|c| c.place.clone()).collect(),
        pb: joined.pb,
        result: SitingResult {
            sites: joined.sites,
            bound,
            stats: Default::default(),
            seconds,
        },
        notes,
        distance_by: joined.by,
        distance: opts.distance,
        zoning: Some(Zoning {
            zones,
            zone_households: opts.zone_households,
            border_groups: repaired.groups,
            border_improved: repaired.improved,
            border_saved: repaired.saved,
        }),
        kinds,
        walk: opts.walk,
        fixed: planner_fixed,
        labels: Vec::new(),
    })
}

fn join(common: &Common, solved: &[ZoneSolution]) -> Joined {
    let (n, m) = (common.households.len(), common.cands.len());
    let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
    let mut assign = vec![None; n];
    let mut by = vec![super::DistanceKind::Straight; n];
    let mut open = Vec::new();
    let mut p = 0;
    for z in solved {
        p += z.pb.p;
        open.extend(z.result.sites.open.iter().map(|&j| z.cands[j]));
        for (li, &i) in z.households.iter().enumerate() {
            by[i] = z.table.by[li];
            let mut near: Vec<(f64, usize)> = (0..z.pb.m())
                .map(|lj| (z.pb.distance(li, lj), lj))
                .filter(|x| x.0.is_finite())
                .collect();
            let k = near.len().min(KEPT_PER_HOUSEHOLD);
            if k > 0 && k < near.len() {
                near.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                near.truncate(k);
            }
            if let Some(lj) = z.result.sites.assign[li] {
                assign[i] = Some(z.cands[lj]);
                near.push((z.pb.distance(li, lj), lj));
            }
            let mut row: Vec<(u32, f32)> = near
                .into_iter()
                .map(|(d, lj)| (z.cands[lj] as u32, d as f32))
                .collect();
            row.sort_unstable_by_key(|e| e.0);
            row.dedup_by_key(|e| e.0);
            rows[i] = row;
        }
    }
    open.sort_unstable();
    let pb = Siting {
        point_xy: common.point_xy.to_vec(),
        demand: common.households.iter().map(|h| h.foyers).collect(),
        weight: common.households.iter().map(|h| h.foyers as f64).collect(),
        candidate_xy: common.candidate_xy.to_vec(),
        candidates: common
            .cands
            .iter()
            .map(|c| Candidate {
                min: c.min,
                max: c.max,
                fixed_cost: 0.0,
                point: c.household,
                fixed: c.fixed || c.pinned,
            })
            .collect(),
        p,
        distances: Distances::Sparse(rows),
    };
    debug_assert_eq!(pb.m(), m);
    let cost = (0..n)
        .filter_map(|i| assign[i].map(|j| pb.cost(i, j)))
        .sum();
    Joined {
        pb,
        sites: Sites { open, assign, cost },
        by,
    }
}
