//! Van travel read from the routing checker's reports.

use super::Travel;
use crate::routing::check;

/// Van travel of checked solutions.
pub(super) fn travel_of<'a>(
    reports: impl Iterator<Item = &'a check::Report>,
    unserved: usize,
) -> Travel {
    let mut t = Travel {
        unserved,
        ..Travel::default()
    };
    for rep in reports {
        t.vans += rep.routes.len();
        t.van_km += rep.distance.0 as f64 / 1000.0;
        t.driver_hours += rep
            .routes
            .iter()
            .map(|r| r.duration.0 as f64 / 3600.0)
            .sum::<f64>();
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
