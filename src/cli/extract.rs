//! `tournee extract`.

use super::{extract_path, progress::step, Outcome};
use crate::io::features::write_features;
use crate::io::output_dir::OutputDir;
use crate::osm;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `tournee extract`.
#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// The OpenStreetMap extract (.osm.pbf); the embedded default if omitted.
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Folder for the CSV and GeoJSON files (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Runs `tournee extract`.
pub fn run(args: ExtractArgs, _verbose: bool) -> Result<Outcome> {
    let path = extract_path(args.osm);
    let staged = OutputDir::begin(&args.out, "extract")?;
    let extract = step(&format!("reading {}", path.display()), || {
        osm::read_pbf(&path)
    })?;
    let f = &extract.features;
    let files = write_features(f, staged.dir())?;
    staged.commit()?;
    println!(
        "{}: {} households ({} foyers), {} candidate sites, {} producers, {} post offices, {} communes",
        path.display(),
        f.households.len(),
        f.total_foyers(),
        f.candidates.len(),
        f.producers.len(),
        f.post_offices.len(),
        f.communes.len()
    );
    for file in files {
        let name = file.file_name().unwrap_or_default();
        println!("  wrote {}", args.out.join(name).display());
    }
    println!("Data © OpenStreetMap contributors (ODbL).");
    Ok(Outcome::Done)
}
