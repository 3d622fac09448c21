//! The territory planned: an extract, its households (the extract's buildings or the planner's
//! own list) and its road networks for vans and for walkers.

use super::progress::{step, Progress};
use super::settings::Settings;
use super::PlanError;
use crate::graph::{self, Network};
use crate::io::households::read_households;
use crate::osm::{self, OsmExtract, Profile};
use crate::sites::summary::Place;
use std::path::{Path, PathBuf};

/// A household as grouped: where it is and how many foyers live there.
#[derive(Clone, Debug, PartialEq)]
pub struct Household {
    /// Its id (an OSM reference such as `way/123`, or the file's id), name (its address) and
    /// place.
    pub place: Place,
    /// Foyers living there (at least 1).
    pub foyers: i64,
}

/// Where the households come from.
#[derive(Clone, Debug, PartialEq)]
pub enum HouseholdsSource {
    /// The extract's dwellings (see [`crate::osm`] for the rules).
    Extract,
    /// The planner's file (`id,lon,lat[,foyers]`).
    File(PathBuf),
}

/// Households given in a file must mostly lie in the extract: a file of another territory, or
/// with longitude and latitude swapped, is refused before any work, with both boxes (a few
/// households outside are kept: the plan measures them in a straight line and names them).
fn outside_check(csv: &Path, households: &[Household], b: [f64; 4]) -> Result<(), PlanError> {
    let margin = 0.01; // about 1 km
    let inside = |lon: f64, lat: f64| {
        lon >= b[0] - margin && lon <= b[2] + margin && lat >= b[1] - margin && lat <= b[3] + margin
    };
    let outside = households
        .iter()
        .filter(|h| !inside(h.place.lon, h.place.lat))
        .count();
    if 2 * outside <= households.len() {
        return Ok(());
    }
    let swapped_inside = households
        .iter()
        .filter(|h| inside(h.place.lat, h.place.lon))
        .count();
    let mut theirs = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for h in households {
        theirs = [
            theirs[0].min(h.place.lon),
            theirs[1].min(h.place.lat),
            theirs[2].max(h.place.lon),
            theirs[3].max(h.place.lat),
        ];
    }
    Err(PlanError::HouseholdsOutside {
        path: csv.into(),
        outside,
        total: households.len(),
        extract: b,
        theirs,
        swapped: 2 * swapped_inside > households.len(),
    })
}

/// An extract with its households and road networks, ready to be planned.
pub struct Territory {
    /// The extract's name without `.osm.pbf`, for titles and output folders.
    pub name: String,
    /// The extract.
    pub extract: OsmExtract,
    /// The households, in the order of the extract (or of the file).
    pub households: Vec<Household>,
    /// Where they come from.
    pub households_source: HouseholdsSource,
    car: Network,
    foot: Network,
}

impl Territory {
    /// Reads the extract at `path`, then as [`Territory::from_extract`].
    pub fn read(
        path: &Path,
        settings: &Settings,
        progress: &dyn Progress,
    ) -> Result<Territory, PlanError> {
        let extract = step(progress, "reading the extract", || osm::read_pbf(path))?;
        Territory::from_extract(extract, settings, progress)
    }

    /// The territory of `extract`: its households (from `settings.households` when given, else
    /// the extract's dwellings) and its van and walking road graphs (their fast-query indexes
    /// are built on first use). Fails when there is no household or no road.
    pub fn from_extract(
        extract: OsmExtract,
        settings: &Settings,
        progress: &dyn Progress,
    ) -> Result<Territory, PlanError> {
        let (households, households_source): (Vec<Household>, _) = match &settings.households {
            Some(csv) => (
                read_households(csv)?
                    .into_iter()
                    .map(|r| Household {
                        place: Place {
                            id: r.id,
                            name: None,
                            lon: r.lon,
                            lat: r.lat,
                        },
                        foyers: r.foyers,
                    })
                    .collect(),
                HouseholdsSource::File(csv.clone()),
            ),
            None => (
                extract
                    .features
                    .households
                    .iter()
                    .map(|h| Household {
                        place: Place {
                            id: h.osm.to_string(),
                            name: h.address.clone(),
                            lon: h.lon,
                            lat: h.lat,
                        },
                        foyers: h.foyers as i64,
                    })
                    .collect(),
                HouseholdsSource::Extract,
            ),
        };
        if households.is_empty() {
            return Err(PlanError::NoHousehold {
                path: extract.source.clone(),
            });
        }
        if let (Some(csv), Some(b)) = (&settings.households, extract.bbox()) {
            outside_check(csv, &households, [b.0, b.1, b.2, b.3])?;
        }
        let opts = graph::build::BuildOptions {
            car: osm::CarOptions {
                posted: settings.fleet.posted_speeds,
                ..osm::CarOptions::default()
            },
            ..graph::build::BuildOptions::default()
        };
        let (car, _) = step(progress, "building the van road graph", || {
            graph::build::build_with(&extract, Profile::Car, opts)
        })?;
        let (foot, _) = step(progress, "building the walking graph", || {
            graph::build(&extract, Profile::Foot)
        })?;
        Ok(Territory {
            name: extract_stem(&extract.source),
            extract,
            households,
            households_source,
            car: Network::new(car),
            foot: Network::new(foot),
        })
    }

    /// The van road network.
    pub fn car(&self) -> &Network {
        &self.car
    }

    /// The walking network.
    pub fn foot(&self) -> &Network {
        &self.foot
    }

    /// The network of `profile`.
    pub fn network(&self, profile: Profile) -> &Network {
        match profile {
            Profile::Car => &self.car,
            Profile::Foot => &self.foot,
        }
    }

    /// Total foyers of the households.
    pub fn foyers(&self) -> i64 {
        self.households.iter().map(|h| h.foyers).sum()
    }

    /// The producers' ids (`way/123`), in the extract's order: as `tournee extract` writes them
    /// and as a demand or producers file names them.
    pub fn producer_ids(&self) -> Vec<String> {
        self.extract
            .features
            .producers
            .iter()
            .map(|p| p.osm.to_string())
            .collect()
    }
}

/// An extract's file name without `.osm.pbf`, for output folders (`tournee-out/<name>`).
pub fn extract_stem(path: &Path) -> String {
    path.file_name()
        .and_then(|s| s.to_str())
        .map(|s| s.trim_end_matches(".pbf").trim_end_matches(".osm"))
        .unwrap_or("extract")
        .to_string()
}
