//! The figures per commune, for a mayor: when the extract has commune boundaries
//! (`admin_level` 7 or 8), each commune's households, foyers, conciergeries, walks, far
//! households, its households' car kilometres today and with conciergeries, and its share of
//! the operator's cost and of the collectivity's contribution.
//!
//! Decision (also in the README): the vans' costs are shared among the communes in proportion
//! to their foyers (a round crosses communes: its kilometres belong to no single one); the car
//! kilometres and the walks are each commune's own households'. Households outside every
//! boundary (an extract's edge) are one more row, "outside the communes".

use super::payers::Payers;
use super::{shop_trips, site_trips};
use crate::model::LonLat;
use crate::osm::Commune;
use crate::plan::settings::Mobility;
use crate::plan::siting::{Grouping, FAR_M};
use serde::Serialize;

/// One commune's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommuneFigures {
    /// Its name ("outside the communes" for the households of no commune).
    pub name: String,
    /// Households grouped.
    pub households: usize,
    /// Their foyers.
    pub foyers: i64,
    /// Conciergeries within it.
    pub sites: usize,
    /// Mean distance of its foyers to their conciergerie, metres.
    pub mean_walk_m: f64,
    /// Households farther than [`FAR_M`] from their conciergerie.
    pub far: usize,
    /// Its households' car kilometres a day today (shop trips).
    pub car_km_today: f64,
    /// With conciergeries (trips to the conciergerie beyond the walking limit).
    pub car_km_with: f64,
    /// Its share of the operator's cost, EUR a year (by foyers).
    pub operator_eur_year: f64,
    /// Its share of the collectivity's contribution, EUR a year (by foyers).
    pub collectivity_eur_year: f64,
}

/// The figures of each commune of `communes` with households, by name, then the households
/// outside every commune; empty when the extract has no commune. `shop_m` is each household's
/// distance to its shop today (the grouping's order).
pub fn per_commune(
    communes: &[Commune],
    g: &Grouping,
    shop_m: &[f64],
    mobility: &Mobility,
    payers: &Payers,
) -> Vec<CommuneFigures> {
    if communes.is_empty() {
        return Vec::new();
    }
    let at: Vec<LonLat> = g.households.iter().map(|h| h.place.at()).collect();
    let of = crate::osm::locate_communes(communes, &at);
    let site_at: Vec<LonLat> = g.open_places().map(|s| s.at()).collect();
    let site_of = crate::osm::locate_communes(communes, &site_at);
    let total: i64 = g.pb.total_demand().max(1);
    let n = communes.len();
    // Row n: outside the communes.
    let mut rows: Vec<CommuneFigures> = (0..=n)
        .map(|c| CommuneFigures {
            name: communes
                .get(c)
                .map_or("outside the communes".to_string(), |x| x.name.clone()),
            households: 0,
            foyers: 0,
            sites: 0,
            mean_walk_m: 0.0,
            far: 0,
            car_km_today: 0.0,
            car_km_with: 0.0,
            operator_eur_year: 0.0,
            collectivity_eur_year: 0.0,
        })
        .collect();
    let mut walked = vec![0.0f64; n + 1];
    for (i, h) in g.households.iter().enumerate() {
        let r = &mut rows[of[i].unwrap_or(n)];
        let Some(j) = g.result.sites.assign[i] else {
            continue;
        };
        let d = g.pb.distance(i, j);
        r.households += 1;
        r.foyers += h.foyers;
        walked[of[i].unwrap_or(n)] += h.foyers as f64 * d;
        r.far += usize::from(d > FAR_M);
        let one = [(h.foyers, shop_m.get(i).copied().unwrap_or(0.0))];
        r.car_km_today += shop_trips(&one, mobility.shop_trips_per_foyer_per_week).0;
        r.car_km_with += site_trips(
            &[(h.foyers, d)],
            mobility.site_visits_per_foyer_per_week,
            mobility.walk_limit_m,
            mobility.car_share_beyond_walk_limit,
        )
        .0;
    }
    for s in &site_of {
        rows[s.unwrap_or(n)].sites += 1;
    }
    for (r, w) in rows.iter_mut().zip(&walked) {
        let share = r.foyers as f64 / total as f64;
        r.mean_walk_m = w / r.foyers.max(1) as f64;
        r.operator_eur_year = payers.operator_cost * share;
        r.collectivity_eur_year = payers.collectivity * share;
    }
    let outside = rows.pop().filter(|r| r.households > 0);
    let mut rows: Vec<CommuneFigures> = rows.into_iter().filter(|r| r.households > 0).collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows.extend(outside);
    rows
}
