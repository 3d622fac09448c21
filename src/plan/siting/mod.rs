//! The territory's households grouped into conciergerie catchments ([`site`]).
//!
//! Decisions (also in the README):
//! - Candidates are, by default, every household *and* every public place of the extract
//!   (town hall, post office, school, shop...), or the planner's CSV.
//! - Distances are walking distances along the footway network by default.
//! - The number of sites is given, or the one minimising `site cost x p + cost per km x
//!   foyer-km` when both costs are given, or total foyers / target kept within the range the
//!   bounds allow.
//! - A building with more foyers than the maximum is split into parts of equal size at the same
//!   place, each grouped as a household (and listed); a household that the walking network does
//!   not connect to any candidate (too far from it, or on a cut-off part of it) is measured by
//!   road for cars, else in a straight line, and listed with its distance: nobody is left out,
//!   and every output says how each distance was measured.

use super::progress::{step, Progress};
use super::settings::Settings;
use super::territory::{Household, Territory};

mod distances;
use super::PlanError;
use crate::io::households::read_candidates;
use crate::model::Projection;
use crate::sites::summary::{summarise, Place, SiteSummary};
use crate::sites::{
    feasible_p, solve_checked, Candidate, Distances, SitesParams, Siting, SitingError, SitingResult,
};
use std::path::PathBuf;
use std::time::Duration;

/// Largest number of points for a road matrix (its memory grows with the square).
pub(crate) const MAX_MATRIX_POINTS: usize = 9_000;

/// Which places may host a conciergerie (without a candidates file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidatesFrom {
    /// Any household (a foyer hosting it).
    Households,
    /// Public places of the extract: town halls, post offices, schools, libraries, shops.
    Places,
    /// Both.
    Both,
}

/// How the distance from a household to its conciergerie is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistanceKind {
    /// Along footways and roads a pedestrian may use.
    Walking,
    /// Along roads open to cars.
    Driving,
    /// As the crow flies.
    Straight,
}

impl DistanceKind {
    /// `walking`, `driving` or `straight-line`, as the reports say it.
    pub fn name(self) -> &'static str {
        match self {
            DistanceKind::Walking => "walking",
            DistanceKind::Driving => "driving",
            DistanceKind::Straight => "straight-line",
        }
    }
}

/// How to group (from `tournee sites`, or the plan's settings with [`SitingOptions::for_plan`]).
#[derive(Clone, Debug)]
pub struct SitingOptions {
    /// Candidate places from this CSV (`id,lon,lat[,name][,min][,max]`) instead of the extract.
    pub candidates: Option<PathBuf>,
    /// Without a candidates file: which places may host a conciergerie.
    pub candidates_from: CandidatesFrom,
    /// Foyers per conciergerie aimed at.
    pub target: i64,
    /// Fewest foyers per conciergerie.
    pub min: i64,
    /// Most foyers per conciergerie.
    pub max: i64,
    /// The number of conciergeries (`Some(0)`: the fewest the bounds allow).
    pub sites: Option<usize>,
    /// Daily cost of a conciergerie (with `cost_per_km`: the number of sites minimises the total).
    pub site_cost: Option<f64>,
    /// Cost of a foyer's kilometre to its conciergerie.
    pub cost_per_km: Option<f64>,
    /// How distances are measured.
    pub distance: DistanceKind,
    /// The search.
    pub params: SitesParams,
}

impl SitingOptions {
    /// The plan's grouping: catchments of about `target` foyers (the bounds scaled from the
    /// settings'), walking distances, households and public places as candidates, a budget of
    /// `kicks` (deterministic), with or without the lower bound.
    pub fn for_plan(settings: &Settings, target: i64, kicks: usize, bound: bool) -> SitingOptions {
        let s = &settings.sites;
        let scale = target as f64 / s.target.max(1) as f64;
        SitingOptions {
            candidates: None,
            candidates_from: CandidatesFrom::Both,
            target,
            min: (s.min as f64 * scale).round() as i64,
            max: ((s.max as f64 * scale).round() as i64).max(1),
            sites: None,
            site_cost: None,
            cost_per_km: None,
            distance: DistanceKind::Walking,
            params: SitesParams {
                seed: settings.seed,
                time_limit: None,
                kicks,
                bound,
                ..SitesParams::default()
            },
        }
    }
}

/// A grouping and what it was made from.
#[derive(Clone, Debug)]
pub struct Grouping {
    /// Households grouped (in the problem's point order).
    pub households: Vec<Household>,
    /// Candidate places (in the problem's candidate order).
    pub candidates: Vec<Place>,
    /// The problem solved.
    pub pb: Siting,
    /// Its solution, checked.
    pub result: SitingResult,
    /// Remarks: buildings split into parts, households measured by a fallback, one line each.
    pub notes: Vec<String>,
    /// Per household: how its distance to the sites is measured (`distance`, or a fallback
    /// when that does not reach it: driving, else straight line).
    pub distance_by: Vec<DistanceKind>,
    /// The distance asked for (straight line when too many points for a road matrix).
    pub distance: DistanceKind,
}

impl Grouping {
    /// The households as places (the problem's point order).
    pub fn household_places(&self) -> Vec<Place> {
        self.households.iter().map(|h| h.place.clone()).collect()
    }

    /// Per open site: foyers, households, mean and farthest distance.
    pub fn summaries(&self) -> Vec<SiteSummary> {
        summarise(
            &self.pb,
            &self.result.sites,
            &self.household_places(),
            &self.candidates,
        )
    }

    /// Foyers and distance to their site, per household grouped.
    pub fn foyer_distances(&self) -> Vec<(i64, f64)> {
        self.result
            .sites
            .assign
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.map(|j| (self.pb.demand[i], self.pb.distance(i, j))))
            .collect()
    }

    /// For each household grouped, the position of its site among the open ones.
    pub fn site_of(&self) -> Vec<Option<usize>> {
        let open = &self.result.sites.open;
        self.result
            .sites
            .assign
            .iter()
            .map(|a| a.and_then(|j| open.binary_search(&j).ok()))
            .collect()
    }
}

/// Groups the households of `t` into catchments as `opts` says.
pub fn site(
    t: &Territory,
    opts: &SitingOptions,
    progress: &dyn Progress,
) -> Result<Grouping, PlanError> {
    if opts.min > opts.max || opts.max <= 0 {
        return Err(PlanError::Options(format!("min {} and max {} foyers per conciergerie make no sense: need 0 <= min <= max and max >= 1", opts.min, opts.max)));
    }
    let mut notes = Vec::new();
    let households = split_large(&t.households, opts.max, &mut notes);
    let refs: Vec<&Household> = households.iter().collect();
    let cands = candidates(t, opts, &refs)?;
    let proj = Projection::around(households.iter().map(|h| h.place.at()));
    let point_xy: Vec<[f64; 2]> = households
        .iter()
        .map(|h| proj.to_xy(h.place.at()))
        .collect();
    let candidate_xy: Vec<[f64; 2]> = cands.iter().map(|c| proj.to_xy(c.place.at())).collect();
    let homes: Vec<(f64, f64)> = households.iter().map(|h| h.place.at().pair()).collect();
    let cand_at: Vec<(f64, f64)> = cands.iter().map(|c| c.place.at().pair()).collect();
    let cand_home: Vec<Option<usize>> = cands.iter().map(|c| c.household).collect();
    let table = distances::table(
        t,
        opts.distance,
        &homes,
        &cand_at,
        &cand_home,
        (&point_xy, &candidate_xy),
        progress,
    );
    let demand: Vec<i64> = households.iter().map(|h| h.foyers).collect();
    let total: i64 = demand.iter().sum();
    let (cands, candidate_xy, matrix) = usable(cands, candidate_xy, table.matrix, &demand);
    let mut pb = Siting {
        point_xy,
        weight: demand.iter().map(|&q| q as f64).collect(),
        demand,
        candidate_xy,
        candidates: cands
            .iter()
            .map(|c| Candidate {
                min: c.min,
                max: c.max,
                fixed_cost: 0.0,
                point: c.household,
            })
            .collect(),
        p: 1,
        distances: match matrix {
            Some(v) => Distances::Matrix(v),
            None => Distances::Euclid { floor: false },
        },
    };
    let Some((p_low, p_high)) = feasible_p(total, opts.min, opts.max) else {
        return Err(SitingError::NoFeasibleP {
            total,
            min: opts.min,
            max: opts.max,
        }
        .into());
    };
    pb.p = number_of_sites(&mut pb, opts, total, (p_low, p_high), progress)?;
    progress.info(&format!(
        "{} households, {} foyers, {} candidates, {} sites of {} to {} foyers (the bounds allow {} to {} sites) | seed {}",
        households.len(), total, cands.len(), pb.p, opts.min, opts.max, p_low, p_high, opts.params.seed
    ));
    let result = step(progress, "grouping households into catchments", || {
        solve_checked(&pb, &opts.params)
    })?;
    // The households measured by a fallback, with the distance to their site.
    for (i, why) in table.why.iter().enumerate() {
        let Some(why) = why else { continue };
        let to_site = result.sites.assign[i].map_or(f64::INFINITY, |j| pb.distance(i, j));
        notes.push(format!(
            "{}: {why}; its distance to its conciergerie is measured {}: {to_site:.0} m",
            households[i].place.id,
            match table.by[i] {
                DistanceKind::Driving => "by road for cars",
                _ => "in a straight line",
            }
        ));
    }
    Ok(Grouping {
        households,
        candidates: cands.into_iter().map(|c| c.place).collect(),
        pb,
        result,
        notes,
        distance_by: table.by,
        distance: table.kind,
    })
}

/// The candidates that enough foyers can reach to open (their minimum), with their planar
/// coordinates and matrix columns: a place on a cut-off part of the network, reached by fewer
/// foyers than a conciergerie's minimum, could never open and is left out before the search.
fn usable(
    cands: Vec<CandidatePlace>,
    xy: Vec<[f64; 2]>,
    matrix: Option<Vec<f32>>,
    demand: &[i64],
) -> (Vec<CandidatePlace>, Vec<[f64; 2]>, Option<Vec<f32>>) {
    let Some(v) = matrix else {
        return (cands, xy, None);
    };
    let m = cands.len();
    let mut reach = vec![0i64; m];
    for (i, row) in v.chunks_exact(m.max(1)).enumerate() {
        for (r, d) in reach.iter_mut().zip(row) {
            if d.is_finite() {
                *r += demand[i];
            }
        }
    }
    let keep: Vec<usize> = (0..m)
        .filter(|&j| reach[j] > 0 && reach[j] >= cands[j].min)
        .collect();
    if keep.len() == m {
        return (cands, xy, Some(v));
    }
    let matrix = v
        .chunks_exact(m.max(1))
        .flat_map(|row| keep.iter().map(move |&j| row[j]))
        .collect();
    let xy = keep.iter().map(|&j| xy[j]).collect();
    let mut slots: Vec<Option<CandidatePlace>> = cands.into_iter().map(Some).collect();
    let cands = keep
        .iter()
        .map(|&j| slots[j].take().expect("each candidate kept once"))
        .collect();
    (cands, xy, Some(matrix))
}

/// The households, a building with more foyers than a conciergerie may serve split into parts
/// of equal size at the same place (ids `<id>#1`, `<id>#2`...), each grouped as a household, so
/// that its foyers are served by one or more conciergeries and none is left out.
fn split_large(households: &[Household], max: i64, notes: &mut Vec<String>) -> Vec<Household> {
    let mut out = Vec::with_capacity(households.len());
    for h in households {
        if h.foyers <= max {
            out.push(h.clone());
            continue;
        }
        let parts = (h.foyers + max - 1) / max;
        notes.push(format!(
            "{} ({} foyers, more than the {max} a conciergerie serves): grouped as {parts} parts of about {} foyers, {}#1 to {}#{parts}",
            h.place.id,
            h.foyers,
            h.foyers / parts,
            h.place.id,
            h.place.id
        ));
        for k in 0..parts {
            let mut part = h.clone();
            part.place.id = format!("{}#{}", h.place.id, k + 1);
            part.foyers = h.foyers / parts + i64::from(k < h.foyers % parts);
            out.push(part);
        }
    }
    out
}

/// A candidate place with its bounds, and the household it is, if it is one.
struct CandidatePlace {
    place: Place,
    min: i64,
    max: i64,
    household: Option<usize>,
}

/// The candidates: the file's, or the households and the extract's public places.
fn candidates(
    t: &Territory,
    opts: &SitingOptions,
    households: &[&Household],
) -> Result<Vec<CandidatePlace>, PlanError> {
    let mut cands = Vec::new();
    match &opts.candidates {
        Some(csv) => {
            for r in read_candidates(csv)? {
                cands.push(CandidatePlace {
                    place: Place {
                        id: r.id,
                        name: r.name,
                        lon: r.lon,
                        lat: r.lat,
                    },
                    min: r.min.unwrap_or(opts.min),
                    max: r.max.unwrap_or(opts.max),
                    household: None,
                });
            }
        }
        None => {
            if opts.candidates_from != CandidatesFrom::Places {
                for (k, h) in households.iter().enumerate() {
                    cands.push(CandidatePlace {
                        place: h.place.clone(),
                        min: opts.min,
                        max: opts.max,
                        household: Some(k),
                    });
                }
            }
            if opts.candidates_from != CandidatesFrom::Households {
                let mut seen = std::collections::HashSet::new();
                for p in &t.extract.features.candidates {
                    if seen.insert(p.osm) {
                        let name = p
                            .name
                            .clone()
                            .map(|n| format!("{n} ({})", p.kind))
                            .or(Some(p.kind.clone()));
                        cands.push(CandidatePlace {
                            place: Place {
                                id: p.osm.to_string(),
                                name,
                                lon: p.lon,
                                lat: p.lat,
                            },
                            min: opts.min,
                            max: opts.max,
                            household: None,
                        });
                    }
                }
            }
        }
    }
    if cands.is_empty() {
        return Err(PlanError::NoCandidate);
    }
    Ok(cands)
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
    let by_target =
        || ((total as f64 / opts.target.max(1) as f64).round() as usize).clamp(p_low, p_high);
    Ok(match (opts.sites, opts.site_cost, opts.cost_per_km) {
        (Some(0), _, _) => p_low,
        (Some(p), _, _) => p,
        (None, Some(fixed), Some(per_km)) => {
            // Scan the feasible range (at most 25 values around the target) with short runs.
            let centre = by_target();
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
        _ => by_target(),
    })
}
