//! Every local-search operator: the predicted delta equals the real change of the objective,
//! and the changed solution passes the independent checker.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use tournee::model::*;
use tournee::routing::check::check;
use tournee::routing::construct::recreate::{recreate, sort_jobs, Order};
use tournee::routing::instance::Instance;
use tournee::routing::search::local::{or_opt, relocate, swap, two_opt, two_opt_star, Move};
use tournee::routing::state::State;

/// Random problems with time windows, shipments and asymmetric travel times.
fn problem(seed: u64, shipments: bool) -> Problem {
    let mut x = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let n = 40;
    let pts: Vec<(i64, i64)> = (0..n)
        .map(|_| (next(100) as i64, next(100) as i64))
        .collect();
    let d = |i: usize, j: usize| {
        (((pts[i].0 - pts[j].0).pow(2) + (pts[i].1 - pts[j].1).pow(2)) as f64)
            .sqrt()
            .round() as i64
    };
    // One-way streets make some trips longer one way.
    let skew: Vec<i64> = (0..n * n).map(|_| next(4) as i64).collect();
    let mut p = Problem::new(
        "random",
        SquareMatrix::from_fn(n, |i, j| {
            Time(d(i, j) + if i == j { 0 } else { skew[i * n + j] })
        }),
        SquareMatrix::from_fn(n, |i, j| {
            Dist(d(i, j) + if i == j { 0 } else { skew[i * n + j] })
        }),
    );
    let mut i = 1;
    while i < n {
        let open = next(300) as i64;
        if shipments && i + 1 < n && next(3) == 0 {
            p.jobs.push(Job::shipment(
                format!("s{i}"),
                Stop::at(i, 3).window(0, 1000),
                Stop::at(i + 1, 3).window(open, open + 400),
                Load::single(1 + next(5) as i64),
            ));
            i += 2;
        } else {
            p.jobs.push(Job::delivery(
                format!("d{i}"),
                Stop::at(i, 3).window(open, open + 200),
                Load::single(1 + next(5) as i64),
            ));
            i += 1;
        }
    }
    for k in 0..8 {
        let mut v = Vehicle::new(format!("v{k}"), 0, Load::single(20));
        v.shift = TimeWindow::new(0, 1200);
        p.vehicles.push(v);
    }
    p
}

fn objective_after(inst: &Instance, state: &State, m: &Move) -> (State, i64) {
    let mut s = state.clone();
    m.clone().apply(inst, &mut s);
    let o = s.objective(inst);
    (s, o.cost)
}

#[test]
fn every_operator_predicts_its_delta_exactly() {
    let mut tried = [0usize; 5];
    for seed in 1..12 {
        let p = problem(seed, seed % 2 == 0);
        let inst = Instance::new(&p);
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut state = State::empty(&inst);
        sort_jobs(&inst, &mut state.unassigned, Order::Random, &mut rng);
        recreate(&inst, &mut state, &mut rng, 0.0, &mut Vec::new());
        let before = state.objective(&inst);
        for u in 0..inst.tasks.len() as u32 {
            for v in 0..inst.tasks.len() as u32 {
                if u == v {
                    continue;
                }
                let moves = [
                    relocate::relocate(&inst, &state, u, v),
                    swap::swap(&inst, &state, u, v),
                    two_opt_star::two_opt_star(&inst, &state, u, v),
                    two_opt::two_opt(&inst, &state, u, v),
                    or_opt::or_opt(&inst, &state, u, v),
                ];
                for (k, m) in moves.into_iter().enumerate() {
                    let Some(m) = m else { continue };
                    tried[k] += 1;
                    assert!(m.delta < 0, "operators only return improvements");
                    let (after, cost) = objective_after(&inst, &state, &m);
                    assert_eq!(
                        cost - before.cost,
                        m.delta,
                        "operator {k}, seed {seed}, u {u}, v {v}"
                    );
                    let solution = after.to_solution(&inst, &vec![None; p.jobs.len()]);
                    let report =
                        check(&p, &solution).unwrap_or_else(|e| panic!("operator {k}: {e:?}"));
                    assert_eq!(report.cost.0, cost);
                }
            }
        }
    }
    // Each operator found improving moves on these random starts.
    assert!(tried.iter().all(|&t| t > 0), "{tried:?}");
}
