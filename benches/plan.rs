//! The daily plan's stages on the small extract (Sant Julià de Lòria, 370 dwellings, 524
//! foyers): reading the territory, siting (3 kicks, no bound), the day's rounds for the
//! model's demand, and the whole plan with its scenarios.
//!
//! Run with `cargo bench --bench plan`. Each stage is timed alone on the outputs of the
//! previous ones, through the library (no binary).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use tournee::plan::settings::Settings;
use tournee::plan::siting::{site, SitingOptions};
use tournee::plan::{self, depot, Demand, DemandInput, Quiet, Rounds, Stops, Territory};

fn extract() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sant-julia-de-loria.osm.pbf")
}

fn bench(c: &mut Criterion) {
    let settings = Settings::from_toml(
        "date = \"2026-11-25\"\n[sites]\nkicks = 3\nsensitivity_sizes = [50]\n",
        "bench",
        &[],
    )
    .expect("valid settings");
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    g.bench_function("territory: read, households, road graphs", |b| {
        b.iter(|| {
            Territory::read(&extract(), &settings, &Quiet)
                .unwrap()
                .households
                .len()
        })
    });
    let t = Territory::read(&extract(), &settings, &Quiet).unwrap();
    t.car().prepare();
    t.foot().prepare();
    let opts = SitingOptions::for_plan(&settings, 50, 3, false);
    g.bench_function("siting: walking matrix, 3 kicks", |b| {
        b.iter(|| site(&t, &opts, &Quiet).unwrap().result.sites.cost)
    });
    let grouping = site(&t, &opts, &Quiet).unwrap();
    let (depots, _) = depot::find(&settings.depot, &t.extract, &grouping).unwrap();
    g.bench_function("rounds: stops, demand, fleet sized to the day", |b| {
        b.iter(|| {
            let stops = Stops::new(&depots, &grouping, &t.extract, t.car());
            let demand = Demand::of_day(&stops, &settings, &DemandInput::Model).unwrap();
            Rounds::solve(&stops, &demand, &settings, t.car())
                .unwrap()
                .routes()
                .count()
        })
    });
    g.bench_function("whole plan with scenarios", |b| {
        b.iter(|| {
            plan::plan(&t, &settings, &DemandInput::Model, &Quiet)
                .unwrap()
                .rounds
                .routes()
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
