//! Writing output files: every file tournee writes goes through [`write_file`], which writes a
//! temporary file beside the target and renames it into place, so that a reader (or a run
//! killed half-way) never sees a half-written file. Also the shared CSV and GeoJSON helpers, and
//! the ODbL attribution that accompanies everything derived from OpenStreetMap data.

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The attribution that must accompany anything derived from OpenStreetMap data.
pub const ODBL_ATTRIBUTION: &str =
    "© OpenStreetMap contributors, data available under the Open Database License (ODbL) — https://www.openstreetmap.org/copyright";

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {cause}{}", path.display(), if *.refused { "" } else { "; check that the folder exists and is writable" })]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// The cause.
    pub cause: std::io::Error,
    /// Refused by tournee itself (a folder it may not replace), not by the system.
    pub refused: bool,
}

impl WriteError {
    /// The system refused to write `path`.
    pub fn io(path: &Path, cause: std::io::Error) -> Self {
        WriteError {
            path: path.into(),
            cause,
            refused: false,
        }
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file of the same folder, then renamed
/// over `path` (a process killed half-way leaves the old file or none, never a cut one). On failure the temporary file is removed and the error names `path`.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |cause| WriteError::io(path, cause);
    let name = path
        .file_name()
        .ok_or_else(|| fail(std::io::Error::other("not a file name")))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// Checks, before any work, that the file `path` can be written: its folder exists (it is
/// created if missing) and accepts a new file. Nothing is left behind.
pub fn check_writable(path: &Path) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(WriteError {
            path: path.into(),
            cause: std::io::Error::other("it is a folder; give a file name"),
            refused: true,
        });
    }
    create_dir(&dir)?;
    let probe = dir.join(format!(".tournee-probe.{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|cause| WriteError::io(path, cause))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Creates `dir` and its parents, naming it in the error.
pub fn create_dir(dir: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(|cause| WriteError::io(dir, cause))
}

/// A CSV file in memory: the header, then one record per row.
pub fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    w.write_record(header).expect("in-memory CSV");
    for r in rows {
        w.write_record(r).expect("in-memory CSV");
    }
    w.into_inner().expect("in-memory CSV")
}

/// A GeoJSON `FeatureCollection` carrying the ODbL attribution.
pub fn feature_collection(features: Vec<Value>) -> Value {
    json!({
        "type": "FeatureCollection",
        "attribution": ODBL_ATTRIBUTION,
        "features": features,
    })
}

/// A GeoJSON `FeatureCollection` as pretty-printed bytes.
pub fn geojson_bytes(features: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec_pretty(&feature_collection(features)).expect("JSON values serialise")
}

/// A GeoJSON point feature.
pub fn point_feature(lon: f64, lat: f64, properties: Value) -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round7(lon), round7(lat)]},
        "properties": properties,
    })
}

/// Rounds degrees to 7 decimals (1 cm), the precision of OSM itself.
pub fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        write_file(&path, b"first").unwrap();
        write_file(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.csv"]);
        let e = write_file(&dir.path().join("missing/b.csv"), b"x").unwrap_err();
        assert!(e.to_string().contains("missing/b.csv"), "{e}");
    }
}
