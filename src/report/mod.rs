//! Outputs that people read: summaries for the terminal, and CSV and GeoJSON files to open in a
//! spreadsheet or on a map (geojson.io, QGIS, uMap).
//!
//! * [`plan`]: every file of a daily plan, from a [`crate::plan::Plan`];
//! * [`grouping`], [`sites`]: a conciergerie siting (which site serves which household, how many
//!   foyers per site and how far they live from it, catchments on a map);
//! * [`sheet`]: the driver's route sheet of one van for one day (printable HTML with a map,
//!   CSV, GPX and GeoJSON), drawn with the small SVG map renderer [`svg`];
//! * [`overview`]: the planner's overview of a daily plan (sites map, sizes, vans);
//! * [`scenario`]: today against the conciergerie network, for local authorities;
//! * [`text`]: the one XML/HTML escaper and the one thousands formatter they all use.
//!
//! Every file derived from OpenStreetMap data carries the ODbL attribution
//! ([`crate::io::files::ODBL_ATTRIBUTION`]); every file is written atomically
//! ([`crate::io::files::write_file`]); coordinates are written to 7 decimals (1 cm),
//! distances to 0.1 m. Outputs depend only on their inputs, so the same siting always gives
//! byte-identical files.

pub mod grouping;
pub mod lang;
pub mod map;
pub mod overview;
pub mod plan;
pub mod scenario;
pub mod sheet;
pub mod sites;
pub mod svg;
pub mod text;
pub mod week;
#[cfg(test)]
mod xml_check;
