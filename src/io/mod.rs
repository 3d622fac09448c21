//! Reading and writing user files.

pub mod bks;
pub mod csv_table;
pub mod cvrplib;
pub mod features;
pub mod files;
pub mod format_error;
pub mod households;
pub mod instance;
pub mod lilim;
pub mod matrix;
pub mod output_dir;
pub mod pmedcap;
pub mod points;
pub mod solomon;
pub(crate) mod text;
pub mod vroom;
pub mod vrplib;
pub mod words;
