//! Outputs that people read: summaries for the terminal, and CSV and GeoJSON files to open in a
//! spreadsheet or on a map (geojson.io, QGIS, uMap).
//!
//! * [`sites`]: a conciergerie siting (which site serves which household, how many foyers per
//!   site and how far they live from it, catchments on a map).
//!
//! More to come: route sheets for drivers and scenario comparisons.
//!
//! Every file derived from OpenStreetMap data carries the ODbL attribution
//! ([`crate::osm::write::ODBL_ATTRIBUTION`]); coordinates are written to 7 decimals (1 cm),
//! distances to 0.1 m. Outputs depend only on their inputs, so the same siting always gives
//! byte-identical files.

pub mod sites;
