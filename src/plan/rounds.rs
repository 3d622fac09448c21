//! The day's van rounds: the orders as jobs (deliveries to the sites within their hours, bread
//! early, fresh products picked up at a farm and brought to the site that ordered them), the
//! fleet (given or sized to the work) and the solution, checked by the independent checker.
//!
//! With several depots, each van belongs to a depot and the solver decides which depot serves
//! each site (multi-depot routing). A territory with more than [`REGION_SITES`] sites is cut
//! into regions of neighbouring depots, each solved as one multi-depot problem (in parallel):
//! no matrix covers the whole territory, and a site is served from one of the depots of its
//! region, the one nearest it among them or another if that suits the rounds better.

use super::breaks::{self, Pause, Rule};
use super::demand::Demand;
use super::depot::Spot;
use super::fleet::{solve_fleet, DAY_ROUNDS};
use super::settings::{Settings, Vans};
use super::siting::hamlets::SiteKind;
use super::siting::zones::partition_weighted;
use super::stops::{matrix_problem, Stops};
use super::PlanError;
use crate::graph::Network;
use crate::model::{
    Job, Load, Problem, Projection, Reason, Solution, SquareMatrix, Stop, Time, Unassigned,
};
use crate::routing::check;
use rayon::prelude::*;

/// Most sites in one routing problem: beyond, the depots are grouped into regions.
pub const REGION_SITES: usize = 1_500;

/// The end of a farm pickup's id (fresh products via the depot) in the day's plan: the crate
/// waits at the depot for the site's delivery tomorrow. The route sheets read it.
pub const FOR_TOMORROW: &str = "for tomorrow";
/// The same in a week: the crate waits for the site's next passage.
pub const NEXT_PASSAGE: &str = "for its next passage";

/// One multi-depot routing problem of the day and its checked solution.
#[derive(Clone, Debug)]
pub struct Region {
    /// The routing problem.
    pub problem: Problem,
    /// For each location of the problem, its spot in the day's [`Stops`] (for a place where
    /// several sites stand, the first of them: see [`Region::site_locs`]).
    pub locs: Vec<usize>,
    /// Each site of the region (its index in [`Stops`]' sites) with its location in the
    /// problem. Sites at the same place (the parts of a large building) share one location:
    /// the van stops once and hands over each site's orders.
    pub site_locs: Vec<(usize, usize)>,
    /// For each job of the problem, what it is and the site it serves.
    pub orders: Vec<Order>,
    /// Orders no van can serve whatever the rounds, left out of the problem (bread a site
    /// cannot receive by its time), with why and what to change.
    pub left_out: Vec<LeftOut>,
    /// Its solution.
    pub solution: Solution,
    /// The checker's timeline of the solution.
    pub report: check::Report,
    /// Vans the solver could use.
    pub vans_available: usize,
    /// Per route of `report`, the driver's break (`None`: the route is short enough).
    pub pauses: Vec<Option<Pause>>,
    /// Per location of the problem, the time of a visit counted in the arcs that reach it
    /// (parking, walking in), seconds; 0 at the depots.
    pub setup: Vec<i64>,
}

impl Region {
    /// Whether several sites stand at location `loc` of the problem.
    pub fn shared(&self, loc: usize) -> bool {
        self.site_locs.iter().filter(|x| x.1 == loc).count() > 1
    }

    /// The spot where route `r`'s vehicle starts (its depot).
    pub fn start_spot(&self, r: &check::RouteReport) -> usize {
        let v = &self.problem.vehicles[r.vehicle.ix()];
        self.locs[v.start.map_or(0, |l| l.ix())]
    }
}

/// An order left out before the solve: no round could serve it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// The order, as a job id would name it.
    pub id: String,
    /// Why, as a code (`time_window`).
    pub reason: &'static str,
    /// What to change.
    pub what_to_do: String,
}

/// What a job of the day's rounds carries, and for which site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    /// The site (its index in [`Stops`]' sites) it is for.
    pub site: usize,
    /// What it carries.
    pub goods: Goods,
}

/// The kinds of orders of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goods {
    /// Bread, by `hours.bread_by`.
    Bread,
    /// Parcels, pooled purchases and (through the depot) yesterday's fresh products.
    Goods,
    /// Fresh products collected at a farm for the site's next delivery (through the depot).
    FreshCrate,
    /// Fresh products from a farm to the site the same day (`fleet.fresh_products = "direct"`).
    FreshDirect,
}

/// What a day's rounds cost the operator: each van used is a van-day and its driver's paid day
/// ([`super::fleet::add_vans`]), plus its kilometres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayCost {
    /// Vans used.
    pub vans: usize,
    /// Kilometres driven.
    pub km: f64,
    /// Euros: the vans' days, their drivers' paid days and their kilometres.
    pub eur: f64,
    /// Jobs not served.
    pub unserved: usize,
}

/// Stops of a route: (route, first step of the stop).
type RouteStops = Vec<(usize, usize)>;

/// How the sites get their bread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BreadVisits {
    /// Sites whose bread comes at the same stop as their other orders.
    pub with_the_rest: usize,
    /// Sites whose bread comes at a stop of its own (early), their other orders at another.
    pub on_its_own: usize,
    /// Sites receiving only bread that day.
    pub bread_only: usize,
}

/// What bread's early time costs: the day as planned, and the same day with bread brought
/// with the rest of the orders (no early time), so that a planner can choose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreadChoice {
    /// Bread's time (`hours.bread_by`).
    pub by: crate::model::TimeOfDay,
    /// The day as planned.
    pub planned: DayCost,
    /// How the sites got their bread.
    pub visits: BreadVisits,
    /// The same day, bread coming with the rest by the sites' closing time.
    pub with_the_rest: DayCost,
}

impl BreadChoice {
    /// Prices bread's early time: `rounds` as solved with `settings`, against the same day
    /// solved again with bread due when the sites close. `None` when no bread is ordered or
    /// bread's time is already the sites' closing time.
    pub fn price(
        rounds: &Rounds,
        stops: &Stops,
        demand: &Demand,
        settings: &Settings,
        car: &Network,
    ) -> Result<Option<BreadChoice>, PlanError> {
        let h = &settings.hours;
        let bread: i64 = demand.per_site.iter().map(|d| d.bread_litres).sum();
        if bread == 0 || h.bread_by >= h.sites_close {
            return Ok(None);
        }
        let mut late = settings.clone();
        late.hours.bread_by = h.sites_close;
        let other = Rounds::solve(stops, demand, &late, car)?;
        Ok(Some(BreadChoice {
            by: h.bread_by,
            planned: rounds.cost(),
            visits: rounds.bread_visits(),
            with_the_rest: other.cost(),
        }))
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
            for l in &r.left_out {
                notes.push(format!(
                    "not served: {} ({}: {})",
                    l.id, l.reason, l.what_to_do
                ));
            }
        }
        Ok(Rounds { regions, notes })
    }

    /// What the day costs the operator.
    pub fn cost(&self) -> DayCost {
        let mut c = DayCost {
            vans: 0,
            km: 0.0,
            eur: 0.0,
            unserved: 0,
        };
        for r in &self.regions {
            c.vans += r.report.routes.len();
            c.km += r.report.distance.0 as f64 / 1000.0;
            c.eur += r.report.routes.iter().map(|x| x.cost.0).sum::<i64>() as f64
                / super::fleet::COST_UNITS_PER_EUR;
            c.unserved += r.solution.unassigned.len();
        }
        c
    }

    /// How the sites get their bread: at the stop bringing their other orders, or at one of
    /// its own.
    pub fn bread_visits(&self) -> BreadVisits {
        let mut b = BreadVisits::default();
        for r in &self.regions {
            // Per site: the stops (route, first step of the stop) bringing bread and the rest.
            let mut seen: std::collections::HashMap<usize, (RouteStops, RouteStops)> =
                Default::default();
            for (ri, route) in r.report.routes.iter().enumerate() {
                let mut stop = 0;
                for (k, st) in route.steps.iter().enumerate() {
                    if k == 0 || route.steps[k - 1].location != st.location {
                        stop = k;
                    }
                    let Some(v) = st.visit else { continue };
                    let o = r.orders[v.job.ix()];
                    let e = seen.entry(o.site).or_default();
                    match o.goods {
                        Goods::Bread => e.0.push((ri, stop)),
                        Goods::Goods | Goods::FreshDirect
                            if usize::from(v.stop) + 1
                                == r.problem.jobs[v.job.ix()].stops.len() =>
                        {
                            e.1.push((ri, stop))
                        }
                        _ => {}
                    }
                }
            }
            for (bread, rest) in seen.values() {
                if bread.is_empty() {
                    continue;
                }
                if rest.is_empty() {
                    b.bread_only += 1;
                } else if bread.iter().all(|x| rest.contains(x)) {
                    b.with_the_rest += 1;
                } else {
                    b.on_its_own += 1;
                }
            }
        }
        b
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

    /// Orders left out before the solve (no round could serve them).
    pub fn left_out(&self) -> impl Iterator<Item = &LeftOut> {
        self.regions.iter().flat_map(|r| &r.left_out)
    }

    /// Orders not served: jobs the solver left out and orders no round could serve.
    pub fn unserved(&self) -> usize {
        self.unassigned().count() + self.left_out().count()
    }

    /// Whether every job is served.
    pub fn is_complete(&self) -> bool {
        self.unserved() == 0
    }

    /// What a planner must not miss: work left unserved, and what to do about it.
    pub fn warning(&self) -> Option<String> {
        let u: Vec<&Unassigned> = self.unassigned().map(|x| x.1).collect();
        let left = self.left_out().count();
        if u.is_empty() && left == 0 {
            return None;
        }
        let room = u.iter().filter(|x| x.reason == Reason::NoRoom).count();
        Some(format!(
            "{} of {} jobs are not served (routes/unassigned.csv says why){}; the figures cover only the work served",
            u.len() + left,
            self.jobs() + left,
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
    // One location per place: sites at the same coordinates (a large building's parts) are
    // one stop.
    let mut place: std::collections::HashMap<(i64, i64), usize> = Default::default();
    let mut site_at: Vec<usize> = Vec::with_capacity(sites.len());
    for &k in sites {
        let s = stops.site(k);
        let key = ((s.lon * 1e7).round() as i64, (s.lat * 1e7).round() as i64);
        let at = *place.entry(key).or_insert_with(|| {
            locs.push(stops.site_loc(k));
            locs.len() - 1
        });
        site_at.push(at);
    }
    let first_producer = locs.len();
    locs.extend(producers.iter().map(|&p| stops.producer_loc(p)));
    let spots: Vec<_> = locs.iter().map(|&l| stops.spots[l].clone()).collect();
    let mut problem = matrix_problem(
        car,
        &spots,
        &format!("rounds for {} conciergeries", sites.len()),
    );
    // A visit's parking and walking in is paid once per visit: it is counted in every arc that
    // reaches a place from another one (exact, since it depends only on the place), and each
    // order handled there adds its own minute. The solver thus gains by serving a site's
    // orders at one visit.
    let setup: Vec<i64> = (0..locs.len())
        .map(|l| {
            if l < depots.len() {
                0
            } else {
                settings.fleet.stop_seconds()
            }
        })
        .collect();
    add_setup(&mut problem, &setup);
    let site_loc = |i: usize| site_at[i];
    let producer_loc = |p: usize| first_producer + producers.binary_search(&p).expect("listed");
    let mut orders: Vec<Order> = Vec::new();
    let mut left_out: Vec<LeftOut> = Vec::new();
    let mut notes = Vec::new();
    let h = &settings.hours;
    let service = settings.fleet.order_seconds();
    let cap = settings.fleet.capacity_litres;
    let (open, close) = (h.sites_open.seconds(), h.sites_close.seconds());
    let start = settings.fleet.shift_start.seconds();
    // Van loads of `litres`, the first `first` litres (if any) in their own load.
    let loads = |litres: i64| -> Vec<i64> {
        let parts = ((litres + cap - 1) / cap).max(1);
        (0..parts)
            .map(|k| litres / parts + i64::from(k < litres % parts))
            .collect()
    };
    let mut push = |site: usize,
                    id: String,
                    from: Option<Stop>,
                    to: Stop,
                    litres: i64,
                    goods: Goods,
                    of: (usize, usize)| {
        orders.push(Order { site, goods });
        let id = if of.1 > 1 {
            format!("{id} (load {} of {})", of.0 + 1, of.1)
        } else {
            id
        };
        let amount = Load::from_slice(&[litres]);
        problem.jobs.push(match from {
            Some(f) => Job::shipment(id, f, to, amount),
            None => Job::delivery(id, to, amount),
        });
    };
    let too_big = |id: &str, litres: i64, parts: usize| {
        format!(
            "{id}: {litres} L is more than a van holds ({cap} L): {parts} visits; a larger van (fleet.capacity_litres) would take it in one"
        )
    };
    let mut pickups: Vec<(usize, Job)> = Vec::new();
    // A farm's name, with its id when another farm of the region has the same one (unnamed
    // farms are all "Farm"): a site may order from both on one day (a week's pickups).
    let mut named: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for &p in &producers {
        *named.entry(stops.producer(p).name.as_str()).or_default() += 1;
    }
    let farm_name = |p: usize| {
        let name = &stops.producer(p).name;
        if named.get(name.as_str()).copied().unwrap_or(0) > 1 {
            format!("{name} ({})", stops.producer_ids[p])
        } else {
            name.clone()
        }
    };
    for (i, &k) in sites.iter().enumerate() {
        let d = &demand.per_site[k];
        let name = &stops.site(k).name;
        // The host's opening hours, when the planner gave them, replace the sites' default.
        let (open, close) = stops
            .host(k)
            .and_then(|h| h.hours)
            .map_or((open, close), |(a, b)| (a.seconds(), b.seconds()));
        let at = |close: i64| Stop::at(site_loc(i), service).window(open, close);
        // Through the depot, yesterday's fresh products come with the morning's order.
        let via_depot = !settings.fleet.fresh_direct;
        let fresh: i64 = d
            .fresh_via_depot
            .unwrap_or_else(|| d.fresh.iter().map(|f| f.1).sum());
        let main = d.parcel_litres + d.purchases_litres + if via_depot { fresh } else { 0 };
        let mut what = match (d.parcels, d.purchases_litres) {
            (0, 0) => String::new(),
            (0, _) => "pooled purchases".to_string(),
            (n, 0) => format!("{n} parcels"),
            (n, _) => format!("{n} parcels + pooled purchases"),
        };
        if via_depot && fresh > 0 {
            what = if what.is_empty() {
                "fresh products".into()
            } else {
                format!("{what} + fresh products")
            };
        }
        // A home delivery is one door on the round, with no host opening early for the
        // bread: its bread comes with its other orders, within the sites' hours.
        let home = stops.kinds.get(k) == Some(&SiteKind::Home);
        let bread_by = if home {
            close
        } else {
            h.bread_by.seconds().min(close)
        };
        // Can a van be there by bread time, from the nearest depot of the region?
        let early = open <= bread_by
            && (0..depots.len()).any(|j| {
                let t = problem.durations.get(j.into(), site_loc(i).into());
                t != Time::MAX && start.max(open - t.0) + t.0 <= bread_by
            });
        if d.bread_litres > 0 && !early && open <= bread_by {
            left_out.push(LeftOut {
                id: format!("{name}: bread"),
                reason: "time_window",
                what_to_do: format!(
                    "no van can be there by {} (hours.bread_by) from the depot: set hours.bread_by later, or start the shift earlier; its other orders come later",
                    h.bread_by
                ),
            });
        }
        if d.bread_litres > 0 && open > bread_by {
            left_out.push(LeftOut {
                id: format!("{name}: bread"),
                reason: "time_window",
                what_to_do: format!(
                    "its host opens at {}, after the bread's time {} (hours.bread_by): open earlier (opening_hours in the sites file) or set hours.bread_by later",
                    crate::model::TimeOfDay::from_seconds(open),
                    h.bread_by
                ),
            });
        }
        // Bread and the rest are two orders: the solver brings them at one visit by bread's
        // time, or the bread on an early trip and the rest later, whichever costs less.
        let bread = if early { d.bread_litres } else { 0 };
        for (litres, what, by, goods) in [
            (main, what, close, Goods::Goods),
            (bread, "bread".to_string(), bread_by, Goods::Bread),
        ] {
            if litres <= 0 {
                continue;
            }
            let l = loads(litres);
            if l.len() > 1 {
                notes.push(too_big(&format!("{name}: {what}"), litres, l.len()));
            }
            for (j, &x) in l.iter().enumerate() {
                push(
                    k,
                    format!("{name}: {what}"),
                    None,
                    at(by),
                    x,
                    goods,
                    (j, l.len()),
                );
            }
        }
        for &(p, litres) in &d.fresh {
            let pick = Stop::at(producer_loc(p), service)
                .window(h.producers_open.seconds(), h.producers_close.seconds());
            if via_depot {
                // Collected today, for tomorrow's order; a van takes it back to its depot.
                for (j, &x) in loads(litres).iter().enumerate() {
                    let id = format!(
                        "{name}: fresh products from {}, {}{}",
                        farm_name(p),
                        // A week's site is served on its own days, not every day.
                        if d.fresh_via_depot.is_some() {
                            NEXT_PASSAGE
                        } else {
                            FOR_TOMORROW
                        },
                        if j > 0 {
                            format!(" ({})", j + 1)
                        } else {
                            String::new()
                        }
                    );
                    pickups.push((k, Job::pickup(id, pick.clone(), Load::from_slice(&[x]))));
                }
                continue;
            }
            let what = format!("fresh products from {}", farm_name(p));
            let l = loads(litres);
            if l.len() > 1 {
                notes.push(too_big(&format!("{name}: {what}"), litres, l.len()));
            }
            for (j, &x) in l.iter().enumerate() {
                push(
                    k,
                    format!("{name}: {what}"),
                    Some(pick.clone()),
                    at(close),
                    x,
                    Goods::FreshDirect,
                    (j, l.len()),
                );
            }
        }
    }
    for (k, job) in pickups {
        orders.push(Order {
            site: k,
            goods: Goods::FreshCrate,
        });
        problem.jobs.push(job);
    }
    let fleet: Vec<(usize, Option<usize>)> = depots
        .iter()
        .enumerate()
        .map(|(local, &d)| (local, counts[d]))
        .collect();
    // The break: the solver sees windows and shifts that keep room for it (see [`breaks`]).
    let rule = Rule {
        length: settings.fleet.break_seconds(),
        after: settings.fleet.break_after_seconds(),
    };
    let mut per_loc = vec![0i64; locs.len()];
    for s in problem.jobs.iter().flat_map(|j| &j.stops) {
        per_loc[s.location.ix()] += s.service.0;
    }
    let handling = per_loc.into_iter().max().unwrap_or(0);
    // The solver works on the reserved windows; the jobs as ordered (not the matrices) are
    // kept aside and put back for the check and the sheets.
    let ordered = problem.jobs.clone();
    let end = settings.fleet.shift_end.seconds();
    let shift = crate::model::TimeWindow::new(start, end);
    // The break is kept feasible by the windows the solver sees ([`breaks`]); where a round
    // still leaves it no place (a visit spanning the latest start, long handling at one
    // place), the day is solved again with the shift's end kept further from it.
    let mut margin = 0;
    let (solution, report, vans_available, pauses) = loop {
        breaks::reserve(&mut problem, rule, handling + margin, start);
        let (solution, mut report, vans_available) = solve_fleet(
            &mut problem,
            settings,
            &fleet,
            DAY_ROUNDS,
            breaks::shift_end(rule, start, end) - margin,
        )?;
        problem.jobs = ordered.clone();
        for v in &mut problem.vehicles {
            v.shift = shift;
        }
        let pauses = breaks::place(&mut report, &problem, rule, start);
        let wrong = breaks::verify(&problem, &report, &pauses, rule);
        match wrong.first() {
            None => break (solution, report, vans_available, pauses),
            Some(w) if margin >= BREAK_MARGIN_MOST => {
                return Err(PlanError::Options(format!(
                    "the driver's break ({} min after at most {} h of work, fleet.break_minutes and fleet.break_after_hours) finds no place in round {} of the shift {}-{} ({}): lengthen fleet.break_after_hours, shorten the shift, or give the break 0 minutes",
                    rule.length / 60,
                    rule.after as f64 / 3600.0,
                    w.route + 1,
                    settings.fleet.shift_start,
                    settings.fleet.shift_end,
                    w.what
                )));
            }
            Some(_) => margin += BREAK_MARGIN_STEP,
        }
    };
    Ok((
        Region {
            problem,
            locs,
            site_locs: sites.iter().copied().zip(site_at.iter().copied()).collect(),
            orders,
            left_out,
            solution,
            report,
            vans_available,
            pauses,
            setup,
        },
        notes,
    ))
}

/// How much further from the shift's end a day is solved again when a round leaves the break
/// no place, and at most, seconds.
const BREAK_MARGIN_STEP: i64 = 900;
const BREAK_MARGIN_MOST: i64 = 3_600;

/// Adds `setup[b]` to every finite arc from another place to `b`.
fn add_setup(p: &mut Problem, setup: &[i64]) {
    let d = &p.durations;
    let n = d.len();
    p.durations = SquareMatrix::from_fn(n, |a, b| {
        let t = d.get(a.into(), b.into());
        if a == b || t == Time::MAX {
            t
        } else {
            Time(t.0 + setup[b])
        }
    });
}
