//! The driver's route sheet (feuille de route): what a van driver prints in the morning, one per
//! van and day, written as a printable A4 HTML page, a CSV table, a GPX 1.1 file for a
//! navigation app and a GeoJSON file for a web map.
//!
//! The caller builds a [`RouteSheet`] from a solved round; this module only formats it, and
//! never reorders or recomputes anything: stops come in the order of [`RouteSheet::stops`], and
//! the totals in the header are the sheet's own fields.
//!
//! Conventions shared by every format:
//! * stop `i` of `stops` has sequence number `i` (`0` for the start at the depot). On the map
//!   and in the HTML table, the depot rows (actions [`Action::Start`] and [`Action::End`]) are
//!   labelled `D` when they are at the same place (within 20 m), `S` and `E` otherwise, and the
//!   other stops are numbered `1, 2, ...` in visiting order (equal to `i` when `stops` starts
//!   with its `Start`, as it should);
//! * times are seconds since midnight, written `HH:MM`, truncated to the minute (so a service
//!   start inside its window never shows after the window's end); times past midnight go on
//!   counting (`25:10`), as in GTFS timetables;
//! * coordinates are written to 7 decimals (1 cm);
//! * the route line is `path` when it has two points or more, otherwise straight legs between
//!   the stops;
//! * every file carries the ODbL attribution, and the same sheet always gives byte-identical
//!   files.

use super::svg::{BBox, Map};
use super::text::{escape, thousands};
use crate::osm::write::{
    csv_bytes, feature_collection, round7, write_file, WriteError, ODBL_ATTRIBUTION,
};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the driver does at a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leaves the depot (first stop).
    Start,
    /// Collects goods (at a farm, or returns at a conciergerie).
    Pickup,
    /// Drops goods.
    Delivery,
    /// Drops and collects goods at once.
    Stop,
    /// Comes back to the depot (last stop).
    End,
}

impl Action {
    /// The code written in CSV, GPX and GeoJSON: `start`, `pickup`, `delivery`, `stop`, `end`.
    pub fn code(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Pickup => "pickup",
            Action::Delivery => "delivery",
            Action::Stop => "stop",
            Action::End => "end",
        }
    }

    /// What the driver reads on the sheet.
    pub fn label(self) -> &'static str {
        match self {
            Action::Start => "Start",
            Action::Pickup => "Pick up",
            Action::Delivery => "Drop",
            Action::Stop => "Drop + pick up",
            Action::End => "End",
        }
    }

    /// Whether this is the start or the end of the round.
    pub fn is_depot(self) -> bool {
        matches!(self, Action::Start | Action::End)
    }

    /// The colour of the stop's marker on the map and in the GeoJSON.
    pub fn colour(self) -> &'static str {
        match self {
            Action::Start | Action::End => DEPOT_COLOUR,
            Action::Pickup => "#2ca02c",
            Action::Delivery => "#1f77b4",
            Action::Stop => "#9467bd",
        }
    }
}

/// Goods dropped or collected at a stop.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// What they are, as the driver reads it: "12 parcels", "fresh products from Ferme X".
    pub what: String,
    /// Their volume in litres.
    pub litres: i64,
}

/// One stop of the round, in visiting order.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetStop {
    /// What the driver does there.
    pub action: Action,
    /// The site, as people know it: "Conciergerie 12 (Mairie d'Ordino)".
    pub name: String,
    /// Its postal address, if known.
    pub address: Option<String>,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Arrival, seconds since midnight.
    pub arrival: i64,
    /// Service start (arrival plus waiting), seconds since midnight.
    pub start: i64,
    /// Departure, seconds since midnight.
    pub departure: i64,
    /// The time window on the service start, seconds since midnight.
    pub window: Option<(i64, i64)>,
    /// Goods to drop.
    pub drop: Vec<Item>,
    /// Goods to collect.
    pub pick: Vec<Item>,
    /// Litres on board when leaving.
    pub load_after: i64,
    /// Road distance from the previous stop, in km (0 for the first).
    pub km_from_previous: f64,
}

/// The sheet of one van for one day.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteSheet {
    /// The territory, such as `andorra-2021-10-28`.
    pub territory: String,
    /// The day, such as `2026-11-25`.
    pub date: String,
    /// The van, such as `Van 1`.
    pub van: String,
    /// The vehicle, such as `diesel van, 3 300 L`.
    pub vehicle: String,
    /// Capacity in litres.
    pub capacity_l: i64,
    /// Most litres on board at once.
    pub peak_load_l: i64,
    /// Length of the round in km.
    pub km: f64,
    /// Hours at the wheel.
    pub driving_hours: f64,
    /// Hours from leaving the depot to coming back.
    pub hours: f64,
    /// Emissions in kg CO2e.
    pub co2_kg: f64,
    /// What the emissions cover, printed in small text: "0.27 kgCO2e/km, diesel van
    /// real-use, use only (ADEME/CGDD)".
    pub co2_scope: String,
    /// The stops in visiting order: first the start at the depot, last the end, all at finite
    /// coordinates.
    pub stops: Vec<SheetStop>,
    /// `[lon, lat]` along the roads for the whole round; empty for straight legs.
    pub path: Vec<[f64; 2]>,
    /// Road polylines `[lon, lat]` for the map background; only those crossing the map are
    /// drawn, so the whole extract may be passed. Shared: the sheets of one day (and the
    /// overview) hold the same network, not a copy each.
    pub roads: Arc<[Vec<[f64; 2]>]>,
}

const DEPOT_COLOUR: &str = "#222222";
const ROUTE_COLOUR: &str = "#d62728";
/// Width of the map in px; its height follows the round's shape, between the two bounds.
const MAP_WIDTH: f64 = 720.0;
const MAP_HEIGHT: (f64, f64) = (400.0, 600.0);
/// The Start and the End are "at the same place" within this distance, in metres.
const SAME_PLACE_M: f64 = 20.0;
const METRES_PER_DEGREE: f64 = 111_320.0;

/// Writes `<stem>.html`, `<stem>.csv`, `<stem>.gpx` and `<stem>.geojson` into `dir` (created if
/// needed), and returns their paths in that order.
pub fn write(dir: &Path, stem: &str, sheet: &RouteSheet) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(dir).map_err(|source| WriteError {
        path: dir.into(),
        source,
    })?;
    let geojson = serde_json::to_vec_pretty(&geojson(sheet)).expect("JSON values serialise");
    let files = [
        ("html", html(sheet).into_bytes()),
        ("csv", csv(sheet)),
        ("gpx", gpx(sheet).into_bytes()),
        ("geojson", geojson),
    ];
    let mut written = Vec::new();
    for (extension, bytes) in files {
        let path = dir.join(format!("{stem}.{extension}"));
        write_file(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// `HH:MM` for seconds since midnight, truncated to the minute; past midnight the hours go on
/// (`25:10`), before it the time is negative (`-00:30`).
pub fn hhmm(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A duration in hours as the driver reads it: `7 h 05 min`, `45 min`.
fn hours_minutes(hours: f64) -> String {
    let minutes = (hours * 60.0).round().max(0.0) as i64;
    match minutes / 60 {
        0 => format!("{minutes} min"),
        h => format!("{h} h {:02} min", minutes % 60),
    }
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    (x * k).round() / k
}

/// The items as one text, `12 parcels; 3 crates`, and their litres.
fn joined(items: &[Item]) -> (String, i64) {
    let what: Vec<&str> = items.iter().map(|i| i.what.as_str()).collect();
    (what.join("; "), items.iter().map(|i| i.litres).sum())
}

fn window_text(window: Option<(i64, i64)>, dash: &str) -> Option<String> {
    window.map(|(a, b)| format!("{}{dash}{}", hhmm(a), hhmm(b)))
}

/// The label of each stop on the map and in the table (see the module documentation).
fn labels(stops: &[SheetStop]) -> Vec<String> {
    let depot = |a: Action| stops.iter().find(|s| s.action == a);
    let same_place = match (depot(Action::Start), depot(Action::End)) {
        (Some(a), Some(b)) => {
            let kx = a.lat.to_radians().cos();
            let m = ((a.lon - b.lon) * kx).hypot(a.lat - b.lat) * METRES_PER_DEGREE;
            m <= SAME_PLACE_M
        }
        _ => false,
    };
    let mut n = 0;
    stops
        .iter()
        .map(|s| match s.action {
            _ if s.action.is_depot() && same_place => "D".into(),
            Action::Start => "S".into(),
            Action::End => "E".into(),
            _ => {
                n += 1;
                n.to_string()
            }
        })
        .collect()
}

/// The route line: `path`, or straight legs between the stops.
fn route_line(sheet: &RouteSheet) -> Vec<[f64; 2]> {
    if sheet.path.len() >= 2 {
        sheet.path.clone()
    } else {
        sheet.stops.iter().map(|s| [s.lon, s.lat]).collect()
    }
}

/// The map of the round, or `None` when no stop nor path point has finite coordinates.
fn map_svg(sheet: &RouteSheet) -> Option<String> {
    let line = route_line(sheet);
    let stops = sheet.stops.iter().map(|s| [s.lon, s.lat]);
    let bbox = BBox::around(stops.chain(line.iter().copied()))?;
    let height = (MAP_WIDTH * bbox.aspect()).clamp(MAP_HEIGHT.0, MAP_HEIGHT.1);
    let title = format!("Map of the round of {} on {}", sheet.van, sheet.date);
    let mut map = Map::fit(bbox, MAP_WIDTH, height.round())
        .title(&title)
        .roads(&sheet.roads)
        .directed_line(&line, ROUTE_COLOUR, 3.0);
    let labels = labels(&sheet.stops);
    // Depot first, so that numbered stops at the depot stay readable; one marker per label.
    let mut drawn: Vec<&str> = Vec::new();
    let order = (sheet.stops.iter().zip(&labels)).filter(|(s, _)| s.action.is_depot());
    let order =
        order.chain((sheet.stops.iter().zip(&labels)).filter(|(s, _)| !s.action.is_depot()));
    for (s, label) in order {
        if drawn.contains(&label.as_str()) {
            continue;
        }
        drawn.push(label);
        map = if s.action.is_depot() {
            map.square_marker(s.lon, s.lat, label, DEPOT_COLOUR)
        } else {
            map.marker(s.lon, s.lat, label, s.action.colour())
        }
        .tip(&format!("{label} {}", s.name));
    }
    Some(map.caption("© OpenStreetMap contributors").to_svg())
}

const CSS: &str = r#"@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
html { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; font-size: 10.5pt; color: #111; }
body { max-width: 190mm; margin: 0 auto; padding: 4mm; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 0 0 2mm; }
.sub { margin: 0 0 2mm; }
.summary { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1mm 4mm; margin: 0 0 2mm; }
.summary dt { font-size: 10pt; color: #555; }
.summary dd { margin: 0; font-weight: bold; }
.scope, .attribution, .legend-note { font-size: 8.5pt; color: #444; }
figure.map { margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
figure.map > svg { display: block; width: 100%; height: auto; max-height: 150mm; border: 0.3mm solid #999; }
figcaption { font-size: 10pt; margin-top: 1mm; }
.swatch { display: inline-block; width: 3mm; height: 3mm; margin: 0 1mm 0 3mm; vertical-align: middle; }
table.stops { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 10pt; }
.stops caption { text-align: left; font-weight: bold; font-size: 12pt; margin-bottom: 1mm; }
.stops th, .stops td { border: 0.3mm solid #777; padding: 1mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
.stops thead { display: table-header-group; }
.stops th { background: #eee; overflow-wrap: normal; }
.stops tr { break-inside: avoid; page-break-inside: avoid; }
.stops tbody tr { height: 13mm; }
.stops tr.depot { background: #f3f3f3; }
.stops .seq { font-weight: bold; font-size: 12pt; text-align: center; }
.stops .num { text-align: right; }
.stops small { display: block; font-size: 9pt; color: #444; }
.box { display: inline-block; width: 5mm; height: 5mm; border: 0.4mm solid #000; }
.alert { color: #b00; font-weight: bold; }
footer { margin-top: 4mm; break-inside: avoid; page-break-inside: avoid; }
.observations { border: 0.3mm solid #777; padding: 2mm 3mm; margin-bottom: 2mm; }
.observations .line { border-bottom: 0.2mm solid #999; height: 8mm; }
a { color: inherit; }
@media print { body { max-width: none; padding: 0; } a { text-decoration: none; } }
"#;

/// The route sheet as a self-contained, printable HTML page (A4 portrait; inline CSS and SVG,
/// no script, no external resource): a header with the round's figures, the map, the stop
/// table with room to tick and write, and an observations box. Every text from the sheet is
/// escaped.
pub fn html(sheet: &RouteSheet) -> String {
    let title = format!("Route sheet · {} · {}", sheet.van, sheet.date);
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    header(&mut s, sheet, &title);
    if let Some(svg) = map_svg(sheet) {
        let swatch = |c: &str, text: &str| {
            format!(
                r#"<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="{c}"/></svg>{text}"#
            )
        };
        let _ = writeln!(
            s,
            "<figure class=\"map\">\n{svg}\n<figcaption>Route in red, arrows in the direction of travel.{}{}{}{}</figcaption>\n</figure>",
            swatch(DEPOT_COLOUR, "Depot"),
            swatch(Action::Delivery.colour(), "Drop"),
            swatch(Action::Pickup.colour(), "Pick up"),
            swatch(Action::Stop.colour(), "Both"),
        );
    }
    stop_table(&mut s, sheet);
    s.push_str("<footer>\n<section class=\"observations\">\n<h2>Observations</h2>\n");
    s.push_str(&"<div class=\"line\"></div>\n".repeat(6));
    let _ = write!(
        s,
        "</section>\n<p class=\"attribution\">Map and places: {}</p>\n</footer>\n</body>\n</html>\n",
        escape(ODBL_ATTRIBUTION)
    );
    s
}

fn header(s: &mut String, sheet: &RouteSheet, title: &str) {
    let first = sheet.stops.first();
    let last = sheet.stops.last();
    let mut leave = first.map_or("—".into(), |f| hhmm(f.departure));
    if let Some(f) = first.filter(|f| f.arrival < f.departure) {
        let _ = write!(leave, " (arrive {})", hhmm(f.arrival));
    }
    let stops = sheet.stops.iter().filter(|s| !s.action.is_depot()).count();
    let percent = if sheet.capacity_l > 0 {
        format!(
            " ({:.0}%)",
            100.0 * sheet.peak_load_l as f64 / sheet.capacity_l as f64
        )
    } else {
        String::new()
    };
    let items = [
        ("Leave the depot", escape(&leave)),
        (
            "Back at the depot",
            last.map_or("—".into(), |l| hhmm(l.arrival)),
        ),
        ("Distance", format!("{:.1} km", sheet.km)),
        ("Time", hours_minutes(sheet.hours)),
        ("Driving", hours_minutes(sheet.driving_hours)),
        ("Stops", stops.to_string()),
        (
            "Peak load",
            format!(
                "{} L of {} L{percent}",
                thousands(sheet.peak_load_l as f64, 0),
                thousands(sheet.capacity_l as f64, 0)
            ),
        ),
        ("CO2", format!("{:.1} kg CO2e", sheet.co2_kg)),
    ];
    let _ = write!(
        s,
        "<header>\n<h1>{}</h1>\n<p class=\"sub\">{} · {} · {} · {}</p>\n<dl class=\"summary\">\n",
        escape(title),
        escape(&sheet.territory),
        escape(&sheet.date),
        escape(&sheet.van),
        escape(&sheet.vehicle)
    );
    for (term, value) in items {
        let _ = writeln!(s, "<div><dt>{term}</dt><dd>{value}</dd></div>");
    }
    let _ = write!(
        s,
        "</dl>\n<p class=\"scope\">CO2: {}</p>\n</header>\n",
        escape(&sheet.co2_scope)
    );
}

/// The items of a table cell, one per line, with their litres; `—` if none.
fn items_cell(items: &[Item]) -> String {
    if items.is_empty() {
        return "—".into();
    }
    let lines: Vec<String> = items
        .iter()
        .map(|i| match i.litres {
            0 => escape(&i.what),
            l => format!("{} ({} L)", escape(&i.what), thousands(l as f64, 0)),
        })
        .collect();
    lines.join("<br>")
}

fn stop_table(s: &mut String, sheet: &RouteSheet) {
    s.push_str(
        "<table class=\"stops\">\n<caption>Stops in visiting order</caption>\n<colgroup>\
         <col style=\"width:4%\"><col style=\"width:9%\"><col style=\"width:20%\">\
         <col style=\"width:10%\"><col style=\"width:10%\"><col style=\"width:11%\">\
         <col style=\"width:11%\"><col style=\"width:8%\"><col style=\"width:7%\">\
         <col style=\"width:10%\"></colgroup>\n<thead><tr><th scope=\"col\">#</th>\
         <th scope=\"col\">Action</th><th scope=\"col\">Site</th><th scope=\"col\">Arrival</th>\
         <th scope=\"col\">Window</th><th scope=\"col\">To drop</th>\
         <th scope=\"col\">To pick up</th><th scope=\"col\">On board</th>\
         <th scope=\"col\">Done</th><th scope=\"col\">Notes</th></tr></thead>\n<tbody>\n",
    );
    for (stop, label) in sheet.stops.iter().zip(labels(&sheet.stops)) {
        let class = if stop.action.is_depot() {
            " class=\"depot\""
        } else {
            ""
        };
        let mut site = format!("<strong>{}</strong>", escape(&stop.name));
        if let Some(a) = &stop.address {
            let _ = write!(site, "<br>{}", escape(a));
        }
        let (lat, lon) = (round7(stop.lat), round7(stop.lon));
        let _ = write!(
            site,
            "<small><a href=\"geo:{lat:.7},{lon:.7}\">GPS {lat:.5}, {lon:.5}</a> · \
             <a href=\"https://www.openstreetmap.org/?mlat={lat:.7}&amp;mlon={lon:.7}#map=17/{lat:.7}/{lon:.7}\">map</a></small>"
        );
        let mut eta = format!("<strong>{}</strong>", hhmm(stop.arrival));
        if stop.start - stop.arrival >= 60 {
            let _ = write!(
                eta,
                "<small>wait {}, start {}</small>",
                hours_minutes((stop.start - stop.arrival) as f64 / 3600.0),
                hhmm(stop.start)
            );
        }
        if stop.departure > stop.start || stop.action == Action::Start {
            let _ = write!(eta, "<small>leave {}</small>", hhmm(stop.departure));
        }
        let mut window = window_text(stop.window, "–").unwrap_or("—".into());
        if stop.window.is_some_and(|(_, end)| stop.start > end) {
            window.push_str("<small class=\"alert\">late</small>");
        }
        let mut load = format!("{} L", thousands(stop.load_after as f64, 0));
        if stop.load_after > sheet.capacity_l {
            load.push_str("<small class=\"alert\">over capacity</small>");
        }
        let leg = match stop.km_from_previous {
            km if km > 0.0 => format!("<small>{km:.1} km</small>"),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "<tr{class}><td class=\"seq\">{}</td><td>{}{leg}</td><td>{site}</td><td>{eta}</td>\
             <td>{window}</td><td>{}</td><td>{}</td><td class=\"num\">{load}</td>\
             <td><span class=\"box\"></span></td><td></td></tr>",
            escape(&label),
            escape(stop.action.label()),
            items_cell(&stop.drop),
            items_cell(&stop.pick),
        );
    }
    s.push_str("</tbody>\n</table>\n");
}

/// The stops as CSV, one row per stop in visiting order:
/// `seq,action,name,address,lon,lat,arrival,service_start,departure,window_start,window_end,
/// drop,drop_litres,pick,pick_litres,load_after_litres,km_from_previous`. Times are `HH:MM`,
/// `action` is [`Action::code`], several items are joined with `; `, a missing address or
/// window gives empty cells, and `km_from_previous` is rounded to the metre.
pub fn csv(sheet: &RouteSheet) -> Vec<u8> {
    let header = [
        "seq",
        "action",
        "name",
        "address",
        "lon",
        "lat",
        "arrival",
        "service_start",
        "departure",
        "window_start",
        "window_end",
        "drop",
        "drop_litres",
        "pick",
        "pick_litres",
        "load_after_litres",
        "km_from_previous",
    ];
    let rows = sheet.stops.iter().enumerate().map(|(i, s)| {
        let (drop, drop_l) = joined(&s.drop);
        let (pick, pick_l) = joined(&s.pick);
        let window = |f: fn((i64, i64)) -> i64| s.window.map(|w| hhmm(f(w))).unwrap_or_default();
        vec![
            i.to_string(),
            s.action.code().into(),
            s.name.clone(),
            s.address.clone().unwrap_or_default(),
            round7(s.lon).to_string(),
            round7(s.lat).to_string(),
            hhmm(s.arrival),
            hhmm(s.start),
            hhmm(s.departure),
            window(|w| w.0),
            window(|w| w.1),
            drop,
            drop_l.to_string(),
            pick,
            pick_l.to_string(),
            s.load_after.to_string(),
            round_to(s.km_from_previous, 3).to_string(),
        ]
    });
    csv_bytes(&header, rows)
}

/// The waypoint name of stop `i`: its zero-padded sequence number and name, `01 Conciergerie 12`.
fn wpt_name(sheet: &RouteSheet, i: usize) -> String {
    let width = sheet.stops.len().saturating_sub(1).to_string().len().max(2);
    format!("{i:0width$} {}", sheet.stops[i].name)
}

/// What the driver does at a stop, in one line of plain text.
fn stop_summary(s: &SheetStop) -> String {
    let mut text = format!("{}. Arrive {}", s.action.label(), hhmm(s.arrival));
    if s.start > s.arrival {
        let _ = write!(text, ", start {}", hhmm(s.start));
    }
    let _ = write!(text, ", leave {}.", hhmm(s.departure));
    if let Some(w) = window_text(s.window, "-") {
        let _ = write!(text, " Window {w}.");
    }
    for (verb, items) in [("Drop", &s.drop), ("Pick up", &s.pick)] {
        if !items.is_empty() {
            let (what, litres) = joined(items);
            let _ = write!(text, " {verb}: {what} ({litres} L).");
        }
    }
    text
}

/// The round as GPX 1.1 for a navigation app: `metadata` (name, a description with the figures
/// and the ODbL attribution, the ODbL as `copyright`, bounds), one `wpt` per stop (name
/// `01 Conciergerie 12`, the address as comment, the ETA and goods as description, the action
/// code as type), one `rte` through the stops in order, and one `trk` along `path` (none when
/// `path` is empty). Valid against the GPX 1.1 schema; every text is escaped.
pub fn gpx(sheet: &RouteSheet) -> String {
    let name = escape(&format!("{} {}", sheet.van, sheet.date));
    let desc = format!(
        "Round of {} on {} ({}): {} stops, {:.1} km, {}. {}",
        sheet.van,
        sheet.date,
        sheet.territory,
        sheet.stops.iter().filter(|s| !s.action.is_depot()).count(),
        sheet.km,
        hours_minutes(sheet.hours),
        ODBL_ATTRIBUTION
    );
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"tournee\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd\">\n\
         <metadata>\n<name>{name}</name>\n<desc>{}</desc>\n\
         <copyright author=\"OpenStreetMap contributors\"><license>https://opendatacommons.org/licenses/odbl/1-0/</license></copyright>\n\
         <link href=\"https://www.openstreetmap.org/copyright\"><text>© OpenStreetMap contributors</text></link>\n",
        escape(&desc)
    );
    let points = sheet.stops.iter().map(|s| [s.lon, s.lat]);
    let finite_path = sheet
        .path
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite());
    if let Some(b) = BBox::around(points.chain(finite_path.clone().copied())) {
        let _ = writeln!(
            s,
            "<bounds minlat=\"{:.7}\" minlon=\"{:.7}\" maxlat=\"{:.7}\" maxlon=\"{:.7}\"/>",
            b.south, b.west, b.north, b.east
        );
    }
    s.push_str("</metadata>\n");
    let at = |lon: f64, lat: f64| format!("lat=\"{lat:.7}\" lon=\"{lon:.7}\"");
    for (i, stop) in sheet.stops.iter().enumerate() {
        let _ = write!(
            s,
            "<wpt {}>\n<name>{}</name>\n",
            at(stop.lon, stop.lat),
            escape(&wpt_name(sheet, i))
        );
        if let Some(a) = &stop.address {
            let _ = writeln!(s, "<cmt>{}</cmt>", escape(a));
        }
        let _ = write!(
            s,
            "<desc>{}</desc>\n<type>{}</type>\n</wpt>\n",
            escape(&stop_summary(stop)),
            stop.action.code()
        );
    }
    let _ = writeln!(s, "<rte>\n<name>{name}</name>");
    for (i, stop) in sheet.stops.iter().enumerate() {
        let _ = writeln!(
            s,
            "<rtept {}><name>{}</name></rtept>",
            at(stop.lon, stop.lat),
            escape(&wpt_name(sheet, i))
        );
    }
    s.push_str("</rte>\n");
    if sheet
        .path
        .iter()
        .any(|p| p[0].is_finite() && p[1].is_finite())
    {
        let _ = write!(s, "<trk>\n<name>{name}</name>\n<trkseg>\n");
        for p in finite_path {
            let _ = writeln!(s, "<trkpt {}/>", at(p[0], p[1]));
        }
        s.push_str("</trkseg>\n</trk>\n");
    }
    s.push_str("</gpx>\n");
    s
}

/// The round as a GeoJSON `FeatureCollection` with the ODbL `attribution` member: one
/// `LineString` (`kind` = `route`: van, date, territory, vehicle, km, hours, driving_hours,
/// co2_kg, stops), the path or straight legs, left out if it has fewer than two points; then one
/// `Point` per stop in visiting order (`kind` = `stop`: seq, label, action, name, address, eta,
/// service_start, departure, window `HH:MM-HH:MM` or `null`, drop, drop_litres, pick,
/// pick_litres, load_after_litres, km_from_previous). Colours are also written as
/// [simplestyle](https://github.com/mapbox/simplestyle-spec) properties for geojson.io and uMap.
pub fn geojson(sheet: &RouteSheet) -> Value {
    let mut features = Vec::new();
    let line: Vec<[f64; 2]> = route_line(sheet)
        .into_iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| [round7(p[0]), round7(p[1])])
        .collect();
    if line.len() >= 2 {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": {
                "kind": "route",
                "van": sheet.van,
                "date": sheet.date,
                "territory": sheet.territory,
                "vehicle": sheet.vehicle,
                "km": round_to(sheet.km, 3),
                "hours": round_to(sheet.hours, 2),
                "driving_hours": round_to(sheet.driving_hours, 2),
                "co2_kg": round_to(sheet.co2_kg, 1),
                "stops": sheet.stops.iter().filter(|s| !s.action.is_depot()).count(),
                "stroke": ROUTE_COLOUR,
                "stroke-width": 3,
            },
        }));
    }
    for (i, (s, label)) in sheet.stops.iter().zip(labels(&sheet.stops)).enumerate() {
        let (drop, drop_l) = joined(&s.drop);
        let (pick, pick_l) = joined(&s.pick);
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round7(s.lon), round7(s.lat)]},
            "properties": {
                "kind": "stop",
                "seq": i,
                "label": label,
                "action": s.action.code(),
                "name": s.name,
                "address": s.address,
                "eta": hhmm(s.arrival),
                "service_start": hhmm(s.start),
                "departure": hhmm(s.departure),
                "window": window_text(s.window, "-"),
                "drop": drop,
                "drop_litres": drop_l,
                "pick": pick,
                "pick_litres": pick_l,
                "load_after_litres": s.load_after,
                "km_from_previous": round_to(s.km_from_previous, 3),
                "title": format!("{label} {}", s.name),
                "marker-color": s.action.colour(),
            },
        }));
    }
    feature_collection(features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::xml_check::xml_elements;

    const H: i64 = 3600;

    fn stop(action: Action, name: &str, lon: f64, lat: f64, arrival: i64) -> SheetStop {
        SheetStop {
            action,
            name: name.into(),
            address: None,
            lon,
            lat,
            arrival,
            start: arrival,
            departure: arrival + 600,
            window: None,
            drop: Vec::new(),
            pick: Vec::new(),
            load_after: 0,
            km_from_previous: 0.0,
        }
    }

    fn item(what: &str, litres: i64) -> Item {
        Item {
            what: what.into(),
            litres,
        }
    }

    /// A depot in Andorra la Vella, a conciergerie with a tricky name and a window, a farm, a
    /// conciergerie with drops and returns, and back.
    fn sheet() -> RouteSheet {
        let depot = "Depot: La Poste Andorra la Vella";
        let mut start = stop(Action::Start, depot, 1.5218, 42.5063, 7 * H);
        start.departure = 7 * H + 1800;
        start.pick = vec![item("40 parcels", 800)];
        start.load_after = 800;
        let mut c12 = stop(
            Action::Delivery,
            "Conciergerie 12 (Mairie d'Ordino) & <Co>",
            1.533,
            42.556,
            8 * H + 160,
        );
        c12.start = 8 * H + 600;
        c12.departure = 8 * H + 1500;
        c12.window = Some((8 * H + 600, 10 * H));
        c12.drop = vec![
            item("12 parcels", 240),
            item("3 crates of bread & eggs", 60),
        ];
        c12.load_after = 500;
        c12.km_from_previous = 9.3456;
        let mut farm = stop(Action::Pickup, "Ferme \"Les Cortals\"", 1.59, 42.54, 9 * H);
        farm.address = Some("Carretera <General> 2, Encamp".into());
        farm.pick = vec![item("fresh products from Ferme X", 150)];
        farm.load_after = 650;
        farm.km_from_previous = 6.2;
        let mut c3 = stop(Action::Stop, "Conciergerie 3", 1.56, 42.51, 10 * H);
        c3.drop = vec![item("28 parcels", 560)];
        c3.pick = vec![item("returns", 20)];
        c3.load_after = 110;
        c3.km_from_previous = 5.0;
        let mut end = stop(Action::End, depot, 1.5218, 42.5063, 10 * H + 1500);
        end.departure = end.arrival;
        end.km_from_previous = 3.1;
        RouteSheet {
            territory: "andorra-2021-10-28".into(),
            date: "2026-11-25".into(),
            van: "Van 1".into(),
            vehicle: "diesel van, 3 300 L".into(),
            capacity_l: 3300,
            peak_load_l: 800,
            km: 23.6456,
            driving_hours: 1.25,
            hours: 3.4167,
            co2_kg: 6.38,
            co2_scope: "0.27 kgCO2e/km, diesel van real-use, use only (ADEME/CGDD)".into(),
            path: vec![
                [1.5218, 42.5063],
                [1.525, 42.53],
                [1.533, 42.556],
                [1.59, 42.54],
                [1.56, 42.51],
                [1.5218, 42.5063],
            ],
            roads: Arc::from([
                vec![[1.52, 42.50], [1.53, 42.52], [1.54, 42.55]],
                vec![[1.55, 42.51], [1.58, 42.53]],
                // Far outside the map: dropped.
                vec![[2.50, 43.50], [2.60, 43.60]],
            ]),
            stops: vec![start, c12, farm, c3, end],
        }
    }

    /// The inline SVG of an HTML page.
    fn svg_of(html: &str) -> &str {
        let start = html.find("<svg xmlns").expect("an inline SVG map");
        &html[start..start + html[start..].find("</svg>\n").unwrap() + "</svg>".len()]
    }

    #[test]
    fn html_lists_every_stop_escaped_and_in_order() {
        let page = html(&sheet());
        let names = [
            "Depot: La Poste Andorra la Vella",
            "Conciergerie 12 (Mairie d&#39;Ordino) &amp; &lt;Co&gt;",
            "Ferme &quot;Les Cortals&quot;",
            "Conciergerie 3",
        ];
        let table = &page[page.find("<tbody>").unwrap()..];
        let mut at = 0;
        for name in names.iter().chain([&names[0]]) {
            let i = table[at..]
                .find(&format!("<strong>{name}</strong>"))
                .map(|i| at + i);
            at = i.unwrap_or_else(|| panic!("{name} after byte {at}")) + 1;
        }
        assert!(!page.contains("<Co>") && !page.contains("<General>"));
        assert!(page.contains("Carretera &lt;General&gt; 2, Encamp"));
        assert_eq!(page.matches("<tr class=\"depot\">").count(), 2);
        for text in [
            "<html lang=\"en\">",
            "@page { size: A4 portrait",
            "<td class=\"seq\">D</td>",
            "<td class=\"seq\">3</td>",
            // Arrival at 08:02:40 shows 08:02, then the wait for the window.
            "<strong>08:02</strong><small>wait 7 min, start 08:10</small>",
            "08:10–10:00",
            "<dt>Leave the depot</dt><dd>07:30 (arrive 07:00)</dd>",
            "<dt>Back at the depot</dt><dd>10:25</dd>",
            "<dt>Time</dt><dd>3 h 25 min</dd>",
            "<dt>Stops</dt><dd>3</dd>",
            "800 L of 3\u{202f}300 L (24%)",
            "6.4 kg CO2e",
            "use only (ADEME/CGDD)",
            "12 parcels (240 L)<br>3 crates of bread &amp; eggs (60 L)",
            "href=\"geo:42.5560000,1.5330000\"",
            "https://www.openstreetmap.org/?mlat=42.5560000&amp;mlon=1.5330000#map=17/42.5560000/1.5330000",
            "<h2>Observations</h2>",
            "OpenStreetMap contributors, data available under the Open Database License",
        ] {
            assert!(page.contains(text), "missing {text}");
        }
        // Self-contained: no script, no external stylesheet, image or font.
        for text in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!page.contains(text), "found {text}");
        }
    }

    #[test]
    fn html_flags_late_stops_and_overloads() {
        let mut s = sheet();
        s.stops[1].window = Some((7 * H, 8 * H));
        s.stops[2].load_after = 4000;
        let page = html(&s);
        assert!(page.contains("07:00–08:00<small class=\"alert\">late</small>"));
        assert!(page.contains("4\u{202f}000 L<small class=\"alert\">over capacity</small>"));
    }

    #[test]
    fn map_has_one_marker_per_stop_and_only_nearby_roads() {
        let s = sheet();
        let page = html(&s);
        let svg = svg_of(&page);
        xml_elements(svg).unwrap();
        // Start and End at the same depot share one marker.
        assert_eq!(svg.matches("class=\"marker\"").count(), 4);
        for label in ["D", "1", "2", "3"] {
            assert!(
                svg.contains(&format!(">{label}</text></g>")),
                "marker {label}"
            );
        }
        assert!(
            svg.contains("<title>1 Conciergerie 12 (Mairie d&#39;Ordino) &amp; &lt;Co&gt;</title>")
        );
        let roads = svg.split("class=\"roads\" d=\"").nth(1).unwrap();
        assert_eq!(roads[..roads.find('"').unwrap()].matches('M').count(), 2);
        assert_eq!(svg.matches("class=\"line\"").count(), 1);
        // An End elsewhere gets its own marker, and the depots are S and E.
        let mut s = sheet();
        s.stops[4].lon += 0.01;
        let page = html(&s);
        let svg = svg_of(&page);
        assert_eq!(svg.matches("class=\"marker\"").count(), 5);
        assert!(svg.contains(">S</text></g>") && svg.contains(">E</text></g>"));
        assert!(page.contains("<td class=\"seq\">E</td>"));
    }

    #[test]
    fn csv_has_one_row_per_stop_and_parses_back() {
        let s = sheet();
        let bytes = csv(&s);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), s.stops.len() + 1);
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header.join(","),
            "seq,action,name,address,lon,lat,arrival,service_start,departure,window_start,\
             window_end,drop,drop_litres,pick,pick_litres,load_after_litres,km_from_previous"
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), s.stops.len());
        assert!(rows.iter().all(|r| r.len() == header.len()));
        let c12: Vec<&str> = rows[1].iter().collect();
        assert_eq!(
            c12,
            [
                "1",
                "delivery",
                "Conciergerie 12 (Mairie d'Ordino) & <Co>",
                "",
                "1.533",
                "42.556",
                "08:02",
                "08:10",
                "08:25",
                "08:10",
                "10:00",
                "12 parcels; 3 crates of bread & eggs",
                "300",
                "",
                "0",
                "500",
                "9.346"
            ]
        );
        assert_eq!(&rows[2][2], "Ferme \"Les Cortals\"");
        assert_eq!(&rows[2][3], "Carretera <General> 2, Encamp");
        assert_eq!((&rows[4][0], &rows[4][1], &rows[4][9]), ("4", "end", ""));
    }

    /// Children of each GPX element in the order of the GPX 1.1 schema (`xsd:sequence`).
    const GPX_ORDER: &[(&str, &[&str])] = &[
        ("gpx", &["metadata", "wpt", "rte", "trk", "extensions"]),
        (
            "metadata",
            &[
                "name",
                "desc",
                "author",
                "copyright",
                "link",
                "time",
                "keywords",
                "bounds",
                "extensions",
            ],
        ),
        ("copyright", &["year", "license"]),
        ("link", &["text", "type"]),
        ("wpt", WPT),
        ("rtept", WPT),
        ("trkpt", WPT),
        (
            "rte",
            &[
                "name",
                "cmt",
                "desc",
                "src",
                "link",
                "number",
                "type",
                "extensions",
                "rtept",
            ],
        ),
        (
            "trk",
            &[
                "name",
                "cmt",
                "desc",
                "src",
                "link",
                "number",
                "type",
                "extensions",
                "trkseg",
            ],
        ),
        ("trkseg", &["trkpt", "extensions"]),
    ];
    const WPT: &[&str] = &[
        "ele",
        "time",
        "magvar",
        "geoidheight",
        "name",
        "cmt",
        "desc",
        "src",
        "link",
        "sym",
        "type",
        "fix",
        "sat",
        "hdop",
        "vdop",
        "pdop",
        "ageofdgpsdata",
        "dgpsid",
        "extensions",
    ];

    /// Checks that `gpx` is well-formed and its elements come in schema order; returns them.
    fn check_gpx(gpx: &str) -> Vec<Vec<String>> {
        let elements = xml_elements(gpx).unwrap();
        // last[k]: how far in its sequence the open element at depth k is.
        let mut last: Vec<usize> = Vec::new();
        for path in &elements {
            let depth = path.len() - 1;
            last.truncate(depth);
            if let Some(parent) = depth.checked_sub(1).map(|d| &path[d]) {
                let (_, allowed) = GPX_ORDER.iter().find(|(p, _)| p == parent).unwrap();
                let pos = allowed.iter().position(|c| c == &path[depth]);
                let pos = pos.unwrap_or_else(|| panic!("{path:?} not allowed"));
                assert!(pos >= last[depth - 1], "{path:?} out of order");
                last[depth - 1] = pos;
            }
            last.push(0);
        }
        assert_eq!(elements[0], ["gpx"]);
        elements
    }

    #[test]
    fn gpx_is_well_formed_and_in_schema_order() {
        let s = sheet();
        let text = gpx(&s);
        let elements = check_gpx(&text);
        let count = |name: &str| {
            elements
                .iter()
                .filter(|p| p.last().unwrap() == name)
                .count()
        };
        assert_eq!(count("wpt"), s.stops.len());
        assert_eq!(count("rtept"), s.stops.len());
        assert_eq!(count("trkpt"), s.path.len());
        assert_eq!((count("rte"), count("trk"), count("trkseg")), (1, 1, 1));
        for expected in [
            "<gpx version=\"1.1\" creator=\"tournee\" xmlns=\"http://www.topografix.com/GPX/1/1\"",
            "<wpt lat=\"42.5560000\" lon=\"1.5330000\">\n<name>01 Conciergerie 12 (Mairie d&#39;Ordino) &amp; &lt;Co&gt;</name>",
            "<name>04 Depot: La Poste Andorra la Vella</name>",
            "<cmt>Carretera &lt;General&gt; 2, Encamp</cmt>",
            "Drop. Arrive 08:02, start 08:10, leave 08:25. Window 08:10-10:00. Drop: 12 parcels; 3 crates of bread &amp; eggs (300 L).",
            "<type>stop</type>",
            "<trkpt lat=\"42.5300000\" lon=\"1.5250000\"/>",
            "Open Database License",
        ] {
            assert!(text.contains(expected), "missing {expected}");
        }
        // No path: no track, still valid.
        let mut s = sheet();
        s.path.clear();
        let elements = check_gpx(&gpx(&s));
        assert!(!elements.iter().any(|p| p.last().unwrap() == "trk"));
    }

    #[test]
    fn geojson_has_the_route_and_every_stop() {
        let s = sheet();
        let doc = geojson(&s);
        assert_eq!(doc["attribution"], ODBL_ATTRIBUTION);
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), s.stops.len() + 1);
        let route = &features[0];
        assert_eq!(route["geometry"]["type"], "LineString");
        assert_eq!(
            route["geometry"]["coordinates"].as_array().unwrap().len(),
            s.path.len()
        );
        assert_eq!(route["properties"]["van"], "Van 1");
        assert_eq!(route["properties"]["km"], 23.646);
        let c12 = &features[2]["properties"];
        assert_eq!(
            features[2]["geometry"]["coordinates"],
            json!([1.533, 42.556])
        );
        assert_eq!(c12["seq"], 1);
        assert_eq!(c12["name"], "Conciergerie 12 (Mairie d'Ordino) & <Co>");
        assert_eq!(
            (c12["eta"].as_str(), c12["window"].as_str()),
            (Some("08:02"), Some("08:10-10:00"))
        );
        assert_eq!(c12["drop_litres"], 300);
        assert!(features[1]["properties"]["window"].is_null());
        // No path: straight legs through the stops.
        let mut s = sheet();
        s.path.clear();
        let doc = geojson(&s);
        let legs = doc["features"][0]["geometry"]["coordinates"]
            .as_array()
            .unwrap();
        assert_eq!(legs.len(), s.stops.len());
        assert_eq!(legs[2], json!([1.59, 42.54]));
    }

    #[test]
    fn same_sheet_gives_byte_identical_files() {
        let s = sheet();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let files_a = write(a.path(), "van-1", &s).unwrap();
        let files_b = write(&b.path().join("new"), "van-1", &s).unwrap();
        let names: Vec<_> = files_a
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            ["van-1.html", "van-1.csv", "van-1.gpx", "van-1.geojson"]
        );
        for (x, y) in files_a.iter().zip(&files_b) {
            assert_eq!(
                std::fs::read(x).unwrap(),
                std::fs::read(y).unwrap(),
                "{x:?}"
            );
        }
        let doc: Value = serde_json::from_slice(&std::fs::read(&files_a[3]).unwrap()).unwrap();
        assert_eq!(doc, geojson(&s));
    }

    #[test]
    fn an_empty_sheet_still_gives_valid_files() {
        let mut s = sheet();
        s.stops.clear();
        s.path.clear();
        let page = html(&s);
        assert!(!page.contains("<svg xmlns") && page.contains("<dd>—</dd>"));
        assert_eq!(String::from_utf8(csv(&s)).unwrap().lines().count(), 1);
        check_gpx(&gpx(&s));
        assert_eq!(geojson(&s)["features"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn times_and_durations() {
        assert_eq!(hhmm(0), "00:00");
        assert_eq!(hhmm(8 * H + 2 * 60 + 59), "08:02");
        assert_eq!(hhmm(25 * H + 600), "25:10");
        assert_eq!(hhmm(-1800), "-00:30");
        assert_eq!(hours_minutes(7.0 + 5.0 / 60.0), "7 h 05 min");
        assert_eq!(hours_minutes(0.75), "45 min");
    }
}
