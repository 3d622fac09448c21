//! Who pays for the conciergeries, per year ([`Payers::of`]):
//!
//! - the **operator** runs the vans (drivers, vans per km and per day, as in [`Figures`]) and
//!   pays each site `funding.site_eur_per_month` (the host's allowance or a locker's rent);
//! - the **collectivity** pays `funding.collectivity_share` of the operator's cost;
//! - the **households who subscribe** (`funding.participation` of the foyers) pay the rest, each
//!   `funding.subscription_eur_per_foyer_per_month` when given, else the price that balances
//!   the budget; what is left unpaid is the operator's deficit (negative: a surplus);
//! - the **households' own travel** (their car trips) stays theirs, today and with the service.
//!
//! The rounds are sized for every foyer, so the operator's cost does not depend on the
//! participation. The **break-even participation** is the share of foyers for which a
//! subscriber's balanced subscription equals what the service saves that foyer in car costs:
//! `(cost - collectivity) / (12 x foyers x p) = saving per foyer per month`, so
//! `p = (cost - collectivity) / (yearly car saving of all foyers)`; above 1, the service never
//! pays for its subscribers at this collectivity share.
//!
//! Jobs: the drivers' extra hours against today, in full-time equivalents of 1,607 hours a year
//! (the French legal working year).

use super::Figures;
use crate::plan::settings::Funding;
use serde::Serialize;

/// Hours a year of a full-time job in France (35 h a week, less leave and holidays).
pub const FTE_HOURS: f64 = 1_607.0;

/// The participations of the sensitivity table.
pub const PARTICIPATIONS: [f64; 3] = [0.3, 0.6, 1.0];

/// The year's money, per payer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Payers {
    /// What the operator spends: vans, drivers and sites, EUR a year.
    pub operator_cost: f64,
    /// Of which the sites (hosts' allowances, lockers' rents).
    pub sites_cost: f64,
    /// What the collectivity pays.
    pub collectivity: f64,
    /// What the subscribers pay in all.
    pub subscriptions: f64,
    /// The subscription per subscriber per month.
    pub subscription_eur_per_month: f64,
    /// Whether the subscription was derived to balance the budget (else given).
    pub balanced: bool,
    /// Cost left to the operator (negative: a surplus).
    pub deficit: f64,
    /// Households' own car costs with the service, EUR a year.
    pub households_travel: f64,
    /// What the service saves the households in car costs against today, EUR a year.
    pub households_saving: f64,
    /// Share of foyers who subscribe.
    pub participation: f64,
    /// Share of foyers at which a subscriber's balanced price equals their saving.
    pub break_even_participation: f64,
    /// Driver hours a year more than today, in full-time jobs.
    pub jobs_fte: f64,
    /// For each participation of [`PARTICIPATIONS`], the balanced subscription per month.
    pub by_participation: Vec<(f64, f64)>,
}

impl Payers {
    /// The payers of `with` (the conciergeries) against `today`, for `foyers` foyers and
    /// `sites` sites.
    pub fn of(today: &Figures, with: &Figures, foyers: i64, sites: usize, f: &Funding) -> Payers {
        let days = with.days_per_year;
        let sites_cost = sites as f64 * f.site_eur_per_month * 12.0;
        let operator_cost = (with.driver_eur_day + with.van_eur_day) * days + sites_cost;
        let collectivity = f.collectivity_share * operator_cost;
        let rest = operator_cost - collectivity;
        let members = |p: f64| foyers.max(1) as f64 * p * 12.0;
        let balanced = f.subscription_eur_per_foyer_per_month <= 0.0;
        let subscription = if balanced {
            rest / members(f.participation)
        } else {
            f.subscription_eur_per_foyer_per_month
        };
        let subscriptions = subscription * members(f.participation);
        let saving = (today.car_eur_day - with.car_eur_day) * days;
        Payers {
            operator_cost,
            sites_cost,
            collectivity,
            subscriptions,
            subscription_eur_per_month: subscription,
            balanced,
            deficit: operator_cost - collectivity - subscriptions,
            households_travel: with.car_eur_day * days,
            households_saving: saving,
            participation: f.participation,
            break_even_participation: if saving > 0.0 {
                rest / saving
            } else {
                f64::INFINITY
            },
            jobs_fte: (with.travel.paid_hours - today.travel.paid_hours) * days / FTE_HOURS,
            by_participation: PARTICIPATIONS
                .iter()
                .map(|&p| (p, rest / members(p)))
                .collect(),
        }
    }

    /// A subscriber's car saving per month, EUR.
    pub fn saving_per_foyer_month(&self, foyers: i64) -> f64 {
        self.households_saving / (foyers.max(1) as f64 * 12.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::scenario::Travel;
    use crate::plan::settings::{Factors, VanType};

    fn fig(van_km: f64, hours: f64, car_km: f64, vans: usize) -> Figures {
        let t = Travel {
            vans,
            van_km,
            driver_hours: hours,
            paid_hours: hours,
            van_stops: 10,
            car_km,
            car_trips: car_km / 5.0,
            unserved: 0,
            walk_m: 0.0,
        };
        Figures::new("x", VanType::Diesel, t, &Factors::default())
    }

    #[test]
    fn the_payers_cover_the_cost_and_the_break_even_solves_its_equation() {
        let (today, with) = (fig(100.0, 8.0, 3000.0, 1), fig(300.0, 30.0, 400.0, 4));
        let foyers = 2000;
        let f = Funding::default();
        let p = Payers::of(&today, &with, foyers, 40, &f);
        // Balanced: the collectivity and the subscribers pay exactly the operator's cost.
        assert!(p.balanced);
        assert!((p.collectivity + p.subscriptions - p.operator_cost).abs() < 1e-6);
        assert!(p.deficit.abs() < 1e-6);
        assert!((p.sites_cost - 40.0 * 50.0 * 12.0).abs() < 1e-9);
        // At the break-even participation, the balanced subscription equals the saving.
        let b = p.break_even_participation;
        assert!(b > 0.0 && b.is_finite());
        let at_b = Payers::of(
            &today,
            &with,
            foyers,
            40,
            &Funding {
                participation: b.min(1.0),
                ..f.clone()
            },
        );
        if b <= 1.0 {
            let diff = at_b.subscription_eur_per_month - p.saving_per_foyer_month(foyers);
            assert!(diff.abs() < 1e-6, "{diff}");
        }
        // More members, a lower price.
        let prices: Vec<f64> = p.by_participation.iter().map(|x| x.1).collect();
        assert!(prices.windows(2).all(|w| w[0] > w[1]));
        // A given price leaves a deficit (or surplus) that closes the budget.
        let given = Payers::of(
            &today,
            &with,
            foyers,
            40,
            &Funding {
                subscription_eur_per_foyer_per_month: 2.0,
                ..f
            },
        );
        assert!(!given.balanced);
        let total = given.collectivity + given.subscriptions + given.deficit;
        assert!((total - given.operator_cost).abs() < 1e-6);
        assert!((given.jobs_fte - 22.0 * 300.0 / FTE_HOURS).abs() < 1e-9);
    }
}
