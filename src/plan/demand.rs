//! The day's demand at each conciergerie, from a seeded model (see [`DemandModel`]):
//!
//! - parcels: each foyer receives a parcel with probability `parcels_per_foyer` (a binomial
//!   draw per site), each of `parcel_litres`;
//! - pooled purchases: `purchases_litres_per_foyer` x foyers, from the depot;
//! - fresh products: `fresh_litres_per_foyer` x foyers, ordered from one of the site's three
//!   nearest producers (drawn), picked up at the farm and brought to the site;
//! - bread: `bread_litres_per_foyer` x foyers, to be there early.
//!
//! Volumes are rounded up to whole litres; a zero volume makes no job.
//!
//! Or from a file ([`read_csv`]), in the format [`to_csv`] writes (`demand.csv` in every plan's
//! folder, so that a planner can start from the model's day and edit it): one line per order,
//! `site_id,site,kind,parcels,litres,producer_id`, where `site_id` is a conciergerie of the plan
//! (as in `sites/sites.csv`), `kind` is `parcels`, `purchases`, `bread` or `fresh`, `parcels`
//! counts the parcels of a `parcels` line, and `producer_id` (OSM id, as in `tournee extract`'s
//! `producers.csv`) says where a `fresh` order is picked up. `site` is for people and not read.

use super::depot::nearest;
use super::settings::{DemandModel, Settings};
use super::stops::Stops;
use crate::io::csv_table::{CsvError, CsvTable, FileError};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What one conciergerie receives on the day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteDemand {
    /// Parcels.
    pub parcels: u32,
    /// Their volume, litres.
    pub parcel_litres: i64,
    /// Pooled purchases, litres.
    pub purchases_litres: i64,
    /// Fresh products: the producer (index in the list given) and the litres, per order.
    pub fresh: Vec<(usize, i64)>,
    /// Bread, litres.
    pub bread_litres: i64,
    /// Fresh products brought from the depot today, litres, when it is not the day's `fresh`
    /// (a week: the orders of the days since the site's last passage, while `fresh` are the
    /// day's pickups at the farms); `None`: the day's `fresh` (the day's plan, in steady state).
    pub fresh_via_depot: Option<i64>,
}

pub use crate::model::ids::stable_key as household_key;

/// The parcels a household of `foyers` foyers receives on the day of `seed`: each foyer one
/// with probability `p`, drawn from the household's own key, so that the day's parcels do not
/// depend on the sites (today's parcel round, the baseline, is the same whatever the grouping).
pub fn household_parcels(key: u64, foyers: i64, p: f64, seed: u64) -> u32 {
    let mut rng = Pcg64Mcg::new((u128::from(seed) << 64) ^ u128::from(key) ^ 0x009a_3ce1);
    let p = p.clamp(0.0, 1.0);
    (0..foyers.max(0))
        .filter(|_| rng.random::<f64>() < p)
        .count() as u32
}

/// Draws the demand of every site: `households[s]` the keys ([`household_key`]) and foyers of
/// site `s`'s households, `near_producers[s]` its nearest producers, nearest first (may be
/// empty).
pub fn model(
    households: &[Vec<(u64, i64)>],
    near_producers: &[Vec<usize>],
    cfg: &DemandModel,
    seed: u64,
) -> Vec<SiteDemand> {
    let mut rng = Pcg64Mcg::new(0xd3a4_11d5_0000_0000_u128 ^ seed as u128);
    let up = |x: f64| x.max(0.0).ceil() as i64;
    households
        .iter()
        .zip(near_producers)
        .map(|(hh, near)| {
            let f: i64 = hh.iter().map(|x| x.1).sum();
            let parcels: u32 = hh
                .iter()
                .map(|&(key, q)| household_parcels(key, q, cfg.parcels_per_foyer, seed))
                .sum();
            let fresh_litres = up(cfg.fresh_litres_per_foyer * f as f64);
            let fresh = (!near.is_empty() && fresh_litres > 0)
                .then(|| {
                    let k = near.len().min(3);
                    (near[rng.random_range(0..k)], fresh_litres)
                })
                .into_iter()
                .collect();
            SiteDemand {
                parcels,
                parcel_litres: up(parcels as f64 * cfg.parcel_litres),
                purchases_litres: up(cfg.purchases_litres_per_foyer * f as f64),
                fresh,
                bread_litres: up(cfg.bread_litres_per_foyer * f as f64),
                fresh_via_depot: None,
            }
        })
        .collect()
}

/// Where the day's orders come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemandInput {
    /// The seeded model of the settings.
    Model,
    /// A file in the format of [`to_csv`].
    File(PathBuf),
}

/// The day's orders, per conciergerie.
#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    /// Per site, in the order of the day's [`Stops`]; producers are indices of the stops'
    /// producers.
    pub per_site: Vec<SiteDemand>,
    /// Where it comes from ("demand model, seed 1" or "from FILE").
    pub source: String,
    /// From the seeded model: each household's parcels are its own draw
    /// ([`household_parcels`]); `false` for a file, which gives the sites' parcels only.
    pub from_model: bool,
    /// Remarks: producers left out of the orders.
    pub notes: Vec<String>,
}

impl Demand {
    /// The day's orders at `stops`: read from the file, or drawn from the model (each site
    /// orders fresh products from one of its three nearest producers a van can reach from the
    /// depot and come back from; the others take no order and are named in the notes).
    pub fn of_day(
        stops: &Stops,
        settings: &Settings,
        input: &DemandInput,
    ) -> Result<Demand, DemandError> {
        let mut notes = Vec::new();
        let usable: Vec<usize> = (0..stops.producers())
            .filter(|&p| stops.reachable[p] && stops.supplies[p])
            .collect();
        let (per_site, source) = match input {
            DemandInput::File(f) => {
                let ids: Vec<String> = stops.site_keys.iter().map(|k| k.0.clone()).collect();
                (
                    read_csv(f, &ids, &stops.producer_ids)?,
                    format!("from {}", f.display()),
                )
            }
            DemandInput::Model => {
                for p in (0..stops.producers()).filter(|&p| !stops.supplies[p]) {
                    notes.push(format!(
                        "producer {} ({}): does not supply on this day (producers file): no order from it today",
                        stops.producer(p).name, stops.producer_ids[p]
                    ));
                }
                for p in (0..stops.producers()).filter(|&p| !stops.reachable[p]) {
                    notes.push(format!(
                        "producer {} ({}): no road for a van leads there from the depot and back (private or cut-off track?): left out of the orders",
                        stops.producer(p).name, stops.producer_ids[p]
                    ));
                }
                let near: Vec<Vec<usize>> = (0..stops.sites())
                    .map(|k| {
                        let s = stops.site(k);
                        let pts = usable.iter().map(|&p| {
                            let q = stops.producer(p);
                            (q.lon, q.lat)
                        });
                        nearest(pts, s.lon, s.lat, 3)
                            .into_iter()
                            .map(|k| usable[k])
                            .collect()
                    })
                    .collect();
                if usable.is_empty() {
                    notes.push(
                        "no producer (farm, farm shop) a van can reach in the extract: no fresh-product pickups".into(),
                    );
                }
                (
                    model(&stops.households, &near, &settings.demand, settings.seed),
                    format!("demand model, seed {}", settings.seed),
                )
            }
        };
        Ok(Demand {
            per_site,
            from_model: matches!(input, DemandInput::Model),
            source,
            notes,
        })
    }

    /// The orders as a file that [`DemandInput::File`] reads back.
    pub fn to_csv(&self, stops: &Stops) -> Vec<u8> {
        to_csv(&self.per_site, &stops.site_keys, &stops.producer_ids)
    }
}

/// Header of a demand file.
pub const CSV_HEADER: [&str; 6] = [
    "site_id",
    "site",
    "kind",
    "parcels",
    "litres",
    "producer_id",
];

/// A demand file that cannot be used.
pub type DemandError = FileError;

/// The demand as a file [`read_csv`] reads back: `sites[s]` is `(site_id, site name)` of site
/// `s`, `producers[p]` the id of producer `p`.
pub fn to_csv(demand: &[SiteDemand], sites: &[(String, String)], producers: &[String]) -> Vec<u8> {
    let mut rows = Vec::new();
    for (d, (id, name)) in demand.iter().zip(sites) {
        let mut row = |kind: &str, parcels: String, litres: i64, producer: &str| {
            rows.push(vec![
                id.clone(),
                name.clone(),
                kind.to_string(),
                parcels,
                litres.to_string(),
                producer.to_string(),
            ])
        };
        if d.parcels > 0 || d.parcel_litres > 0 {
            row("parcels", d.parcels.to_string(), d.parcel_litres, "");
        }
        if d.purchases_litres > 0 {
            row("purchases", String::new(), d.purchases_litres, "");
        }
        if d.bread_litres > 0 {
            row("bread", String::new(), d.bread_litres, "");
        }
        for &(p, l) in &d.fresh {
            row("fresh", String::new(), l, &producers[p]);
        }
    }
    crate::io::files::csv_bytes(&CSV_HEADER, rows)
}

/// Most litres of one order in a demand file (thirty vans of 3,300 L): more is a mistake in the
/// file.
pub const MAX_ORDER_LITRES: i64 = 100_000;
/// Most parcels of one order in a demand file.
pub const MAX_ORDER_PARCELS: i64 = 10_000;

/// Reads a demand file (see the module documentation; read as [`CsvTable`] reads every CSV)
/// for the sites `site_ids` and the producers `producer_ids` of this plan; a site absent from
/// the file receives nothing.
///
/// Errors name the file and the line: an unknown site or producer, an unknown kind, a
/// negative or non-whole number, a kind given twice for one site (a `fresh` order twice from
/// the same producer).
pub fn read_csv(
    path: &Path,
    site_ids: &[String],
    producer_ids: &[String],
) -> Result<Vec<SiteDemand>, DemandError> {
    let fail = |line: u64, problem: String| FileError::line(path, line, problem);
    let from_csv = |e: CsvError| FileError::from_csv("demand file", path, e);
    let mut table = CsvTable::open(path).map_err(from_csv)?;
    let need = |name: &'static str| {
        table.column(&[name]).ok_or_else(|| {
            fail(
                1,
                format!(
                    "no `{name}` column; the header must be {} (a plan writes one in demand.csv)",
                    CSV_HEADER.join(",")
                ),
            )
        })
    };
    let (c_site, c_kind, c_litres) = (need("site_id")?, need("kind")?, need("litres")?);
    let (c_parcels, c_producer) = (table.column(&["parcels"]), table.column(&["producer_id"]));
    let site_ix: HashMap<&str, usize> = site_ids
        .iter()
        .enumerate()
        .map(|(k, s)| (s.as_str(), k))
        .collect();
    let producer_ix: HashMap<&str, usize> = producer_ids
        .iter()
        .enumerate()
        .map(|(k, s)| (s.as_str(), k))
        .collect();
    let mut out = vec![SiteDemand::default(); site_ids.len()];
    let mut seen: HashMap<(usize, String), u64> = HashMap::new();
    while let Some((record, line)) = table.next_record().map_err(from_csv)? {
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let site = cell(Some(c_site));
        let &s = site_ix.get(site).ok_or_else(|| {
            fail(line, format!("site {site:?} is not a conciergerie of this plan (sites/sites.csv lists them); with another seed or other sizes the sites change: plan with the settings the file was made for"))
        })?;
        let whole = |c: Option<usize>, what: &str, most: i64| -> Result<i64, DemandError> {
            let v = cell(c);
            if v.is_empty() {
                return Ok(0);
            }
            v.parse::<i64>()
                .ok()
                .filter(|&x| (0..=most).contains(&x))
                .ok_or_else(|| {
                    fail(
                        line,
                        format!("{what} {v:?} must be a whole number from 0 to {most} (one site's order of the day)"),
                    )
                })
        };
        let litres = whole(Some(c_litres), "litres", MAX_ORDER_LITRES)?;
        let kind = cell(Some(c_kind)).to_ascii_lowercase();
        let key = match kind.as_str() {
            "fresh" => format!("fresh from {}", cell(c_producer)),
            k => k.to_string(),
        };
        if let Some(first) = seen.insert((s, key.clone()), line) {
            return Err(fail(line, format!("site {site} already has its {key} order on line {first}; write one line per site and kind (add the litres up)")));
        }
        let d = &mut out[s];
        match kind.as_str() {
            "parcels" => {
                d.parcels = whole(c_parcels, "parcels", MAX_ORDER_PARCELS)? as u32;
                d.parcel_litres = litres;
            }
            "purchases" => d.purchases_litres = litres,
            "bread" => d.bread_litres = litres,
            "fresh" => {
                let p = cell(c_producer);
                let &k = producer_ix.get(p).ok_or_else(|| {
                    fail(line, if p.is_empty() {
                        "a fresh order needs its producer_id (the farm it is picked up at, as in producers.csv of `tournee extract`)".to_string()
                    } else {
                        format!("producer {p:?} is not a producer of this extract (`tournee extract` lists them in producers.csv)")
                    })
                })?;
                if litres > 0 {
                    d.fresh.push((k, litres));
                }
            }
            other => {
                return Err(fail(
                    line,
                    format!("kind {other:?} is not one of parcels, purchases, bread, fresh"),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sites of one household each, of these foyers.
    fn sites(foyers: &[i64]) -> Vec<Vec<(u64, i64)>> {
        foyers
            .iter()
            .enumerate()
            .map(|(k, &f)| vec![(household_key(&format!("h{k}")), f)])
            .collect()
    }

    #[test]
    fn the_days_parcels_do_not_depend_on_the_sites() {
        // 60 households of 1 to 3 foyers, grouped in two ways: each gets the same parcels.
        let hh: Vec<(u64, i64)> = (0..60)
            .map(|k| (household_key(&format!("way/{k}")), 1 + k % 3))
            .collect();
        let cfg = DemandModel::default();
        let by = |groups: Vec<Vec<(u64, i64)>>| -> u32 {
            let near = vec![vec![]; groups.len()];
            model(&groups, &near, &cfg, 9)
                .iter()
                .map(|d| d.parcels)
                .sum()
        };
        let three = by(hh.chunks(20).map(|c| c.to_vec()).collect());
        let odd_even = by(vec![
            hh.iter().step_by(2).copied().collect(),
            hh.iter().skip(1).step_by(2).copied().collect(),
        ]);
        assert_eq!(three, odd_even);
        assert!(three > 0);
        // Another day (seed), other parcels.
        let near = vec![vec![]];
        let a: Vec<u32> = (1..20)
            .map(|seed| model(std::slice::from_ref(&hh), &near, &cfg, seed)[0].parcels)
            .collect();
        assert!(a.iter().any(|&x| x != a[0]), "{a:?}");
    }

    #[test]
    fn volumes_follow_the_foyers_and_the_seed() {
        let cfg = DemandModel::default();
        let foyers = sites(&[50, 40, 0]);
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
        assert!(matches!(a[0].fresh[..], [(p, 25)] if [2, 0, 1].contains(&p)));
        assert_eq!(a[1].fresh, vec![], "no producer near");
        assert_eq!(
            a[2],
            SiteDemand {
                parcels: 0,
                parcel_litres: 0,
                purchases_litres: 0,
                fresh: vec![],
                bread_litres: 0,
                fresh_via_depot: None,
            }
        );
        // Over many foyers the parcel rate is close to the configured one.
        let many: Vec<Vec<(u64, i64)>> = (0..400)
            .map(|s| {
                (0..50)
                    .map(|k| (household_key(&format!("{s}-{k}")), 1))
                    .collect()
            })
            .collect();
        let near = vec![vec![]; 400];
        let total: u32 = model(&many, &near, &cfg, 3).iter().map(|d| d.parcels).sum();
        let rate = total as f64 / 20_000.0;
        assert!((rate - cfg.parcels_per_foyer).abs() < 0.01, "{rate}");
    }

    #[test]
    fn file_round_trip_and_errors_name_the_line() {
        let cfg = DemandModel::default();
        let near = vec![vec![1, 0], vec![0], vec![]];
        let a = model(&sites(&[50, 40, 30]), &near, &cfg, 5);
        let sites: Vec<(String, String)> = ["way/1", "way/2", "node/3"]
            .iter()
            .map(|s| (s.to_string(), format!("Conciergerie {s}")))
            .collect();
        let ids: Vec<String> = sites.iter().map(|s| s.0.clone()).collect();
        let producers = vec!["node/10".to_string(), "way/11".to_string()];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demand.csv");
        std::fs::write(&path, to_csv(&a, &sites, &producers)).unwrap();
        assert_eq!(read_csv(&path, &ids, &producers).unwrap(), a);

        let bad = |text: &str| {
            std::fs::write(&path, text).unwrap();
            read_csv(&path, &ids, &producers).unwrap_err().to_string()
        };
        let head = "site_id,site,kind,parcels,litres,producer_id\n";
        let e = bad(&format!("{head}way/1,,bread,,5,\n\nway/9,,bread,,5,\n"));
        assert!(e.contains("line 4") && e.contains("way/9"), "{e}");
        let e = bad(&format!("{head}way/1,,bread,,5,\nway/1,,bread,,6,\n"));
        assert!(e.contains("line 3") && e.contains("line 2"), "{e}");
        let e = bad(&format!("{head}way/1,,fresh,,5,node/99\n"));
        assert!(e.contains("node/99"), "{e}");
        let e = bad(&format!("{head}way/1,,bread,,-5,\n"));
        assert!(e.contains("whole number"), "{e}");
        // Beyond an order's range (parcels were cut to 32 bits before).
        let e = bad(&format!("{head}way/1,,bread,,100001,\n"));
        assert!(
            e.contains("line 2") && e.contains("from 0 to 100000"),
            "{e}"
        );
        let e = bad(&format!("{head}way/1,,parcels,4294967297,12,\n"));
        assert!(
            e.contains("parcels \"4294967297\" must be a whole number from 0 to 10000"),
            "{e}"
        );
        let e = bad(&format!("{head}way/1,,milk,,5,\n"));
        assert!(e.contains("milk"), "{e}");
        let e = bad("site,kind\n");
        assert!(e.contains("site_id"), "{e}");
        assert!(matches!(
            read_csv(&dir.path().join("none.csv"), &ids, &producers),
            Err(DemandError::Read { .. })
        ));
    }
}
