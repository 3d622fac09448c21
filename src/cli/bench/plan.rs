//! `tournee bench plan EXTRACT...`: the whole plan on territories of growing size (for example
//! tiles of one extract made by `../shared/tools/tile-extract`), each stage timed with its share
//! of the time and its peak memory, then how each stage scales from one territory to the next,
//! so that the next bottleneck is visible.
//!
//! A stage is a step the library reports on the calling thread (steps run inside parallel
//! work are parts of their stage). Peak memory is the process's resident peak since the stage
//! began: Linux lets a process reset it (`/proc/self/clear_refs`); where it cannot, the column
//! is the process's peak so far and the table says so.

use super::super::progress::{peak_memory_bytes, Spinner};
use super::super::Outcome;
use crate::plan::settings::{Flag, Settings};
use crate::plan::{self, DemandInput, Progress, Territory};
use crate::report;
use anyhow::{Context, Result};
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// Arguments of `tournee bench plan`.
#[derive(Args, Debug)]
pub struct BenchPlanArgs {
    /// The extracts (.osm.pbf), smallest first.
    #[arg(required = true, value_name = "EXTRACT")]
    pub extracts: Vec<PathBuf>,
    /// Settings (TOML), the same for every territory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Random seed (overrides the configuration's).
    #[arg(long, value_name = "N", value_parser = crate::cli::seed)]
    pub seed: Option<u64>,
    /// The day planned, YYYY-MM-DD, the same for every territory.
    #[arg(long, default_value = "2026-11-25")]
    pub date: String,
    /// Where each plan's files go (`<DIR>/<extract name>`); default `tournee-out/bench-plan`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write the stages as CSV here.
    #[arg(long, value_name = "CSV")]
    pub csv: Option<PathBuf>,
}

/// One stage measured.
#[derive(Clone, Debug)]
struct Stage {
    /// 0 for a stage, 1 and more for its parts.
    depth: usize,
    label: String,
    seconds: f64,
    /// Peak resident bytes since the stage (at depth 0) began.
    peak: Option<u64>,
}

/// One territory measured.
struct Run {
    name: String,
    households: usize,
    stages: Vec<Stage>,
    total: f64,
}

impl Run {
    /// The process's peak over the plan: the highest of its stages' peaks (each stage resets
    /// the process's peak when it begins, so none holds the whole plan's).
    fn peak(&self) -> Option<u64> {
        self.stages.iter().filter_map(|st| st.peak).max()
    }
}

/// Records the steps begun on the calling thread (in the order they begin, each with its
/// depth), and shows them as `tournee plan` does.
struct Recorder {
    main: ThreadId,
    shown: Spinner,
    /// The steps open (indices into the second), the steps recorded.
    state: Mutex<(Vec<usize>, Vec<Stage>)>,
    reset_works: bool,
}

impl Recorder {
    fn new() -> Self {
        Recorder {
            main: std::thread::current().id(),
            shown: Spinner::default(),
            state: Mutex::new((Vec::new(), Vec::new())),
            reset_works: reset_peak(),
        }
    }

    fn on_main(&self) -> bool {
        std::thread::current().id() == self.main
    }

    fn take(&self) -> Vec<Stage> {
        std::mem::take(&mut self.state.lock().expect("recorder lock").1)
    }
}

impl Progress for Recorder {
    fn begin(&self, label: &str) {
        self.shown.begin(label);
        if self.on_main() {
            let mut st = self.state.lock().expect("recorder lock");
            if st.0.is_empty() {
                reset_peak();
            }
            let depth = st.0.len();
            st.1.push(Stage {
                depth,
                label: label.to_string(),
                seconds: 0.0,
                peak: None,
            });
            let k = st.1.len() - 1;
            st.0.push(k);
        }
    }

    fn end(&self, label: &str, elapsed: Duration) {
        self.shown.end(label, elapsed);
        if self.on_main() {
            let mut st = self.state.lock().expect("recorder lock");
            if let Some(k) = st.0.pop() {
                st.1[k].seconds = elapsed.as_secs_f64();
                st.1[k].peak = peak_memory_bytes();
            }
        }
    }

    fn info(&self, line: &str) {
        self.shown.info(line);
    }
}

/// Resets the process's resident peak (Linux); false where the system does not allow it.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A stage's name with its counts replaced by `N`, so that "grouping households in 12 zones"
/// and "... in 226 zones" are one stage from one territory to the next.
fn key(label: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in label.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('N');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// Runs `tournee bench plan`.
pub fn run(args: BenchPlanArgs) -> Result<Outcome> {
    let mut flags = vec![Flag::new("--date", "date", args.date.as_str())];
    if let Some(s) = args.seed {
        flags.push(match i64::try_from(s) {
            Ok(i) => Flag::new("--seed", "seed", i),
            Err(_) => Flag::new("--seed", "seed", s.to_string()),
        });
    }
    let settings = Settings::load(args.config.as_deref(), &flags)?;
    // Every extract is looked for before the first long run, not after it.
    let missing: Vec<String> = args
        .extracts
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        anyhow::bail!(
            "cannot find the extract(s) {}: check the path(s); nothing was run",
            missing.join(", ")
        );
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("tournee-out").join("bench-plan"));
    let rec = Recorder::new();
    let mut runs = Vec::new();
    let mut outcome = Outcome::Done;
    for path in &args.extracts {
        eprintln!(
            "tournee bench plan: {} | seed {}",
            path.display(),
            settings.seed
        );
        let started = Instant::now();
        let t = Territory::read(path, &settings, &rec)
            .with_context(|| format!("cannot read the territory of {}", path.display()))?;
        let p = plan::plan(&t, &settings, &DemandInput::Model, &rec)
            .with_context(|| format!("cannot plan {}", path.display()))?;
        let dir = out.join(&t.name);
        crate::plan::progress::step(&rec, "writing the files", || {
            report::plan::write(&p, &t, &dir)
        })?;
        if !p.is_complete() {
            outcome = Outcome::Partial;
        }
        let run = Run {
            name: t.name.clone(),
            households: t.households.len(),
            stages: rec.take(),
            total: started.elapsed().as_secs_f64(),
        };
        println!("{}", stage_table(&run, rec.reset_works));
        runs.push(run);
    }
    if runs.len() > 1 {
        println!("{}", scaling_table(&runs));
    }
    if let Some(csv) = &args.csv {
        crate::io::files::write_file(csv, csv_text(&runs).as_bytes())?;
        eprintln!("wrote {}", csv.display());
    }
    Ok(outcome)
}

/// One territory's stages: seconds, share of the total, peak memory.
fn stage_table(run: &Run, reset_works: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n{}: {} households, {:.1} s{}",
        run.name,
        run.households,
        run.total,
        run.peak().map_or(String::new(), |b| format!(
            ", process peak {} MB",
            b / 1_000_000
        ))
    );
    let _ = writeln!(
        s,
        "| stage | seconds | share | peak MB{} |",
        if reset_works {
            ""
        } else {
            " (process, so far)"
        }
    );
    let _ = writeln!(s, "|---|---|---|---|");
    let mut counted = 0.0;
    for st in &run.stages {
        if st.depth == 0 {
            counted += st.seconds;
        }
        let indent = "  ".repeat(st.depth);
        let _ = writeln!(
            s,
            "| {indent}{} | {:.2} | {:.1} % | {} |",
            st.label,
            st.seconds,
            100.0 * st.seconds / run.total.max(1e-9),
            st.peak
                .map_or("-".to_string(), |b| (b / 1_000_000).to_string())
        );
    }
    let rest = (run.total - counted).max(0.0);
    let _ = writeln!(
        s,
        "| other (between stages) | {rest:.2} | {:.1} % | - |",
        100.0 * rest / run.total.max(1e-9)
    );
    s
}

/// Each stage against the previous territory: time ratio, households ratio, and the exponent
/// `log(time ratio) / log(households ratio)` (1 is linear, 2 quadratic).
fn scaling_table(runs: &[Run]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\nscaling (each territory against the previous one; exponent = log(time ratio) / log(households ratio))"
    );
    let _ = writeln!(
        s,
        "| stage | from | to | households x | time x | exponent |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for w in runs.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let hx = b.households as f64 / a.households.max(1) as f64;
        let mut rows: Vec<(String, f64, f64)> = b
            .stages
            .iter()
            .filter(|st| st.depth == 0)
            .filter_map(|st| {
                let k = key(&st.label);
                let before: f64 = a
                    .stages
                    .iter()
                    .filter(|x| x.depth == 0 && key(&x.label) == k)
                    .map(|x| x.seconds)
                    .sum();
                (before > 0.0).then(|| (st.label.clone(), before, st.seconds))
            })
            .collect();
        rows.push(("whole plan".to_string(), a.total, b.total));
        for (label, t0, t1) in rows {
            let tx = t1 / t0.max(1e-9);
            let e = if hx > 1.0 && tx > 0.0 {
                format!("{:.2}", tx.ln() / hx.ln())
            } else {
                "-".to_string()
            };
            let _ = writeln!(
                s,
                "| {label} | {} | {} | {hx:.2} | {tx:.2} | {e} |",
                a.name, b.name
            );
        }
    }
    s
}

fn csv_text(runs: &[Run]) -> String {
    let mut s = String::from("territory,households,depth,stage,seconds,share,peak_bytes\n");
    for r in runs {
        for st in &r.stages {
            let _ = writeln!(
                s,
                "{},{},{},\"{}\",{:.3},{:.4},{}",
                r.name,
                r.households,
                st.depth,
                st.label.replace('"', "\"\""),
                st.seconds,
                st.seconds / r.total.max(1e-9),
                st.peak.map_or(String::new(), |b| b.to_string())
            );
        }
        let _ = writeln!(
            s,
            "{},{},0,\"whole plan\",{:.3},1.0000,{}",
            r.name,
            r.households,
            r.total,
            r.peak().map_or(String::new(), |b| b.to_string())
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn counts_do_not_split_a_stage() {
        assert_eq!(
            key("grouping households in 226 zones"),
            key("grouping households in 12 zones")
        );
        assert_ne!(key("reading the extract"), key("writing the files"));
    }
}
