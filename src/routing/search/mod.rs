//! Improving solutions: ruin and recreate under simulated annealing.

pub mod ruin;
pub mod sisr;
