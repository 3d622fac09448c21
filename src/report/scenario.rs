//! The scenario report for local authorities: today against the conciergerie network, per day
//! and per year, with bar charts (inline SVG) and the scope of every emission factor printed.
//! Self-contained HTML, printable, no script.

use super::text::{escape, thousands};
use crate::io::files::ODBL_ATTRIBUTION;
use crate::plan::scenario::Figures;
use std::fmt::Write as _;

/// What the report shows.
#[derive(Clone, Debug)]
pub struct Input {
    /// Territory name.
    pub territory: String,
    /// Day planned.
    pub date: String,
    /// Households grouped.
    pub households: usize,
    /// Their foyers.
    pub foyers: i64,
    /// Conciergeries.
    pub conciergeries: usize,
    /// Today.
    pub baseline: Figures,
    /// With conciergeries.
    pub main: Figures,
    /// With conciergeries and the other van type.
    pub other_van: Figures,
    /// With conciergeries of other sizes (foyers per site, figures).
    pub sizes: Vec<(i64, Figures)>,
    /// Scope of the van factor.
    pub van_scope: String,
    /// Scope of the other van's factor.
    pub other_van_scope: String,
    /// Scope of the car factor.
    pub car_scope: String,
    /// Assumptions, one sentence each.
    pub notes: Vec<String>,
    /// What the reader must not miss (work left unserved), shown above the figures.
    pub warnings: Vec<String>,
}

/// A horizontal bar chart: one bar per `(label, value)`, values in `unit`.
fn bars(title: &str, unit: &str, rows: &[(String, f64)], decimals: usize) -> String {
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-9);
    let (w, label_w, row_h) = (640.0, 230.0, 26.0);
    let h = 30.0 + row_h * rows.len() as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<figure><svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"><text x="0" y="16" font-size="14" font-weight="bold">{t}</text>"#,
        t = escape(title)
    );
    let palette = [
        "#8c8c8c", "#1b7837", "#5aae61", "#2166ac", "#67a9cf", "#d6604d", "#f4a582",
    ];
    for (k, (label, v)) in rows.iter().enumerate() {
        let y = 28.0 + row_h * k as f64;
        let bw = ((w - label_w - 110.0) * v / max).max(0.0);
        let _ = write!(
            s,
            r#"<text x="0" y="{ty:.1}" font-size="12">{l}</text><rect x="{label_w}" y="{y:.1}" width="{bw:.1}" height="{bh}" fill="{c}"/><text x="{tx:.1}" y="{ty:.1}" font-size="12">{v} {u}</text>"#,
            ty = y + 14.0,
            l = escape(label),
            bh = row_h - 8.0,
            c = palette[k % palette.len()],
            tx = label_w + bw + 6.0,
            v = thousands(*v, decimals),
            u = escape(unit)
        );
    }
    s.push_str("</svg></figure>\n");
    s
}

/// The report as HTML.
pub fn html(i: &Input) -> String {
    let b = &i.baseline;
    let c = &i.main;
    let year = |x: f64, f: &Figures| x * f.days_per_year;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Conciergeries: what {t} gains — tournee</title>
<style>
body{{font-family:system-ui,sans-serif;font-size:11pt;max-width:190mm;margin:1em auto;color:#222}}
h1{{font-size:18pt;margin-bottom:0}} h2{{font-size:13pt;border-bottom:1px solid #999;margin-top:1.4em}}
table{{border-collapse:collapse;width:100%;margin:.5em 0}} th,td{{border:1px solid #bbb;padding:3px 6px;text-align:right}}
th:first-child,td:first-child{{text-align:left}} thead th{{background:#eee}}
.warn{{border:2px solid #b2182b;background:#fde0dd;padding:.4em .8em;font-weight:bold}}
.gain{{color:#1b7837;font-weight:bold}} .loss{{color:#b2182b;font-weight:bold}} .small{{font-size:9pt;color:#555}}
figure{{margin:.6em 0}} @page{{size:A4;margin:14mm}} @media print{{figure,table{{break-inside:avoid}}}}
</style></head><body>
<h1>Conciergeries in {t}: today and tomorrow</h1>
<p>{hh} households ({f} foyers) grouped into {n} conciergeries; figures for a typical day ({d}) and for a year of {days} days.</p>
"#,
        t = escape(&i.territory),
        hh = i.households,
        f = i.foyers,
        n = i.conciergeries,
        d = escape(&i.date),
        days = thousands(b.days_per_year, 0)
    );
    for w in &i.warnings {
        let _ = writeln!(s, r#"<p class="warn">Warning: {}</p>"#, escape(w));
    }
    // Headline table.
    let diff = |a: f64, z: f64, decimals: usize| {
        let d = z - a;
        let cls = if d < 0.0 { "gain" } else { "loss" };
        let pct = if a.abs() > 1e-9 {
            format!(" ({:+.0} %)", 100.0 * d / a)
        } else {
            String::new()
        };
        format!(
            r#"<td class="{cls}">{}{}{pct}</td>"#,
            if d < 0.0 { "" } else { "+" },
            thousands(d, decimals)
        )
    };
    let cars_avoided = b.travel.car_trips - c.travel.car_trips;
    let rows: Vec<(&str, f64, f64, usize)> = vec![
        (
            "Vehicle-km per day (vans + cars)",
            b.vehicle_km_day,
            c.vehicle_km_day,
            0,
        ),
        ("  of which van-km", b.travel.van_km, c.travel.van_km, 0),
        (
            "  of which private car-km",
            b.travel.car_km,
            c.travel.car_km,
            0,
        ),
        (
            "Van stops per day",
            b.travel.van_stops as f64,
            c.travel.van_stops as f64,
            0,
        ),
        (
            "Driver hours per day",
            b.travel.driver_hours,
            c.travel.driver_hours,
            1,
        ),
        (
            "Private car trips per day",
            b.travel.car_trips,
            c.travel.car_trips,
            0,
        ),
        ("kgCO2e per day", b.co2_kg_day(), c.co2_kg_day(), 0),
        ("Cost per day, EUR", b.eur_day(), c.eur_day(), 0),
        (
            "Vehicle-km per year",
            year(b.vehicle_km_day, b),
            year(c.vehicle_km_day, c),
            0,
        ),
        (
            "tCO2e per year",
            year(b.co2_kg_day(), b) / 1000.0,
            year(c.co2_kg_day(), c) / 1000.0,
            1,
        ),
        (
            "Cost per year, EUR",
            year(b.eur_day(), b),
            year(c.eur_day(), c),
            0,
        ),
        (
            "Cost per foyer per year, EUR",
            b.eur_per_foyer_year(i.foyers),
            c.eur_per_foyer_year(i.foyers),
            2,
        ),
    ];
    s.push_str("<h2>Today against the conciergerie network</h2>\n<table><thead><tr><th></th><th>Today</th><th>With conciergeries</th><th>Change</th></tr></thead><tbody>\n");
    for (label, a, z, d) in rows {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
            escape(label).replace("  ", "&nbsp;&nbsp;&nbsp;"),
            thousands(a, d),
            thousands(z, d),
            diff(a, z, d)
        );
    }
    let _ = writeln!(
        s,
        "</tbody></table>\n<p><b>{} private car trips avoided per day</b> ({} per year).</p>",
        thousands(cars_avoided, 0),
        thousands(year(cars_avoided, b), 0)
    );
    s.push_str(&bars(
        "Vehicle-km per day",
        "km",
        &[
            ("Today".into(), b.vehicle_km_day),
            ("With conciergeries".into(), c.vehicle_km_day),
        ],
        0,
    ));
    s.push_str(&bars(
        "kgCO2e per day",
        "kg",
        &[
            ("Today".into(), b.co2_kg_day()),
            ("With conciergeries".into(), c.co2_kg_day()),
        ],
        0,
    ));
    s.push_str(&bars(
        "Cost per day",
        "EUR",
        &[
            ("Today".into(), b.eur_day()),
            ("With conciergeries".into(), c.eur_day()),
        ],
        0,
    ));
    // Sensitivity.
    s.push_str("<h2>Sensitivity</h2>\n<table><thead><tr><th>Scenario</th><th>Vans</th><th>Van-km/day</th><th>Car-km/day</th><th>Driver h/day</th><th>kgCO2e/day</th><th>EUR/day</th><th>EUR/foyer/year</th></tr></thead><tbody>\n");
    let mut all: Vec<&Figures> = vec![b, c, &i.other_van];
    all.extend(i.sizes.iter().map(|x| &x.1).filter(|f| f.name != c.name));
    for f in &all {
        let _ = writeln!(
            s,
            "<tr><td>{} ({} vans)</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.name),
            f.van_type,
            f.travel.vans,
            thousands(f.travel.van_km, 0),
            thousands(f.travel.car_km, 0),
            thousands(f.travel.driver_hours, 1),
            thousands(f.co2_kg_day(), 0),
            thousands(f.eur_day(), 0),
            thousands(f.eur_per_foyer_year(i.foyers), 2)
        );
    }
    s.push_str("</tbody></table>\n");
    let size_rows: Vec<(String, f64)> = i
        .sizes
        .iter()
        .map(|(z, f)| (format!("{z} foyers per site"), f.co2_kg_day()))
        .collect();
    if !size_rows.is_empty() {
        s.push_str(&bars("kgCO2e per day by site size", "kg", &size_rows, 0));
    }
    s.push_str(&bars(
        "kgCO2e per day by van type (conciergeries)",
        "kg",
        &[
            (format!("{} vans", c.van_type), c.co2_kg_day()),
            (
                format!("{} vans", i.other_van.van_type),
                i.other_van.co2_kg_day(),
            ),
        ],
        0,
    ));
    let unserved = c.travel.unserved + b.travel.unserved;
    s.push_str("<h2>Method and scope</h2>\n<ul class=\"small\">\n");
    for n in i
        .notes
        .iter()
        .cloned()
        .chain([
            format!("Van factor: {}.", i.van_scope),
            format!("Other van factor: {}.", i.other_van_scope),
            format!("Car factor: {}.", i.car_scope),
            "Van-km and driver hours come from rounds solved on the road network; households' trips from road (shops) and walking (conciergeries) distances.".to_string(),
        ])
        .chain((unserved > 0).then(|| format!("{unserved} job(s) could not be served by the vans and are not priced: see routes/unassigned.csv.")))
    {
        let _ = writeln!(s, "<li>{}</li>", escape(&n));
    }
    let _ = write!(
        s,
        "</ul>\n<p class=\"small\">{}</p>\n</body></html>\n",
        escape(ODBL_ATTRIBUTION)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::scenario::Travel;
    use crate::plan::settings::{Factors, VanType};

    fn fig(name: &str, van_km: f64, car_km: f64) -> Figures {
        let t = Travel {
            vans: 1,
            van_km,
            driver_hours: 5.0,
            van_stops: 10,
            car_km,
            car_trips: car_km / 5.0,
            unserved: 0,
        };
        Figures::new(name, VanType::Diesel, t, &Factors::default())
    }

    #[test]
    fn report_has_the_figures_and_escapes() {
        let i = Input {
            territory: "Val <d'Aran> & co".into(),
            date: "2026-11-25".into(),
            households: 100,
            foyers: 120,
            conciergeries: 2,
            baseline: fig("today", 80.0, 1200.0),
            main: fig("conciergeries", 40.0, 100.0),
            other_van: fig("other", 40.0, 100.0),
            sizes: vec![(30, fig("30 foyers per site", 50.0, 60.0))],
            van_scope: "v".into(),
            other_van_scope: "o".into(),
            car_scope: "c".into(),
            notes: vec!["a note".into()],
            warnings: vec!["3 jobs are not served".into()],
        };
        let h = html(&i);
        assert!(h.contains("Val &lt;d&#39;Aran&gt; &amp; co"));
        assert!(!h.contains("<d'Aran>"));
        assert!(h.contains("1\u{202f}280"), "vehicle-km today");
        assert!(h.contains("class=\"gain\""));
        assert_eq!(h.matches("<svg").count(), 5);
        assert!(h.contains("a note"));
        assert!(h.contains(r#"<p class="warn">Warning: 3 jobs are not served</p>"#));
        assert_eq!(h, html(&i), "deterministic");
    }
}
