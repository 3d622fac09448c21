//! The route sheet as a printable A4 HTML page, with the map of the round inlined as SVG.

use super::SheetStop;
use super::{hhmm, hours_minutes, labels, route_line, window_text, Action, Item, RouteSheet};
use super::{CRATE_WHEN, DEPOT_COLOUR, ROUTE_COLOUR};
use crate::io::files::{round7, ODBL_ATTRIBUTION};
use crate::report::lang::{date, goods, number, place, tr, van, Lang};
use crate::report::svg::{BBox, Map};
use crate::report::text::{escape, thousands};
use std::fmt::Write as _;

/// Width of the map in px; its height follows the round's shape, between the two bounds.
const MAP_WIDTH: f64 = 720.0;
const MAP_HEIGHT: (f64, f64) = (400.0, 600.0);

/// The map of the round, or `None` when no stop nor path point has finite coordinates; then
/// up to two insets, each a closer map of a village where the stops crowd (six stops or more
/// within 40 px of the main map), so that their numbers can be read where they are.
fn map_svg(sheet: &RouteSheet) -> Option<(String, Vec<String>)> {
    let line = route_line(sheet);
    let stops = sheet.stops.iter().map(|s| [s.lon, s.lat]);
    let bbox = BBox::around(stops.chain(line.iter().copied()))?;
    let height = (MAP_WIDTH * bbox.aspect()).clamp(MAP_HEIGHT.0, MAP_HEIGHT.1);
    let l = sheet.lang;
    let title = format!(
        "{} {} {} {}",
        tr(l, "Map of the round of"),
        van_name(sheet),
        tr(l, "on"),
        sheet.date
    );
    let main = Map::fit(bbox, MAP_WIDTH, height.round());
    let labels = labels(&sheet.stops);
    // Crowded places on the main map.
    let px: Vec<(f64, f64)> = sheet
        .stops
        .iter()
        .map(|s| main.project(s.lon, s.lat))
        .collect();
    let mut free: Vec<usize> = (0..sheet.stops.len())
        .filter(|&i| !sheet.stops[i].action.is_depot() && sheet.stops[i].lon.is_finite())
        .collect();
    let mut insets = Vec::new();
    while insets.len() < MAX_INSETS {
        let near = |i: usize, r: f64| -> Vec<usize> {
            free.iter()
                .copied()
                .filter(|&j| (px[i].0 - px[j].0).hypot(px[i].1 - px[j].1) <= r)
                .collect()
        };
        let Some(centre) = free
            .iter()
            .copied()
            .max_by_key(|&i| (near(i, 40.0).len(), std::cmp::Reverse(i)))
        else {
            break;
        };
        let group = near(centre, 60.0);
        if near(centre, 40.0).len() < 6 {
            break;
        }
        free.retain(|j| !group.contains(j));
        let b = BBox::around(
            group
                .iter()
                .map(|&i| [sheet.stops[i].lon, sheet.stops[i].lat]),
        )?;
        let h = (INSET_WIDTH * b.aspect()).clamp(INSET_HEIGHT.0, INSET_HEIGHT.1);
        let caption = format!("{} {}", tr(l, "Close-up: stops"), runs(&group, &labels));
        let inset = draw_round(
            sheet,
            Map::fit(b, INSET_WIDTH, h.round()),
            &line,
            &labels,
            Some(&group),
        )
        .title(&caption)
        .caption(&caption)
        .to_svg();
        insets.push(inset);
    }
    let svg = draw_round(sheet, main.title(&title), &line, &labels, None)
        .caption("© OpenStreetMap contributors")
        .to_svg();
    Some((svg, insets))
}

/// The labels of `group` (ascending stop indices) as runs: `3–8, 12, 14–15`.
fn runs(group: &[usize], labels: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < group.len() {
        let mut e = k;
        while e + 1 < group.len() && group[e + 1] == group[e] + 1 {
            e += 1;
        }
        out.push(if e > k {
            format!("{}–{}", labels[group[k]], labels[group[e]])
        } else {
            labels[group[k]].clone()
        });
        k = e + 1;
    }
    out.join(", ")
}

/// Insets at most, their width and height bounds in px.
const MAX_INSETS: usize = 2;
const INSET_WIDTH: f64 = 350.0;
const INSET_HEIGHT: (f64, f64) = (240.0, 330.0);

/// The roads, the route and the markers of `sheet` on `map`; only the stops of `only` (and the
/// depot) when given.
fn draw_round(
    sheet: &RouteSheet,
    map: Map,
    line: &[[f64; 2]],
    labels: &[String],
    only: Option<&[usize]>,
) -> Map {
    let mut map = map
        .roads(&sheet.roads)
        .directed_line(line, ROUTE_COLOUR, 3.0)
        .names(&sheet.names);
    // Depot first, so that numbered stops at the depot stay readable; one marker per label.
    let mut drawn: Vec<&str> = Vec::new();
    let shown = |i: &usize| only.is_none_or(|o| o.contains(i) || sheet.stops[*i].action.is_depot());
    let order = (0..sheet.stops.len()).filter(|i| sheet.stops[*i].action.is_depot());
    let order = order.chain((0..sheet.stops.len()).filter(|i| !sheet.stops[*i].action.is_depot()));
    for i in order.filter(shown) {
        let (s, label) = (&sheet.stops[i], &labels[i]);
        if drawn.contains(&label.as_str()) {
            continue;
        }
        drawn.push(label);
        map = if s.action.is_depot() {
            map.square_marker(s.lon, s.lat, label, DEPOT_COLOUR)
        } else {
            map.marker(s.lon, s.lat, label, s.action.colour())
        }
        .tip(&format!("{label} {}", place(sheet.lang, &s.name)));
    }
    map
}

const CSS: &str = r#"@page { size: A4 portrait; margin: 12mm 10mm 10mm; }
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
.insets { display: flex; gap: 3mm; margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
figure.inset { margin: 0; flex: 1; }
figure.inset > svg { display: block; width: 100%; height: auto; border: 0.3mm solid #999; }
.swatch { display: inline-block; width: 3mm; height: 3mm; margin: 0 1mm 0 3mm; vertical-align: middle; }
table.stops { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 10pt; }
.stops caption { text-align: left; font-weight: bold; font-size: 12pt; margin-bottom: 1mm; }
.stops th, .stops td { border: 0.3mm solid #777; padding: 1mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
.stops thead { display: table-header-group; }
.stops th { background: #eee; font-size: 8.5pt; overflow-wrap: anywhere; }
.stops tr { break-inside: avoid; page-break-inside: avoid; }
.stops tbody tr { height: 9mm; }
.stops tbody tr.pause, .stops tbody tr.short { height: auto; }
.stops tr.pause { background: #fff6d5; }
.loading { margin-top: 4mm; }
.signature { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; margin-bottom: 2mm; }
.signature div { border: 0.3mm solid #777; height: 22mm; padding: 1mm 2mm; font-size: 9pt; color: #444; }
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
    let l = sheet.lang;
    let title = format!(
        "{} · {} · {}",
        tr(l, "Route sheet"),
        van_name(sheet),
        date(l, &sheet.date)
    );
    // Every printed page says whose sheet it is and which page (CSS page margin boxes).
    let running = format!("{} · {}", van_name(sheet), date(l, &sheet.date));
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}@page {{ @top-left {{ content: \"{}\"; font: 9pt sans-serif; }} \
         @top-right {{ content: \"{} \" counter(page) \" {} \" counter(pages); font: 9pt sans-serif; }} }}\n\
         </style>\n</head>\n<body>\n",
        l.code(),
        escape(&title),
        css_string(&running),
        tr(l, "page"),
        tr(l, "of"),
    );
    header(&mut s, sheet, &title);
    if let Some((svg, insets)) = map_svg(sheet) {
        let swatch = |c: &str, text: &str| {
            format!(
                r#"<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="{c}"/></svg>{text}"#
            )
        };
        let _ = writeln!(
            s,
            "<figure class=\"map\">\n{svg}\n<figcaption>{}{}{}{}{}</figcaption>\n</figure>",
            tr(l, "Route in red, arrows in the direction of travel."),
            swatch(DEPOT_COLOUR, tr(l, "Depot")),
            swatch(Action::Delivery.colour(), tr(l, "Drop")),
            swatch(Action::Pickup.colour(), tr(l, "Pick up")),
            swatch(Action::Stop.colour(), tr(l, "Both")),
        );
        if !insets.is_empty() {
            s.push_str("<div class=\"insets\">\n");
            for inset in insets {
                let _ = writeln!(s, "<figure class=\"inset\">{inset}</figure>");
            }
            s.push_str("</div>\n");
        }
    }
    stop_table(&mut s, sheet);
    loading_list(&mut s, sheet);
    farm_list(&mut s, sheet);
    let _ = write!(
        s,
        "<footer>\n<section class=\"observations\">\n<h2>{}</h2>\n",
        tr(l, "Observations")
    );
    s.push_str(&"<div class=\"line\"></div>\n".repeat(4));
    let _ = writeln!(
        s,
        "</section>\n<section class=\"signature\"><div>{}</div><div>{}</div></section>",
        tr(l, "Goods handed over at the depot by (name, signature)"),
        tr(
            l,
            "Round done, van returned by the driver (signature, time)"
        )
    );
    let _ = write!(
        s,
        "<p class=\"attribution\">{} {}</p>\n</footer>\n</body>\n</html>\n",
        tr(l, "Map and places:"),
        escape(ODBL_ATTRIBUTION)
    );
    s
}

fn header(s: &mut String, sheet: &RouteSheet, title: &str) {
    let l = sheet.lang;
    let first = sheet.stops.first();
    let last = sheet.stops.last();
    let mut leave = first.map_or("—".into(), |f| hhmm(f.departure));
    if let Some(f) = first.filter(|f| f.arrival < f.departure) {
        let _ = write!(leave, " ({} {})", tr(sheet.lang, "arrive"), hhmm(f.arrival));
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
        (tr(l, "Leave the depot"), escape(&leave)),
        (
            tr(l, "Back at the depot"),
            last.map_or("—".into(), |l| hhmm(l.arrival)),
        ),
        (tr(l, "Distance"), format!("{} km", number(l, sheet.km, 1))),
        (tr(l, "Time"), hours_minutes(sheet.hours)),
        (tr(l, "Driving"), hours_minutes(sheet.driving_hours)),
        (tr(l, "Stops"), stops.to_string()),
        (
            tr(l, "Break"),
            sheet.pause.as_ref().map_or("—".into(), |p| {
                format!("{}–{}", hhmm(p.start), hhmm(p.end))
            }),
        ),
        (
            tr(l, "Peak load"),
            format!(
                "{} L {} {} L{percent}",
                thousands(sheet.peak_load_l as f64, 0),
                tr(l, "of"),
                thousands(sheet.capacity_l as f64, 0)
            ),
        ),
        ("CO2", format!("{} kg CO2e", number(l, sheet.co2_kg, 1))),
    ];
    let _ = write!(
        s,
        "<header>\n<h1>{}</h1>\n<p class=\"sub\">{} · {} · {} · {}</p>\n<dl class=\"summary\">\n",
        escape(title),
        escape(&sheet.territory),
        escape(&date(l, &sheet.date)),
        escape(&van_name(sheet)),
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

/// The van as the driver reads it: "Van 3" is "Véhicule 3" in French.
fn van_name(sheet: &RouteSheet) -> String {
    van(sheet.lang, &sheet.van)
}

/// `text` inside a CSS string: quotes and backslashes escaped, no line breaks, no `<`.
fn css_string(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            '<' => "\\3c ".chars().collect(),
            c => vec![c],
        })
        .collect()
}

/// The items of a table cell, one per line, with their litres; `—` if none.
fn items_cell(l: Lang, items: &[Item]) -> String {
    if items.is_empty() {
        return "—".into();
    }
    // A farm's crates for this van's stops, on one wrapped line.
    let stops: Option<Vec<String>> = items
        .iter()
        .map(|i| {
            i.what
                .strip_prefix("for stop ")
                .map(|n| format!("{} ({} L)", escape(n), thousands(i.litres as f64, 0)))
        })
        .collect();
    if let Some(stops) = stops.filter(|s| s.len() > 1) {
        return format!("{} {}", tr(l, "for stops"), stops.join(", "));
    }
    // A farm's crates for tomorrow's orders, on one wrapped line.
    let sites: Option<Vec<String>> = items.iter().map(|i| crate_for_tomorrow(l, i)).collect();
    if let Some(sites) = sites.filter(|s| !s.is_empty()) {
        // The list itself is in its own section, in full width (see `farm_list`).
        let litres: i64 = items.iter().map(|i| i.litres).sum();
        return format!(
            "{} ({} L): {}",
            sites.len(),
            thousands(litres as f64, 0),
            if items.iter().any(|i| i.what.ends_with(CRATE_WHEN[1])) {
                tr(l, "crates for the sites' next passage, listed at the end")
            } else {
                tr(l, "crates for tomorrow, listed at the end")
            }
        );
    }
    let lines: Vec<String> = items
        .iter()
        .map(|i| match i.litres {
            0 => escape(&goods(l, &i.what)),
            n => format!(
                "{} ({} L)",
                escape(&goods(l, &i.what)),
                thousands(n as f64, 0)
            ),
        })
        .collect();
    lines.join("<br>")
}

fn stop_table(s: &mut String, sheet: &RouteSheet) {
    let l = sheet.lang;
    let _ = write!(
        s,
        "<table class=\"stops\">\n<caption>{}</caption>\n<colgroup>\
         <col style=\"width:4%\"><col style=\"width:9%\"><col style=\"width:22%\">\
         <col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:15%\">\
         <col style=\"width:11%\"><col style=\"width:7%\"><col style=\"width:5%\">\
         <col style=\"width:11%\"></colgroup>\n<thead><tr><th scope=\"col\">#</th>",
        tr(l, "Stops in visiting order")
    );
    for h in [
        "Action",
        "Site",
        "Arrival",
        "Window",
        "To drop",
        "To pick up",
        "On board",
        "Done",
        "Notes",
    ] {
        let _ = write!(s, "<th scope=\"col\">{}</th>", tr(l, h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for (i, (stop, label)) in sheet.stops.iter().zip(labels(&sheet.stops)).enumerate() {
        let class = if stop.action.is_depot() {
            " class=\"depot\""
        } else {
            ""
        };
        let mut site = format!("<strong>{}</strong>", escape(&place(l, &stop.name)));
        // The address, unless the name already says it.
        if let Some(a) = stop
            .address
            .as_ref()
            .filter(|a| !stop.name.contains(a.as_str()))
        {
            let _ = write!(site, "<br>{}", escape(a));
        }
        if let Some(h) = &stop.host {
            let _ = write!(site, "<br><span class=\"host\">{}</span>", escape(h));
        }
        let (lat, lon) = (round7(stop.lat), round7(stop.lon));
        let _ = write!(
            site,
            "<small><a href=\"geo:{lat:.7},{lon:.7}\">{lat:.5}, {lon:.5}</a> · \
             <a href=\"https://www.openstreetmap.org/?mlat={lat:.7}&amp;mlon={lon:.7}#map=17/{lat:.7}/{lon:.7}\">{}</a></small>",
            tr(l, "map")
        );
        let mut eta = format!("<strong>{}</strong>", hhmm(stop.arrival));
        let wait = stop.start - stop.arrival - stop.parking;
        if wait >= 60 {
            let _ = write!(
                eta,
                "<small>{} {}, {} {}</small>",
                tr(l, "wait"),
                hours_minutes(wait as f64 / 3600.0),
                tr(l, "start"),
                hhmm(stop.start)
            );
        }
        if stop.action == Action::Start {
            let _ = write!(
                eta,
                "<small>{} {}</small>",
                tr(l, "leave"),
                hhmm(stop.departure)
            );
        }
        let mut window = window_text(stop.window, "–").unwrap_or("—".into());
        if stop.window.is_some_and(|(_, end)| stop.start > end) {
            let _ = write!(window, "<small class=\"alert\">{}</small>", tr(l, "late"));
        }
        let mut load = format!("{} L", thousands(stop.load_after as f64, 0));
        if stop.load_after > sheet.capacity_l {
            let _ = write!(
                load,
                "<small class=\"alert\">{}</small>",
                tr(l, "over capacity")
            );
        }
        let leg = match stop.km_from_previous {
            km if km > 0.0 => format!("<small>{km:.1} km</small>"),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "<tr{class}><td class=\"seq\">{}</td><td>{}{leg}</td><td>{site}</td><td>{eta}</td>\
             <td>{window}</td><td>{}</td><td>{}</td><td class=\"num\">{load}</td>\
             <td><span class=\"box\"></span></td><td>{}</td></tr>",
            escape(&label),
            escape(tr(l, stop.action.label())),
            items_cell(l, &stop.drop),
            items_cell(l, &stop.pick),
            stop.note.as_deref().map(escape).unwrap_or_default(),
        );
        if let Some(p) = sheet.pause.as_ref().filter(|p| p.after == i) {
            let _ = writeln!(
                s,
                "<tr class=\"pause\"><td class=\"seq\">☕</td><td colspan=\"3\"><strong>{}, {}</strong> \
                 ({})</td><td colspan=\"4\"><strong>{}–{}</strong></td>\
                 <td><span class=\"box\"></span></td><td></td></tr>",
                tr(l, "Break"),
                hours_minutes((p.end - p.start) as f64 / 3600.0),
                tr(
                    l,
                    if p.on_arrival {
                        "on arriving at the next stop, while waiting for its window"
                    } else {
                        "here, before driving on"
                    }
                ),
                hhmm(p.start),
                hhmm(p.end)
            );
        }
    }
    s.push_str("</tbody>\n</table>\n");
}

/// Opens a section with its title and a table with these column headers (and widths in %).
fn section_table(s: &mut String, title: &str, columns: &[(&str, Option<u32>)]) {
    let _ = write!(
        s,
        "<section class=\"loading\">\n<h2>{title}</h2>\n<table class=\"stops\">\n<thead><tr>"
    );
    for (name, width) in columns {
        match width {
            Some(w) => {
                let _ = write!(s, "<th scope=\"col\" style=\"width:{w}%\">{name}</th>");
            }
            None => {
                let _ = write!(s, "<th scope=\"col\">{name}</th>");
            }
        }
    }
    s.push_str("</tr></thead>\n<tbody>\n");
}

/// A crate collected at a farm for a site's next order, as `Conciergerie 12 (27 L)`, escaped;
/// `None` for another item.
fn crate_for_tomorrow(l: Lang, i: &Item) -> Option<String> {
    let what = i.what.strip_prefix("for ")?;
    let site = CRATE_WHEN
        .into_iter()
        .find_map(|when| what.strip_suffix(when))?;
    Some(format!(
        "{} ({} L)",
        escape(&place(l, site)),
        thousands(i.litres as f64, 0)
    ))
}

/// At each farm, whose order each crate collected for tomorrow is for, in full width.
fn farm_list(s: &mut String, sheet: &RouteSheet) {
    let l = sheet.lang;
    let labels = labels(&sheet.stops);
    let rows: Vec<(&str, &SheetStop, Vec<String>)> = sheet
        .stops
        .iter()
        .zip(&labels)
        .filter_map(|(st, label)| {
            let sites: Vec<String> = st
                .pick
                .iter()
                .filter_map(|i| crate_for_tomorrow(l, i))
                .collect();
            (!sites.is_empty()).then_some((label.as_str(), st, sites))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    section_table(
        s,
        if sheet
            .stops
            .iter()
            .flat_map(|st| &st.pick)
            .any(|i| i.what.ends_with(CRATE_WHEN[1]))
        {
            tr(l, "At the farms: crates for the sites' next passage")
        } else {
            tr(l, "At the farms: crates for tomorrow's orders")
        },
        &[
            (tr(l, "Stop"), Some(8)),
            (tr(l, "Site"), Some(22)),
            (tr(l, "Crates for"), None),
        ],
    );
    for (label, st, sites) in rows {
        let _ = writeln!(
            s,
            "<tr class=\"short\"><td class=\"seq\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(label),
            escape(&place(l, &st.name)),
            sites.join(", ")
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

/// The loading list: what to load at the depot, last stop first, so that the first stop's
/// goods come out first; one list per trip when the van comes back to reload (the next
/// trip's goods are loaded at the reload).
fn loading_list(s: &mut String, sheet: &RouteSheet) {
    let labels = labels(&sheet.stops);
    // The stops of each trip (split at the reloads).
    let mut trips: Vec<Vec<(usize, &SheetStop)>> = vec![Vec::new()];
    for (k, st) in sheet.stops.iter().enumerate() {
        if st.action == Action::Reload {
            trips.push(Vec::new());
        } else {
            trips.last_mut().expect("a trip").push((k, st));
        }
    }
    let several = trips.len() > 1;
    let l = sheet.lang;
    for (t, trip) in trips.iter().enumerate() {
        let rows: Vec<(&str, &SheetStop, &Item)> = trip
            .iter()
            .rev()
            .flat_map(|&(k, st)| {
                let label = labels[k].as_str();
                st.drop.iter().map(move |it| (label, st, it))
            })
            .filter(|(_, _, it)| !it.what.starts_with("fresh products"))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let title = if several {
            let (trip_word, at) = if l == crate::model::Lang::Fr {
                (
                    "Voyage",
                    if t == 0 {
                        "au départ"
                    } else {
                        "au rechargement"
                    },
                )
            } else {
                (
                    "Trip",
                    if t == 0 {
                        "at the start"
                    } else {
                        "at the reload"
                    },
                )
            };
            format!(
                "{} {} ({at}) — {}",
                trip_word,
                t + 1,
                tr(l, "Loading at the depot (last stop first)")
            )
        } else {
            tr(l, "Loading at the depot (last stop first)").to_string()
        };
        // Static words of the sheet's own (no user text): not escaped, as every section title.
        section_table(
            s,
            &title,
            &[
                (tr(l, "Stop"), Some(8)),
                (tr(l, "Site"), None),
                (tr(l, "Goods"), None),
                (tr(l, "Litres"), Some(12)),
                (tr(l, "Loaded"), Some(8)),
            ],
        );
        for (label, st, it) in rows {
            let _ = writeln!(
                s,
                "<tr class=\"short\"><td class=\"seq\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{} L</td>\
                 <td><span class=\"box\"></span></td></tr>",
                escape(label),
                escape(&place(l, &st.name)),
                escape(&goods(l, &it.what)),
                thousands(it.litres as f64, 0)
            );
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sheet::fixture::{sheet, H};
    use crate::report::xml_check::xml_elements;

    /// The inline SVG of an HTML page.
    fn svg_of(html: &str) -> &str {
        let start = html.find("<svg xmlns").expect("an inline SVG map");
        &html[start..start + html[start..].find("</svg>\n").unwrap() + "</svg>".len()]
    }

    #[test]
    fn the_loading_list_is_split_per_trip_at_the_reloads() {
        let mut one = sheet();
        let page = html(&one);
        assert_eq!(
            page.matches("Loading at the depot (last stop first)")
                .count(),
            1
        );
        assert!(!page.contains("Trip 1"));
        // A reload after Conciergerie 12: its goods load at the start, Conciergerie 3's at
        // the reload.
        let mut reload = one.stops[0].clone();
        reload.action = Action::Reload;
        reload.drop.clear();
        reload.pick.clear();
        one.stops.insert(2, reload);
        let page = html(&one);
        let first = page.find("Trip 1 (at the start)").expect("trip 1's list");
        let second = page.find("Trip 2 (at the reload)").expect("trip 2's list");
        let (a, b) = (&page[first..second], &page[second..]);
        assert!(a.contains("12 parcels") && !a.contains("28 parcels"));
        assert!(b.contains("28 parcels") && !b.contains("12 parcels"));
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
    fn every_label_of_the_sheet_is_french() {
        let mut s = sheet();
        s.lang = Lang::Fr;
        s.pause = Some(crate::report::sheet::SheetPause {
            after: 1,
            on_arrival: false,
            start: 9 * H,
            end: 9 * H + 1800,
        });
        let page = html(&s);
        for text in [
            "<html lang=\"fr\">",
            "<title>Feuille de route · Véhicule 1 · mercredi 25 novembre 2026</title>",
            "content: \"Véhicule 1 · mercredi 25 novembre 2026\"",
            "\"page \" counter(page) \" sur \" counter(pages)",
            "<dt>Départ du dépôt</dt><dd>07:30 (arrivée 07:00)</dd>",
            "Arrêts dans l'ordre de passage",
            "<th scope=\"col\">À livrer</th>",
            "Pause, 30 min",
            "23,6 km",
            "12 colis (240 L)",
            "Chargement au dépôt (dernier arrêt d'abord)",
            "Dépôt : La Poste Andorra la Vella",
        ] {
            assert!(page.contains(text), "missing {text}");
        }
        for english in [
            "Route sheet",
            "Leave the depot",
            "Back at the depot",
            "Driving",
            "Peak load",
            "Stops in visiting order",
            "To drop",
            "To pick up",
            "On board",
            "Notes",
            "Route in red",
            "Loading at the depot",
            "Goods handed over",
            "Map and places",
            ">Drop<",
            ">Pick up<",
            " of \" counter",
        ] {
            assert!(!page.contains(english), "English left: {english}");
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
}
