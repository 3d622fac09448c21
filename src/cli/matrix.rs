//! `tournee matrix`.

use super::{extract_path, progress::step, Outcome};
use crate::graph::{self, snap::DEFAULT_MAX_SNAP_M, MatrixBuilder};
use crate::io::files::write_file;
use crate::io::{matrix::to_json, points::read_points};
use crate::osm::{self, Profile};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `tournee matrix`.
#[derive(Args, Debug)]
pub struct MatrixArgs {
    /// The OpenStreetMap extract (.osm.pbf); the embedded default if omitted.
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// CSV of points with columns id,lon,lat (decimal degrees).
    #[arg(long, value_name = "POINTS.csv")]
    pub points: PathBuf,
    /// Travel profile.
    #[arg(long, value_enum, default_value = "car")]
    pub profile: Profile,
    /// Refuse points farther than this from any usable road, metres.
    #[arg(long, value_name = "METRES", default_value_t = DEFAULT_MAX_SNAP_M, value_parser = super::metres)]
    pub max_snap: f64,
    /// The JSON file to write.
    #[arg(long, value_name = "MATRIX.json")]
    pub out: PathBuf,
}

/// Runs `tournee matrix`.
pub fn run(args: MatrixArgs, verbose: bool) -> Result<Outcome> {
    let points = read_points(&args.points)?;
    let most = crate::model::limits::MAX_LOCATIONS;
    if points.len() > most {
        anyhow::bail!(
            "{} has {} points; a matrix covers at most {most} (its two {most} x {most} tables take 6.4 GB): split the points",
            args.points.display(),
            points.len()
        );
    }
    crate::io::files::check_writable(&args.out)?;
    let path = extract_path(args.osm);
    let extract = step(&format!("reading {}", path.display()), || {
        osm::read_pbf(&path)
    })?;
    let (roads, report) = step(
        &format!("building the {} road graph", args.profile.name()),
        || graph::build(&extract, args.profile),
    )?;
    if verbose {
        eprintln!("  {report:?}");
    }
    let builder = step("preparing fast queries (contraction hierarchy)", || {
        MatrixBuilder::new(&roads).with_max_snap(args.max_snap)
    });
    let coords: Vec<(f64, f64)> = points.iter().map(|p| (p.lon, p.lat)).collect();
    let n = coords.len();
    let m = step(&format!("computing the {n} x {n} matrix"), || {
        builder.build(&coords)
    });
    let ids: Vec<String> = points.iter().map(|p| p.id.clone()).collect();
    let json = serde_json::to_vec(&to_json(&ids, &m, args.profile))?;
    write_file(&args.out, &json)?;
    let refused: Vec<String> = points
        .iter()
        .zip(&m.snaps)
        .filter_map(|(p, s)| {
            s.as_ref().err().map(|e| {
                format!(
                    "point {} ({}, line {}) {e}",
                    p.id,
                    args.points.display(),
                    p.line
                )
            })
        })
        .collect();
    let worst = m
        .snaps
        .iter()
        .filter_map(|s| s.as_ref().ok())
        .map(|s| s.distance_m)
        .fold(0.0, f64::max);
    println!(
        "{n} x {n} {} matrix written to {} (farthest snap {worst:.0} m). Data © OpenStreetMap contributors (ODbL).",
        args.profile.name(),
        args.out.display()
    );
    if refused.is_empty() {
        return Ok(Outcome::Done);
    }
    eprintln!(
        "{} point(s) could not be placed on the road network; their rows and columns are null:",
        refused.len()
    );
    for r in &refused {
        eprintln!("  {r}");
    }
    Ok(Outcome::Partial)
}
