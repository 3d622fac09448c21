//! The places of an extract as CSV and GeoJSON, with their OSM references (`tournee extract`).

use super::files::{
    create_dir, csv_bytes, geojson_bytes, point_feature, round7, write_file, WriteError,
};
use crate::osm::{Features, Household, Place};
use serde_json::json;
use std::path::{Path, PathBuf};

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn households_csv(h: &[Household]) -> Vec<u8> {
    csv_bytes(
        &[
            "id",
            "osm_id",
            "lon",
            "lat",
            "foyers",
            "foyers_from",
            "source",
            "address",
        ],
        h.iter().map(|h| {
            vec![
                format!("h{}", h.osm),
                h.osm.to_string(),
                round7(h.lon).to_string(),
                round7(h.lat).to_string(),
                h.foyers.to_string(),
                h.foyers_rule.name().to_string(),
                h.source.clone(),
                opt(&h.address),
            ]
        }),
    )
}

fn places_csv(p: &[Place]) -> Vec<u8> {
    csv_bytes(
        &["id", "osm_id", "kind", "name", "lon", "lat", "address"],
        p.iter().map(|p| {
            vec![
                p.osm.to_string(),
                p.osm.to_string(),
                p.kind.clone(),
                opt(&p.name),
                round7(p.lon).to_string(),
                round7(p.lat).to_string(),
                opt(&p.address),
            ]
        }),
    )
}

fn places_geojson(p: &[Place], layer: &str) -> Vec<u8> {
    geojson_bytes(
        p.iter()
            .map(|p| {
                point_feature(
                    p.lon,
                    p.lat,
                    json!({"layer": layer, "osm_id": p.osm.to_string(), "kind": p.kind, "name": p.name, "address": p.address}),
                )
            })
            .collect(),
    )
}

/// Writes `households`, `sites`, `producers` and `post_offices`, each as `.csv` and `.geojson`,
/// into `dir` (created if needed). Returns the files written.
pub fn write_features(features: &Features, dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    create_dir(dir)?;
    let households_geo = geojson_bytes(
        features
            .households
            .iter()
            .map(|h| {
                point_feature(
                    h.lon,
                    h.lat,
                    json!({"layer": "households", "osm_id": h.osm.to_string(), "foyers": h.foyers, "foyers_from": h.foyers_rule.name(), "source": h.source, "address": h.address}),
                )
            })
            .collect(),
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("households.csv", households_csv(&features.households)),
        ("households.geojson", households_geo),
        ("sites.csv", places_csv(&features.candidates)),
        (
            "sites.geojson",
            places_geojson(&features.candidates, "sites"),
        ),
        ("producers.csv", places_csv(&features.producers)),
        (
            "producers.geojson",
            places_geojson(&features.producers, "producers"),
        ),
        ("post_offices.csv", places_csv(&features.post_offices)),
        (
            "post_offices.geojson",
            places_geojson(&features.post_offices, "post_offices"),
        ),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_file(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
