//! The day's van rounds: the orders as jobs (deliveries to the sites within their hours, bread
//! early, fresh products picked up at a farm and brought to the site that ordered them), the
//! fleet (given or sized to the work) and the solution, checked by the independent checker.

use super::demand::Demand;
use super::fleet::solve_fleet;
use super::settings::Settings;
use super::stops::Stops;
use super::PlanError;
use crate::model::{Job, Load, Problem, Reason, Solution, Stop};
use crate::routing::check;

/// A solved day.
#[derive(Clone, Debug)]
pub struct Rounds {
    /// The routing problem (locations as in the day's [`Stops`]).
    pub problem: Problem,
    /// Its solution.
    pub solution: Solution,
    /// The checker's timeline of the solution.
    pub report: check::Report,
    /// Vans the solver could use.
    pub vans_available: usize,
    /// Remarks: loads split, jobs not served.
    pub notes: Vec<String>,
}

impl Rounds {
    /// Builds the jobs of `demand` at `stops` and solves them with the fleet of `settings`.
    ///
    /// A load larger than a van is split into van loads, with a note suggesting a larger van.
    pub fn solve(stops: &Stops, demand: &Demand, settings: &Settings) -> Result<Rounds, PlanError> {
        let mut problem = stops.problem.clone();
        let mut notes = Vec::new();
        let h = &settings.hours;
        let service = settings.fleet.stop_seconds();
        let cap = settings.fleet.capacity_litres;
        let (open, close) = (h.sites_open.seconds(), h.sites_close.seconds());
        let mut push = |id: String, from: Option<Stop>, to: Stop, litres: i64| {
            let parts = ((litres + cap - 1) / cap).max(1);
            if parts > 1 {
                notes.push(format!(
                    "{id}: {litres} L is more than a van holds ({cap} L): split into {parts} van loads; a larger van (fleet.capacity_litres) would take it in one stop"
                ));
            }
            for k in 0..parts {
                let l = litres / parts + i64::from(k < litres % parts);
                let id = if parts > 1 {
                    format!("{id} (load {} of {parts})", k + 1)
                } else {
                    id.clone()
                };
                let amount = Load::from_slice(&[l]);
                problem.jobs.push(match &from {
                    Some(f) => Job::shipment(id, f.clone(), to.clone(), amount),
                    None => Job::delivery(id, to.clone(), amount),
                });
            }
        };
        for (k, d) in demand.per_site.iter().enumerate() {
            let name = &stops.spots[stops.site_loc(k)].name;
            let at = |close: i64| Stop::at(stops.site_loc(k), service).window(open, close);
            let main = d.parcel_litres + d.purchases_litres;
            if main > 0 {
                let what = match (d.parcels, d.purchases_litres) {
                    (0, _) => "pooled purchases".to_string(),
                    (n, 0) => format!("{n} parcels"),
                    (n, _) => format!("{n} parcels + pooled purchases"),
                };
                push(format!("{name}: {what}"), None, at(close), main);
            }
            if d.bread_litres > 0 {
                push(
                    format!("{name}: bread"),
                    None,
                    at(h.bread_by.seconds()),
                    d.bread_litres,
                );
            }
            for &(p, litres) in &d.fresh {
                let pick = Stop::at(stops.producer_loc(p), service)
                    .window(h.producers_open.seconds(), h.producers_close.seconds());
                push(
                    format!("{name}: fresh products from {}", stops.producer(p).name),
                    Some(pick),
                    at(close),
                    litres,
                );
            }
        }
        let (solution, report, vans_available) = solve_fleet(&mut problem, settings)?;
        for u in &solution.unassigned {
            notes.push(format!(
                "not served: {} ({}: {})",
                problem.jobs[u.job.ix()].id,
                u.reason.code(),
                u.reason.explain()
            ));
        }
        Ok(Rounds {
            problem,
            solution,
            report,
            vans_available,
            notes,
        })
    }

    /// What a planner must not miss: work left unserved, and what to do about it.
    pub fn warning(&self) -> Option<String> {
        let u = &self.solution.unassigned;
        if u.is_empty() {
            return None;
        }
        let room = u.iter().filter(|x| x.reason == Reason::NoRoom).count();
        Some(format!(
            "{} of {} jobs are not served (routes/unassigned.csv says why){}; the figures cover only the work served",
            u.len(),
            self.problem.jobs.len(),
            if room > 0 {
                format!(
                    "; {room} for want of room with {} van(s): set fleet.vans = \"auto\" (or --vans auto) or lengthen the shift",
                    self.vans_available
                )
            } else {
                String::new()
            }
        ))
    }
}
