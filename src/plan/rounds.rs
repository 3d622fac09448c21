//! The day's van rounds: the orders as jobs (deliveries to the sites within their hours, bread
//! early, fresh products picked up at a farm and brought to the site that ordered them), the
//! fleet (given or sized to the work) and the solution, checked by the independent checker.
//!
//! With several depots, each van belongs to a depot and the solver decides which depot serves
//! each site (multi-depot routing). A territory with more than [`REGION_SITES`] sites is cut
//! into regions of neighbouring depots, each solved as one multi-depot problem (in parallel):
//! no matrix covers the whole territory, and a site is served from one of the depots of its
//! region, the one nearest it among them or another if that suits the rounds better.

use super::demand::Demand;
use super::depot::Spot;
use super::fleet::solve_fleet;
use super::settings::{Settings, Vans};
use super::siting::zones::partition_weighted;
use super::stops::{matrix_problem, Stops};
use super::PlanError;
use crate::graph::Network;
use crate::model::{Job, Load, Problem, Projection, Reason, Solution, Stop, Unassigned};
use crate::routing::check;
use rayon::prelude::*;

/// Most sites in one routing problem: beyond, the depots are grouped into regions.
pub const REGION_SITES: usize = 1_500;

/// One multi-depot routing problem of the day and its checked solution.
#[derive(Clone, Debug)]
pub struct Region {
    /// The routing problem.
    pub problem: Problem,
    /// For each location of the problem, its spot in the day's [`Stops`].
    pub locs: Vec<usize>,
    /// Its solution.
    pub solution: Solution,
    /// The checker's timeline of the solution.
    pub report: check::Report,
    /// Vans the solver could use.
    pub vans_available: usize,
}

impl Region {
    /// The spot where route `r`'s vehicle starts (its depot).
    pub fn start_spot(&self, r: &check::RouteReport) -> usize {
        let v = &self.problem.vehicles[r.vehicle.ix()];
        self.locs[v.start.map_or(0, |l| l.ix())]
    }
}

/// A solved day.
#[derive(Clone, Debug)]
pub struct Rounds {
    /// The regions (one unless the territory has more than [`REGION_SITES`] sites).
    pub regions: Vec<Region>,
    /// Remarks: loads split, jobs not served.
    pub notes: Vec<String>,
}

impl Rounds {
    /// Builds the jobs of `demand` at `stops` and solves them with the fleet of `settings` on
    /// `car`'s roads.
    ///
    /// A load larger than a van is split into van loads, with a note suggesting a larger van.
    pub fn solve(
        stops: &Stops,
        demand: &Demand,
        settings: &Settings,
        car: &Network,
    ) -> Result<Rounds, PlanError> {
        let nearest = nearest_depots(stops, car);
        let groups = regions(stops, &nearest);
        let counts = van_counts(stops, &nearest, settings.fleet.vans);
        let solved: Vec<(Region, Vec<String>)> = groups
            .par_iter()
            .map(|(depots, sites)| {
                solve_region(stops, demand, settings, car, depots, sites, &counts)
            })
            .collect::<Result<_, _>>()?;
        let mut notes = Vec::new();
        let mut regions = Vec::new();
        for (r, n) in solved {
            notes.extend(n);
            regions.push(r);
        }
        for r in &regions {
            for u in &r.solution.unassigned {
                notes.push(format!(
                    "not served: {} ({}: {})",
                    r.problem.jobs[u.job.ix()].id,
                    u.reason.code(),
                    u.reason.explain()
                ));
            }
        }
        Ok(Rounds { regions, notes })
    }

    /// Every checked route with its region, in order.
    pub fn routes(&self) -> impl Iterator<Item = (&Region, &check::RouteReport)> {
        self.regions
            .iter()
            .flat_map(|r| r.report.routes.iter().map(move |x| (r, x)))
    }

    /// Every job not served with its region.
    pub fn unassigned(&self) -> impl Iterator<Item = (&Region, &Unassigned)> {
        self.regions
            .iter()
            .flat_map(|r| r.solution.unassigned.iter().map(move |u| (r, u)))
    }

    /// Jobs of the day.
    pub fn jobs(&self) -> usize {
        self.regions.iter().map(|r| r.problem.jobs.len()).sum()
    }

    /// Vans the solver could use.
    pub fn vans_available(&self) -> usize {
        self.regions.iter().map(|r| r.vans_available).sum()
    }

    /// Whether every job is served.
    pub fn is_complete(&self) -> bool {
        self.unassigned().next().is_none()
    }

    /// What a planner must not miss: work left unserved, and what to do about it.
    pub fn warning(&self) -> Option<String> {
        let u: Vec<&Unassigned> = self.unassigned().map(|x| x.1).collect();
        if u.is_empty() {
            return None;
        }
        let room = u.iter().filter(|x| x.reason == Reason::NoRoom).count();
        Some(format!(
            "{} of {} jobs are not served (routes/unassigned.csv says why){}; the figures cover only the work served",
            u.len(),
            self.jobs(),
            if room > 0 {
                format!(
                    "; {room} for want of room with {} van(s): set fleet.vans = \"auto\" (or --vans auto) or lengthen the shift",
                    self.vans_available()
                )
            } else {
                String::new()
            }
        ))
    }
}

/// For each site, the depot nearest it (there and back, by road).
fn nearest_depots(stops: &Stops, car: &Network) -> Vec<usize> {
    let sites: Vec<Spot> = (0..stops.sites()).map(|k| stops.site(k).clone()).collect();
    nearest_depot(car, &stops.spots[..stops.depots], &sites)
}

/// For each of `points`, the index of the depot nearest it (there and back, by road; depot 0
/// when none reaches it).
pub fn nearest_depot(car: &Network, depots: &[Spot], points: &[Spot]) -> Vec<usize> {
    if depots.len() == 1 {
        return vec![0; points.len()];
    }
    let at = |s: &[Spot]| -> Vec<(f64, f64)> { s.iter().map(|x| (x.lon, x.lat)).collect() };
    let (d, s) = (at(depots), at(points));
    let (go, back) = (car.rectangle(&d, &s), car.rectangle(&s, &d));
    (0..points.len())
        .map(|k| {
            (0..depots.len())
                .filter_map(|j| {
                    let (a, b) = (go.weight(j, k), back.weight(k, j));
                    (a.is_finite() && b.is_finite()).then(|| (a.time().0 + b.time().0, j))
                })
                .min()
                .map_or(0, |x| x.1)
        })
        .collect()
}

/// The regions: groups of depots with the sites nearest them, at most [`REGION_SITES`] sites
/// each (one region when the territory is smaller), depots and sites ascending.
fn regions(stops: &Stops, nearest: &[usize]) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut per_depot = vec![0i64; stops.depots];
    for &d in nearest {
        per_depot[d] += 1;
    }
    let groups: Vec<Vec<usize>> = if stops.sites() <= REGION_SITES || stops.depots == 1 {
        vec![(0..stops.depots).collect()]
    } else {
        let proj = Projection::around(stops.spots[..stops.depots].iter().map(|s| s.at()));
        let xy: Vec<[f64; 2]> = stops.spots[..stops.depots]
            .iter()
            .map(|s| proj.to_xy(s.at()))
            .collect();
        partition_weighted(&xy, &per_depot, REGION_SITES as i64)
    };
    groups
        .into_iter()
        .map(|depots| {
            let sites: Vec<usize> = (0..stops.sites())
                .filter(|&k| depots.contains(&nearest[k]))
                .collect();
            (depots, sites)
        })
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// Vans per depot: a number of vans is spread over the depots in proportion to the sites
/// nearest each (one each first when there are enough, then the largest remainders); `None`
/// (as many as needed) for auto.
fn van_counts(stops: &Stops, nearest: &[usize], vans: Vans) -> Vec<Option<usize>> {
    let Vans::Count(n) = vans else {
        return vec![None; stops.depots];
    };
    let d = stops.depots;
    let mut share = vec![0usize; d];
    for &k in nearest {
        share[k] += 1;
    }
    let mut counts = vec![usize::from(n >= d); d];
    let left = n - counts.iter().sum::<usize>();
    let total = share.iter().sum::<usize>().max(1);
    for (c, &s) in counts.iter_mut().zip(&share) {
        *c += s * left / total;
    }
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(share[k] * left % total), k));
    let given: usize = counts.iter().sum();
    for &k in order.iter().take(n - given) {
        counts[k] += 1;
    }
    counts.into_iter().map(Some).collect()
}

/// One region's problem, solved.
fn solve_region(
    stops: &Stops,
    demand: &Demand,
    settings: &Settings,
    car: &Network,
    depots: &[usize],
    sites: &[usize],
    counts: &[Option<usize>],
) -> Result<(Region, Vec<String>), PlanError> {
    // Locations: the region's depots, its sites, the producers its sites order from.
    let mut producers: Vec<usize> = sites
        .iter()
        .flat_map(|&k| demand.per_site[k].fresh.iter().map(|f| f.0))
        .collect();
    producers.sort_unstable();
    producers.dedup();
    let mut locs: Vec<usize> = depots.to_vec();
    locs.extend(sites.iter().map(|&k| stops.site_loc(k)));
    locs.extend(producers.iter().map(|&p| stops.producer_loc(p)));
    let spots: Vec<_> = locs.iter().map(|&l| stops.spots[l].clone()).collect();
    let mut problem = matrix_problem(
        car,
        &spots,
        &format!("rounds for {} conciergeries", sites.len()),
    );
    let site_loc = |i: usize| depots.len() + i;
    let producer_loc =
        |p: usize| depots.len() + sites.len() + producers.binary_search(&p).expect("listed");
    let mut notes = Vec::new();
    let h = &settings.hours;
    let service = settings.fleet.stop_seconds();
    let cap = settings.fleet.capacity_litres;
    let (open, close) = (h.sites_open.seconds(), h.sites_close.seconds());
    let mut push = |id: String, from: Option<Stop>, to: Stop, litres: i64| {
        let parts = ((litres + cap - 1) / cap).max(1);
        if parts > 1 {
            notes.push(format!(
                "{id}: {litres} L is more than a van holds ({cap} L): split into {parts} van loads; a larger van (fleet.capacity_litres) would take it in one stop"
            ));
        }
        for k in 0..parts {
            let l = litres / parts + i64::from(k < litres % parts);
            let id = if parts > 1 {
                format!("{id} (load {} of {parts})", k + 1)
            } else {
                id.clone()
            };
            let amount = Load::from_slice(&[l]);
            problem.jobs.push(match &from {
                Some(f) => Job::shipment(id, f.clone(), to.clone(), amount),
                None => Job::delivery(id, to.clone(), amount),
            });
        }
    };
    for (i, &k) in sites.iter().enumerate() {
        let d = &demand.per_site[k];
        let name = &stops.site(k).name;
        let at = |close: i64| Stop::at(site_loc(i), service).window(open, close);
        let main = d.parcel_litres + d.purchases_litres;
        if main > 0 {
            let what = match (d.parcels, d.purchases_litres) {
                (0, _) => "pooled purchases".to_string(),
                (n, 0) => format!("{n} parcels"),
                (n, _) => format!("{n} parcels + pooled purchases"),
            };
            push(format!("{name}: {what}"), None, at(close), main);
        }
        if d.bread_litres > 0 {
            push(
                format!("{name}: bread"),
                None,
                at(h.bread_by.seconds()),
                d.bread_litres,
            );
        }
        for &(p, litres) in &d.fresh {
            let pick = Stop::at(producer_loc(p), service)
                .window(h.producers_open.seconds(), h.producers_close.seconds());
            push(
                format!("{name}: fresh products from {}", stops.producer(p).name),
                Some(pick),
                at(close),
                litres,
            );
        }
    }
    let fleet: Vec<(usize, Option<usize>)> = depots
        .iter()
        .enumerate()
        .map(|(local, &d)| (local, counts[d]))
        .collect();
    let (solution, report, vans_available) = solve_fleet(&mut problem, settings, &fleet)?;
    Ok((
        Region {
            problem,
            locs,
            solution,
            report,
            vans_available,
        },
        notes,
    ))
}
