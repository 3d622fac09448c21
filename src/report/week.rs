//! A planned week's files: `week.html` (the planner's week view: each day's vans, hours,
//! kilometres, reloads and sites, against the day-by-day baseline, and which site on which
//! day), `week.csv` (each site's passages and days), `days.csv` (each day's totals, week and
//! baseline), `week.json`, `unserved.csv` (what the week cannot deliver, with the reason), a
//! route sheet per van and day (`days/<date>/van-N.*`, as a plan's) and `summary.txt`. The
//! page also shows the lockers' boxes taken each day, the producers' days and the year's
//! figures from the week (against today and against the day's plan's typical day).

use crate::io::files::{create_dir, csv_bytes, write_file, WriteError, ODBL_ATTRIBUTION};
use crate::model::Lang;
use crate::plan::scenario::Figures;
use crate::plan::week::{describe, lockers, patterns, Totals, Week};
use crate::plan::Territory;
use crate::report::plan::sheets;
use crate::report::text::escape;
use serde_json::json;
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

/// Days of the week, from Monday.
const DAYS: [[&str; 2]; 7] = [
    ["Mon", "lun."],
    ["Tue", "mar."],
    ["Wed", "mer."],
    ["Thu", "jeu."],
    ["Fri", "ven."],
    ["Sat", "sam."],
    ["Sun", "dim."],
];

/// The name of weekday `wd` (0 = Monday) in `lang`.
fn day_name(wd: u8, lang: Lang) -> &'static str {
    DAYS[wd as usize % 7][usize::from(lang == Lang::Fr)]
}

/// The days of pattern `p` named in English (`mon,wed,fri`), as the sites file takes them.
fn pattern_days(w: &Week, p: patterns::Pattern) -> String {
    patterns::days(p)
        .filter(|&d| d < w.days.len())
        .map(|d| crate::plan::week::weekday_name(w.days[d].date.weekday()))
        .collect::<Vec<_>>()
        .join(",")
}

/// `after` below `before`, percent (positive: lower).
fn lower(before: f64, after: f64) -> f64 {
    if before > 0.0 {
        100.0 * (before - after) / before
    } else {
        0.0
    }
}

/// Writes every file of `w` into `dir` and returns the summary (which names `shown` as the
/// folder).
pub fn write(w: &Week, t: &Territory, dir: &Path, shown: &Path) -> Result<String, WriteError> {
    create_dir(dir)?;
    let lang = w.plan.settings.lang;
    let roads: Arc<[Vec<[f64; 2]>]> = sheets::road_lines(t.car().graph()).into();
    let names: Arc<[crate::report::svg::PlaceName]> = sheets::place_names(t).into();
    // One copy of the day's plan, each day's date, orders and rounds in turn (the sheets read
    // them from a plan); the copy is then the base plan again for the scenario report.
    let mut plan = w.plan.clone();
    let mut sheet_counts = Vec::new();
    for day in &w.days {
        plan.date = day.date;
        plan.demand = day.demand.clone();
        plan.rounds = day.rounds.clone();
        let day_dir = dir.join("days").join(day.date.to_string());
        let route_sheets = sheets::write_route_sheets(&plan, t, &day_dir, &roads, &names)?;
        sheet_counts.push(route_sheets.len());
    }
    write_file(&dir.join("week.csv"), &sites_csv(w))?;
    write_file(&dir.join("unserved.csv"), &unserved_csv(w))?;
    write_file(&dir.join("days.csv"), &days_csv(w))?;
    write_file(
        &dir.join("week.json"),
        &serde_json::to_vec_pretty(&week_json(w)).expect("JSON values serialise"),
    )?;
    write_file(
        &dir.join("week.html"),
        html(w, &t.name, lang, &sheet_counts).as_bytes(),
    )?;
    // The scenario report (who pays, per year) from the week's mean day.
    plan.date = w.plan.date;
    plan.demand = w.plan.demand.clone();
    plan.rounds = w.plan.rounds.clone();
    plan.scenarios = crate::plan::Scenarios {
            main: w.year.clone(),
            other_van: w.year_other_van.clone(),
            remarks: w
                .plan
                .scenarios
                .remarks
                .iter()
                .cloned()
                .chain(std::iter::once(
                    "the conciergeries' figures are the week's mean day (each site on its passage days); the sensitivity to site size is measured on a typical day with every site served".to_string(),
                ))
                .collect(),
        ..w.plan.scenarios.clone()
    };
    crate::report::plan::scenario::write_for(dir, t, &plan, w.days.last().map(|d| d.date))?;
    let text = summary(w, &t.name, shown);
    write_file(&dir.join("summary.txt"), text.as_bytes())?;
    Ok(text)
}

/// What the week cannot deliver: day, site, what, why.
fn unserved_csv(w: &Week) -> Vec<u8> {
    let stops = &w.plan.stops;
    let rows = w.unserved.iter().map(|u| {
        vec![
            w.days[u.day].date.to_string(),
            stops.site_keys[u.site].0.clone(),
            stops.site_keys[u.site].1.clone(),
            u.what.parcels.to_string(),
            litres(&u.what).to_string(),
            describe(&u.what, w.plan.settings.lang),
            u.reason.clone(),
        ]
    });
    csv_bytes(
        &[
            "date", "site_id", "site", "parcels", "litres", "what", "reason",
        ],
        rows,
    )
}

/// Litres of everything in `d`.
fn litres(d: &crate::plan::demand::SiteDemand) -> i64 {
    d.parcel_litres
        + d.purchases_litres
        + d.bread_litres
        + d.fresh_via_depot.unwrap_or(0)
        + d.fresh.iter().map(|f| f.1).sum::<i64>()
}

/// A locker's boxes as `S3 M2 L1`.
fn boxes_text(b: [u32; 3]) -> String {
    lockers::SIZES
        .iter()
        .zip(b)
        .map(|(s, n)| format!("{s}{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each site's passages and days, and the baseline's days.
fn sites_csv(w: &Week) -> Vec<u8> {
    let boxes: std::collections::HashMap<usize, [u32; 3]> =
        w.lockers.iter().map(|l| (l.site, l.boxes)).collect();
    let stops = &w.plan.stops;
    let rows = (0..stops.sites()).map(|s| {
        vec![
            stops.site_keys[s].0.clone(),
            stops.site_keys[s].1.clone(),
            stops.foyers[s].to_string(),
            w.passages[s].to_string(),
            pattern_days(w, w.patterns[s]),
            pattern_days(w, w.baseline_patterns[s]),
            boxes.get(&s).map_or(String::new(), |&b| boxes_text(b)),
        ]
    });
    csv_bytes(
        &[
            "site_id",
            "site",
            "foyers",
            "passages_per_week",
            "days",
            "baseline_days",
            "locker_boxes",
        ],
        rows,
    )
}

fn totals_row(t: &Totals) -> Vec<String> {
    vec![
        t.vans.to_string(),
        t.reloads.to_string(),
        format!("{:.1}", t.km),
        format!("{:.2}", t.hours),
        format!("{:.2}", t.eur),
        t.unserved.to_string(),
    ]
}

/// Each day's totals, the week's and the baseline's.
fn days_csv(w: &Week) -> Vec<u8> {
    let mut rows = Vec::new();
    for (plan, totals) in [("week", &w.totals), ("baseline", &w.baseline)] {
        for (d, t) in w.days.iter().zip(totals.iter()) {
            let mut r = vec![plan.to_string(), d.date.to_string()];
            r.push(if plan == "week" {
                d.served.len().to_string()
            } else {
                String::new()
            });
            r.extend(totals_row(t));
            rows.push(r);
        }
    }
    csv_bytes(
        &[
            "plan", "date", "sites", "vans", "reloads", "km", "hours", "eur", "unserved",
        ],
        rows,
    )
}

fn totals_json(t: &Totals) -> serde_json::Value {
    json!({"vans": t.vans, "reloads": t.reloads, "km": (t.km * 10.0).round() / 10.0,
           "hours": (t.hours * 100.0).round() / 100.0, "eur": (t.eur * 100.0).round() / 100.0,
           "unserved": t.unserved})
}

fn week_json(w: &Week) -> serde_json::Value {
    let days: Vec<_> = w
        .days
        .iter()
        .zip(&w.totals)
        .zip(&w.baseline)
        .map(|((d, t), b)| {
            json!({"date": d.date.to_string(), "sites": d.served.len(),
                   "week": totals_json(t), "baseline": totals_json(b)})
        })
        .collect();
    let (a, b) = (Totals::sum(&w.totals), Totals::sum(&w.baseline));
    json!({
        "attribution": ODBL_ATTRIBUTION,
        "seed": w.plan.settings.seed,
        "days": days,
        "week": totals_json(&a),
        "baseline": totals_json(&b),
        "lower_percent": {"km": lower(b.km, a.km), "hours": lower(b.hours, a.hours),
                          "eur": lower(b.eur, a.eur)},
        "kept_baseline": w.kept_baseline,
        "year": {
            "days_per_year": w.year.days_per_year,
            "today": year_json(&w.plan.scenarios.baseline),
            "conciergeries_from_the_week": year_json(&w.year),
            "conciergeries_from_a_typical_day": year_json(&w.plan.scenarios.main),
        },
        "lockers": w.lockers.iter().map(|l| json!({
            "site_id": w.plan.stops.site_keys[l.site].0, "boxes": l.boxes,
            "taken_per_day": l.taken, "placed_per_day": l.placed, "waiting_per_day": l.waiting,
            "diverted_per_day": l.diverted, "unserved_per_day": l.unserved, "steady": l.steady,
        })).collect::<Vec<_>>(),
        "unserved": w.unserved.iter().map(|u| json!({
            "date": w.days[u.day].date.to_string(), "site_id": w.plan.stops.site_keys[u.site].0,
            "what": describe(&u.what, w.plan.settings.lang), "reason": u.reason,
        })).collect::<Vec<_>>(),
        "notes": w.notes,
    })
}

/// A scenario's figures for a year.
fn year_json(f: &Figures) -> serde_json::Value {
    json!({
        "vehicle_km_year": (f.vehicle_km_day * f.days_per_year).round(),
        "van_km_year": (f.travel.van_km * f.days_per_year).round(),
        "co2_t_year": (f.co2_kg_day() * f.days_per_year / 10.0).round() / 100.0,
        "eur_year": (f.eur_day() * f.days_per_year).round(),
        "driver_hours_year": (f.travel.driver_hours * f.days_per_year).round(),
    })
}

/// The summary printed and written.
fn summary(w: &Week, stem: &str, shown: &Path) -> String {
    let mut s = String::new();
    let first = w
        .days
        .first()
        .map(|d| d.date.to_string())
        .unwrap_or_default();
    let last = w
        .days
        .last()
        .map(|d| d.date.to_string())
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "Week plan for {stem}, {first} to {last}, {} days (seed {})",
        w.days.len(),
        w.plan.settings.seed
    );
    let mut by_k = std::collections::BTreeMap::new();
    for &k in &w.passages {
        *by_k.entry(k).or_insert(0) += 1;
    }
    let ks: Vec<String> = by_k.iter().map(|(k, n)| format!("{n} with {k}")).collect();
    let _ = writeln!(
        s,
        "  {} conciergeries; passages a week: {}",
        w.passages.len(),
        ks.join(", ")
    );
    for (d, t) in w.days.iter().zip(&w.totals) {
        let _ = writeln!(
            s,
            "    {} {}: {} sites, {} van(s), {} reload(s), {:.1} km, {:.1} h, {:.0} EUR{}",
            day_name(d.date.weekday(), Lang::En),
            d.date,
            d.served.len(),
            t.vans,
            t.reloads,
            t.km,
            t.hours,
            t.eur,
            if t.unserved > 0 {
                format!(", {} job(s) not served", t.unserved)
            } else {
                String::new()
            }
        );
    }
    let (a, b) = (Totals::sum(&w.totals), Totals::sum(&w.baseline));
    let most = w.totals.iter().map(|t| t.vans).max().unwrap_or(0);
    let _ = writeln!(
        s,
        "  week: {most} van(s) at most in a day, {:.1} km, {:.1} h, {:.0} EUR",
        a.km, a.hours, a.eur
    );
    let _ = writeln!(
        s,
        "  day-by-day baseline (the same passages, each site's days set on its own): {:.1} km, {:.1} h, {:.0} EUR; the week is {:.1} % lower in km, {:.1} % in hours, {:.1} % in cost",
        b.km,
        b.hours,
        b.eur,
        lower(b.km, a.km),
        lower(b.hours, a.hours),
        lower(b.eur, a.eur)
    );
    let (today, typical, week) = (&w.plan.scenarios.baseline, &w.plan.scenarios.main, &w.year);
    let per_year = |f: &Figures| {
        format!(
            "{:.0} vehicle-km, {:.1} t CO2e, {:.0} EUR",
            f.vehicle_km_day * f.days_per_year,
            f.co2_kg_day() * f.days_per_year / 1000.0,
            f.eur_day() * f.days_per_year
        )
    };
    let _ = writeln!(
        s,
        "  a year ({:.0} days) from the week's mean day: {}; today: {}; from one typical day: {}",
        week.days_per_year,
        per_year(week),
        per_year(today),
        per_year(typical)
    );
    if !w.lockers.is_empty() {
        let most = |l: &lockers::LockerWeek| {
            l.taken
                .iter()
                .map(|t| t.iter().sum::<u32>())
                .max()
                .unwrap_or(0)
        };
        let full = w
            .lockers
            .iter()
            .filter(|l| most(l) == l.boxes.iter().sum::<u32>())
            .count();
        let _ = writeln!(
            s,
            "  {} locker(s); {full} full on some day; {} item(s) a week wait for the next passage, {} go to a staffed site",
            w.lockers.len(),
            w.lockers.iter().flat_map(|l| &l.waiting).sum::<u32>(),
            w.lockers.iter().flat_map(|l| &l.diverted).sum::<u32>()
        );
    }
    if !w.unserved.is_empty() {
        let _ = writeln!(
            s,
            "  {} delivery(ies) cannot be made: listed in unserved.csv with the reason",
            w.unserved.len()
        );
    }
    if !w.notes.is_empty() {
        let _ = writeln!(s, "\nNotes:");
        for n in &w.notes {
            let _ = writeln!(s, "{n}");
        }
    }
    let _ = writeln!(s, "\nOutputs in {}/:", shown.display());
    for (f, what) in [
        (
            "week.html",
            "the week at a glance: each day's vans, hours, km, and which site on which day",
        ),
        (
            "days/DATE/van-N.html",
            "route sheet per van and day, to print (also .csv, .gpx, .geojson)",
        ),
        (
            "week.csv",
            "each site's passages and days (the days go back into sites.csv for `plan --sites`)",
        ),
        (
            "days.csv, week.json",
            "each day's totals, the week's and the baseline's",
        ),
        ("unserved.csv", "what cannot be delivered, with the reason"),
    ] {
        let _ = writeln!(s, "  {f:<22} {what}");
    }
    let _ = writeln!(s, "{ODBL_ATTRIBUTION}");
    s
}

/// Sites listed site by site on the page at most (beyond: `week.csv`).
const SITES_ON_PAGE: usize = 2_000;

/// The week view.
fn html(w: &Week, stem: &str, lang: Lang, sheet_counts: &[usize]) -> String {
    let fr = lang == Lang::Fr;
    let t = |en: &'static str, fr_: &'static str| if fr { fr_ } else { en };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>\n\
         body {{ font-family: system-ui, sans-serif; margin: 24px; color: #222; }}\n\
         table {{ border-collapse: collapse; margin: 8px 0 20px; }}\n\
         th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: right; }}\n\
         th:first-child, td:first-child {{ text-align: left; }}\n\
         td.on {{ background: #1f77b4; color: white; text-align: center; }}\n\
         td.off {{ background: #f4f4f4; }}\n\
         td.full {{ background: #d62728; color: white; }}\n\
         .lower {{ color: #2ca02c; font-weight: bold; }}\n\
         .note {{ color: #8a5a00; }}\n\
         footer {{ font-size: 12px; color: #666; margin-top: 24px; }}\n\
         </style>\n</head>\n<body>\n",
        if fr { "fr" } else { "en" },
        t("Week plan", "Plan de la semaine"),
        escape(stem)
    );
    let _ = writeln!(
        h,
        "<h1>{} — {}</h1>",
        t("Week plan", "Plan de la semaine"),
        escape(stem)
    );
    let (a, b) = (Totals::sum(&w.totals), Totals::sum(&w.baseline));
    let _ = writeln!(
        h,
        "<p>{} <span class=\"lower\">{:.1} %</span> {} ({:.0} → {:.0} km), {:.1} % {} ({:.1} → {:.1} h), {:.1} % {} ({:.0} → {:.0} €).</p>",
        t(
            "Choosing every site's days together drives",
            "Choisir ensemble les jours de tous les sites fait rouler"
        ),
        lower(b.km, a.km),
        t("fewer kilometres than planning each day on its own", "de kilomètres en moins que de planifier chaque jour isolément"),
        b.km,
        a.km,
        lower(b.hours, a.hours),
        t("fewer hours", "d'heures en moins"),
        b.hours,
        a.hours,
        lower(b.eur, a.eur),
        t("lower cost", "de coût en moins"),
        b.eur,
        a.eur
    );
    // The days.
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"days\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>km</th><th>{}</th><th>€</th><th>{}</th><th>{}</th></tr>",
        t("Days", "Jours"),
        t("Day", "Jour"),
        t("Sites served", "Sites servis"),
        t("Vans", "Camionnettes"),
        t("Reloads", "Rechargements"),
        t("Hours", "Heures"),
        t("Route sheets", "Feuilles de route"),
        t("Day by day: km", "Jour par jour : km")
    );
    for (k, ((d, x), y)) in w.days.iter().zip(&w.totals).zip(&w.baseline).enumerate() {
        let links: Vec<String> = (1..=sheet_counts.get(k).copied().unwrap_or(0))
            .map(|v| format!("<a href=\"days/{}/van-{v}.html\">{v}</a>", d.date))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.0}</td><td>{}</td><td>{:.1}</td></tr>",
            day_name(d.date.weekday(), lang),
            d.date,
            d.served.len(),
            x.vans,
            x.reloads,
            x.km,
            x.hours,
            x.eur,
            links.join(" "),
            y.km
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{:.1}</th><th>{:.1}</th><th>{:.0}</th><th></th><th>{:.1}</th></tr>\n</table>",
        t("Week", "Semaine"),
        w.days.iter().map(|d| d.served.len()).sum::<usize>(),
        w.totals.iter().map(|t| t.vans).max().unwrap_or(0),
        a.reloads,
        a.km,
        a.hours,
        a.eur,
        b.km
    );
    let _ = writeln!(
        h,
        "<p>{}</p>",
        t(
            "Vans: the most used on one day is the fleet the week needs. Day by day: the same passages per site, each site's days set on its own (the allowed days dealt in turn).",
            "Camionnettes : le plus grand nombre utilisé un jour est la flotte que demande la semaine. Jour par jour : les mêmes passages par site, les jours de chaque site fixés isolément (les jours permis distribués à tour de rôle)."
        )
    );
    if !w.notes.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>\n<ul>", t("Notes", "Remarques"));
        for n in &w.notes {
            let _ = writeln!(h, "<li class=\"note\">{}</li>", escape(n));
        }
        let _ = writeln!(h, "</ul>");
    }
    year_html(&mut h, w, fr);
    lockers_html(&mut h, w, lang);
    producers_html(&mut h, w, lang);
    unserved_html(&mut h, w, fr);
    // Which site on which day.
    let stops = &w.plan.stops;
    let _ = writeln!(
        h,
        "<h2>{}</h2>",
        t("Which site on which day", "Quel site quel jour")
    );
    if stops.sites() > SITES_ON_PAGE {
        let _ = writeln!(
            h,
            "<p>{} <a href=\"week.csv\">week.csv</a>.</p>",
            t(
                "Too many sites to list here: each site's days are in",
                "Trop de sites pour les lister ici : les jours de chaque site sont dans"
            )
        );
    } else {
        let _ = write!(
            h,
            "<table id=\"grid\">\n<tr><th>{}</th><th>{}</th>",
            t("Site", "Site"),
            t("Passages", "Passages")
        );
        for d in &w.days {
            let _ = write!(h, "<th>{}</th>", day_name(d.date.weekday(), lang));
        }
        let _ = writeln!(h, "</tr>");
        for s in 0..stops.sites() {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td>",
                escape(&stops.site_keys[s].1),
                w.passages[s]
            );
            for d in 0..w.days.len() {
                let on = w.patterns[s] & (1 << d) != 0;
                let _ = write!(
                    h,
                    "<td class=\"{}\">{}</td>",
                    if on { "on" } else { "off" },
                    if on { "●" } else { "" }
                );
            }
            let _ = writeln!(h, "</tr>");
        }
        let _ = writeln!(h, "</table>");
    }
    let _ = writeln!(
        h,
        "<footer>{} · {} {}</footer>\n</body>\n</html>",
        escape(ODBL_ATTRIBUTION),
        t("seed", "graine"),
        w.plan.settings.seed
    );
    h
}

/// Unserved work listed on the page at most (all of it in `unserved.csv`).
const UNSERVED_ON_PAGE: usize = 200;

/// The year: today, the conciergeries from the week, and from one typical day.
fn year_html(h: &mut String, w: &Week, fr: bool) {
    let t = |en: &'static str, fr_: &'static str| if fr { fr_ } else { en };
    let _ = writeln!(
        h,
        "<h2>{} ({:.0} {})</h2>\n<table id=\"year\">\n<tr><th></th><th>{}</th><th>{}</th><th>t CO2e</th><th>€</th><th>{}</th></tr>",
        t("Per year", "Par an"),
        w.year.days_per_year,
        t("days", "jours"),
        t("Vehicle-km", "Km parcourus (tous véhicules)"),
        t("Van km", "Km de camionnette"),
        t("Driver hours", "Heures de chauffeur")
    );
    for (name, f) in [
        (t("Today", "Aujourd'hui"), &w.plan.scenarios.baseline),
        (
            t(
                "Conciergeries, from this week",
                "Conciergeries, d'après cette semaine",
            ),
            &w.year,
        ),
        (
            t(
                "Conciergeries, from one typical day",
                "Conciergeries, d'après un jour type",
            ),
            &w.plan.scenarios.main,
        ),
    ] {
        let y = f.days_per_year;
        let _ = writeln!(
            h,
            "<tr><td>{name}</td><td>{:.0}</td><td>{:.0}</td><td>{:.1}</td><td>{:.0}</td><td>{:.0}</td></tr>",
            f.vehicle_km_day * y,
            f.travel.van_km * y,
            f.co2_kg_day() * y / 1000.0,
            f.eur_day() * y,
            f.travel.driver_hours * y
        );
    }
    let _ = writeln!(
        h,
        "</table>\n<p>{}</p>",
        t(
            "The week's mean day times the days of a year, priced as the daily plan prices its typical day; households' trips as in the daily plan.",
            "Le jour moyen de la semaine multiplié par les jours d'une année, chiffré comme le plan du jour chiffre son jour type ; déplacements des foyers comme dans le plan du jour."
        )
    );
}

/// The lockers' boxes taken each day.
fn lockers_html(h: &mut String, w: &Week, lang: Lang) {
    if w.lockers.is_empty() {
        return;
    }
    let fr = lang == Lang::Fr;
    let t = |en: &'static str, fr_: &'static str| if fr { fr_ } else { en };
    let stops = &w.plan.stops;
    let _ = write!(
        h,
        "<h2>{}</h2>\n<p>{}</p>\n<table id=\"lockers\">\n<tr><th>{}</th><th>{}</th>",
        t("Lockers", "Consignes"),
        t(
            "Boxes taken at the end of each day, out of all boxes (S, M, L). Waiting: items with no free box, brought at the next passage; sent: items taken to the nearest staffed site.",
            "Casiers occupés à la fin de chaque jour, sur le total (S, M, L). En attente : colis sans casier libre, apportés au passage suivant ; déviés : colis portés au site tenu le plus proche."
        ),
        t("Locker", "Consigne"),
        t("Boxes", "Casiers")
    );
    for d in &w.days {
        let _ = write!(h, "<th>{}</th>", day_name(d.date.weekday(), lang));
    }
    let _ = writeln!(
        h,
        "<th>{}</th><th>{}</th><th>{}</th></tr>",
        t("Waiting", "En attente"),
        t("Sent", "Déviés"),
        t("Unserved", "Non livrés")
    );
    for l in w.lockers.iter().take(SITES_ON_PAGE) {
        let total: u32 = l.boxes.iter().sum();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td>",
            escape(&stops.site_keys[l.site].1),
            boxes_text(l.boxes)
        );
        for taken in &l.taken {
            let n: u32 = taken.iter().sum();
            let _ = write!(
                h,
                "<td class=\"{}\" title=\"{}\">{n}/{total}</td>",
                if n >= total { "full" } else { "box" },
                boxes_text(*taken)
            );
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td>{}</td><td>{}</td></tr>",
            l.waiting.iter().sum::<u32>(),
            l.diverted.iter().sum::<u32>(),
            l.unserved.iter().sum::<u32>()
        );
    }
    let _ = writeln!(h, "</table>");
    if w.lockers.len() > SITES_ON_PAGE {
        let _ = writeln!(
            h,
            "<p>{} <a href=\"week.json\">week.json</a>.</p>",
            t("Every locker is in", "Toutes les consignes sont dans")
        );
    }
}

/// The producers whose days are not every day.
fn producers_html(h: &mut String, w: &Week, lang: Lang) {
    let fr = lang == Lang::Fr;
    let t = |en: &'static str, fr_: &'static str| if fr { fr_ } else { en };
    let all = ((1u16 << w.days.len()) - 1) as u8;
    let listed: Vec<usize> = (0..w.supply.len())
        .filter(|&p| w.supply[p].on != all || w.supply[p].lead > 0)
        .collect();
    if listed.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"producers\">\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("Producers' days", "Jours des producteurs"),
        t("Producer", "Producteur"),
        t("Hands over on", "Remet les commandes le"),
        t("Days' notice", "Délai (jours)")
    );
    for p in listed.into_iter().take(SITES_ON_PAGE) {
        let days: Vec<&str> = patterns::days(w.supply[p].on)
            .filter(|&d| d < w.days.len())
            .map(|d| day_name(w.days[d].date.weekday(), lang))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&w.plan.stops.producer(p).name),
            days.join(" "),
            w.supply[p].lead
        );
    }
    let _ = writeln!(h, "</table>");
}

/// What the week cannot deliver.
fn unserved_html(h: &mut String, w: &Week, fr: bool) {
    if w.unserved.is_empty() {
        return;
    }
    let t = |en: &'static str, fr_: &'static str| if fr { fr_ } else { en };
    let _ = writeln!(
        h,
        "<h2>{} ({})</h2>\n<table id=\"unserved\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("Not delivered", "Non livré"),
        w.unserved.len(),
        t("Day", "Jour"),
        t("Site", "Site"),
        t("What", "Quoi"),
        t("Why, and what to change", "Pourquoi, et que changer")
    );
    for u in w.unserved.iter().take(UNSERVED_ON_PAGE) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
            w.days[u.day].date,
            escape(&w.plan.stops.site_keys[u.site].1),
            escape(&describe(&u.what, w.plan.settings.lang)),
            escape(&u.reason)
        );
    }
    let _ = writeln!(
        h,
        "</table>\n<p>{} <a href=\"unserved.csv\">unserved.csv</a>.</p>",
        t(
            "All of it, with the reasons:",
            "La liste complète, avec les raisons :"
        )
    );
}
