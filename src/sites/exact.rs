//! Exact models with `good_lp` (pure-Rust `microlp` by default; Cbc with the `cbc` feature).
//!
//! The capacitated p-median model, over points `I`, candidates `J` (pairs with a finite
//! distance only):
//!
//! ```text
//! minimise   sum_ij w_i d_ij x_ij + sum_j f_j y_j
//! subject to sum_j x_ij = 1                       for every point i
//!            sum_j y_j = p
//!            min_j y_j <= sum_i q_i x_ij <= max_j y_j   for every candidate j
//!            x_ij <= y_j                          for every pair (strengthens the relaxation)
//!            x, y in {0, 1}   (in [0, 1] for the LP relaxation)
//! ```

use super::problem::Siting;
use good_lp::{variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

#[cfg(feature = "cbc")]
use good_lp::solvers::coin_cbc::coin_cbc as backend;
#[cfg(not(feature = "cbc"))]
use good_lp::solvers::microlp::microlp as backend;

/// The name of the LP back-end compiled in.
pub const BACKEND: &str = if cfg!(feature = "cbc") {
    "Cbc"
} else {
    "microlp"
};

struct Model {
    vars: ProblemVariables,
    x: Vec<Vec<(usize, Variable)>>,
    y: Vec<Variable>,
    objective: Expression,
}

fn model(pb: &Siting, points: &[usize], pool: &[usize], integer: bool) -> Model {
    let mut vars = ProblemVariables::new();
    let def = || {
        if integer {
            variable().binary()
        } else {
            variable().min(0.0).max(1.0)
        }
    };
    let y: Vec<Variable> = pool.iter().map(|_| vars.add(def())).collect();
    let mut objective = Expression::default();
    for (b, &j) in pool.iter().enumerate() {
        objective += pb.candidates[j].fixed_cost * y[b];
    }
    let mut x = Vec::with_capacity(points.len());
    for &i in points {
        let mut row = Vec::new();
        for (b, &j) in pool.iter().enumerate() {
            let c = pb.cost(i, j);
            if c.is_finite() {
                let v = vars.add(def());
                objective += c * v;
                row.push((b, v));
            }
        }
        x.push(row);
    }
    Model {
        vars,
        x,
        y,
        objective,
    }
}

fn constrained<S: SolverModel>(
    mut s: S,
    pb: &Siting,
    points: &[usize],
    pool: &[usize],
    p: usize,
    m: &Model,
) -> S {
    let mut per_site: Vec<Expression> = vec![Expression::default(); pool.len()];
    for (k, row) in m.x.iter().enumerate() {
        let mut one = Expression::default();
        for &(b, v) in row {
            one += v;
            per_site[b] += (pb.demand[points[k]] as f64) * v;
            s = s.with((v - m.y[b]).leq(0.0));
        }
        s = s.with(one.eq(1.0));
    }
    let mut count = Expression::default();
    for (b, &j) in pool.iter().enumerate() {
        count += m.y[b];
        let c = &pb.candidates[j];
        let load = std::mem::take(&mut per_site[b]);
        s = s.with((load.clone() - (c.max as f64) * m.y[b]).leq(0.0));
        if c.min > 0 {
            s = s.with((load - (c.min as f64) * m.y[b]).geq(0.0));
        }
        if c.fixed {
            s = s.with(Expression::from(m.y[b]).geq(1.0));
        }
    }
    s.with(count.eq(p as f64))
}

/// Solves the capacitated p-median over `points` and the candidates `pool` with `p` sites,
/// to optimality. Returns the open candidates and, for each point, the index of its site in
/// that list; `None` when infeasible or the solver fails.
pub fn solve_region(
    pb: &Siting,
    points: &[usize],
    pool: &[usize],
    p: usize,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let m = model(pb, points, pool, true);
    let solver = constrained(
        m.vars.clone().minimise(m.objective.clone()).using(backend),
        pb,
        points,
        pool,
        p,
        &m,
    );
    let sol = solver.solve().ok()?;
    let open: Vec<usize> = (0..pool.len())
        .filter(|&b| sol.value(m.y[b]) > 0.5)
        .collect();
    if open.len() != p {
        return None;
    }
    let sites: Vec<usize> = open.iter().map(|&b| pool[b]).collect();
    let mut slot_of = Vec::with_capacity(points.len());
    for row in &m.x {
        let &(b, _) = row.iter().find(|&&(_, v)| sol.value(v) > 0.5)?;
        slot_of.push(open.iter().position(|&o| o == b)?);
    }
    Some((sites, slot_of))
}

/// The optimal value of the LP relaxation of the whole instance: a lower bound on the optimal
/// cost. `None` when the solver fails (the caller then relies on the Lagrangian bound).
pub fn lp_bound(pb: &Siting) -> Option<f64> {
    let points: Vec<usize> = (0..pb.n()).collect();
    let pool: Vec<usize> = (0..pb.m()).collect();
    let m = model(pb, &points, &pool, false);
    let solver = constrained(
        m.vars.clone().minimise(m.objective.clone()).using(backend),
        pb,
        &points,
        &pool,
        pb.p,
        &m,
    );
    let sol = solver.solve().ok()?;
    Some(sol.eval(&m.objective))
}
