//! `tournee compare`: the plan's siting and rounds, and only the scenario report.

use super::extract_path;
use super::plan::{finish, outcome, planned, Common};
use super::Outcome;
use crate::io::output_dir::OutputDir;
use crate::plan::settings::Flag;
use crate::plan::territory::extract_stem;
use crate::report;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `tournee compare`: the plan's, plus the scenario's own settings (each
/// overrides the configuration's).
#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub common: Common,
    /// Site sizes compared, foyers per site, e.g. 30,50,80 (`sites.sensitivity_sizes`).
    #[arg(long, value_delimiter = ',', value_name = "N,N,...")]
    pub sizes: Option<Vec<i64>>,
    /// Engine of the conciergerie vans: diesel or electric (`fleet.van_type`).
    #[arg(long, value_name = "diesel|electric")]
    pub van_type: Option<String>,
    /// Visits per foyer per week to its conciergerie (`mobility.site_visits_per_foyer_per_week`).
    #[arg(long, value_name = "N")]
    pub site_visits: Option<f64>,
    /// Shop trips per foyer per week today (`mobility.shop_trips_per_foyer_per_week`).
    #[arg(long, value_name = "N")]
    pub shop_trips: Option<f64>,
    /// Walking distance under which a visit is made on foot, metres (`mobility.walk_limit_m`).
    #[arg(long, value_name = "M")]
    pub walk_limit: Option<f64>,
    /// Share of farther visits made by car, 0 to 1 (`mobility.car_share_beyond_walk_limit`).
    #[arg(long, value_name = "X")]
    pub car_share: Option<f64>,
    /// Working days per year (`factors.days_per_year`).
    #[arg(long, value_name = "N")]
    pub days_per_year: Option<f64>,
}

impl CompareArgs {
    /// The scenario's own flags, as settings keys.
    fn flags(&self) -> Vec<Flag> {
        let mut f = Vec::new();
        if let Some(z) = &self.sizes {
            f.push(Flag::new(
                "--sizes",
                "sites.sensitivity_sizes",
                toml::Value::Array(z.iter().map(|&x| toml::Value::Integer(x)).collect()),
            ));
        }
        if let Some(v) = &self.van_type {
            let v = v.trim().to_ascii_lowercase();
            f.push(Flag::new("--van-type", "fleet.van_type", v));
        }
        for (name, key, v) in [
            (
                "--site-visits",
                "mobility.site_visits_per_foyer_per_week",
                self.site_visits,
            ),
            (
                "--shop-trips",
                "mobility.shop_trips_per_foyer_per_week",
                self.shop_trips,
            ),
            ("--walk-limit", "mobility.walk_limit_m", self.walk_limit),
            (
                "--car-share",
                "mobility.car_share_beyond_walk_limit",
                self.car_share,
            ),
            (
                "--days-per-year",
                "factors.days_per_year",
                self.days_per_year,
            ),
        ] {
            if let Some(x) = v {
                f.push(Flag::new(name, key, x));
            }
        }
        f
    }
}

/// Runs `tournee compare`: the siting and the day's rounds as in `plan`, and only the scenario
/// report (scenario.html, .json, .csv and summary.txt).
pub fn run(args: CompareArgs, verbose: bool) -> Result<Outcome> {
    let started = Instant::now();
    let c = &args.common;
    let settings = c.settings(args.flags())?;
    let out = c.out.clone().unwrap_or_else(|| {
        PathBuf::from("tournee-out")
            .join(extract_stem(&extract_path(c.osm.clone())))
            .join("compare")
    });
    let staged = OutputDir::begin(&out, "compare")?;
    let (t, p) = planned(c, &settings, "compare", verbose)?;
    let text = report::plan::write_scenario_into(&p, &t, staged.dir(), &out)?;
    staged.commit()?;
    finish(&text, started);
    Ok(outcome(&p))
}
