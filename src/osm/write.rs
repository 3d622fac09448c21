//! Writing the features of an extract as CSV and GeoJSON, with their OSM references.

use super::{Features, Household, Place};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The attribution that must accompany anything derived from OpenStreetMap data.
pub const ODBL_ATTRIBUTION: &str =
    "© OpenStreetMap contributors, data available under the Open Database License (ODbL) — https://www.openstreetmap.org/copyright";

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}; check that the folder exists and is writable")]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// Writes `text` to `path`, naming the file in the error.
pub fn write_file(path: &Path, text: &[u8]) -> Result<(), WriteError> {
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(text))
        .map_err(|source| WriteError {
            path: path.into(),
            source,
        })
}

/// A CSV file in memory: the header, then one record per row.
pub(crate) fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    w.write_record(header).expect("in-memory CSV");
    for r in rows {
        w.write_record(r).expect("in-memory CSV");
    }
    w.into_inner().expect("in-memory CSV")
}

/// A GeoJSON `FeatureCollection` carrying the ODbL attribution.
pub(crate) fn feature_collection(features: Vec<Value>) -> Value {
    json!({
        "type": "FeatureCollection",
        "attribution": ODBL_ATTRIBUTION,
        "features": features,
    })
}

fn geojson(features: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec_pretty(&feature_collection(features)).expect("JSON values serialise")
}

fn point(lon: f64, lat: f64, properties: Value) -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round7(lon), round7(lat)]},
        "properties": properties,
    })
}

/// Rounds degrees to 7 decimals (1 cm), the precision of OSM itself.
pub fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn households_csv(h: &[Household]) -> Vec<u8> {
    csv_bytes(
        &["id", "osm_id", "lon", "lat", "foyers", "source", "address"],
        h.iter().map(|h| {
            vec![
                format!("h{}", h.osm),
                h.osm.to_string(),
                round7(h.lon).to_string(),
                round7(h.lat).to_string(),
                h.foyers.to_string(),
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
    geojson(
        p.iter()
            .map(|p| {
                point(
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
    std::fs::create_dir_all(dir).map_err(|source| WriteError {
        path: dir.into(),
        source,
    })?;
    let households_geo = geojson(
        features
            .households
            .iter()
            .map(|h| {
                point(
                    h.lon,
                    h.lat,
                    json!({"layer": "households", "osm_id": h.osm.to_string(), "foyers": h.foyers, "source": h.source, "address": h.address}),
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
