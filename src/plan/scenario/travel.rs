//! The postman's rounds (today's parcel doors, the letterboxes, the sites) solved the same way,
//! and van travel read from the routing checker's reports.

use super::Travel;
use crate::model::{Job, Load, Stop};
use crate::plan::depot::Spot;
use crate::plan::fleet::solve_fleet;
use crate::plan::settings::{Settings, Vans};
use crate::plan::stops::matrix_problem;
use crate::plan::PlanError;
use crate::routing::check;

/// One postman's round: a delivery at each of `stops` (place, seconds there, litres) from the
/// `depots`, with as many vans as it takes (`settings`' fleet, sized to the work), solved with
/// `iterations`. Returns the checker's report and how many stops could not be served.
pub(super) fn postman_round(
    car: &crate::graph::Network,
    settings: &Settings,
    depots: &[&Spot],
    stops: &[(&Spot, i64, i64)],
    label: &str,
    iterations: u64,
) -> Result<(check::Report, usize), PlanError> {
    let mut postman = settings.clone();
    postman.fleet.vans = Vans::Auto;
    // Today's vans make one trip each, as La Poste's rounds do.
    postman.fleet.reload_seconds = None;
    let mut places: Vec<Spot> = depots.iter().map(|&d| d.clone()).collect();
    places.extend(stops.iter().map(|s| s.0.clone()));
    let mut p = matrix_problem(car, &places, label);
    for (k, &(s, seconds, litres)) in stops.iter().enumerate() {
        p.jobs.push(Job::delivery(
            s.name.clone(),
            Stop::at(depots.len() + k, seconds),
            Load::from_slice(&[litres]),
        ));
    }
    let fleet: Vec<(usize, Option<usize>)> = (0..depots.len()).map(|k| (k, None)).collect();
    let end = settings.fleet.shift_end.seconds();
    let budget = crate::plan::fleet::Budget {
        iterations,
        searches: 1,
    };
    let (sol, rep, _) = solve_fleet(&mut p, &postman, &fleet, budget, end)?;
    Ok((rep, sol.unassigned.len()))
}

/// Van travel of checked solutions, each van's driver paid `paid_day_hours` at least.
pub(super) fn travel_of<'a>(
    reports: impl Iterator<Item = &'a check::Report>,
    unserved: usize,
    paid_day_hours: f64,
) -> Travel {
    let mut t = Travel {
        unserved,
        ..Travel::default()
    };
    for rep in reports {
        t.vans += rep.routes.len();
        t.van_km += rep.distance.0 as f64 / 1000.0;
        for r in &rep.routes {
            let worked = r.duration.0 as f64 / 3600.0;
            t.driver_hours += worked;
            t.paid_hours += worked.max(paid_day_hours);
        }
        // Places stopped at: consecutive visits to one place are one stop (as on the sheets).
        t.van_stops += rep
            .routes
            .iter()
            .map(|r| {
                let visits = &r.steps[1..r.steps.len().saturating_sub(1).max(1)];
                visits
                    .iter()
                    .enumerate()
                    .filter(|(k, s)| *k == 0 || visits[k - 1].location != s.location)
                    .count()
            })
            .sum::<usize>();
    }
    t
}
