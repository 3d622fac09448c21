//! An output folder written as a whole, and put in place so that a run killed at any moment
//! leaves a folder that is one complete run (the previous one, or this one) or that the next
//! run completes.
//!
//! The folder `<out>` of a run is written into `<out>.partial-<pid>` beside it, marked by an
//! `INCOMPLETE.txt` that says what it is and names the process. [`OutputDir::commit`] then:
//!
//! 1. marks it as an output of its command ([`OUTPUT_MARKER`]);
//! 2. puts it in the place of `<out>`: on Linux both folders are exchanged at once
//!    (`renameat2` with `RENAME_EXCHANGE`, the previous output then in `<out>.partial-<pid>`);
//!    elsewhere, or on a file system that cannot, the previous output is renamed
//!    `<out>.old-<pid>`, then the new one `<out>`;
//! 3. moves the outputs of other commands nested in the previous one (`week/` in a plan's
//!    folder) into the new one, one by one;
//! 4. removes `INCOMPLETE.txt`: only now does `<out>` look complete;
//! 5. removes the previous output.
//!
//! A folder is a complete output when it has the marker and no `INCOMPLETE.txt`. Before its
//! work, every run clears the leftovers of the runs of `<out>` that ended (on Linux, where an
//! ended process has no `/proc/<pid>`): a leftover that is a complete output is the previous
//! output set aside by a commit that was killed: put back as `<out>` if `<out>` is missing
//! (killed between the two renames of step 2), or emptied of its nested outputs into `<out>` if
//! `<out>` still holds `INCOMPLETE.txt` (killed during step 3), whose marker is then removed
//! (step 4). Any other leftover (an unfinished run, a previous output being removed) is removed.
//!
//! `<out>` is replaced only if it is empty or an output of the same command: a folder of the
//! user's is never deleted, nor the output of another command (`week --out D` over a plan's
//! `D`), nor a folder that is part of another output (a plan's `sites/`).

use super::files::{create_dir, write_file, WriteError};
use std::path::{Path, PathBuf};

/// The file that marks a folder as a complete output of tournee (its content: the command).
pub const OUTPUT_MARKER: &str = ".tournee-output";
/// The file that marks a folder as an unfinished output.
pub const INCOMPLETE: &str = "INCOMPLETE.txt";

/// The line of `INCOMPLETE.txt` that names the process writing the folder.
const PROCESS: &str = "process ";

/// An output folder written as a whole (see the module documentation).
#[derive(Debug)]
pub struct OutputDir {
    out: PathBuf,
    staging: PathBuf,
    command: String,
    pid: u32,
    /// Whether the folders may be exchanged at once (a test takes the way of other systems).
    exchange: bool,
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
    /// Completes or clears the unfinished commits and runs of `out` by processes that ended,
    /// checks that `out` may be written (before any work) and creates the staging folder.
    pub fn begin(out: &Path, command: &str) -> Result<OutputDir, WriteError> {
        Self::begin_as(out, command, std::process::id())
    }

    /// [`OutputDir::begin`] for the process `pid` (a test stands for a process that ended).
    fn begin_as(out: &Path, command: &str, pid: u32) -> Result<OutputDir, WriteError> {
        let fail = |message: String| WriteError {
            path: out.into(),
            cause: std::io::Error::other(message),
            refused: true,
        };
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
        recover(&parent, &name);
        if let Some((owner, other)) = inside_output(out) {
            return Err(fail(format!(
                "it is part of the output of `tournee {other}` in {}, which would replace it on its next run; choose a folder outside it",
                owner.display()
            )));
        }
        if out.exists() {
            if !out.is_dir() {
                return Err(fail("it is a file; give a folder name".into()));
            }
            match output_of(out) {
                Some(other) if other != command => {
                    return Err(fail(format!(
                        "it holds the output of `tournee {other}`, which this `tournee {command}` would replace; write it elsewhere, e.g. --out {} (inside that folder, where its next run keeps it), or remove that folder first",
                        out.join(command).display()
                    )))
                }
                Some(_) => {}
                None if is_empty_dir(out) => {}
                None => {
                    return Err(fail(format!(
                    "it holds files tournee did not write (no {OUTPUT_MARKER}); choose another folder, or empty it"
                )))
                }
            }
        }
        let staging = parent.join(format!("{name}.partial-{pid}"));
        if staging.exists() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        create_dir(&staging)?;
        write_file(
            &staging.join(INCOMPLETE),
            format!(
                "This folder is an unfinished run of `tournee {command}`: its files may be missing or out of date.\n\
                 When the run ends, its complete output is in {}.\n\
                 Ce dossier est une exécution inachevée de `tournee {command}` : à la fin, la sortie complète est dans {}.\n\
                 {PROCESS}{pid}\n",
                out.display(),
                out.display()
            )
            .as_bytes(),
        )?;
        Ok(OutputDir {
            out: out.into(),
            staging,
            command: command.into(),
            pid,
            exchange: true,
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

    /// Marks the output complete and puts it in place of `<out>`, keeping the outputs of other
    /// commands nested in the previous one (see the module documentation for the steps).
    pub fn commit(self) -> Result<(), WriteError> {
        self.commit_until(&mut || false)
    }

    /// [`OutputDir::commit`], stopping as a kill would (no clean-up) after the first step for
    /// which `killed` says `true`.
    fn commit_until(mut self, killed: &mut dyn FnMut() -> bool) -> Result<(), WriteError> {
        let rename = |from: &Path, to: &Path| {
            std::fs::rename(from, to).map_err(|cause| WriteError::io(to, cause))
        };
        // A nested output whose name this run writes too cannot be kept: refused before
        // anything moves (this run's files stay in the staging folder, marked incomplete).
        for nested in nested_outputs(&self.out) {
            let name = nested.file_name().unwrap_or_default();
            if self.staging.join(name).exists() {
                return Err(WriteError {
                    path: nested.clone(),
                    cause: std::io::Error::other(format!(
                        "it holds the output of `tournee {}`, where this {} writes its own {}/; move that folder elsewhere, then run again (this run's files are in {}, marked incomplete)",
                        output_of(&nested).unwrap_or_default(),
                        self.command,
                        name.to_string_lossy(),
                        self.staging.display()
                    )),
                    refused: true,
                });
            }
        }
        self.committed = true;
        write_file(
            &self.staging.join(OUTPUT_MARKER),
            format!("tournee {}\n", self.command).as_bytes(),
        )?;
        if killed() {
            return Ok(());
        }
        let previous = if self.out.exists() {
            let aside = if self.exchange && exchange(&self.staging, &self.out)? {
                self.staging.clone()
            } else {
                let name = self.out.file_name().unwrap_or_default().to_string_lossy();
                let aside = self.out.with_file_name(format!("{name}.old-{}", self.pid));
                rename(&self.out, &aside)?;
                if killed() {
                    return Ok(());
                }
                rename(&self.staging, &self.out)?;
                aside
            };
            Some(aside)
        } else {
            rename(&self.staging, &self.out)?;
            None
        };
        if killed() {
            return Ok(());
        }
        if let Some(previous) = &previous {
            for nested in nested_outputs(previous) {
                let into = self.out.join(nested.file_name().unwrap_or_default());
                if !into.exists() {
                    rename(&nested, &into)?;
                    if killed() {
                        return Ok(());
                    }
                }
            }
        }
        remove_file(&self.out.join(INCOMPLETE))?;
        if killed() {
            return Ok(());
        }
        if let Some(previous) = previous {
            let _ = std::fs::remove_dir_all(previous);
        }
        Ok(())
    }
}

/// Exchanges the folders `a` and `b` at once; `Ok(false)` when the system or the file system
/// cannot (nothing then changed).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<bool, WriteError> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP | Errno::PERM) => Ok(false),
        Err(e) => Err(WriteError::io(b, e.into())),
    }
}

/// Exchanges the folders `a` and `b` at once: not on this system.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> Result<bool, WriteError> {
    Ok(false)
}

fn remove_file(path: &Path) -> Result<(), WriteError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(WriteError::io(path, e)),
        _ => Ok(()),
    }
}

/// The command whose output `dir` is: its marker's, or for an output of an earlier version
/// (no marker), its `summary.txt`'s first words.
fn output_of(dir: &Path) -> Option<String> {
    if let Ok(text) = std::fs::read_to_string(dir.join(OUTPUT_MARKER)) {
        let line = text.lines().next().unwrap_or("").trim();
        return Some(line.strip_prefix("tournee ").unwrap_or(line).to_string());
    }
    let summary = std::fs::read_to_string(dir.join("summary.txt")).ok()?;
    [
        ("Daily plan for", "plan"),
        ("Scenarios for", "compare"),
        ("Conciergerie sites for", "sites"),
    ]
    .iter()
    .find(|(start, _)| summary.starts_with(start))
    .map(|(_, command)| command.to_string())
}

/// Whether `dir` is a complete output (its marker, and no `INCOMPLETE.txt`).
fn is_complete(dir: &Path) -> bool {
    dir.join(OUTPUT_MARKER).is_file() && !dir.join(INCOMPLETE).exists()
}

/// The outputs nested in the output `dir` (its folders with a marker), by name.
fn nested_outputs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir() && p.join(OUTPUT_MARKER).is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The output `dir` lies inside as one of its parts (a folder the output writes, which its next
/// run replaces), with its command: `out` deeper than the nearest output above it, or right in
/// it but existing, not empty and not an output of its own.
fn inside_output(dir: &Path) -> Option<(PathBuf, String)> {
    let owner = dir
        .ancestors()
        .skip(1)
        .find(|a| a.join(OUTPUT_MARKER).is_file())?;
    let command = output_of(owner)?;
    let direct = dir.parent() == Some(owner);
    let own = !dir.exists() || is_empty_dir(dir) || dir.join(OUTPUT_MARKER).is_file();
    (!direct || !own).then(|| (owner.to_path_buf(), command))
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_none())
}

/// Whether the process `pid` has ended (on Linux, where a running process has a
/// `/proc/<pid>`; elsewhere nothing is known, and leftovers are left).
fn ended(pid: u32) -> bool {
    cfg!(target_os = "linux")
        && pid != std::process::id()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// The process named by the `INCOMPLETE.txt` of `dir`, if it has one.
fn writer(dir: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(dir.join(INCOMPLETE)).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(PROCESS))
        .and_then(|p| p.trim().parse().ok())
}

/// Completes or clears what runs of `<parent>/<name>` that ended left (see the module
/// documentation): a complete output set aside is put back or emptied into the new one, a
/// swapped-in output is marked complete, the rest is removed.
fn recover(parent: &Path, name: &str) {
    let out = parent.join(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut leftovers: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let pid = file.strip_prefix(name).and_then(|rest| {
                rest.strip_prefix(".partial-")
                    .or_else(|| rest.strip_prefix(".old-"))
            });
            pid.and_then(|p| p.parse::<u32>().ok()).is_some_and(ended)
        })
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    let swapped_in = |out: &Path| {
        out.join(OUTPUT_MARKER).is_file()
            && out.join(INCOMPLETE).is_file()
            && writer(out).is_none_or(ended)
    };
    for aside in leftovers.iter().filter(|p| is_complete(p)) {
        if !out.exists() {
            let _ = std::fs::rename(aside, &out);
        } else if swapped_in(&out) {
            for nested in nested_outputs(aside) {
                let into = out.join(nested.file_name().unwrap_or_default());
                if !into.exists() {
                    let _ = std::fs::rename(&nested, into);
                }
            }
        }
    }
    if swapped_in(&out) {
        let _ = std::fs::remove_file(out.join(INCOMPLETE));
    }
    for p in leftovers.iter().filter(|p| p.exists()) {
        let _ = std::fs::remove_dir_all(p);
    }
}

#[cfg(test)]
mod tests;
