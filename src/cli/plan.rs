//! `tournee plan`: the main job. On an extract (the embedded default if none) it answers the
//! three users at once: where the conciergeries go (planners), what each van does on the day
//! (drivers), and what the territory gains compared with today (elected officials).
//!
//! Steps: read the extract, build the van and walking road graphs; group the households into
//! catchments (`sites`); draw the day's demand ([`crate::plan::demand`]); solve the van rounds
//! (deliveries to the sites within their hours, producer pickups brought to the sites that
//! ordered them, bread early) and check them with the independent checker; price today's
//! travel and the conciergerie network ([`crate::plan::scenario`]) with a sensitivity to site
//! size and van type; write everything to a folder named at the end.
//!
//! Decisions (also in the README): the depot is the post office nearest the households'
//! centre unless `depot` is set; today's parcel round is solved with the same van solver on the
//! households receiving a parcel that day (2 minutes per stop); a household's shop is the
//! nearest `shop=*` place by road (6 km when the extract has none: half of rural residents live
//! farther than that from a supermarket, INSEE); trips to the conciergerie use walking
//! distances.

use super::progress::{peak_memory_bytes, step};
use super::sites_osm::{group, CandidatesFrom, DistanceArg, GroupOptions, Grouping};
use super::{extract_path, Outcome};
use crate::graph::{self, dijkstra, path::road_path, MatrixBuilder, RoadGraph, Weight};
use crate::model::{
    Cost, Costs, Dist, Job, JobKind, Load, Problem, Solution, SquareMatrix, Stop, Time, TimeWindow,
    Vehicle,
};
use crate::osm::{self, write::write_file, Profile};
use crate::plan::config::{parse_hhmm, parse_lon_lat, Config, VanType};
use crate::plan::demand::{self, SiteDemand};
use crate::plan::scenario::{self, Figures, Travel};
use crate::report::sheet::{self, hhmm, Action, Item, RouteSheet, SheetStop};
use crate::report::sites::SiteSummary;
use crate::routing::{self, check};
use crate::sites::SitesParams;
use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `tournee plan`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The OpenStreetMap extract (.osm.pbf); the embedded default (Andorra) if omitted.
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Output folder; `tournee-out/<extract name>` if omitted.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Settings (TOML); `tournee config` prints the defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Random seed (overrides the configuration's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The day planned, YYYY-MM-DD (default: the configuration's, else tomorrow).
    #[arg(long)]
    pub date: Option<String>,
    /// The depot, "lon,lat" (default: the post office nearest the households' centre).
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub depot: Option<String>,
    /// Vans available (overrides the configuration's).
    #[arg(long)]
    pub vans: Option<usize>,
}

/// Ruin-and-recreate iterations of the round solver (a deterministic budget).
const ROUND_ITERATIONS: u64 = 4_000;
/// Minutes a postman spends at a household's door (today's parcel round).
const POSTMAN_STOP_MIN: f64 = 2.0;
/// Road distance to a shop when the extract has none (INSEE: half of rural residents live more
/// than 6 km from a supermarket).
const NO_SHOP_M: f64 = 6_000.0;
/// Cost unit of the van solver: 1/100,000 euro.
const COST_UNITS_PER_EUR: f64 = 100_000.0;

/// A place a van stops at.
#[derive(Clone, Debug)]
struct Spot {
    name: String,
    address: Option<String>,
    lon: f64,
    lat: f64,
}

/// Runs `tournee plan`.
pub fn run(args: PlanArgs, verbose: bool) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let mut cfg = match &args.config {
        Some(p) => Config::read(p)?,
        None => Config::default(),
    };
    if let Some(s) = args.seed {
        cfg.seed = s;
    }
    if let Some(d) = &args.date {
        cfg.date = d.clone();
    }
    if let Some(d) = &args.depot {
        cfg.depot = d.clone();
    }
    if let Some(v) = args.vans {
        cfg.fleet.vans = v;
    }
    cfg.check("the command line")?;
    let date = if cfg.date.is_empty() {
        tomorrow()
    } else {
        cfg.date.clone()
    };
    let path = extract_path(args.osm);
    let stem = super::extract_stem(&path);
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("tournee-out").join(&stem));
    eprintln!(
        "tournee plan on {} for {date} | seed {}",
        path.display(),
        cfg.seed
    );
    let extract = step("reading the extract", || osm::read_pbf(&path))?;
    let f = &extract.features;
    if f.households.is_empty() {
        bail!(
            "no household in {}: the extract has no residential building nor address. Use an extract that covers villages, or group households from a CSV with `tournee sites --households FILE`",
            path.display()
        );
    }
    let (car, _) = step("building the van road graph", || {
        graph::build(&extract, Profile::Car)
    })?;
    let (foot, _) = step("building the walking graph", || {
        graph::build(&extract, Profile::Foot)
    })?;
    let builder = step("preparing fast queries (contraction hierarchy)", || {
        MatrixBuilder::new(&car)
    });

    // A depot given by the user is checked before the long steps.
    if let Some((lon, lat)) = parse_lon_lat(&cfg.depot) {
        check_depot(&builder, "Depot", lon, lat)?;
    }

    // 1. Sites.
    let grouping = site(
        &extract,
        &cfg,
        cfg.sites.target,
        &foot,
        (cfg.sites.kicks, true),
        verbose,
    )?;
    let sites_dir = out.join("sites");
    let sites_text = super::sites_osm::write_grouping(&sites_dir, &stem, &grouping, cfg.seed)?;

    // 2. The depot.
    let (depot, depot_note) = find_depot(&cfg, &extract, &grouping)?;
    check_depot(&builder, &depot.name, depot.lon, depot.lat)?;

    // 3. The day's rounds.
    let day = step(
        "drawing the day's demand and solving the van rounds",
        || rounds(&cfg, &extract, &grouping, &depot, &builder),
    )?;
    let mut notes = String::new();
    if let Some(n) = &depot_note {
        writeln!(notes, "{n}")?;
    }
    notes.push_str(&day.notes);

    // 4. Route sheets.
    let routes_dir = out.join("routes");
    std::fs::create_dir_all(&routes_dir)
        .with_context(|| format!("cannot create the folder {}", routes_dir.display()))?;
    let roads: std::sync::Arc<[Vec<[f64; 2]>]> = road_lines(&car).into();
    let mut sheets = Vec::new();
    for (k, route) in day.report.routes.iter().enumerate() {
        let sheet = route_sheet(&cfg, &stem, &date, &day, k, route, &car, &builder, &roads);
        sheet::write(&routes_dir, &format!("van-{}", k + 1), &sheet)?;
        sheets.push(sheet);
    }
    write_unassigned(&routes_dir.join("unassigned.csv"), &day)?;

    // 5. Scenarios.
    let scen = step("comparing with today (parcel round, shop trips)", || {
        scenarios(
            &cfg, &extract, &grouping, &depot, &builder, &car, &foot, &day, verbose,
        )
    })?;
    write_scenario(&out, &stem, &date, &cfg, &grouping, &scen)?;
    crate::report::overview::write(
        &out.join("overview.html"),
        &overview_input(&stem, &date, &cfg, &grouping, &day, &sheets, &roads),
    )?;

    // 6. Summary.
    let mut text = String::new();
    writeln!(text, "Daily plan for {stem}, {date} (seed {})", cfg.seed)?;
    let total_foyers = grouping.pb.total_demand();
    writeln!(
        text,
        "  {} households ({} foyers) in {} conciergeries; depot: {}",
        grouping.households.len(),
        total_foyers,
        grouping.pb.p,
        depot.name.trim_start_matches("Depot: ")
    )?;
    let d = &day.demand;
    writeln!(
        text,
        "  demand of the day: {} parcels ({} L), {} L of pooled purchases, {} L of bread, {} L of fresh products from {} producer(s)",
        d.iter().map(|x| x.parcels).sum::<u32>(),
        d.iter().map(|x| x.parcel_litres).sum::<i64>(),
        d.iter().map(|x| x.purchases_litres).sum::<i64>(),
        d.iter().map(|x| x.bread_litres).sum::<i64>(),
        d.iter().filter_map(|x| x.fresh.map(|f| f.1)).sum::<i64>(),
        d.iter().filter_map(|x| x.fresh.map(|f| f.0)).collect::<std::collections::BTreeSet<_>>().len()
    )?;
    let c = &scen.main;
    writeln!(
        text,
        "  rounds: {} van(s) of {} L, {:.1} km, {:.1} h, {} stops; {} job(s) not served",
        c.travel.vans,
        cfg.fleet.capacity_litres,
        c.travel.van_km,
        c.travel.driver_hours,
        c.travel.van_stops,
        c.travel.unserved
    )?;
    for (k, s) in sheets.iter().enumerate() {
        writeln!(
            text,
            "    van {}: {}-{}, {:.1} km, {} stops, peak load {} of {} L",
            k + 1,
            hhmm(s.stops.first().map_or(0, |x| x.departure)),
            hhmm(s.stops.last().map_or(0, |x| x.arrival)),
            s.km,
            s.stops.len().saturating_sub(2),
            s.peak_load_l,
            s.capacity_l
        )?;
    }
    let b = &scen.baseline;
    writeln!(
        text,
        "  per day, today -> with conciergeries: {:.0} -> {:.0} vehicle-km, {:.1} -> {:.1} driver hours, {:.0} -> {:.0} kgCO2e, {:.0} -> {:.0} EUR, {:.0} car trips avoided",
        b.vehicle_km_day, c.vehicle_km_day, b.travel.driver_hours, c.travel.driver_hours,
        b.co2_kg_day(), c.co2_kg_day(), b.eur_day(), c.eur_day(),
        b.travel.car_trips - c.travel.car_trips
    )?;
    if !notes.is_empty() {
        writeln!(text, "\nNotes:")?;
        text.push_str(&notes);
    }
    writeln!(text, "\nSites:")?;
    for l in sites_text.lines().skip(1).take(5) {
        writeln!(text, "{l}")?;
    }
    writeln!(text, "\nOutputs in {}/:", out.display())?;
    writeln!(
        text,
        "  overview.html      planner's overview: sites map, sizes, walking distances, vans"
    )?;
    writeln!(text, "  routes/van-N.html  route sheet per van, to print (also .csv, .gpx for a navigation app, .geojson)")?;
    writeln!(text, "  scenario.html      today vs conciergeries, per day and per year (also scenario.json, scenario.csv)")?;
    writeln!(
        text,
        "  sites/             sites.csv, assignment.csv, sites.geojson, summary.txt"
    )?;
    writeln!(text, "{}", osm::write::ODBL_ATTRIBUTION)?;
    write_file(&out.join("summary.txt"), text.as_bytes())?;
    println!("{text}");
    // Timings and memory on screen only: the files stay byte-identical from run to run.
    println!(
        "done in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        peak_memory_bytes().map_or(String::new(), |b| format!(
            ", peak memory {} MB",
            b / 1_000_000
        ))
    );
    Ok(
        if day.solution.unassigned.is_empty() && grouping.unreachable == 0 {
            Outcome::Done
        } else {
            Outcome::Partial
        },
    )
}

/// Groups the households into catchments of about `target` foyers (bounds scaled from the
/// configuration's).
fn site(
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
fn check_depot(builder: &MatrixBuilder, name: &str, lon: f64, lat: f64) -> Result<()> {
    if let Err(e) = builder.snap_all(&[(lon, lat)]).remove(0) {
        bail!("the depot {name} ({lon:.5},{lat:.5}) is not on the extract's roads ({e}): is it inside the extract? Set `depot = \"lon,lat\"` in the configuration or --depot");
    }
    Ok(())
}

/// The depot: the configured point, or the post office nearest the households' centre, or
/// (with a note) the candidate place nearest it.
fn find_depot(
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
struct Day {
    spots: Vec<Spot>,
    problem: Problem,
    solution: Solution,
    report: check::Report,
    /// Demand per site (in the grouping's order of open sites).
    demand: Vec<SiteDemand>,
    notes: String,
}

/// The conciergeries as stops (name, host, place), in the order of `summaries`.
fn site_spots(summaries: &[SiteSummary]) -> Vec<Spot> {
    summaries
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let host = c
                .name
                .clone()
                .unwrap_or_else(|| format!("household {}", c.id));
            Spot {
                name: format!("Conciergerie {} ({host})", k + 1),
                address: c.name.clone(),
                lon: c.lon,
                lat: c.lat,
            }
        })
        .collect()
}

/// Builds and solves the day's rounds.
fn rounds(
    cfg: &Config,
    extract: &osm::OsmExtract,
    g: &Grouping,
    depot: &Spot,
    builder: &MatrixBuilder,
) -> Result<Day> {
    let summaries = g.summaries();
    let sites = site_spots(&summaries);
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
    let near: Vec<Vec<usize>> = sites
        .iter()
        .map(|s| nearest(producers.iter().map(|p| (p.lon, p.lat)), s.lon, s.lat, 3))
        .collect();
    let foyers: Vec<i64> = summaries.iter().map(|s| s.foyers).collect();
    let demand = demand::model(&foyers, &near, &cfg.demand, cfg.seed);
    let mut notes = String::new();
    if producers.is_empty() {
        writeln!(
            notes,
            "no producer (farm, farm shop) in the extract: no fresh-product pickups"
        )?;
    }
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
    let h = &cfg.hours;
    let t = |s: &str| parse_hhmm(s).expect("checked");
    let service = (cfg.fleet.stop_minutes * 60.0).round() as i64;
    for (k, d) in demand.iter().enumerate() {
        let name = &sites[k].name;
        let main = d.parcel_litres + d.purchases_litres;
        if main > 0 {
            problem.jobs.push(Job::delivery(
                format!("{name}: {} parcels + pooled purchases", d.parcels),
                Stop::at(site_loc(k), service).window(t(&h.sites_open), t(&h.sites_close)),
                Load::from_slice(&[main]),
            ));
        }
        if d.bread_litres > 0 {
            problem.jobs.push(Job::delivery(
                format!("{name}: bread"),
                Stop::at(site_loc(k), service).window(t(&h.sites_open), t(&h.bread_by)),
                Load::from_slice(&[d.bread_litres]),
            ));
        }
        if let Some((p, litres)) = d.fresh {
            problem.jobs.push(Job::shipment(
                format!("{name}: fresh products from {}", producers[p].name),
                Stop::at(producer_loc(p), service)
                    .window(t(&h.producers_open), t(&h.producers_close)),
                Stop::at(site_loc(k), service).window(t(&h.sites_open), t(&h.sites_close)),
                Load::from_slice(&[litres]),
            ));
        }
    }
    add_vans(&mut problem, cfg, cfg.fleet.vans, cfg.fleet.van_type);
    let (solution, report) = solve_checked(&problem, cfg.seed)?;
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
        notes,
    })
}

/// The place of `places` nearest `(lon, lat)`.
fn nearest_place(places: &[osm::Place], lon: f64, lat: f64) -> Option<&osm::Place> {
    let k = *nearest(places.iter().map(|p| (p.lon, p.lat)), lon, lat, 1).first()?;
    Some(&places[k])
}

/// Indices of the `k` points (`(lon, lat)`) nearest `(lon, lat)` (straight line), nearest
/// first; ties go to the lower index.
fn nearest(points: impl Iterator<Item = (f64, f64)>, lon: f64, lat: f64, k: usize) -> Vec<usize> {
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
fn matrix_problem(builder: &MatrixBuilder, spots: &[Spot], name: &str) -> Problem {
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
fn add_vans(p: &mut Problem, cfg: &Config, count: usize, van_type: VanType) {
    let f = &cfg.factors;
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
fn solve_checked(p: &Problem, seed: u64) -> Result<(Solution, check::Report)> {
    routing::validate(p).map_err(|e| anyhow::anyhow!("the rounds problem is not valid: {e}"))?;
    let (solution, _) = routing::solve(
        p,
        &routing::Params {
            seed,
            threads: 1,
            iterations: ROUND_ITERATIONS,
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

/// Every road of the van graph as a polyline `[lon, lat]` (for map backgrounds).
fn road_lines(g: &RoadGraph) -> Vec<Vec<[f64; 2]>> {
    g.segments()
        .iter()
        .map(|s| {
            let (a, b) = (g.coord(s.a), g.coord(s.b));
            vec![[a.x, a.y], [b.x, b.y]]
        })
        .collect()
}

/// The route sheet of route `k`.
#[allow(clippy::too_many_arguments)]
fn route_sheet(
    cfg: &Config,
    stem: &str,
    date: &str,
    day: &Day,
    k: usize,
    route: &check::RouteReport,
    car: &RoadGraph,
    builder: &MatrixBuilder,
    roads: &std::sync::Arc<[Vec<[f64; 2]>]>,
) -> RouteSheet {
    let p = &day.problem;
    let van_type = cfg.fleet.van_type;
    let mut stops: Vec<SheetStop> = Vec::new();
    let mut locs: Vec<usize> = Vec::new();
    let mut peak = 0i64;
    let mut driven = 0i64;
    for st in &route.steps {
        let loc = st.location.map_or(0, |l| l.ix());
        let spot = &day.spots[loc];
        let (action, window, drop, pick) = match st.visit {
            None => (
                if stops.is_empty() {
                    Action::Start
                } else {
                    Action::End
                },
                None,
                vec![],
                vec![],
            ),
            Some(v) => {
                let job = &p.jobs[v.job.ix()];
                let stop = &job.stops[v.stop as usize];
                let w = stop.time_windows.first().map(|w| (w.start.0, w.end.0));
                let item = Item {
                    what: job.id.split(": ").nth(1).unwrap_or(&job.id).to_string(),
                    litres: job.amount.0[0],
                };
                match (job.kind, v.stop) {
                    (JobKind::Shipment, 0) | (JobKind::Pickup, _) => {
                        (Action::Pickup, w, vec![], vec![item])
                    }
                    _ => (Action::Delivery, w, vec![item], vec![]),
                }
            }
        };
        peak = peak.max(st.load.0[0]);
        stops.push(SheetStop {
            action,
            name: spot.name.clone(),
            address: spot.address.clone(),
            lon: spot.lon,
            lat: spot.lat,
            arrival: st.arrival.0,
            start: st.arrival.0 + st.waiting.0,
            departure: st.arrival.0 + st.waiting.0 + st.service.0,
            window,
            drop,
            pick,
            load_after: st.load.0[0],
            // The checker reports the distance driven so far.
            km_from_previous: (st.distance.0 - driven) as f64 / 1000.0,
        });
        driven = st.distance.0;
        locs.push(loc);
    }
    // Road geometry between consecutive stops.
    let coords: Vec<(f64, f64)> = locs
        .iter()
        .map(|&l| (day.spots[l].lon, day.spots[l].lat))
        .collect();
    let snaps = builder.snap_all(&coords);
    let mut path: Vec<[f64; 2]> = Vec::new();
    for w in 0..locs.len().saturating_sub(1) {
        let leg = match (&snaps[w], &snaps[w + 1]) {
            (Ok(a), Ok(b)) => road_path(car, a, b),
            _ => None,
        };
        let leg = leg.unwrap_or_else(|| {
            vec![
                [coords[w].0, coords[w].1],
                [coords[w + 1].0, coords[w + 1].1],
            ]
        });
        path.extend(leg);
    }
    let km = route.distance.0 as f64 / 1000.0;
    let first = stops.first().map_or(0, |s| s.departure);
    let last = stops.last().map_or(0, |s| s.arrival);
    RouteSheet {
        territory: stem.to_string(),
        date: date.to_string(),
        // Named after the route's number, so that unused vans leave no gap.
        van: format!("Van {}", k + 1),
        vehicle: format!("{van_type} van, {} L", cfg.fleet.capacity_litres),
        capacity_l: cfg.fleet.capacity_litres,
        peak_load_l: peak,
        km,
        driving_hours: route.travel_time.0 as f64 / 3600.0,
        hours: (last - first) as f64 / 3600.0,
        co2_kg: km * cfg.factors.van_kg_per_km(van_type),
        co2_scope: cfg.factors.van_scope(van_type),
        stops,
        path,
        roads: roads.clone(),
    }
}

/// Jobs not served, with their reason, as CSV.
fn write_unassigned(path: &Path, day: &Day) -> Result<()> {
    let rows = day.solution.unassigned.iter().map(|u| {
        vec![
            day.problem.jobs[u.job.ix()].id.clone(),
            u.reason.code().to_string(),
            u.reason.explain().to_string(),
        ]
    });
    write_file(
        path,
        &osm::write::csv_bytes(&["job", "reason", "what_to_do"], rows),
    )?;
    Ok(())
}

/// The scenarios compared.
struct Scenarios {
    baseline: Figures,
    main: Figures,
    other_van: Figures,
    sizes: Vec<(i64, Figures)>,
    shop_note: String,
}

/// Today and with conciergeries, plus sensitivities.
#[allow(clippy::too_many_arguments)]
fn scenarios(
    cfg: &Config,
    extract: &osm::OsmExtract,
    g: &Grouping,
    depot: &Spot,
    builder: &MatrixBuilder,
    car: &RoadGraph,
    foot: &RoadGraph,
    day: &Day,
    verbose: bool,
) -> Result<Scenarios> {
    let f = &cfg.factors;
    let mob = &cfg.mobility;
    // Today: the parcels of the day delivered to each household by a van.
    let rng_seed = cfg.seed;
    let mut parcel_homes: Vec<Spot> = Vec::new();
    {
        use rand::RngExt;
        let mut rng = rand_pcg::Pcg64Mcg::new(0xba5e_0000_u128 ^ rng_seed as u128);
        for h in &g.households {
            let got = (0..h.foyers)
                .filter(|_| rng.random::<f64>() < cfg.demand.parcels_per_foyer)
                .count();
            if got > 0 {
                parcel_homes.push(Spot {
                    name: h.place.id.clone(),
                    address: None,
                    lon: h.place.lon,
                    lat: h.place.lat,
                });
            }
        }
    }
    let mut spots = vec![depot.clone()];
    spots.extend(parcel_homes.iter().cloned());
    let mut p = matrix_problem(builder, &spots, "today's parcel round");
    let stop = (POSTMAN_STOP_MIN * 60.0) as i64;
    for (k, s) in parcel_homes.iter().enumerate() {
        p.jobs.push(Job::delivery(
            s.name.clone(),
            Stop::at(k + 1, stop),
            Load::from_slice(&[cfg.demand.parcel_litres.ceil() as i64]),
        ));
    }
    // As many vans as needed: the fixed cost keeps the count down.
    add_vans(
        &mut p,
        cfg,
        (parcel_homes.len() / 60).max(cfg.fleet.vans) + 2,
        cfg.fleet.van_type,
    );
    let (sol, rep) = solve_checked(&p, cfg.seed)?;
    let van = travel_of(&rep, sol.unassigned.len());
    // Shop trips: road distance from each household to the nearest shop.
    let shops: Vec<(f64, f64)> = extract
        .features
        .candidates
        .iter()
        .filter(|c| c.kind.starts_with("shop="))
        .map(|c| (c.lon, c.lat))
        .collect();
    let homes: Vec<(f64, f64)> = g
        .households
        .iter()
        .map(|h| (h.place.lon, h.place.lat))
        .collect();
    let (shop_m, shop_note) = if shops.is_empty() {
        (
            vec![NO_SHOP_M; homes.len()],
            format!(
                "no shop in the extract: every household is taken {:.0} km from a shop",
                NO_SHOP_M / 1000.0
            ),
        )
    } else {
        (
            nearest_by_road(car, builder, &shops, &homes),
            format!(
                "{} shops in the extract; each household drives to the nearest by road",
                shops.len()
            ),
        )
    };
    let fd: Vec<(i64, f64)> = g
        .households
        .iter()
        .zip(&shop_m)
        .map(|(h, &d)| (h.foyers, d))
        .collect();
    let (car_km, car_trips) = scenario::shop_trips(&fd, mob.shop_trips_per_foyer_per_week);
    let baseline = Figures::new(
        "today",
        cfg.fleet.van_type,
        Travel {
            car_km,
            car_trips,
            ..van
        },
        f,
    );
    // With conciergeries.
    let main_travel = network_travel(cfg, g, day);
    let main = Figures::new("conciergeries", cfg.fleet.van_type, main_travel.clone(), f);
    let other = match cfg.fleet.van_type {
        VanType::Diesel => VanType::Electric,
        VanType::Electric => VanType::Diesel,
    };
    let other_van = Figures::new("conciergeries, other van type", other, main_travel, f);
    // Site sizes: a quicker grouping and rounds for each.
    let mut sizes = Vec::new();
    for &z in &cfg.sites.sensitivity_sizes {
        if z == cfg.sites.target {
            sizes.push((z, main.clone()));
            continue;
        }
        let gz = site(extract, cfg, z, foot, (cfg.sites.kicks / 3, false), false)?;
        let dz = rounds(cfg, extract, &gz, depot, builder)?;
        let tr = network_travel(cfg, &gz, &dz);
        if verbose {
            eprintln!(
                "  {z} foyers per site: {} sites, {:.1} van km",
                gz.pb.p, tr.van_km
            );
        }
        sizes.push((
            z,
            Figures::new(&format!("{z} foyers per site"), cfg.fleet.van_type, tr, f),
        ));
    }
    Ok(Scenarios {
        baseline,
        main,
        other_van,
        sizes,
        shop_note,
    })
}

/// Travel with conciergeries: the day's van rounds, and households' trips to their site.
fn network_travel(cfg: &Config, g: &Grouping, day: &Day) -> Travel {
    let mob = &cfg.mobility;
    let (car_km, car_trips) = scenario::site_trips(
        &walking_to_site(g),
        mob.site_visits_per_foyer_per_week,
        mob.walk_limit_m,
        mob.car_share_beyond_walk_limit,
    );
    Travel {
        car_km,
        car_trips,
        ..travel_of(&day.report, day.solution.unassigned.len())
    }
}

/// Van travel of a checked solution.
fn travel_of(rep: &check::Report, unserved: usize) -> Travel {
    Travel {
        vans: rep.routes.len(),
        van_km: rep.distance.0 as f64 / 1000.0,
        driver_hours: rep
            .routes
            .iter()
            .map(|r| r.duration.0 as f64 / 3600.0)
            .sum(),
        van_stops: rep
            .routes
            .iter()
            .map(|r| r.steps.len().saturating_sub(2))
            .sum(),
        unserved,
        ..Travel::default()
    }
}

/// Foyers and walking distance to their site, per household grouped.
fn walking_to_site(g: &Grouping) -> Vec<(i64, f64)> {
    g.result
        .sites
        .assign
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.map(|j| (g.pb.demand[i], g.pb.distance(i, j))))
        .collect()
}

/// Road distance (metres) from each home to the nearest of `shops`: one search from all the
/// shops at once (the van graph reversed is not needed: streets in villages are two-way, and a
/// one-way makes a detour of a few hundred metres at most).
fn nearest_by_road(
    car: &RoadGraph,
    builder: &MatrixBuilder,
    shops: &[(f64, f64)],
    homes: &[(f64, f64)],
) -> Vec<f64> {
    let seeds: Vec<(graph::NodeIdx, Weight)> = builder
        .snap_all(shops)
        .iter()
        .filter_map(|s| s.as_ref().ok())
        .flat_map(|s| s.source_seeds(car))
        .collect();
    let dist = dijkstra::one_to_all(car, &seeds);
    builder
        .snap_all(homes)
        .iter()
        .map(|s| match s {
            Ok(s) => {
                let w = dijkstra::to_seeds(&dist, &s.target_seeds(car));
                if w == Weight::INFINITY {
                    NO_SHOP_M
                } else {
                    w.length().get() as f64 / 100.0 + s.distance_m
                }
            }
            Err(_) => NO_SHOP_M,
        })
        .collect()
}

/// scenario.json, scenario.csv and scenario.html.
fn write_scenario(
    out: &Path,
    stem: &str,
    date: &str,
    cfg: &Config,
    g: &Grouping,
    s: &Scenarios,
) -> Result<()> {
    let foyers = g.pb.total_demand();
    let all: Vec<&Figures> = [&s.baseline, &s.main, &s.other_van]
        .into_iter()
        .chain(s.sizes.iter().map(|x| &x.1))
        .collect();
    let row = |f: &Figures| {
        json!({
            "scenario": f.name, "van_type": f.van_type.to_string(),
            "vans": f.travel.vans, "van_km_day": f.travel.van_km, "driver_hours_day": f.travel.driver_hours,
            "van_stops_day": f.travel.van_stops, "car_km_day": f.travel.car_km, "car_trips_day": f.travel.car_trips,
            "vehicle_km_day": f.vehicle_km_day, "co2_kg_day": f.co2_kg_day(), "eur_day": f.eur_day(),
            "vehicle_km_year": f.vehicle_km_day * f.days_per_year, "co2_t_year": f.co2_kg_day() * f.days_per_year / 1000.0,
            "eur_year": f.eur_day() * f.days_per_year, "eur_per_foyer_year": f.eur_per_foyer_year(foyers),
            "driver_hours_year": f.travel.driver_hours * f.days_per_year, "unserved_jobs": f.travel.unserved,
        })
    };
    let doc = json!({
        "territory": stem, "date": date, "seed": cfg.seed, "foyers": foyers, "households": g.households.len(),
        "conciergeries": g.pb.p,
        "scopes": {"van": cfg.factors.van_scope(cfg.fleet.van_type), "other_van": cfg.factors.van_scope(s.other_van.van_type), "car": cfg.factors.car_scope()},
        "shops": s.shop_note,
        "scenarios": all.iter().map(|f| row(f)).collect::<Vec<_>>(),
        "config": cfg,
        "attribution": osm::write::ODBL_ATTRIBUTION,
    });
    write_file(
        &out.join("scenario.json"),
        &serde_json::to_vec_pretty(&doc)?,
    )?;
    let header = [
        "scenario",
        "van_type",
        "vans",
        "van_km_day",
        "driver_hours_day",
        "car_km_day",
        "car_trips_day",
        "vehicle_km_day",
        "co2_kg_day",
        "eur_day",
        "vehicle_km_year",
        "co2_t_year",
        "eur_year",
        "eur_per_foyer_year",
    ];
    let rows = all.iter().map(|f| {
        vec![
            f.name.clone(),
            f.van_type.to_string(),
            f.travel.vans.to_string(),
            format!("{:.1}", f.travel.van_km),
            format!("{:.2}", f.travel.driver_hours),
            format!("{:.1}", f.travel.car_km),
            format!("{:.1}", f.travel.car_trips),
            format!("{:.1}", f.vehicle_km_day),
            format!("{:.1}", f.co2_kg_day()),
            format!("{:.2}", f.eur_day()),
            format!("{:.0}", f.vehicle_km_day * f.days_per_year),
            format!("{:.2}", f.co2_kg_day() * f.days_per_year / 1000.0),
            format!("{:.0}", f.eur_day() * f.days_per_year),
            format!("{:.2}", f.eur_per_foyer_year(foyers)),
        ]
    });
    write_file(
        &out.join("scenario.csv"),
        &osm::write::csv_bytes(&header, rows),
    )?;
    let html = crate::report::scenario::html(&crate::report::scenario::Input {
        territory: stem.to_string(),
        date: date.to_string(),
        households: g.households.len(),
        foyers,
        conciergeries: g.pb.p,
        baseline: s.baseline.clone(),
        main: s.main.clone(),
        other_van: s.other_van.clone(),
        sizes: s.sizes.clone(),
        van_scope: cfg.factors.van_scope(cfg.fleet.van_type),
        other_van_scope: cfg.factors.van_scope(s.other_van.van_type),
        car_scope: cfg.factors.car_scope(),
        notes: vec![s.shop_note.clone(), format!(
            "today's parcel round: the same van solver, {POSTMAN_STOP_MIN} minutes per household receiving a parcel; shop trips: {} per foyer per week; visits to the conciergerie: {} per foyer per week, on foot under {:.0} m, else by car {:.0} % of the time",
            cfg.mobility.shop_trips_per_foyer_per_week, cfg.mobility.site_visits_per_foyer_per_week, cfg.mobility.walk_limit_m, cfg.mobility.car_share_beyond_walk_limit * 100.0)],
    });
    write_file(&out.join("scenario.html"), html.as_bytes())?;
    Ok(())
}

/// What the planner's overview shows.
fn overview_input(
    stem: &str,
    date: &str,
    cfg: &Config,
    g: &Grouping,
    day: &Day,
    sheets: &[RouteSheet],
    roads: &std::sync::Arc<[Vec<[f64; 2]>]>,
) -> crate::report::overview::Input {
    let summaries = g.summaries();
    let walking: Vec<(i64, f64)> = walking_to_site(g);
    let sites = summaries
        .iter()
        .zip(site_spots(&summaries))
        .map(|(c, s)| crate::report::overview::SiteRow {
            name: s.name,
            lon: s.lon,
            lat: s.lat,
            foyers: c.foyers,
            mean_walk_m: c.mean_m,
            max_walk_m: c.max_m,
        })
        .collect();
    let homes = g
        .result
        .sites
        .assign
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            a.map(|j| {
                (
                    g.households[i].place.lon,
                    g.households[i].place.lat,
                    g.result.sites.open.binary_search(&j).unwrap_or(0),
                )
            })
        })
        .collect();
    crate::report::overview::Input {
        territory: stem.to_string(),
        date: date.to_string(),
        min: cfg.sites.min,
        max: cfg.sites.max,
        sites,
        homes,
        mean_walk_m: walking.iter().map(|x| x.0 as f64 * x.1).sum::<f64>()
            / walking.iter().map(|x| x.0).sum::<i64>().max(1) as f64,
        vans: sheets
            .iter()
            .map(|s| crate::report::overview::VanRow {
                van: s.van.clone(),
                km: s.km,
                hours: s.hours,
                stops: s.stops.len().saturating_sub(2),
                peak_load_l: s.peak_load_l,
                capacity_l: s.capacity_l,
                path: s.path.clone(),
            })
            .collect(),
        unserved: day
            .solution
            .unassigned
            .iter()
            .map(|u| {
                format!(
                    "{} ({})",
                    day.problem.jobs[u.job.ix()].id,
                    u.reason.explain()
                )
            })
            .collect(),
        roads: roads.clone(),
    }
}

/// Tomorrow's date (UTC), `YYYY-MM-DD`.
fn tomorrow() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    civil_date(secs.div_euclid(86_400) + 1)
}

/// The calendar date of a day number since 1970-01-01 (proleptic Gregorian).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_416), "2025-11-24");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
