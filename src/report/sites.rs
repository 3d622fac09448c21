//! Reports of a conciergerie siting: a summary per site, a text histogram of site sizes, and
//! CSV and GeoJSON files.
//!
//! Conventions shared by every function here:
//! * point `i` of the [`Siting`] is `households[i]` and candidate `j` is `candidates[j]`; a
//!   mismatch in lengths is a programming error and panics (it cannot come from a user file);
//! * distances are `problem.distance(i, j)` (metres for real data), rounded to 0.1 m; a distance
//!   that is not finite (an unreachable site) is written as an empty CSV cell or a JSON `null`;
//! * a household whose site is `None`, or whose site is not open (an invalid siting, which
//!   [`crate::sites::check::check`] would reject), counts as unassigned: it is in no site's
//!   summary, and is still written, with an empty site;
//! * sites come in the order of `sites.open`, and site `k` in that order gets colour
//!   [`site_colour`]`(k)`.

use crate::io::files::{csv_bytes, feature_collection, round7, write_file, WriteError};
use crate::model::geo::METRES_PER_DEGREE;
use crate::plan::sites_file::{Host, SitesFile, Status, HOST_COLUMNS};
use crate::sites::summary::{check_shape, slots, Place, SiteSummary};
use crate::sites::{Sites, Siting};
use geo::{ConvexHull, MultiPoint, Point, Polygon};
use serde_json::{json, Value};
use std::path::Path;

/// Colours of the sites, cycled by site: 12 distinct hues from the Tableau 10 and ColorBrewer
/// Dark2 palettes, ordered so that consecutive sites contrast.
pub const PALETTE: [&str; 12] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f", "#1b9e77", "#e6ab02",
];

/// The colour of households that no open site serves.
pub const UNASSIGNED_COLOUR: &str = "#000000";

/// The colour of the `k`-th open site: [`PALETTE`] cycled.
pub fn site_colour(k: usize) -> &'static str {
    PALETTE[k % PALETTE.len()]
}

/// Margin around every household of a catchment polygon, in metres.
const CATCHMENT_MARGIN_M: f64 = 25.0;

/// A text histogram of foyers per site, one line per bin of 5 foyers, such as
/// `40-44 | ####  4` (4 sites serve 40 to 44 foyers).
///
/// Bins are aligned on multiples of 5 and span the bounds `min..=max` widened to every size,
/// so that empty bins inside the bounds show; if that would take more than 60 lines (bounds
/// far wider than the sizes) they span the sizes only, and if the sizes alone need more than
/// 60 bins of 5, the bins widen to a multiple of 5. Bars are one `#` per site, scaled down to
/// 40 characters at most (a non-empty bin keeps at least one `#`). Returns `"no site\n"` for
/// no size.
pub fn histogram(sizes: &[i64], min: i64, max: i64) -> String {
    const MAX_BINS: i128 = 60;
    const MAX_BAR: usize = 40;
    let (Some(&smallest), Some(&largest)) = (sizes.iter().min(), sizes.iter().max()) else {
        return "no site\n".into();
    };
    let (smallest, largest) = (smallest as i128, largest as i128);
    let mut width: i128 = 5;
    let (mut lo, mut hi) = (smallest.min(min as i128), largest.max(max as i128));
    if min > max || hi.div_euclid(width) - lo.div_euclid(width) >= MAX_BINS {
        (lo, hi) = (smallest, largest);
    }
    if hi.div_euclid(width) - lo.div_euclid(width) >= MAX_BINS {
        // Bins of a multiple of 5 such that MAX_BINS - 1 of them cover the span.
        let span = hi - lo + 1;
        width = (span.div_euclid(5 * (MAX_BINS - 1)) + 1) * 5;
    }
    let first = lo.div_euclid(width);
    let mut counts = vec![0usize; (hi.div_euclid(width) - first + 1) as usize];
    for &s in sizes {
        counts[((s as i128).div_euclid(width) - first) as usize] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let bar = |c: usize| {
        if most <= MAX_BAR {
            c
        } else {
            (c * MAX_BAR).div_ceil(most)
        }
    };
    let labels: Vec<String> = (0..counts.len() as i128)
        .map(|b| {
            let start = (first + b) * width;
            format!("{}-{}", start, start + width - 1)
        })
        .collect();
    let label_width = labels.iter().map(String::len).max().unwrap_or(0);
    let bar_width = bar(most);
    let mut out = String::new();
    for (label, &c) in labels.iter().zip(&counts) {
        let hashes = "#".repeat(bar(c));
        out.push_str(&format!(
            "{label:>label_width$} | {hashes:<bar_width$}  {c}\n"
        ));
    }
    out
}

/// A distance rounded to 0.1 m, `None` if not finite.
fn metres(d: f64) -> Option<f64> {
    d.is_finite().then(|| (d * 10.0).round() / 10.0)
}

fn metres_cell(d: f64) -> String {
    metres(d).map(|m| m.to_string()).unwrap_or_default()
}

fn assignment_csv(
    problem: &Siting,
    sites: &Sites,
    households: &[Place],
    candidates: &[Place],
    distance_by: &[&str],
    extra: SitesCsv,
) -> Vec<u8> {
    check_shape(problem, sites, households, candidates);
    assert_eq!(
        distance_by.len(),
        households.len(),
        "one measure per household"
    );
    let slots = slots(problem, sites);
    let rows = households.iter().enumerate().map(|(i, h)| {
        let (site, distance, site_name, label, address, served_by) = match slots[i] {
            Some((k, j)) => (
                candidates[j].id.clone(),
                metres_cell(problem.distance(i, j)),
                extra.name(k, &candidates[j]),
                extra.label(k),
                extra.addresses.get(k).cloned().unwrap_or_default(),
                extra.kind(k),
            ),
            None => Default::default(),
        };
        vec![
            h.id.clone(),
            site,
            distance,
            distance_by[i].to_string(),
            problem.demand[i].to_string(),
            h.name.clone().unwrap_or_default(),
            round7(h.lon).to_string(),
            round7(h.lat).to_string(),
            label,
            site_name,
            address,
            served_by,
        ]
    });
    csv_bytes(
        &[
            "household_id",
            "site_id",
            "distance_m",
            "distance_by",
            "foyers",
            "address",
            "lon",
            "lat",
            "site_label",
            "site_name",
            "site_address",
            "served_by",
        ],
        rows,
    )
}

/// Writes the assignment as CSV: `household_id,site_id,distance_m,distance_by,foyers,address,
/// lon,lat,site_label,site_name,site_address` (the household's address and place, for a
/// letter telling it where its conciergerie is; the site's number on the overview, its name
/// and address from `extra`, else as OpenStreetMap gives them), one line per household in
/// input order; `distance_by` says how the distance was measured
/// (`walking`, `driving`, `straight-line`), from `distance_by[i]`. An unassigned household
/// keeps its line, with empty `site_id` and `distance_m`.
///
/// # Panics
/// If `households`, `candidates` or `sites.assign` do not match the sizes of `problem`.
pub fn write_assignment_csv(
    path: &Path,
    problem: &Siting,
    sites: &Sites,
    households: &[Place],
    candidates: &[Place],
    distance_by: &[&str],
    extra: SitesCsv,
) -> Result<(), WriteError> {
    write_file(
        path,
        &assignment_csv(problem, sites, households, candidates, distance_by, extra),
    )
}

/// What `sites.csv` says of the sites besides their summaries.
#[derive(Clone, Copy, Debug, Default)]
pub struct SitesCsv<'a> {
    /// The host of each site (in the order of the summaries; empty: none).
    pub hosts: &'a [Option<Host>],
    /// Whether each site was fixed (in the same order; empty: none).
    pub fixed: &'a [bool],
    /// The planner's sites file the plan was made with.
    pub file: Option<&'a SitesFile>,
    /// Each site's name as the drivers read it (empty: OpenStreetMap's only).
    pub names: &'a [String],
    /// Each site's address (empty: none known).
    pub addresses: &'a [String],
    /// Each site's kind: a regular site, a hamlet site below the minimum size, or a home
    /// delivery (empty: all regular).
    pub kinds: &'a [crate::plan::siting::hamlets::SiteKind],
    /// Each site's number (empty: 1, 2... in order).
    pub labels: &'a [u32],
}

impl SitesCsv<'_> {
    /// Site `k`'s number.
    fn label(&self, k: usize) -> String {
        self.labels.get(k).map_or(k as u32 + 1, |&l| l).to_string()
    }

    /// Site `k`'s kind as the files write it (`site`, `hamlet`, `home`).
    fn kind(&self, k: usize) -> String {
        self.kinds
            .get(k)
            .copied()
            .unwrap_or_default()
            .served_by()
            .to_string()
    }

    /// Site `k`'s name: OpenStreetMap's, else the drivers'.
    fn name(&self, k: usize, place: &Place) -> String {
        place
            .name
            .clone()
            .or_else(|| self.names.get(k).cloned())
            .unwrap_or_default()
    }
}

fn sites_csv(summaries: &[SiteSummary], extra: SitesCsv) -> Vec<u8> {
    // One lookup table, not a scan of the file per site (both are département-sized).
    let rows = extra.file.map(SitesFile::by_id).unwrap_or_default();
    let row_of = |id: &str| rows.get(id).copied();
    let cell = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    let host_cells = |h: Option<&Host>| {
        let text = |f: fn(&Host) -> Option<String>| h.and_then(f).unwrap_or_default();
        [
            text(|h| h.name.clone()),
            text(|h| h.phone.clone()),
            text(|h| h.access.clone()),
            text(|h| h.hours.map(|(a, b)| format!("{a}-{b}"))),
        ]
    };
    // The week's columns (`tournee week`), as the file gave them.
    let week_cells = |r: Option<&crate::plan::sites_file::SiteRow>| -> [String; 6] {
        let boxes = |k: usize| {
            r.and_then(|r| r.boxes)
                .map(|b| b[k].to_string())
                .unwrap_or_default()
        };
        [
            r.and_then(|r| r.passages)
                .map(|k| k.to_string())
                .unwrap_or_default(),
            r.and_then(|r| r.days.as_ref())
                .map(|d| {
                    d.iter()
                        .map(|&x| crate::plan::week::weekday_name(x))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default(),
            cell(r.and_then(|r| r.storage_litres)),
            boxes(0),
            boxes(1),
            boxes(2),
        ]
    };
    let mut rows: Vec<Vec<String>> = summaries
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let r = row_of(&s.id);
            let fixed = extra.fixed.get(k).copied().unwrap_or(false);
            let mut row = vec![
                extra.label(k),
                s.id.clone(),
                s.name
                    .clone()
                    .or_else(|| extra.names.get(k).cloned())
                    .unwrap_or_default(),
                extra.addresses.get(k).cloned().unwrap_or_default(),
                (if fixed { Status::Fixed } else { Status::Open })
                    .name()
                    .to_string(),
                round7(s.lon).to_string(),
                round7(s.lat).to_string(),
                s.households.to_string(),
                s.foyers.to_string(),
                cell(r.and_then(|r| r.min)),
                cell(r.and_then(|r| r.max)),
                metres_cell(s.mean_m),
                metres_cell(s.max_m),
            ];
            row.extend(host_cells(extra.hosts.get(k).and_then(Option::as_ref)));
            row.extend(week_cells(r));
            row.push(extra.kind(k));
            row
        })
        .collect();
    // The file's other rows are kept, so that its decisions hold for the next plan too.
    let open: std::collections::HashSet<&str> = summaries.iter().map(|s| s.id.as_str()).collect();
    for r in extra.file.iter().flat_map(|f| &f.rows) {
        if open.contains(r.id.as_str()) {
            continue;
        }
        let status = match r.status {
            Status::Forbidden => Status::Forbidden,
            _ => Status::Candidate,
        };
        let (lon, lat) =
            r.at.map(|a| (round7(a.lon).to_string(), round7(a.lat).to_string()))
                .unwrap_or_default();
        let mut row = vec![
            String::new(),
            r.id.clone(),
            r.name.clone().unwrap_or_default(),
            String::new(),
            status.name().to_string(),
            lon,
            lat,
            "0".into(),
            "0".into(),
            cell(r.min),
            cell(r.max),
            String::new(),
            String::new(),
        ];
        row.extend(host_cells(Some(&r.host)));
        row.extend(week_cells(Some(r)));
        row.push(String::new());
        rows.push(row);
    }
    let header = [
        "label",
        "site_id",
        "name",
        "address",
        "status",
        "lon",
        "lat",
        "households",
        "foyers",
        "min_foyers",
        "max_foyers",
        "mean_distance_m",
        "max_distance_m",
        HOST_COLUMNS[0],
        HOST_COLUMNS[1],
        HOST_COLUMNS[2],
        HOST_COLUMNS[3],
        "passages_per_week",
        "days",
        "storage_litres",
        "boxes_s",
        "boxes_m",
        "boxes_l",
        "kind",
    ];
    csv_bytes(&header, rows)
}

/// Writes one line per site: `label,site_id,name,address,status,lon,lat,households,foyers,
/// min_foyers,max_foyers,mean_distance_m,max_distance_m,host,phone,access,opening_hours,
/// passages_per_week,days,storage_litres,boxes_s,boxes_m,boxes_l`, in the order of `summaries` (`label` is the site's number on the overview), then the rows of
/// the planner's sites file whose site did not open (forbidden ones, and the others as
/// `candidate`), so that the file given back with `plan --sites` keeps every decision (see
/// [`crate::plan::sites_file`]). `min_foyers`, `max_foyers` are the site's own bounds, empty
/// when the settings' apply; the host columns from `extra.hosts`.
pub fn write_sites_csv(
    path: &Path,
    summaries: &[SiteSummary],
    extra: SitesCsv,
) -> Result<(), WriteError> {
    write_file(path, &sites_csv(summaries, extra))
}

/// The catchment polygon around `lonlat` points: the convex hull of a square of
/// [`CATCHMENT_MARGIN_M`] half-side around each point.
///
/// That is the points' convex hull grown by the margin, so one point gives a square, two
/// points or collinear points a thin rectangle, and more points a hull whose households lie
/// inside rather than on the edge. The polygon is thus always valid (simple, non-zero area,
/// counter-clockwise as RFC 7946 asks), whatever the points. Non-finite coordinates are
/// skipped; `None` when no point is left.
pub(crate) fn catchment(lonlat: &[[f64; 2]]) -> Option<Polygon<f64>> {
    let dlat = CATCHMENT_MARGIN_M / METRES_PER_DEGREE;
    let corners: Vec<Point<f64>> = lonlat
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .flat_map(|&[lon, lat]| {
            let dlon = dlat / lat.to_radians().cos().max(0.01);
            [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(|(sx, sy)| {
                Point::new(
                    (lon + sx * dlon).clamp(-180.0, 180.0),
                    (lat + sy * dlat).clamp(-90.0, 90.0),
                )
            })
        })
        .collect();
    (!corners.is_empty()).then(|| MultiPoint::from(corners).convex_hull())
}

fn feature(geometry: Value, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

fn point(lon: f64, lat: f64) -> Value {
    json!({"type": "Point", "coordinates": [round7(lon), round7(lat)]})
}

fn sites_geojson(
    problem: &Siting,
    sites: &Sites,
    households: &[Place],
    candidates: &[Place],
    summaries: &[SiteSummary],
    distance_by: &[&str],
) -> Value {
    check_shape(problem, sites, households, candidates);
    assert_eq!(
        distance_by.len(),
        households.len(),
        "one measure per household"
    );
    let slots = slots(problem, sites);
    let mut members: Vec<Vec<[f64; 2]>> = vec![Vec::new(); sites.open.len()];
    for (h, slot) in households.iter().zip(&slots) {
        if let Some((k, _)) = slot {
            members[*k].push([h.lon, h.lat]);
        }
    }
    let mut features = Vec::new();
    for (k, (&j, points)) in sites.open.iter().zip(&members).enumerate() {
        let Some(polygon) = catchment(points) else {
            continue;
        };
        let ring: Vec<[f64; 2]> = polygon
            .exterior()
            .coords()
            .map(|c| [round7(c.x), round7(c.y)])
            .collect();
        let colour = site_colour(k);
        features.push(feature(
            json!({"type": "Polygon", "coordinates": [ring]}),
            json!({
                "kind": "catchment",
                "site_id": candidates.get(j).map(|c| c.id.as_str()),
                "colour": colour,
                "fill": colour,
                "fill-opacity": 0.15,
                "stroke": colour,
                "stroke-width": 2,
            }),
        ));
    }
    for (i, (h, slot)) in households.iter().zip(&slots).enumerate() {
        let (site, distance, colour) = match *slot {
            Some((k, j)) => (
                Some(candidates[j].id.as_str()),
                metres(problem.distance(i, j)),
                site_colour(k),
            ),
            None => (None, None, UNASSIGNED_COLOUR),
        };
        features.push(feature(
            point(h.lon, h.lat),
            json!({
                "kind": "household",
                "household_id": h.id,
                "site_id": site,
                "distance_m": distance,
                "distance_by": distance_by[i],
                "foyers": problem.demand[i],
                "colour": colour,
                "marker-color": colour,
                "marker-size": "small",
            }),
        ));
    }
    for s in summaries {
        let colour = sites
            .open
            .iter()
            .position(|&j| j == s.candidate)
            .map_or(UNASSIGNED_COLOUR, site_colour);
        features.push(feature(
            point(s.lon, s.lat),
            json!({
                "kind": "site",
                "site_id": s.id,
                "name": s.name,
                "households": s.households,
                "foyers": s.foyers,
                "mean_distance_m": metres(s.mean_m),
                "max_distance_m": metres(s.max_m),
                "colour": colour,
                "marker-color": colour,
                "marker-size": "large",
                "marker-symbol": "building",
            }),
        ));
    }
    feature_collection(features)
}

/// Writes the siting as a GeoJSON `FeatureCollection` with the ODbL `attribution` member.
///
/// Features, in drawing order (later ones on top): one `Polygon` per site serving at least one
/// household (`kind` = `catchment`, `site_id`, `colour`: the convex hull of its households
/// grown by a 25 m margin, hence a valid polygon even for one household or households in a
/// line; a site serving nobody has none), one `Point` per household in input order (`kind` = `household`, `household_id`, `site_id`,
/// `distance_m`, `distance_by`, `foyers`; `null` site and distance when unassigned), one `Point` per summary
/// (`kind` = `site`, `site_id`, `name`, `households`, `foyers`, `mean_distance_m`,
/// `max_distance_m`). Every feature has a `colour`, also written as the
/// [simplestyle](https://github.com/mapbox/simplestyle-spec) `marker-color` or `fill`/`stroke`
/// so that geojson.io and uMap show the catchments in colour.
///
/// # Panics
/// If `households`, `candidates` or `sites.assign` do not match the sizes of `problem`.
pub fn write_sites_geojson(
    path: &Path,
    problem: &Siting,
    sites: &Sites,
    households: &[Place],
    candidates: &[Place],
    summaries: &[SiteSummary],
    distance_by: &[&str],
) -> Result<(), WriteError> {
    let doc = sites_geojson(
        problem,
        sites,
        households,
        candidates,
        summaries,
        distance_by,
    );
    write_file(
        path,
        &serde_json::to_vec_pretty(&doc).expect("JSON values serialise"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::files::ODBL_ATTRIBUTION;
    use crate::sites::summary::{fixture::six, summarise};
    use geo::{Area, Validation};

    #[test]
    fn histogram_bins_of_five() {
        let text = histogram(&[40, 41, 44, 47, 52, 52], 40, 60);
        assert_eq!(
            text,
            "40-44 | ###  3\n45-49 | #    1\n50-54 | ##   2\n55-59 |      0\n60-64 |      0\n"
        );
        // Sizes outside the bounds widen the range.
        let text = histogram(&[38, 45], 40, 49);
        assert_eq!(text.lines().next(), Some("35-39 | #  1"));
        assert_eq!(text.lines().count(), 3);
        assert_eq!(histogram(&[], 40, 60), "no site\n");
        // Wide bounds: the sizes only; many sites: bars scaled to 40 characters.
        let text = histogram(&vec![50; 100], 0, 1_000_000);
        assert_eq!(text, format!("50-54 | {}  100\n", "#".repeat(40)));
        // Huge spread: wider bins, never more than 60 lines.
        assert!(histogram(&[i64::MIN, 0, i64::MAX], 0, 0).lines().count() <= 60);
        assert_eq!(histogram(&[3, 7], 10, 1), "0-4 | #  1\n5-9 | #  1\n");
        let text = histogram(&[0, 1000], 40, 60);
        assert!(
            text.starts_with("     0-19 | #  1\n    20-39 |    0\n"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 51);
    }

    #[test]
    fn assignment_csv_has_every_household() {
        let (pb, mut sites, h, c) = six();
        sites.assign[2] = None;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("assignment.csv");
        write_assignment_csv(
            &path,
            &pb,
            &sites,
            &h,
            &c,
            &["walking"; 6],
            SitesCsv::default(),
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 6);
        assert_eq!(
            lines[0],
            "household_id,site_id,distance_m,distance_by,foyers,address,lon,lat,site_label,site_name,site_address,served_by"
        );
        assert!(
            lines[1].starts_with("way/0,c-way/1,1,walking,2,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("way/1,c-way/1,0,walking,1,"),
            "{}",
            lines[2]
        );
        assert!(lines[3].starts_with("way/2,,,walking,1,"), "{}", lines[3]);
        assert!(
            lines[3].ends_with(','),
            "no site, no site name: {}",
            lines[3]
        );
        assert!(
            lines[6].starts_with("way/5,c-way/4,1,walking,3,"),
            "{}",
            lines[6]
        );
    }

    #[test]
    fn sites_csv_lines() {
        let (pb, sites, h, c) = six();
        let text = String::from_utf8(sites_csv(
            &summarise(&pb, &sites, &h, &c),
            SitesCsv::default(),
        ))
        .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "label,site_id,name,address,status,lon,lat,households,foyers,min_foyers,max_foyers,mean_distance_m,max_distance_m,host,phone,access,opening_hours,passages_per_week,days,storage_litres,boxes_s,boxes_m,boxes_l,kind"
        );
        assert_eq!(
            lines[1],
            "1,c-way/1,Chez way/1,,open,4.001,45.0001,3,4,,,0.8,1,,,,,,,,,,,site"
        );
        assert_eq!(lines.len(), 3);
        // With the planner's file: a fixed site says so with its own bounds, and the file's
        // forbidden row is kept after the sites.
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("sites.csv");
        std::fs::write(
            &f,
            "site_id,status,min_foyers,max_foyers,lon,lat,days,boxes_m\nc-way/1,fixed,2,9,,,\"lun,jeu\",\nx/7,forbidden,,,4.1,45.1,,5\n",
        )
        .unwrap();
        let file = crate::plan::sites_file::read(&f).unwrap();
        let extra = SitesCsv {
            fixed: &[true, false],
            file: Some(&file),
            addresses: &["1 rue Haute".into()],
            ..SitesCsv::default()
        };
        let text = String::from_utf8(sites_csv(&summarise(&pb, &sites, &h, &c), extra)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1],
            // The week's columns kept as given (days in English, boxes as counts).
            "1,c-way/1,Chez way/1,1 rue Haute,fixed,4.001,45.0001,3,4,2,9,0.8,1,,,,,,\"mon,thu\",,,,,site"
        );
        assert_eq!(lines[3], ",x/7,,,forbidden,4.1,45.1,0,0,,,,,,,,,,,,0,5,0,");
    }

    #[test]
    fn geojson_parses_with_the_right_features() {
        let (pb, mut sites, h, c) = six();
        sites.assign[5] = None;
        let summaries = summarise(&pb, &sites, &h, &c);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sites.geojson");
        let by = [
            "walking",
            "walking",
            "walking",
            "driving",
            "walking",
            "straight-line",
        ];
        write_sites_geojson(&path, &pb, &sites, &h, &c, &summaries, &by).unwrap();
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(doc["type"], "FeatureCollection");
        assert_eq!(doc["attribution"], ODBL_ATTRIBUTION);
        let features = doc["features"].as_array().unwrap();
        let kind = |k: &str| {
            features
                .iter()
                .filter(|f| f["properties"]["kind"] == k)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            (
                kind("site").len(),
                kind("catchment").len(),
                kind("household").len()
            ),
            (2, 2, 6)
        );
        assert_eq!(features.len(), 10);
        let site = kind("site")[1];
        assert_eq!(site["geometry"]["type"], "Point");
        assert_eq!(site["properties"]["site_id"], "c-way/4");
        assert_eq!(site["properties"]["foyers"], 2);
        assert_eq!(site["properties"]["marker-color"], PALETTE[1]);
        let catchment = kind("catchment")[0];
        assert_eq!(catchment["geometry"]["type"], "Polygon");
        assert_eq!(catchment["properties"]["fill"], PALETTE[0]);
        let ring = catchment["geometry"]["coordinates"][0].as_array().unwrap();
        assert_eq!(ring.first(), ring.last());
        let unassigned = kind("household")[5];
        assert_eq!(unassigned["properties"]["household_id"], "way/5");
        assert!(
            unassigned["properties"]["site_id"].is_null()
                && unassigned["properties"]["distance_m"].is_null()
        );
        assert_eq!(unassigned["properties"]["marker-color"], UNASSIGNED_COLOUR);
        assert_eq!(kind("household")[0]["properties"]["distance_m"], 1.0);
        assert_eq!(kind("household")[3]["properties"]["distance_by"], "driving");
    }

    #[test]
    fn output_is_deterministic() {
        let (pb, sites, h, c) = six();
        let s = summarise(&pb, &sites, &h, &c);
        let by = ["walking"; 6];
        let a = serde_json::to_vec(&sites_geojson(&pb, &sites, &h, &c, &s, &by)).unwrap();
        let b = serde_json::to_vec(&sites_geojson(&pb, &sites, &h, &c, &s, &by)).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn catchments_of_few_or_collinear_points_are_valid() {
        let cases: Vec<Vec<[f64; 2]>> = vec![
            vec![[4.0, 45.0]],
            vec![[4.0, 45.0], [4.0, 45.0]],
            vec![[4.0, 45.0], [4.01, 45.0]],
            vec![[4.0, 45.0], [4.01, 45.01], [4.02, 45.02], [4.005, 45.005]],
            vec![[179.99999, 89.99999]],
            vec![[4.0, 45.0], [f64::NAN, 45.0]],
            vec![[4.0, 45.0], [4.01, 45.0], [4.0, 45.01], [4.002, 45.002]],
        ];
        for points in cases {
            let polygon = catchment(&points).expect("a finite point");
            assert!(polygon.is_valid(), "{points:?}");
            assert!(
                polygon.signed_area() > 0.0,
                "counter-clockwise, not flat: {points:?}"
            );
            for p in points.iter().filter(|p| p[0].is_finite()) {
                use geo::Contains;
                assert!(polygon.contains(&Point::new(p[0], p[1])), "{p:?} inside");
            }
        }
        assert!(catchment(&[]).is_none());
        assert!(catchment(&[[f64::NAN, 1.0]]).is_none());
    }
}
