//! The plan's stages called as a library (no binary): siting a tiny territory, rounds for a
//! given demand, settings with several mistakes, and the whole plan with its files.

mod common;

use common::data;
use tournee::model::LonLat;
use tournee::osm::{FoyersRule, Household, OsmExtract, OsmRef, OsmWay, Tags};
use tournee::plan::demand::SiteDemand;
use tournee::plan::settings::{Flag, Settings, SettingsError};
use tournee::plan::siting::{site, DistanceKind, SitingOptions};
use tournee::plan::{self, depot, Demand, DemandInput, Quiet, Rounds, Stops, Territory};
use tournee::routing::check::check;

/// A village of 24 houses on a 4 x 4 street grid (about 320 m a side) near lon 2.00, lat
/// 45.00; a motorway loop east to 2.9 km away, with one house at its far end (walkers may not
/// use a motorway, so only a car reaches it); and one house 5.5 km north of every road.
fn village() -> OsmExtract {
    village_with(false)
}

/// The village, with a country road up to the lone house 5.5 km north when `north`.
fn village_with(north: bool) -> OsmExtract {
    let (dlon, dlat) = (0.001, 0.0007);
    let mut nodes = Vec::new();
    let id = |i: usize, j: usize| (10 * i + j + 1) as i64;
    for i in 0..4 {
        for j in 0..4 {
            nodes.push((id(i, j), 2.0 + dlon * i as f64, 45.0 + dlat * j as f64));
        }
    }
    nodes.push((100, 2.04, 45.0));
    let way = |wid, ns: Vec<i64>, tags: &[(&str, &str)]| OsmWay {
        id: wid,
        nodes: ns,
        tags: Tags::from_pairs(tags),
    };
    let mut ways = Vec::new();
    for i in 0..4 {
        let row: Vec<i64> = (0..4).map(|j| id(i, j)).collect();
        let col: Vec<i64> = (0..4).map(|j| id(j, i)).collect();
        ways.push(way(1000 + i as i64, row, &[("highway", "residential")]));
        ways.push(way(2000 + i as i64, col, &[("highway", "residential")]));
    }
    ways.push(way(3000, vec![id(3, 0), 100], &[("highway", "motorway")]));
    ways.push(way(3001, vec![100, id(3, 1)], &[("highway", "motorway")]));
    if north {
        nodes.push((200, 2.0, 45.0495));
        ways.push(way(
            3002,
            vec![id(0, 3), 200],
            &[("highway", "unclassified")],
        ));
    }
    let mut e = OsmExtract::from_parts("village", &nodes, ways);
    let house = |k: i64, lon: f64, lat: f64| Household {
        osm: OsmRef::Node(k),
        lon,
        lat,
        foyers: 1,
        foyers_rule: FoyersRule::One,
        source: "building=house".into(),
        address: None,
    };
    for k in 0..24 {
        let (i, j) = (k % 4, k / 4 % 4);
        let lat = 45.0 + dlat * j as f64 + if k >= 16 { 0.0002 } else { 0.0001 };
        e.features
            .households
            .push(house(500 + k as i64, 2.0 + dlon * i as f64 + 0.0001, lat));
    }
    e.features.households.push(house(900, 2.0398, 45.0003));
    e.features.households.push(house(901, 2.0, 45.05));
    e
}

#[test]
fn a_tiny_territory_is_sited_with_nobody_left_out() {
    let t = Territory::from_extract(village(), &Settings::default(), &Quiet).unwrap();
    assert_eq!(t.households.len(), 26);
    let mut opts = SitingOptions::for_plan(&Settings::default(), 8, 20, true);
    (opts.min, opts.max) = (5, 10);
    // Without the walking rule: every household in a site of 5 to 10 foyers, however far.
    opts.walk = None;
    let g = site(&t, &opts, &Quiet).unwrap();
    // The independent checker: every household served once, every site within its bounds.
    let report = tournee::sites::check::check(&g.pb, &g.result.sites).unwrap();
    assert!((report.cost - g.result.sites.cost).abs() < 1e-6 * report.cost.max(1.0));
    assert_eq!(g.households.len(), 26);
    assert!(g.result.sites.assign.iter().all(Option::is_some));
    let by = |id: &str| {
        let i = g.households.iter().position(|h| h.place.id == id).unwrap();
        let j = g.result.sites.assign[i].unwrap();
        (g.distance_by[i], g.pb.distance(i, j), i, j)
    };
    let (kind, d, _, _) = by("node/900");
    assert_eq!(kind, DistanceKind::Driving);
    assert!(d > 2_500.0 && d.is_finite(), "{d}");
    let (kind, d, i, j) = by("node/901");
    assert_eq!(kind, DistanceKind::Straight);
    let site = &g.candidates[j];
    let crow = LonLat::new(2.0, 45.05).distance_m(site.at());
    assert!((d - crow).abs() < 0.01 * crow, "{d} vs {crow}");
    assert_eq!(g.pb.demand[i], 1);
    let walking = g
        .distance_by
        .iter()
        .filter(|&&k| k == DistanceKind::Walking);
    assert_eq!(walking.count(), 24);
    let notes = g.notes.join("\n");
    assert!(
        notes.contains("node/900") && notes.contains("by road for cars"),
        "{notes}"
    );
    assert!(
        notes.contains("node/901") && notes.contains("in a straight line"),
        "{notes}"
    );
}

/// Issue 25: no household is sent beyond a walk when another option exists. On the village,
/// the house only a car reaches (2.9 km) and the lone house 5.5 km north (a country road leads
/// there) are each served at home; three houses together up north get a hamlet site of their
/// own. Checked by the siting checker, with every household within `sites.max_walk_m` of its
/// site or at home. Without the road, no van can stop at the lone house: it stays with the
/// village's site, counted as still beyond a walk.
#[test]
fn isolated_households_get_a_hamlet_site_or_a_home_delivery_never_a_long_walk() {
    use tournee::plan::siting::hamlets::SiteKind;
    {
        let t = Territory::from_extract(village(), &Settings::default(), &Quiet).unwrap();
        let mut opts = SitingOptions::for_plan(&Settings::default(), 8, 20, false);
        (opts.min, opts.max) = (5, 10);
        let g = site(&t, &opts, &Quiet).unwrap();
        tournee::sites::check::check(&g.pb, &g.result.sites).unwrap();
        let i = g.households.iter().position(|h| h.place.id == "node/901");
        let served = g.served_by();
        assert_eq!(served[i.unwrap()], SiteKind::Regular);
        assert_eq!(served.iter().filter(|&&k| k == SiteKind::Home).count(), 1);
        assert!(
            g.notes.iter().any(|n| n.contains("1 still farther")),
            "{:?}",
            g.notes
        );
    }
    for hamlet in [false, true] {
        let mut e = village_with(true);
        // One commune holds the village and its hamlet: the plan counts them per commune.
        let square = geo::Polygon::new(
            geo::LineString::from(vec![
                (1.99, 44.99),
                (2.05, 44.99),
                (2.05, 45.06),
                (1.99, 45.06),
            ]),
            vec![],
        );
        e.features.communes.push(tournee::osm::Commune {
            osm: 1,
            name: "Le Village".into(),
            admin_level: 8,
            polygons: vec![square],
        });
        if hamlet {
            for (k, lon, lat) in [(902, 2.0006, 45.0502), (903, 2.0011, 45.0498)] {
                let mut h = e.features.households[e.features.households.len() - 1].clone();
                h.osm = OsmRef::Node(k);
                (h.lon, h.lat) = (lon, lat);
                e.features.households.push(h);
            }
        }
        let t = Territory::from_extract(e, &Settings::default(), &Quiet).unwrap();
        let mut opts = SitingOptions::for_plan(&Settings::default(), 8, 20, false);
        (opts.min, opts.max) = (5, 10);
        let g = site(&t, &opts, &Quiet).unwrap();
        tournee::sites::check::check(&g.pb, &g.result.sites).unwrap();
        let served = g.served_by();
        let kind = |id: &str| {
            let i = g.households.iter().position(|h| h.place.id == id).unwrap();
            let j = g.result.sites.assign[i].unwrap();
            (served[i], g.pb.distance(i, j), j)
        };
        assert_eq!(kind("node/900").0, SiteKind::Home);
        if hamlet {
            let (k, _, j) = kind("node/901");
            assert_eq!(k, SiteKind::Hamlet);
            for id in ["node/902", "node/903"] {
                assert_eq!(kind(id).0, SiteKind::Hamlet);
                assert_eq!(kind(id).2, j, "one hamlet site for the three");
            }
        } else {
            assert_eq!(kind("node/901").0, SiteKind::Home);
        }
        for (i, a) in g.result.sites.assign.iter().enumerate() {
            let d = g.pb.distance(i, a.unwrap());
            assert!(d <= 2_000.0, "{} walks {d} m", g.households[i].place.id);
        }
        // The village keeps regular sites within the bounds.
        let regular = served.iter().filter(|&&k| k == SiteKind::Regular).count();
        assert_eq!(regular, 24);
        assert!(
            g.notes.iter().any(|n| n.contains("served at home")),
            "{:?}",
            g.notes
        );
        let per_commune = if hamlet {
            "Le Village: 3 in hamlet sites, 1 at home"
        } else {
            "Le Village: 2 at home"
        };
        assert!(
            g.notes
                .iter()
                .any(|n| n.contains("per commune") && n.contains(per_commune)),
            "{:?}",
            g.notes
        );
    }
}

/// The small real extract, sited with a small budget.
fn small_territory() -> (Territory, Settings) {
    let settings = Settings::from_toml(
        "date = \"2026-11-25\"\n[sites]\nkicks = 3\nsensitivity_sizes = [50]\n",
        "quick.toml",
        &[],
    )
    .unwrap();
    let path = data("sant-julia-de-loria.osm.pbf");
    (Territory::read(&path, &settings, &Quiet).unwrap(), settings)
}

#[test]
fn rounds_serve_a_given_demand() {
    let (t, settings) = small_territory();
    let opts = SitingOptions::for_plan(&settings, 50, 3, false);
    let g = site(&t, &opts, &Quiet).unwrap();
    let (depots, _) = depot::find(&settings.depot, &t.extract, &g).unwrap();
    let stops = Stops::new(&depots, &g, &t.extract, t.car());
    assert!(stops.sites() >= 3 && stops.producers() >= 1);
    let mut per_site = vec![SiteDemand::default(); stops.sites()];
    per_site[0].bread_litres = 10;
    per_site[1].parcels = 3;
    per_site[1].parcel_litres = 36;
    per_site[2].fresh = vec![(0, 20)];
    let demand = Demand {
        per_site,
        source: "by hand".into(),
        from_model: false,
        notes: vec![],
    };
    // Fresh products the same day, from the farm to the site: three jobs. (Through the depot,
    // the default, they are a pickup for tomorrow plus a delivery with the morning's order.)
    let mut settings = settings;
    settings.fleet.fresh_direct = true;
    let rounds = Rounds::solve(&stops, &demand, &settings, t.car()).unwrap();
    assert_eq!(rounds.regions.len(), 1);
    let r = &rounds.regions[0];
    assert_eq!(r.problem.jobs.len(), 3);
    assert!(
        r.solution.unassigned.is_empty(),
        "{:?}",
        r.solution.unassigned
    );
    // Checked again here, independently of the plan's own check.
    let report = check(&r.problem, &r.solution).unwrap();
    assert_eq!(report, r.report);
    let served: Vec<&str> = r
        .solution
        .routes
        .iter()
        .flat_map(|x| &x.visits)
        .map(|v| r.problem.jobs[v.job.ix()].id.as_str())
        .collect();
    for what in [": bread", ": 3 parcels", ": fresh products from"] {
        assert!(
            served.iter().any(|s| s.contains(what)),
            "{what} in {served:?}"
        );
    }
    // Bread is there by its time, the parcels and fresh products within the sites' hours.
    let bread_by = settings.hours.bread_by.seconds();
    for route in &report.routes {
        for st in &route.steps {
            let Some(v) = st.visit else { continue };
            if r.problem.jobs[v.job.ix()].id.ends_with(": bread") {
                assert!(st.arrival.0 + st.waiting.0 <= bread_by);
            }
        }
    }
}

#[test]
fn a_settings_file_with_three_mistakes_lists_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(
        &path,
        "seed = 3\n[fleet]\ncapacity = 3000\nshift_start = \"13:00\"\nshift_end = \"25:00\"\n[hours]\nbread_by = \"9h\"\n[mobility]\ncar_share_beyond_walk_limit = 1.5\n",
    )
    .unwrap();
    let flags = [Flag::new("--date", "date", "2026-02-29")];
    let Err(SettingsError::Invalid(problems)) = Settings::load(Some(&path), &flags) else {
        panic!("refused");
    };
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 4, "{lines:#?}");
    assert!(lines[0].contains("line 3") && lines[0].contains("`fleet.capacity`"));
    assert!(
        lines[0].contains("did you mean `fleet.capacity_litres`"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("line 7") && lines[1].contains("HH:MM"));
    assert!(lines[2].contains("line 9") && lines[2].contains("0 to 1"));
    assert!(lines[3].starts_with("--date") && lines[3].contains("2026-02-29"));
    // 25:00 is a valid end of shift (the next day at 1 am): not a problem.
    let ok = Settings::load(
        None,
        &[
            Flag::new("--x", "fleet.shift_start", "13:00"),
            Flag::new("--x", "fleet.shift_end", "25:00"),
            // An afternoon shift cannot bring bread by the default 11:00.
            Flag::new("--x", "hours.bread_by", "15:00"),
        ],
    )
    .unwrap();
    assert_eq!(ok.fleet.shift_end.to_string(), "25:00");
    // A break as long as the shift is refused with what to change.
    let e = Settings::load(
        None,
        &[
            Flag::new("--x", "fleet.shift_end", "07:30"),
            Flag::new("--x", "fleet.break_minutes", 30),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("fleet.break_minutes") && e.contains("shorten fleet.break_minutes"),
        "{e}"
    );
    // A shift that would need two breaks is refused, at the key the planner wrote.
    let e = Settings::load(
        None,
        &[Flag::new("--shift-end", "fleet.shift_end", "21:00")],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--shift-end") && e.contains("two breaks"), "{e}");
}

#[test]
fn the_whole_plan_from_code_is_complete_and_writes_its_files() {
    let (mut t, settings) = small_territory();
    let p = plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    assert!(p.is_complete(), "{:?}", p.notes);
    assert_eq!(p.date.to_string(), "2026-11-25");
    assert_eq!(p.scenarios.main.travel.vans, p.rounds.routes().count());
    // Every litre ordered is delivered; fresh products are also collected at the farms, for the
    // next morning (fresh products through the depot, the default).
    let jobs = || p.rounds.regions.iter().flat_map(|r| &r.problem.jobs);
    let served_litres: i64 = jobs()
        .filter(|j| j.kind != tournee::model::JobKind::Pickup)
        .map(|j| j.amount.0[0])
        .sum();
    let collected: i64 = jobs()
        .filter(|j| j.kind == tournee::model::JobKind::Pickup)
        .map(|j| j.amount.0[0])
        .sum();
    let fresh: i64 = p
        .demand
        .per_site
        .iter()
        .flat_map(|d| d.fresh.iter().map(|f| f.1))
        .sum();
    assert!(fresh > 0);
    assert_eq!(
        collected, fresh,
        "every fresh litre is collected for tomorrow"
    );
    let ordered: i64 = p
        .demand
        .per_site
        .iter()
        .map(|d| {
            d.parcel_litres
                + d.purchases_litres
                + d.bread_litres
                + d.fresh.iter().map(|f| f.1).sum::<i64>()
        })
        .sum();
    assert_eq!(served_litres, ordered, "every litre ordered is a job");
    let dir = tempfile::tempdir().unwrap();
    let summary = tournee::report::plan::write(&p, &t, dir.path()).unwrap();
    // Who pays: the collectivity, the subscribers and the operator's deficit cover its cost.
    let scen: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("scenario.json")).unwrap()).unwrap();
    let payer = |name: &str| {
        scen["payers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["payer"] == name)
            .unwrap()["eur_year"]
            .as_f64()
            .unwrap()
    };
    let paid = payer("collectivity") + payer("subscribers") + payer("operator_deficit");
    assert!(
        (paid - payer("operator")).abs() < 1e-6 * payer("operator"),
        "{paid}"
    );
    assert!(payer("operator") > 0.0);
    assert!(scen["break_even_participation"].as_f64().unwrap() > 0.0);
    assert!(summary.contains("Daily plan for sant-julia-de-loria, 2026-11-25"));
    for f in [
        "summary.txt",
        "overview.html",
        "scenario.json",
        "demand.csv",
        "sites/assignment.csv",
        "routes/van-1.html",
        "map.html",
        "map/leaflet.js",
        "map/leaflet.css",
        "map/LICENSE-leaflet.txt",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    // The postman, letters included: one stop per site with conciergeries, every site served;
    // today every door with a parcel and about the mail share of the households besides.
    let postal = &p.scenarios.postal;
    assert_eq!(postal.rhythms.len(), 2);
    let households = p.grouping.households.len();
    for r in &postal.rhythms {
        assert_eq!(r.sites.unserved, 0);
        assert_eq!(r.sites.van_stops, p.grouping.result.sites.open.len());
        let today = r.today.van_stops + r.today.unserved;
        assert!(today >= p.scenarios.baseline.travel.van_stops, "{today}");
        assert!(today <= households, "{today} of {households}");
        // At least the share of single-foyer households draws mail (a binomial far from 0).
        assert!(
            today as f64 >= 0.5 * r.share * households as f64,
            "{today} stops, share {}",
            r.share
        );
        let (a, b) = (
            postal.year(r, false, &settings.factors, settings.fleet.van_type),
            postal.year(r, true, &settings.factors, settings.fleet.van_type),
        );
        assert!(b.stops < a.stops && b.km > 0.0, "{a:?} {b:?}");
    }
    assert!(postal.rhythms[1].share > postal.rhythms[0].share);
    // Per commune: every foyer counted once, the shares adding up to the whole, each
    // commune's households recounted here by point in polygon.
    // The extract's parish is cut by its edge: a commune is drawn here over the west half.
    assert!(p.communes(&t).is_empty());
    let lons: Vec<f64> = p.grouping.households.iter().map(|h| h.place.lon).collect();
    let lats: Vec<f64> = p.grouping.households.iter().map(|h| h.place.lat).collect();
    let (w, e) = lons
        .iter()
        .fold((f64::MAX, f64::MIN), |a, &x| (a.0.min(x), a.1.max(x)));
    let (s, n) = lats
        .iter()
        .fold((f64::MAX, f64::MIN), |a, &x| (a.0.min(x), a.1.max(x)));
    let mid = (w + e) / 2.0;
    let west = geo::Polygon::new(
        geo::LineString::from(vec![
            (w - 0.01, s - 0.01),
            (mid, s - 0.01),
            (mid, n + 0.01),
            (w - 0.01, n + 0.01),
            (w - 0.01, s - 0.01),
        ]),
        vec![],
    );
    t.extract.features.communes.push(tournee::osm::Commune {
        osm: 1,
        name: "Ouest".into(),
        admin_level: 8,
        polygons: vec![west],
    });
    let communes = p.communes(&t);
    assert_eq!(communes.len(), 2, "{communes:?}");
    assert_eq!(communes[1].name, "outside the communes");
    let foyers: i64 = communes.iter().map(|c| c.foyers).sum();
    assert_eq!(foyers, p.grouping.pb.total_demand());
    let op: f64 = communes.iter().map(|c| c.operator_eur_year).sum();
    assert!((op - p.payers().operator_cost).abs() < 1e-6 * op.max(1.0));
    for c in communes.iter().filter(|c| c.name != "outside the communes") {
        use geo::Contains;
        let polys: Vec<_> = t
            .extract
            .features
            .communes
            .iter()
            .filter(|x| x.name == c.name)
            .flat_map(|x| x.polygons.iter())
            .collect();
        let inside = p
            .grouping
            .households
            .iter()
            .filter(|h| {
                polys
                    .iter()
                    .any(|g| g.contains(&geo::Point::new(h.place.lon, h.place.lat)))
            })
            .count();
        assert_eq!(inside, c.households, "{}", c.name);
    }
    // The interactive map's data: every site, every van, the far households as the grouping
    // measures them, the households gathered (never one dot each).
    let page = std::fs::read_to_string(dir.path().join("map.html")).unwrap();
    let start = page
        .find(r#"<script id="data" type="application/json">"#)
        .unwrap();
    let body = &page[page[start..].find('>').unwrap() + start + 1..];
    let data: serde_json::Value =
        serde_json::from_str(&body[..body.find("</script>").unwrap()]).unwrap();
    let g = &p.grouping;
    assert_eq!(
        data["sites"].as_array().unwrap().len(),
        g.result.sites.open.len()
    );
    assert_eq!(
        data["vans"].as_array().unwrap().len(),
        p.rounds.routes().count()
    );
    let far = (0..g.pb.n())
        .filter(|&i| {
            g.result.sites.assign[i]
                .is_some_and(|j| g.pb.distance(i, j) > tournee::report::map::FAR_M)
        })
        .count();
    assert_eq!(data["far_total"].as_u64().unwrap() as usize, far);
    let foyers: i64 = data["fine"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[2].as_i64().unwrap())
        .sum();
    assert_eq!(foyers, g.pb.total_demand());
    assert!(data["fine"].as_array().unwrap().len() < g.pb.n());
    // The household cut off from the footways is grouped and named, with its distance.
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("way/268131054") && n.contains(" m")),
        "{:?}",
        p.notes
    );
}

#[test]
fn siting_by_zones_serves_everyone_and_stays_close_to_one_problem() {
    let (t, settings) = small_territory();
    let mut opts = SitingOptions::for_plan(&settings, 50, 10, true);
    let whole = site(&t, &opts, &Quiet).unwrap();
    assert!(whole.zoning.is_none());
    opts.zone_households = 100;
    let g = site(&t, &opts, &Quiet).unwrap();
    let z = g.zoning.as_ref().expect("sited by zones");
    assert!(z.zones.len() >= 3, "{} zones", z.zones.len());
    assert_eq!(
        z.zones.iter().map(|z| z.households).sum::<usize>(),
        g.households.len()
    );
    // The independent checker on the joined grouping: everyone served, every site in bounds.
    let report = tournee::sites::check::check(&g.pb, &g.result.sites).unwrap();
    assert!(report.unassigned.is_empty());
    assert!((report.cost - g.result.sites.cost).abs() < 1e-6 * report.cost);
    assert_eq!(g.result.sites.open.len(), g.pb.p);
    // Zones cut the territory into pieces of a few sites: within 15 % of one problem here.
    let (a, b) = (g.result.sites.cost, whole.result.sites.cost);
    eprintln!("zoned {a:.0} vs whole {b:.0}");
    assert!(a <= 1.15 * b, "zoned {a:.0} vs whole {b:.0}: {z:#?}");
    // The plan's reports work on the joined grouping (sparse distances).
    let s = g.summaries();
    assert_eq!(s.iter().map(|x| x.foyers).sum::<i64>(), g.pb.total_demand());
    assert!(s.iter().all(|x| x.max_m.is_finite()));
}

#[test]
fn two_given_depots_start_the_rounds() {
    use tournee::plan::settings::Depot;
    let (t, mut settings) = small_territory();
    // The post office of Sant Julià and a point on the road south, towards the border.
    settings.depot = Depot::At(vec![
        LonLat::new(1.4911, 42.4633),
        LonLat::new(1.4740, 42.4480),
    ]);
    let p = plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    assert_eq!(p.depots.len(), 2);
    assert_eq!(
        p.depots.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["Depot 1", "Depot 2"]
    );
    assert!(p.is_complete(), "{:?}", p.notes);
    for r in &p.rounds.regions {
        check(&r.problem, &r.solution).unwrap();
        // Two vehicle depots in the problem, each van starting and ending at one of them.
        for v in &r.problem.vehicles {
            assert!(v.start.is_some_and(|l| l.ix() < 2) && v.start == v.end);
        }
    }
    for (region, route) in p.rounds.routes() {
        assert!(region.start_spot(route) < 2);
    }
    let dir = tempfile::tempdir().unwrap();
    tournee::report::plan::write(&p, &t, dir.path()).unwrap();
    let sheet = std::fs::read_to_string(dir.path().join("routes/van-1.csv")).unwrap();
    assert!(sheet.contains("Depot "), "{sheet}");
}

#[test]
fn a_depot_far_from_the_roads_is_refused_with_its_distance() {
    use tournee::plan::settings::Depot;
    let (t, mut settings) = small_territory();
    // The post office, and the extract's north-east corner up the mountain.
    settings.depot = Depot::At(vec![
        LonLat::new(1.4911, 42.4633),
        LonLat::new(1.534, 42.487),
    ]);
    let e = plan::plan(&t, &settings, &DemandInput::Model, &Quiet)
        .unwrap_err()
        .to_string();
    assert!(e.contains("Depot 2"), "{e}");
    let metres: f64 = e
        .split(" m from the nearest usable road")
        .next()
        .and_then(|s| s.rsplit([' ', '(']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no distance in {e}"));
    assert!(metres > 1000.0, "{e}");
    // The advice fits a plan: no flag of another command.
    assert!(!e.contains("--max-snap"), "{e}");
}

#[test]
fn sites_no_van_of_any_depot_can_reach_in_its_shift_are_reported_with_the_reason() {
    use tournee::plan::settings::Depot;
    let (t, mut settings) = small_territory();
    settings.depot = Depot::At(vec![
        LonLat::new(1.4911, 42.4633),
        LonLat::new(1.4740, 42.4480),
    ]);
    // A twelve-minute shift: a van of either depot reaches only the sites close to it.
    settings.fleet.shift_end = "07:12".parse().unwrap();
    let p = plan::plan(&t, &settings, &DemandInput::Model, &Quiet).unwrap();
    assert!(!p.is_complete());
    let mut served = 0;
    let mut unserved = 0;
    for r in &p.rounds.regions {
        check(&r.problem, &r.solution).unwrap();
        served += r
            .solution
            .routes
            .iter()
            .map(|x| x.visits.len())
            .sum::<usize>();
        unserved += r.solution.unassigned.len();
        // Every job is either in a round or listed with its reason: nothing is dropped.
        let total: usize = r.problem.jobs.len();
        let placed: std::collections::BTreeSet<usize> = r
            .solution
            .routes
            .iter()
            .flat_map(|x| x.visits.iter().map(|v| v.job.ix()))
            .chain(r.solution.unassigned.iter().map(|u| u.job.ix()))
            .collect();
        assert_eq!(placed.len(), total);
    }
    assert!(
        served > 0 && unserved > 0,
        "{served} served, {unserved} not"
    );
    let notes = p.notes.join("\n");
    assert!(notes.contains("not served"), "{notes}");
}
