//! Why a plan could not be made. Each message says what is wrong and what to do.

use super::demand::DemandError;
use super::settings::SettingsError;
use crate::graph::build::BuildError;
use crate::io::households::HouseholdsError;
use crate::model::LonLat;
use crate::osm::OsmError;
use crate::sites::SitingError;
use std::path::PathBuf;

/// Why a stage of the plan failed.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The extract cannot be read.
    #[error(transparent)]
    Osm(#[from] OsmError),
    /// No road graph can be built from the extract.
    #[error(transparent)]
    Graph(#[from] BuildError),
    /// The settings cannot be used.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The households or candidates file cannot be used.
    #[error(transparent)]
    Households(#[from] HouseholdsError),
    /// The day's demand file cannot be used.
    #[error(transparent)]
    Demand(#[from] DemandError),
    /// The planner's sites file cannot be used.
    #[error(transparent)]
    SitesFile(#[from] super::sites_file::SitesFileError),
    /// The week's sites file columns or producers file cannot be followed.
    #[error(transparent)]
    Week(#[from] super::week::WeekError),
    /// The households cannot be grouped as asked.
    #[error(transparent)]
    Siting(#[from] SitingError),
    /// The extract has no household and none was given.
    #[error("no household in {path}: the extract has no residential building nor address. Use an extract that covers villages, or give the households with --households FILE (id,lon,lat[,foyers])")]
    NoHousehold {
        /// The extract.
        path: PathBuf,
    },
    /// Most households of the planner's file lie outside the extract.
    #[error("{outside} of the {total} households of {} lie outside the extract (it spans lon {:.4}..{:.4}, lat {:.4}..{:.4}; the households span lon {:.4}..{:.4}, lat {:.4}..{:.4}): {}", path.display(), extract[0], extract[2], extract[1], extract[3], theirs[0], theirs[2], theirs[1], theirs[3], if *swapped { "longitude and latitude look swapped: write longitude first (lon,lat), or name the columns lon and lat" } else { "use the extract of their territory (--osm), or check their coordinates (longitude first, decimal degrees)" })]
    HouseholdsOutside {
        /// The households file.
        path: PathBuf,
        /// Households outside the extract's box.
        outside: usize,
        /// All the households.
        total: usize,
        /// The extract's box `[lon_min, lat_min, lon_max, lat_max]`.
        extract: [f64; 4],
        /// The households' box.
        theirs: [f64; 4],
        /// Whether swapping the coordinates would put most of them inside.
        swapped: bool,
    },
    /// No place may host a conciergerie.
    #[error("no candidate place: give a CSV with --candidates (id,lon,lat,name) or use --candidates-from households")]
    NoCandidate,
    /// Options that contradict each other.
    #[error("{0}")]
    Options(String),
    /// The depot is off the roads.
    #[error("the depot {name} ({:.5},{:.5}) is not on the extract's roads ({reason}): is it inside the extract? Set `depot = \"lon,lat\"` in the configuration or --depot", .at.lon, .at.lat)]
    DepotOffRoad {
        /// Its name.
        name: String,
        /// Where it is.
        at: LonLat,
        /// What the snapping said (its distance to the nearest road).
        reason: String,
    },
    /// No place to use as a depot.
    #[error("no post office nor public place in the extract to use as a depot: give one with --depot lon,lat")]
    NoDepot,
    /// A solver or a checker broke its contract: a bug.
    #[error("internal error: {0}; please report it")]
    Internal(String),
}
