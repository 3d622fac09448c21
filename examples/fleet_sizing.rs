//! The day's fleet sized in one run, over five seeds: the van count and the cost the solver
//! finds for the same rounds (sites, depot and demand fixed), on an extract given as argument
//! (the embedded default otherwise). The figures of BENCHMARKS.md, "Fleet sizing in one run".
//!
//! Run with `cargo run --release --example fleet_sizing [EXTRACT.osm.pbf]`.

use std::path::PathBuf;
use tournee::plan::settings::Settings;
use tournee::plan::siting::{site, SitingOptions};
use tournee::plan::{depot, fleet, Demand, DemandInput, Quiet, Rounds, Stops, Territory};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/andorra-2021-10-28.osm.pbf")
        });
    let settings = Settings::from_toml("date = \"2026-11-25\"\n", "defaults", &[])?;
    let t = Territory::read(&path, &settings, &Quiet)?;
    let g = site(
        &t,
        &SitingOptions::for_plan(&settings, 50, 10, false),
        &Quiet,
    )?;
    let (d, _) = depot::find(&settings.depot, &t.extract, &g)?;
    let stops = Stops::new(&d, &g, &t.extract, t.car());
    let demand = Demand::of_day(&stops, &settings, &DemandInput::Model)?;
    // The day's rounds once, to get the problem (one region here), then solved again per seed.
    let problem = Rounds::solve(&stops, &demand, &settings, t.car())?.regions[0]
        .problem
        .clone();
    let (mut vans, mut eur, mut secs) = (0, 0.0, 0.0);
    for seed in 1..=5u64 {
        let mut p = problem.clone();
        let s = Settings {
            seed,
            ..settings.clone()
        };
        let clock = std::time::Instant::now();
        let end = s.fleet.shift_end.seconds();
        let (sol, rep, _) = fleet::solve_fleet(&mut p, &s, &[(0, None)], fleet::DAY_ROUNDS, end)?;
        let e = clock.elapsed().as_secs_f64();
        let cost = rep.cost.0 as f64 / fleet::COST_UNITS_PER_EUR;
        println!(
            "seed {seed}: {} vans, {cost:.1} EUR (vans' and drivers' days, km), {} job(s) not served, {e:.1} s",
            rep.routes.len(),
            sol.unassigned.len()
        );
        (vans, eur, secs) = (vans + rep.routes.len(), eur + cost, secs + e);
    }
    println!(
        "mean: {:.1} vans, {:.1} EUR, {:.1} s",
        vans as f64 / 5.0,
        eur / 5.0,
        secs / 5.0
    );
    Ok(())
}
