//! Travel times between a few places of the embedded Andorra extract, by van and on foot.
//!
//! Run with `cargo run --release --example village_matrix`.

use std::path::Path;
use tournee::graph::{self, MatrixBuilder};
use tournee::osm::{self, Profile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let extract = osm::read_pbf(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/andorra-2021-10-28.osm.pbf"
    )))?;
    // The first few mairies and post offices found in the extract.
    let places: Vec<_> = extract
        .features
        .candidates
        .iter()
        .filter(|p| p.kind == "amenity=townhall" || p.kind == "amenity=post_office")
        .take(5)
        .collect();
    let points: Vec<(f64, f64)> = places.iter().map(|p| (p.lon, p.lat)).collect();
    for profile in [Profile::Car, Profile::Foot] {
        let (roads, report) = graph::build(&extract, profile)?;
        let m = MatrixBuilder::new(&roads).build(&points);
        println!("{} ({} nodes):", profile.name(), report.kept_nodes);
        for (i, from) in places.iter().enumerate() {
            for (j, to) in places.iter().enumerate().filter(|(j, _)| *j != i) {
                let name = |p: &osm::Place| p.name.clone().unwrap_or_else(|| p.osm.to_string());
                match (m.duration(i, j), m.distance(i, j)) {
                    (Some(t), Some(d)) => println!(
                        "  {} -> {}: {} min, {:.1} km",
                        name(from),
                        name(to),
                        t.get() / 60,
                        d.get() as f64 / 1000.0
                    ),
                    _ => println!("  {} -> {}: unreachable", name(from), name(to)),
                }
            }
        }
    }
    Ok(())
}
