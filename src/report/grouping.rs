//! The files of a grouping (`tournee sites` on an extract, and `sites/` of a plan):
//! `assignment.csv`, `sites.csv`, `sites.geojson` and `summary.txt`.

use super::sites as rs;
use crate::io::files::{create_dir, write_file, WriteError, ODBL_ATTRIBUTION};
use crate::plan::Grouping;
use std::fmt::Write as _;
use std::path::Path;

/// Writes a grouping's files in `out` (created if needed) and returns the summary's text.
pub fn write(out: &Path, stem: &str, g: &Grouping, seed: u64) -> Result<String, WriteError> {
    let (pb, r) = (&g.pb, &g.result);
    let total = pb.total_demand();
    let (min, max) = (
        pb.candidates.iter().map(|c| c.min).min().unwrap_or(0),
        pb.candidates.iter().map(|c| c.max).max().unwrap_or(0),
    );
    let hplaces = g.household_places();
    let summaries = g.summaries();
    create_dir(out)?;
    rs::write_assignment_csv(
        &out.join("assignment.csv"),
        pb,
        &r.sites,
        &hplaces,
        &g.candidates,
    )?;
    rs::write_sites_csv(&out.join("sites.csv"), &summaries)?;
    rs::write_sites_geojson(
        &out.join("sites.geojson"),
        pb,
        &r.sites,
        &hplaces,
        &g.candidates,
        &summaries,
    )?;
    let sizes: Vec<i64> = summaries.iter().map(|s| s.foyers).collect();
    let mut text = String::new();
    let _ = writeln!(text, "Conciergerie sites for {stem}");
    let _ = writeln!(
        text,
        "  {} households ({} foyers) in {} catchments of {} to {} foyers",
        g.households.len(),
        total,
        pb.p,
        min,
        max
    );
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
    let _ = match r.bound {
        Some(b) => writeln!(text, "  lower bound {:.1} foyer-km ({}): this grouping is within {:.2} % of the best possible", b.value / 1000.0, b.method.name(), b.gap_percent(r.sites.cost)),
        None => writeln!(text, "  no lower bound computed"),
    };
    // No timing in the file: the same seed and budget give byte-identical files.
    let _ = writeln!(text, "  seed {seed}");
    let _ = writeln!(text, "\nFoyers per site:");
    text.push_str(&rs::histogram(&sizes, min, max));
    if !g.notes.is_empty() {
        let _ = writeln!(text, "\nLeft out of the grouping:");
        for n in &g.notes {
            let _ = writeln!(text, "{n}");
        }
    }
    let _ = writeln!(text, "\nFiles in {}: sites.csv, assignment.csv, sites.geojson (open it on geojson.io or in QGIS)", out.display());
    let _ = writeln!(text, "{ODBL_ATTRIBUTION}");
    write_file(&out.join("summary.txt"), text.as_bytes())?;
    Ok(text)
}
