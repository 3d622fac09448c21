//! `tournee week`: the plan's options plus `--days`; one call to [`crate::plan::week::week`],
//! the files written by [`crate::report::week::write`].

use super::extract_path;
use super::plan::{finish, Common};
use super::progress::Spinner;
use super::Outcome;
use crate::io::output_dir::OutputDir;
use crate::plan::settings::Flag;
use crate::plan::territory::extract_stem;
use crate::plan::{self, Territory};
use crate::report;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `tournee week`.
#[derive(Args, Debug)]
pub struct WeekArgs {
    #[command(flatten)]
    pub common: Common,
    /// Days planned, 1 to 7, consecutive from the date (default: the configuration's
    /// `week.days`, 6: Monday to Saturday).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=7))]
    pub days: Option<u32>,
    /// The producers' supply days and lead times: a CSV `producer_id,name,days,lead_days`
    /// (ids as in `tournee extract`'s producers.csv; days such as `tue` or `mon,thu`). A
    /// producer not in the file supplies every day.
    #[arg(long, value_name = "FILE")]
    pub producers: Option<PathBuf>,
}

/// Runs `tournee week`.
pub fn run(args: WeekArgs, _verbose: bool) -> Result<Outcome> {
    let started = Instant::now();
    let c = &args.common;
    let extra = args
        .days
        .map(|d| vec![Flag::new("--days", "week.days", i64::from(d))])
        .unwrap_or_default();
    let settings = c.settings(extra)?;
    let path = extract_path(c.osm.clone());
    let out = c.out.clone().unwrap_or_else(|| {
        PathBuf::from("tournee-out")
            .join(extract_stem(&path))
            .join("week")
    });
    let staged = OutputDir::begin(&out, "week")?;
    eprintln!(
        "tournee week on {} | seed {} | {} days from {}{}",
        path.display(),
        settings.seed,
        settings.week.days,
        plan::week::start_date(&settings),
        c.time_limit.map_or(String::new(), |t| format!(
            " | stops within {t} s (the plan may then differ from one machine to another)"
        ))
    );
    let progress = Spinner::default();
    let t = Territory::read(&path, &settings, &progress)?;
    let producers = match &args.producers {
        Some(f) => Some(plan::week::producers::ProducersFile::read(
            f,
            &t.producer_ids(),
        )?),
        None => None,
    };
    let w = plan::week::week(
        &t,
        &settings,
        &c.demand_input(),
        producers.as_ref(),
        &progress,
    )?;
    let problems = plan::week::check::check(&w, &settings, producers.as_ref());
    if !problems.is_empty() {
        anyhow::bail!(
            "internal error: the week does not hold ({}); please report it",
            problems.join("; ")
        );
    }
    let text = report::week::write(&w, &t, staged.dir(), &out)?;
    staged.commit()?;
    finish(&text, started);
    Ok(if w.totals.iter().all(|t| t.unserved == 0) {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}
