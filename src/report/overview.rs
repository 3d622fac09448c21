//! The planner's overview (`overview.html`): the conciergeries and their catchments on a map
//! with the day's rounds, the sites' sizes and walking distances, and the vans' utilisation.

use super::sites::{histogram, site_colour};
use super::svg::{BBox, Map};
use super::text::escape;
use crate::io::files::{write_file, WriteError, ODBL_ATTRIBUTION};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// One conciergerie.
#[derive(Clone, Debug)]
pub struct SiteRow {
    /// Name.
    pub name: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Foyers served.
    pub foyers: i64,
    /// Mean walk of its foyers, metres.
    pub mean_walk_m: f64,
    /// Longest walk, metres.
    pub max_walk_m: f64,
}

/// One van's round.
#[derive(Clone, Debug)]
pub struct VanRow {
    /// Van name.
    pub van: String,
    /// Kilometres.
    pub km: f64,
    /// Hours out.
    pub hours: f64,
    /// Stops.
    pub stops: usize,
    /// Peak load, litres.
    pub peak_load_l: i64,
    /// Capacity, litres.
    pub capacity_l: i64,
    /// The road path `[lon, lat]`.
    pub path: Vec<[f64; 2]>,
}

/// What the overview shows.
#[derive(Clone, Debug)]
pub struct Input {
    /// Territory.
    pub territory: String,
    /// Day.
    pub date: String,
    /// Size bounds of a site.
    pub min: i64,
    /// Size bounds of a site.
    pub max: i64,
    /// The conciergeries.
    pub sites: Vec<SiteRow>,
    /// Households: lon, lat, index of their site in `sites`.
    pub homes: Vec<(f64, f64, usize)>,
    /// Mean walk over all foyers, metres.
    pub mean_walk_m: f64,
    /// The rounds.
    pub vans: Vec<VanRow>,
    /// Jobs not served, with their reason.
    pub unserved: Vec<String>,
    /// Road network for the background, shared with the route sheets.
    pub roads: Arc<[Vec<[f64; 2]>]>,
}

const VAN_COLOURS: [&str; 6] = [
    "#d7301f", "#2171b5", "#238b45", "#6a51a3", "#cc4c02", "#252525",
];

/// The overview as HTML.
pub fn html(i: &Input) -> String {
    let pts = i
        .homes
        .iter()
        .map(|h| [h.0, h.1])
        .chain(i.sites.iter().map(|s| [s.lon, s.lat]))
        .chain(i.vans.iter().flat_map(|v| v.path.iter().copied()));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Planner's overview: {t} — tournee</title>
<style>
body{{font-family:system-ui,sans-serif;font-size:10.5pt;max-width:190mm;margin:1em auto;color:#222}}
h1{{font-size:17pt;margin-bottom:0}} h2{{font-size:13pt;border-bottom:1px solid #999;margin-top:1.2em}}
table{{border-collapse:collapse;width:100%}} th,td{{border:1px solid #bbb;padding:2px 5px;text-align:right}}
th:first-child,td:first-child{{text-align:left}} thead th{{background:#eee}} tr{{break-inside:avoid}}
.small{{font-size:9pt;color:#555}} @page{{size:A4;margin:12mm}}
</style></head><body>
<h1>Planner's overview: {t}, {d}</h1>
<p>{n} conciergeries of {min} to {max} foyers; mean walk to the conciergerie {w:.0} m; {v} van round(s).</p>
"#,
        t = escape(&i.territory),
        d = escape(&i.date),
        n = i.sites.len(),
        min = i.min,
        max = i.max,
        w = i.mean_walk_m,
        v = i.vans.len()
    );
    if let Some(bbox) = BBox::around(pts) {
        let mut map = Map::fit(bbox, 700.0, 700.0 * bbox.aspect().clamp(0.4, 1.4))
            .title("Conciergeries, catchments and the day's rounds")
            .roads(&i.roads);
        for h in &i.homes {
            map = map.point(h.0, h.1, site_colour(h.2), 1.6);
        }
        for (k, v) in i.vans.iter().enumerate() {
            map = map.line(&v.path, VAN_COLOURS[k % VAN_COLOURS.len()], 2.0);
        }
        for (k, st) in i.sites.iter().enumerate() {
            map = map.square_marker(st.lon, st.lat, &(k + 1).to_string(), site_colour(k));
        }
        s.push_str(&map.to_svg());
        s.push_str("\n<p class=\"small\">Dots: households, coloured by conciergerie; squares: conciergeries (numbered as in the table); lines: van rounds.</p>\n");
    }
    s.push_str("<h2>Vans</h2>\n<table><thead><tr><th>Van</th><th>km</th><th>hours</th><th>stops</th><th>peak load (L)</th><th>of capacity</th></tr></thead><tbody>\n");
    for v in &i.vans {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{}</td><td>{}</td><td>{:.0} %</td></tr>",
            escape(&v.van),
            v.km,
            v.hours,
            v.stops,
            v.peak_load_l,
            100.0 * v.peak_load_l as f64 / v.capacity_l.max(1) as f64
        );
    }
    s.push_str("</tbody></table>\n");
    if !i.unserved.is_empty() {
        s.push_str("<h2>Not served</h2>\n<ul>\n");
        for u in &i.unserved {
            let _ = writeln!(s, "<li>{}</li>", escape(u));
        }
        s.push_str("</ul>\n");
    }
    let sizes: Vec<i64> = i.sites.iter().map(|x| x.foyers).collect();
    let _ = write!(
        s,
        "<h2>Foyers per conciergerie</h2>\n<pre>{}</pre>\n",
        escape(&histogram(&sizes, i.min, i.max))
    );
    s.push_str("<h2>Conciergeries</h2>\n<table><thead><tr><th>#</th><th>Conciergerie</th><th>foyers</th><th>mean walk (m)</th><th>longest walk (m)</th></tr></thead><tbody>\n");
    for (k, st) in i.sites.iter().enumerate() {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td style=\"text-align:left\">{}</td><td>{}</td><td>{:.0}</td><td>{:.0}</td></tr>",
            k + 1,
            escape(&st.name),
            st.foyers,
            st.mean_walk_m,
            st.max_walk_m
        );
    }
    let _ = write!(
        s,
        "</tbody></table>\n<p class=\"small\">{}</p>\n</body></html>\n",
        escape(ODBL_ATTRIBUTION)
    );
    s
}

/// Writes the overview to `path`.
pub fn write(path: &Path, i: &Input) -> Result<(), WriteError> {
    write_file(path, html(i).as_bytes())
}
