//! The scenario report for local authorities (`tournee compare`, and a part of `tournee plan`):
//! today (a postman's van at every door receiving a parcel, households driving to a shop)
//! against the conciergerie network (the day's van rounds, households walking or driving to
//! their site), with a sensitivity to site size and van type.

use super::super::progress::step;
use super::super::sites_osm::Grouping;
use super::super::Outcome;
use super::day::{self, Spot};
use super::{Common, Planned, Territory};
use crate::graph::{self, dijkstra, MatrixBuilder, RoadGraph, Weight};
use crate::model::{Job, Load, Stop};
use crate::osm::{self, write::write_file};
use crate::plan::config::{Config, VanType, Vans};
use crate::plan::scenario::{self, Figures, Travel};
use crate::routing::check;
use anyhow::{Context, Result};
use clap::Args;
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Minutes a postman spends at a household's door (today's parcel round).
const POSTMAN_STOP_MIN: f64 = 2.0;
/// Road distance to a shop when the extract has none (INSEE: half of rural residents live
/// more than 6 km from a supermarket).
const NO_SHOP_M: f64 = 6_000.0;

/// Arguments of `tournee compare`: the plan's, plus the scenario's own settings (each
/// overrides the configuration's).
#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub common: Common,
    /// Site sizes compared, foyers per site, e.g. 30,50,80 (`sites.sensitivity_sizes`).
    #[arg(long, value_delimiter = ',', value_name = "N,N,...")]
    pub sizes: Option<Vec<i64>>,
    /// Engine of the conciergerie vans: diesel or electric (`fleet.van_type`).
    #[arg(long, value_name = "diesel|electric")]
    pub van_type: Option<String>,
    /// Visits per foyer per week to its conciergerie (`mobility.site_visits_per_foyer_per_week`).
    #[arg(long, value_name = "N")]
    pub site_visits: Option<f64>,
    /// Shop trips per foyer per week today (`mobility.shop_trips_per_foyer_per_week`).
    #[arg(long, value_name = "N")]
    pub shop_trips: Option<f64>,
    /// Walking distance under which a visit is made on foot, metres (`mobility.walk_limit_m`).
    #[arg(long, value_name = "M")]
    pub walk_limit: Option<f64>,
    /// Share of farther visits made by car, 0 to 1 (`mobility.car_share_beyond_walk_limit`).
    #[arg(long, value_name = "X")]
    pub car_share: Option<f64>,
    /// Working days per year (`factors.days_per_year`).
    #[arg(long, value_name = "N")]
    pub days_per_year: Option<f64>,
}

/// Runs `tournee compare`: the siting and the day's rounds as in `plan`, and only the scenario
/// report (scenario.html, .json, .csv and summary.txt).
pub fn run(args: CompareArgs, verbose: bool) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let c = &args.common;
    let mut cfg = super::settings(c)?;
    if let Some(z) = &args.sizes {
        cfg.sites.sensitivity_sizes = z.clone();
    }
    if let Some(v) = &args.van_type {
        cfg.fleet.van_type = match v.trim().to_ascii_lowercase().as_str() {
            "diesel" => VanType::Diesel,
            "electric" => VanType::Electric,
            other => anyhow::bail!("--van-type {other:?}: write diesel or electric"),
        };
    }
    let m = &mut cfg.mobility;
    m.site_visits_per_foyer_per_week = args.site_visits.unwrap_or(m.site_visits_per_foyer_per_week);
    m.shop_trips_per_foyer_per_week = args.shop_trips.unwrap_or(m.shop_trips_per_foyer_per_week);
    m.walk_limit_m = args.walk_limit.unwrap_or(m.walk_limit_m);
    m.car_share_beyond_walk_limit = args.car_share.unwrap_or(m.car_share_beyond_walk_limit);
    cfg.factors.days_per_year = args.days_per_year.unwrap_or(cfg.factors.days_per_year);
    cfg.check("the command line")?;
    let t = super::load(c)?;
    let out = c
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("tournee-out").join(&t.stem).join("compare"));
    eprintln!(
        "tournee compare on {} | seed {}",
        t.path.display(),
        cfg.seed
    );
    let p = super::prepare(&t, c, cfg, verbose)?;
    let scen = step("comparing with today (parcel round, shop trips)", || {
        scenarios(&p, &t, verbose)
    })?;
    std::fs::create_dir_all(&out)
        .with_context(|| format!("cannot create the folder {}", out.display()))?;
    write_scenario(&out, &t.stem, &p, &scen)?;
    let mut text = String::new();
    writeln!(
        text,
        "Scenarios for {}, {} (seed {})",
        t.stem, p.date, p.cfg.seed
    )?;
    super::headline(&mut text, &p, &scen)?;
    per_day_line(&mut text, &scen)?;
    writeln!(text, "  per year ({} days):", p.cfg.factors.days_per_year)?;
    for f in scen.all() {
        writeln!(
            text,
            "    {:<34} {:>9.0} vehicle-km {:>7.1} tCO2e {:>9.0} EUR",
            f.name,
            f.vehicle_km_day * f.days_per_year,
            f.co2_kg_day() * f.days_per_year / 1000.0,
            f.eur_day() * f.days_per_year
        )?;
    }
    if !p.notes.is_empty() {
        writeln!(text, "\nNotes:")?;
        text.push_str(&p.notes);
    }
    writeln!(
        text,
        "\nOutputs in {}/: scenario.html (charts), scenario.json, scenario.csv",
        out.display()
    )?;
    writeln!(text, "{}", osm::write::ODBL_ATTRIBUTION)?;
    super::finish(&out, &text, started)?;
    Ok(super::outcome(&p))
}

/// Today against conciergeries, per day: the line both summaries print.
pub(super) fn per_day_line(text: &mut String, s: &Scenarios) -> Result<()> {
    let (b, c) = (&s.baseline, &s.main);
    writeln!(
        text,
        "  per day, today -> with conciergeries: {:.0} -> {:.0} vehicle-km, {:.1} -> {:.1} driver hours, {:.0} -> {:.0} kgCO2e, {:.0} -> {:.0} EUR, {:.0} car trips avoided",
        b.vehicle_km_day, c.vehicle_km_day, b.travel.driver_hours, c.travel.driver_hours,
        b.co2_kg_day(), c.co2_kg_day(), b.eur_day(), c.eur_day(),
        b.travel.car_trips - c.travel.car_trips
    )?;
    Ok(())
}

/// The scenarios compared.
pub(super) struct Scenarios {
    pub baseline: Figures,
    pub main: Figures,
    pub other_van: Figures,
    pub sizes: Vec<(i64, Figures)>,
    pub shop_note: String,
    /// Remarks on the sensitivity runs (work left unserved there).
    pub notes: Vec<String>,
}

impl Scenarios {
    /// Every scenario, in the report's order.
    pub fn all(&self) -> Vec<&Figures> {
        [&self.baseline, &self.main, &self.other_van]
            .into_iter()
            .chain(self.sizes.iter().map(|x| &x.1))
            .collect()
    }
}

/// Today and with conciergeries, plus sensitivities.
pub(super) fn scenarios(plan: &Planned, t: &Territory, verbose: bool) -> Result<Scenarios> {
    let (cfg, g, day, builder) = (&plan.cfg, &plan.grouping, &plan.day, &plan.builder);
    let (extract, car, foot) = (&t.extract, &t.car, &t.foot);
    let f = &cfg.factors;
    let mob = &cfg.mobility;
    let mut notes = Vec::new();
    // Today: the day's parcels delivered to the households' doors by a postman's van, with as
    // many vans as it takes.
    let homes = parcel_homes(g, day, cfg.seed);
    let mut spots = vec![plan.depot.clone()];
    spots.extend(homes.iter().cloned());
    let mut p = day::matrix_problem(builder, &spots, "today's parcel round");
    let stop = (POSTMAN_STOP_MIN * 60.0) as i64;
    for (k, s) in homes.iter().enumerate() {
        p.jobs.push(Job::delivery(
            s.name.clone(),
            Stop::at(k + 1, stop),
            Load::from_slice(&[cfg.demand.parcel_litres.ceil() as i64]),
        ));
    }
    let postman = Config {
        fleet: crate::plan::config::FleetConfig {
            vans: Vans::Auto,
            ..cfg.fleet.clone()
        },
        ..cfg.clone()
    };
    let (sol, rep, _) = day::solve_fleet(&mut p, &postman)?;
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
        let gz = day::site(extract, cfg, z, foot, (cfg.sites.kicks / 3, false), false)?;
        // A demand file names this plan's sites: other site sizes use the model.
        let dz = day::rounds(cfg, extract, &gz, &plan.depot, builder, None)?;
        if let Some(w) = dz.warning() {
            notes.push(format!("{z} foyers per site: {w}"));
        }
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
        notes,
    })
}

/// The households receiving today's parcels, as stops: each site's parcels of the day go to
/// as many of its foyers (drawn with the seed), so that today and the conciergeries carry the
/// same parcels, whether from the model or from a demand file.
fn parcel_homes(g: &Grouping, day: &day::Day, seed: u64) -> Vec<Spot> {
    use rand::seq::SliceRandom;
    let mut rng = <rand_pcg::Pcg64Mcg as rand::SeedableRng>::seed_from_u64(seed ^ 0xba5e);
    // Foyer slots per site: (household, one per foyer).
    let mut slots: Vec<Vec<usize>> = vec![Vec::new(); g.result.sites.open.len()];
    for (i, a) in g.result.sites.assign.iter().enumerate() {
        if let Some(k) = a.and_then(|j| g.result.sites.open.binary_search(&j).ok()) {
            slots[k].extend(std::iter::repeat_n(
                i,
                g.households[i].foyers.max(0) as usize,
            ));
        }
    }
    let mut got = vec![false; g.households.len()];
    for (k, d) in day.demand.iter().enumerate() {
        let s = &mut slots[k];
        s.shuffle(&mut rng);
        for &i in s.iter().take(d.parcels as usize) {
            got[i] = true;
        }
    }
    g.households
        .iter()
        .zip(got)
        .filter(|x| x.1)
        .map(|(h, _)| Spot {
            name: h.place.id.clone(),
            address: None,
            lon: h.place.lon,
            lat: h.place.lat,
        })
        .collect()
}

/// Travel with conciergeries: the day's van rounds, and households' trips to their site.
fn network_travel(cfg: &Config, g: &Grouping, day: &day::Day) -> Travel {
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
        // Places stopped at: consecutive visits to one place are one stop (as on the sheets).
        van_stops: rep
            .routes
            .iter()
            .map(|r| {
                let visits = &r.steps[1..r.steps.len().saturating_sub(1).max(1)];
                visits
                    .iter()
                    .enumerate()
                    .filter(|(k, s)| *k == 0 || visits[k - 1].location != s.location)
                    .count()
            })
            .sum(),
        unserved,
        ..Travel::default()
    }
}

/// Foyers and walking distance to their site, per household grouped.
pub(super) fn walking_to_site(g: &Grouping) -> Vec<(i64, f64)> {
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
pub(super) fn write_scenario(out: &Path, stem: &str, plan: &Planned, s: &Scenarios) -> Result<()> {
    let (cfg, g, date) = (&plan.cfg, &plan.grouping, &plan.date);
    let foyers = g.pb.total_demand();
    let all = s.all();
    let warnings: Vec<String> = plan
        .day
        .warning()
        .into_iter()
        .chain(s.notes.iter().cloned())
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
        "warnings": warnings,
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
        warnings: warnings.clone(),
        notes: vec![s.shop_note.clone(), format!(
            "today's parcel round: the same van solver, {POSTMAN_STOP_MIN} minutes per household receiving a parcel; shop trips: {} per foyer per week; visits to the conciergerie: {} per foyer per week, on foot under {:.0} m, else by car {:.0} % of the time",
            cfg.mobility.shop_trips_per_foyer_per_week, cfg.mobility.site_visits_per_foyer_per_week, cfg.mobility.walk_limit_m, cfg.mobility.car_share_beyond_walk_limit * 100.0),
            format!(
                "the day's orders: {}; today's parcels are the same as the conciergeries' (each site's parcels go to as many of its foyers); vans: {}",
                plan.day.demand_source,
                match cfg.fleet.vans {
                    Vans::Auto => "as many as each scenario's day needs (today's postman too)".to_string(),
                    Vans::Count(n) => format!("{n} for the conciergeries, as many as needed for today's postman"),
                }
            )],
    });
    write_file(&out.join("scenario.html"), html.as_bytes())?;
    Ok(())
}
