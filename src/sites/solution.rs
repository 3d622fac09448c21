//! A siting: which candidates open and which site serves each point.

/// A siting of a [`super::Siting`] instance.
#[derive(Clone, Debug, PartialEq)]
pub struct Sites {
    /// Open candidates, ascending.
    pub open: Vec<usize>,
    /// For each point, the candidate serving it (`None`: could not be placed, see the report).
    pub assign: Vec<Option<usize>>,
    /// Total cost (`sum weight x distance`, plus fixed costs of open sites).
    pub cost: f64,
}

/// How good a siting is known to be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// A proven lower bound on the optimal cost.
    pub value: f64,
    /// How it was obtained.
    pub method: BoundMethod,
}

/// The method behind a [`Bound`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoundMethod {
    /// The LP relaxation solved exactly (good_lp).
    LpRelaxation,
    /// A Lagrangian relaxation of the assignment constraints (subgradient; each site's best
    /// catchment as a knapsack), at least as strong as the LP relaxation at its optimum.
    Lagrangian,
    /// The exact model solved to optimality.
    Exact,
}

impl BoundMethod {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            BoundMethod::LpRelaxation => "LP relaxation",
            BoundMethod::Lagrangian => "Lagrangian relaxation",
            BoundMethod::Exact => "exact (optimal)",
        }
    }
}

impl Bound {
    /// Relative gap of `cost` above this bound, in percent.
    pub fn gap_percent(&self, cost: f64) -> f64 {
        if cost <= 0.0 {
            0.0
        } else {
            100.0 * (cost - self.value).max(0.0) / cost
        }
    }
}
