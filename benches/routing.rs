//! Routing core: construction time on X-n1001-k43, local-search throughput (pairs of tasks
//! evaluated per second by every operator) on X-n1001-k43 and Solomon RC101.
//!
//! Run with `cargo bench --bench routing`. The instances come from `../shared/data/benchmarks`
//! (beside the crate); the bench says so and does nothing if they are absent.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use std::path::Path;
use tournee::io::{cvrplib, solomon};
use tournee::model::Problem;
use tournee::routing::construct::recreate::{recreate, sort_jobs, Order};
use tournee::routing::instance::Instance;
use tournee::routing::search::local::descend;
use tournee::routing::state::State;

fn shared(rel: &str) -> Option<Problem> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/benchmarks")
        .join(rel);
    if !path.exists() {
        eprintln!("{} not found: skipping", path.display());
        return None;
    }
    let p = if rel.ends_with(".vrp") {
        cvrplib::read(&path)
    } else {
        solomon::read(&path)
    };
    Some(p.expect("benchmark file reads"))
}

fn construct(inst: &Instance, seed: u64) -> State {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut state = State::empty(inst);
    sort_jobs(inst, &mut state.unassigned, Order::Far, &mut rng);
    recreate(inst, &mut state, &mut rng, 0.0, &mut Vec::new());
    state
}

fn bench(c: &mut Criterion) {
    let Some(x1001) = shared("cvrp/X-n1001-k43.vrp") else {
        return;
    };
    let mut g = c.benchmark_group("construction");
    g.sample_size(10);
    g.bench_function("X-n1001-k43 instance + greedy insertion", |b| {
        b.iter(|| {
            let inst = Instance::new(&x1001);
            construct(&inst, 1).routes.len()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("local_search");
    g.sample_size(10);
    let rc101 = shared("vrptw/solomon/RC101.txt");
    for (name, problem) in [("X-n1001-k43", Some(x1001)), ("RC101", rc101)] {
        let Some(problem) = problem else { continue };
        let inst = Instance::new(&problem);
        let start = construct(&inst, 1);
        // One descent from the same start: count its (u, v) evaluations once for the throughput.
        let evaluated = descend(
            &inst,
            &mut start.clone(),
            &[],
            &mut Pcg64Mcg::seed_from_u64(2),
        )
        .evaluated;
        g.throughput(Throughput::Elements(evaluated));
        g.bench_function(format!("{name} descent from greedy start"), |b| {
            b.iter(|| {
                let mut s = start.clone();
                descend(&inst, &mut s, &[], &mut Pcg64Mcg::seed_from_u64(2)).delta
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
