//! Household and candidate-place lists for conciergerie siting, as CSV files.
//!
//! * Households: `id,lon,lat[,foyers]`. `foyers` (or its synonym `weight`) is how many foyers
//!   live at that address; it counts against a site's capacity and weighs its distance. It is
//!   optional and defaults to 1.
//! * Candidate places: `id,lon,lat[,name][,min][,max]`, where `min` and `max` optionally bound the
//!   foyers that a site opened there may serve (`None` when the column or the cell is empty: the
//!   caller's global bounds apply).
//!
//! Decisions, so that a spreadsheet export reads as its author meant it:
//! * columns come in any order, are matched without regard to case, and unknown columns are
//!   ignored; `longitude`/`lng` and `latitude` are accepted; a UTF-8 byte-order mark is dropped;
//! * a header with more `;` than `,` makes `;` the delimiter (French spreadsheet exports), and
//!   then a decimal comma (`45,123`) is read as a decimal point;
//! * an empty cell in an optional column means the default (1 foyer, no bound); an empty cell in
//!   `id`, `lon` or `lat` is an error;
//! * foyers must be a whole number of at least 1: a household with no foyer is not a household,
//!   so 0 is refused rather than silently ignored (`2.0` is accepted as 2, `1.5` is not); when
//!   both `foyers` and `weight` are present, `foyers` is used;
//! * bounds are whole numbers, `min >= 0`, `max >= 1` and `min <= max`;
//! * an id may not contain [`PART_SEPARATOR`] (`#`): tournee names the parts of a building
//!   with more foyers than a conciergerie serves `<id>#1`, `<id>#2`... ([`part_id`]), and a
//!   household or a place of the file must never share its id with such a part;
//! * reading stops at the first problem, and every error names the file, the line (1 = header)
//!   and what to change.

use super::csv_table::{CsvError, CsvTable};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One household of a households file.
#[derive(Clone, Debug, PartialEq)]
pub struct HouseholdRow {
    /// Its identifier, as written in the file.
    pub id: String,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Foyers at this address (at least 1).
    pub foyers: i64,
    /// Line number in the file (1 = header).
    pub line: u64,
}

/// One candidate place of a candidates file.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateRow {
    /// Its identifier, as written in the file.
    pub id: String,
    /// A name people know it by (a town hall, a shop), if given.
    pub name: Option<String>,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// The fewest foyers a site here must serve, if this place has its own bound.
    pub min: Option<i64>,
    /// The most foyers a site here may serve, if this place has its own bound.
    pub max: Option<i64>,
    /// Line number in the file (1 = header).
    pub line: u64,
}

/// What is wrong with a households or candidates file.
#[derive(Debug, thiserror::Error)]
pub enum HouseholdsError {
    /// The file is missing or unreadable.
    #[error("cannot read {path}: {source}; check the path and that the file is readable")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file has no line at all, or a header but no data line.
    #[error("{path} has no {what}: write the header `{header}`, then one line per {what}")]
    Empty {
        /// The file.
        path: PathBuf,
        /// What each line describes (`household`, `candidate place`).
        what: &'static str,
        /// The expected header.
        header: &'static str,
    },
    /// A required column is absent from the header.
    #[error("{path}, line 1: no `{column}` column; the header must name the columns {header} (found: {found})")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
        /// The expected header.
        header: &'static str,
        /// The header as found.
        found: String,
    },
    /// A line is not valid CSV, or a required cell is empty.
    #[error("{path}, line {line}: {problem}")]
    BadLine {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// What is wrong and what to do.
        problem: String,
    },
    /// A cell that must be a number is not one.
    #[error("{path}, line {line}: {column} {value:?} is not a number; write it with digits and a decimal point, as in 45.1234")]
    NotANumber {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// The column.
        column: &'static str,
        /// The cell as written.
        value: String,
    },
    /// Coordinates that are no place on Earth.
    #[error("{path}, line {line}: lon {lon}, lat {lat} is not a place on Earth; longitude must be within -180..180 and latitude within -90..90 (are the columns swapped?)")]
    OutOfRange {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// Longitude as read.
        lon: f64,
        /// Latitude as read.
        lat: f64,
    },
    /// A foyers count that is not a whole number of at least 1.
    #[error("{path}, line {line}: foyers {value:?} is not allowed; foyers must be a whole number from 1 to 10,000 (the number of foyers at this address; remove the line if there is none)")]
    BadFoyers {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// The cell as written.
        value: String,
    },
    /// Site bounds that are not whole numbers or contradict each other.
    #[error("{path}, line {line}: {problem}")]
    BadBounds {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// What is wrong and what to do.
        problem: String,
    },
    /// Two lines share an id.
    #[error(
        "{path}, line {line}: the id {id:?} was already used on line {first}; ids must be unique"
    )]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// The second line with this id.
        line: u64,
        /// The id.
        id: String,
        /// The first line with this id.
        first: u64,
    },
}

const HOUSEHOLDS_HEADER: &str = "id,lon,lat,foyers";

/// The separator of the parts tournee makes of a building with more foyers than a conciergerie
/// serves (`x#1`, `x#2`): refused in the ids of the households and candidates files, so that a
/// part's id is never the id of a household or a place of the planner's.
pub const PART_SEPARATOR: char = '#';

/// The id of the `k`-th part (from 1) of the household `id` split because it has more foyers
/// than a conciergerie serves: `x#1`. Never the id of a row of a file, which cannot hold
/// [`PART_SEPARATOR`].
pub fn part_id(id: &str, k: i64) -> String {
    format!("{id}{PART_SEPARATOR}{k}")
}

/// Most foyers at one address (a large block of flats has a few hundred): more is a mistake in
/// the file, refused before it weighs on a siting.
pub const MAX_FOYERS: i64 = 10_000;
const CANDIDATES_HEADER: &str = "id,lon,lat,name,min,max";

/// Reads a households CSV (`id,lon,lat[,foyers]`; see the module documentation for the rules).
///
/// Returns the households in file order; every error names the file and line.
pub fn read_households(path: &Path) -> Result<Vec<HouseholdRow>, HouseholdsError> {
    let mut table = Table::open(path, "household", HOUSEHOLDS_HEADER)?;
    let foyers_col = table.column(&["foyers", "weight"]);
    let mut rows = Vec::new();
    while let Some(line) = table.next_line()? {
        let (id, lon, lat) = line.place()?;
        table.unique(&id, line.line)?;
        let foyers = match foyers_col.and_then(|c| line.cell(c)) {
            None => 1,
            Some(s) => line
                .whole(s)
                .filter(|&v| (1..=MAX_FOYERS).contains(&v))
                .ok_or_else(|| HouseholdsError::BadFoyers {
                    path: path.into(),
                    line: line.line,
                    value: s.into(),
                })?,
        };
        rows.push(HouseholdRow {
            id,
            lon,
            lat,
            foyers,
            line: line.line,
        });
    }
    table.finish(rows)
}

/// Reads a candidate places CSV (`id,lon,lat[,name][,min][,max]`; see the module documentation).
///
/// Returns the places in file order; every error names the file and line.
pub fn read_candidates(path: &Path) -> Result<Vec<CandidateRow>, HouseholdsError> {
    let mut table = Table::open(path, "candidate place", CANDIDATES_HEADER)?;
    let name_col = table.column(&["name"]);
    let min_col = table.column(&["min"]);
    let max_col = table.column(&["max"]);
    let mut rows = Vec::new();
    while let Some(line) = table.next_line()? {
        let (id, lon, lat) = line.place()?;
        table.unique(&id, line.line)?;
        let name = name_col.and_then(|c| line.cell(c)).map(str::to_string);
        let bound = |col: Option<usize>, column: &str, least: i64| {
            let Some(s) = col.and_then(|c| line.cell(c)) else {
                return Ok(None);
            };
            match line.whole(s).filter(|&v| (least..=MAX_FOYERS * 10).contains(&v)) {
                Some(v) => Ok(Some(v)),
                None => Err(HouseholdsError::BadBounds {
                    path: path.into(),
                    line: line.line,
                    problem: format!(
                        "{column} {s:?} must be a whole number of foyers from {least} to {}, or left empty to use the common bounds",
                        MAX_FOYERS * 10
                    ),
                }),
            }
        };
        let min = bound(min_col, "min", 0)?;
        let max = bound(max_col, "max", 1)?;
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return Err(HouseholdsError::BadBounds {
                    path: path.into(),
                    line: line.line,
                    problem: format!("min {lo} is above max {hi}; swap them or widen max"),
                });
            }
        }
        rows.push(CandidateRow {
            id,
            name,
            lon,
            lat,
            min,
            max,
            line: line.line,
        });
    }
    table.finish(rows)
}

/// A households or candidates file being read: the table, the located `id,lon,lat` columns
/// and the ids seen.
struct Table<'a> {
    path: &'a Path,
    what: &'static str,
    header: &'static str,
    csv: CsvTable,
    cols: [usize; 3],
    seen: HashMap<String, u64>,
}

/// One data line of a [`Table`].
struct Line<'a> {
    path: &'a Path,
    semicolon: bool,
    cols: [usize; 3],
    record: csv::StringRecord,
    line: u64,
}

impl<'a> Table<'a> {
    fn open(
        path: &'a Path,
        what: &'static str,
        header: &'static str,
    ) -> Result<Self, HouseholdsError> {
        let csv = CsvTable::open(path).map_err(|e| csv_error(path, e))?;
        if csv.headers().iter().all(str::is_empty) {
            return Err(HouseholdsError::Empty {
                path: path.into(),
                what,
                header,
            });
        }
        let required = |names: &[&str], column: &'static str| {
            csv.column(names)
                .ok_or_else(|| HouseholdsError::MissingColumn {
                    path: path.into(),
                    column,
                    header,
                    found: csv.headers().iter().collect::<Vec<_>>().join(","),
                })
        };
        let cols = [
            required(&["id"], "id")?,
            required(&["lon", "longitude", "lng"], "lon")?,
            required(&["lat", "latitude"], "lat")?,
        ];
        Ok(Table {
            path,
            what,
            header,
            csv,
            cols,
            seen: HashMap::new(),
        })
    }

    /// The first column named by one of `names`, ignoring case.
    fn column(&self, names: &[&str]) -> Option<usize> {
        self.csv.column(names)
    }

    /// The next line that is not blank.
    fn next_line(&mut self) -> Result<Option<Line<'a>>, HouseholdsError> {
        let path = self.path;
        Ok(self
            .csv
            .next_record()
            .map_err(|e| csv_error(path, e))?
            .map(|(record, line)| Line {
                path,
                semicolon: self.csv.semicolon(),
                cols: self.cols,
                record,
                line,
            }))
    }

    /// Records the id of `line`, refusing one already seen.
    fn unique(&mut self, id: &str, line: u64) -> Result<(), HouseholdsError> {
        if let Some(&first) = self.seen.get(id) {
            return Err(HouseholdsError::DuplicateId {
                path: self.path.into(),
                line,
                id: id.into(),
                first,
            });
        }
        self.seen.insert(id.into(), line);
        Ok(())
    }

    fn finish<T>(&self, rows: Vec<T>) -> Result<Vec<T>, HouseholdsError> {
        if rows.is_empty() {
            return Err(HouseholdsError::Empty {
                path: self.path.into(),
                what: self.what,
                header: self.header,
            });
        }
        Ok(rows)
    }
}

/// A [`CsvError`] of the file `path`.
fn csv_error(path: &Path, e: CsvError) -> HouseholdsError {
    match e {
        CsvError::Io(source) => HouseholdsError::Io {
            path: path.into(),
            source,
        },
        CsvError::Line { line, problem } => HouseholdsError::BadLine {
            path: path.into(),
            line,
            problem,
        },
    }
}

impl Line<'_> {
    /// The cell of column `col`, `None` when absent or empty.
    fn cell(&self, col: usize) -> Option<&str> {
        self.record.get(col).filter(|s| !s.is_empty())
    }

    fn number(&self, s: &str) -> Option<f64> {
        let s = if self.semicolon {
            s.replace(',', ".")
        } else {
            s.to_string()
        };
        s.parse::<f64>().ok().filter(|v| v.is_finite())
    }

    /// A whole number (`2` or `2.0`), `None` otherwise.
    fn whole(&self, s: &str) -> Option<i64> {
        s.parse::<i64>().ok().or_else(|| {
            self.number(s)
                .filter(|v| v.fract() == 0.0 && v.abs() < 1e15)
                .map(|v| v as i64)
        })
    }

    /// The id, lon and lat of this line, checked (present, numbers, on Earth).
    fn place(&self) -> Result<(String, f64, f64), HouseholdsError> {
        let path = self.path;
        let [id_col, lon_col, lat_col] = self.cols;
        let required = |col: usize, column: &'static str| {
            self.cell(col).ok_or_else(|| HouseholdsError::BadLine {
                path: path.into(),
                line: self.line,
                problem: format!("no {column} value; every line needs an id, a lon and a lat"),
            })
        };
        let coordinate = |col: usize, column: &'static str| {
            let s = required(col, column)?;
            self.number(s).ok_or_else(|| HouseholdsError::NotANumber {
                path: path.into(),
                line: self.line,
                column,
                value: s.into(),
            })
        };
        let id = required(id_col, "id")?.to_string();
        if id.contains(PART_SEPARATOR) {
            return Err(HouseholdsError::BadLine {
                path: path.into(),
                line: self.line,
                problem: format!(
                    "the id {id:?} holds `{PART_SEPARATOR}`, which tournee keeps for the parts of a building with more foyers than a conciergerie serves ({}, {}...); write the id without `{PART_SEPARATOR}`, e.g. {:?}",
                    part_id("x", 1),
                    part_id("x", 2),
                    id.replace(PART_SEPARATOR, "-")
                ),
            });
        }
        let lon = coordinate(lon_col, "lon")?;
        let lat = coordinate(lat_col, "lat")?;
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(HouseholdsError::OutOfRange {
                path: path.into(),
                line: self.line,
                lon,
                lat,
            });
        }
        Ok((id, lon, lat))
    }
}

impl From<&HouseholdRow> for crate::sites::summary::Place {
    fn from(h: &HouseholdRow) -> Self {
        crate::sites::summary::Place {
            id: h.id.clone(),
            name: None,
            lon: h.lon,
            lat: h.lat,
        }
    }
}

impl From<&CandidateRow> for crate::sites::summary::Place {
    fn from(c: &CandidateRow) -> Self {
        crate::sites::summary::Place {
            id: c.id.clone(),
            name: c.name.clone(),
            lon: c.lon,
            lat: c.lat,
        }
    }
}

#[cfg(test)]
mod tests;
