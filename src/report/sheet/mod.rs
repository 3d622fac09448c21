//! The driver's route sheet (feuille de route): what a van driver prints in the morning, one per
//! van and day, written as a printable A4 HTML page, a CSV table, a GPX 1.1 file for a
//! navigation app and a GeoJSON file for a web map.
//!
//! The caller builds a [`RouteSheet`] from a solved round; this module only formats it, and
//! never reorders or recomputes anything: stops come in the order of [`RouteSheet::stops`], and
//! the totals in the header are the sheet's own fields.
//!
//! Each format has its own file and function: [`html()`], [`csv()`], [`gpx()`] and
//! [`geojson()`]; [`write()`] writes all four. This file holds the types and the helpers they
//! share.
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

mod csv;
#[cfg(test)]
mod fixture;
mod geojson;
mod gpx;
mod html;

pub use self::csv::csv;
pub use self::geojson::geojson;
pub use self::gpx::gpx;
pub use self::html::html;

use crate::io::files::{write_file, WriteError};
use crate::model::geo::{haversine_m, LonLat};
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
    /// Goes back to the depot within the round to unload and load the next trip.
    Reload,
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
            Action::Reload => "reload",
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
            Action::Reload => "Reload",
        }
    }

    /// Whether this is at the depot: the start, the end, or a reload within the round.
    pub fn is_depot(self) -> bool {
        matches!(self, Action::Start | Action::End | Action::Reload)
    }

    /// The colour of the stop's marker on the map and in the GeoJSON.
    pub fn colour(self) -> &'static str {
        match self {
            Action::Start | Action::End | Action::Reload => DEPOT_COLOUR,
            Action::Pickup => "#2ca02c",
            Action::Delivery => "#1f77b4",
            Action::Stop => "#9467bd",
        }
    }
}

/// How the item of a crate collected at a farm for a site's next delivery ends (`for
/// Conciergerie 12, tomorrow`): in the day's plan, then in a week.
pub const CRATE_WHEN: [&str; 2] = [", tomorrow", ", next passage"];

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
    /// Who receives the goods, as the driver reads it: "Mme Dupont · 06 12 34 56 78 · open
    /// 08:00-12:00" (from the planner's sites file).
    pub host: Option<String>,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Arrival, seconds since midnight.
    pub arrival: i64,
    /// Service start (arrival plus parking plus waiting), seconds since midnight.
    pub start: i64,
    /// Parking and walking in after the arrival, seconds (part of `start - arrival`).
    pub parking: i64,
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
    /// What the driver must know here: why the van comes back, the host's access note.
    pub note: Option<String>,
}

/// The driver's break.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetPause {
    /// Index in [`RouteSheet::stops`] of the stop it follows.
    pub after: usize,
    /// Taken on arriving at the next stop, while waiting for its window (else before driving
    /// on from the stop it follows).
    pub on_arrival: bool,
    /// Start, seconds since midnight.
    pub start: i64,
    /// End, seconds since midnight.
    pub end: i64,
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
    /// The language of the HTML page (the CSV, GPX and GeoJSON files keep English codes).
    pub lang: crate::model::Lang,
    /// The driver's break, if the round is long enough to need one.
    pub pause: Option<SheetPause>,
    /// `[lon, lat]` along the roads for the whole round; empty for straight legs.
    pub path: Vec<[f64; 2]>,
    /// Road polylines `[lon, lat]` for the map background; only those crossing the map are
    /// drawn, so the whole extract may be passed. Shared: the sheets of one day (and the
    /// overview) hold the same network, not a copy each.
    pub roads: Arc<[Vec<[f64; 2]>]>,
    /// Village and street names for the map (only those inside it are written), shared like
    /// `roads`.
    pub names: Arc<[crate::report::svg::PlaceName]>,
}

/// Colour of the depot markers, on the map and in the GeoJSON.
const DEPOT_COLOUR: &str = "#222222";
/// Colour of the route line, on the map and in the GeoJSON.
const ROUTE_COLOUR: &str = "#d62728";
/// The Start and the End are "at the same place" within this distance, in metres.
const SAME_PLACE_M: f64 = 20.0;

/// Writes `<stem>.html`, `<stem>.csv`, `<stem>.gpx` and `<stem>.geojson` into `dir` (created if
/// needed), and returns their paths in that order.
pub fn write(dir: &Path, stem: &str, sheet: &RouteSheet) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(dir).map_err(|cause| WriteError::io(dir, cause))?;
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

/// `x` rounded to `decimals` places, for the numbers of the CSV and the GeoJSON.
fn round_to(x: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    (x * k).round() / k
}

/// The items as one text, `12 parcels; 3 crates`, and their litres.
fn joined(items: &[Item]) -> (String, i64) {
    let what: Vec<&str> = items.iter().map(|i| i.what.as_str()).collect();
    (what.join("; "), items.iter().map(|i| i.litres).sum())
}

/// The time window as `HH:MM{dash}HH:MM`; `None` when there is none.
fn window_text(window: Option<(i64, i64)>, dash: &str) -> Option<String> {
    window.map(|(a, b)| format!("{}{dash}{}", hhmm(a), hhmm(b)))
}

/// The label of each stop on the map and in the table (see the module documentation).
pub(crate) fn labels(stops: &[SheetStop]) -> Vec<String> {
    let depot = |a: Action| stops.iter().find(|s| s.action == a);
    let same_place = match (depot(Action::Start), depot(Action::End)) {
        (Some(a), Some(b)) => {
            haversine_m(LonLat::new(a.lon, a.lat), LonLat::new(b.lon, b.lat)) <= SAME_PLACE_M
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

#[cfg(test)]
mod tests {
    use super::fixture::{sheet, H};
    use super::gpx::tests::check_gpx;
    use super::*;
    use serde_json::Value;

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
