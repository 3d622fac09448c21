//! Improving solutions: ruin and recreate under simulated annealing.

pub mod fleet;
pub mod local;
pub mod ruin;
pub mod sisr;
