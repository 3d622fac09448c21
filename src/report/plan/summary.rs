//! The plan's summary (`summary.txt`, also printed at the end of a run).

use crate::io::files::ODBL_ATTRIBUTION;
use crate::plan::scenario::Scenarios;
use crate::plan::settings::Vans;
use crate::plan::{Plan, Territory};
use crate::report::sheet::{hhmm, RouteSheet};
use std::fmt::Write as _;
use std::path::Path;

/// The outputs of a plan, with what each is for.
const OUTPUTS: [(&str, &str); 7] = [
    (
        "map.html",
        "interactive map (works offline): sites, catchments, households, rounds, search",
    ),
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
        "sites.csv (edit, plan again with --sites), assignment.csv, sites.geojson, summary.txt",
    ),
];

/// The summary of a whole plan written to `out`; `sites_text` is the grouping's summary.
pub fn plan(
    plan: &Plan,
    t: &Territory,
    sheets: &[RouteSheet],
    sites_text: &str,
    out: &Path,
) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Daily plan for {}, {} (seed {})",
        t.name, plan.date, plan.settings.seed
    );
    headline(&mut text, plan);
    for (k, s) in sheets.iter().enumerate() {
        let _ = writeln!(
            text,
            "    van {}: {}-{}, {:.1} km, {} stops, peak load {} of {} L",
            k + 1,
            hhmm(s.stops.first().map_or(0, |x| x.departure)),
            hhmm(s.stops.last().map_or(0, |x| x.arrival)),
            s.km,
            s.stops.len().saturating_sub(2),
            s.peak_load_l,
            s.capacity_l
        );
    }
    per_day_line(&mut text, &plan.scenarios);
    notes(&mut text, plan);
    let _ = writeln!(text, "\nSites:");
    for l in sites_text
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
    {
        let _ = writeln!(text, "{l}");
    }
    let _ = writeln!(text, "\nOutputs in {}/:", out.display());
    for (file, what) in OUTPUTS {
        let _ = writeln!(text, "  {file:<22} {what}");
    }
    let _ = writeln!(text, "{ODBL_ATTRIBUTION}");
    text
}

/// The summary of the scenario report alone (`tournee compare`) written to `out`.
pub fn compare(plan: &Plan, t: &Territory, out: &Path) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Scenarios for {}, {} (seed {})",
        t.name, plan.date, plan.settings.seed
    );
    headline(&mut text, plan);
    let s = &plan.scenarios;
    per_day_line(&mut text, s);
    let _ = writeln!(
        text,
        "  per year ({} days):",
        plan.settings.factors.days_per_year
    );
    for f in s.all() {
        let _ = writeln!(
            text,
            "    {:<34} {:>9.0} vehicle-km {:>7.1} tCO2e {:>9.0} EUR",
            f.name,
            f.vehicle_km_day * f.days_per_year,
            f.co2_kg_day() * f.days_per_year / 1000.0,
            f.eur_day() * f.days_per_year
        );
    }
    notes(&mut text, plan);
    let _ = writeln!(
        text,
        "\nOutputs in {}/: scenario.html (charts), scenario.json, scenario.csv",
        out.display()
    );
    let _ = writeln!(text, "{ODBL_ATTRIBUTION}");
    text
}

fn notes(text: &mut String, plan: &Plan) {
    if !plan.notes.is_empty() {
        let _ = writeln!(text, "\nNotes:");
        for n in &plan.notes {
            let _ = writeln!(text, "{n}");
        }
    }
}

/// Households, demand, rounds and the warning when work is left: the head of both summaries.
fn headline(text: &mut String, plan: &Plan) {
    let g = &plan.grouping;
    let _ = writeln!(
        text,
        "  {} households ({} foyers) in {} conciergeries; {}: {}",
        g.households.len(),
        g.pb.total_demand(),
        g.pb.p,
        if plan.depots.len() == 1 {
            "depot"
        } else {
            "depots"
        },
        plan.depots
            .iter()
            .map(|d| d.name.trim_start_matches("Depot: "))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let d = &plan.demand.per_site;
    let fresh: Vec<&(usize, i64)> = d.iter().flat_map(|x| &x.fresh).collect();
    let _ = writeln!(
        text,
        "  demand of the day ({}): {} parcels ({} L), {} L of pooled purchases, {} L of bread, {} L of fresh products from {} producer(s)",
        plan.demand.source,
        d.iter().map(|x| x.parcels).sum::<u32>(),
        d.iter().map(|x| x.parcel_litres).sum::<i64>(),
        d.iter().map(|x| x.purchases_litres).sum::<i64>(),
        d.iter().map(|x| x.bread_litres).sum::<i64>(),
        fresh.iter().map(|f| f.1).sum::<i64>(),
        fresh.iter().map(|f| f.0).collect::<std::collections::BTreeSet<_>>().len()
    );
    let c = &plan.scenarios.main.travel;
    let fleet = &plan.settings.fleet;
    let reloads: usize = plan
        .rounds
        .routes()
        .map(|(_, r)| r.steps.iter().filter(|s| s.reload).count())
        .sum();
    let _ = writeln!(
        text,
        "  rounds: {} van(s) of {} L ({}), {} trip(s), {:.1} km, {:.1} h worked ({:.1} h paid: a driver's day per van), {} stops; {} job(s) not served",
        c.vans,
        fleet.capacity_litres,
        match fleet.vans {
            Vans::Auto => "as many as needed".to_string(),
            Vans::Count(n) => format!("{n} available"),
        },
        c.vans + reloads,
        c.van_km,
        c.driver_hours,
        c.paid_hours,
        c.van_stops,
        c.unserved
    );
    if let Some(b) = &plan.bread {
        let _ = writeln!(text, "  {}", bread_line(b));
    }
    if let Some(w) = plan.rounds.warning() {
        let _ = writeln!(text, "  WARNING: {w}");
    }
}

/// What bread's early time costs, and how the sites get it.
pub fn bread_line(b: &crate::plan::rounds::BreadChoice) -> String {
    let (p, o) = (&b.planned, &b.with_the_rest);
    let extra_vans = p.vans as i64 - o.vans as i64;
    let extra_eur = p.eur - o.eur;
    let cost = if extra_eur > 0.5 {
        format!(
            "bread by {} costs {} van(s) and {:.0} EUR a day more than bread with the rest of the orders ({} van(s), {:.0} EUR a day: set hours.bread_by to the sites' closing time to choose it)",
            b.by,
            extra_vans.max(0),
            extra_eur,
            o.vans,
            o.eur
        )
    } else {
        format!(
            "bread by {} costs nothing more than bread with the rest of the orders ({} van(s), {:.0} EUR a day)",
            b.by, o.vans, o.eur
        )
    };
    let v = &b.visits;
    format!(
        "bread: {} van(s), {:.0} EUR a day (vans, drivers' days, km); {cost}; {} site(s) get their bread with their other orders, {} at an early stop of its own (their other orders come later, which costs less than bringing everything by {}){}",
        p.vans,
        p.eur,
        v.with_the_rest,
        v.on_its_own,
        b.by,
        if v.bread_only > 0 {
            format!(", {} receive only bread", v.bread_only)
        } else {
            String::new()
        }
    )
}

/// Today against conciergeries, per day: the line both summaries print.
fn per_day_line(text: &mut String, s: &Scenarios) {
    let (b, c) = (&s.baseline, &s.main);
    let _ = writeln!(
        text,
        "  per day, today -> with conciergeries: {:.0} -> {:.0} vehicle-km, {:.1} -> {:.1} drivers' paid hours, {:.0} -> {:.0} kgCO2e, {:.0} -> {:.0} EUR, {:.0} car trips avoided",
        b.vehicle_km_day, c.vehicle_km_day, b.travel.paid_hours, c.travel.paid_hours,
        b.co2_kg_day(), c.co2_kg_day(), b.eur_day(), c.eur_day(),
        b.travel.car_trips - c.travel.car_trips
    );
}
