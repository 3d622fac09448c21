//! A planned week's files: `week.html` (the planner's week view: each day's vans, hours,
//! kilometres, reloads and sites, against the day-by-day baseline, and which site on which
//! day), `week.csv` (each site's passages and days), `days.csv` (each day's totals, week and
//! baseline), `week.json`, a route sheet per van and day (`days/<date>/van-N.*`, as a plan's)
//! and `summary.txt`.

use crate::io::files::{create_dir, csv_bytes, write_file, WriteError, ODBL_ATTRIBUTION};
use crate::model::Lang;
use crate::plan::week::{patterns, Totals, Week};
use crate::plan::{Plan, Territory};
use crate::report::plan::sheets;
use crate::report::sheet;
use crate::report::text::escape;
use rayon::prelude::*;
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
        .map(|d| DAYS[w.days[d].date.weekday() as usize][0].to_ascii_lowercase())
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
    let mut sheet_counts = Vec::new();
    for day in &w.days {
        let day_dir = dir.join("days").join(day.date.to_string());
        create_dir(&day_dir)?;
        let plan = Plan {
            date: day.date,
            demand: day.demand.clone(),
            rounds: day.rounds.clone(),
            ..w.plan.clone()
        };
        let routes: Vec<_> = plan.rounds.routes().collect();
        let mut route_sheets: Vec<sheet::RouteSheet> = routes
            .into_par_iter()
            .enumerate()
            .map(|(k, route)| sheets::route_sheet(&plan, t, k, route, &roads, &names))
            .collect();
        sheets::explain_second_visits(&mut route_sheets);
        route_sheets
            .par_iter()
            .enumerate()
            .map(|(k, s)| sheet::write(&day_dir, &format!("van-{}", k + 1), s).map(|_| ()))
            .collect::<Result<Vec<()>, WriteError>>()?;
        sheets::write_unassigned(&day_dir.join("unassigned.csv"), &plan.rounds)?;
        sheet_counts.push(route_sheets.len());
    }
    write_file(&dir.join("week.csv"), &sites_csv(w))?;
    write_file(&dir.join("days.csv"), &days_csv(w))?;
    write_file(
        &dir.join("week.json"),
        &serde_json::to_vec_pretty(&week_json(w)).expect("JSON values serialise"),
    )?;
    write_file(
        &dir.join("week.html"),
        html(w, &t.name, lang, &sheet_counts).as_bytes(),
    )?;
    let text = summary(w, &t.name, shown);
    write_file(&dir.join("summary.txt"), text.as_bytes())?;
    Ok(text)
}

/// Each site's passages and days, and the baseline's days.
fn sites_csv(w: &Week) -> Vec<u8> {
    let stops = &w.plan.stops;
    let rows = (0..stops.sites()).map(|s| {
        vec![
            stops.site_keys[s].0.clone(),
            stops.site_keys[s].1.clone(),
            stops.foyers[s].to_string(),
            w.passages[s].to_string(),
            pattern_days(w, w.patterns[s]),
            pattern_days(w, w.baseline_patterns[s]),
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
        "notes": w.notes,
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
        "<footer>{} · {}</footer>\n</body>\n</html>",
        escape(ODBL_ATTRIBUTION),
        t("seed", "graine")
    );
    h
}
