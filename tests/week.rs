//! Issue 16, the week: passages per site, days chosen together, accumulation between passages,
//! reloads; checked on the small real extract against rules recomputed here.

mod common;

use common::data;
use tournee::plan::settings::Settings;
use tournee::plan::week::{patterns, week, Totals};
use tournee::plan::{DemandInput, Quiet, Territory};
use tournee::routing::check::check;

/// Sant Julià de Lòria (10 sites), a small siting budget, a week of `days` from a Monday.
fn small(extra: &str) -> (Territory, Settings) {
    let settings = Settings::from_toml(
        &format!("date = \"2026-12-07\"\n[sites]\nkicks = 3\nsensitivity_sizes = [50]\n{extra}"),
        "week.toml",
        &[],
    )
    .unwrap();
    let path = data("sant-julia-de-loria.osm.pbf");
    (Territory::read(&path, &settings, &Quiet).unwrap(), settings)
}

/// The gaps between the passages of `p` round a horizon of `d` days.
fn gaps(p: u8, d: usize) -> Vec<usize> {
    let on: Vec<usize> = patterns::days(p).collect();
    (0..on.len())
        .map(|i| {
            if i + 1 < on.len() {
                on[i + 1] - on[i]
            } else {
                d - on[i] + on[0]
            }
        })
        .collect()
}

#[test]
fn passages_are_spread_and_every_order_arrives_once() {
    let (t, settings) = small("[week]\ndays = 6\npassages_per_week = 2\nstorage_litres = 100000\n");
    let w = week(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    assert_eq!(w.days.len(), 6);
    assert_eq!(w.days[0].date.weekday(), 0, "starts on the Monday given");
    let n = w.plan.stops.sites();
    for s in 0..n {
        let p = w.patterns[s];
        assert_eq!(p.count_ones(), 2, "two passages");
        // A site with 2 passages in 6 days gets them 3 days apart, round the week.
        assert_eq!(gaps(p, 6), vec![3, 3], "site {s}: {p:b}");
        for (d, day) in w.days.iter().enumerate() {
            assert_eq!(day.served.contains(&s), p & (1 << d) != 0);
        }
    }
    // Every day's orders add up to the week's: what a passage brings is what came since the
    // last one (recomputed from the daily model here), and bread only on passage days.
    for s in 0..n {
        let delivered: u32 = w.days.iter().map(|d| d.demand.per_site[s].parcels).sum();
        let ordered: u32 = (0..6)
            .map(|d| {
                let day = Settings {
                    seed: settings.seed + d,
                    ..settings.clone()
                };
                tournee::plan::Demand::of_day(&w.plan.stops, &day, &DemandInput::Model)
                    .unwrap()
                    .per_site[s]
                    .parcels
            })
            .sum();
        assert_eq!(
            delivered, ordered,
            "site {s}: every parcel of the week, once"
        );
        for (d, day) in w.days.iter().enumerate() {
            if w.patterns[s] & (1 << d) == 0 {
                let o = &day.demand.per_site[s];
                assert_eq!((o.parcels, o.bread_litres, o.purchases_litres), (0, 0, 0));
            }
        }
    }
    // Every day's rounds pass the independent checker, and the week costs no more than the
    // day-by-day baseline.
    for day in &w.days {
        for r in &day.rounds.regions {
            check(&r.problem, &r.solution).expect("checked rounds");
        }
    }
    assert!(Totals::sum(&w.totals).eur <= Totals::sum(&w.baseline).eur);
    assert!(w.totals.iter().all(|t| t.unserved == 0));
}

#[test]
fn storage_raises_the_passages_and_says_so() {
    // 20 L of storage cannot hold a week of a site's orders in one passage.
    let (t, settings) = small("[week]\ndays = 5\npassages_per_week = 1\nstorage_litres = 200\n");
    let w = week(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    assert!(w.passages.iter().any(|&k| k > 1), "{:?}", w.passages);
    assert!(
        w.notes
            .iter()
            .any(|n| n.contains("do not fit its storage (200 L)")),
        "{:?}",
        w.notes
    );
    for s in 0..w.plan.stops.sites() {
        assert_eq!(w.patterns[s].count_ones(), w.passages[s]);
    }
}

#[test]
fn a_sites_file_sets_its_days() {
    let (t, mut settings) = small("[week]\ndays = 6\n");
    // The first plan's sites, with days for the first site.
    let first = tournee::plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sites.csv");
    let id = &first.stops.site_keys[0].0;
    std::fs::write(&file, format!("site_id,days\n{id},\"tue,fri\"\n")).unwrap();
    settings.sites_file = Some(file);
    let w = week(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    let s = w
        .plan
        .stops
        .site_keys
        .iter()
        .position(|k| &k.0 == id)
        .expect("the site is still open");
    assert_eq!(
        w.patterns[s], 0b010010,
        "Tuesday and Friday of a week from Monday"
    );
    assert_eq!(w.passages[s], 2);
}
