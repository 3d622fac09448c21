//! `tournee sites` on an extract: the households grouped into conciergerie catchments by
//! [`crate::plan::siting::site`], written by [`crate::report::grouping::write`].

use super::SitesArgs;
use crate::cli::progress::Spinner;
use crate::cli::{extract_path, Outcome};
use crate::io::output_dir::OutputDir;
use crate::plan::settings::Settings;
use crate::plan::siting::{site, SitingOptions};
use crate::plan::territory::extract_stem;
use crate::plan::Territory;
use crate::report::grouping;
use anyhow::{bail, Result};
use std::path::PathBuf;

/// Runs the extract mode of `tournee sites`.
pub fn run(args: &SitesArgs, verbose: bool) -> Result<Outcome> {
    if args.min > args.max || args.max <= 0 {
        bail!("--min {} and --max {} make no sense: a conciergerie needs 0 <= min <= max and max >= 1", args.min, args.max);
    }
    let path = extract_path(args.osm.clone());
    eprintln!("tournee sites on {}", path.display());
    let settings = Settings {
        households: args.households.clone(),
        ..Settings::default()
    };
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("tournee-out")
            .join(extract_stem(&path))
            .join("siting")
    });
    let staged = OutputDir::begin(&out, "sites")?;
    let progress = Spinner::default();
    let t = Territory::read(&path, &settings, &progress)?;
    let opts = SitingOptions {
        candidates: args.candidates.clone(),
        candidates_from: args.candidates_from.into(),
        target: args.target,
        min: args.min,
        max: args.max,
        sites: args.sites,
        site_cost: args.site_cost,
        cost_per_km: args.cost_per_km,
        distance: args.distance.into(),
        params: {
            // On an extract, the time limit is a hard stop; the kicks stay the budget.
            let mut p = args.search.params();
            if let Some(t) = args.search.time_limit {
                p.time_limit = None;
                p.kicks = args.search.kicks as usize;
                p.deadline =
                    Some(std::time::Instant::now() + std::time::Duration::from_secs_f64(t));
            }
            p
        },
        zone_households: args.zone_households as usize,
        edits: None,
        walk: Some(crate::plan::siting::walk_rule(&settings)),
    };
    let g = site(&t, &opts, &progress)?;
    if verbose {
        eprintln!("  {}", super::stats_line(&g.result));
    }
    let text = grouping::write(
        staged.dir(),
        &out,
        &t.name,
        &g,
        opts.params.seed,
        &grouping::households_source(&t),
        Default::default(),
    )?;
    staged.commit()?;
    println!("{text}");
    println!("written to {}", out.display());
    println!("solved in {:.1} s", g.result.seconds);
    Ok(Outcome::Done)
}
