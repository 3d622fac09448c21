//! One zone's grouping: the distance table of its households and candidates, the candidates
//! that can open, the number of sites and the checked solve. A territory small enough is one
//! zone.

use super::distances::{self, Table};
use super::hamlets::{self, SiteKind};
use super::{CandidatePlace, SitingOptions};
use crate::plan::progress::{step, Progress};
use crate::plan::territory::{Household, Territory};
use crate::plan::PlanError;
use crate::sites::{
    feasible_p, solve_checked, Candidate, Distances, Siting, SitingError, SitingResult,
};
use std::time::Duration;

/// What every zone reads: the territory's households and candidates, with planar coordinates.
pub(super) struct Common<'a> {
    pub households: &'a [Household],
    pub cands: &'a [CandidatePlace],
    pub point_xy: &'a [[f64; 2]],
    pub candidate_xy: &'a [[f64; 2]],
}

impl Common<'_> {
    /// The distance table between the households `hh` and the candidates `cc` (indices,
    /// ascending), with their planar coordinates (households', candidates').
    pub fn table(
        &self,
        t: &Territory,
        kind: super::DistanceKind,
        (hh, cc): (&[usize], &[usize]),
        progress: &dyn Progress,
    ) -> (Table, Vec<[f64; 2]>, Vec<[f64; 2]>) {
        let homes: Vec<(f64, f64)> = hh
            .iter()
            .map(|&i| self.households[i].place.at().pair())
            .collect();
        let cand_at: Vec<(f64, f64)> = cc
            .iter()
            .map(|&j| self.cands[j].place.at().pair())
            .collect();
        let home_xy: Vec<[f64; 2]> = hh.iter().map(|&i| self.point_xy[i]).collect();
        let cand_xy: Vec<[f64; 2]> = cc.iter().map(|&j| self.candidate_xy[j]).collect();
        let table = distances::table(t, kind, &homes, &cand_at, (&home_xy, &cand_xy), progress);
        (table, home_xy, cand_xy)
    }

    /// The household each candidate belongs to: its own, or for a public place the household
    /// nearest it (straight line).
    pub fn candidate_homes(&self) -> Vec<usize> {
        let homes = rstar::RTree::bulk_load(
            self.point_xy
                .iter()
                .enumerate()
                .map(|(i, &p)| rstar::primitives::GeomWithData::new(p, i))
                .collect(),
        );
        self.cands
            .iter()
            .zip(self.candidate_xy)
            .map(|(c, &xy)| {
                c.household
                    .unwrap_or_else(|| homes.nearest_neighbor(xy).map_or(0, |g| g.data))
            })
            .collect()
    }

    /// The siting problem of the households `hh` and the candidates `cc` (indices, ascending)
    /// at `home_xy` and `cand_xy`, with `p` sites and the table's `matrix` (straight lines when
    /// none): each household's foyers as its demand and weight, each candidate's bounds, no
    /// fixed cost.
    pub fn siting(
        &self,
        (hh, cc): (&[usize], &[usize]),
        (home_xy, cand_xy): (Vec<[f64; 2]>, Vec<[f64; 2]>),
        matrix: Option<Vec<f32>>,
        p: usize,
    ) -> Siting {
        let demand: Vec<i64> = hh.iter().map(|&i| self.households[i].foyers).collect();
        Siting {
            point_xy: home_xy,
            weight: demand.iter().map(|&q| q as f64).collect(),
            demand,
            candidate_xy: cand_xy,
            candidates: cc
                .iter()
                .map(|&j| {
                    let c = &self.cands[j];
                    Candidate {
                        min: c.min,
                        max: c.max,
                        fixed_cost: 0.0,
                        point: c.household.and_then(|h| hh.binary_search(&h).ok()),
                        fixed: c.fixed || c.pinned,
                    }
                })
                .collect(),
            p,
            distances: match matrix {
                Some(v) => Distances::Matrix(v),
                None => Distances::Euclid { floor: false },
            },
        }
    }
}

/// How many sites a zone opens.
#[derive(Clone, Copy, Debug)]
pub(super) enum SitesRule {
    /// As the options say (given, chosen by cost, or foyers / target).
    Options,
    /// Foyers / target, kept within what the bounds allow for the zone.
    ByTarget,
}

/// A zone sited.
pub(super) struct ZoneSolution {
    /// The territory's indices of the zone's households (the problem's points, in order).
    pub households: Vec<usize>,
    /// The territory's indices of the problem's candidates.
    pub cands: Vec<usize>,
    /// The problem solved.
    pub pb: Siting,
    /// Its checked solution.
    pub result: SitingResult,
    /// How each household's distances were measured, and why when by a fallback.
    pub table: Table,
    /// The hamlet and home sites the zone's isolated households need (territory's candidate
    /// indices): they open whatever the search finds ([`super::hamlets`]).
    pub specials: Vec<(usize, SiteKind)>,
    /// The households' sizes left no grouping within the bounds: the sites' minimum was
    /// relaxed.
    pub relaxed: bool,
}

/// Whether a van can stop at each place: it snaps to the van's roads (one strongly connected
/// network, so a place it snaps to is reached from a depot and back).
pub(super) fn drivable<'a>(
    t: &Territory,
    places: impl Iterator<Item = &'a crate::sites::summary::Place>,
) -> Vec<bool> {
    let points: Vec<(f64, f64)> = places.map(|p| (p.lon, p.lat)).collect();
    t.car()
        .snap_all(&points)
        .iter()
        .map(|s| s.is_ok())
        .collect()
}

/// Sites the households `hh` of the territory with the candidates `cc` (indices into
/// `common`, ascending).
pub(super) fn solve_zone(
    t: &Territory,
    opts: &SitingOptions,
    common: &Common,
    (hh, cc): (&[usize], &[usize]),
    rule: SitesRule,
    progress: &dyn Progress,
) -> Result<ZoneSolution, PlanError> {
    let (mut table, home_xy, cand_xy) = common.table(t, opts.distance, (hh, cc), progress);
    let demand: Vec<i64> = hh.iter().map(|&i| common.households[i].foyers).collect();
    // Isolated households get a hamlet site or a home delivery, decided before the search.
    let specials = match opts.walk {
        Some(rule) => {
            let m = cc.len();
            let own: Vec<Option<usize>> = cc
                .iter()
                .map(|&j| {
                    common.cands[j]
                        .household
                        .and_then(|h| hh.binary_search(&h).ok())
                })
                .collect();
            let matrix = &table.matrix;
            let distance = |i: usize, k: usize| match matrix {
                Some(v) => v[i * m + k] as f64,
                None => {
                    let ([x, y], [u, v]) = (home_xy[i], cand_xy[k]);
                    ((x - u) * (x - u) + (y - v) * (y - v)).sqrt()
                }
            };
            let drivable = drivable(t, cc.iter().map(|&j| &common.cands[j].place));
            hamlets::specials(distance, &demand, (&own, &drivable), opts.min, rule)
        }
        None => Vec::new(),
    };
    let apart: i64 = specials
        .iter()
        .flat_map(|s| &s.households)
        .map(|&i| demand[i])
        .sum();
    // The regular sites are sized by the other foyers.
    let total: i64 = demand.iter().sum::<i64>() - apart;
    let special_cands: Vec<usize> = specials.iter().map(|s| s.cand).collect();
    let keep = usable(cc, &table.matrix, &demand, common, opts, &special_cands)?;
    let matrix = table.matrix.take().map(|v| {
        if keep.len() == cc.len() {
            return v;
        }
        let m = cc.len().max(1);
        v.chunks_exact(m)
            .flat_map(|row| keep.iter().map(move |&k| row[k]))
            .collect()
    });
    let cands: Vec<usize> = keep.iter().map(|&k| cc[k]).collect();
    let cand_xy = keep.iter().map(|&k| cand_xy[k]).collect();
    let mut pb = common.siting((hh, &cands), (home_xy, cand_xy), matrix, 1);
    for s in &specials {
        let k = keep.binary_search(&s.cand).expect("kept");
        let c = &mut pb.candidates[k];
        c.min = 1;
        c.fixed = true;
        if s.kind == SiteKind::Home {
            c.max = s.households.iter().map(|&i| demand[i]).sum();
        }
    }
    let (p_low, p_high) = if total == 0 && !specials.is_empty() {
        (0, 0)
    } else {
        feasible_p(total, opts.min, opts.max).ok_or(SitingError::NoFeasibleP {
            total,
            min: opts.min,
            max: opts.max,
        })?
    };
    pb.p = specials.len()
        + match rule {
            _ if total == 0 => 0,
            SitesRule::Options => number_of_sites(&mut pb, opts, total, (p_low, p_high), progress)?,
            SitesRule::ByTarget => by_target(total, opts.target, (p_low, p_high)),
        };
    // The planner's fixed sites all open, and the search starts from the previous ones.
    // (Only regular sites count against the number the sizes allow: a fixed hamlet or home
    // site, and the zone's own, come on top.)
    let fixed: Vec<usize> = (0..cands.len())
        .filter(|&k| {
            let c = &common.cands[cands[k]];
            c.fixed && c.kind == SiteKind::Regular && !special_cands.contains(&keep[k])
        })
        .collect();
    // The most sites allowed: the number asked for, else what the bounds allow.
    let (most, asked) = match opts.sites {
        Some(_) => (pb.p - specials.len(), " (the number of sites asked for)"),
        None => (p_high, ""),
    };
    let regular_p = pb.p - specials.len();
    if fixed.len() > regular_p {
        if fixed.len() > most {
            let names: Vec<String> = fixed
                .iter()
                .map(|&k| common.cands[cands[k]].named(opts.edits.as_ref()))
                .collect();
            return Err(PlanError::Options(format!(
                "{} sites are fixed but {total} foyers make at most {most} conciergeries of {} to {} foyers{asked}: unfix {} of them ({})",
                fixed.len(),
                opts.min,
                opts.max,
                fixed.len() - most,
                names.join(", ")
            )));
        }
        pb.p = specials.len() + fixed.len();
    }
    // The previous plan's sites kept in place open too.
    let must = (0..cands.len()).filter(|&k| pb.candidates[k].fixed).count();
    // With the previous plan's sites near a change sited again: as many sites as before
    // (less those forbidden), so that a local change does not close sites.
    let freed = (0..cands.len())
        .filter(|&k| common.cands[cands[k]].freed && !pb.candidates[k].fixed)
        .count();
    pb.p = pb.p.max((must + freed).min(cands.len()));
    let mut params = opts.params.clone();
    // A zone is compact by construction: the plain start (see `SitesParams::shaped_start`).
    params.shaped_start = matches!(rule, SitesRule::Options);
    progress.info(&format!(
        "{} households, {} foyers, {} candidates, {} sites of {} to {} foyers (the bounds allow {} to {} sites) | seed {}",
        hh.len(), total, cands.len(), pb.p, opts.min, opts.max, p_low, p_high, opts.params.seed
    ));
    let mut relaxed = false;
    let planner_fixed =
        (0..cands.len()).any(|k| common.cands[cands[k]].fixed && pb.candidates[k].min > 1);
    let result = step(progress, "grouping households into catchments", || {
        match solve_retrying(&pb, &params) {
            // The households' sizes leave no grouping within the bounds (a building of 100
            // foyers, one of 30 and a house, for sites of 40 to 60): the minimum is relaxed
            // rather than refused, and the plan says so. A planner's fixed site out of its
            // bounds is refused instead, with what to change.
            Err(SitingError::Refused(_)) if !planner_fixed => {
                let mut loose = pb.clone();
                for c in &mut loose.candidates {
                    c.min = c.min.min(1);
                }
                relaxed = true;
                solve_retrying(&loose, &params).map(|r| (r, Some(loose)))
            }
            other => other.map(|r| (r, None)),
        }
    })
    .map_err(|e| fixed_out_of_bounds(&pb, &cands, common, opts, e))?;
    let (result, loose) = result;
    if let Some(loose) = loose {
        pb = loose;
    }
    let specials = specials.iter().map(|s| (cc[s.cand], s.kind)).collect();
    Ok(ZoneSolution {
        households: hh.to_vec(),
        cands,
        pb,
        result,
        table,
        specials,
        relaxed,
    })
}

/// Solves; when the search ends without a grouping within the bounds (the checker refuses it),
/// tries again with other seeds and twice the kicks, twice at most, before giving up.
fn solve_retrying(
    pb: &Siting,
    params: &crate::sites::SitesParams,
) -> Result<SitingResult, SitingError> {
    let mut p = params.clone();
    let mut last = None;
    for attempt in 0..3u64 {
        match solve_checked(pb, &p) {
            Err(SitingError::Refused(why)) => {
                last = Some(SitingError::Refused(why));
                p.seed = params.seed.wrapping_add(0x9e37_79b9 * (attempt + 1));
                p.kicks = p.kicks.saturating_mul(2).max(10);
            }
            other => return other,
        }
    }
    Err(last.expect("three refusals"))
}

/// When a siting with fixed sites is refused, the fixed sites out of their bounds and by how
/// much (the planner's decision that cannot be met), else the error itself.
fn fixed_out_of_bounds(
    pb: &Siting,
    cands: &[usize],
    common: &Common,
    opts: &SitingOptions,
    e: SitingError,
) -> PlanError {
    if !matches!(e, SitingError::Refused(_)) {
        return e.into();
    }
    let fixed: Vec<usize> = (0..pb.m()).filter(|&k| pb.candidates[k].fixed).collect();
    if fixed.is_empty() {
        return e.into();
    }
    let names: Vec<String> = fixed
        .iter()
        .map(|&k| {
            let c = &common.cands[cands[k]];
            format!(
                "{} ({} to {} foyers)",
                c.named(opts.edits.as_ref()),
                c.min,
                c.max
            )
        })
        .collect();
    PlanError::Options(format!(
        "no grouping keeps every site within its bounds with the fixed sites {}: widen their min_foyers..max_foyers, or unfix some",
        names.join(", ")
    ))
}

/// Foyers / target, rounded, within `[p_low, p_high]`.
pub(super) fn by_target(total: i64, target: i64, (p_low, p_high): (usize, usize)) -> usize {
    ((total as f64 / target.max(1) as f64).round() as usize).clamp(p_low, p_high)
}

/// The positions in `cc` of the candidates that enough foyers can reach to open (their
/// minimum): a place on a cut-off part of the network, reached by fewer foyers than a
/// conciergerie's minimum, could never open and is left out before the search. A fixed site
/// that cannot is refused, with by how much.
fn usable(
    cc: &[usize],
    matrix: &Option<Vec<f32>>,
    demand: &[i64],
    common: &Common,
    opts: &SitingOptions,
    always: &[usize],
) -> Result<Vec<usize>, PlanError> {
    let Some(v) = matrix else {
        return Ok((0..cc.len()).collect());
    };
    let m = cc.len();
    let mut reach = vec![0i64; m];
    for (i, row) in v.chunks_exact(m.max(1)).enumerate() {
        for (r, d) in reach.iter_mut().zip(row) {
            if d.is_finite() {
                *r += demand[i];
            }
        }
    }
    for k in 0..m {
        let c = &common.cands[cc[k]];
        if c.fixed && (reach[k] == 0 || reach[k] < c.min) {
            return Err(PlanError::Options(format!(
                "{} is fixed with at least {} foyers, but only {} foyers can reach it ({} too few): lower its min_foyers, or move it nearer the households",
                c.named(opts.edits.as_ref()),
                c.min.max(1),
                reach[k],
                c.min.max(1) - reach[k]
            )));
        }
    }
    Ok((0..m)
        .filter(|&k| always.contains(&k) || (reach[k] > 0 && reach[k] >= common.cands[cc[k]].min))
        .collect())
}

/// The number of sites: given, chosen by cost (a scan of short runs), or total / target.
fn number_of_sites(
    pb: &mut Siting,
    opts: &SitingOptions,
    total: i64,
    (p_low, p_high): (usize, usize),
    progress: &dyn Progress,
) -> Result<usize, PlanError> {
    let params = &opts.params;
    let target_p = || by_target(total, opts.target, (p_low, p_high));
    Ok(match (opts.sites, opts.site_cost, opts.cost_per_km) {
        (Some(0), _, _) => p_low,
        (Some(p), _, _) => p,
        (None, Some(fixed), Some(per_km)) => {
            // Scan the feasible range (at most 25 values around the target) with short runs.
            let centre = target_p();
            let lo = centre.saturating_sub(12).max(p_low);
            let hi = (lo + 24).min(p_high);
            let mut best: Option<(f64, usize)> = None;
            progress.info(&format!("choosing the number of sites between {lo} and {hi} (site cost {fixed} EUR, {per_km} EUR per foyer-km)"));
            for p in lo..=hi {
                pb.p = p;
                let mut q = params.clone();
                q.time_limit = Some(params.time_limit.map_or(Duration::from_secs(2), |t| t / 8));
                q.kicks = 30;
                q.bound = false;
                let r = solve_checked(pb, &q)?;
                let total_cost = fixed * p as f64 + per_km * 2.0 * r.sites.cost / 1000.0;
                progress.info(&format!("  {p} sites: {:.0} EUR per day", total_cost));
                if best.is_none_or(|(c, _)| total_cost < c) {
                    best = Some((total_cost, p));
                }
            }
            best.map_or(p_low, |b| b.1)
        }
        _ => target_p(),
    })
}
