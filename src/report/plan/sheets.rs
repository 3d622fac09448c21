//! From the day's checked rounds to what people read: route sheets, the list of work not
//! served, and the planner's overview.

use crate::graph::{path::road_path, RoadGraph};
use crate::io::files::{csv_bytes, write_file, WriteError};
use crate::model::JobKind;
use crate::plan::rounds::Region;
use crate::plan::{Plan, Rounds, Territory};
use crate::report::overview;
use crate::report::sheet::{hhmm, Action, Item, RouteSheet, SheetPause, SheetStop, CRATE_WHEN};
use crate::report::svg::PlaceName;
use crate::routing::check;
use std::path::Path;

/// Draws the route sheet of every round of `plan` and writes them into `dir` (`van-N.html`,
/// `.csv`, `.gpx`, `.geojson`) with `unassigned.csv`; each sheet on its own, in parallel (a
/// département has hundreds). Returns the sheets, in the rounds' order.
pub fn write_route_sheets(
    plan: &Plan,
    t: &Territory,
    dir: &Path,
    roads: &std::sync::Arc<[Vec<[f64; 2]>]>,
    names: &std::sync::Arc<[PlaceName]>,
) -> Result<Vec<RouteSheet>, WriteError> {
    use rayon::prelude::*;
    crate::io::files::create_dir(dir)?;
    let routes: Vec<_> = plan.rounds.routes().collect();
    let mut route_sheets: Vec<RouteSheet> = routes
        .into_par_iter()
        .enumerate()
        .map(|(k, route)| route_sheet(plan, t, k, route, roads, names))
        .collect();
    explain_second_visits(&mut route_sheets);
    route_sheets
        .par_iter()
        .enumerate()
        .map(|(k, s)| crate::report::sheet::write(dir, &format!("van-{}", k + 1), s).map(|_| ()))
        .collect::<Result<Vec<()>, WriteError>>()?;
    write_unassigned(&dir.join("unassigned.csv"), &plan.rounds)?;
    Ok(route_sheets)
}

/// How a farm pickup's item ends ([`CRATE_WHEN`]) when its job (by its id, see
/// [`crate::plan::rounds::FOR_TOMORROW`]) collects a crate for a site's next delivery.
fn crate_when(id: &str) -> Option<&'static str> {
    use crate::plan::rounds::{FOR_TOMORROW, NEXT_PASSAGE};
    [FOR_TOMORROW, NEXT_PASSAGE]
        .into_iter()
        .zip(CRATE_WHEN)
        .find(|(end, _)| id.ends_with(end))
        .map(|(_, when)| when)
}

/// Every road of the van graph as a polyline `[lon, lat]` (for map backgrounds).
pub fn road_lines(g: &RoadGraph) -> Vec<Vec<[f64; 2]>> {
    g.segments()
        .iter()
        .map(|s| {
            let (a, b) = (g.coord(s.a), g.coord(s.b));
            vec![[a.x, a.y], [b.x, b.y]]
        })
        .collect()
}

/// Each commune's name at the middle of its largest outline.
pub fn commune_names(t: &Territory) -> Vec<PlaceName> {
    use geo::Centroid;
    t.extract
        .features
        .communes
        .iter()
        .filter_map(|c| {
            let biggest = c.polygons.iter().max_by(|a, b| {
                use geo::Area;
                a.unsigned_area().total_cmp(&b.unsigned_area())
            })?;
            let p = biggest.centroid()?;
            Some(PlaceName {
                text: c.name.clone(),
                at: [p.x(), p.y()],
                village: true,
            })
        })
        .collect()
}

/// The names a map of the territory may write: each commune at the middle of its outline
/// ([`commune_names`]), and each named street once, at the middle node of its longest way.
pub fn place_names(t: &Territory) -> Vec<PlaceName> {
    let e = &t.extract;
    let mut out = commune_names(t);
    let mut streets: std::collections::BTreeMap<&str, (usize, [f64; 2])> = Default::default();
    for w in &e.highways {
        let Some(name) = w.tags.get("name") else {
            continue;
        };
        let Some(mid) = w.nodes.get(w.nodes.len() / 2).and_then(|&n| e.node(n)) else {
            continue;
        };
        let entry = streets.entry(name).or_insert((0, [mid.x, mid.y]));
        if w.nodes.len() > entry.0 {
            *entry = (w.nodes.len(), [mid.x, mid.y]);
        }
    }
    out.extend(streets.into_iter().map(|(name, (_, at))| PlaceName {
        text: name.to_string(),
        at,
        village: false,
    }));
    out
}

/// The route sheet of route `k`; consecutive orders at one place make one stop, with the
/// tighter of their time windows; the arrival is before the visit's parking and walking in
/// (which the rounds count in the arc reaching the place: [`Region::setup`]); the driver's
/// break comes from [`Region::pauses`].
pub fn route_sheet(
    plan: &Plan,
    t: &Territory,
    k: usize,
    (region, route): (&Region, &check::RouteReport),
    roads: &std::sync::Arc<[Vec<[f64; 2]>]>,
    names: &std::sync::Arc<[PlaceName]>,
) -> RouteSheet {
    let (settings, places, car) = (&plan.settings, &plan.stops, t.car());
    let (stem, date) = (&t.name, &plan.date);
    let p = &region.problem;
    let depot = region.start_spot(route);
    let van_type = settings.fleet.van_type;
    let mut stops: Vec<SheetStop> = Vec::new();
    let mut locs: Vec<usize> = Vec::new();
    let mut peak = 0i64;
    let mut driven = 0i64;
    let mut setup_total = 0i64;
    let route_ix = region
        .report
        .routes
        .iter()
        .position(|r| std::ptr::eq(r, route));
    let pause = route_ix.and_then(|i| region.pauses.get(i).copied().flatten());
    let mut sheet_pause = None;
    for (step_ix, st) in route.steps.iter().enumerate() {
        if let Some(p) = pause.filter(|p| p.before_step == step_ix) {
            sheet_pause = Some(SheetPause {
                after: stops.len().saturating_sub(1),
                on_arrival: p.start >= st.arrival.0,
                start: p.start,
                end: p.start + p.length,
            });
        }
        let loc = st.location.map_or(depot, |l| region.locs[l.ix()]);
        let spot = &places.spots[loc];
        let (action, window, drop, pick) = match st.visit {
            None if st.reload => (Action::Reload, None, vec![], vec![]),
            None => (
                if stops.is_empty() {
                    Action::Start
                } else {
                    Action::End
                },
                None,
                vec![],
                vec![],
            ),
            Some(v) => {
                let job = &p.jobs[v.job.ix()];
                let stop = &job.stops[v.stop as usize];
                let w = stop.time_windows.first().map(|w| (w.start.0, w.end.0));
                // At a place of several sites (a large building), each order names its site.
                let what = match st.location {
                    Some(l) if region.shared(l.ix()) => &job.id[..],
                    _ => job.id.split_once(": ").map_or(&job.id[..], |x| x.1),
                };
                let item = match (job.kind, v.stop) {
                    // At the farm: which conciergerie each crate is for.
                    (JobKind::Shipment, 0) => {
                        let to = job.stops[1].location.ix();
                        let site = &places.spots[region.locs[to]].name;
                        Item {
                            what: format!("fresh products for {site}"),
                            litres: job.amount.0[0],
                        }
                    }
                    // Collected for a site's next delivery (fresh products via the depot).
                    (JobKind::Pickup, _) if crate_when(&job.id).is_some() => Item {
                        what: format!(
                            "fresh products for {}{}",
                            job.id.split_once(": ").map_or("", |x| x.0),
                            crate_when(&job.id).unwrap_or_default()
                        ),
                        litres: job.amount.0[0],
                    },
                    _ => Item {
                        what: what.to_string(),
                        litres: job.amount.0[0],
                    },
                };
                match (job.kind, v.stop) {
                    (JobKind::Shipment, 0) | (JobKind::Pickup, _) => {
                        (Action::Pickup, w, vec![], vec![item])
                    }
                    _ => (Action::Delivery, w, vec![item], vec![]),
                }
            }
        };
        peak = peak.max(st.load.0[0]);
        let km = (st.distance.0 - driven) as f64 / 1000.0;
        driven = st.distance.0;
        if let Some(prev) = stops.last_mut().filter(|s| {
            st.visit.is_some() && s.action != Action::Start && locs.last() == Some(&loc)
        }) {
            prev.departure = st.arrival.0 + st.waiting.0 + st.service.0;
            prev.window = match (prev.window, window) {
                (Some(a), Some(b)) => Some((a.0.max(b.0), a.1.min(b.1))),
                (a, b) => a.or(b),
            };
            prev.drop.extend(drop);
            prev.pick.extend(pick);
            prev.load_after = st.load.0[0];
            if prev.action != action {
                prev.action = Action::Stop;
            }
            continue;
        }
        let setup = st
            .location
            .map_or(0, |l| region.setup.get(l.ix()).copied().unwrap_or(0));
        if st.visit.is_some() {
            setup_total += setup;
        }
        let site = loc
            .checked_sub(places.depots)
            .filter(|&k| k < places.sites())
            .and_then(|k| places.host(k));
        stops.push(SheetStop {
            action,
            name: spot.name.clone(),
            address: spot.address.clone(),
            host: site.and_then(|h| h.line(settings.lang)),
            lon: spot.lon,
            lat: spot.lat,
            arrival: st.arrival.0 - if st.visit.is_some() { setup } else { 0 },
            parking: if st.visit.is_some() { setup } else { 0 },
            start: st.arrival.0 + st.waiting.0,
            departure: st.arrival.0 + st.waiting.0 + st.service.0,
            window,
            drop,
            pick,
            load_after: st.load.0[0],
            // The checker reports the distance driven so far.
            km_from_previous: km,
            note: site.and_then(|h| h.access.clone()),
        });
        locs.push(loc);
    }
    // At a farm, each crate is named by the stop it goes to ("for stop 12"; the stop's row names
    // the site), or by the site when this van does not take it there.
    let numbers = crate::report::sheet::labels(&stops);
    let stop_names: Vec<String> = stops.iter().map(|s| s.name.clone()).collect();
    for (i, st) in stops.iter_mut().enumerate() {
        for it in &mut st.pick {
            let Some(site) = it.what.strip_prefix("fresh products for ") else {
                continue;
            };
            let short = |name: &str| name.split(" (").next().unwrap_or(name).to_string();
            if let Some(when) = CRATE_WHEN.into_iter().find(|w| site.ends_with(w)) {
                let name = &site[..site.len() - when.len()];
                it.what = format!("for {}{when}", short(name));
                continue;
            }
            let short = short(site);
            it.what = match (i + 1..stop_names.len()).find(|&j| stop_names[j] == site) {
                Some(j) => format!("for stop {}", numbers[j]),
                None => format!("for {short}"),
            };
        }
    }
    // Road geometry between consecutive stops.
    let coords: Vec<(f64, f64)> = locs
        .iter()
        .map(|&l| (places.spots[l].lon, places.spots[l].lat))
        .collect();
    let snaps = car.snap_all(&coords);
    let mut path: Vec<[f64; 2]> = Vec::new();
    for w in 0..locs.len().saturating_sub(1) {
        let leg = match (&snaps[w], &snaps[w + 1]) {
            (Ok(a), Ok(b)) => road_path(car.graph(), a, b),
            _ => None,
        };
        let leg = leg.unwrap_or_else(|| {
            vec![
                [coords[w].0, coords[w].1],
                [coords[w + 1].0, coords[w + 1].1],
            ]
        });
        path.extend(leg);
    }
    let km = route.distance.0 as f64 / 1000.0;
    let first = stops.first().map_or(0, |s| s.departure);
    let last = stops.last().map_or(0, |s| s.arrival);
    RouteSheet {
        territory: stem.to_string(),
        date: date.to_string(),
        // Named after the route's number, so that unused vans leave no gap.
        van: format!("Van {}", k + 1),
        vehicle: match (settings.lang, van_type) {
            (crate::model::Lang::Fr, crate::plan::settings::file::VanType::Diesel) => {
                format!("camionnette diesel, {} L", settings.fleet.capacity_litres)
            }
            (crate::model::Lang::Fr, _) => {
                format!(
                    "camionnette électrique, {} L",
                    settings.fleet.capacity_litres
                )
            }
            _ => format!("{van_type} van, {} L", settings.fleet.capacity_litres),
        },
        capacity_l: settings.fleet.capacity_litres,
        peak_load_l: peak,
        km,
        driving_hours: (route.travel_time.0 - setup_total).max(0) as f64 / 3600.0,
        hours: (last - first) as f64 / 3600.0,
        co2_kg: km * settings.factors.van_kg_per_km(van_type),
        co2_scope: settings.factors.van_scope(van_type, settings.lang),
        stops,
        lang: settings.lang,
        pause: sheet_pause,
        path,
        roads: roads.clone(),
        names: names.clone(),
    }
}

/// Says on each sheet why a van comes to a site that a van has already visited that day: the
/// load was too large for one van, fresh products picked up at a farm after the first visit,
/// bread brought early on its own (cheaper than bringing everything by bread's time; the bread
/// stop says when the rest comes), or windows that one visit cannot meet.
pub fn explain_second_visits(sheets: &mut [RouteSheet]) {
    let mut visits: Vec<(String, i64, usize, usize)> = Vec::new();
    for (k, sh) in sheets.iter().enumerate() {
        for (i, st) in sh.stops.iter().enumerate() {
            // A farm serves several vans, each collecting its own crates: only drops count.
            if !st.action.is_depot() && !st.drop.is_empty() {
                visits.push((st.name.clone(), st.arrival, k, i));
            }
        }
    }
    visits.sort();
    let is_bread = |i: &Item| i.what == "bread" || i.what.ends_with(": bread");
    let add = |sheets: &mut [RouteSheet], k: usize, i: usize, why: String| {
        let note = &mut sheets[k].stops[i].note;
        *note = Some(match note.take() {
            Some(n) => format!("{n}; {why}"),
            None => why,
        });
    };
    for w in 1..visits.len() {
        let (a, b) = (&visits[w - 1], &visits[w]);
        if a.0 != b.0 {
            continue;
        }
        let fr = sheets[b.2].lang == crate::model::Lang::Fr;
        let when = |k: usize, t: i64| {
            let van = crate::report::lang::van(sheets[k].lang, &sheets[k].van);
            if fr {
                format!("{} à {}", van.to_lowercase(), hhmm(t))
            } else {
                format!("{van} at {}", hhmm(t))
            }
        };
        let (first, then) = (when(a.2, a.1), when(b.2, b.1));
        let early = &sheets[a.2].stops[a.3];
        let stop = &sheets[b.2].stops[b.3];
        let bread_first = early.drop.iter().all(is_bread) && !stop.drop.iter().any(is_bread);
        if bread_first {
            let by = early.window.map_or(String::new(), |w| hhmm(w.1));
            let (on_bread, on_rest) = if fr {
                (
                    format!("pain seul : le reste vient plus tard ({then})"),
                    format!("le pain est venu plus tôt ({first}) : deux passages coûtent moins que tout apporter avant {by}"),
                )
            } else {
                (
                    format!("bread only: the rest comes later ({then})"),
                    format!("bread came earlier ({first}): two visits cost less than bringing everything by {by}"),
                )
            };
            add(sheets, a.2, a.3, on_bread);
            add(sheets, b.2, b.3, on_rest);
            continue;
        }
        let load = stop.drop.iter().any(|i| i.what.contains("(load "));
        let fresh = !stop.drop.is_empty()
            && stop
                .drop
                .iter()
                .all(|i| i.what.starts_with("fresh products"));
        let why = match (fr, load, fresh) {
            (false, true, _) => format!("second visit (first: {first}): the day's goods are more than a van holds"),
            (false, _, true) => format!("second visit (first: {first}): fresh products picked up at the farm after that visit"),
            (false, _, _) => format!("second visit (first: {first}): the time windows do not allow one visit"),
            (true, true, _) => format!("second passage (premier : {first}) : les marchandises du jour dépassent la capacité d'un véhicule"),
            (true, _, true) => format!("second passage (premier : {first}) : produits frais enlevés à la ferme après ce passage"),
            (true, _, _) => format!("second passage (premier : {first}) : les créneaux ne permettent pas un seul passage"),
        };
        add(sheets, b.2, b.3, why);
    }
}

/// Jobs not served, with their reason, as CSV.
pub fn write_unassigned(path: &Path, rounds: &Rounds) -> Result<(), WriteError> {
    let rows = rounds
        .unassigned()
        .map(|(r, u)| {
            vec![
                r.problem.jobs[u.job.ix()].id.clone(),
                u.reason.code().to_string(),
                u.reason.explain().to_string(),
            ]
        })
        .chain(
            rounds
                .left_out()
                .map(|l| vec![l.id.clone(), l.reason.to_string(), l.what_to_do.clone()]),
        );
    write_file(path, &csv_bytes(&["job", "reason", "what_to_do"], rows))
}

/// What the planner's overview shows.
pub fn overview_input(
    plan: &Plan,
    stem: &str,
    sheets: &[RouteSheet],
    roads: &std::sync::Arc<[Vec<[f64; 2]>]>,
) -> overview::Input {
    let (settings, g, rounds, date) = (&plan.settings, &plan.grouping, &plan.rounds, &plan.date);
    let summaries = g.summaries();
    let walking: Vec<(i64, f64)> = g.foyer_distances();
    let sites = summaries
        .iter()
        .zip(&plan.stops.spots[plan.stops.depots..])
        .enumerate()
        .map(|(k, (c, s))| overview::SiteRow {
            label: g.labels.get(k).map_or(k as u32 + 1, |&l| l),
            name: s.name.clone(),
            lon: s.lon,
            lat: s.lat,
            foyers: c.foyers,
            mean_walk_m: c.mean_m,
            max_walk_m: c.max_m,
            kind: plan.stops.kinds.get(k).copied().unwrap_or_default(),
        })
        .collect();
    let homes = g
        .result
        .sites
        .assign
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            a.map(|j| {
                (
                    g.households[i].place.lon,
                    g.households[i].place.lat,
                    g.result.sites.open.binary_search(&j).unwrap_or(0),
                )
            })
        })
        .collect();
    overview::Input {
        lang: settings.lang,
        territory: stem.to_string(),
        date: date.to_string(),
        min: settings.sites.min,
        max: settings.sites.max,
        sites,
        homes,
        far: walking
            .iter()
            .filter(|x| x.1 > crate::plan::siting::FAR_M)
            .count(),
        mean_walk_m: walking.iter().map(|x| x.0 as f64 * x.1).sum::<f64>()
            / walking.iter().map(|x| x.0).sum::<i64>().max(1) as f64,
        vans: sheets
            .iter()
            .map(|s| overview::VanRow {
                van: s.van.clone(),
                km: s.km,
                hours: s.hours,
                stops: s.stops.len().saturating_sub(2),
                peak_load_l: s.peak_load_l,
                capacity_l: s.capacity_l,
                path: s.path.clone(),
            })
            .collect(),
        unserved: rounds
            .unassigned()
            .map(|(r, u)| format!("{} ({})", r.problem.jobs[u.job.ix()].id, u.reason.explain()))
            .collect(),
        roads: roads.clone(),
    }
}

/// What the interactive map of `plan` (made on `t`) shows.
pub fn map_input(
    plan: &Plan,
    t: &Territory,
    sheets: &[RouteSheet],
    roads: &std::sync::Arc<[Vec<[f64; 2]>]>,
    names: &[PlaceName],
) -> crate::report::map::Input {
    use crate::report::map;
    let (g, stops) = (&plan.grouping, &plan.stops);
    let lang = plan.settings.lang;
    let summaries = g.summaries();
    let streets = crate::plan::streets::Streets::new(&t.extract);
    let spots = &stops.spots[stops.depots..stops.depots + stops.sites()];
    let sites = summaries
        .iter()
        .zip(spots)
        .zip(&g.result.sites.open)
        .enumerate()
        .map(|(k, ((c, s), &j))| map::Site {
            label: g.labels.get(k).map_or(k + 1, |&l| l as usize),
            name: crate::report::lang::place(lang, &s.name),
            address: s.address.clone().unwrap_or_default(),
            host: stops.host(k).and_then(|h| h.line(lang)),
            fixed: g.fixed[j],
            lon: s.lon,
            lat: s.lat,
            foyers: c.foyers,
            households: c.households,
            mean_m: c.mean_m,
            max_m: c.max_m,
        })
        .collect();
    let homes = g
        .site_of()
        .into_iter()
        .enumerate()
        .filter_map(|(i, k)| {
            let (k, j) = (k?, g.result.sites.assign[i]?);
            let h = &g.households[i];
            Some(map::Home {
                lon: h.place.lon,
                lat: h.place.lat,
                foyers: h.foyers,
                site: k,
                distance_m: g.pb.distance(i, j),
                address: streets
                    .describe(h.place.lon, h.place.lat, h.place.name.as_deref())
                    .unwrap_or_default(),
            })
        })
        .collect();
    map::Input {
        lang,
        territory: t.name.clone(),
        date: crate::report::lang::date(lang, &plan.date.to_string()),
        sites,
        homes,
        distance: (
            g.distance.name(),
            g.distance_by.iter().filter(|&&d| d != g.distance).count(),
        ),
        vans: sheets
            .iter()
            .map(|s| (crate::report::lang::van(lang, &s.van), s.path.clone()))
            .collect(),
        depots: plan
            .depots
            .iter()
            .map(|d| (crate::report::lang::place(lang, &d.name), d.lon, d.lat))
            .collect(),
        roads: roads.clone(),
        places: names.to_vec(),
    }
}
