//! Vehicle routing: validation, construction, search, and the independent checker ([`check`]).
//!
//! The solver ([`solve`]) prepares an [`instance::Instance`], leaves out the jobs that no vehicle
//! can serve even alone (with their [`crate::model::Reason`]), builds a first solution by greedy
//! insertion and improves it by ruin and recreate under simulated annealing.

pub mod check;
pub mod construct;
pub mod insert;
pub mod instance;
pub mod route;
pub mod search;
pub mod solver;
pub mod state;
pub mod validate;

pub use solver::{solve, solve_checked, Params, SolveError, SolveStats};
pub use validate::{validate, Issue, ValidationError};
