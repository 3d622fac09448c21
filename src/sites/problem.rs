//! The capacitated p-median problem behind conciergerie siting.
//!
//! **Points** (households, or the customers of a literature instance) each have a *demand* (the
//! number of foyers, which counts against a site's capacity) and a *weight* (what one unit of
//! distance costs for that point: the foyers again for households, 1 in the literature).
//! **Candidates** are the places where a site may open, each with a minimum and a maximum load.
//! Exactly `p` candidates open; every point goes to one open candidate; the cost is
//! `sum over points of weight x distance(point, its site)`.
//!
//! Distances are straight-line (Euclidean, optionally floored as in OR-Library `pmedcap1`) or
//! given as a point x candidate matrix (road distances; `INFINITY` where a candidate cannot be
//! reached).

use crate::model::limits::{thousands, MAX_POINTS, MAX_VALUE};
use thiserror::Error;

/// Distances between points and candidates.
#[derive(Clone, Debug)]
pub enum Distances {
    /// Euclidean distance between [`Siting::point_xy`] and [`Siting::candidate_xy`].
    Euclid {
        /// Round each distance down to an integer (OR-Library `pmedcap1` convention).
        floor: bool,
    },
    /// A row-major `points x candidates` matrix; `f32::INFINITY` means unreachable.
    Matrix(Vec<f32>),
    /// For each point, the candidates it may be served from with their distances, sorted by
    /// candidate; every other pair is unreachable. For territories too large for a matrix.
    Sparse(Vec<Vec<(u32, f32)>>),
}

/// A place where a site may open.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// The least total demand an open site must serve.
    pub min: i64,
    /// The most total demand an open site may serve.
    pub max: i64,
    /// What opening it costs, in the same unit as `weight x distance` (0 in the literature).
    pub fixed_cost: f64,
    /// The point at the same place, if the candidate is one of the points (a household hosting
    /// the conciergerie): lets the solver move a site to a member of its catchment.
    pub point: Option<usize>,
    /// Must open (a planner's decision): every solution has it among its `p` sites, the
    /// search never closes nor moves it, and the checker refuses a siting without it.
    pub fixed: bool,
}

/// A capacitated p-median instance. Build it, then call [`Siting::validate`].
#[derive(Clone, Debug)]
pub struct Siting {
    /// Planar coordinates of the points (metres, or the instance's own unit).
    pub point_xy: Vec<[f64; 2]>,
    /// Demand of each point, counted against capacities.
    pub demand: Vec<i64>,
    /// Cost per unit of distance for each point.
    pub weight: Vec<f64>,
    /// Planar coordinates of the candidates.
    pub candidate_xy: Vec<[f64; 2]>,
    /// The candidates.
    pub candidates: Vec<Candidate>,
    /// How many sites open.
    pub p: usize,
    /// Distance rule.
    pub distances: Distances,
}

/// Why an instance cannot be solved as given.
#[derive(Debug, Error, PartialEq)]
pub enum SitingError {
    /// No point at all.
    #[error("there are no households to group")]
    NoPoints,
    /// Fewer candidates than sites.
    #[error("{p} sites were asked for but there are only {candidates} candidate places")]
    TooFewCandidates {
        /// Sites asked for.
        p: usize,
        /// Candidates available.
        candidates: usize,
    },
    /// The bounds cannot be met with this p.
    #[error(
        "{p} sites of {min} to {max} foyers cannot serve {total} foyers; \
         with these bounds the number of sites must be between {p_low} and {p_high}"
    )]
    Bounds {
        /// Sites asked for.
        p: usize,
        /// Total demand.
        total: i64,
        /// Least load per site.
        min: i64,
        /// Most load per site.
        max: i64,
        /// Smallest feasible p.
        p_low: usize,
        /// Largest feasible p.
        p_high: usize,
    },
    /// The bounds allow no number of sites at all.
    #[error(
        "no number of sites of {min} to {max} foyers can serve exactly {total} foyers; \
         widen the bounds"
    )]
    NoFeasibleP {
        /// Total demand.
        total: i64,
        /// Least load per site.
        min: i64,
        /// Most load per site.
        max: i64,
    },
    /// More sites must open than are asked for.
    #[error("{fixed} sites must open but only {p} are asked for")]
    TooManyFixed {
        /// Sites that must open.
        fixed: usize,
        /// Sites asked for.
        p: usize,
    },
    /// The sites that must open need more demand than there is.
    #[error(
        "the sites that must open need at least {need} foyers together, but there are only {total}"
    )]
    FixedMinimums {
        /// Their minimums' sum.
        need: i64,
        /// Total demand.
        total: i64,
    },
    /// A negative or non-finite number.
    #[error("point {index}: {what}")]
    BadValue {
        /// The point or candidate index.
        index: usize,
        /// What is wrong.
        what: String,
    },
    /// Inconsistent sizes (a programming error in the caller).
    #[error("inconsistent instance: {0}")]
    Shape(String),
    /// The independent checker refused the solver's answer (a bug).
    #[error("internal error: the siting breaks its own rules ({0}); please report it")]
    Refused(String),
}

/// The range of p that bounds `[min, max]` per site allow for `total` demand, if any.
pub fn feasible_p(total: i64, min: i64, max: i64) -> Option<(usize, usize)> {
    if max <= 0 || total <= 0 {
        return None;
    }
    let low = (total + max - 1) / max;
    let high = if min <= 0 { total } else { total / min };
    (low <= high).then_some((low.max(1) as usize, high.max(1) as usize))
}

/// Largest coordinate of a point or candidate (planar units or degrees).
pub const MAX_COORDINATE: f64 = 1e9;

impl Siting {
    /// Number of points.
    pub fn n(&self) -> usize {
        self.demand.len()
    }

    /// Number of candidates.
    pub fn m(&self) -> usize {
        self.candidates.len()
    }

    /// Total demand.
    pub fn total_demand(&self) -> i64 {
        self.demand.iter().sum()
    }

    /// Distance from point `i` to candidate `j` (`INFINITY` if unreachable).
    #[inline]
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        match &self.distances {
            Distances::Euclid { floor } => {
                let [x, y] = self.point_xy[i];
                let [u, v] = self.candidate_xy[j];
                let d = ((x - u) * (x - u) + (y - v) * (y - v)).sqrt();
                if *floor {
                    d.floor()
                } else {
                    d
                }
            }
            Distances::Matrix(values) => values[i * self.candidates.len() + j] as f64,
            Distances::Sparse(rows) => {
                let row = &rows[i];
                match row.binary_search_by_key(&(j as u32), |e| e.0) {
                    Ok(k) => row[k].1 as f64,
                    Err(_) => f64::INFINITY,
                }
            }
        }
    }

    /// Cost of serving point `i` from candidate `j`: weight x distance.
    #[inline]
    pub fn cost(&self, i: usize, j: usize) -> f64 {
        self.weight[i] * self.distance(i, j)
    }

    /// Checks sizes, values and that the bounds allow `p` sites; lists the feasible range of p
    /// when they do not. Uniform bounds are assumed for the range (the tightest candidate bounds
    /// are used otherwise).
    pub fn validate(&self) -> Result<(), SitingError> {
        let n = self.n();
        if n == 0 {
            return Err(SitingError::NoPoints);
        }
        if self.weight.len() != n || self.point_xy.len() != n {
            return Err(SitingError::Shape("points".into()));
        }
        if self.candidate_xy.len() != self.m() {
            return Err(SitingError::Shape("candidates".into()));
        }
        if let Distances::Matrix(v) = &self.distances {
            if v.len() != n * self.m() {
                return Err(SitingError::Shape("distance matrix".into()));
            }
        }
        if let Distances::Sparse(rows) = &self.distances {
            let m = self.m() as u32;
            let sorted = |r: &Vec<(u32, f32)>| r.windows(2).all(|w| w[0].0 < w[1].0);
            if rows.len() != n
                || rows
                    .iter()
                    .any(|r| !sorted(r) || r.iter().any(|e| e.0 >= m))
            {
                return Err(SitingError::Shape("sparse distances".into()));
            }
        }
        let most = |count: usize, what: &str| {
            (count > MAX_POINTS).then(|| SitingError::BadValue {
                index: count,
                what: format!(
                    "{} {what}, more than the {} tournee accepts; split the territory",
                    thousands(count as i128),
                    thousands(MAX_POINTS as i128)
                ),
            })
        };
        if let Some(e) = most(n, "points").or_else(|| most(self.m(), "candidates")) {
            return Err(e);
        }
        let coordinate_ok = |xy: &[f64; 2]| {
            xy.iter()
                .all(|c| c.is_finite() && c.abs() <= MAX_COORDINATE)
        };
        if let Some(i) = self.point_xy.iter().position(|xy| !coordinate_ok(xy)) {
            return Err(SitingError::BadValue {
                index: i,
                what: format!(
                    "coordinates {:?} are not numbers within ±10^9",
                    self.point_xy[i]
                ),
            });
        }
        if let Some(j) = self.candidate_xy.iter().position(|xy| !coordinate_ok(xy)) {
            return Err(SitingError::BadValue {
                index: j,
                what: format!(
                    "candidate coordinates {:?} are not numbers within ±10^9",
                    self.candidate_xy[j]
                ),
            });
        }
        for (j, c) in self.candidates.iter().enumerate() {
            if c.max > MAX_VALUE || c.min > MAX_VALUE {
                return Err(SitingError::BadValue {
                    index: j,
                    what: format!(
                        "candidate capacity {} is above the largest accepted, {}",
                        c.max.max(c.min),
                        thousands(MAX_VALUE.into())
                    ),
                });
            }
            if !(c.fixed_cost.is_finite() && (0.0..=MAX_VALUE as f64).contains(&c.fixed_cost)) {
                return Err(SitingError::BadValue {
                    index: j,
                    what: format!(
                        "candidate cost {} is not a number from 0 to 10^12",
                        c.fixed_cost
                    ),
                });
            }
        }
        for i in 0..n {
            if self.demand[i] > MAX_VALUE {
                return Err(SitingError::BadValue {
                    index: i,
                    what: format!(
                        "demand {} is above the largest accepted, {}",
                        self.demand[i],
                        thousands(MAX_VALUE.into())
                    ),
                });
            }
            if self.weight[i] > MAX_VALUE as f64 {
                return Err(SitingError::BadValue {
                    index: i,
                    what: format!("weight {} is above 10^12", self.weight[i]),
                });
            }
            if self.demand[i] < 0 {
                return Err(SitingError::BadValue {
                    index: i,
                    what: format!("negative demand {}", self.demand[i]),
                });
            }
            if !(self.weight[i].is_finite() && self.weight[i] >= 0.0) {
                return Err(SitingError::BadValue {
                    index: i,
                    what: format!("bad weight {}", self.weight[i]),
                });
            }
        }
        if self.p > self.m() || self.p == 0 {
            return Err(SitingError::TooFewCandidates {
                p: self.p,
                candidates: self.m(),
            });
        }
        let fixed = self.candidates.iter().filter(|c| c.fixed).count();
        if fixed > self.p {
            return Err(SitingError::TooManyFixed { fixed, p: self.p });
        }
        let total = self.total_demand();
        let fixed_min: i64 = self
            .candidates
            .iter()
            .filter(|c| c.fixed)
            .map(|c| c.min.max(0))
            .sum();
        if fixed_min > total {
            return Err(SitingError::FixedMinimums {
                need: fixed_min,
                total,
            });
        }
        let max = self.candidates.iter().map(|c| c.max).max().unwrap_or(0);
        let min = self.candidates.iter().map(|c| c.min).min().unwrap_or(0);
        let too_small = (self.p as i64).saturating_mul(max) < total;
        let too_large = (self.p as i64).saturating_mul(min) > total;
        if too_small || too_large {
            return Err(match feasible_p(total, min, max) {
                Some((p_low, p_high)) => SitingError::Bounds {
                    p: self.p,
                    total,
                    min,
                    max,
                    p_low,
                    p_high,
                },
                None => SitingError::NoFeasibleP { total, min, max },
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feasible_range_of_p() {
        assert_eq!(feasible_p(2343, 40, 60), Some((40, 58)));
        assert_eq!(feasible_p(100, 40, 60), Some((2, 2)));
        assert_eq!(feasible_p(70, 40, 60), None);
        assert_eq!(feasible_p(120, 0, 120), Some((1, 120)));
    }
}
