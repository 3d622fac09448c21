//! The day's rounds: the depot, the conciergeries and producers as stops, the day's demand
//! (model or file), the fleet (given or sized to the work) and the checked solution.

use super::super::sites_osm::{
    group, project, CandidatesFrom, DistanceArg, GroupOptions, Grouping,
};
use crate::graph::{MatrixBuilder, RoadGraph};
use crate::model::{
    Cost, Costs, Dist, Job, Load, LocIdx, Problem, Reason, Solution, SquareMatrix, Stop, Time,
    TimeWindow, Vehicle,
};
use crate::osm;
use crate::plan::config::{parse_hhmm, parse_lon_lat, Config, Vans};
use crate::plan::demand::{self, SiteDemand};
use crate::report::sites::SiteSummary;
use crate::routing::{self, check};
use crate::sites::SitesParams;
use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::path::Path;

/// Ruin-and-recreate iterations of the round solver (a deterministic budget).
const ROUND_ITERATIONS: u64 = 4_000;
/// Cost unit of the van solver: 1/100,000 euro.
const COST_UNITS_PER_EUR: f64 = 100_000.0;

/// Groups the households into catchments of about `target` foyers (bounds scaled from the
/// configuration's).
pub(super) fn site(
    extract: &osm::OsmExtract,
    cfg: &Config,
    target: i64,
    foot: &RoadGraph,
    (kicks, bound): (usize, bool),
    verbose: bool,
) -> Result<Grouping> {
    let s = &cfg.sites;
    let scale = target as f64 / s.target.max(1) as f64;
    let opts = GroupOptions {
        households: None,
        candidates: None,
        candidates_from: CandidatesFrom::Both,
        target,
        min: (s.min as f64 * scale).round() as i64,
        max: ((s.max as f64 * scale).round() as i64).max(1),
        sites: None,
        site_cost: None,
        cost_per_km: None,
        distance: DistanceArg::Walking,
        params: SitesParams {
            seed: cfg.seed,
            time_limit: None,
            kicks,
            bound,
            ..SitesParams::default()
        },
        verbose,
    };
    group(extract, &opts, Some(foot))
}

/// Fails with what to do when the depot is not on the extract's roads.
pub(super) fn check_depot(builder: &MatrixBuilder, name: &str, lon: f64, lat: f64) -> Result<()> {
    if let Err(e) = builder.snap_all(&[(lon, lat)]).remove(0) {
        bail!("the depot {name} ({lon:.5},{lat:.5}) is not on the extract's roads ({e}): is it inside the extract? Set `depot = \"lon,lat\"` in the configuration or --depot");
    }
    Ok(())
}

/// The depot: the configured point, or the post office nearest the households' centre, or
/// (with a note) the candidate place nearest it.
pub(super) fn find_depot(
    cfg: &Config,
    extract: &osm::OsmExtract,
    g: &Grouping,
) -> Result<(Spot, Option<String>)> {
    if let Some((lon, lat)) = parse_lon_lat(&cfg.depot) {
        return Ok((
            Spot {
                name: "Depot".into(),
                address: Some(format!("{lat:.5}, {lon:.5}")),
                lon,
                lat,
            },
            None,
        ));
    }
    let n = g.households.len().max(1) as f64;
    let (cx, cy) = g.households.iter().fold((0.0, 0.0), |(x, y), h| {
        (x + h.place.lon / n, y + h.place.lat / n)
    });
    let f = &extract.features;
    if let Some(p) = nearest_place(&f.post_offices, cx, cy) {
        return Ok((
            Spot {
                name: format!(
                    "Depot: {}",
                    p.name.clone().unwrap_or_else(|| "post office".into())
                ),
                address: p.address.clone(),
                lon: p.lon,
                lat: p.lat,
            },
            None,
        ));
    }
    let p = nearest_place(&f.candidates, cx, cy)
        .context("no post office nor public place in the extract to use as a depot: give one with --depot lon,lat")?;
    Ok((
        Spot {
            name: format!("Depot: {}", p.name.clone().unwrap_or_else(|| p.kind.clone())),
            address: p.address.clone(),
            lon: p.lon,
            lat: p.lat,
        },
        Some(format!(
            "no post office in the extract: the depot is the public place nearest the households' centre ({}); set `depot` to choose it",
            p.kind
        )),
    ))
}

/// A solved day: the places, the problem, its solution and the checker's report.
pub(super) struct Day {
    /// Depot, then sites, then producers (the problem's locations).
    pub spots: Vec<Spot>,
    pub problem: Problem,
    pub solution: Solution,
    pub report: check::Report,
    /// Demand per site (in the grouping's order of open sites).
    pub demand: Vec<SiteDemand>,
    /// Where the demand comes from ("demand model, seed 1" or the file).
    pub demand_source: String,
    /// Per site: its id (as in sites.csv) and its name.
    pub site_keys: Vec<(String, String)>,
    /// Producers' OSM ids.
    pub producer_ids: Vec<String>,
    /// Vans the solver could use.
    pub vans_available: usize,
    /// Remarks: loads split, jobs not served.
    pub notes: String,
}

impl Day {
    /// The day's demand as a file `--demand` reads back.
    pub fn demand_csv(&self) -> Vec<u8> {
        demand::to_csv(&self.demand, &self.site_keys, &self.producer_ids)
    }

    /// What a planner must not miss: work left unserved, and what to do about it.
    pub fn warning(&self) -> Option<String> {
        let u = &self.solution.unassigned;
        if u.is_empty() {
            return None;
        }
        let room = u.iter().filter(|x| x.reason == Reason::NoRoom).count();
        Some(format!(
            "{} of {} jobs are not served (routes/unassigned.csv says why){}; the figures cover only the work served",
            u.len(),
            self.problem.jobs.len(),
            if room > 0 {
                format!(
                    "; {room} for want of room with {} van(s): set fleet.vans = \"auto\" (or --vans auto) or lengthen the shift",
                    self.vans_available
                )
            } else {
                String::new()
            }
        ))
    }
}

/// The conciergeries as stops (name, host, place), in the order of `summaries`; a household
/// host without an address is named after the nearest named street.
pub(super) fn site_spots(summaries: &[SiteSummary], extract: &osm::OsmExtract) -> Vec<Spot> {
    let streets = Streets::new(extract);
    summaries
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let address = c.name.clone().or_else(|| streets.nearest(c.lon, c.lat));
            let host = match (&c.name, &address) {
                (Some(n), _) => n.clone(),
                (None, Some(street)) => format!("a household, {street}"),
                (None, None) => format!("household {}", c.id),
            };
            Spot {
                name: format!("Conciergerie {} ({host})", k + 1),
                address,
                lon: c.lon,
                lat: c.lat,
            }
        })
        .collect()
}

/// The nodes of named roads (in planar metres), to name a place by its street.
struct Streets {
    tree: rstar::RTree<rstar::primitives::GeomWithData<[f64; 2], usize>>,
    names: Vec<String>,
    /// Reference latitude of the projection.
    lat0: f64,
}

/// Farthest a place may be from a named road to be named after it, metres.
const STREET_M: f64 = 150.0;

impl Streets {
    fn new(extract: &osm::OsmExtract) -> Self {
        let lat0 = extract.bbox().map_or(0.0, |(_, s, _, n)| (s + n) / 2.0);
        let mut names = Vec::new();
        let mut points = Vec::new();
        for w in &extract.highways {
            let Some(name) = w.tags.get("name") else {
                continue;
            };
            names.push(name.to_string());
            for &n in &w.nodes {
                if let Some(c) = extract.node(n) {
                    points.push(rstar::primitives::GeomWithData::new(
                        project(c.x, c.y, lat0),
                        names.len() - 1,
                    ));
                }
            }
        }
        Streets {
            tree: rstar::RTree::bulk_load(points),
            names,
            lat0,
        }
    }

    /// The named road nearest `(lon, lat)`, if one passes within [`STREET_M`].
    fn nearest(&self, lon: f64, lat: f64) -> Option<String> {
        let q = project(lon, lat, self.lat0);
        let p = self.tree.nearest_neighbor(q)?;
        let (dx, dy) = (p.geom()[0] - q[0], p.geom()[1] - q[1]);
        ((dx * dx + dy * dy).sqrt() <= STREET_M).then(|| self.names[p.data].clone())
    }
}

/// Builds and solves the day's rounds, with the demand of `demand_file` or of the model.
pub(super) fn rounds(
    cfg: &Config,
    extract: &osm::OsmExtract,
    g: &Grouping,
    depot: &Spot,
    builder: &MatrixBuilder,
    demand_file: Option<&Path>,
) -> Result<Day> {
    let summaries = g.summaries();
    let sites = site_spots(&summaries, extract);
    let producers: Vec<Spot> = extract
        .features
        .producers
        .iter()
        .map(|p| Spot {
            name: p.name.clone().unwrap_or_else(|| format!("farm {}", p.osm)),
            address: p.address.clone(),
            lon: p.lon,
            lat: p.lat,
        })
        .collect();
    let site_keys: Vec<(String, String)> = summaries
        .iter()
        .zip(&sites)
        .map(|(c, s)| (c.id.clone(), s.name.clone()))
        .collect();
    let producer_ids: Vec<String> = extract
        .features
        .producers
        .iter()
        .map(|p| p.osm.to_string())
        .collect();
    // Locations: depot, sites, producers.
    let mut spots = vec![depot.clone()];
    spots.extend(sites.iter().cloned());
    spots.extend(producers.iter().cloned());
    let site_loc = |k: usize| 1 + k;
    let producer_loc = |p: usize| 1 + sites.len() + p;
    let mut problem = matrix_problem(
        builder,
        &spots,
        &format!("rounds for {} conciergeries", g.pb.p),
    );
    let mut notes = String::new();
    // Producers no van can reach from the depot and come back from take no order from the
    // model (a file's order for one is reported unserved).
    let usable: Vec<usize> = (0..producers.len())
        .filter(|&p| round_trip(&problem, producer_loc(p)))
        .collect();
    let (demand, demand_source) = match demand_file {
        Some(f) => {
            let ids: Vec<String> = site_keys.iter().map(|k| k.0.clone()).collect();
            let d = demand::read_csv(f, &ids, &producer_ids)?;
            (d, format!("from {}", f.display()))
        }
        None => {
            for p in (0..producers.len()).filter(|p| !usable.contains(p)) {
                writeln!(
                    notes,
                    "producer {} ({}): no road for a van leads there from the depot and back (private or cut-off track?): left out of the orders",
                    producers[p].name, producer_ids[p]
                )?;
            }
            let near: Vec<Vec<usize>> = sites
                .iter()
                .map(|s| {
                    let pts = usable.iter().map(|&p| (producers[p].lon, producers[p].lat));
                    nearest(pts, s.lon, s.lat, 3)
                        .into_iter()
                        .map(|k| usable[k])
                        .collect()
                })
                .collect();
            let foyers: Vec<i64> = summaries.iter().map(|s| s.foyers).collect();
            if usable.is_empty() {
                writeln!(
                    notes,
                    "no producer (farm, farm shop) a van can reach in the extract: no fresh-product pickups"
                )?;
            }
            (
                demand::model(&foyers, &near, &cfg.demand, cfg.seed),
                format!("demand model, seed {}", cfg.seed),
            )
        }
    };
    let h = &cfg.hours;
    let t = |s: &str| parse_hhmm(s).expect("checked");
    let service = (cfg.fleet.stop_minutes * 60.0).round() as i64;
    let cap = cfg.fleet.capacity_litres;
    let site_window = (t(&h.sites_open), t(&h.sites_close));
    // A load larger than a van is split into van loads, with a note.
    let mut push = |id: String, from: Option<Stop>, to: Stop, litres: i64| -> Result<()> {
        let parts = ((litres + cap - 1) / cap).max(1);
        if parts > 1 {
            writeln!(
                notes,
                "{id}: {litres} L is more than a van holds ({cap} L): split into {parts} van loads; a larger van (fleet.capacity_litres) would take it in one stop"
            )?;
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
        Ok(())
    };
    for (k, d) in demand.iter().enumerate() {
        let name = &sites[k].name;
        let at = |close: i64| Stop::at(site_loc(k), service).window(site_window.0, close);
        let main = d.parcel_litres + d.purchases_litres;
        if main > 0 {
            let what = match (d.parcels, d.purchases_litres) {
                (0, _) => "pooled purchases".to_string(),
                (n, 0) => format!("{n} parcels"),
                (n, _) => format!("{n} parcels + pooled purchases"),
            };
            push(format!("{name}: {what}"), None, at(site_window.1), main)?;
        }
        if d.bread_litres > 0 {
            push(
                format!("{name}: bread"),
                None,
                at(t(&h.bread_by)),
                d.bread_litres,
            )?;
        }
        for &(p, litres) in &d.fresh {
            let pick = Stop::at(producer_loc(p), service)
                .window(t(&h.producers_open), t(&h.producers_close));
            push(
                format!("{name}: fresh products from {}", producers[p].name),
                Some(pick),
                at(site_window.1),
                litres,
            )?;
        }
    }
    let (solution, report, vans_available) = solve_fleet(&mut problem, cfg)?;
    for u in &solution.unassigned {
        writeln!(
            notes,
            "not served: {} ({}: {})",
            problem.jobs[u.job.ix()].id,
            u.reason.code(),
            u.reason.explain()
        )?;
    }
    Ok(Day {
        spots,
        problem,
        solution,
        report,
        demand,
        demand_source,
        site_keys,
        producer_ids,
        vans_available,
        notes,
    })
}

/// Whether a van can drive from the depot (location 0) to `loc` and back.
fn round_trip(p: &Problem, loc: usize) -> bool {
    let (d, l) = (LocIdx(0), LocIdx(loc as u32));
    p.durations.get(d, l) != Time::MAX && p.durations.get(l, d) != Time::MAX
}

/// Adds the fleet to `p` and solves: the configured number of vans, or for `"auto"` the
/// fewest that leave no job unserved for want of room (from a lower bound on load and
/// working time, adding vans in proportion to what is left, at most one van per job).
/// Returns the solution, its report and the vans the solver could use.
pub(super) fn solve_fleet(
    p: &mut Problem,
    cfg: &Config,
) -> Result<(Solution, check::Report, usize)> {
    let mut k = match cfg.fleet.vans {
        Vans::Count(n) => n,
        Vans::Auto => {
            let litres: i64 = p.jobs.iter().map(|j| j.amount.0[0]).sum();
            let service: i64 = p
                .jobs
                .iter()
                .flat_map(|j| &j.stops)
                .map(|s| s.service.0)
                .sum();
            let shift = (parse_hhmm(&cfg.fleet.shift_end).expect("checked")
                - parse_hhmm(&cfg.fleet.shift_start).expect("checked"))
            .max(1);
            let by_load = (litres + cfg.fleet.capacity_litres - 1) / cfg.fleet.capacity_litres;
            by_load.max((service + shift - 1) / shift).max(1) as usize
        }
    };
    let most = p.jobs.len().max(1);
    // Every solve has the full budget: sizing with a smaller one overestimates the vans
    // (Liechtenstein: 21 instead of 15), and the solver does not give surplus vans back.
    loop {
        p.vehicles.clear();
        add_vans(p, cfg, k);
        let (solution, report) = solve_checked(p, cfg.seed, ROUND_ITERATIONS)?;
        let short = solution
            .unassigned
            .iter()
            .filter(|u| u.reason == Reason::NoRoom)
            .count();
        if cfg.fleet.vans != Vans::Auto || short == 0 || k >= most {
            return Ok((solution, report, k));
        }
        let served = (p.jobs.len() - solution.unassigned.len()).max(1);
        k = (k + (short * k).div_ceil(served)).min(most);
    }
}

/// The place of `places` nearest `(lon, lat)`.
pub(super) fn nearest_place(places: &[osm::Place], lon: f64, lat: f64) -> Option<&osm::Place> {
    let k = *nearest(places.iter().map(|p| (p.lon, p.lat)), lon, lat, 1).first()?;
    Some(&places[k])
}

/// Indices of the `k` points (`(lon, lat)`) nearest `(lon, lat)` (straight line), nearest
/// first; ties go to the lower index.
pub(super) fn nearest(
    points: impl Iterator<Item = (f64, f64)>,
    lon: f64,
    lat: f64,
    k: usize,
) -> Vec<usize> {
    let c = lat.to_radians().cos();
    let mut v: Vec<(f64, usize)> = points
        .enumerate()
        .map(|(i, (x, y))| {
            let dx = (x - lon) * c;
            (dx * dx + (y - lat) * (y - lat), i)
        })
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v.into_iter().take(k).map(|x| x.1).collect()
}

/// A routing problem on the road matrix between `spots` (unreachable pairs: `Time::MAX`).
pub(super) fn matrix_problem(builder: &MatrixBuilder, spots: &[Spot], name: &str) -> Problem {
    let coords: Vec<(f64, f64)> = spots.iter().map(|s| (s.lon, s.lat)).collect();
    let m = builder.build(&coords);
    let n = spots.len();
    let durations = SquareMatrix::from_fn(n, |i, j| {
        m.duration(i, j).map_or(Time::MAX, |s| Time(s.get() as i64))
    });
    let distances = SquareMatrix::from_fn(n, |i, j| {
        m.distance(i, j).map_or(Dist::MAX, |d| Dist(d.get() as i64))
    });
    let mut p = Problem::new(name, durations, distances);
    p.coords = coords;
    p
}

/// `count` identical vans at location 0, priced in 1/100,000 euro.
pub(super) fn add_vans(p: &mut Problem, cfg: &Config, count: usize) {
    let f = &cfg.factors;
    let van_type = cfg.fleet.van_type;
    let shift = TimeWindow::new(
        parse_hhmm(&cfg.fleet.shift_start).expect("checked"),
        parse_hhmm(&cfg.fleet.shift_end).expect("checked"),
    );
    for k in 0..count {
        let mut v = Vehicle::new(
            format!("Van {}", k + 1),
            0,
            Load::from_slice(&[cfg.fleet.capacity_litres]),
        );
        v.shift = shift;
        v.costs = Costs {
            fixed: Cost((f.van_eur_per_day * COST_UNITS_PER_EUR).round() as i64),
            per_distance: (f.van_eur_per_km(van_type) * COST_UNITS_PER_EUR / 1000.0).round() as i64,
            per_travel_time: (f.driver_eur_per_hour * COST_UNITS_PER_EUR / 3600.0).round() as i64,
        };
        p.vehicles.push(v);
    }
}

/// Solves with a deterministic budget and checks with the independent checker.
pub(super) fn solve_checked(
    p: &Problem,
    seed: u64,
    iterations: u64,
) -> Result<(Solution, check::Report)> {
    routing::validate(p).map_err(|e| anyhow::anyhow!("the rounds problem is not valid: {e}"))?;
    let (solution, _) = routing::solve(
        p,
        &routing::Params {
            seed,
            threads: 1,
            iterations,
            time_limit: None,
        },
    );
    let report = check::check(p, &solution).map_err(|v| {
        anyhow::anyhow!(
            "internal error: the checker refused the rounds ({} violations, first: {:?}); please report it",
            v.len(),
            v.first()
        )
    })?;
    Ok((solution, report))
}

/// A place a van stops at.
#[derive(Clone, Debug)]
pub(super) struct Spot {
    pub name: String,
    pub address: Option<String>,
    pub lon: f64,
    pub lat: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_reached_one_way_only_is_not_a_round_trip() {
        // 0 depot, 1 both ways, 2 reached but no way back, 3 cut off.
        let m = |i: usize, j: usize| match (i, j) {
            (2, 0) | (0, 3) | (3, 0) => Time::MAX,
            _ => Time(60),
        };
        let p = Problem::new(
            "t",
            SquareMatrix::from_fn(4, m),
            SquareMatrix::from_fn(4, |_, _| Dist(100)),
        );
        let ok: Vec<usize> = (1..4).filter(|&l| round_trip(&p, l)).collect();
        assert_eq!(ok, vec![1]);
    }
}
