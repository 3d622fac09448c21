//! `tournee plan`: the main job. For now (issue 2) it reads the extract, builds the car and foot
//! road graphs, lists the territory's places and computes a travel-time matrix between them;
//! siting and rounds join it as they are built.

use super::{extract_path, progress::peak_memory_bytes, progress::step, Outcome};
use crate::graph::{self, MatrixBuilder};
use crate::io::matrix::to_json;
use crate::osm::{self, write::write_features, write::write_file, Profile};
use anyhow::Result;
use clap::Args;
use serde_json::json;
use std::path::PathBuf;

/// Arguments of `tournee plan`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The OpenStreetMap extract (.osm.pbf); the embedded default (Andorra) if omitted.
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Output folder; `tournee-out/<extract name>` if omitted.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Most places in the sample matrix (evenly spread over the places found).
    #[arg(long, default_value_t = 1000)]
    pub matrix_points: usize,
}

/// Runs `tournee plan`.
pub fn run(args: PlanArgs, verbose: bool) -> Result<Outcome> {
    let path = extract_path(args.osm);
    let stem = super::extract_stem(&path);
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("tournee-out").join(&stem));
    eprintln!("tournee plan on {}", path.display());
    let extract = step("reading the extract", || osm::read_pbf(&path))?;
    let (car, car_report) = step("building the van road graph", || {
        graph::build(&extract, Profile::Car)
    })?;
    let (foot, foot_report) = step("building the walking graph", || {
        graph::build(&extract, Profile::Foot)
    })?;
    let builder = step("preparing fast queries (contraction hierarchy)", || {
        MatrixBuilder::new(&car)
    });
    let f = &extract.features;
    let places: Vec<(String, f64, f64)> = f
        .candidates
        .iter()
        .chain(&f.producers)
        .map(|p| (p.osm.to_string(), p.lon, p.lat))
        .collect();
    let mut places = dedup_by_id(places);
    if places.len() > args.matrix_points {
        let n = places.len();
        let k = args.matrix_points.max(2);
        places = (0..k).map(|i| places[i * n / k].clone()).collect();
    }
    let coords: Vec<(f64, f64)> = places.iter().map(|p| (p.1, p.2)).collect();
    let n = coords.len();
    let m = step(&format!("travel times between {n} places"), || {
        builder.build(&coords)
    });
    let ids: Vec<String> = places.iter().map(|p| p.0.clone()).collect();

    let files = write_features(f, &out)?;
    write_file(
        &out.join("matrix.json"),
        &serde_json::to_vec(&to_json(&ids, &m, Profile::Car))?,
    )?;
    let ch = builder.hierarchy();
    let summary = json!({
        "extract": path.display().to_string(),
        "read": extract.stats,
        "car": car_report,
        "foot": foot_report,
        "contraction_hierarchy": {"shortcuts": ch.num_shortcuts(), "memory_bytes": ch.memory_bytes()},
        "features": {
            "households": f.households.len(), "foyers": f.total_foyers(),
            "candidate_sites": f.candidates.len(), "producers": f.producers.len(),
            "post_offices": f.post_offices.len(),
        },
        "peak_memory_bytes": peak_memory_bytes(),
        "attribution": osm::write::ODBL_ATTRIBUTION,
    });
    write_file(
        &out.join("roads.json"),
        &serde_json::to_vec_pretty(&summary)?,
    )?;
    if verbose {
        eprintln!("{}", serde_json::to_string_pretty(&summary)?);
    }

    let reachable = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|&(i, j)| m.duration(i, j).is_some())
        .count();
    let refused = m.snaps.iter().filter(|s| s.is_err()).count();
    println!();
    println!("Territory: {}", stem);
    println!(
        "  roads for the van: {} km, {} road nodes kept of {} ({} on dead-end one-ways or cut-off roads dropped)",
        road_km(&car),
        car_report.kept_nodes,
        car_report.total_nodes,
        car_report.dropped_nodes
    );
    println!(
        "  walking network: {} km, {} nodes",
        road_km(&foot),
        foot_report.kept_nodes
    );
    println!(
        "  {} households ({} foyers), {} candidate sites, {} producers, {} post offices",
        f.households.len(),
        f.total_foyers(),
        f.candidates.len(),
        f.producers.len(),
        f.post_offices.len()
    );
    println!(
        "  travel times between {n} places: {reachable} of {} pairs reachable, {refused} places too far from a road",
        n * n
    );
    if let Some((i, j)) = longest(&m) {
        println!(
            "  longest drive: {} -> {}, {} min, {:.1} km",
            ids[i],
            ids[j],
            m.duration(i, j).map_or(0, |s| s.get()) / 60,
            m.distance(i, j).map_or(0.0, |d| d.get() as f64 / 1000.0)
        );
    }
    if let Some(bytes) = peak_memory_bytes() {
        println!("  peak memory: {} MB", bytes / 1_000_000);
    }
    println!("Conciergerie sites and the daily van rounds are not part of plan yet (next versions); rounds for a given problem: tournee solve FILE.");
    println!(
        "Outputs written to {}/ ({} files). Data © OpenStreetMap contributors (ODbL).",
        out.display(),
        files.len() + 2
    );
    Ok(Outcome::Done)
}

fn dedup_by_id(mut v: Vec<(String, f64, f64)>) -> Vec<(String, f64, f64)> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|p| seen.insert(p.0.clone()));
    v
}

fn road_km(g: &crate::graph::RoadGraph) -> u64 {
    let cm: u64 = g
        .segments()
        .iter()
        .filter_map(|s| s.forward.or(s.backward))
        .map(|w| u64::from(w.length().get()))
        .sum();
    cm / 100_000
}

fn longest(m: &crate::graph::Matrix) -> Option<(usize, usize)> {
    let n = m.len();
    (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|&(i, j)| m.duration(i, j).is_some())
        .max_by_key(|&(i, j)| (m.weight(i, j), std::cmp::Reverse((i, j))))
}
