//! `tournee plan`: the main job. On an extract (the embedded default if none) it answers the
//! three users at once: where the conciergeries go (planners), what each van does on the day
//! (drivers), and what the territory gains compared with today (elected officials).
//! `tournee compare` runs the same siting and rounds but writes only the scenario report.
//!
//! Steps: read the extract, build the van and walking road graphs; group the households into
//! catchments (`sites`); draw the day's demand ([`crate::plan::demand`]) or read it from a
//! file; solve the van rounds (deliveries to the sites within their hours, producer pickups
//! brought to the sites that ordered them, bread early) and check them with the independent
//! checker ([`day`]); write the route sheets ([`sheets`]); price today's travel and the
//! conciergerie network with a sensitivity to site size and van type ([`compare`]); write
//! everything to a folder named at the end.
//!
//! Decisions (also in the README): the depot is the post office nearest the households' centre
//! unless `depot` is set; the fleet is sized to the day's work unless `fleet.vans` is a number;
//! a delivery larger than a van is split into van loads; today's parcel round is solved with
//! the same van solver on the households receiving a parcel that day (2 minutes per stop); a
//! household's shop is the nearest `shop=*` place by road (6 km when the extract has none: half
//! of rural residents live farther than that from a supermarket, INSEE); trips to the
//! conciergerie use walking distances.

mod compare;
mod day;
mod sheets;

pub use compare::{run as compare, CompareArgs};

use super::progress::{peak_memory_bytes, step};
use super::sites_osm::Grouping;
use super::{extract_path, Outcome};
use crate::graph::{self, MatrixBuilder, RoadGraph};
use crate::osm::{self, write::write_file, Profile};
use crate::plan::config::{parse_lon_lat, Config, Vans};
use crate::report::sheet::{self, hhmm};
use anyhow::{bail, Context, Result};
use clap::Args;
use day::{Day, Spot};
use std::fmt::Write as _;
use std::path::PathBuf;

/// What `plan` and `compare` share on the command line.
#[derive(Args, Debug)]
pub struct Common {
    /// The OpenStreetMap extract (.osm.pbf); the embedded default (Andorra) if omitted.
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Output folder (default: `tournee-out/<extract name>`, `.../compare` for compare).
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
    /// Vans available, or "auto" for as many as the day needs (overrides the configuration's).
    #[arg(long, value_name = "N|auto")]
    pub vans: Option<Vans>,
    /// The day's orders per conciergerie (CSV, as the `demand.csv` a plan writes) instead of
    /// the demand model.
    #[arg(long, value_name = "FILE")]
    pub demand: Option<PathBuf>,
}

/// Arguments of `tournee plan`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: Common,
}

/// The extract and its road graphs.
struct Territory {
    path: PathBuf,
    /// The extract's name, for titles and the output folder.
    stem: String,
    extract: osm::OsmExtract,
    car: RoadGraph,
    foot: RoadGraph,
}

/// A territory sited, with the day's rounds solved: what `plan` and `compare` share.
struct Planned<'t> {
    cfg: Config,
    date: String,
    builder: MatrixBuilder<'t>,
    grouping: Grouping,
    depot: Spot,
    day: Day,
    /// Remarks for the planner (depot choice, split loads, jobs not served).
    notes: String,
}

/// The configuration with the command line's overrides, checked.
fn settings(c: &Common) -> Result<Config> {
    let mut cfg = match &c.config {
        Some(p) => Config::read(p)?,
        None => Config::default(),
    };
    if let Some(s) = c.seed {
        cfg.seed = s;
    }
    if let Some(d) = &c.date {
        cfg.date = d.clone();
    }
    if let Some(d) = &c.depot {
        cfg.depot = d.clone();
    }
    if let Some(v) = c.vans {
        cfg.fleet.vans = v;
    }
    cfg.check("the command line")?;
    Ok(cfg)
}

/// Reads the extract and builds its road graphs; fails when it has no household.
fn load(c: &Common) -> Result<Territory> {
    let path = extract_path(c.osm.clone());
    let stem = super::extract_stem(&path);
    let extract = step("reading the extract", || osm::read_pbf(&path))?;
    if extract.features.households.is_empty() {
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
    Ok(Territory {
        path,
        stem,
        extract,
        car,
        foot,
    })
}

/// Sites the conciergeries, finds the depot, sets the day's demand and solves the rounds.
fn prepare<'t>(t: &'t Territory, c: &Common, cfg: Config, verbose: bool) -> Result<Planned<'t>> {
    let date = if cfg.date.is_empty() {
        tomorrow()
    } else {
        cfg.date.clone()
    };
    let builder = step("preparing fast queries (contraction hierarchy)", || {
        MatrixBuilder::new(&t.car)
    });
    // A depot given by the user is checked before the long steps.
    if let Some((lon, lat)) = parse_lon_lat(&cfg.depot) {
        day::check_depot(&builder, "Depot", lon, lat)?;
    }
    let grouping = day::site(
        &t.extract,
        &cfg,
        cfg.sites.target,
        &t.foot,
        (cfg.sites.kicks, true),
        verbose,
    )?;
    let (depot, depot_note) = day::find_depot(&cfg, &t.extract, &grouping)?;
    day::check_depot(&builder, &depot.name, depot.lon, depot.lat)?;
    let day = step(
        "setting the day's demand and solving the van rounds",
        || {
            day::rounds(
                &cfg,
                &t.extract,
                &grouping,
                &depot,
                &builder,
                c.demand.as_deref(),
            )
        },
    )?;
    let mut notes = grouping.notes.clone();
    if let Some(n) = &depot_note {
        writeln!(notes, "{n}")?;
    }
    notes.push_str(&day.notes);
    Ok(Planned {
        cfg,
        date,
        builder,
        grouping,
        depot,
        day,
        notes,
    })
}

/// Runs `tournee plan`.
pub fn run(args: PlanArgs, verbose: bool) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let c = &args.common;
    let cfg = settings(c)?;
    let t = load(c)?;
    let out = c
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("tournee-out").join(&t.stem));
    eprintln!("tournee plan on {} | seed {}", t.path.display(), cfg.seed);
    let p = prepare(&t, c, cfg, verbose)?;
    let (cfg, day) = (&p.cfg, &p.day);
    let sites_text =
        super::sites_osm::write_grouping(&out.join("sites"), &t.stem, &p.grouping, cfg.seed)?;
    write_file(&out.join("demand.csv"), &day.demand_csv())?;

    // Route sheets.
    let routes_dir = out.join("routes");
    std::fs::create_dir_all(&routes_dir)
        .with_context(|| format!("cannot create the folder {}", routes_dir.display()))?;
    let roads: std::sync::Arc<[Vec<[f64; 2]>]> = sheets::road_lines(&t.car).into();
    let mut route_sheets = Vec::new();
    for (k, route) in day.report.routes.iter().enumerate() {
        let s = sheets::route_sheet(&p, &t, k, route, &roads);
        sheet::write(&routes_dir, &format!("van-{}", k + 1), &s)?;
        route_sheets.push(s);
    }
    sheets::write_unassigned(&routes_dir.join("unassigned.csv"), day)?;

    // Scenarios.
    let scen = step("comparing with today (parcel round, shop trips)", || {
        compare::scenarios(&p, &t, verbose)
    })?;
    compare::write_scenario(&out, &t.stem, &p, &scen)?;
    crate::report::overview::write(
        &out.join("overview.html"),
        &sheets::overview_input(&p, &t.stem, &route_sheets, &roads),
    )?;

    // Summary.
    let mut text = String::new();
    writeln!(
        text,
        "Daily plan for {}, {} (seed {})",
        t.stem, p.date, cfg.seed
    )?;
    headline(&mut text, &p, &scen)?;
    for (k, s) in route_sheets.iter().enumerate() {
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
    compare::per_day_line(&mut text, &scen)?;
    if !p.notes.is_empty() {
        writeln!(text, "\nNotes:")?;
        text.push_str(&p.notes);
    }
    writeln!(text, "\nSites:")?;
    for l in sites_text.lines().skip(1).take(5) {
        writeln!(text, "{l}")?;
    }
    writeln!(text, "\nOutputs in {}/:", out.display())?;
    for (file, what) in [
        (
            "overview.html",
            "planner's overview: sites map, sizes, walking distances, vans",
        ),
        (
            "routes/van-N.html",
            "route sheet per van, to print (also .csv, .gpx for a navigation app, .geojson)",
        ),
        (
            "routes/unassigned.csv",
            "work not served, with the reason and what to do",
        ),
        (
            "scenario.html",
            "today vs conciergeries, per day and per year (also scenario.json, scenario.csv)",
        ),
        (
            "demand.csv",
            "the day's orders per conciergerie: edit it and plan again with --demand",
        ),
        (
            "sites/",
            "sites.csv, assignment.csv, sites.geojson, summary.txt",
        ),
    ] {
        writeln!(text, "  {file:<22} {what}")?;
    }
    writeln!(text, "{}", osm::write::ODBL_ATTRIBUTION)?;
    finish(&out, &text, started)?;
    Ok(outcome(&p))
}

/// Households, demand, rounds and the warning when work is left: the head of both summaries.
fn headline(text: &mut String, p: &Planned, scen: &compare::Scenarios) -> Result<()> {
    let g = &p.grouping;
    writeln!(
        text,
        "  {} households ({} foyers) in {} conciergeries; depot: {}",
        g.households.len(),
        g.pb.total_demand(),
        g.pb.p,
        p.depot.name.trim_start_matches("Depot: ")
    )?;
    let d = &p.day.demand;
    let fresh: Vec<&(usize, i64)> = d.iter().flat_map(|x| &x.fresh).collect();
    writeln!(
        text,
        "  demand of the day ({}): {} parcels ({} L), {} L of pooled purchases, {} L of bread, {} L of fresh products from {} producer(s)",
        p.day.demand_source,
        d.iter().map(|x| x.parcels).sum::<u32>(),
        d.iter().map(|x| x.parcel_litres).sum::<i64>(),
        d.iter().map(|x| x.purchases_litres).sum::<i64>(),
        d.iter().map(|x| x.bread_litres).sum::<i64>(),
        fresh.iter().map(|f| f.1).sum::<i64>(),
        fresh.iter().map(|f| f.0).collect::<std::collections::BTreeSet<_>>().len()
    )?;
    let c = &scen.main.travel;
    writeln!(
        text,
        "  rounds: {} van(s) of {} L ({}), {:.1} km, {:.1} h, {} stops; {} job(s) not served",
        c.vans,
        p.cfg.fleet.capacity_litres,
        match p.cfg.fleet.vans {
            Vans::Auto => "as many as needed".to_string(),
            Vans::Count(n) => format!("{n} available"),
        },
        c.van_km,
        c.driver_hours,
        c.van_stops,
        c.unserved
    )?;
    if let Some(w) = p.day.warning() {
        writeln!(text, "  WARNING: {w}")?;
    }
    Ok(())
}

/// Writes the summary, prints it, then the timing and memory (on screen only: the files stay
/// byte-identical from run to run).
fn finish(out: &std::path::Path, text: &str, started: std::time::Instant) -> Result<()> {
    write_file(&out.join("summary.txt"), text.as_bytes())?;
    println!("{text}");
    println!(
        "done in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        peak_memory_bytes().map_or(String::new(), |b| format!(
            ", peak memory {} MB",
            b / 1_000_000
        ))
    );
    Ok(())
}

/// Partial when work was left unserved or households unreachable.
fn outcome(p: &Planned) -> Outcome {
    if p.day.solution.unassigned.is_empty() && p.grouping.unreachable == 0 {
        Outcome::Done
    } else {
        Outcome::Partial
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
