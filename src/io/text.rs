//! Shared by the line-oriented benchmark readers: numbered lines, numbers parsed with a message
//! naming the line, and the two Euclidean rounding conventions of the literature.

use super::format_error::FormatError;
use crate::model::{Dist, SquareMatrix, Time};
use std::path::Path;

/// The whole file as text, for every text reader (benchmark files, VROOM's JSON, the format
/// detection): a UTF-8 byte-order mark dropped (a Windows editor's "UTF-8" writes one), invalid
/// UTF-8 bytes turned into U+FFFD (they then fail as numbers or JSON on their line).
pub(crate) fn read_text(path: &Path) -> Result<String, FormatError> {
    let bytes = std::fs::read(path).map_err(|source| FormatError::Io {
        path: path.into(),
        source,
    })?;
    Ok(without_bom(&String::from_utf8_lossy(&bytes)).to_string())
}

/// `text` without its UTF-8 byte-order mark, if it starts with one.
pub(crate) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The non-blank lines of a text with their 1-based numbers (CR/LF and LF both accepted).
pub(crate) struct Lines<'a> {
    /// The file, for messages.
    pub path: &'a Path,
    lines: Vec<(usize, &'a str)>,
    pos: usize,
    last: usize,
}

impl<'a> Lines<'a> {
    /// Splits `text` read from `path`.
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        let all: Vec<&str> = without_bom(text).lines().collect();
        let lines = all
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(k, l)| (k + 1, l.trim()))
            .collect();
        Lines {
            path,
            lines,
            pos: 0,
            last: all.len().max(1),
        }
    }

    /// The next non-blank line, trimmed.
    pub fn next_line(&mut self) -> Option<(usize, &'a str)> {
        let l = self.lines.get(self.pos).copied();
        self.pos += l.is_some() as usize;
        l
    }

    /// The next non-blank line without consuming it.
    pub fn peek(&self) -> Option<(usize, &'a str)> {
        self.lines.get(self.pos).copied()
    }

    /// The next non-blank line, or an error at the end of the file saying what was expected.
    pub fn expect(&mut self, what: &str) -> Result<(usize, &'a str), FormatError> {
        self.next_line()
            .ok_or_else(|| self.at_end(format!("the file ends where {what} was expected")))
    }

    /// An error on `line`.
    pub fn err(&self, line: usize, message: impl Into<String>) -> FormatError {
        FormatError::line(self.path, line, message)
    }

    /// An error at the last line of the file (something is missing).
    pub fn at_end(&self, message: impl Into<String>) -> FormatError {
        FormatError::line(self.path, self.last, message)
    }

    /// The non-blank lines not read yet.
    pub fn remaining(&self) -> usize {
        self.lines.len() - self.pos
    }

    /// The whitespace-separated values on the lines not read yet.
    pub fn remaining_values(&self) -> usize {
        self.lines[self.pos..]
            .iter()
            .map(|(_, l)| l.split_whitespace().count())
            .sum()
    }

    /// `true` if the text has no non-blank line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A finite real number.
pub(crate) fn real(path: &Path, line: usize, token: &str, what: &str) -> Result<f64, FormatError> {
    token
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| FormatError::line(path, line, format!("{what} {token:?} is not a number")))
}

/// An integer (`12` or `12.0`).
pub(crate) fn int(path: &Path, line: usize, token: &str, what: &str) -> Result<i64, FormatError> {
    if let Ok(v) = token.parse::<i64>() {
        return Ok(v);
    }
    match token.parse::<f64>() {
        Ok(v) if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 => Ok(v as i64),
        _ => Err(FormatError::line(
            path,
            line,
            format!("{what} {token:?} is not an integer"),
        )),
    }
}

/// An integer that must be at least `min`.
pub(crate) fn int_at_least(
    path: &Path,
    line: usize,
    token: &str,
    what: &str,
    min: i64,
) -> Result<i64, FormatError> {
    let v = int(path, line, token, what)?;
    if v < min {
        return Err(FormatError::line(
            path,
            line,
            format!("{what} is {v}, it must be at least {min}"),
        ));
    }
    Ok(v)
}

/// A count given in a header (`DIMENSION`, a fleet size) that must be from `min` to `max`:
/// the message gives the value, the range and why.
pub(crate) fn count_within(
    path: &Path,
    line: usize,
    token: &str,
    what: &str,
    min: i64,
    max: usize,
) -> Result<usize, FormatError> {
    let v = int_at_least(path, line, token, what, min)?;
    if v > max as i64 {
        return Err(FormatError::line(
            path,
            line,
            format!(
                "{what} is {v}; tournee accepts at most {} (split the problem)",
                crate::model::limits::thousands(max as i128)
            ),
        ));
    }
    Ok(v as usize)
}

/// A time of the DIMACS convention: the user value times 10, to the nearest integer.
pub(crate) fn tenths(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

/// Squared distance as an exact integer when both points have integer coordinates.
fn exact_square(a: (f64, f64), b: (f64, f64)) -> Option<u128> {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    let ok = |v: f64| v.fract() == 0.0 && v.abs() < 4.0e9;
    (ok(dx) && ok(dy)).then(|| {
        let (dx, dy) = (dx.abs() as u128, dy.abs() as u128);
        dx * dx + dy * dy
    })
}

/// TSPLIB `EUC_2D`: the Euclidean distance rounded to the nearest integer, computed exactly
/// for integer coordinates (no tie can occur: `k + 0.5` is never a square root of an integer).
pub(crate) fn euclid_nint(a: (f64, f64), b: (f64, f64)) -> i64 {
    match exact_square(a, b) {
        Some(s) => {
            let k = s.isqrt();
            // sqrt(s) >= k + 1/2  <=>  s >= k^2 + k + 1/4  <=>  s > k^2 + k.
            (k + u128::from(s > k * k + k)) as i64
        }
        None => (a.0 - b.0).hypot(a.1 - b.1).round() as i64,
    }
}

/// DIMACS VRPTW: the Euclidean distance truncated to one decimal, times 10, i.e.
/// `floor(10 * d)`, exact for integer coordinates.
pub(crate) fn euclid_tenths(a: (f64, f64), b: (f64, f64)) -> i64 {
    match exact_square(a, b) {
        Some(s) => (100 * s).isqrt() as i64,
        None => (10.0 * (a.0 - b.0).hypot(a.1 - b.1)).floor() as i64,
    }
}

/// Duration and distance matrices on `points` that both use `metric`.
pub(crate) fn euclid_matrices(
    points: &[(f64, f64)],
    metric: fn((f64, f64), (f64, f64)) -> i64,
) -> (SquareMatrix<Time>, SquareMatrix<Dist>) {
    let n = points.len();
    let d = SquareMatrix::from_fn(n, |i, j| metric(points[i], points[j]));
    let values = d.values();
    let time = SquareMatrix::from_rows(n, values.iter().map(|&v| Time(v)).collect())
        .expect("n x n values");
    let dist = SquareMatrix::from_rows(n, values.iter().map(|&v| Dist(v)).collect())
        .expect("n x n values");
    (time, dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_conventions_are_exact() {
        // 3-4-5 triangle, and sqrt(2) = 1.414..., sqrt(8) = 2.828..., sqrt(6.25)...
        assert_eq!(euclid_nint((0.0, 0.0), (3.0, 4.0)), 5);
        assert_eq!(euclid_nint((0.0, 0.0), (1.0, 1.0)), 1);
        assert_eq!(euclid_nint((0.0, 0.0), (2.0, 2.0)), 3);
        assert_eq!(euclid_nint((0.0, 0.0), (1.5, 2.0)), 3); // 2.5 by floating point: rounds half away
        assert_eq!(euclid_tenths((0.0, 0.0), (1.0, 1.0)), 14);
        assert_eq!(euclid_tenths((0.0, 0.0), (3.0, 4.0)), 50);
        assert_eq!(euclid_tenths((40.0, 50.0), (45.0, 68.0)), 186); // sqrt(349) = 18.68...
        for s in 0..2000u128 {
            let exact = euclid_nint((0.0, 0.0), (s as f64, 0.0));
            assert_eq!(exact, s as i64);
        }
        for (x, y) in [(1.0, 2.0), (7.0, 11.0), (123.0, 456.0), (999.0, 1.0)] {
            let f = f64::hypot(x, y);
            assert_eq!(euclid_nint((0.0, 0.0), (x, y)), f.round() as i64);
            assert_eq!(euclid_tenths((0.0, 0.0), (x, y)), (10.0 * f).floor() as i64);
        }
    }

    #[test]
    fn numbers_name_the_line() {
        let p = Path::new("f.txt");
        assert_eq!(int(p, 3, "12.0", "demand").unwrap(), 12);
        let e = int(p, 3, "12.5", "demand").unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("12.5"), "{e}");
        let e = real(p, 4, "nan", "x").unwrap_err().to_string();
        assert!(e.contains("line 4"), "{e}");
        let e = int_at_least(p, 5, "-1", "demand", 0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 5") && e.contains("-1"), "{e}");
    }

    #[test]
    fn lines_skip_blanks_and_count_crlf() {
        let p = Path::new("f.txt");
        let mut l = Lines::new(p, "a\r\n\r\n  \r\nb c\r\n");
        assert_eq!(l.next_line(), Some((1, "a")));
        assert_eq!(l.peek(), Some((4, "b c")));
        assert_eq!(l.next_line(), Some((4, "b c")));
        let e = l.expect("a table").unwrap_err();
        assert_eq!(e.line_number(), Some(4));
    }
}
