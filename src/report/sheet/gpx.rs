//! The route sheet as a GPX 1.1 file for a navigation app: waypoints, a route and a track.

use super::{hhmm, hours_minutes, joined, window_text, RouteSheet, SheetStop};
use crate::io::files::ODBL_ATTRIBUTION;
use crate::report::svg::BBox;
use crate::report::text::escape;
use std::fmt::Write as _;

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
    if let Some(h) = &s.host {
        let _ = write!(text, " Host: {h}.");
    }
    if let Some(n) = &s.note {
        let _ = write!(text, " Note: {n}.");
    }
    text
}

/// The round as GPX 1.1 for a navigation app: `metadata` (name, a description with the figures
/// and the ODbL attribution, the ODbL as `copyright`, bounds), one `wpt` per stop (name
/// `01 Conciergerie 12`, the address as comment, the ETA, goods, host and note as description, the action
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::report::sheet::fixture::sheet;
    use crate::report::xml_check::xml_elements;

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
    pub(in crate::report::sheet) fn check_gpx(gpx: &str) -> Vec<Vec<String>> {
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
}
