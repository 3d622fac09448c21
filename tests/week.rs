//! Issue 16, the week: passages per site, days chosen together, accumulation between passages,
//! reloads; checked on the small real extract against rules recomputed here.

mod common;

use common::data;
use tournee::plan::settings::Settings;
use tournee::plan::week::producers::ProducersFile;
use tournee::plan::week::{patterns, week, Totals, Week};
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
    let w = week(&t, &settings, &DemandInput::Model, None, &Quiet).unwrap();
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
    // Every day's rounds pass the independent checkers, and the week costs no more than the
    // day-by-day baseline.
    checked(&w, &settings, None);
    assert!(Totals::sum(&w.totals).eur <= Totals::sum(&w.baseline).eur);
    assert!(w.totals.iter().all(|t| t.unserved == 0));
    // The year comes from the week's mean day: its van km are the week's over its days.
    let week_km = Totals::sum(&w.totals).km;
    assert!((w.year.travel.van_km * 6.0 - week_km).abs() < 0.01 * week_km.max(1.0));
    assert_eq!(w.year.days_per_year, settings.factors.days_per_year);
}

#[test]
fn storage_raises_the_passages_and_says_so() {
    // 20 L of storage cannot hold a week of a site's orders in one passage.
    let (t, settings) = small("[week]\ndays = 5\npassages_per_week = 1\nstorage_litres = 200\n");
    let w = week(&t, &settings, &DemandInput::Model, None, &Quiet).unwrap();
    assert!(w.passages.iter().any(|&k| k > 1), "{:?}", w.passages);
    assert!(
        w.notes
            .iter()
            .any(|n| n.contains("ne tiennent pas dans son stockage (200 L)")),
        "{:?}",
        w.notes
    );
    for s in 0..w.plan.stops.sites() {
        assert_eq!(w.patterns[s].count_ones(), w.passages[s]);
    }
    checked(&w, &settings, None);
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
    let w = week(&t, &settings, &DemandInput::Model, None, &Quiet).unwrap();
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
    checked(&w, &settings, None);
}

/// Every week a test plans passes the independent week checker, and every day's rounds the
/// routing checker.
fn checked(w: &Week, settings: &Settings, producers: Option<&ProducersFile>) {
    let problems = tournee::plan::week::check::check(w, settings, producers);
    assert!(problems.is_empty(), "{problems:#?}");
    for day in &w.days {
        for r in &day.rounds.regions {
            check(&r.problem, &r.solution).expect("checked rounds");
        }
    }
}

/// The ids of the first plan's sites (a sites file names them).
fn site_ids(t: &Territory, settings: &Settings) -> Vec<String> {
    let first = tournee::plan::plan(t, settings, &DemandInput::Model, &Quiet).unwrap();
    first.stops.site_keys.iter().map(|k| k.0.clone()).collect()
}

fn producer_ids(t: &Territory) -> Vec<String> {
    t.producer_ids()
}

#[test]
fn a_producer_hands_over_only_on_its_days() {
    let (t, settings) = small("[week]\ndays = 6\npassages_per_week = 2\n");
    let ids = producer_ids(&t);
    assert!(!ids.is_empty(), "the extract has farms");
    // Every producer supplies on Tuesday only (mardi, in French), a day after the order.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("producers.csv");
    let mut text = String::from("producer_id,name,days,lead_days\n");
    for id in &ids {
        text.push_str(&format!("{id},Ferme,mar,1\n"));
    }
    std::fs::write(&file, text).unwrap();
    let pf = ProducersFile::read(&file, &ids).unwrap();
    let w = week(&t, &settings, &DemandInput::Model, Some(&pf), &Quiet).unwrap();
    checked(&w, &settings, Some(&pf));
    let stops = &w.plan.stops;
    let farms_from = stops.depots + stops.sites();
    let mut at_farms = 0;
    for (d, day) in w.days.iter().enumerate() {
        for (region, route) in day.rounds.routes() {
            for step in route.steps.iter().filter(|s| s.visit.is_some()) {
                if region.locs[step.location.unwrap().ix()] >= farms_from {
                    assert_eq!(d, 1, "a farm visited on day {d}, not on its Tuesday");
                    at_farms += 1;
                }
            }
        }
    }
    assert!(at_farms > 0, "the Tuesday pickups are made");
    // A crate picked up waits for its site's next passage, not for tomorrow.
    for r in &w.days[1].rounds.regions {
        for job in r.problem.jobs.iter().filter(|j| j.id.contains("from ")) {
            assert!(
                job.id.ends_with(tournee::plan::rounds::NEXT_PASSAGE),
                "{}",
                job.id
            );
        }
    }
    // Recomputed here: every fresh order of the week is picked up on Tuesday and, through the
    // depot, reaches its site at the site's first passage after Tuesday.
    for s in 0..stops.sites() {
        let ordered: i64 = w
            .orders
            .iter()
            .flat_map(|o| o.per_site[s].fresh.iter().map(|f| f.1))
            .sum();
        let picked: i64 = w.days[1].demand.per_site[s].fresh.iter().map(|f| f.1).sum();
        assert_eq!(
            picked, ordered,
            "site {s}: the week's fresh orders, on Tuesday"
        );
        let first_after = (2..8)
            .find(|&d| w.patterns[s] & (1 << (d % 6)) != 0)
            .unwrap()
            % 6;
        for (d, day) in w.days.iter().enumerate() {
            let brought = day.demand.per_site[s].fresh_via_depot.unwrap_or(0);
            let expected = if d == first_after { ordered } else { 0 };
            assert_eq!(brought, expected, "site {s}, day {d}");
        }
    }
}

#[test]
fn a_locker_never_holds_more_parcels_than_its_boxes() {
    let (t, mut settings) = small("[week]\ndays = 6\npassages_per_week = 2\n");
    let ids = site_ids(&t, &settings);
    // Three lockers far too small for their orders; the other sites are staffed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sites.csv");
    let mut text = String::from("site_id,boxes_s,boxes_m,boxes_l\n");
    for id in &ids[..3] {
        text.push_str(&format!("{id},3,2,1\n"));
    }
    std::fs::write(&file, text).unwrap();
    settings.sites_file = Some(file);
    let w = week(&t, &settings, &DemandInput::Model, None, &Quiet).unwrap();
    checked(&w, &settings, None);
    assert_eq!(w.lockers.len(), 3);
    for lk in &w.lockers {
        // No staff: open all day, named a locker on the driver's sheet.
        let host = w.plan.stops.host(lk.site).expect("a locker's host line");
        let (open, close) = host.hours.unwrap();
        assert_eq!((open.seconds(), close.seconds()), (0, 24 * 3600 - 60));
        assert!(w.plan.stops.site_keys[lk.site].1.contains("consigne"));
    }
    let collect = settings.lockers.collect_days as usize;
    let mut overflow = 0;
    for lk in &w.lockers {
        assert!(lk.steady);
        for d in 0..6 {
            // Recomputed here: what was put in within the last `collect` days, against the
            // boxes of its size or larger.
            let mut present = [0u32; 3];
            for back in 0..collect {
                let from = (d + 6 - back) % 6;
                for (x, &placed) in present.iter_mut().zip(&lk.placed[from]) {
                    *x += placed;
                }
            }
            assert!(present[2] <= 1, "{present:?}");
            assert!(present[1] + present[2] <= 3, "{present:?}");
            assert!(present.iter().sum::<u32>() <= 6, "{present:?}");
            assert!(lk.taken[d].iter().sum::<u32>() <= 6);
        }
        overflow += lk.waiting.iter().sum::<u32>() + lk.diverted.iter().sum::<u32>();
    }
    assert!(overflow > 0, "lockers that small overflow");
    // The checker can fail: a locker overfilled, a site served off its days, a parcel lost.
    let problems = |w: &Week| tournee::plan::week::check::check(w, &settings, None);
    let mut bad = w.clone();
    bad.lockers[0].placed[0][2] += 2;
    assert!(problems(&bad).iter().any(|p| p.contains("do not fit")));
    let mut bad = w.clone();
    bad.patterns[5] ^= 1 << bad.patterns[5].trailing_zeros();
    assert!(problems(&bad).iter().any(|p| p.contains("passages for")));
    let mut bad = w.clone();
    let (d, s) = (0..6)
        .flat_map(|d| (0..bad.plan.stops.sites()).map(move |s| (d, s)))
        .find(|&(d, s)| bad.days[d].demand.per_site[s].parcels > 0)
        .unwrap();
    bad.days[d].demand.per_site[s].parcels -= 1;
    assert!(problems(&bad).iter().any(|p| p.contains("parcels ordered")));
    assert!(
        w.notes
            .iter()
            .any(|n| n.contains("casier") && n.contains("vont à")),
        "{:?}",
        w.notes
    );
}

#[test]
fn a_locker_with_no_staffed_site_within_reach_lists_what_it_cannot_take() {
    let (t, mut settings) =
        small("[week]\ndays = 5\npassages_per_week = 1\n[lockers]\ndivert_km = 0\n");
    let ids = site_ids(&t, &settings);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sites.csv");
    std::fs::write(
        &file,
        format!("site_id,casiers_s,casiers_m,casiers_l\n{},1,1,0\n", ids[0]),
    )
    .unwrap();
    settings.sites_file = Some(file);
    let w = week(&t, &settings, &DemandInput::Model, None, &Quiet).unwrap();
    checked(&w, &settings, None);
    assert!(!w.unserved.is_empty(), "{:?} {:?}", w.lockers, w.notes);
    for u in &w.unserved {
        assert_eq!(stops_id(&w, u.site), ids[0]);
        assert!(
            u.reason.contains("aucun site tenu à moins de 0 km") || u.reason.contains("pain"),
            "{}",
            u.reason
        );
    }
}

fn stops_id(w: &Week, s: usize) -> String {
    w.plan.stops.site_keys[s].0.clone()
}

#[test]
fn bad_week_input_names_the_line_and_what_to_change() {
    let (t, mut settings) = small("[week]\ndays = 6\n");
    let dir = tempfile::tempdir().unwrap();
    // A producer supplying on Sunday only, in a week from Monday to Saturday.
    let ids = producer_ids(&t);
    let file = dir.path().join("producers.csv");
    std::fs::write(&file, format!("producer_id,days\n{},dim\n", ids[0])).unwrap();
    let pf = ProducersFile::read(&file, &ids).unwrap();
    let refused = |settings: &Settings, pf: Option<&ProducersFile>| {
        week(&t, settings, &DemandInput::Model, pf, &Quiet)
            .unwrap_err()
            .to_string()
    };
    let e = refused(&settings, Some(&pf));
    assert!(
        e.contains("line 2") && e.contains("sun") && e.contains("--days"),
        "{e}"
    );
    // An unknown producer, a lead time out of range.
    std::fs::write(&file, "producer_id,days\nnode/1,mar\n").unwrap();
    let e = ProducersFile::read(&file, &ids).unwrap_err().to_string();
    assert!(e.contains("line 2") && e.contains("not a producer"), "{e}");
    std::fs::write(&file, format!("producer_id,lead_days\n{},9\n", ids[0])).unwrap();
    let e = ProducersFile::read(&file, &ids).unwrap_err().to_string();
    assert!(e.contains("line 2") && e.contains("0 to 6"), "{e}");
    // A frequency no pattern of 4 days satisfies.
    settings.week.days = 4;
    let sites = dir.path().join("sites.csv");
    std::fs::write(&sites, "site_id,passages_per_week\nanything,5\n").unwrap();
    settings.sites_file = Some(sites.clone());
    let e = refused(&settings, None);
    assert!(
        e.contains("line 2") && e.contains("5 passages") && e.contains("--days"),
        "{e}"
    );
    // A locker without a box.
    std::fs::write(&sites, "site_id,boxes_s,boxes_m\nanything,0,0\n").unwrap();
    let e = refused(&settings, None);
    assert!(e.contains("line 2") && e.contains("without a box"), "{e}");
    // Parcels larger than a locker's large box: nothing to refuse without a locker.
    assert!(Settings::from_toml("[demand]\nparcel_litres = 100\n", "week.toml", &[]).is_ok());
    // Boxes smaller than a parcel: refused where there is a locker, with its line (issue 32:
    // every plan was refused, even one without lockers).
    let small_boxes = "[lockers]\nlarge_litres = 5\nmedium_litres = 4\nsmall_litres = 3\n";
    let mut settings = Settings {
        sites_file: Some(sites.clone()),
        ..Settings::from_toml(small_boxes, "week.toml", &[]).unwrap()
    };
    settings.week.days = 4;
    std::fs::write(&sites, "site_id,boxes_s\nstaffed,\nlocker,3\n").unwrap();
    let e = refused(&settings, None);
    assert!(
        e.contains("line 3: site locker is a locker")
            && e.contains("lockers.large_litres = 5 L")
            && e.contains("smaller than a parcel"),
        "{e}"
    );
}
