//! `tournee plan`: arguments to settings, one call to [`crate::plan::plan`], the files written by
//! [`crate::report::plan::write`], the summary printed.

use super::progress::{peak_memory_bytes, Spinner};
use super::{extract_path, Outcome};
use crate::io::output_dir::OutputDir;
use crate::plan::settings::{Flag, Settings};
use crate::plan::territory::extract_stem;
use crate::plan::{self, DemandInput, Plan, Territory};
use crate::report;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

/// What `plan` and `compare` share on the command line.
#[derive(Args, Debug)]
pub struct Common {
    /// The OpenStreetMap extract (.osm.pbf); the embedded default (Andorra) if omitted.
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Output folder (default: `tournee-out/<extract name>`, `.../compare` for compare).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Settings (TOML); `tournee config` prints the defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Random seed (overrides the configuration's).
    #[arg(long, value_name = "N", value_parser = super::seed)]
    pub seed: Option<u64>,
    /// The day planned, YYYY-MM-DD (default: the configuration's, else tomorrow).
    #[arg(long)]
    pub date: Option<String>,
    /// A depot, "lon,lat"; give it several times for several depots (default: the post office
    /// nearest the households' centre, one per part of a large territory).
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub depot: Vec<String>,
    /// Vans available, or "auto" for as many as the day needs (overrides the configuration's).
    #[arg(long, value_name = "N|auto")]
    pub vans: Option<String>,
    /// Language of the route sheets, overview and scenario report: fr (default) or en
    /// (overrides the configuration's `lang`).
    #[arg(long, value_name = "fr|en")]
    pub lang: Option<String>,
    /// The day's orders per conciergerie (CSV, as the `demand.csv` a plan writes) instead of
    /// the demand model.
    #[arg(long, value_name = "FILE")]
    pub demand: Option<PathBuf>,
    /// The planner's households (CSV `id,lon,lat[,foyers]`, e.g. the commune's address list)
    /// instead of the extract's buildings.
    #[arg(long, value_name = "CSV")]
    pub households: Option<PathBuf>,
    /// Stop the whole run after this many seconds at the latest, with the best plan found by
    /// then (default: the searches' deterministic budgets, the same plan on every machine; with
    /// a limit, a slower machine may give another plan).
    #[arg(long, value_name = "SECONDS", value_parser = super::seconds)]
    pub time_limit: Option<f64>,
    /// The planner's sites: the `sites/sites.csv` a plan wrote, edited (`status` fixed,
    /// forbidden, candidate or open; moved `lon`/`lat`; own `min_foyers`/`max_foyers`; the
    /// `host`, `phone`, `access` and `opening_hours` columns; for `tournee week`,
    /// `passages_per_week` or `days`, `storage_litres`, and a locker's `boxes_s`, `boxes_m`,
    /// `boxes_l`).
    #[arg(long, value_name = "CSV")]
    pub sites: Option<PathBuf>,
}

impl Common {
    /// The settings: the file, then these flags, then `extra`, checked together.
    pub fn settings(&self, extra: Vec<Flag>) -> Result<Settings> {
        let mut flags = Vec::new();
        if let Some(s) = self.seed {
            flags.push(match i64::try_from(s) {
                Ok(i) => Flag::new("--seed", "seed", i),
                Err(_) => Flag::new("--seed", "seed", s.to_string()),
            });
        }
        if let Some(d) = &self.date {
            flags.push(Flag::new("--date", "date", d.as_str()));
        }
        if !self.depot.is_empty() {
            flags.push(Flag::new("--depot", "depot", self.depot.join(";")));
        }
        if let Some(v) = &self.vans {
            flags.push(match v.trim().parse::<i64>() {
                Ok(n) => Flag::new("--vans", "fleet.vans", n),
                Err(_) => Flag::new("--vans", "fleet.vans", v.as_str()),
            });
        }
        if let Some(l) = &self.lang {
            flags.push(Flag::new("--lang", "lang", l.as_str()));
        }
        flags.extend(extra);
        let mut settings = Settings::load(self.config.as_deref(), &flags)?;
        settings.households = self.households.clone();
        settings.sites_file = self.sites.clone();
        settings.deadline = self
            .time_limit
            .map(|t| Instant::now() + std::time::Duration::from_secs_f64(t));
        Ok(settings)
    }

    /// The demand: the file given, else the model.
    pub fn demand_input(&self) -> DemandInput {
        match &self.demand {
            Some(f) => DemandInput::File(f.clone()),
            None => DemandInput::Model,
        }
    }
}

/// Arguments of `tournee plan`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: Common,
    /// The producers' names and supply days: a CSV `producer_id,name,days,lead_days` (ids as
    /// in `tournee extract`'s producers.csv, as `tournee week --producers` reads it): a farm
    /// not supplying on the day takes no order, and its name is the one the sheets print.
    #[arg(long, value_name = "FILE")]
    pub producers: Option<PathBuf>,
}

/// Reads the territory and plans it: what `plan` and `compare` share.
pub fn planned(
    c: &Common,
    settings: &Settings,
    command: &str,
    verbose: bool,
) -> Result<(Territory, Plan)> {
    let path = extract_path(c.osm.clone());
    eprintln!(
        "tournee {command} on {} | seed {}{}",
        path.display(),
        settings.seed,
        c.time_limit.map_or(String::new(), |t| format!(
            " | stops within {t} s (the plan may then differ from one machine to another)"
        ))
    );
    let progress = Spinner::default();
    let t = Territory::read(&path, settings, &progress)?;
    let p = plan::plan(&t, settings, &c.demand_input(), &progress)?;
    if verbose {
        eprintln!("  {}", super::sites::stats_line(&p.grouping.result));
    }
    Ok((t, p))
}

/// Runs `tournee plan`.
pub fn run(args: PlanArgs, verbose: bool) -> Result<Outcome> {
    let started = Instant::now();
    let c = &args.common;
    let mut settings = c.settings(Vec::new())?;
    settings.producers_file = args.producers.clone();
    let out = c.out.clone().unwrap_or_else(|| {
        PathBuf::from("tournee-out").join(extract_stem(&extract_path(c.osm.clone())))
    });
    // The folder is checked (and its staging folder made) before the work.
    let staged = OutputDir::begin(&out, "plan")?;
    let (t, p) = planned(c, &settings, "plan", verbose)?;
    let text = report::plan::write_into(&p, &t, staged.dir(), &out)?;
    staged.commit()?;
    finish(&text, started);
    Ok(outcome(&p))
}

/// Prints the summary, then the timing and memory (on screen only: the files stay
/// byte-identical from run to run).
pub fn finish(text: &str, started: Instant) {
    println!("{text}");
    println!(
        "done in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        peak_memory_bytes().map_or(String::new(), |b| format!(
            ", peak memory {} MB",
            b / 1_000_000
        ))
    );
}

/// Partial when work was left unserved.
pub fn outcome(p: &Plan) -> Outcome {
    if p.is_complete() {
        Outcome::Done
    } else {
        Outcome::Partial
    }
}
