//! The error every benchmark and exchange-format reader returns.
//!
//! A reader never panics on its input: whatever is wrong with a file (a missing section, a
//! word where a number belongs, a negative demand, an empty file) becomes a [`FormatError`]
//! naming the file, the line (or for a JSON cross-reference, the object) and what to do.

use std::path::{Path, PathBuf};

/// What is wrong with an input file.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file is missing or unreadable.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A line of the file is wrong, or something is missing by the time the reader reaches it.
    #[error("{}, line {line}{}: {message}", path.display(), column.map(|c| format!(", column {c}")).unwrap_or_default())]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column, when the reader knows it (JSON).
        column: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// A JSON object is well formed but refers to something wrong (a location outside the
    /// matrix, a duplicate id...). `place` names the object, e.g. `jobs[3] (id 17)`.
    #[error("{}, {place}: {message}", path.display())]
    Object {
        /// The file.
        path: PathBuf,
        /// Which object, as a JSON path with its id.
        place: String,
        /// What is wrong and what to do.
        message: String,
    },
}

impl FormatError {
    /// An error on `line` of `path`.
    pub fn line(path: &Path, line: usize, message: impl Into<String>) -> Self {
        FormatError::Line {
            path: path.into(),
            line,
            column: None,
            message: message.into(),
        }
    }

    /// An error about a JSON object.
    pub fn object(path: &Path, place: impl Into<String>, message: impl Into<String>) -> Self {
        FormatError::Object {
            path: path.into(),
            place: place.into(),
            message: message.into(),
        }
    }

    /// A JSON syntax or type error, with serde's line and column.
    pub fn json(path: &Path, e: &serde_json::Error) -> Self {
        let text = e.to_string();
        // serde_json appends " at line L column C", which the variant already says.
        let message = match text.rfind(" at line ") {
            Some(k) if e.line() > 0 => text[..k].to_string(),
            _ => text,
        };
        let message = unknown_key(&message).unwrap_or(message);
        FormatError::Line {
            path: path.into(),
            line: e.line().max(1),
            column: (e.column() > 0).then_some(e.column()),
            message,
        }
    }

    /// The line number, when the error has one.
    pub fn line_number(&self) -> Option<usize> {
        match self {
            FormatError::Line { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a` or `b`", "there are
/// no fields") said as tournee says it: the key, the closest known one, the known ones.
fn unknown_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let known: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let hint = match super::words::closest(key, &known) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    };
    let shown: String = key.chars().take(60).collect();
    Some(format!(
        "unknown key `{shown}`{hint} (known here: {})",
        known.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_gets_the_closest_known_one() {
        let m = unknown_key(
            "unknown field `time_window`, expected one of `id`, `service`, `time_windows`",
        )
        .unwrap();
        assert_eq!(
            m,
            "unknown key `time_window`; did you mean `time_windows`? (known here: id, service, time_windows)"
        );
        assert!(unknown_key("missing field `id`").is_none());
    }

    #[test]
    fn messages_name_file_line_and_column() {
        let p = Path::new("a.vrp");
        assert_eq!(
            FormatError::line(p, 7, "no CAPACITY").to_string(),
            "a.vrp, line 7: no CAPACITY"
        );
        let e = serde_json::from_str::<serde_json::Value>("{\n  \"a\": ]").unwrap_err();
        let e = FormatError::json(Path::new("p.json"), &e);
        assert_eq!(e.line_number(), Some(2));
        let s = e.to_string();
        assert!(
            s.starts_with("p.json, line 2, column ") && !s.contains(" at line "),
            "{s}"
        );
        let s = FormatError::object(
            p,
            "jobs[3] (id 17)",
            "location_index 9 is outside the 4 x 4 matrix",
        )
        .to_string();
        assert_eq!(
            s,
            "a.vrp, jobs[3] (id 17): location_index 9 is outside the 4 x 4 matrix"
        );
    }
}
