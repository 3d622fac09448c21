//! Routing instances of the literature and exchange formats: which format a file is in, reading
//! it into a [`Problem`], and writing a checked solution the way that format's users expect.

use super::format_error::FormatError;
use super::{cvrplib, lilim, solomon, vroom, vrplib};
use crate::model::schedule::Report;
use crate::model::{Problem, Solution};
use std::path::Path;

/// The routing file formats tournee reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceFormat {
    /// CVRPLIB / TSPLIB `.vrp` (EUC_2D, nint distances).
    Cvrplib,
    /// Solomon and Gehring-Homberger VRPTW text files (DIMACS convention).
    Solomon,
    /// Li & Lim PDPTW text files (DIMACS convention).
    Lilim,
    /// VROOM's JSON problem (with a matrix).
    Vroom,
    /// PyVRP's VRPLIB dialect for multi-depot VRPTW (`TYPE: MDVRPTW`).
    Vrplib,
}

/// Guesses the format of `path`: `.vrp` is CVRPLIB, or PyVRP's VRPLIB dialect when its `TYPE`
/// is one of [`vrplib::TYPES`]; `.json` VROOM; a text file whose first line holds three numbers
/// is Li & Lim, one with `CUST NO.` or `VEHICLE` Solomon, one with `NODE_COORD_SECTION` or
/// `EDGE_WEIGHT` CVRPLIB.
pub fn detect(path: &Path) -> Result<InstanceFormat, FormatError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "json" {
        return Ok(InstanceFormat::Vroom);
    }
    let text = super::text::read_text(path)?;
    if ext == "vrp" {
        let dialect =
            vrplib::problem_type(&text).is_some_and(|t| vrplib::TYPES.contains(&t.as_str()));
        return Ok(if dialect {
            InstanceFormat::Vrplib
        } else {
            InstanceFormat::Cvrplib
        });
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let numbers = first
        .split_whitespace()
        .filter(|w| w.parse::<f64>().is_ok())
        .count();
    if numbers == 3 && first.split_whitespace().count() == 3 {
        Ok(InstanceFormat::Lilim)
    } else if text.contains("CUST NO.") || text.contains("VEHICLE") {
        Ok(InstanceFormat::Solomon)
    } else if text.contains("NODE_COORD_SECTION") || text.contains("EDGE_WEIGHT") {
        Ok(InstanceFormat::Cvrplib)
    } else {
        Err(FormatError::line(
            path,
            1,
            "cannot tell the format of this file: give --format cvrplib|solomon|lilim|vroom",
        ))
    }
}

/// Reads an instance in `format` (detected when `None`); returns it with the format used.
pub fn read(
    path: &Path,
    format: Option<InstanceFormat>,
) -> Result<(Problem, InstanceFormat), FormatError> {
    let format = match format {
        Some(f) => f,
        None => detect(path)?,
    };
    let problem = match format {
        InstanceFormat::Cvrplib => cvrplib::read(path),
        InstanceFormat::Solomon => solomon::read(path),
        InstanceFormat::Lilim => lilim::read(path),
        InstanceFormat::Vroom => vroom::read(path),
        InstanceFormat::Vrplib => vrplib::read(path),
    }?;
    Ok((problem, format))
}

/// The solution as the format's users expect it: VROOM's solution JSON for VROOM input, else
/// CVRPLIB `.sol` text (`Route #k: ...` then `Cost X`).
pub fn solution_bytes(
    format: InstanceFormat,
    problem: &Problem,
    solution: &Solution,
    report: &Report,
) -> Vec<u8> {
    match format {
        InstanceFormat::Vroom => {
            serde_json::to_vec_pretty(&vroom::write_solution(problem, solution, report))
                .expect("JSON values serialise")
        }
        InstanceFormat::Vrplib => vrplib::write_sol(problem, solution, report.cost).into_bytes(),
        _ => cvrplib::write_sol(problem, solution, report.cost).into_bytes(),
    }
}

/// The checked cost in the user's units (the file's own, before tournee's integer scaling).
pub fn user_cost(problem: &Problem, report: &Report) -> f64 {
    report.cost.0 as f64 / problem.scale.per_unit as f64
}
