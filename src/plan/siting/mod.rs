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

use super::progress::Progress;
use super::settings::Settings;
use super::territory::{Household, Territory};

mod distances;
pub mod hamlets;
mod repair;
mod zone;
mod zoned;
pub(crate) mod zones;
use super::sites_file::{SitesFile, Status, MOVED_M};
use super::PlanError;
use crate::io::households::read_candidates;
use crate::model::{LonLat, Projection};
use crate::sites::summary::{summarise, Place, SiteSummary};
use crate::sites::{SitesParams, Siting, SitingResult};
use std::path::PathBuf;

/// A household this far from its conciergerie (metres, as the grouping measures it) is *far*:
/// about 25 minutes on foot; the map draws and lists it, the per-commune figures count it.
pub const FAR_M: f64 = 2_000.0;

/// Households per zone at most (the default of [`SitingOptions::zone_households`]): a larger
/// territory is sited by zones, solved in parallel and joined at their borders. A zone's
/// distance table is about 2,500 x 2,600 (26 MB), and its siting a few seconds.
pub const ZONE_HOUSEHOLDS: usize = 2_500;

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
    /// The search (in each zone).
    pub params: SitesParams,
    /// Households per zone at most ([`ZONE_HOUSEHOLDS`]).
    pub zone_households: usize,
    /// The planner's decisions (fixed, forbidden, moved and added sites, per-site bounds, the
    /// previous sites to start from): see [`crate::plan::sites_file`].
    pub edits: Option<SitesFile>,
    /// The longest walk, and what isolated households get instead ([`hamlets`]); `None`: every
    /// household goes to a site within the bounds, however far.
    pub walk: Option<hamlets::WalkRule>,
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
                deadline: settings.deadline,
                ..SitesParams::default()
            },
            zone_households: ZONE_HOUSEHOLDS,
            edits: None,
            walk: Some(walk_rule(settings)),
        }
    }
}

/// The plan's walking rule: `sites.max_walk_m`, and hamlet sites from as many isolated
/// households as make one cheaper than home deliveries. A hamlet site costs its host's
/// allowance (`funding.site_eur_per_month`, over `factors.days_per_year / 12` days a month)
/// and one stop; each home delivery a stop (`fleet.stop_minutes` plus two orders at
/// `factors.driver_eur_per_hour`). With the defaults (2.0 EUR a day for the site, 2.2 EUR a
/// stop), two households or more make a hamlet.
pub fn walk_rule(settings: &Settings) -> hamlets::WalkRule {
    let f = &settings.factors;
    let site_day = settings.funding.site_eur_per_month * 12.0 / f.days_per_year.max(1.0);
    let stop = (settings.fleet.stop_minutes + 2.0 * settings.fleet.order_minutes) / 60.0
        * f.driver_eur_per_hour;
    // n stops cost more than a site and one stop from n = 1 + site / stop.
    let n = if stop > 0.0 {
        (1.0 + site_day / stop).floor() as usize + 1
    } else {
        usize::MAX
    };
    hamlets::WalkRule {
        max_m: settings.sites.max_walk_m,
        hamlet_households: n.max(2),
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
    /// The distance asked for.
    pub distance: DistanceKind,
    /// How the territory was cut into zones, when it was (`None`: one problem).
    pub zoning: Option<Zoning>,
    /// Per candidate: the kind of site it opens as (hamlet and home sites for isolated
    /// households, [`hamlets`]).
    pub kinds: Vec<hamlets::SiteKind>,
    /// The longest walk the grouping was made with, when it had one.
    pub walk: Option<hamlets::WalkRule>,
    /// Per candidate: fixed by the planner (the sites file's `fixed`, or moved). The problem's
    /// own `fixed` also holds the hamlet and home sites and the sites a re-plan keeps in place.
    pub fixed: Vec<bool>,
    /// Each open site's number (in the order of [`Grouping::summaries`]): 1, 2... in a first
    /// plan; with the planner's sites file, the number its row gives, and new sites the next
    /// numbers after the file's largest, so that a site keeps its number across re-plans.
    pub labels: Vec<u32>,
}

/// A territory sited by zones: the zones and the joining of their borders.
#[derive(Clone, Debug, PartialEq)]
pub struct Zoning {
    /// The zones, in a fixed order.
    pub zones: Vec<ZoneInfo>,
    /// Households per zone at most.
    pub zone_households: usize,
    /// Groups of neighbouring sites across borders re-optimised.
    pub border_groups: usize,
    /// Those whose new siting was kept.
    pub border_improved: usize,
    /// Foyer-metres the joining saved.
    pub border_saved: f64,
}

/// One zone of a territory sited by zones.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneInfo {
    /// Its name: the commune(s), or "zone N".
    pub name: String,
    /// Households in the zone.
    pub households: usize,
    /// Their foyers.
    pub foyers: i64,
    /// Sites the zone opened (before the borders were joined).
    pub sites: usize,
    /// The zone's own cost (foyer x metres, its households served by its sites).
    pub cost: f64,
    /// The lower bound of the zone's own problem, when computed.
    pub bound: Option<f64>,
}

impl Grouping {
    /// The households as places (the problem's point order).
    pub fn household_places(&self) -> Vec<Place> {
        self.households.iter().map(|h| h.place.clone()).collect()
    }

    /// The open sites' places, in the order of [`Grouping::summaries`] (without measuring
    /// their households).
    pub fn open_places(&self) -> impl Iterator<Item = &Place> {
        self.result.sites.open.iter().map(|&j| &self.candidates[j])
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

    /// How each household is served: at a site, a hamlet site, or at home.
    pub fn served_by(&self) -> Vec<hamlets::SiteKind> {
        self.result
            .sites
            .assign
            .iter()
            .map(|a| a.map_or(hamlets::SiteKind::Regular, |j| self.kinds[j]))
            .collect()
    }

    /// The kind of each open site, in the order of [`Grouping::summaries`].
    pub fn open_kinds(&self) -> Vec<hamlets::SiteKind> {
        self.result
            .sites
            .open
            .iter()
            .map(|&j| self.kinds[j])
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

/// Groups the households of `t` into catchments as `opts` says: as one problem when they are
/// at most `opts.zone_households`, else by zones (the extract's communes where it has them,
/// else spatial clusters) solved in parallel and joined at their borders (the modules `zones`,
/// `zoned` and `repair`).
pub fn site(
    t: &Territory,
    opts: &SitingOptions,
    progress: &dyn Progress,
) -> Result<Grouping, PlanError> {
    site_among(t, &t.households, opts, progress)
}

/// As [`site`], for some of the territory's households (a sample of it, a commune): the
/// extract's public places are candidates only within [`AMONG_MARGIN_M`] of the households'
/// bounding box.
pub fn site_among(
    t: &Territory,
    households: &[Household],
    opts: &SitingOptions,
    progress: &dyn Progress,
) -> Result<Grouping, PlanError> {
    if opts.min > opts.max || opts.max <= 0 {
        return Err(PlanError::Options(format!("min {} and max {} foyers per conciergerie make no sense: need 0 <= min <= max and max >= 1", opts.min, opts.max)));
    }
    let mut notes = Vec::new();
    let some = households.len() < t.households.len();
    let households = split_large(households, opts.max, &mut notes);
    let refs: Vec<&Household> = households.iter().collect();
    let mut cands = candidates(t, opts, &refs)?;
    if some {
        let near = near_box(&households, AMONG_MARGIN_M);
        cands.retain(|c| c.household.is_some() || near(c.place.at()));
        if cands.is_empty() {
            return Err(PlanError::NoCandidate);
        }
    }
    if let Some(file) = &opts.edits {
        apply_edits(t, opts, file, &mut cands, &mut notes)?;
        check_fixed(&households, &cands, file)?;
    }
    let proj = Projection::around(households.iter().map(|h| h.place.at()));
    let point_xy: Vec<[f64; 2]> = households
        .iter()
        .map(|h| proj.to_xy(h.place.at()))
        .collect();
    let candidate_xy: Vec<[f64; 2]> = cands.iter().map(|c| proj.to_xy(c.place.at())).collect();
    let common = zone::Common {
        households: &households,
        cands: &cands,
        point_xy: &point_xy,
        candidate_xy: &candidate_xy,
    };
    if households.len() > opts.zone_households {
        let foyers: Vec<i64> = households.iter().map(|h| h.foyers).collect();
        let communes = &t.extract.features.communes;
        let parts = if communes.is_empty() {
            let mut parts = zones::partition(&point_xy, &foyers, opts.zone_households)
                .into_iter()
                .enumerate()
                .map(|(k, households)| zones::Zone {
                    households,
                    name: format!("zone {}", k + 1),
                })
                .collect();
            let bounds = (opts.min, opts.max);
            let merged =
                zones::merge_small(&mut parts, &point_xy, &foyers, opts.zone_households, bounds);
            notes.extend(merged);
            parts
        } else {
            let lonlat: Vec<_> = households.iter().map(|h| h.place.at()).collect();
            let (parts, merged) = zones::by_communes(
                communes,
                (&lonlat, &point_xy, &foyers),
                opts.zone_households,
                (opts.min, opts.max),
            );
            notes.extend(merged);
            parts
        };
        let mut g = zoned::site_zones(t, opts, &common, parts, progress)?;
        notes.append(&mut g.notes);
        g.notes = notes;
        settle(t, &mut g, opts.min)?;
        g.labels = labels(&g, opts.edits.as_ref());
        return Ok(g);
    }
    let all_h: Vec<usize> = (0..households.len()).collect();
    let all_c: Vec<usize> = (0..cands.len()).collect();
    let z = zone::solve_zone(
        t,
        opts,
        &common,
        (&all_h, &all_c),
        zone::SitesRule::Options,
        progress,
    )?;
    notes.extend(fallback_notes(&households, &z, |i| {
        z.result.sites.assign[i].map_or(f64::INFINITY, |j| z.pb.distance(i, j))
    }));
    if z.relaxed {
        notes.push(relaxed_note(opts));
    }
    let candidates = z.cands.iter().map(|&j| cands[j].place.clone()).collect();
    let kinds = z
        .cands
        .iter()
        .map(|j| {
            z.specials
                .iter()
                .find(|s| s.0 == *j)
                .map_or(cands[*j].kind, |s| s.1)
        })
        .collect();
    let mut g = Grouping {
        households,
        candidates,
        pb: z.pb,
        result: z.result,
        notes,
        distance_by: z.table.by,
        distance: z.table.kind,
        zoning: None,
        kinds,
        walk: opts.walk,
        fixed: z.cands.iter().map(|&j| cands[j].fixed).collect(),
        labels: Vec::new(),
    };
    settle(t, &mut g, opts.min)?;
    g.labels = labels(&g, opts.edits.as_ref());
    Ok(g)
}

/// The note of a grouping whose sites' minimum had to be relaxed.
fn relaxed_note(opts: &SitingOptions) -> String {
    format!(
        "the households' sizes leave no grouping into sites of {} to {} foyers (a large building's parts, a few houses apart): some sites serve fewer than {} foyers; lower sites.min, or give the households' foyers as they are",
        opts.min, opts.max, opts.min
    )
}

/// The open sites' numbers (see [`Grouping::labels`]).
fn labels(g: &Grouping, file: Option<&SitesFile>) -> Vec<u32> {
    let open = &g.result.sites.open;
    let Some(file) = file else {
        return (1..=open.len() as u32).collect();
    };
    let by_id: std::collections::HashMap<&str, u32> = file
        .rows
        .iter()
        .filter_map(|r| r.label.map(|l| (r.id.as_str(), l)))
        .collect();
    let mut next = by_id.values().copied().max().unwrap_or(0);
    open.iter()
        .map(|&j| match by_id.get(g.candidates[j].id.as_str()) {
            Some(&l) => l,
            None => {
                next += 1;
                next
            }
        })
        .collect()
}

/// The walking rule applied after the search ([`hamlets::settle`]), checked again, with a note
/// on the households served apart.
/// `min`: a regular site's minimum.
fn settle(t: &Territory, g: &mut Grouping, min: i64) -> Result<(), PlanError> {
    let Some(rule) = g.walk else { return Ok(()) };
    let (car, places) = (t.car(), &g.candidates);
    let drivable = |j: usize| {
        let p = &places[j];
        car.snap_all(&[(p.lon, p.lat)])[0].is_ok()
    };
    let s = hamlets::settle(
        &mut g.pb,
        &mut g.result.sites,
        (&mut g.kinds, &drivable),
        rule,
    );
    // A hamlet site (kept from a sites file, or shrunk) that gathered a regular site's
    // minimum is a regular site again.
    let mut load = vec![0i64; g.pb.m()];
    for (i, a) in g.result.sites.assign.iter().enumerate() {
        if let Some(j) = a {
            load[*j] += g.pb.demand[i];
        }
    }
    for &j in &g.result.sites.open {
        if g.kinds[j] == hamlets::SiteKind::Hamlet && load[j] >= min.max(1) {
            g.kinds[j] = hamlets::SiteKind::Regular;
            g.pb.candidates[j].min = g.pb.candidates[j].min.max(min.min(load[j]));
        }
    }
    let report = crate::sites::check::check(&g.pb, &g.result.sites).map_err(|v| {
        PlanError::Internal(format!(
            "the walking rule breaks the siting's rules ({})",
            v.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    g.result.sites.cost = report.cost;
    let kinds = g.open_kinds();
    let served = g.served_by();
    let count = |k: hamlets::SiteKind| served.iter().filter(|&&x| x == k).count();
    let sites = |k: hamlets::SiteKind| kinds.iter().filter(|&&x| x == k).count();
    use hamlets::SiteKind::{Hamlet, Home};
    if sites(Hamlet) + sites(Home) > 0 || s.moved > 0 {
        g.notes.push(format!(
            "walks of at most {:.0} m (sites.max_walk_m): {} household(s) in {} hamlet site(s) below the minimum size, {} served at home by the van, {} moved to a nearer site with room ({} left with a nearer site that has room){}",
            rule.max_m,
            count(Hamlet),
            sites(Hamlet),
            count(Home),
            s.moved,
            s.past_nearer,
            if s.still_far > 0 {
                format!("; {} still farther, with no place to serve them nearer", s.still_far)
            } else {
                String::new()
            }
        ));
        if let Some(line) = per_commune(t, g, rule, min) {
            g.notes.push(line);
        }
    }
    Ok(())
}

/// The households served apart, per commune of the extract (hamlet sites, home deliveries,
/// still beyond a walk), and why: `None` without communes or without such households. Only
/// those households are located (a few per commune, whatever the territory's size).
fn per_commune(t: &Territory, g: &Grouping, rule: hamlets::WalkRule, min: i64) -> Option<String> {
    use hamlets::SiteKind::{Hamlet, Home, Regular};
    let communes = &t.extract.features.communes;
    if communes.is_empty() {
        return None;
    }
    let served = g.served_by();
    let apart: Vec<(usize, usize)> = (0..g.households.len())
        .filter_map(|i| {
            let j = g.result.sites.assign[i]?;
            match served[i] {
                Hamlet => Some((i, 0)),
                Home => Some((i, 1)),
                Regular if g.pb.distance(i, j) > rule.max_m => Some((i, 2)),
                Regular => None,
            }
        })
        .collect();
    if apart.is_empty() {
        return None;
    }
    let at: Vec<LonLat> = apart
        .iter()
        .map(|&(i, _)| g.households[i].place.at())
        .collect();
    let of = crate::osm::locate_communes(communes, &at);
    let mut counts: std::collections::BTreeMap<String, [usize; 3]> = Default::default();
    for (&(_, how), c) in apart.iter().zip(&of) {
        let name = c.map_or_else(
            || "outside the communes".to_string(),
            |c| communes[c].name.clone(),
        );
        counts.entry(name).or_default()[how] += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(name, [h, d, f])| {
            let mut v = Vec::new();
            if *h > 0 {
                v.push(format!("{h} in hamlet sites"));
            }
            if *d > 0 {
                v.push(format!("{d} at home"));
            }
            if *f > 0 {
                v.push(format!("{f} still farther"));
            }
            format!("{name}: {}", v.join(", "))
        })
        .collect();
    Some(format!(
        "households served apart, per commune (no group of {} foyers within {:.0} m of them; still farther: no place a van can stop within a walk): {}",
        min.max(1),
        rule.max_m,
        parts.join("; ")
    ))
}

/// Refuses fixed sites whose minimums need more foyers than the territory has, naming them.
fn check_fixed(
    households: &[Household],
    cands: &[CandidatePlace],
    file: &SitesFile,
) -> Result<(), PlanError> {
    let total: i64 = households.iter().map(|h| h.foyers).sum();
    let fixed: Vec<&CandidatePlace> = cands.iter().filter(|c| c.fixed).collect();
    let need: i64 = fixed.iter().map(|c| c.min.max(0)).sum();
    if need > total {
        let list: Vec<String> = fixed
            .iter()
            .filter(|c| c.min > 0)
            .map(|c| format!("{} (at least {})", c.named(Some(file)), c.min))
            .collect();
        return Err(PlanError::Options(format!(
            "the {} fixed sites need at least {need} foyers together but the territory has {total}, {} too few: lower their min_foyers or fix fewer sites: {}",
            fixed.len(),
            need - total,
            list.join(", ")
        )));
    }
    Ok(())
}

/// Public places farther than this outside a partial siting's households are not candidates.
pub const AMONG_MARGIN_M: f64 = 2_000.0;

/// Whether a place lies within `margin_m` of the bounding box of `households`.
fn near_box(households: &[Household], margin_m: f64) -> impl Fn(LonLat) -> bool {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for h in households {
        let p = h.place.at();
        lo = [lo[0].min(p.lon), lo[1].min(p.lat)];
        hi = [hi[0].max(p.lon), hi[1].max(p.lat)];
    }
    let dlat = margin_m / 111_000.0;
    let dlon = dlat / hi[1].abs().max(lo[1].abs()).to_radians().cos().max(0.05);
    move |p: LonLat| {
        p.lon >= lo[0] - dlon
            && p.lon <= hi[0] + dlon
            && p.lat >= lo[1] - dlat
            && p.lat <= hi[1] + dlat
    }
}

/// The notes for the households of a zone measured by a fallback, with the distance to their
/// site (`to_site` of the zone's local index), and for those no site could take.
fn fallback_notes(
    households: &[Household],
    z: &zone::ZoneSolution,
    to_site: impl Fn(usize) -> f64,
) -> Vec<String> {
    let (zone, table) = (&z.households, &z.table);
    let mut notes = Vec::new();
    for (i, a) in z.result.sites.assign.iter().enumerate() {
        if a.is_none() {
            notes.push(format!(
                "{}: no conciergerie within the size bounds could take it: not grouped (widen the bounds, or add candidate places near it)",
                households[zone[i]].place.id
            ));
        }
    }
    for (i, why) in table.why.iter().enumerate() {
        let Some(why) = why else { continue };
        notes.push(format!(
            "{}: {why}; its distance to its conciergerie is measured {}: {:.0} m",
            households[zone[i]].place.id,
            match table.by[i] {
                DistanceKind::Driving => "by road for cars",
                _ => "in a straight line",
            },
            to_site(i)
        ));
    }
    notes
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
            part.place.id = crate::io::households::part_id(&h.place.id, k + 1);
            part.foyers = h.foyers / parts + i64::from(k < h.foyers % parts);
            out.push(part);
        }
    }
    out
}

/// A candidate place with its bounds, and the household it is, if it is one.
#[derive(Clone, Debug)]
struct CandidatePlace {
    place: Place,
    min: i64,
    max: i64,
    /// The household it is, if it is one (an index into the grouped households).
    household: Option<usize>,
    /// Must open (the planner's sites file says so).
    fixed: bool,
    /// Kept open as the previous plan had it: a site of the planner's file far from every
    /// change it makes (the search does not move it; unlike `fixed`, not the planner's word).
    pinned: bool,
    /// A site of the previous plan near a change, sited again: its place among the sites is
    /// kept (the number of sites does not drop), not its position.
    freed: bool,
    /// The line of the planner's sites file that speaks of it.
    line: Option<u64>,
    /// A hamlet or home site of the previous plan kept in place opens as one.
    kind: hamlets::SiteKind,
}

impl CandidatePlace {
    fn new(place: Place, (min, max): (i64, i64), household: Option<usize>) -> CandidatePlace {
        CandidatePlace {
            place,
            min,
            max,
            household,
            fixed: false,
            pinned: false,
            freed: false,
            line: None,
            kind: hamlets::SiteKind::Regular,
        }
    }

    /// A hamlet or home site of the previous plan opens as one: with `min` foyers at least, and
    /// a home delivery with its own foyers (`max`) at most. A regular site is left as it is.
    fn keep_kind(&mut self, kind: hamlets::SiteKind, min: i64, max: Option<i64>) {
        if kind == hamlets::SiteKind::Regular {
            return;
        }
        self.kind = kind;
        self.min = min;
        if kind == hamlets::SiteKind::Home {
            self.max = max.unwrap_or(self.max).max(1);
        }
    }

    /// How a message names it: `site way/12 (line 4 of sites.csv)`.
    fn named(&self, file: Option<&SitesFile>) -> String {
        match (self.line, file) {
            (Some(l), Some(f)) => {
                format!("site {} (line {l} of {})", self.place.id, f.path.display())
            }
            _ => format!("site {}", self.place.id),
        }
    }
}

/// The planner's decisions applied to the candidates: forbidden places removed, fixed ones
/// marked, moved ones placed anew, new places added, per-site bounds set. A place neither in
/// the territory nor given coordinates, or given off the paths, is refused with its line.
fn apply_edits(
    t: &Territory,
    opts: &SitingOptions,
    file: &SitesFile,
    cands: &mut Vec<CandidatePlace>,
    notes: &mut Vec<String>,
) -> Result<(), PlanError> {
    let fail = |line: u64, column: Option<&'static str>, problem: String| {
        PlanError::SitesFile(super::sites_file::SitesFileError::Line {
            path: file.path.clone(),
            line,
            column,
            problem,
        })
    };
    let mut by_id: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (k, c) in cands.iter().enumerate() {
        by_id.entry(c.place.id.clone()).or_insert(k);
    }
    let mut forbidden = vec![false; cands.len()];
    // What the file changes against the plan it came from, and that plan's regular sites.
    let mut changes: Vec<LonLat> = Vec::new();
    let mut previous: Vec<(usize, hamlets::SiteKind, Option<i64>)> = Vec::new();
    let net = match opts.distance {
        DistanceKind::Driving => t.car(),
        _ => t.foot(),
    };
    for r in &file.rows {
        let bounds = (r.min.unwrap_or(opts.min), r.max.unwrap_or(opts.max));
        if bounds.0 > bounds.1 {
            return Err(fail(r.line, Some(if r.min.is_some() { "min_foyers" } else { "max_foyers" }), format!(
                "at least {} and at most {} foyers (with the settings' bound): the minimum must not exceed the maximum",
                bounds.0, bounds.1
            )));
        }
        if let Some(at) = r.at.filter(|_| r.status != Status::Forbidden) {
            if let Err(e) = net.snap_all(&[(at.lon, at.lat)]).remove(0) {
                return Err(fail(r.line, Some("lon"), format!(
                    "site {} at {:.6}, {:.6} is not on the territory's paths ({}): is it outside the extract, or are lon and lat swapped?",
                    r.id, at.lon, at.lat,
                    match e {
                        crate::graph::snap::SnapError::TooFar { distance_m, .. } => format!("{:.1} km from the nearest one", distance_m / 1000.0),
                        e => e.to_string(),
                    }
                )));
            }
        }
        let k = match by_id.get(&r.id) {
            Some(&k) => k,
            None if r.status == Status::Forbidden => {
                notes.push(format!("{}, line {}: {} is forbidden, but it is not a candidate place of this territory: nothing to forbid", file.path.display(), r.line, r.id));
                continue;
            }
            None => {
                let Some(at) = r.at else {
                    return Err(fail(r.line, Some("site_id"), format!(
                        "{} is not a place of this territory (nor a site of its plan) and the row has no lon, lat: give the new site's coordinates, or the id sites.csv or assignment.csv writes",
                        r.id
                    )));
                };
                let place = Place {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    lon: at.lon,
                    lat: at.lat,
                };
                cands.push(CandidatePlace::new(place, bounds, None));
                forbidden.push(false);
                by_id.insert(r.id.clone(), cands.len() - 1);
                changes.push(at);
                cands.len() - 1
            }
        };
        let was_site = r.label.is_some();
        match r.status {
            Status::Forbidden if was_site => changes.push(cands[k].place.at()),
            Status::Fixed if !was_site => changes.push(cands[k].place.at()),
            Status::Open | Status::Fixed | Status::Candidate if was_site => {
                previous.push((k, r.kind.unwrap_or_default(), r.foyers))
            }
            _ => {}
        }
        let c = &mut cands[k];
        c.line = Some(r.line);
        (c.min, c.max) = bounds;
        match r.status {
            Status::Forbidden => forbidden[k] = true,
            Status::Fixed => {
                c.fixed = true;
                // A hamlet or home site of the plan, fixed, keeps its own bounds (a planner
                // fixing every site of a plan gets that plan, not a refusal for too few foyers).
                let min = r.min.unwrap_or(1).min(c.min);
                c.keep_kind(r.kind.unwrap_or_default(), min, r.max.or(r.foyers));
            }
            // A site of the previous plan: a candidate like any other, so that a file without
            // decisions gives back the same grouping (the same seed, the same problem).
            Status::Open | Status::Candidate => {}
        }
        if let Some(at) = r.at {
            let d = c.place.at().distance_m(at);
            if d > MOVED_M {
                notes.push(format!(
                    "{}, line {}: site {} moved {d:.0} m from its place, to {:.6}, {:.6}; it stays open there (as if fixed) and its distances are measured from there",
                    file.path.display(),
                    r.line,
                    r.id,
                    at.lon,
                    at.lat
                ));
                // Moved: no longer the household's own door, and open there (a planner moves
                // a site to have it there).
                c.place.lon = at.lon;
                c.place.lat = at.lat;
                c.household = None;
                c.fixed = true;
                changes.push(at);
            }
        }
    }
    previous.retain(|x| !forbidden[x.0]);
    pin_far_from_changes(file, cands, &changes, &previous, notes);
    let mut k = 0;
    cands.retain(|_| {
        k += 1;
        !forbidden[k - 1]
    });
    if cands.is_empty() {
        return Err(PlanError::NoCandidate);
    }
    Ok(())
}

/// Sites of the previous plan re-sited around each change of the planner's file (the nearest
/// ones, straight line; the changed site itself is not counted).
pub const LOCAL_SITES: usize = 3;

/// A re-plan changes only what the planner's edits force: the previous plan's sites (the file's
/// rows with a number, `label`) stay where they are (`previous`), but for the [`LOCAL_SITES`]
/// nearest each change (`changes`: a site forbidden, a place fixed or added that was not a
/// site, a site moved). Fixing a site that is open, or leaving a row as it is, changes nothing.
/// Without any change, nothing is pinned (the file gives back the same grouping).
fn pin_far_from_changes(
    file: &SitesFile,
    cands: &mut [CandidatePlace],
    changes: &[LonLat],
    previous: &[(usize, hamlets::SiteKind, Option<i64>)],
    notes: &mut Vec<String>,
) {
    if changes.is_empty() || previous.is_empty() {
        return;
    }
    let mut free = vec![false; cands.len()];
    for c in changes {
        let mut near: Vec<(f64, usize)> = previous
            .iter()
            .map(|&(k, _, _)| (cands[k].place.at().distance_m(*c), k))
            .filter(|x| x.0 > MOVED_M)
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, k) in near.iter().take(LOCAL_SITES) {
            free[k] = true;
        }
    }
    let mut kept = 0;
    for &(k, kind, foyers) in previous {
        if free[k] {
            cands[k].freed = true;
            continue;
        }
        let c = &mut cands[k];
        c.pinned = true;
        kept += 1;
        // A hamlet or home site keeps its own bounds where it stays.
        c.keep_kind(kind, 1, foyers);
    }
    notes.push(format!(
        "{}: {} change(s); {kept} site(s) of the file kept in place, {} near the changes sited again",
        file.path.display(),
        changes.len(),
        previous.len() - kept
    ));
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
                let place = Place {
                    id: r.id,
                    name: r.name,
                    lon: r.lon,
                    lat: r.lat,
                };
                let bounds = (r.min.unwrap_or(opts.min), r.max.unwrap_or(opts.max));
                cands.push(CandidatePlace::new(place, bounds, None));
            }
        }
        None => {
            if opts.candidates_from != CandidatesFrom::Places {
                for (k, h) in households.iter().enumerate() {
                    let bounds = (opts.min, opts.max);
                    cands.push(CandidatePlace::new(h.place.clone(), bounds, Some(k)));
                }
            }
            if opts.candidates_from != CandidatesFrom::Households {
                let mut seen = std::collections::HashSet::new();
                for p in &t.extract.features.candidates {
                    if seen.insert(p.osm) {
                        let kind = crate::osm::tags::kind_label(&p.kind);
                        let name = p
                            .name
                            .clone()
                            .map(|n| format!("{n} ({kind})"))
                            .or(Some(kind));
                        let place = Place {
                            id: p.osm.to_string(),
                            name,
                            lon: p.lon,
                            lat: p.lat,
                        };
                        cands.push(CandidatePlace::new(place, (opts.min, opts.max), None));
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
