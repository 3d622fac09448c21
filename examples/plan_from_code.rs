//! The whole daily plan from code, on the small test extract (Sant Julià de Lòria, 370
//! dwellings): settings, territory, plan, files, and the summary printed.
//!
//! Run with `cargo run --release --example plan_from_code`; the files go to
//! `tournee-out/example/`.

use std::path::Path;
use tournee::plan::settings::{Flag, Settings};
use tournee::plan::{self, DemandInput, Quiet, Territory};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The defaults, with a smaller siting budget and a fixed day (as a file and flags would).
    let settings = Settings::from_toml(
        "[sites]\nkicks = 10\nsensitivity_sizes = [50, 80]\n",
        "example settings",
        &[Flag::new("--date", "date", "2026-11-25")],
    )?;
    let extract = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sant-julia-de-loria.osm.pbf");
    let territory = Territory::read(&extract, &settings, &Quiet)?;
    let p = plan::plan(&territory, &settings, &DemandInput::Model, &Quiet)?;
    println!(
        "{} conciergeries for {} foyers, {} van(s), {:.1} km; complete: {}",
        p.grouping.pb.p,
        p.grouping.pb.total_demand(),
        p.rounds.routes().count(),
        p.rounds
            .regions
            .iter()
            .map(|r| r.report.distance.0)
            .sum::<i64>() as f64
            / 1000.0,
        p.is_complete()
    );
    let summary = tournee::report::plan::write(&p, &territory, Path::new("tournee-out/example"))?;
    println!("{summary}");
    Ok(())
}
