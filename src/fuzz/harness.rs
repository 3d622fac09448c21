//! Running a target on one input under watch (its own thread, panics caught and silenced, a
//! time limit), and a campaign of mutated inputs for a while.

use super::mutate::mutate;
use super::{run, Target};
use crate::model::guard::quietly;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What an input did to a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted, or refused with a clean message.
    Clean,
    /// A wrong answer (see [`super::Bug`]).
    Bug(String),
    /// A panic, with its message.
    Panic(String),
    /// Still running after the time limit.
    Hang,
}

impl Verdict {
    /// `true` unless clean.
    pub fn failed(&self) -> bool {
        *self != Verdict::Clean
    }

    /// A short name for file names and tables.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Bug(_) => "bug",
            Verdict::Panic(_) => "panic",
            Verdict::Hang => "hang",
        }
    }

    /// What went wrong, in one line.
    pub fn message(&self) -> String {
        match self {
            Verdict::Clean => String::new(),
            Verdict::Bug(m) | Verdict::Panic(m) => m.lines().next().unwrap_or("").to_string(),
            Verdict::Hang => "no answer within the time limit".into(),
        }
    }
}

/// Runs `target` on `bytes` in a thread of its own (a large stack, for deep inputs), waiting
/// at most `limit`. A hung thread is left behind: the caller should stop soon after a hang.
pub fn judge(target: &'static Target, bytes: Vec<u8>, limit: Duration) -> Verdict {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let v = match quietly(|| run(target, &bytes)) {
                Ok(Ok(())) => Verdict::Clean,
                Ok(Err(bug)) => Verdict::Bug(bug.0),
                Err(panic) => Verdict::Panic(panic),
            };
            let _ = tx.send(v);
        });
    if let Err(e) = spawned {
        return Verdict::Bug(format!("cannot start a thread: {e}"));
    }
    rx.recv_timeout(limit).unwrap_or(Verdict::Hang)
}

/// The seed inputs of `target`: the files of `seeds/<name>/` and `regressions/<name>/` under
/// `dir`, sorted by name. A seed `NAME.path` holds the path of a file of the crate (relative
/// to the crate's folder), read instead: the real extracts are not copied.
pub fn seeds(dir: &Path, target: &Target) -> Vec<(PathBuf, Vec<u8>)> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for sub in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub).join(target.name)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let real = match std::fs::read_to_string(&p) {
                Ok(link) if p.extension().is_some_and(|x| x == "path") => {
                    crate_dir.join(link.trim())
                }
                _ => p.clone(),
            };
            if let Ok(b) = std::fs::read(&real) {
                files.push((p, b));
            }
        }
    }
    files.sort();
    files
}

/// A campaign's settings.
#[derive(Clone, Debug)]
pub struct Campaign {
    /// Seconds of mutated inputs for the target.
    pub seconds: f64,
    /// At most this many inputs (with `seconds`, whichever comes first).
    pub executions: u64,
    /// Random seed of the mutations.
    pub seed: u64,
    /// Time limit of one input.
    pub limit: Duration,
    /// Where failing inputs are written (`<found>/<target>/<kind>-<n>`), if anywhere.
    pub found: Option<PathBuf>,
}

/// What a campaign did on one target.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Inputs run.
    pub executions: u64,
    /// Seconds spent.
    pub seconds: f64,
    /// Distinct failures: the verdict and the file the input was written to.
    pub failures: Vec<(Verdict, Option<PathBuf>)>,
}

/// Runs mutations of `seeds` through `target` until the campaign's budget is spent or a run
/// hangs. Failures with the same first line are kept once.
pub fn campaign(target: &'static Target, seeds: &[Vec<u8>], c: &Campaign) -> Report {
    let start = Instant::now();
    let mut rng = Pcg64Mcg::seed_from_u64(c.seed);
    let mut report = Report::default();
    let mut seen = BTreeSet::new();
    let empty = [Vec::new()];
    let pool = if seeds.is_empty() { &empty[..] } else { seeds };
    while report.executions < c.executions && start.elapsed().as_secs_f64() < c.seconds {
        let input = mutate(&pool[rng.random_range(0..pool.len())], &mut rng);
        let current = c
            .found
            .as_ref()
            .map(|f| f.join(target.name).join(".current"));
        if let Some(cur) = &current {
            // If the process dies (an allocation it cannot make), this is the input.
            let _ = std::fs::create_dir_all(cur.parent().expect("a folder"));
            let _ = std::fs::write(cur, &input);
        }
        let verdict = judge(target, input.clone(), c.limit);
        report.executions += 1;
        if verdict.failed() && seen.insert(shape(&verdict)) {
            let file = c.found.as_ref().map(|f| {
                let p = f
                    .join(target.name)
                    .join(format!("{}-{}", verdict.kind(), seen.len()));
                let _ = std::fs::write(&p, &input);
                p
            });
            let hang = verdict == Verdict::Hang;
            report.failures.push((verdict, file));
            if hang {
                break;
            }
        }
    }
    if let Some(cur) = c
        .found
        .as_ref()
        .map(|f| f.join(target.name).join(".current"))
    {
        let _ = std::fs::remove_file(cur);
    }
    report.seconds = start.elapsed().as_secs_f64();
    report
}

/// A failure's message with its numbers blanked, so that one bug counts once.
fn shape(v: &Verdict) -> String {
    let m = v.message();
    let s: String = m
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    format!("{}: {s}", v.kind())
}
