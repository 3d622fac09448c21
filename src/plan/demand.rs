//! The day's demand at each conciergerie, from a seeded model (see [`DemandConfig`]):
//!
//! - parcels: each foyer receives a parcel with probability `parcels_per_foyer` (a binomial
//!   draw per site), each of `parcel_litres`;
//! - pooled purchases: `purchases_litres_per_foyer` x foyers, from the depot;
//! - fresh products: `fresh_litres_per_foyer` x foyers, ordered from one of the site's three
//!   nearest producers (drawn), picked up at the farm and brought to the site;
//! - bread: `bread_litres_per_foyer` x foyers, to be there early.
//!
//! Volumes are rounded up to whole litres; a zero volume makes no job.

use super::config::DemandConfig;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// What one conciergerie receives on the day.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteDemand {
    /// Parcels.
    pub parcels: u32,
    /// Their volume, litres.
    pub parcel_litres: i64,
    /// Pooled purchases, litres.
    pub purchases_litres: i64,
    /// Fresh products: the producer (index in the list given) and the litres.
    pub fresh: Option<(usize, i64)>,
    /// Bread, litres.
    pub bread_litres: i64,
}

/// Draws the demand of every site: `foyers[s]` foyers at site `s`, `near_producers[s]` its
/// nearest producers, nearest first (may be empty).
pub fn model(
    foyers: &[i64],
    near_producers: &[Vec<usize>],
    cfg: &DemandConfig,
    seed: u64,
) -> Vec<SiteDemand> {
    let mut rng = Pcg64Mcg::new(0xd3a4_11d5_0000_0000_u128 ^ seed as u128);
    let up = |x: f64| x.max(0.0).ceil() as i64;
    foyers
        .iter()
        .zip(near_producers)
        .map(|(&f, near)| {
            let p = cfg.parcels_per_foyer.clamp(0.0, 1.0);
            let parcels = (0..f.max(0)).filter(|_| rng.random::<f64>() < p).count() as u32;
            let fresh_litres = up(cfg.fresh_litres_per_foyer * f as f64);
            let fresh = (!near.is_empty() && fresh_litres > 0).then(|| {
                let k = near.len().min(3);
                (near[rng.random_range(0..k)], fresh_litres)
            });
            SiteDemand {
                parcels,
                parcel_litres: up(parcels as f64 * cfg.parcel_litres),
                purchases_litres: up(cfg.purchases_litres_per_foyer * f as f64),
                fresh,
                bread_litres: up(cfg.bread_litres_per_foyer * f as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_follow_the_foyers_and_the_seed() {
        let cfg = DemandConfig::default();
        let foyers = vec![50, 40, 0];
        let near = vec![vec![2, 0, 1], vec![], vec![1]];
        let a = model(&foyers, &near, &cfg, 7);
        assert_eq!(a, model(&foyers, &near, &cfg, 7));
        assert_eq!(a[0].purchases_litres, 50);
        assert_eq!(a[0].bread_litres, 15);
        assert!(a[0].parcels <= 50);
        assert_eq!(
            a[0].parcel_litres,
            (a[0].parcels as f64 * 12.0).ceil() as i64
        );
        assert!(matches!(a[0].fresh, Some((p, 25)) if [2, 0, 1].contains(&p)));
        assert_eq!(a[1].fresh, None, "no producer near");
        assert_eq!(
            a[2],
            SiteDemand {
                parcels: 0,
                parcel_litres: 0,
                purchases_litres: 0,
                fresh: None,
                bread_litres: 0
            }
        );
        // Over many sites the parcel rate is close to the configured one.
        let many = vec![50; 400];
        let near = vec![vec![]; 400];
        let total: u32 = model(&many, &near, &cfg, 3).iter().map(|d| d.parcels).sum();
        let rate = total as f64 / 20_000.0;
        assert!((rate - cfg.parcels_per_foyer).abs() < 0.01, "{rate}");
    }
}
