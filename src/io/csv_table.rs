//! A CSV file read the way a spreadsheet user writes it, for every CSV tournee reads by column
//! name (households, candidate places, the day's demand):
//! * a UTF-8 byte-order mark is dropped;
//! * a header with more `;` than `,` makes `;` the delimiter (French spreadsheet exports), and
//!   the caller may then read a decimal comma as a decimal point ([`CsvTable::semicolon`]);
//! * cells are trimmed, rows may have fewer or more cells than the header;
//! * columns are found by name without regard to case;
//! * blank lines are skipped, and every record is numbered by the line an editor shows
//!   (1 = header; the csv crate does not count blank lines).

use std::path::Path;

/// What went wrong, without the path (the caller's error type names the file).
#[derive(Debug)]
pub enum CsvError {
    /// The file is missing or unreadable.
    Io(std::io::Error),
    /// A line is not valid CSV.
    Line {
        /// The line (1 = header).
        line: u64,
        /// What is wrong and what to do.
        problem: String,
    },
}

/// A CSV input file read line by line (the demand file, the producers file) that cannot be
/// used: the message names the file and the line.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not readable.
    #[error("cannot read the {kind} {path}: {source}; check the path")]
    Read {
        /// What the file is ("demand file").
        kind: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line that cannot be used.
    #[error("{path}, line {line}: {problem}")]
    Line {
        /// The file.
        path: std::path::PathBuf,
        /// The line (1 = header).
        line: u64,
        /// What is wrong and what to change.
        problem: String,
    },
}

impl FileError {
    /// Line `line` of `path` cannot be used: `problem`.
    pub fn line(path: &Path, line: u64, problem: String) -> FileError {
        FileError::Line {
            path: path.into(),
            line,
            problem,
        }
    }

    /// What [`CsvTable`] found wrong in `path`, a `kind` ("demand file").
    pub fn from_csv(kind: &'static str, path: &Path, e: CsvError) -> FileError {
        match e {
            CsvError::Io(source) => FileError::Read {
                kind,
                path: path.into(),
                source,
            },
            CsvError::Line { line, problem } => FileError::line(path, line, problem),
        }
    }
}

/// An open CSV file, its header read.
pub struct CsvTable {
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    headers: csv::StringRecord,
    semicolon: bool,
    /// Byte offsets of the line breaks.
    breaks: Vec<u64>,
}

impl CsvTable {
    /// Reads `path` and its header.
    pub fn open(path: &Path) -> Result<CsvTable, CsvError> {
        let mut bytes = std::fs::read(path).map_err(CsvError::Io)?;
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let count = |c: u8| first.iter().filter(|&&b| b == c).count();
        let semicolon = count(b';') > count(b',');
        let breaks = (0..bytes.len())
            .filter(|&k| bytes[k] == b'\n')
            .map(|k| k as u64)
            .collect();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(if semicolon { b';' } else { b',' })
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(std::io::Cursor::new(bytes));
        let headers = reader
            .headers()
            .map_err(|e| CsvError::Line {
                line: 1,
                problem: format!("{e}; save the file as UTF-8 CSV"),
            })?
            .clone();
        Ok(CsvTable {
            reader,
            headers,
            semicolon,
            breaks,
        })
    }

    /// The header's cells.
    pub fn headers(&self) -> &csv::StringRecord {
        &self.headers
    }

    /// Whether `;` separates the cells (a decimal comma is then likely).
    pub fn semicolon(&self) -> bool {
        self.semicolon
    }

    /// The first column named by one of `names`, ignoring case.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    }

    /// The next record that is not blank, with its line number.
    pub fn next_record(&mut self) -> Result<Option<(csv::StringRecord, u64)>, CsvError> {
        let mut record = csv::StringRecord::new();
        loop {
            let more = self
                .reader
                .read_record(&mut record)
                .map_err(|e| CsvError::Line {
                    line: e.position().map_or(0, |p| self.line_at(p)),
                    problem: format!("{e}; check the quotes and save the file as UTF-8 CSV"),
                })?;
            if !more {
                return Ok(None);
            }
            if record.iter().any(|s| !s.is_empty()) {
                let line = record.position().map_or(0, |p| self.line_at(p));
                return Ok(Some((record, line)));
            }
        }
    }

    /// The line (from 1) where a record starts.
    fn line_at(&self, p: &csv::Position) -> u64 {
        // A record read after blank lines starts, for the csv crate, at the first blank line.
        let bytes = self.reader.get_ref().get_ref();
        let start = bytes
            .iter()
            .skip(p.byte() as usize)
            .position(|&b| b != b'\n' && b != b'\r')
            .map_or(bytes.len() as u64, |k| p.byte() + k as u64);
        self.breaks.partition_point(|&b| b < start) as u64 + 1
    }
}
