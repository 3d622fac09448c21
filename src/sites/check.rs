//! An independent checker for sitings: written without any of the solver's data structures, so
//! that a solver bug cannot hide behind a shared one.

use super::problem::Siting;
use super::solution::Sites;
use thiserror::Error;

/// A rule a siting breaks.
#[derive(Debug, Error, PartialEq)]
pub enum Violation {
    /// Not exactly p sites.
    #[error("{open} sites are open, {p} were asked for")]
    SiteCount {
        /// Sites open.
        open: usize,
        /// Sites asked for.
        p: usize,
    },
    /// A candidate index out of range or listed twice.
    #[error("candidate {0} is listed twice or does not exist")]
    BadSite(usize),
    /// A candidate that must open is closed.
    #[error("candidate {0} must open but is closed")]
    FixedClosed(usize),
    /// A point served by a closed site.
    #[error("point {point} is served by candidate {site}, which is not open")]
    ClosedSite {
        /// The point.
        point: usize,
        /// Its site.
        site: usize,
    },
    /// A point served from an unreachable site.
    #[error("point {point} is served by candidate {site}, which it cannot reach")]
    Unreachable {
        /// The point.
        point: usize,
        /// Its site.
        site: usize,
    },
    /// A site above its maximum.
    #[error("site {site} serves {load}, more than its maximum {max}")]
    OverMax {
        /// The site.
        site: usize,
        /// Its load.
        load: i64,
        /// Its maximum.
        max: i64,
    },
    /// A site below its minimum.
    #[error("site {site} serves {load}, less than its minimum {min}")]
    UnderMin {
        /// The site.
        site: usize,
        /// Its load.
        load: i64,
        /// Its minimum.
        min: i64,
    },
    /// The stated cost is not the recomputed one.
    #[error("stated cost {stated} but the assignment costs {actual}")]
    Cost {
        /// Cost in the solution.
        stated: f64,
        /// Cost recomputed.
        actual: f64,
    },
    /// The assignment does not have one entry per point.
    #[error("the assignment has {got} entries for {n} points")]
    Length {
        /// Entries.
        got: usize,
        /// Points.
        n: usize,
    },
}

/// What the checker recomputed.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    /// Recomputed cost.
    pub cost: f64,
    /// Load of each open site, in the order of `Sites::open`.
    pub loads: Vec<i64>,
    /// Points without a site.
    pub unassigned: Vec<usize>,
}

/// Checks every rule: p distinct open candidates, the fixed ones among them, each assigned point served by an open,
/// reachable candidate, loads within `[min, max]`, and the stated cost (relative tolerance 1e-9).
/// Unassigned points are allowed and listed (the caller reports them).
pub fn check(problem: &Siting, sites: &Sites) -> Result<CheckReport, Vec<Violation>> {
    let mut errors = Vec::new();
    let n = problem.demand.len();
    if sites.assign.len() != n {
        return Err(vec![Violation::Length {
            got: sites.assign.len(),
            n,
        }]);
    }
    if sites.open.len() != problem.p {
        errors.push(Violation::SiteCount {
            open: sites.open.len(),
            p: problem.p,
        });
    }
    let mut slot = vec![usize::MAX; problem.candidates.len()];
    for (k, &j) in sites.open.iter().enumerate() {
        if j >= slot.len() || slot[j] != usize::MAX {
            errors.push(Violation::BadSite(j));
        } else {
            slot[j] = k;
        }
    }
    for (j, c) in problem.candidates.iter().enumerate() {
        if c.fixed && slot[j] == usize::MAX {
            errors.push(Violation::FixedClosed(j));
        }
    }
    let mut loads = vec![0i64; sites.open.len()];
    let mut cost = 0.0;
    let mut unassigned = Vec::new();
    for (i, a) in sites.assign.iter().enumerate() {
        let Some(j) = *a else {
            unassigned.push(i);
            continue;
        };
        if j >= slot.len() || slot[j] == usize::MAX {
            errors.push(Violation::ClosedSite { point: i, site: j });
            continue;
        }
        let d = problem.distance(i, j);
        if !d.is_finite() {
            errors.push(Violation::Unreachable { point: i, site: j });
            continue;
        }
        loads[slot[j]] += problem.demand[i];
        cost += problem.weight[i] * d;
    }
    for (k, &j) in sites.open.iter().enumerate() {
        if j >= slot.len() {
            continue;
        }
        let c = &problem.candidates[j];
        cost += c.fixed_cost;
        if loads[k] > c.max {
            errors.push(Violation::OverMax {
                site: j,
                load: loads[k],
                max: c.max,
            });
        }
        if loads[k] < c.min {
            errors.push(Violation::UnderMin {
                site: j,
                load: loads[k],
                min: c.min,
            });
        }
    }
    if (cost - sites.cost).abs() > 1e-9 * cost.abs().max(1.0) {
        errors.push(Violation::Cost {
            stated: sites.cost,
            actual: cost,
        });
    }
    if errors.is_empty() {
        Ok(CheckReport {
            cost,
            loads,
            unassigned,
        })
    } else {
        Err(errors)
    }
}
