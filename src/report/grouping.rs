//! The files of a grouping (`tournee sites` on an extract, and `sites/` of a plan):
//! `assignment.csv`, `sites.csv`, `sites.geojson` and `summary.txt`.

use super::sites as rs;
use crate::io::files::{create_dir, write_file, WriteError, ODBL_ATTRIBUTION};
use crate::osm::FoyersRule;
use crate::plan::siting::hamlets::SiteKind;
use crate::plan::siting::DistanceKind;
use crate::plan::{Grouping, HouseholdsSource, Territory};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The smallest (or largest, with `f64::max`) gap of a zone to its own bound, percent.
fn zone_gap(z: &crate::plan::siting::Zoning, pick: fn(f64, f64) -> f64) -> f64 {
    let gaps = z.zones.iter().filter_map(|zone| {
        let b = zone.bound?;
        Some(if zone.cost > 0.0 {
            100.0 * (zone.cost - b).max(0.0) / zone.cost
        } else {
            0.0
        })
    });
    gaps.reduce(pick).unwrap_or(0.0)
}

/// Where the households of `t` come from, in one line: the planner's file, or the extract's
/// dwellings with how their foyers were counted ([`crate::osm::FoyersRule`]).
pub fn households_source(t: &Territory) -> String {
    match &t.households_source {
        HouseholdsSource::File(f) => format!(
            "households from {}: {} addresses, {} foyers",
            f.display(),
            t.households.len(),
            t.foyers()
        ),
        HouseholdsSource::Extract => {
            let mut by: BTreeMap<FoyersRule, (usize, u64)> = BTreeMap::new();
            for h in &t.extract.features.households {
                let e = by.entry(h.foyers_rule).or_default();
                e.0 += 1;
                e.1 += u64::from(h.foyers);
            }
            let parts: Vec<String> = by
                .iter()
                .map(|(rule, (n, f))| match rule {
                    FoyersRule::One => format!("{n} with 1 foyer"),
                    r => format!("{n} by {} ({f} foyers)", r.name()),
                })
                .collect();
            format!(
                "households: the extract's {} dwellings (buildings and address points), {} foyers estimated: {}",
                t.households.len(),
                t.foyers(),
                parts.join(", ")
            )
        }
    }
}

/// Writes a grouping's files in `out` (created if needed) and returns the summary's text, which
/// names `shown` as their folder (an [`crate::io::output_dir::OutputDir`] writes into a staging
/// folder under its final name); `source` says where the households come from
/// ([`households_source`]).
pub fn write(
    out: &Path,
    shown: &Path,
    stem: &str,
    g: &Grouping,
    seed: u64,
    source: &str,
    extra: rs::SitesCsv,
) -> Result<String, WriteError> {
    let (pb, r) = (&g.pb, &g.result);
    let total = pb.total_demand();
    let (min, max) = (
        pb.candidates.iter().map(|c| c.min).min().unwrap_or(0),
        pb.candidates.iter().map(|c| c.max).max().unwrap_or(0),
    );
    let hplaces = g.household_places();
    let summaries = g.summaries();
    let by: Vec<&str> = g.distance_by.iter().map(|d| d.name()).collect();
    create_dir(out)?;
    // Hamlet and home sites are fixed for the search only, not by the planner.
    let kinds = g.open_kinds();
    let fixed: Vec<bool> = r
        .sites
        .open
        .iter()
        .zip(&kinds)
        .map(|(&j, &k)| g.fixed[j] && k == SiteKind::Regular)
        .collect();
    let extra = rs::SitesCsv {
        fixed: &fixed,
        kinds: &kinds,
        labels: &g.labels,
        ..extra
    };
    rs::write_assignment_csv(
        &out.join("assignment.csv"),
        pb,
        &r.sites,
        &hplaces,
        &g.candidates,
        &by,
        extra,
    )?;
    rs::write_sites_csv(&out.join("sites.csv"), &summaries, extra)?;
    rs::write_sites_geojson(
        &out.join("sites.geojson"),
        pb,
        &r.sites,
        &hplaces,
        &g.candidates,
        &summaries,
        &by,
    )?;
    let sizes: Vec<i64> = summaries.iter().map(|s| s.foyers).collect();
    let mut text = String::new();
    let _ = writeln!(text, "Conciergerie sites for {stem}");
    let _ = writeln!(text, "  {source}");
    let _ = writeln!(
        text,
        "  {} households ({} foyers) in {} catchments of {} to {} foyers",
        g.households.len(),
        total,
        pb.p,
        min,
        max
    );
    let fallback = |k: DistanceKind| {
        g.distance_by
            .iter()
            .filter(|&&d| d == k && d != g.distance)
            .count()
    };
    let (by_car, straight) = (
        fallback(DistanceKind::Driving),
        fallback(DistanceKind::Straight),
    );
    if by_car + straight > 0 {
        let _ = writeln!(
            text,
            "  {} household(s) the {} network does not reach: {by_car} measured by road for cars, {straight} in a straight line (listed below; distance_by in assignment.csv)",
            by_car + straight,
            g.distance.name()
        );
    }
    if let Some(z) = &g.zoning {
        let _ = writeln!(
            text,
            "  sited by {} zones of at most {} households, in parallel, then joined at their borders: {} groups of neighbouring sites re-optimised, {} improved, {:.1} foyer-km saved",
            z.zones.len(),
            z.zone_households,
            z.border_groups,
            z.border_improved,
            z.border_saved / 1000.0
        );
    }
    let foyer_km = r.sites.cost / 1000.0;
    let _ = writeln!(
        text,
        "  {} distance to the conciergerie: {:.0} m per foyer on average; worst site mean {:.0} m, farthest household {:.0} m",
        g.distance.name(),
        r.sites.cost / total.max(1) as f64,
        summaries.iter().map(|s| s.mean_m).fold(0.0, f64::max),
        summaries.iter().map(|s| s.max_m).fold(0.0, f64::max)
    );
    let _ = writeln!(text, "  total {:.1} foyer-km one way", foyer_km);
    let _ = match (r.bound, &g.zoning) {
        (Some(b), None) => writeln!(text, "  lower bound {:.1} foyer-km ({}): this grouping is within {:.2} % of the best possible", b.value / 1000.0, b.method.name(), b.gap_percent(r.sites.cost)),
        (Some(b), Some(z)) => writeln!(text, "  lower bound {:.1} foyer-km (the sum of the {} zones' {} bounds, each zone alone): this grouping is within {:.2} % of the best grouping that keeps the zones apart (joining them can only lower the best; the zones' own gaps range from {:.2} to {:.2} %)", b.value / 1000.0, z.zones.len(), b.method.name(), b.gap_percent(r.sites.cost), zone_gap(z, f64::min), zone_gap(z, f64::max)),
        (None, _) => writeln!(text, "  no lower bound computed"),
    };
    // No timing in the file: the same seed and budget give byte-identical files.
    let _ = writeln!(text, "  seed {seed}");
    let _ = writeln!(text, "\nFoyers per site:");
    text.push_str(&rs::histogram(&sizes, min, max));
    if !g.notes.is_empty() {
        let _ = writeln!(text, "\nNotes:");
        for n in &g.notes {
            let _ = writeln!(text, "{n}");
        }
    }
    let _ = writeln!(text, "\nFiles in {}: sites.csv, assignment.csv, sites.geojson (open it on geojson.io or in QGIS)", shown.display());
    let _ = writeln!(text, "{ODBL_ATTRIBUTION}");
    write_file(&out.join("summary.txt"), text.as_bytes())?;
    Ok(text)
}
