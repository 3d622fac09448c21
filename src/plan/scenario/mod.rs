//! Mobility scenarios for local authorities: today (a van stopping at every household that
//! receives a parcel, households driving to a shop) against the conciergerie network (van
//! rounds to the sites, households walking or driving to their site), per day and per year.
//!
//! Pure arithmetic on measured inputs ([`Travel`]) and the factors of the settings, so that
//! every figure of the report can be traced to one line here; [`compare`] measures the inputs
//! on the roads.

pub mod communes;
mod measure;
pub mod payers;
pub mod postal;
mod travel;

pub use measure::{compare, with_rounds, Scenarios, NO_SHOP_M, POSTMAN_STOP_MIN};

use super::settings::{Factors, VanType};
use serde::Serialize;

/// What one scenario's vehicles do on a day (measured on the roads).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Travel {
    /// Vans used.
    pub vans: usize,
    /// Van kilometres.
    pub van_km: f64,
    /// Driver hours worked (from leaving the depot to coming back).
    pub driver_hours: f64,
    /// Driver hours paid: each van's driver is paid for a whole day (the shift less its
    /// break, [`crate::plan::settings::Fleet::paid_day_hours`]), or for the round when it is
    /// longer. What the drivers cost and the jobs count.
    pub paid_hours: f64,
    /// Stops made by the vans.
    pub van_stops: usize,
    /// Private car kilometres of the households.
    pub car_km: f64,
    /// Private car trips (there and back counts one).
    pub car_trips: f64,
    /// Jobs the vans could not serve (counted, not priced).
    pub unserved: usize,
    /// Mean distance of a foyer to its conciergerie, metres (0 today: no conciergerie).
    pub walk_m: f64,
}

/// One scenario's figures for a day and a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figures {
    /// Scenario name.
    pub name: String,
    /// Van engine.
    pub van_type: VanType,
    /// Measured travel.
    pub travel: Travel,
    /// Vehicle-km per day (vans + cars).
    pub vehicle_km_day: f64,
    /// kgCO2e per day, vans.
    pub van_co2_kg_day: f64,
    /// kgCO2e per day, cars.
    pub car_co2_kg_day: f64,
    /// Euros per day: drivers.
    pub driver_eur_day: f64,
    /// Euros per day: vans (per km and per van used).
    pub van_eur_day: f64,
    /// Euros per day: households' cars.
    pub car_eur_day: f64,
    /// Days per year.
    pub days_per_year: f64,
}

impl Figures {
    /// Prices `travel` with `factors`.
    pub fn new(name: &str, van_type: VanType, travel: Travel, f: &Factors) -> Figures {
        Figures {
            name: name.to_string(),
            van_type,
            vehicle_km_day: travel.van_km + travel.car_km,
            van_co2_kg_day: travel.van_km * f.van_kg_per_km(van_type),
            car_co2_kg_day: travel.car_km * f.car_kg_per_km,
            driver_eur_day: travel.paid_hours * f.driver_eur_per_hour,
            van_eur_day: travel.van_km * f.van_eur_per_km(van_type)
                + travel.vans as f64 * f.van_eur_per_day,
            car_eur_day: travel.car_km * f.car_eur_per_km,
            days_per_year: f.days_per_year,
            travel,
        }
    }

    /// kgCO2e per day.
    pub fn co2_kg_day(&self) -> f64 {
        self.van_co2_kg_day + self.car_co2_kg_day
    }

    /// Euros per day.
    pub fn eur_day(&self) -> f64 {
        self.driver_eur_day + self.van_eur_day + self.car_eur_day
    }

    /// Euros per foyer per year.
    pub fn eur_per_foyer_year(&self, foyers: i64) -> f64 {
        self.eur_day() * self.days_per_year / foyers.max(1) as f64
    }

    /// The mean day of `days` (a week's days, each priced): every figure averaged (the
    /// travel's counts rounded); `None` without a day.
    pub fn mean(name: &str, days: &[Figures]) -> Option<Figures> {
        let first = days.first()?;
        let n = days.len() as f64;
        let avg = |f: &dyn Fn(&Figures) -> f64| days.iter().map(f).sum::<f64>() / n;
        let t = |f: &dyn Fn(&Travel) -> f64| avg(&|x: &Figures| f(&x.travel));
        Some(Figures {
            name: name.to_string(),
            van_type: first.van_type,
            travel: Travel {
                vans: t(&|x| x.vans as f64).round() as usize,
                van_km: t(&|x| x.van_km),
                driver_hours: t(&|x| x.driver_hours),
                paid_hours: t(&|x| x.paid_hours),
                van_stops: t(&|x| x.van_stops as f64).round() as usize,
                car_km: t(&|x| x.car_km),
                car_trips: t(&|x| x.car_trips),
                unserved: t(&|x| x.unserved as f64).round() as usize,
                walk_m: t(&|x| x.walk_m),
            },
            vehicle_km_day: avg(&|x| x.vehicle_km_day),
            van_co2_kg_day: avg(&|x| x.van_co2_kg_day),
            car_co2_kg_day: avg(&|x| x.car_co2_kg_day),
            driver_eur_day: avg(&|x| x.driver_eur_day),
            van_eur_day: avg(&|x| x.van_eur_day),
            car_eur_day: avg(&|x| x.car_eur_day),
            days_per_year: first.days_per_year,
        })
    }
}

/// Car trips of the households for the purchases and parcels the conciergerie takes over:
/// `(km, trips)` per day, each foyer making `trips_per_week` round trips of `2 x distance_m`
/// (6 days a week).
pub fn shop_trips(foyers_and_distance_m: &[(i64, f64)], trips_per_week: f64) -> (f64, f64) {
    let per_day = trips_per_week / 6.0;
    let trips: f64 = foyers_and_distance_m
        .iter()
        .map(|&(f, _)| f as f64 * per_day)
        .sum();
    let km: f64 = foyers_and_distance_m
        .iter()
        .map(|&(f, d)| f as f64 * per_day * 2.0 * d / 1000.0)
        .sum();
    (km, trips)
}

/// Car trips to the conciergerie: visits beyond `walk_limit_m` are driven with probability
/// `car_share`; closer ones are walked. `(km, trips)` per day.
pub fn site_trips(
    foyers_and_distance_m: &[(i64, f64)],
    visits_per_week: f64,
    walk_limit_m: f64,
    car_share: f64,
) -> (f64, f64) {
    let per_day = visits_per_week / 6.0;
    let driven = |d: f64| if d > walk_limit_m { car_share } else { 0.0 };
    let trips: f64 = foyers_and_distance_m
        .iter()
        .map(|&(f, d)| f as f64 * per_day * driven(d))
        .sum();
    let km: f64 = foyers_and_distance_m
        .iter()
        .map(|&(f, d)| f as f64 * per_day * driven(d) * 2.0 * d / 1000.0)
        .sum();
    (km, trips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_follow_the_factors() {
        let f = Factors::default();
        let t = Travel {
            vans: 2,
            van_km: 100.0,
            driver_hours: 8.0,
            paid_hours: 10.0,
            van_stops: 40,
            car_km: 50.0,
            car_trips: 20.0,
            unserved: 0,
            walk_m: 0.0,
        };
        let d = Figures::new("x", VanType::Diesel, t.clone(), &f);
        assert!((d.co2_kg_day() - (100.0 * 0.27 + 50.0 * 0.218)).abs() < 1e-9);
        assert!(
            (d.eur_day() - (10.0 * 19.0 + 100.0 * 0.30 + 2.0 * 25.0 + 50.0 * 0.25)).abs() < 1e-9
        );
        let e = Figures::new("x", VanType::Electric, t, &f);
        assert!(e.van_co2_kg_day < d.van_co2_kg_day);
        assert!((d.eur_per_foyer_year(100) - d.eur_day() * 3.0).abs() < 1e-9);
    }

    #[test]
    fn trips() {
        let h = [(2, 3000.0), (1, 500.0)];
        let (km, trips) = shop_trips(&h, 6.0);
        assert!((trips - 3.0).abs() < 1e-9);
        assert!((km - (2.0 * 6.0 + 1.0)).abs() < 1e-9);
        let (km, trips) = site_trips(&h, 6.0, 800.0, 0.5);
        assert!(
            (trips - 1.0).abs() < 1e-9,
            "only the far foyers drive, half of the time"
        );
        assert!((km - 6.0).abs() < 1e-9);
    }
}
