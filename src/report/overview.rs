//! The planner's overview (`overview.html`): the conciergeries and their catchments on a map
//! with the day's rounds, the sites' sizes and walking distances, and the vans' utilisation.

use super::sites::{histogram, site_colour};
use super::svg::{BBox, Map};
use super::text::escape;
use crate::io::files::{write_file, WriteError, ODBL_ATTRIBUTION};
use crate::report::lang::{date, number, place, van, Lang};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// One conciergerie.
#[derive(Clone, Debug)]
pub struct SiteRow {
    /// Its number (kept across re-plans).
    pub label: u32,
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
    /// A regular site, a hamlet site or a home delivery.
    pub kind: crate::plan::siting::hamlets::SiteKind,
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
    /// Language of the page.
    pub lang: Lang,
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
    /// Households farther than [`crate::plan::siting::FAR_M`] from their conciergerie.
    pub far: usize,
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

/// Side of the squares households are gathered in on the map, px: the map draws one dot per
/// square (at most about (700 / 4)² whatever the territory's size), not one per household.
pub const CELL_PX: f64 = 4.0;
/// Beyond this many conciergeries, the map draws them as small squares without numbers.
pub const MAX_LABELLED_SITES: usize = 300;

/// One dot of a map: the households of one square.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Square {
    /// Their mean place.
    pub lon: f64,
    /// Their mean place.
    pub lat: f64,
    /// The sum of their weights.
    pub weight: i64,
    /// The site serving most of them (the lowest index on a tie).
    pub site: usize,
}

/// `items` (at `(lon, lat, site)`, each of some weight) gathered by the squares `key` puts
/// their place in: per square, in row order, their mean place, their weight and the site
/// serving most of them. Items at a non-finite place are left out. The overview and the
/// interactive map draw one dot per square, not one per household.
pub(crate) fn squares<T>(
    items: &[T],
    at: impl Fn(&T) -> (f64, f64, usize),
    weight: impl Fn(&T) -> i64,
    key: impl Fn(f64, f64) -> (i64, i64),
) -> Vec<Square> {
    let mut keyed: Vec<((i64, i64), usize, usize)> = items
        .iter()
        .enumerate()
        .map(|(k, h)| (k, at(h)))
        .filter(|(_, h)| h.0.is_finite() && h.1.is_finite())
        .map(|(k, (lon, lat, site))| (key(lon, lat), site, k))
        .collect();
    keyed.sort_unstable();
    let mut out = Vec::new();
    for square in keyed.chunk_by(|a, b| a.0 == b.0) {
        let n = square.len() as f64;
        let (lon, lat) = square.iter().fold((0.0, 0.0), |(x, y), e| {
            let (lon, lat, _) = at(&items[e.2]);
            (x + lon / n, y + lat / n)
        });
        // Sorted by site within the square: the longest run is the site serving most.
        let site = square
            .chunk_by(|a, b| a.1 == b.1)
            .max_by(|a, b| a.len().cmp(&b.len()).then(b[0].1.cmp(&a[0].1)))
            .map_or(0, |run| run[0].1);
        let weight = square.iter().map(|e| weight(&items[e.2])).sum();
        out.push(Square {
            lon,
            lat,
            weight,
            site,
        });
    }
    out
}

/// The households gathered by squares of [`CELL_PX`] on `map` (see [`squares`]).
fn home_cells(map: &Map, homes: &[(f64, f64, usize)]) -> Vec<Square> {
    squares(
        homes,
        |h| *h,
        |_| 1,
        |lon, lat| {
            let (x, y) = map.project(lon, lat);
            ((y / CELL_PX).floor() as i64, (x / CELL_PX).floor() as i64)
        },
    )
}

/// The overview as HTML.
pub fn html(i: &Input) -> String {
    let pts = i
        .homes
        .iter()
        .map(|h| [h.0, h.1])
        .chain(i.sites.iter().map(|s| [s.lon, s.lat]))
        .chain(i.vans.iter().flat_map(|v| v.path.iter().copied()));
    let fr = i.lang == Lang::Fr;
    let w = |en: &'static str, french: &'static str| if fr { french } else { en };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="{code}"><head><meta charset="utf-8"><title>{overview}{colon} {t} — tournee</title>
<style>
body{{font-family:system-ui,sans-serif;font-size:10.5pt;max-width:190mm;margin:1em auto;color:#222}}
h1{{font-size:17pt;margin-bottom:0}} h2{{font-size:13pt;border-bottom:1px solid #999;margin-top:1.2em}}
table{{border-collapse:collapse;width:100%}} th,td{{border:1px solid #bbb;padding:2px 5px;text-align:right}}
th:first-child,td:first-child{{text-align:left}} thead th{{background:#eee}} tr{{break-inside:avoid}}
.small{{font-size:9pt;color:#555}} @page{{size:A4;margin:12mm}}
</style></head><body>
<h1>{overview}{colon} {t}, {d}</h1>
<p>{intro}</p>
<p>{interactive}</p>
{far}
"#,
        far = match (i.far, fr) {
            (0, _) => String::new(),
            (n, true) => format!("<p><b>{n} logement(s) à plus de 2 km de leur conciergerie</b> : en rouge et listés, les plus éloignés d'abord, sur <a href=\"map.html\">la carte interactive</a> ; distances dans sites/assignment.csv.</p>"),
            (n, false) => format!("<p><b>{n} household(s) more than 2 km from their conciergerie</b>: in red and listed, farthest first, on <a href=\"map.html\">the interactive map</a>; distances in sites/assignment.csv.</p>"),
        },
        interactive = w(
            "<a href=\"map.html\">The interactive map</a> (offline): zoom, layers, a click on a site for its host, foyers and households, a search for a site or a street, the far households listed.",
            "<a href=\"map.html\">La carte interactive</a> (hors ligne) : zoom, couches, un clic sur une conciergerie pour son hôte, ses foyers et ses logements, une recherche de conciergerie ou de rue, les foyers éloignés listés."
        ),
        code = i.lang.code(),
        colon = w(":", " :"),
        overview = w("Planner's overview", "Vue d'ensemble du planificateur"),
        intro = {
            use crate::plan::siting::hamlets::SiteKind;
            let count = |k: SiteKind| i.sites.iter().filter(|s| s.kind == k).count();
            let (hamlets, doors) = (count(SiteKind::Hamlet), count(SiteKind::Home));
            let regular = i.sites.len() - hamlets - doors;
            let apart = match (hamlets, doors, fr) {
                (0, 0, _) => String::new(),
                (h, d, true) => format!(", {h} site(s) de hameau (moins de {} foyers, trop isolés pour rejoindre une conciergerie à pied), {d} livraison(s) à domicile", i.min),
                (h, d, false) => format!(", {h} hamlet site(s) (fewer than {} foyers, too isolated to walk to a conciergerie), {d} home deliver(ies)", i.min),
            };
            if fr {
                format!(
                    "{regular} conciergeries de {} à {} foyers{apart} ; marche moyenne jusqu'à la conciergerie {} m ; {} tournée(s).",
                    i.min, i.max, number(i.lang, i.mean_walk_m, 0), i.vans.len()
                )
            } else {
                format!(
                    "{regular} conciergeries of {} to {} foyers{apart}; mean walk to the conciergerie {:.0} m; {} van round(s).",
                    i.min, i.max, i.mean_walk_m, i.vans.len()
                )
            }
        },
        t = escape(&i.territory),
        d = escape(&date(i.lang, &i.date)),
    );
    if let Some(bbox) = BBox::around(pts) {
        let mut map = Map::fit(bbox, 700.0, 700.0 * bbox.aspect().clamp(0.4, 1.4))
            .title(w(
                "Conciergeries, catchments and the day's rounds",
                "Conciergeries, leurs foyers et les tournées du jour",
            ))
            .roads(&i.roads);
        let cells = home_cells(&map, &i.homes);
        for c in &cells {
            map = map.point(c.lon, c.lat, site_colour(c.site), 1.6);
        }
        for (k, v) in i.vans.iter().enumerate() {
            map = map.line(&v.path, VAN_COLOURS[k % VAN_COLOURS.len()], 2.0);
        }
        let labelled = i.sites.len() <= MAX_LABELLED_SITES;
        for (k, st) in i.sites.iter().enumerate() {
            map = if labelled {
                map.square_marker(st.lon, st.lat, &st.label.to_string(), site_colour(k))
            } else {
                map.square(st.lon, st.lat, site_colour(k), 2.5)
                    .tip(&format!("{} {}", st.label, place(i.lang, &st.name)))
            };
        }
        s.push_str(&map.to_svg());
        let dots = if cells.len() < i.homes.len() && fr {
            format!(
                "un point par carré de {CELL_PX:.0} px contenant des foyers ({} points pour {} foyers), de la couleur de la conciergerie qui en sert le plus ; chaque foyer est dans <a href=\"sites/sites.geojson\">sites/sites.geojson</a>",
                cells.len(),
                i.homes.len()
            )
        } else if cells.len() < i.homes.len() {
            format!(
                "one dot per {CELL_PX:.0} px square holding households ({} dots for {} households), coloured by the conciergerie serving most of them; every household is in <a href=\"sites/sites.geojson\">sites/sites.geojson</a>",
                cells.len(),
                i.homes.len()
            )
        } else {
            w(
                "households, coloured by conciergerie",
                "foyers, de la couleur de leur conciergerie",
            )
            .to_string()
        };
        let squares = if labelled {
            w(
                "squares: conciergeries (numbered as in the table)",
                "carrés : conciergeries (numérotées comme dans le tableau)",
            )
        } else {
            w(
                "small squares: conciergeries (too many to number here: hover one for its number and name)",
                "petits carrés : conciergeries (trop nombreuses pour être numérotées : survolez-en une pour son numéro et son nom)",
            )
        };
        let _ = writeln!(
            s,
            "\n<p class=\"small\">{}</p>",
            if fr {
                format!("Points : {dots} ; {squares} ; lignes : tournées des véhicules.")
            } else {
                format!("Dots: {dots}; {squares}; lines: van rounds.")
            }
        );
    }
    s.push_str(w(
        "<h2>Vans</h2>\n<table><thead><tr><th>Van</th><th>km</th><th>hours</th><th>stops</th><th>peak load (L)</th><th>of capacity</th></tr></thead><tbody>\n",
        "<h2>Véhicules</h2>\n<table><thead><tr><th>Véhicule</th><th>km</th><th>heures</th><th>arrêts</th><th>charge maximale (L)</th><th>de la capacité</th></tr></thead><tbody>\n",
    ));
    for v in &i.vans {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0} %</td></tr>",
            escape(&van(i.lang, &v.van)),
            number(i.lang, v.km, 1),
            number(i.lang, v.hours, 1),
            v.stops,
            v.peak_load_l,
            100.0 * v.peak_load_l as f64 / v.capacity_l.max(1) as f64
        );
    }
    s.push_str("</tbody></table>\n");
    if !i.unserved.is_empty() {
        s.push_str(w(
            "<h2>Not served</h2>\n<ul>\n",
            "<h2>Non servi</h2>\n<ul>\n",
        ));
        for u in &i.unserved {
            let _ = writeln!(s, "<li>{}</li>", escape(u));
        }
        s.push_str("</ul>\n");
    }
    let sizes: Vec<i64> = i.sites.iter().map(|x| x.foyers).collect();
    let _ = write!(
        s,
        "<h2>{}</h2>\n<pre>{}</pre>\n",
        w("Foyers per conciergerie", "Foyers par conciergerie"),
        escape(&histogram(&sizes, i.min, i.max))
    );
    s.push_str(w(
        "<h2>Conciergeries</h2>\n<table><thead><tr><th>#</th><th>Conciergerie</th><th>foyers</th><th>mean walk (m)</th><th>longest walk (m)</th></tr></thead><tbody>\n",
        "<h2>Conciergeries</h2>\n<table><thead><tr><th>#</th><th>Conciergerie</th><th>foyers</th><th>marche moyenne (m)</th><th>marche la plus longue (m)</th></tr></thead><tbody>\n",
    ));
    for st in &i.sites {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td style=\"text-align:left\">{}</td><td>{}</td><td>{:.0}</td><td>{:.0}</td></tr>",
            st.label,
            escape(&place(i.lang, &st.name)),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn input(homes: Vec<(f64, f64, usize)>, sites: usize) -> Input {
        Input {
            lang: Lang::En,
            territory: "T".into(),
            date: "2026-11-25".into(),
            min: 40,
            max: 60,
            sites: (0..sites)
                .map(|k| SiteRow {
                    label: k as u32 + 1,
                    name: format!("S{k}"),
                    lon: 1.0 + 0.001 * k as f64,
                    lat: 45.0,
                    foyers: 50,
                    mean_walk_m: 100.0,
                    max_walk_m: 300.0,
                    kind: Default::default(),
                })
                .collect(),
            homes,
            mean_walk_m: 100.0,
            far: 2,
            vans: Vec::new(),
            unserved: Vec::new(),
            roads: Arc::from(Vec::new()),
        }
    }

    #[test]
    fn a_square_of_households_is_one_dot_of_its_main_site() {
        let map = Map::fit(
            BBox::around([[1.0, 45.0], [1.1, 45.1]]).expect("box"),
            700.0,
            700.0,
        );
        // Three households a few metres apart (one square): two of site 2, one of site 0;
        // one far away, of site 1.
        let homes = [
            (1.05, 45.05, 2),
            (1.05001, 45.05001, 0),
            (1.05002, 45.05, 2),
            (1.0, 45.0, 1),
        ];
        let cells = home_cells(&map, &homes);
        assert_eq!(cells.len(), 2);
        let near = cells
            .iter()
            .find(|c| c.lon > 1.01)
            .expect("the square of three");
        assert_eq!(near.site, 2);
        assert!((near.lon - 1.050_01).abs() < 1e-6 && (near.lat - 45.050_003).abs() < 1e-5);
    }

    #[test]
    fn the_map_stays_bounded_however_many_households() {
        // 200,000 households on a 1 km grid of 5 m steps: the page draws at most a dot per
        // square of the map, not one per household.
        let homes: Vec<(f64, f64, usize)> = (0..200_000)
            .map(|k| {
                let (a, b) = ((k % 400) as f64, (k / 400) as f64);
                (1.0 + a * 6.5e-5, 45.0 + b * 4.5e-5, k % 7)
            })
            .collect();
        let page = html(&input(homes, 400));
        assert!(page.contains("2 household(s) more than 2 km from their conciergerie"));
        let dots = page.matches("<circle ").count();
        let bound = (700.0 / CELL_PX + 1.0).powi(2) as usize;
        assert!(dots > 100 && dots <= bound, "{dots} dots, at most {bound}");
        assert!(
            page.contains("sites/sites.geojson"),
            "links every household"
        );
        assert!(page.len() < 8_000_000, "{} bytes", page.len());
        // 400 sites: squares without numbers, each with its name as a tip.
        assert!(page.contains("<title>400 S399</title>"));
    }

    #[test]
    fn the_headline_counts_hamlet_sites_and_home_deliveries_apart() {
        use crate::plan::siting::hamlets::SiteKind;
        let mut i = input(vec![(1.0, 45.0, 0)], 6);
        i.sites[1].kind = SiteKind::Hamlet;
        for k in [2, 3] {
            i.sites[k].kind = SiteKind::Home;
        }
        let page = html(&i);
        assert!(
            page.contains("3 conciergeries of 40 to 60 foyers, 1 hamlet site(s)")
                && page.contains(", 2 home deliver(ies);"),
            "{}",
            &page[..page.len().min(2000)]
        );
        i.lang = Lang::Fr;
        assert!(html(&i).contains("3 conciergeries de 40 à 60 foyers, 1 site(s) de hameau"));
    }
}
