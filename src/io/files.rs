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

/// The file that marks a folder as a complete output of tournee (its content: the command).
pub const OUTPUT_MARKER: &str = ".tournee-output";
/// The file that marks a folder as an unfinished output.
pub const INCOMPLETE: &str = "INCOMPLETE.txt";

/// An output folder written as a whole. Its files go into a staging folder beside it,
/// `<out>.partial-<pid>`, marked by an `INCOMPLETE.txt` that says what it is; [`OutputDir::commit`]
/// then puts it in the place of `<out>` at once, so that `<out>` always holds a complete run
/// (the previous one, or this one) and never a mix: files of an earlier run that this one does
/// not write (`van-3` of a day that now needs two vans) are gone with it. A run that stops half-way
/// (killed, or an error) leaves the staging folder, marked incomplete; the next run removes it.
///
/// `<out>` is replaced only if it is empty or an output of tournee ([`OUTPUT_MARKER`], or a
/// `summary.txt` written by an earlier version): a folder of the user's is never deleted.
/// Outputs of other commands nested in it (`compare/` in a plan's folder) are kept.
#[derive(Debug)]
pub struct OutputDir {
    out: PathBuf,
    staging: PathBuf,
    command: String,
    committed: bool,
}

impl Drop for OutputDir {
    /// A run that ends without committing (an error) removes its staging folder if nothing but
    /// the marker was written yet, and leaves it, marked incomplete, otherwise.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let only_marker = std::fs::read_dir(&self.staging).is_ok_and(|entries| {
            entries.flatten().all(|e| {
                e.file_name() == INCOMPLETE || e.file_name().to_string_lossy().ends_with(".tmp")
            })
        });
        if only_marker {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

impl OutputDir {
    /// Checks that `out` may be written (before any work), clears the unfinished runs of earlier
    /// processes and creates the staging folder.
    pub fn begin(out: &Path, command: &str) -> Result<OutputDir, WriteError> {
        let fail = |message: String| WriteError {
            path: out.into(),
            cause: std::io::Error::other(message),
            refused: true,
        };
        if out.exists() {
            if !out.is_dir() {
                return Err(fail("it is a file; give a folder name".into()));
            }
            if !is_output(out) && !is_empty_dir(out) {
                return Err(fail(format!(
                    "it holds files tournee did not write (no {OUTPUT_MARKER}); choose another folder, or empty it"
                )));
            }
        }
        let name = out
            .file_name()
            .ok_or_else(|| fail("not a folder name".into()))?
            .to_string_lossy()
            .into_owned();
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        create_dir(&parent)?;
        remove_stale(&parent, &name);
        let staging = parent.join(format!("{name}.partial-{}", std::process::id()));
        if staging.exists() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        create_dir(&staging)?;
        write_file(
            &staging.join(INCOMPLETE),
            format!(
                "This folder is an unfinished run of `tournee {command}`: its files may be missing or out of date.\n\
                 When the run ends, its complete output is in {}.\n\
                 Ce dossier est une exécution inachevée de `tournee {command}` : à la fin, la sortie complète est dans {}.\n",
                out.display(),
                out.display()
            )
            .as_bytes(),
        )?;
        Ok(OutputDir {
            out: out.into(),
            staging,
            command: command.into(),
            committed: false,
        })
    }

    /// Where the files are written until [`OutputDir::commit`].
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// The folder the output ends in.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Marks the output complete and puts it in place of `<out>`.
    pub fn commit(mut self) -> Result<(), WriteError> {
        self.committed = true;
        write_file(
            &self.staging.join(OUTPUT_MARKER),
            format!("tournee {}\n", self.command).as_bytes(),
        )?;
        remove(&self.staging.join(INCOMPLETE))?;
        let rename = |from: &Path, to: &Path| {
            std::fs::rename(from, to).map_err(|cause| WriteError::io(to, cause))
        };
        if self.out.exists() {
            // Outputs of other commands inside the old folder are kept.
            if let Ok(entries) = std::fs::read_dir(&self.out) {
                for e in entries.flatten() {
                    let p = e.path();
                    let into = self.staging.join(e.file_name());
                    if p.is_dir() && p.join(OUTPUT_MARKER).exists() && !into.exists() {
                        rename(&p, &into)?;
                    }
                }
            }
            let name = self.out.file_name().unwrap_or_default().to_string_lossy();
            let old = self
                .staging
                .with_file_name(format!("{name}.old-{}", std::process::id()));
            rename(&self.out, &old)?;
            rename(&self.staging, &self.out)?;
            let _ = std::fs::remove_dir_all(&old);
        } else {
            rename(&self.staging, &self.out)?;
        }
        Ok(())
    }
}

fn remove(path: &Path) -> Result<(), WriteError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(WriteError::io(path, e)),
        _ => Ok(()),
    }
}

/// Whether `dir` is a complete output of tournee.
fn is_output(dir: &Path) -> bool {
    dir.join(OUTPUT_MARKER).exists()
        || std::fs::read_to_string(dir.join("summary.txt")).is_ok_and(|s| {
            ["Daily plan for", "Scenarios for", "Conciergerie sites for"]
                .iter()
                .any(|start| s.starts_with(start))
        })
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_none())
}

/// Removes `<name>.partial-<pid>` and `<name>.old-<pid>` folders of `parent` whose process has
/// ended (on Linux, where a running process has a `/proc/<pid>`; elsewhere they are left).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(name) else {
            continue;
        };
        let pid = rest
            .strip_prefix(".partial-")
            .or_else(|| rest.strip_prefix(".old-"))
            .and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        let ended = cfg!(target_os = "linux")
            && pid != std::process::id()
            && !Path::new("/proc").join(pid.to_string()).exists();
        if ended {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
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
