//! A plan's files, in one folder: route sheets (`routes/`), the grouping (`sites/`), the day's
//! orders (`demand.csv`), the planner's overview, the scenario report and the summary.
//!
//! [`write()`] writes them all; [`write_scenario()`] only the scenario report (`tournee compare`).
//! Both return the summary's text, which they also write as `summary.txt`.

pub mod scenario;
pub mod sheets;
mod summary;

use crate::io::files::{create_dir, write_file, WriteError};
use crate::io::output_dir::OutputDir;
use crate::plan::{Plan, Territory};
use crate::report::{grouping, map, overview};
use std::path::Path;
use std::sync::Arc;

/// Writes every file of `plan` (made on `t`) into `out` as a whole (see [`OutputDir`]: the
/// folder holds this run complete or the previous one, never a mix) and returns the summary.
pub fn write(plan: &Plan, t: &Territory, out: &Path) -> Result<String, WriteError> {
    let staged = OutputDir::begin(out, "plan")?;
    let text = write_into(plan, t, staged.dir(), out)?;
    staged.commit()?;
    Ok(text)
}

/// Writes every file of `plan` into the folder `dir` (created if needed) and returns the
/// summary, which names `shown` as the folder of the outputs (the staging folder of an
/// [`OutputDir`] is written as its final name).
pub fn write_into(
    plan: &Plan,
    t: &Territory,
    dir: &Path,
    shown: &Path,
) -> Result<String, WriteError> {
    let out = dir;
    let site_spots = &plan.stops.spots[plan.stops.depots..plan.stops.depots + plan.stops.sites()];
    let site_names: Vec<String> = site_spots.iter().map(|s| s.name.clone()).collect();
    let site_addresses: Vec<String> = site_spots
        .iter()
        .map(|s| s.address.clone().unwrap_or_default())
        .collect();
    let sites_text = grouping::write(
        &out.join("sites"),
        &shown.join("sites"),
        &t.name,
        &plan.grouping,
        plan.settings.seed,
        &grouping::households_source(t),
        crate::report::sites::SitesCsv {
            hosts: &plan.stops.hosts,
            file: plan.sites_file.as_ref(),
            names: &site_names,
            addresses: &site_addresses,
            fixed: &[],
            kinds: &[],
            labels: &[],
        },
    )?;
    if plan.sites_file.is_some() {
        write_file(
            &out.join("sites").join("changes.csv"),
            &crate::plan::sites_file::changes_csv(&plan.site_changes),
        )?;
    }
    write_file(&out.join("demand.csv"), &plan.demand.to_csv(&plan.stops))?;
    // Route sheets.
    let roads: Arc<[Vec<[f64; 2]>]> = sheets::road_lines(t.car().graph()).into();
    let names: Arc<[crate::report::svg::PlaceName]> = sheets::place_names(t).into();
    let route_sheets = sheets::write_route_sheets(plan, t, &out.join("routes"), &roads, &names)?;
    scenario::write(out, t, plan)?;
    overview::write(
        &out.join("overview.html"),
        &sheets::overview_input(plan, &t.name, &route_sheets, &roads),
    )?;
    map::write(
        out,
        &sheets::map_input(plan, t, &route_sheets, &roads, &names),
    )?;
    let text = summary::plan(plan, t, &route_sheets, &sites_text, shown);
    write_file(&out.join("summary.txt"), text.as_bytes())?;
    Ok(text)
}

/// Writes the scenario report of `plan` (`scenario.html`, `.json`, `.csv`, `summary.txt`) into
/// `out` as a whole (see [`OutputDir`]) and returns the summary.
pub fn write_scenario(plan: &Plan, t: &Territory, out: &Path) -> Result<String, WriteError> {
    let staged = OutputDir::begin(out, "compare")?;
    let text = write_scenario_into(plan, t, staged.dir(), out)?;
    staged.commit()?;
    Ok(text)
}

/// [`write_scenario`] into the folder `dir`, the summary naming `shown`.
pub fn write_scenario_into(
    plan: &Plan,
    t: &Territory,
    dir: &Path,
    shown: &Path,
) -> Result<String, WriteError> {
    create_dir(dir)?;
    scenario::write(dir, t, plan)?;
    let text = summary::compare(plan, t, shown);
    write_file(&dir.join("summary.txt"), text.as_bytes())?;
    Ok(text)
}
