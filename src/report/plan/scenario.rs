//! The scenario report's files: `scenario.json`, `scenario.csv` and `scenario.html`.

use crate::io::files::{csv_bytes, write_file, WriteError, ODBL_ATTRIBUTION};
use crate::model::Lang;
use crate::plan::scenario::{Figures, POSTMAN_STOP_MIN};
use crate::plan::settings::Vans;
use crate::plan::{Plan, Territory};
use crate::report::scenario;
use serde_json::json;
use std::path::Path;

/// scenario.json, scenario.csv and scenario.html.
pub fn write(out: &Path, t: &Territory, plan: &Plan) -> Result<(), WriteError> {
    write_for(out, t, plan, None)
}

/// [`write`], saying that the figures are those of the mean day of the week from `plan.date`
/// to `week_to` when it is given (`tournee week`).
pub fn write_for(
    out: &Path,
    t: &Territory,
    plan: &Plan,
    week_to: Option<crate::model::Date>,
) -> Result<(), WriteError> {
    let stem = t.name.as_str();
    let communes = plan.communes(t);
    let (s, g, date) = (&plan.scenarios, &plan.grouping, &plan.date);
    let settings = &plan.settings;
    let cfg = settings.to_file();
    let foyers = g.pb.total_demand();
    let all = s.all();
    let warnings: Vec<String> = plan
        .rounds
        .warning()
        .into_iter()
        .chain(s.notes.iter().cloned())
        .collect();
    let row = |f: &Figures| {
        json!({
            "scenario": f.name, "van_type": f.van_type.to_string(),
            "vans": f.travel.vans, "van_km_day": f.travel.van_km, "driver_hours_day": f.travel.driver_hours,
            "van_stops_day": f.travel.van_stops, "car_km_day": f.travel.car_km, "car_trips_day": f.travel.car_trips, "mean_walk_m": f.travel.walk_m,
            "vehicle_km_day": f.vehicle_km_day, "co2_kg_day": f.co2_kg_day(), "eur_day": f.eur_day(),
            "vehicle_km_year": f.vehicle_km_day * f.days_per_year, "co2_t_year": f.co2_kg_day() * f.days_per_year / 1000.0,
            "eur_year": f.eur_day() * f.days_per_year, "eur_per_foyer_year": f.eur_per_foyer_year(foyers),
            "driver_hours_year": f.travel.driver_hours * f.days_per_year, "unserved_jobs": f.travel.unserved,
        })
    };
    let payers = plan.payers();
    let doc = json!({
        "territory": stem, "date": date.to_string(), "week_to": week_to.map(|d| d.to_string()),
        "figures_for": if week_to.is_some() { "the mean day of the week" } else { "a typical day" },
        "seed": cfg.seed, "foyers": foyers, "households": g.households.len(),
        "conciergeries": g.pb.p,
        "scopes": {"van": cfg.factors.van_scope(cfg.fleet.van_type, Lang::En), "other_van": cfg.factors.van_scope(s.other_van.van_type, Lang::En), "car": cfg.factors.car_scope(Lang::En)},
        "shops": s.shop_note,
        "scenarios": all.iter().map(|f| row(f)).collect::<Vec<_>>(),
        "payers": [
            {"payer": "operator", "role": "cost of vans, drivers and sites", "eur_year": payers.operator_cost},
            {"payer": "collectivity", "share": settings.funding.collectivity_share, "eur_year": payers.collectivity},
            {"payer": "subscribers", "participation": payers.participation, "eur_per_foyer_month": payers.subscription_eur_per_month, "eur_year": payers.subscriptions},
            {"payer": "operator_deficit", "eur_year": payers.deficit},
            {"payer": "households_travel", "eur_year": payers.households_travel, "saving_eur_year": payers.households_saving},
        ],
        "postal": {
            "mail_share": settings.postman.mail_share,
            "letterbox_seconds": settings.postman.letterbox_seconds,
            "site_minutes": settings.postman.site_minutes,
            "parcels_only_day": {"stops": s.postal.parcels_only.van_stops, "vans": s.postal.parcels_only.vans, "km": s.postal.parcels_only.van_km, "driver_hours": s.postal.parcels_only.driver_hours},
            "rhythms": s.postal.rhythms.iter().map(|r| {
                let day = |t: &crate::plan::scenario::Travel| json!({"stops": t.van_stops, "vans": t.vans, "km": t.van_km, "driver_hours": t.driver_hours, "unserved": t.unserved});
                let year = |y: crate::plan::scenario::postal::Year| json!({"stops": y.stops, "km": y.km, "driver_hours": y.hours, "co2_t": y.co2_kg / 1000.0, "eur": y.eur});
                json!({
                    "mail_days_per_week": r.mail_days,
                    "letterbox_share": r.share,
                    "today_mail_day": day(&r.today),
                    "sites_mail_day": day(&r.sites),
                    "today_year": year(s.postal.year(r, false, &settings.factors, settings.fleet.van_type)),
                    "sites_year": year(s.postal.year(r, true, &settings.factors, settings.fleet.van_type)),
                })
            }).collect::<Vec<_>>(),
        },
        "communes": communes,
        "break_even_participation": payers.break_even_participation,
        "jobs_fte": payers.jobs_fte,
        "warnings": warnings,
        "remarks": s.remarks,
        "config": cfg,
        "attribution": ODBL_ATTRIBUTION,
    });
    write_file(
        &out.join("scenario.json"),
        &serde_json::to_vec_pretty(&doc).expect("JSON values serialise"),
    )?;
    let header = [
        "scenario",
        "van_type",
        "vans",
        "van_km_day",
        "driver_hours_day",
        "car_km_day",
        "car_trips_day",
        "vehicle_km_day",
        "co2_kg_day",
        "eur_day",
        "vehicle_km_year",
        "co2_t_year",
        "eur_year",
        "eur_per_foyer_year",
    ];
    let rows = all.iter().map(|f| {
        vec![
            f.name.clone(),
            f.van_type.to_string(),
            f.travel.vans.to_string(),
            format!("{:.1}", f.travel.van_km),
            format!("{:.2}", f.travel.driver_hours),
            format!("{:.1}", f.travel.car_km),
            format!("{:.1}", f.travel.car_trips),
            format!("{:.1}", f.vehicle_km_day),
            format!("{:.1}", f.co2_kg_day()),
            format!("{:.2}", f.eur_day()),
            format!("{:.0}", f.vehicle_km_day * f.days_per_year),
            format!("{:.2}", f.co2_kg_day() * f.days_per_year / 1000.0),
            format!("{:.0}", f.eur_day() * f.days_per_year),
            format!("{:.2}", f.eur_per_foyer_year(foyers)),
        ]
    });
    write_file(&out.join("scenario.csv"), &csv_bytes(&header, rows))?;
    let html = scenario::html(&scenario::Input {
        lang: settings.lang,
        territory: stem.to_string(),
        date: date.to_string(),
        week_to: week_to.map(|d| d.to_string()),
        households: g.households.len(),
        foyers,
        conciergeries: g.pb.p,
        apart: {
            use crate::plan::siting::hamlets::SiteKind;
            let kinds = g.open_kinds();
            let count = |k: SiteKind| kinds.iter().filter(|&&x| x == k).count();
            (count(SiteKind::Hamlet), count(SiteKind::Home))
        },
        baseline: s.baseline.clone(),
        main: s.main.clone(),
        other_van: s.other_van.clone(),
        sizes: s.sizes.clone(),
        van_scope: cfg.factors.van_scope(cfg.fleet.van_type, settings.lang),
        other_van_scope: cfg.factors.van_scope(s.other_van.van_type, settings.lang),
        car_scope: cfg.factors.car_scope(settings.lang),
        warnings: warnings.clone(),
        payers: payers.clone(),
        funding: settings.funding.clone(),
        factors: settings.factors.clone(),
        postal: Some((s.postal.clone(), settings.postman.clone())),
        commune_map: commune_map(t, plan, &communes),
        communes,
        notes: method_notes(plan, &cfg, &s.shop_note)
            .into_iter()
            .chain(s.remarks.iter().cloned())
            .collect(),
    });
    write_file(&out.join("scenario.html"), html.as_bytes())
}

/// How today and the conciergeries were measured, in the page's language.
fn method_notes(
    plan: &Plan,
    cfg: &crate::plan::settings::file::SettingsFile,
    shop_note: &str,
) -> Vec<String> {
    let m = &cfg.mobility;
    let (trips, visits, walk, car) = (
        m.shop_trips_per_foyer_per_week,
        m.site_visits_per_foyer_per_week,
        m.walk_limit_m,
        m.car_share_beyond_walk_limit * 100.0,
    );
    if plan.settings.lang == Lang::Fr {
        let source = match plan.demand.from_model {
            true => format!("modèle de demande, graine {}", plan.settings.seed),
            false => plan.demand.source.replacen("from ", "fichier ", 1),
        };
        vec![
            shop_note.to_string(),
            format!("la tournée des colis aujourd'hui : le même calcul de tournées, {POSTMAN_STOP_MIN} minutes par logement qui reçoit un colis ; trajets aux commerces : {trips} par foyer et par semaine ; visites à la conciergerie : {visits} par foyer et par semaine, à pied sous {walk:.0} m, sinon en voiture {car:.0} % du temps"),
            format!(
                "les commandes du jour : {source} ; les colis d'aujourd'hui sont ceux des conciergeries (ceux de chaque site vont à autant de ses foyers) ; camionnettes : {}",
                match cfg.fleet.vans {
                    Vans::Auto => "autant que la journée de chaque scénario en demande (le facteur aujourd'hui aussi)".to_string(),
                    Vans::Count(n) => format!("{n} pour les conciergeries, autant que nécessaire pour le facteur aujourd'hui"),
                }
            ),
        ]
    } else {
        vec![
            shop_note.to_string(),
            format!("today's parcel round: the same van solver, {POSTMAN_STOP_MIN} minutes per household receiving a parcel; shop trips: {trips} per foyer per week; visits to the conciergerie: {visits} per foyer per week, on foot under {walk:.0} m, else by car {car:.0} % of the time"),
            format!(
                "the day's orders: {}; today's parcels are the same as the conciergeries' (each site's parcels go to as many of its foyers); vans: {}",
                plan.demand.source,
                match cfg.fleet.vans {
                    Vans::Auto => "as many as each scenario's day needs (today's postman too)".to_string(),
                    Vans::Count(n) => format!("{n} for the conciergeries, as many as needed for today's postman"),
                }
            ),
        ]
    }
}

/// A small map of the extract's communes (their outlines and names) with the conciergeries,
/// when it has communes.
fn commune_map(
    t: &Territory,
    plan: &Plan,
    communes: &[crate::plan::scenario::communes::CommuneFigures],
) -> Option<String> {
    use crate::report::svg::{BBox, Map};
    if communes.is_empty() {
        return None;
    }
    let sites: Vec<[f64; 2]> = plan
        .grouping
        .open_places()
        .map(|s| [s.lon, s.lat])
        .collect();
    let bbox = BBox::around(sites.iter().copied())?;
    let fr = plan.settings.lang == crate::model::Lang::Fr;
    let mut map = Map::fit(bbox, 640.0, 640.0 * bbox.aspect().clamp(0.5, 1.3)).title(if fr {
        "Communes et conciergeries"
    } else {
        "Communes and conciergeries"
    });
    for poly in t.extract.features.communes.iter().flat_map(|c| &c.polygons) {
        let ring: Vec<[f64; 2]> = poly.exterior().coords().map(|p| [p.x, p.y]).collect();
        map = map.line(&ring, "#555", 1.2);
    }
    let names = super::sheets::commune_names(t);
    for (k, s) in sites.iter().enumerate() {
        map = map.point(s[0], s[1], crate::report::sites::site_colour(k), 2.2);
    }
    Some(map.names(&names).to_svg())
}
