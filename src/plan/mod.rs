//! The daily plan as a library: from a territory and settings to sites, rounds and scenarios.
//!
//! The stages, each a value a program can inspect:
//!
//! 1. [`Territory`] ([`Territory::read`] or [`Territory::from_extract`]): the extract, its
//!    households (the extract's dwellings or the planner's CSV) and its road networks;
//! 2. [`siting::site`]: the households grouped into conciergerie catchments ([`Grouping`]);
//! 3. [`depot::find`]: where the vans leave from (one depot, or several for a large territory);
//! 4. [`Stops`]: the day's places (depots, sites, producers);
//! 5. [`Demand::of_day`]: the day's orders, from the seeded model or a file;
//! 6. [`Rounds::solve`]: the van rounds (multi-depot, by regions for a large territory), the
//!    fleet sized to the work, checked by [`crate::routing::check`];
//! 7. [`scenario::compare`]: today against the conciergeries, with sensitivities.
//!
//! [`plan()`] runs them all into a [`Plan`]; writing its files is a separate step
//! ([`crate::report::plan::write`]). Settings come once from a file and flags ([`settings`]).
//!
//! Decisions (also in the README): the depot is the post office nearest the households' centre
//! unless the settings give one; the fleet is sized to the day's work unless `fleet.vans` is a
//! number; a delivery larger than a van is split into van loads.

pub mod breaks;
pub mod demand;
pub mod depot;
mod error;
pub mod fleet;
pub mod progress;
pub mod rounds;
pub mod scenario;
pub mod settings;
pub mod sites_file;
pub mod siting;
pub mod stops;
pub mod streets;
pub mod territory;
pub mod week;

pub use demand::{Demand, DemandInput};
pub use depot::Spot;
pub use error::PlanError;
pub use progress::{Progress, Quiet};
pub use rounds::Rounds;
pub use scenario::Scenarios;
pub use settings::Settings;
pub use siting::{Grouping, SitingOptions};
pub use stops::Stops;
pub use territory::{Household, HouseholdsSource, Territory};

use crate::model::Date;
use progress::step;
use settings::Depot;

/// A territory sited, with the day's rounds solved and compared with today.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The settings it was made with.
    pub settings: Settings,
    /// The day planned.
    pub date: Date,
    /// The conciergerie catchments.
    pub grouping: Grouping,
    /// Where the vans leave from.
    pub depots: Vec<Spot>,
    /// The day's places and the travel between them.
    pub stops: Stops,
    /// The day's orders.
    pub demand: Demand,
    /// The van rounds, checked.
    pub rounds: Rounds,
    /// What bread's early time costs against bringing it with the rest (`None` without bread
    /// or without an early time).
    pub bread: Option<rounds::BreadChoice>,
    /// Today against the conciergeries.
    pub scenarios: Scenarios,
    /// Remarks for the planner (households left out, depot choice, split loads, jobs not
    /// served), one line each.
    pub notes: Vec<String>,
    /// The planner's sites file the plan was made with (`--sites`).
    pub sites_file: Option<sites_file::SitesFile>,
    /// What changed against that file's sites (empty without one).
    pub site_changes: Vec<sites_file::SiteChange>,
}

impl Plan {
    /// Whether every job is served (every household always is: see [`siting`]). When not, the
    /// plan is complete as far as it goes, and [`Plan::notes`] say what is missing and why.
    pub fn is_complete(&self) -> bool {
        self.rounds.is_complete()
    }

    /// The figures per commune of `t`'s extract (see [`scenario::communes`]; empty without
    /// commune boundaries).
    pub fn communes(&self, t: &Territory) -> Vec<scenario::communes::CommuneFigures> {
        scenario::communes::per_commune(
            &t.extract.features.communes,
            &self.grouping,
            &self.scenarios.shop_m,
            &self.settings.mobility,
            &self.payers(),
        )
    }

    /// Who pays for the service, per year (see [`scenario::payers`]).
    pub fn payers(&self) -> scenario::payers::Payers {
        scenario::payers::Payers::of(
            &self.scenarios.baseline,
            &self.scenarios.main,
            self.grouping.pb.total_demand(),
            // A home delivery has no host to pay: its cost is the van's stop.
            self.grouping
                .open_kinds()
                .iter()
                .filter(|&&k| k != siting::hamlets::SiteKind::Home)
                .count(),
            &self.settings.funding,
        )
    }
}

/// Plans the day on `t` with `settings`: sites, depot, demand (`demand`), rounds, scenarios.
///
/// Deterministic: the same territory, settings and demand give the same plan (the search
/// budgets are counts, not clocks; the date is tomorrow's when the settings give none).
pub fn plan(
    t: &Territory,
    settings: &Settings,
    demand: &DemandInput,
    progress: &dyn Progress,
) -> Result<Plan, PlanError> {
    let date = settings.date.unwrap_or_else(Date::tomorrow);
    let car = t.car();
    step(
        progress,
        "preparing fast queries (contraction hierarchy)",
        || car.prepare(),
    );
    // Depots given by the user are checked before the long steps.
    if let Depot::At(points) = &settings.depot {
        for (k, &p) in points.iter().enumerate() {
            let name = if points.len() == 1 {
                "Depot".to_string()
            } else {
                format!("Depot {}", k + 1)
            };
            depot::check(car, &name, p)?;
        }
    }
    // The producers file too.
    let producers = settings
        .producers_file
        .as_deref()
        .map(|f| week::producers::ProducersFile::read(f, &t.producer_ids()))
        .transpose()?;
    // The sites file is checked before the long steps (its site ids once the sites exist).
    let sites_file = settings
        .sites_file
        .as_deref()
        .map(sites_file::read)
        .transpose()?;
    let mut opts =
        SitingOptions::for_plan(settings, settings.sites.target, settings.sites.kicks, true);
    opts.edits = sites_file.clone();
    let grouping = step(progress, "siting the conciergeries", || {
        siting::site(t, &opts, progress)
    })?;
    let (depots, depot_notes) = depot::find(&settings.depot, &t.extract, &grouping)?;
    for d in &depots {
        depot::check(car, &d.name, d.at())?;
    }
    let mut host_notes = Vec::new();
    let (stops, demand, rounds, bread) = step(
        progress,
        "setting the day's demand and solving the van rounds",
        || -> Result<_, PlanError> {
            let mut stops = Stops::new(&depots, &grouping, &t.extract, car);
            if let Some(f) = &producers {
                stops.set_producers(f, date);
            }
            if let Some(f) = &sites_file {
                let ids: Vec<String> = stops.site_keys.iter().map(|k| k.0.clone()).collect();
                let (hosts, notes) = f.match_sites(&ids);
                stops.set_hosts(hosts);
                host_notes = notes;
            }
            let demand = Demand::of_day(&stops, settings, demand)?;
            let rounds = Rounds::solve(&stops, &demand, settings, car)?;
            let bread = rounds::BreadChoice::price(&rounds, &stops, &demand, settings, car)?;
            Ok((stops, demand, rounds, bread))
        },
    )?;
    let scenarios = step(
        progress,
        "comparing with today (parcel round, shop trips)",
        || scenario::compare(t, settings, &grouping, &depots, &demand, &rounds, progress),
    )?;
    let mut notes = grouping.notes.clone();
    let site_changes = match &sites_file {
        Some(f) => {
            let changes = sites_file::changes(f, &grouping);
            notes.push(sites_file::changes_line(f, &changes));
            changes
        }
        None => Vec::new(),
    };
    notes.extend(host_notes);
    notes.extend(depot_notes);
    notes.extend(demand.notes.iter().cloned());
    notes.extend(rounds.notes.iter().cloned());
    Ok(Plan {
        settings: settings.clone(),
        date,
        grouping,
        depots,
        stops,
        demand,
        rounds,
        bread,
        scenarios,
        notes,
        sites_file,
        site_changes,
    })
}
