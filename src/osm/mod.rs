//! Reading OpenStreetMap extracts.
//!
//! [`read_pbf`] makes one pass over a `.osm.pbf` file and keeps what the rest of tournee needs:
//! the highway ways (for [`crate::graph::build()`]) with every node location they use, and the
//! [`Features`] of the territory: households, candidate conciergerie sites, producers and post
//! offices. [`Profile`] says which ways a van or a walker may use.

mod communes;
mod dwellings;
mod features;
mod framing;
mod profile;
mod read;
mod speed;
pub mod tags;

pub use communes::{locate as locate_communes, Commune};
pub use dwellings::{estimate as estimate_foyers, FoyersRule};
pub use features::{Features, Household, OsmRef, Place};
pub use framing::FramingError;
pub use profile::{
    CarOptions, Profile, WayRule, CAR_DEFAULT_SPEEDS, CAR_LIMITS, DEAD_END_S, JUNCTION_S,
    TRACK_KMH, VAN_MAX_KMH, VAN_SHARE, WALKING_KMH,
};
pub use read::{read_pbf, read_pbf_bytes, OsmError, OsmExtract, OsmWay, ReadStats};
pub use speed::parse_maxspeed;
pub use tags::Tags;
