//! A CSV file read the way a spreadsheet user writes it, for every CSV tournee reads by column
//! name (households, candidate places, the day's demand):
//! * a UTF-8 byte-order mark is dropped;
//! * a header with more `;` than `,` makes `;` the delimiter (French spreadsheet exports), and
//!   the caller may then read a decimal comma as a decimal point ([`CsvTable::semicolon`]);
//! * cells are trimmed, rows may have fewer or more cells than the header;
//! * columns are found by name without regard to case;
//! * blank lines are skipped, and every record is numbered by the line an editor shows
//!   (1 = header; the csv crate does not count blank lines);
//! * what the csv crate would read silently is refused with its line: a column named twice in
//!   the header (which of the two is meant?), the header repeated as a data line (two files
//!   joined), and a quote that opens a cell and is never closed (the rest of the file would be
//!   read as that one cell).

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
        CsvTable::from_bytes(std::fs::read(path).map_err(CsvError::Io)?)
    }

    /// Reads the file `bytes` and its header.
    pub fn from_bytes(mut bytes: Vec<u8>) -> Result<CsvTable, CsvError> {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let count = |c: u8| first.iter().filter(|&&b| b == c).count();
        let semicolon = count(b';') > count(b',');
        let delimiter = if semicolon { b';' } else { b',' };
        let breaks: Vec<u64> = (0..bytes.len())
            .filter(|&k| bytes[k] == b'\n')
            .map(|k| k as u64)
            .collect();
        if let Some(at) = unclosed_quote(&bytes, delimiter) {
            return Err(CsvError::Line {
                line: breaks.partition_point(|&b| b < at as u64) as u64 + 1,
                problem: "a quote (\") opens a cell here and is never closed, so the rest of the file would be read as this one cell; close the quote, or remove it".into(),
            });
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
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
        let names: Vec<String> = headers.iter().map(str::to_lowercase).collect();
        for (k, name) in names.iter().enumerate() {
            if let Some(first) = names[..k].iter().position(|n| !n.is_empty() && n == name) {
                return Err(CsvError::Line {
                    line: 1,
                    problem: format!(
                        "the column `{}` is named twice in the header (columns {} and {}), so which one is meant is unclear; keep one of them, or rename the other",
                        &headers[k],
                        first + 1,
                        k + 1
                    ),
                });
            }
        }
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
                let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
                if record.len() == self.headers.len()
                    && record.iter().zip(&self.headers).all(|(a, b)| same(a, b))
                {
                    return Err(CsvError::Line {
                        line,
                        problem: "this line repeats the header (two files joined?); remove it"
                            .into(),
                    });
                }
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

/// The byte offset of a quote that opens a cell and is never closed, read as the csv crate
/// reads (a quote opens a quoted cell only as the cell's first byte; `""` inside is a quote;
/// after the closing quote the cell goes on unquoted up to the delimiter), if there is one.
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum State {
        Start,
        Unquoted,
        Quoted(usize),
        QuoteInQuoted(usize),
    }
    let mut state = State::Start;
    for (k, &b) in bytes.iter().enumerate() {
        let end_of_cell = b == delimiter || b == b'\n' || b == b'\r';
        state = match state {
            State::Start if b == b'"' => State::Quoted(k),
            State::Start | State::Unquoted if end_of_cell => State::Start,
            State::Start | State::Unquoted => State::Unquoted,
            State::Quoted(at) if b == b'"' => State::QuoteInQuoted(at),
            State::Quoted(at) => State::Quoted(at),
            State::QuoteInQuoted(at) if b == b'"' => State::Quoted(at),
            State::QuoteInQuoted(_) if end_of_cell => State::Start,
            State::QuoteInQuoted(_) => State::Unquoted,
        };
    }
    match state {
        State::Quoted(at) => Some(at),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells and line of each record, or the line and problem.
    type Read = Result<Vec<(Vec<String>, u64)>, (u64, String)>;

    fn read(text: &str) -> Read {
        let mut t = CsvTable::from_bytes(text.as_bytes().to_vec()).map_err(line)?;
        let mut rows = Vec::new();
        while let Some((r, l)) = t.next_record().map_err(line)? {
            rows.push((r.iter().map(str::to_string).collect(), l));
        }
        Ok(rows)
    }

    fn line(e: CsvError) -> (u64, String) {
        match e {
            CsvError::Line { line, problem } => (line, problem),
            CsvError::Io(e) => (0, e.to_string()),
        }
    }

    #[test]
    fn quotes_read_as_the_csv_crate_reads_them() {
        let rows = read("id,name\na,\"x, \"\"y\"\"\"\n\nb,\"two\nlines\"\nc,d\"e\n").unwrap();
        assert_eq!(rows[0], (vec!["a".into(), "x, \"y\"".into()], 2));
        assert_eq!(rows[1], (vec!["b".into(), "two\nlines".into()], 4));
        assert_eq!(rows[2], (vec!["c".into(), "d\"e".into()], 6));
    }

    #[test]
    fn issue32_an_unclosed_quote_is_refused_at_its_line() {
        let (l, m) = read("id,name\na,b\n\nc,\"d\ne,f\ng,h\n").unwrap_err();
        assert_eq!(l, 4, "{m}");
        assert!(m.contains("never closed"), "{m}");
        let (l, _) = read("id;name\na;\"b\"\"\n").unwrap_err();
        assert_eq!(l, 2);
        assert!(read("id,name\na,\"b\"\"\"\n").is_ok());
    }

    #[test]
    fn issue32_a_column_named_twice_or_a_repeated_header_is_refused() {
        let (l, m) = read("id,lon,lat,Foyers,foyers\na,1,2,3,4\n").unwrap_err();
        assert_eq!(l, 1);
        assert!(
            m.contains("`foyers` is named twice") && m.contains("columns 4 and 5"),
            "{m}"
        );
        // Empty names (a spreadsheet's trailing columns) are not columns.
        assert!(read("id,lon,,\na,1,,\n").is_ok());
        let (l, m) = read("id,lon\na,1\n\nID,lon\nb,2\n").unwrap_err();
        assert_eq!(l, 4);
        assert!(m.contains("repeats the header"), "{m}");
    }
}
