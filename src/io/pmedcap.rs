//! The capacitated p-median format of the literature (OR-Library `pmedcap1`, Lorena & Senne,
//! Stefanello et al.): a line `n p`, then one line per point `x y capacity demand`. Every point
//! is a customer and a candidate median; the capacity applies if the point is opened.
//!
//! Distances are Euclidean; OR-Library `pmedcap1` (`cpmp*`) floors them ([`Rounding::Floor`]),
//! the other sets use them as they are ([`Rounding::None`]).
//!
//! The solution file written by [`write_assignment`] has one line `point,median` per point,
//! 0-based, in file order, after a header line.

use super::format_error::FormatError;
use super::text::{count_within, int, int_at_least, read_text, real, Lines};
use crate::model::limits::MAX_POINTS;
use crate::sites::{Candidate, Distances, Sites, Siting};
use std::fmt::Write as _;
use std::path::Path;

/// How distances are rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Round down to an integer (OR-Library `pmedcap1`).
    Floor,
    /// Real Euclidean distance.
    None,
}

impl Rounding {
    /// The convention of a benchmark file, from its name: `cpmp*` files are floored.
    pub fn for_file(path: &Path) -> Rounding {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if name.starts_with("cpmp") {
            Rounding::Floor
        } else {
            Rounding::None
        }
    }
}

/// Reads a p-median file into a [`Siting`] (weights 1, no minimum load).
pub fn read(path: &Path, rounding: Rounding) -> Result<Siting, FormatError> {
    let text = read_text(path)?;
    let mut lines = Lines::new(path, &text);
    if lines.is_empty() {
        return Err(FormatError::line(
            path,
            1,
            "the file is empty; expected a line `n p`, then `x y capacity demand` per point",
        ));
    }
    let (l, head) = lines.expect("`n p`")?;
    let t: Vec<&str> = head.split_whitespace().collect();
    if t.len() != 2 {
        return Err(lines.err(
            l,
            format!("expected `n p` (two whole numbers), found {head:?}"),
        ));
    }
    let n = count_within(path, l, t[0], "the number of points n", 1, MAX_POINTS)?;
    if n > lines.remaining() {
        return Err(lines.err(
            l,
            format!(
                "n = {n} points announced but the file has only {} more lines; check the first line",
                lines.remaining()
            ),
        ));
    }
    let p = int_at_least(path, l, t[1], "the number of medians p", 1)? as usize;
    if p > n {
        return Err(lines.err(
            l,
            format!("p = {p} medians is more than the n = {n} points"),
        ));
    }
    let mut xy = Vec::with_capacity(n);
    let mut demand = Vec::with_capacity(n);
    let mut candidates = Vec::with_capacity(n);
    for k in 0..n {
        let (l, line) = lines.expect(&format!("point {} of {n} (`x y capacity demand`)", k + 1))?;
        let t: Vec<&str> = line.split_whitespace().collect();
        if t.len() != 4 {
            return Err(lines.err(
                l,
                format!("expected `x y capacity demand`, found {} values", t.len()),
            ));
        }
        let x = real(path, l, t[0], "x")?;
        let y = real(path, l, t[1], "y")?;
        let capacity = int(path, l, t[2], "capacity")?;
        let q = int(path, l, t[3], "demand")?;
        if capacity < 0 || q < 0 {
            return Err(lines.err(l, "capacity and demand must not be negative"));
        }
        xy.push([x, y]);
        demand.push(q);
        candidates.push(Candidate {
            min: 0,
            max: capacity,
            fixed_cost: 0.0,
            point: Some(k),
            fixed: false,
        });
    }
    if let Some((l, _)) = lines.peek() {
        return Err(lines.err(
            l,
            format!("more lines than the n = {n} points announced on the first line"),
        ));
    }
    Ok(Siting {
        candidate_xy: xy.clone(),
        point_xy: xy,
        weight: vec![1.0; n],
        demand,
        candidates,
        p,
        distances: Distances::Euclid {
            floor: rounding == Rounding::Floor,
        },
    })
}

/// The `point,median` lines of a solution (unassigned points get an empty median).
pub fn write_assignment(sites: &Sites) -> String {
    let mut s = String::from("point,median\n");
    for (i, a) in sites.assign.iter().enumerate() {
        match a {
            Some(j) => writeln!(s, "{i},{j}").expect("string"),
            None => writeln!(s, "{i},").expect("string"),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn reads_points_and_capacities() {
        let f = file("3 1\n0 0 10 2\n3 4 10 3\n6 8 10 1\n");
        let pb = read(f.path(), Rounding::None).unwrap();
        assert_eq!((pb.n(), pb.p), (3, 1));
        assert_eq!(pb.demand, vec![2, 3, 1]);
        assert_eq!(pb.distance(0, 1), 5.0);
        assert_eq!(pb.candidates[2].max, 10);
    }

    #[test]
    fn floors_distances_when_asked() {
        let f = file("2 1\n0 0 5 1\n1 1 5 1\n");
        let pb = read(f.path(), Rounding::Floor).unwrap();
        assert_eq!(pb.distance(0, 1), 1.0);
    }

    #[test]
    fn errors_name_the_line() {
        for (text, line, needle) in [
            ("", 1, "empty"),
            ("3\n", 1, "`n p`"),
            ("2 1\n0 0 5 1\n", 1, "only 1 more lines"),
            ("9223372036854775807 1\n0 0 5 1\n", 1, "at most 2,000,000"),
            ("2 1\n0 0 5 1\n1 x 5 1\n", 3, "y"),
            ("2 1\n0 0 5 1\n1 1 5 -1\n", 3, "negative"),
            ("2 3\n0 0 5 1\n1 1 5 1\n", 1, "more than"),
            ("1 1\n0 0 5 1\n1 1 5 1\n", 3, "more lines"),
        ] {
            let f = file(text);
            let e = read(f.path(), Rounding::None).unwrap_err().to_string();
            assert!(e.contains(&format!("line {line}")), "{text:?}: {e}");
            assert!(e.contains(needle), "{text:?}: {e}");
        }
    }
}
