//! The route sheet shared by the tests of every format.

use super::{Action, Item, RouteSheet, SheetStop};
use std::sync::Arc;

/// One hour in seconds.
pub(super) const H: i64 = 3600;

fn stop(action: Action, name: &str, lon: f64, lat: f64, arrival: i64) -> SheetStop {
    SheetStop {
        action,
        name: name.into(),
        address: None,
        host: None,
        lon,
        lat,
        arrival,
        start: arrival,
        parking: 0,
        departure: arrival + 600,
        window: None,
        drop: Vec::new(),
        pick: Vec::new(),
        load_after: 0,
        km_from_previous: 0.0,
        note: None,
    }
}

fn item(what: &str, litres: i64) -> Item {
    Item {
        what: what.into(),
        litres,
    }
}

/// A depot in Andorra la Vella, a conciergerie with a tricky name and a window, a farm, a
/// conciergerie with drops and returns, and back.
pub(super) fn sheet() -> RouteSheet {
    let depot = "Depot: La Poste Andorra la Vella";
    let mut start = stop(Action::Start, depot, 1.5218, 42.5063, 7 * H);
    start.departure = 7 * H + 1800;
    start.pick = vec![item("40 parcels", 800)];
    start.load_after = 800;
    let mut c12 = stop(
        Action::Delivery,
        "Conciergerie 12 (Mairie d'Ordino) & <Co>",
        1.533,
        42.556,
        8 * H + 160,
    );
    c12.start = 8 * H + 600;
    c12.departure = 8 * H + 1500;
    c12.window = Some((8 * H + 600, 10 * H));
    c12.drop = vec![
        item("12 parcels", 240),
        item("3 crates of bread & eggs", 60),
    ];
    c12.load_after = 500;
    c12.km_from_previous = 9.3456;
    let mut farm = stop(Action::Pickup, "Ferme \"Les Cortals\"", 1.59, 42.54, 9 * H);
    farm.address = Some("Carretera <General> 2, Encamp".into());
    farm.pick = vec![item("fresh products from Ferme X", 150)];
    farm.load_after = 650;
    farm.km_from_previous = 6.2;
    let mut c3 = stop(Action::Stop, "Conciergerie 3", 1.56, 42.51, 10 * H);
    c3.drop = vec![item("28 parcels", 560)];
    c3.pick = vec![item("returns", 20)];
    c3.load_after = 110;
    c3.km_from_previous = 5.0;
    let mut end = stop(Action::End, depot, 1.5218, 42.5063, 10 * H + 1500);
    end.departure = end.arrival;
    end.km_from_previous = 3.1;
    RouteSheet {
        territory: "andorra-2021-10-28".into(),
        date: "2026-11-25".into(),
        van: "Van 1".into(),
        vehicle: "diesel van, 3 300 L".into(),
        capacity_l: 3300,
        peak_load_l: 800,
        km: 23.6456,
        driving_hours: 1.25,
        hours: 3.4167,
        co2_kg: 6.38,
        co2_scope: "0.27 kgCO2e/km, diesel van real-use, use only (ADEME/CGDD)".into(),
        lang: crate::model::Lang::En,
        pause: None,
        names: Arc::from([]),
        path: vec![
            [1.5218, 42.5063],
            [1.525, 42.53],
            [1.533, 42.556],
            [1.59, 42.54],
            [1.56, 42.51],
            [1.5218, 42.5063],
        ],
        roads: Arc::from([
            vec![[1.52, 42.50], [1.53, 42.52], [1.54, 42.55]],
            vec![[1.55, 42.51], [1.58, 42.53]],
            // Far outside the map: dropped.
            vec![[2.50, 43.50], [2.60, 43.60]],
        ]),
        stops: vec![start, c12, farm, c3, end],
    }
}
