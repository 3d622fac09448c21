//! The route sheet as GeoJSON for a web map (geojson.io, uMap, QGIS): the route line and one
//! point per stop.

use super::{hhmm, joined, labels, round_to, route_line, window_text, RouteSheet, ROUTE_COLOUR};
use crate::io::files::{feature_collection, round7};
use serde_json::{json, Value};

/// The round as a GeoJSON `FeatureCollection` with the ODbL `attribution` member: one
/// `LineString` (`kind` = `route`: van, date, territory, vehicle, km, hours, driving_hours,
/// co2_kg, stops, break `HH:MM-HH:MM` or `null`), the path or straight legs, left out if it has fewer than two points; then one
/// `Point` per stop in visiting order (`kind` = `stop`: seq, label, action, name, address, eta,
/// service_start, departure, window `HH:MM-HH:MM` or `null`, drop, drop_litres, pick,
/// pick_litres, load_after_litres, km_from_previous, note, host). Colours are also written as
/// [simplestyle](https://github.com/mapbox/simplestyle-spec) properties for geojson.io and uMap.
pub fn geojson(sheet: &RouteSheet) -> Value {
    let mut features = Vec::new();
    let line: Vec<[f64; 2]> = route_line(sheet)
        .into_iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| [round7(p[0]), round7(p[1])])
        .collect();
    if line.len() >= 2 {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": {
                "kind": "route",
                "van": sheet.van,
                "date": sheet.date,
                "territory": sheet.territory,
                "vehicle": sheet.vehicle,
                "km": round_to(sheet.km, 3),
                "hours": round_to(sheet.hours, 2),
                "driving_hours": round_to(sheet.driving_hours, 2),
                "co2_kg": round_to(sheet.co2_kg, 1),
                "stops": sheet.stops.iter().filter(|s| !s.action.is_depot()).count(),
                "break": sheet.pause.as_ref().map(|p| format!("{}-{}", hhmm(p.start), hhmm(p.end))),
                "stroke": ROUTE_COLOUR,
                "stroke-width": 3,
            },
        }));
    }
    for (i, (s, label)) in sheet.stops.iter().zip(labels(&sheet.stops)).enumerate() {
        let (drop, drop_l) = joined(&s.drop);
        let (pick, pick_l) = joined(&s.pick);
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round7(s.lon), round7(s.lat)]},
            "properties": {
                "kind": "stop",
                "seq": i,
                "label": label,
                "action": s.action.code(),
                "name": s.name,
                "address": s.address,
                "eta": hhmm(s.arrival),
                "service_start": hhmm(s.start),
                "departure": hhmm(s.departure),
                "window": window_text(s.window, "-"),
                "note": s.note,
                "host": s.host,
                "drop": drop,
                "drop_litres": drop_l,
                "pick": pick,
                "pick_litres": pick_l,
                "load_after_litres": s.load_after,
                "km_from_previous": round_to(s.km_from_previous, 3),
                "title": format!("{label} {}", s.name),
                "marker-color": s.action.colour(),
            },
        }));
    }
    feature_collection(features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::files::ODBL_ATTRIBUTION;
    use crate::report::sheet::fixture::sheet;

    #[test]
    fn geojson_has_the_route_and_every_stop() {
        let s = sheet();
        let doc = geojson(&s);
        assert_eq!(doc["attribution"], ODBL_ATTRIBUTION);
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), s.stops.len() + 1);
        let route = &features[0];
        assert_eq!(route["geometry"]["type"], "LineString");
        assert_eq!(
            route["geometry"]["coordinates"].as_array().unwrap().len(),
            s.path.len()
        );
        assert_eq!(route["properties"]["van"], "Van 1");
        assert_eq!(route["properties"]["km"], 23.646);
        let c12 = &features[2]["properties"];
        assert_eq!(
            features[2]["geometry"]["coordinates"],
            json!([1.533, 42.556])
        );
        assert_eq!(c12["seq"], 1);
        assert_eq!(c12["name"], "Conciergerie 12 (Mairie d'Ordino) & <Co>");
        assert_eq!(
            (c12["eta"].as_str(), c12["window"].as_str()),
            (Some("08:02"), Some("08:10-10:00"))
        );
        assert_eq!(c12["drop_litres"], 300);
        assert!(features[1]["properties"]["window"].is_null());
        // No path: straight legs through the stops.
        let mut s = sheet();
        s.path.clear();
        let doc = geojson(&s);
        let legs = doc["features"][0]["geometry"]["coordinates"]
            .as_array()
            .unwrap();
        assert_eq!(legs.len(), s.stops.len());
        assert_eq!(legs[2], json!([1.59, 42.54]));
    }
}
