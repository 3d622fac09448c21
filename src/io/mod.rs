//! Reading and writing user files.

pub mod matrix;
pub mod points;
