//! The planner's interactive map (`map.html`): the conciergeries, their catchments, the
//! households, the day's rounds and the extract's roads in a web map that works offline from
//! the output folder.
//!
//! Decisions (also in the README):
//! - The map library is Leaflet 1.9.4, vendored from the npm registry (`data/web/leaflet/`,
//!   BSD 2-Clause) and written next to the page (`map/leaflet.js`, `map/leaflet.css`,
//!   `map/LICENSE-leaflet.txt`): no network is needed. OpenStreetMap's raster tiles are a
//!   second base layer for when the planner is online, with their attribution.
//! - The base layer is the extract's roads, simplified (Ramer-Douglas-Peucker, 3 m); beyond
//!   [`MAX_ROAD_POINTS`] points, the longest roads only (the page says so). Van rounds are
//!   simplified too (3 m; 10 m beyond 100 vans).
//! - Households are never drawn one by one: they are gathered in squares (about 1 km at low
//!   zoom, 150 m at high zoom; [`MAX_FINE_CELLS`] squares at most), each dot sized by its foyers
//!   and coloured by the site serving most of them. Households farther than
//!   [`FAR_M`] from their site are drawn one by one in red and listed (the 2,000 farthest).
//! - Catchments are the hulls of their households within [`FAR_M`], coloured so that
//!   neighbouring catchments differ (greedy colouring over each site's nearest sites).
//! - A click on a site shows its number, name, address, host, foyers, walking distances and
//!   its households (all of them up to [`MAX_LISTED_HOUSEHOLDS`] households in the territory,
//!   else the 10 farthest of each site; every household is in `sites/assignment.csv`).
//! - `map.html#selftest` runs the page's own checks (the library loaded, the layers exist, a
//!   click on a site opens its popup, the search finds a site) and writes them as JSON into
//!   `<pre id="selftest">`: `.ci/check-map` reads it from headless Chromium's DOM.

use super::lang::{number, Lang};
use super::svg::PlaceName;
use super::text::escape;
use crate::io::files::{create_dir, write_file, WriteError, ODBL_ATTRIBUTION};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::Path;

pub use crate::plan::siting::FAR_M;
/// The road points the base layer keeps at most.
pub const MAX_ROAD_POINTS: usize = 250_000;
/// The squares of households drawn at high zoom at most.
pub const MAX_FINE_CELLS: usize = 60_000;
/// Up to this many households in the territory, a site's popup lists all its households.
pub const MAX_LISTED_HOUSEHOLDS: usize = 30_000;
/// Far households listed in the side panel at most.
const MAX_FAR_LISTED: usize = 2_000;

const LEAFLET_JS: &[u8] = include_bytes!("../../data/web/leaflet/leaflet.js");
const LEAFLET_CSS: &[u8] = include_bytes!("../../data/web/leaflet/leaflet.css");
const LEAFLET_LICENSE: &[u8] = include_bytes!("../../data/web/leaflet/LICENSE");
/// The layer control's icon, when it is folded (many vans).
const LEAFLET_LAYERS: [(&str, &[u8]); 2] = [
    (
        "layers.png",
        include_bytes!("../../data/web/leaflet/images/layers.png"),
    ),
    (
        "layers-2x.png",
        include_bytes!("../../data/web/leaflet/images/layers-2x.png"),
    ),
];

/// Colours of the catchments: neighbours get different ones.
const PALETTE: [&str; 10] = [
    "#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#6a3d9a", "#b15928", "#a6761d", "#1b9e77",
    "#d95f02", "#e7298a",
];
const VAN_COLOURS: [&str; 6] = [
    "#d7301f", "#2171b5", "#238b45", "#6a51a3", "#cc4c02", "#252525",
];

/// One conciergerie on the map.
#[derive(Clone, Debug)]
pub struct Site {
    /// Its number (as on the overview and in `sites.csv`).
    pub label: usize,
    /// Its name, as the drivers read it.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Its host's line (name, phone, hours), if the planner gave one.
    pub host: Option<String>,
    /// Fixed by the planner.
    pub fixed: bool,
    /// Where it is.
    pub lon: f64,
    /// Where it is.
    pub lat: f64,
    /// Foyers served.
    pub foyers: i64,
    /// Households served.
    pub households: usize,
    /// Mean distance of its foyers, metres.
    pub mean_m: f64,
    /// Longest distance, metres.
    pub max_m: f64,
}

/// One household on the map.
#[derive(Clone, Debug)]
pub struct Home {
    /// Where it is.
    pub lon: f64,
    /// Where it is.
    pub lat: f64,
    /// Its foyers.
    pub foyers: i64,
    /// Its site (an index into [`Input::sites`]).
    pub site: usize,
    /// Its distance to its site, metres.
    pub distance_m: f64,
    /// Its address (may be empty).
    pub address: String,
}

/// What the map shows.
#[derive(Clone, Debug)]
pub struct Input {
    /// Language of the page.
    pub lang: Lang,
    /// Territory.
    pub territory: String,
    /// Day of the rounds.
    pub date: String,
    /// The conciergeries.
    pub sites: Vec<Site>,
    /// The households grouped.
    pub homes: Vec<Home>,
    /// How distances are measured ("walking"...), and how many households by a fallback
    /// (driving or straight line).
    pub distance: (&'static str, usize),
    /// The rounds: van name and road path `[lon, lat]`.
    pub vans: Vec<(String, Vec<[f64; 2]>)>,
    /// The depots: name, lon, lat.
    pub depots: Vec<(String, f64, f64)>,
    /// The extract's roads.
    pub roads: std::sync::Arc<[Vec<[f64; 2]>]>,
    /// Villages and streets, for the search box.
    pub places: Vec<PlaceName>,
}

/// A coordinate rounded to 5 decimals (about 1 m).
fn r5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// `[lon, lat]` points as a flat `[lon0, lat0, lon1, lat1...]` array.
fn flat(points: impl IntoIterator<Item = [f64; 2]>) -> Value {
    Value::Array(
        points
            .into_iter()
            .flat_map(|[x, y]| [json!(r5(x)), json!(r5(y))])
            .collect(),
    )
}

/// `line` simplified within `metres` (Ramer-Douglas-Peucker on degrees).
fn simplified(line: &[[f64; 2]], metres: f64) -> Vec<[f64; 2]> {
    use geo::{LineString, Simplify};
    let ls: LineString<f64> = line.iter().map(|p| (p[0], p[1])).collect();
    ls.simplify(metres / 111_000.0)
        .0
        .into_iter()
        .map(|c| [c.x, c.y])
        .collect()
}

/// The roads, simplified within 3 m; beyond [`MAX_ROAD_POINTS`] points, the longest roads
/// only (the main roads between villages; a town's short streets go first), and how many of
/// the roads are drawn.
fn roads(lines: &[Vec<[f64; 2]>]) -> (Vec<Vec<[f64; 2]>>, usize) {
    let mut out: Vec<Vec<[f64; 2]>> = lines
        .iter()
        .filter(|l| l.len() >= 2)
        .map(|l| simplified(l, 3.0))
        .collect();
    let all = out.len();
    let n: usize = out.iter().map(Vec::len).sum();
    if n > MAX_ROAD_POINTS {
        let length = |l: &Vec<[f64; 2]>| {
            l.windows(2)
                .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
                .sum::<f64>()
        };
        let mut keyed: Vec<(f64, Vec<[f64; 2]>)> =
            out.into_iter().map(|l| (length(&l), l)).collect();
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut kept = 0;
        out = keyed
            .into_iter()
            .take_while(|(_, l)| {
                kept += l.len();
                kept <= MAX_ROAD_POINTS
            })
            .map(|x| x.1)
            .collect();
    }
    (out, all)
}

/// Households gathered in squares of `side` degrees of latitude (see
/// [`super::overview::squares`]): per square, its mean place, its foyers and the site serving
/// most of them; squares in row order.
fn cells(homes: &[Home], side: f64, lat0: f64) -> Vec<(f64, f64, i64, usize)> {
    let kx = lat0.to_radians().cos().max(0.05);
    super::overview::squares(
        homes,
        |h| (h.lon, h.lat, h.site),
        |h| h.foyers,
        |lon, lat| {
            (
                (lat / side).floor() as i64,
                (lon * kx / side).floor() as i64,
            )
        },
    )
    .into_iter()
    .map(|c| (c.lon, c.lat, c.weight, c.site))
    .collect()
}

/// A colour per site such that each site's nearest neighbours (by straight line) have other
/// colours, as far as the palette allows (greedy, in site order).
fn colours(sites: &[Site]) -> Vec<&'static str> {
    use rstar::primitives::GeomWithData;
    let kx = sites
        .first()
        .map_or(1.0, |s| s.lat.to_radians().cos().max(0.05));
    let tree = rstar::RTree::bulk_load(
        sites
            .iter()
            .enumerate()
            .map(|(k, s)| GeomWithData::new([s.lon * kx, s.lat], k))
            .collect(),
    );
    let mut out: Vec<Option<usize>> = vec![None; sites.len()];
    for (k, s) in sites.iter().enumerate() {
        let mut used = [0usize; PALETTE.len()];
        for (rank, g) in tree
            .nearest_neighbor_iter([s.lon * kx, s.lat])
            .filter(|g| g.data != k)
            .take(8)
            .enumerate()
        {
            if let Some(c) = out[g.data] {
                // The nearest count most.
                used[c] += 8 - rank;
            }
        }
        let c = (0..PALETTE.len())
            .min_by_key(|&c| {
                (
                    used[c],
                    (c + PALETTE.len() - k % PALETTE.len()) % PALETTE.len(),
                )
            })
            .unwrap_or(0);
        out[k] = Some(c);
    }
    out.into_iter().map(|c| PALETTE[c.unwrap_or(0)]).collect()
}

/// The words of the page.
fn words(lang: Lang) -> Value {
    let fr = lang == Lang::Fr;
    let w = |en: &str, f: &str| json!(if fr { f } else { en });
    json!({
        "roads": w("Roads of the extract", "Routes de l'extrait"),
        "osm": w("OpenStreetMap (online)", "OpenStreetMap (en ligne)"),
        "catchments": w("Catchments", "Zones desservies"),
        "households": w("Households (grouped)", "Foyers (regroupés)"),
        "far": w("Far households", "Foyers éloignés"),
        "sites": w("Conciergeries", "Conciergeries"),
        "depots": w("Depots", "Dépôts"),
        "van": w("Van", "Véhicule"),
        "foyers": w("foyers", "foyers"),
        "households_n": w("households", "logements"),
        "mean": w("mean walk", "marche moyenne"),
        "max": w("farthest", "la plus longue"),
        "host": w("Host", "Hôte"),
        "no_host": w("no host given yet (sites.csv)", "pas encore d'hôte (sites.csv)"),
        "fixed": w("fixed by the planner", "imposée par le planificateur"),
        "more": w("more in sites/assignment.csv", "les autres dans sites/assignment.csv"),
        "farthest": w("its farthest households", "ses foyers les plus éloignés"),
        "its_households": w("its households", "ses foyers"),
        "not_found": w("not found", "introuvable"),
        "main_roads": w("Base layer: the main roads only (the longest {n} of the extract's {all} road segments, to keep the page light); every street on OpenStreetMap's layer when online.", "Fond : les routes principales seulement (les {n} plus longs des {all} tronçons de l'extrait, pour garder la page légère) ; toutes les rues sur la couche OpenStreetMap en ligne."),
    })
}

/// The page's data, as one JSON value.
fn data(i: &Input) -> Value {
    let colour = colours(&i.sites);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); i.sites.len()];
    for (k, h) in i.homes.iter().enumerate() {
        if let Some(m) = members.get_mut(h.site) {
            m.push(k);
        }
    }
    let listed_all = i.homes.len() <= MAX_LISTED_HOUSEHOLDS;
    let sites: Vec<Value> = i
        .sites
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut hh: Vec<usize> = members[k].clone();
            hh.sort_by(|&a, &b| {
                i.homes[b]
                    .distance_m
                    .total_cmp(&i.homes[a].distance_m)
                    .then(a.cmp(&b))
            });
            let shown = if listed_all {
                hh.len()
            } else {
                hh.len().min(10)
            };
            json!({
                "l": s.label,
                "n": super::lang::place(i.lang, &s.name),
                "a": s.address,
                "h": s.host,
                "fx": s.fixed,
                "x": r5(s.lon),
                "y": r5(s.lat),
                "f": s.foyers,
                "k": s.households,
                "m": s.mean_m.round(),
                "M": s.max_m.round(),
                "c": colour[k],
                "hh": hh[..shown].iter().map(|&h| {
                    let h = &i.homes[h];
                    json!([h.address, h.distance_m.round(), h.foyers])
                }).collect::<Vec<_>>(),
                "more": hh.len() - shown,
            })
        })
        .collect();
    // A catchment is the hull of its households within [`FAR_M`] (the far ones are drawn
    // on their own: with them, a hull would cover mountains nobody lives on).
    let catchments: Vec<Value> = members
        .iter()
        .map(|m| {
            let mut pts: Vec<[f64; 2]> = m
                .iter()
                .filter(|&&h| i.homes[h].distance_m <= FAR_M)
                .map(|&h| [i.homes[h].lon, i.homes[h].lat])
                .collect();
            if pts.is_empty() {
                pts = m
                    .iter()
                    .map(|&h| [i.homes[h].lon, i.homes[h].lat])
                    .collect();
            }
            match super::sites::catchment(&pts) {
                Some(poly) => flat(poly.exterior().coords().map(|c| [c.x, c.y])),
                None => json!([]),
            }
        })
        .collect();
    let (road_lines, roads_all) = roads(&i.roads);
    let lat0 = i.sites.first().map_or(45.0, |s| s.lat);
    let coarse = cells(&i.homes, 0.009, lat0);
    let mut side = 0.00135;
    let mut fine = cells(&i.homes, side, lat0);
    while fine.len() > MAX_FINE_CELLS {
        side *= 1.5;
        fine = cells(&i.homes, side, lat0);
    }
    let cell_json = |c: &[(f64, f64, i64, usize)]| -> Vec<Value> {
        c.iter()
            .map(|&(x, y, f, s)| json!([r5(x), r5(y), f, s]))
            .collect()
    };
    let mut far: Vec<usize> = (0..i.homes.len())
        .filter(|&k| i.homes[k].distance_m > FAR_M)
        .collect();
    far.sort_by(|&a, &b| {
        i.homes[b]
            .distance_m
            .total_cmp(&i.homes[a].distance_m)
            .then(a.cmp(&b))
    });
    let far_total = far.len();
    far.truncate(MAX_FAR_LISTED);
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in i
        .homes
        .iter()
        .map(|h| [h.lon, h.lat])
        .chain(i.sites.iter().map(|s| [s.lon, s.lat]))
        .filter(|p| p[0].is_finite() && p[1].is_finite())
    {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    if !lo[0].is_finite() {
        (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
    }
    json!({
        "lang": if i.lang == Lang::Fr { "fr" } else { "en" },
        "w": words(i.lang),
        "bounds": [[lo[1], lo[0]], [hi[1], hi[0]]],
        "roads": road_lines.into_iter().map(flat).collect::<Vec<_>>(),
        "roads_all": roads_all,
        "sites": sites,
        "catch": catchments,
        "coarse": cell_json(&coarse),
        "fine": cell_json(&fine),
        "far": far.iter().map(|&k| {
            let h = &i.homes[k];
            json!([r5(h.lon), r5(h.lat), h.address, h.site, h.distance_m.round(), h.foyers])
        }).collect::<Vec<_>>(),
        "far_total": far_total,
        "vans": i.vans.iter().enumerate().map(|(k, (name, path))| json!({
            "n": name,
            "c": VAN_COLOURS[k % VAN_COLOURS.len()],
            "p": flat(simplified(path, if i.vans.len() > 100 { 10.0 } else { 3.0 })),
        })).collect::<Vec<_>>(),
        "depots": i.depots.iter().map(|(n, x, y)| json!([n, r5(*x), r5(*y)])).collect::<Vec<_>>(),
        "places": i.places.iter().map(|p| json!([p.text, r5(p.at[0]), r5(p.at[1]), p.village])).collect::<Vec<_>>(),
    })
}

/// The page's HTML, its data inline.
fn page(i: &Input) -> String {
    let fr = i.lang == Lang::Fr;
    let w = |en: &'static str, f: &'static str| if fr { f } else { en };
    let foyers: i64 = i.homes.iter().map(|h| h.foyers).sum();
    let far = i.homes.iter().filter(|h| h.distance_m > FAR_M).count();
    let n = i.distance.1;
    let kind = match (i.distance.0, fr) {
        ("walking", true) => "à pied",
        ("driving", true) => "en voiture",
        (_, true) => "à vol d'oiseau",
        ("walking", false) => "walking",
        ("driving", false) => "driving",
        _ => "straight-line",
    };
    let off = match (n, fr) {
        (0, _) => String::new(),
        (_, true) => format!(
            " ({n} {} hors du réseau piéton : mesurés en voiture ou à vol d'oiseau, voir sites/assignment.csv)",
            if n > 1 { "logements" } else { "logement" }
        ),
        (_, false) => format!(
            " ({n} {} off the walking network: measured by car or in a straight line, see sites/assignment.csv)",
            if n > 1 { "households" } else { "household" }
        ),
    };
    let (sites, homes, foyers) = (
        i.sites.len(),
        number(i.lang, i.homes.len() as f64, 0),
        number(i.lang, foyers as f64, 0),
    );
    let summary = if fr {
        format!(
            "{sites} conciergeries, {homes} logements, {foyers} foyers ; distances {kind}{off}."
        )
    } else {
        format!(
            "{sites} conciergeries, {homes} households, {foyers} foyers; {kind} distances{off}."
        )
    };
    let far_km = number(i.lang, FAR_M / 1000.0, 0);
    let mut s = String::new();
    let title = format!(
        "{} — {}",
        w("Conciergeries map", "Carte des conciergeries"),
        i.territory
    );
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
<link rel="stylesheet" href="map/leaflet.css">
<style>
html, body {{ margin: 0; height: 100%; font-family: system-ui, sans-serif; font-size: 14px; }}
#side {{ position: absolute; top: 0; left: 0; bottom: 0; width: 320px; overflow-y: auto; padding: 10px 12px; box-sizing: border-box; background: #fafafa; border-right: 1px solid #ccc; }}
#map {{ position: absolute; top: 0; left: 320px; right: 0; bottom: 0; }}
h1 {{ font-size: 17px; margin: 0 0 4px; }}
h2 {{ font-size: 14px; margin: 14px 0 4px; }}
.small {{ font-size: 12px; color: #444; }}
#search {{ width: 100%; box-sizing: border-box; padding: 5px; font-size: 14px; }}
.legend div {{ display: flex; align-items: center; gap: 6px; margin: 3px 0; }}
.sw {{ display: inline-block; width: 14px; height: 14px; border-radius: 50%; }}
.site-marker span {{ display: flex; align-items: center; justify-content: center; border-radius: 50%; border: 1.5px solid #fff; box-shadow: 0 0 2px #000; color: #fff; font-size: 10px; font-weight: bold; box-sizing: border-box; }}
.site-marker.fixed span {{ border: 2.5px solid #000; }}
.zoomed-out .site-marker span {{ transform: scale(0.45); font-size: 0; }}
.depot-marker span {{ display: block; width: 14px; height: 14px; background: #000; border: 2px solid #fff; box-shadow: 0 0 2px #000; }}
#far li {{ cursor: pointer; margin: 2px 0; }}
#far li:hover {{ text-decoration: underline; }}
.popup h3 {{ margin: 0 0 4px; font-size: 14px; }}
.popup ol {{ max-height: 180px; overflow-y: auto; margin: 4px 0; padding-left: 22px; font-size: 12px; }}
@media print {{ #side {{ position: static; width: auto; border: 0; }} #map {{ position: relative; left: 0; height: 180mm; }} }}
</style>
</head>
<body>
<div id="side">
<h1>{t}</h1>
<p class="small">{date}</p>
<input id="search" list="choices" placeholder="{ph}" autocomplete="off">
<datalist id="choices"></datalist>
<p class="small" id="found"></p>
<h2>{legend}</h2>
<div class="legend small">
<div><span class="sw" style="background:#1f78b4;width:18px;height:18px"></span>{l_site}</div>
<div><span class="sw" style="background:#1f78b4;border:2.5px solid #000;box-sizing:border-box;width:18px;height:18px"></span>{l_fixed}</div>
<div><span class="sw" style="background:#33a02c;opacity:.35;border-radius:2px"></span>{l_catch}</div>
<div><span class="sw" style="background:#33a02c;width:8px;height:8px"></span>{l_home}</div>
<div><span class="sw" style="background:#e00;width:9px;height:9px;border:1px solid #600"></span>{l_far}</div>
<div><span class="sw" style="background:#d7301f;height:3px;border-radius:0;width:20px"></span>{l_van}</div>
<div><span class="sw" style="background:#000;border-radius:0"></span>{l_depot}</div>
</div>
<p class="small">{summary}</p>
<h2>{far_title}</h2>
<p class="small">{far_text}</p>
<ol id="far" class="small"></ol>
<p class="small">{attribution}</p>
</div>
<div id="map"></div>
<script src="map/leaflet.js"></script>
<script id="data" type="application/json">"#,
        lang = if fr { "fr" } else { "en" },
        t = escape(&title),
        date = escape(&i.date),
        ph = w(
            "Find a conciergerie (number or name), a street, a village",
            "Chercher une conciergerie (numéro ou nom), une rue, un village"
        ),
        legend = w("Legend", "Légende"),
        l_site = w(
            "conciergerie, sized by its foyers (click: details)",
            "conciergerie, taille selon ses foyers (clic : détails)"
        ),
        l_fixed = w("conciergerie fixed by the planner", "conciergerie imposée"),
        l_catch = w(
            "catchment (neighbours in other colours)",
            "zone desservie (voisines d'autres couleurs)"
        ),
        l_home = w(
            "households, grouped by squares, coloured by their conciergerie",
            "foyers, regroupés par carrés, couleur de leur conciergerie"
        ),
        l_far = if fr {
            format!("foyer à plus de {far_km} km de sa conciergerie")
        } else {
            format!("household more than {far_km} km from its conciergerie")
        },
        l_van = w(
            "van round (one layer per van)",
            "tournée d'un véhicule (une couche par véhicule)"
        ),
        l_depot = w("depot", "dépôt"),
        summary = escape(&summary),
        far_title = if fr {
            format!("Foyers à plus de {far_km} km")
        } else {
            format!("Households more than {far_km} km away")
        },
        far_text = escape(&if fr {
            format!(
                "{far} logements, les plus éloignés d'abord{} ; clic : les voir sur la carte.",
                if far > MAX_FAR_LISTED {
                    format!(" ({MAX_FAR_LISTED} listés, tous dans sites/assignment.csv)")
                } else {
                    String::new()
                }
            )
        } else {
            format!(
                "{far} households, farthest first{}; click one to see it on the map.",
                if far > MAX_FAR_LISTED {
                    format!(" ({MAX_FAR_LISTED} listed, all in sites/assignment.csv)")
                } else {
                    String::new()
                }
            )
        }),
        attribution = escape(&format!(
            "{ODBL_ATTRIBUTION}. {}",
            w(
                "Map library: Leaflet 1.9.4 (BSD 2-Clause, map/LICENSE-leaflet.txt).",
                "Bibliothèque cartographique : Leaflet 1.9.4 (BSD 2-Clause, map/LICENSE-leaflet.txt)."
            )
        )),
    );
    // JSON inside a script element: `</` would close it.
    s.push_str(&data(i).to_string().replace("</", "<\\/"));
    s.push_str("</script>\n<script>\n");
    s.push_str(SCRIPT);
    s.push_str("</script>\n</body>\n</html>\n");
    s
}

/// The page's program: layers, popups, search, far households, self-test.
const SCRIPT: &str = r##""use strict";
const T0 = performance.now();
const D = JSON.parse(document.getElementById("data").textContent);
const W = D.w;
const num = (x) => Math.round(x).toLocaleString(D.lang === "fr" ? "fr-FR" : "en-GB");
const km = (m) => m >= 1000 ? (m / 1000).toLocaleString(D.lang === "fr" ? "fr-FR" : "en-GB", {maximumFractionDigits: 1}) + " km" : num(m) + " m";
const ll = (f) => { const out = []; for (let i = 0; i + 1 < f.length; i += 2) out.push([f[i + 1], f[i]]); return out; };
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]));
const map = L.map("map", {preferCanvas: true, zoomSnap: 0.25});
map.fitBounds(D.bounds, {padding: [20, 20]});
const canvas = L.canvas({padding: 0.3});
const roads = L.layerGroup([L.polyline(D.roads.map(ll), {color: "#8c8c8c", weight: 1, opacity: 0.8, interactive: false, renderer: canvas})]);
const osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19, attribution: "&copy; OpenStreetMap contributors"});
roads.addTo(map);
map.attributionControl.addAttribution("&copy; OpenStreetMap contributors (ODbL)");
const catchments = L.layerGroup(D.sites.map((s, k) => L.polygon(ll(D.catch[k]), {color: s.c, weight: 1, fillColor: s.c, fillOpacity: 0.15, interactive: false, renderer: canvas}))).addTo(map);
const dots = (cells) => L.layerGroup(cells.map(([x, y, f, s]) => L.circleMarker([y, x], {radius: Math.min(9, 1.5 + Math.sqrt(f) * 0.7), stroke: false, fillColor: D.sites[s] ? D.sites[s].c : "#555", fillOpacity: 0.75, interactive: false, renderer: canvas})));
const coarse = dots(D.coarse), fine = dots(D.fine);
const households = L.layerGroup().addTo(map);
const showDots = () => { households.clearLayers(); households.addLayer(map.getZoom() >= 14 ? fine : coarse); };
map.on("zoomend", showDots); showDots();
// Zoomed out, the sites shrink to dots so that the territory stays readable.
const small = () => map.getContainer().classList.toggle("zoomed-out", map.getZoom() < 13);
map.on("zoomend", small); small();
const far = L.layerGroup(D.far.map(([x, y, a, s, d, f]) => L.circleMarker([y, x], {radius: 4, color: "#600", weight: 1, fillColor: "#e00", fillOpacity: 0.9, renderer: canvas}).bindTooltip(esc(a) + " — " + km(d) + " (" + (D.sites[s] ? D.sites[s].l : "") + ")"))).addTo(map);
function popup(s) {
  let h = "<div class=\"popup\"><h3>" + s.l + ". " + esc(s.n) + "</h3>";
  if (s.a) h += esc(s.a) + "<br>";
  h += "<b>" + W.host + "</b> : " + (s.h ? esc(s.h) : "<i>" + W.no_host + "</i>") + "<br>";
  if (s.fx) h += "<i>" + W.fixed + "</i><br>";
  h += "<b>" + num(s.f) + "</b> " + W.foyers + ", " + num(s.k) + " " + W.households_n + "<br>";
  h += W.mean + " " + km(s.m) + ", " + W.max + " " + km(s.M);
  h += "<br><b>" + (s.more > 0 ? W.farthest : W.its_households) + "</b><ol>";
  for (const [a, d, f] of s.hh) h += "<li>" + esc(a || "?") + " — " + km(d) + (f > 1 ? " (" + f + " " + W.foyers + ")" : "") + "</li>";
  h += "</ol>";
  if (s.more > 0) h += "+ " + num(s.more) + ", " + W.more;
  return h + "</div>";
}
const markers = D.sites.map((s) => {
  const d = Math.round(Math.min(30, 10 + Math.sqrt(s.f) * 1.6));
  const icon = L.divIcon({className: "site-marker" + (s.fx ? " fixed" : ""), html: "<span style=\"width:" + d + "px;height:" + d + "px;background:" + s.c + "\">" + (d >= 16 ? s.l : "") + "</span>", iconSize: [d, d]});
  return L.marker([s.y, s.x], {icon: icon, title: s.l + ". " + s.n, riseOnHover: true}).bindPopup(() => popup(s), {maxWidth: 360});
});
const sites = L.layerGroup(markers).addTo(map);
const depots = L.layerGroup(D.depots.map(([n, x, y]) => L.marker([y, x], {icon: L.divIcon({className: "depot-marker", html: "<span></span>", iconSize: [14, 14]}), title: n}).bindTooltip(esc(n)))).addTo(map);
const overlays = {};
overlays[W.catchments] = catchments;
overlays[W.households] = households;
overlays[W.far] = far;
overlays[W.sites] = sites;
overlays[W.depots] = depots;
const vans = D.vans.map((v) => L.polyline(ll(v.p), {color: v.c, weight: 3, opacity: 0.85, renderer: canvas}).bindTooltip(esc(v.n)));
D.vans.forEach((v, k) => { overlays["<span style=\"color:" + v.c + "\">&#9644;</span> " + esc(v.n)] = vans[k]; vans[k].addTo(map); });
const bases = {};
bases[W.roads] = roads;
bases[W.osm] = osm;
L.control.layers(bases, overlays, {collapsed: D.vans.length > 12}).addTo(map);
L.control.scale({imperial: false}).addTo(map);
// Search: sites by number or name, then streets and villages.
const choices = [];
D.sites.forEach((s, k) => choices.push([s.l + ". " + s.n + (s.a ? " — " + s.a : ""), "s", k]));
D.places.forEach(([n, x, y, v], k) => choices.push([n, "p", k]));
const dl = document.getElementById("choices");
const frag = document.createDocumentFragment();
for (const [t] of choices) { const o = document.createElement("option"); o.value = t; frag.appendChild(o); }
dl.appendChild(frag);
function go(text) {
  const q = text.trim().toLowerCase();
  if (!q) return null;
  let c = choices.find((c) => c[0].toLowerCase() === q)
    || (/^\d+$/.test(q) ? choices.find((c) => c[1] === "s" && String(D.sites[c[2]].l) === q) : null)
    || choices.find((c) => c[0].toLowerCase().startsWith(q))
    || choices.find((c) => c[0].toLowerCase().includes(q));
  const found = document.getElementById("found");
  if (!c) { found.textContent = "« " + text + " » : " + W.not_found; return null; }
  found.textContent = c[0];
  if (c[1] === "s") { const s = D.sites[c[2]]; map.setView([s.y, s.x], Math.max(map.getZoom(), 16)); markers[c[2]].openPopup(); }
  else { const p = D.places[c[2]]; map.setView([p[2], p[1]], p[3] ? 14 : 17); }
  return c;
}
const search = document.getElementById("search");
search.addEventListener("change", () => go(search.value));
search.addEventListener("keydown", (e) => { if (e.key === "Enter") go(search.value); });
// Far households, farthest first.
const list = document.getElementById("far");
D.far.forEach(([x, y, a, s, d, f]) => {
  const li = document.createElement("li");
  li.textContent = (a || "?") + " — " + km(d) + " (" + (D.sites[s] ? D.sites[s].l : "") + ")";
  li.addEventListener("click", () => map.setView([y, x], 17));
  list.appendChild(li);
});
if (D.roads.length < D.roads_all) {
  const p = document.createElement("p");
  p.className = "small";
  p.textContent = W.main_roads.replace("{n}", num(D.roads.length)).replace("{all}", num(D.roads_all));
  document.getElementById("far").before(p);
}
window.tourneeReadyMs = performance.now() - T0;
if (location.hash === "#selftest") {
  const r = {leaflet: typeof L === "object" ? L.version : null, ready_ms: Math.round(window.tourneeReadyMs)};
  r.layers = {roads: roads.getLayers().length, catchments: catchments.getLayers().length, sites: sites.getLayers().length, coarse: coarse.getLayers().length, fine: fine.getLayers().length, far: far.getLayers().length, vans: vans.length, depots: depots.getLayers().length};
  r.control_rows = document.querySelectorAll(".leaflet-control-layers-selector").length;
  r.site_elements = document.querySelectorAll(".site-marker").length;
  r.dom_elements = document.getElementsByTagName("*").length;
  // A real click on the first site's marker, then what its popup says.
  const el = document.querySelector(".site-marker");
  if (el) el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
  const popups = () => document.querySelectorAll(".leaflet-popup-content");
  const pop = popups()[popups().length - 1];
  r.popup = pop ? pop.innerText : null;
  r.first_site = D.sites.length ? {label: D.sites[0].l, name: D.sites[0].n, foyers: D.sites[0].f} : null;
  map.closePopup();
  // The search finds the last site by its number and opens its popup.
  const last = D.sites[D.sites.length - 1];
  if (last) { search.value = String(last.l); search.dispatchEvent(new Event("change")); }
  const pop2 = popups()[popups().length - 1];
  r.search_popup = pop2 ? pop2.innerText : null;
  r.last_site = last ? {label: last.l, name: last.n} : null;
  r.far_listed = document.querySelectorAll("#far li").length;
  const pre = document.createElement("pre");
  pre.id = "selftest";
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
}
"##;

/// Writes `map.html` and the map library beside it (`map/`) into `out`.
pub fn write(out: &Path, i: &Input) -> Result<(), WriteError> {
    let lib = out.join("map");
    create_dir(&lib)?;
    write_file(&lib.join("leaflet.js"), LEAFLET_JS)?;
    write_file(&lib.join("leaflet.css"), LEAFLET_CSS)?;
    write_file(&lib.join("LICENSE-leaflet.txt"), LEAFLET_LICENSE)?;
    create_dir(&lib.join("images"))?;
    for (name, bytes) in LEAFLET_LAYERS {
        write_file(&lib.join("images").join(name), bytes)?;
    }
    write_file(&out.join("map.html"), page(i).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(k: usize, lon: f64) -> Site {
        Site {
            label: k + 1,
            name: format!("Site {}", k + 1),
            address: "1 rue Haute".into(),
            host: None,
            fixed: k == 0,
            lon,
            lat: 45.0,
            foyers: 3,
            households: 3,
            mean_m: 100.0,
            max_m: 2500.0,
        }
    }

    fn input() -> Input {
        let sites: Vec<Site> = (0..4).map(|k| site(k, 4.0 + 0.01 * k as f64)).collect();
        let homes = (0..12)
            .map(|h| Home {
                lon: 4.0 + 0.01 * (h / 3) as f64 + 0.0005 * (h % 3) as f64,
                lat: 45.0,
                foyers: 1,
                site: h / 3,
                distance_m: if h == 5 { 2500.0 } else { 40.0 },
                address: format!("{h} rue </script> Basse"),
            })
            .collect();
        Input {
            lang: Lang::Fr,
            territory: "Testville".into(),
            date: "mercredi 25 novembre 2026".into(),
            sites,
            homes,
            distance: ("walking", 0),
            vans: vec![("Véhicule 1".into(), vec![[4.0, 45.0], [4.03, 45.0]])],
            depots: vec![("Dépôt".into(), 4.0, 45.001)],
            roads: vec![vec![[4.0, 45.0], [4.01, 45.0], [4.02, 45.0]]].into(),
            places: vec![PlaceName {
                text: "Rue Haute".into(),
                at: [4.01, 45.0],
                village: false,
            }],
        }
    }

    #[test]
    fn the_page_carries_its_data_without_closing_its_script() {
        let html = page(&input());
        let start = html
            .find(r#"<script id="data" type="application/json">"#)
            .unwrap();
        let body = &html[start..];
        let end = body.find("</script>").unwrap();
        let json = &body[body.find('>').unwrap() + 1..end];
        let v: Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["sites"].as_array().unwrap().len(), 4);
        assert_eq!(v["far"].as_array().unwrap().len(), 1);
        assert_eq!(v["far"][0][2], "5 rue </script> Basse");
        assert_eq!(v["sites"][0]["fx"], true);
        assert!(html.contains("Foyers à plus de 2 km"));
        assert!(html.contains(r#"<script src="map/leaflet.js"></script>"#));
    }

    #[test]
    fn neighbouring_catchments_get_different_colours() {
        // Sites in a row: each one's two neighbours differ from it.
        let sites: Vec<Site> = (0..30).map(|k| site(k, 4.0 + 0.002 * k as f64)).collect();
        let c = colours(&sites);
        for k in 1..30 {
            assert_ne!(c[k], c[k - 1], "sites {} and {}", k - 1, k);
        }
    }

    #[test]
    fn too_many_roads_keep_the_longest_within_the_budget() {
        // 200,000 two-point segments (400,000 points): the longest ones, within the budget.
        let lines: Vec<Vec<[f64; 2]>> = (0..200_000)
            .map(|k| {
                let len = 1e-5 * (1 + k % 1000) as f64;
                vec![[k as f64 * 1e-3, 45.0], [k as f64 * 1e-3 + len, 45.0]]
            })
            .collect();
        let (kept, all) = roads(&lines);
        assert_eq!(all, 200_000);
        let points: usize = kept.iter().map(Vec::len).sum();
        assert!(
            points <= MAX_ROAD_POINTS && points > MAX_ROAD_POINTS - 10,
            "{points}"
        );
        let shortest = kept
            .iter()
            .map(|l| l[1][0] - l[0][0])
            .fold(f64::INFINITY, f64::min);
        assert!(shortest > 1e-5 * 300.0, "short segments kept: {shortest}");
    }

    #[test]
    fn households_are_gathered_never_drawn_one_by_one() {
        let homes: Vec<Home> = (0..10_000)
            .map(|h| Home {
                lon: 4.0 + (h % 100) as f64 * 1e-4,
                lat: 45.0 + (h / 100) as f64 * 1e-4,
                foyers: 1,
                site: 0,
                distance_m: 10.0,
                address: String::new(),
            })
            .collect();
        // About 1 km x 1.1 km: a few coarse squares, fewer fine ones than households.
        let coarse = cells(&homes, 0.009, 45.0);
        let fine = cells(&homes, 0.00135, 45.0);
        assert!(coarse.len() <= 6, "{}", coarse.len());
        assert!(fine.len() < 200, "{}", fine.len());
        assert_eq!(fine.iter().map(|c| c.2).sum::<i64>(), 10_000);
    }
}
