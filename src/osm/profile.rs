//! Travel profiles: which ways a van or a walker may use, in which directions, at which speed.

use super::speed::parse_maxspeed;
use super::Tags;
use serde::{Deserialize, Serialize};

/// How someone travels on the road network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// A delivery van: public drivable roads, one-ways honoured, speeds from `maxspeed`.
    Car,
    /// A person walking: footways, paths, tracks and roads (not motorways), both ways, 4.5 km/h.
    Foot,
}

/// Walking speed of the foot profile, km/h.
pub const WALKING_KMH: f64 = 4.5;
/// The van's own top speed: `maxspeed` above it is capped (a loaded 3.5 t van keeps to 110 km/h).
pub const VAN_MAX_KMH: f64 = 110.0;

/// Default speed per highway class when `maxspeed` is absent or unreadable, km/h.
///
/// Chosen for French rural roads: 80 km/h is the limit on two-lane roads outside towns, but
/// a van on a mountain or village road averages far less, hence 70/60/50 on secondary to
/// unclassified; residential streets are mostly in 30 or 50 zones; service roads and living
/// streets are walking-pace-plus.
pub const CAR_DEFAULT_SPEEDS: &[(&str, f64)] = &[
    ("motorway", 110.0),
    ("motorway_link", 60.0),
    ("trunk", 90.0),
    ("trunk_link", 50.0),
    ("primary", 80.0),
    ("primary_link", 50.0),
    ("secondary", 70.0),
    ("secondary_link", 40.0),
    ("tertiary", 60.0),
    ("tertiary_link", 40.0),
    ("unclassified", 50.0),
    ("residential", 30.0),
    ("living_street", 10.0),
    ("service", 20.0),
    ("road", 30.0),
];

/// The legal limit per highway class when `maxspeed` is absent (French rules: 80 km/h on
/// two-lane roads outside towns since 2018, 50 in towns, 130 on motorways), km/h, for the
/// rural speed model ([`CarOptions::posted`] = `false`).
pub const CAR_LIMITS: &[(&str, f64)] = &[
    ("motorway", 130.0),
    ("motorway_link", 90.0),
    ("trunk", 110.0),
    ("trunk_link", 70.0),
    ("primary", 80.0),
    ("primary_link", 50.0),
    ("secondary", 80.0),
    ("secondary_link", 50.0),
    ("tertiary", 80.0),
    ("tertiary_link", 50.0),
    ("unclassified", 80.0),
    ("residential", 50.0),
    ("living_street", 20.0),
    ("service", 30.0),
    ("road", 50.0),
];

/// The share of the limit a loaded small van averages on each class of road, for the rural
/// speed model: limits are maxima, and a van slows for bends, villages, crossings, farm
/// traffic and climbs. OSRM's car profile takes 0.8 of `maxspeed` on every road; here the
/// share falls with the class, from 0.85 on motorways and trunk roads to 0.6 on unclassified
/// roads and streets and 0.5 in living streets (project assumptions; see `BENCHMARKS.md` for
/// how far the plain model was from it).
pub const VAN_SHARE: &[(&str, f64)] = &[
    ("motorway", 0.85),
    ("motorway_link", 0.65),
    ("trunk", 0.85),
    ("trunk_link", 0.65),
    ("primary", 0.8),
    ("primary_link", 0.65),
    ("secondary", 0.75),
    ("secondary_link", 0.65),
    ("tertiary", 0.7),
    ("tertiary_link", 0.6),
    ("unclassified", 0.6),
    ("residential", 0.6),
    ("living_street", 0.5),
    ("service", 0.6),
    ("road", 0.6),
];

/// Seconds a van loses entering a junction (three roads or more meet), rural speed model.
pub const JUNCTION_S: f64 = 4.0;
/// Seconds a van loses turning round at a dead end (one road only), rural speed model.
pub const DEAD_END_S: f64 = 20.0;

/// Speed of `highway=track` when tracks are allowed ([`CarOptions::tracks`]), km/h.
pub const TRACK_KMH: f64 = 15.0;

/// Highway classes a walker may use besides the drivable ones (motorways and their links excepted).
const FOOT_ONLY: &[&str] = &[
    "footway",
    "path",
    "pedestrian",
    "steps",
    "track",
    "cycleway",
    "bridleway",
    "corridor",
];

/// Options of the car profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CarOptions {
    /// Allow `highway=track` (farm and forest tracks), excluded by default.
    pub tracks: bool,
    /// The plain model: `maxspeed`, else [`CAR_DEFAULT_SPEEDS`], capped at [`VAN_MAX_KMH`],
    /// and no time lost at junctions. By default (`false`), the rural model: the limit
    /// (`maxspeed`, else [`CAR_LIMITS`]) capped at [`VAN_MAX_KMH`] times [`VAN_SHARE`] of the
    /// class, plus [`JUNCTION_S`] entering a junction and [`DEAD_END_S`] at a dead end (added
    /// by the graph builder).
    pub posted: bool,
}

/// What a profile makes of one way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WayRule {
    /// Speed along the way's drawing direction, km/h (`None`: not allowed that way).
    pub forward_kmh: Option<f64>,
    /// Speed against the drawing direction, km/h.
    pub backward_kmh: Option<f64>,
}

impl Profile {
    /// How this profile may use a way with these tags, or `None` if it may not use it at all.
    pub fn rule(self, tags: &Tags, car: CarOptions) -> Option<WayRule> {
        match self {
            Profile::Car => car_rule(tags, car),
            Profile::Foot => foot_rule(tags),
        }
    }

    /// The name used in files and messages.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Car => "car",
            Profile::Foot => "foot",
        }
    }
}

/// The value of the most specific access tag among `keys` (most specific first).
fn access<'a>(tags: &'a Tags, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| tags.get(k))
}

fn denies(value: Option<&str>) -> bool {
    matches!(
        value,
        Some(
            "no" | "private"
                | "agricultural"
                | "forestry"
                | "emergency"
                | "military"
                | "discouraged"
        )
    )
}

fn car_rule(tags: &Tags, opts: CarOptions) -> Option<WayRule> {
    let highway = tags.get("highway")?;
    let class = |table: &[(&str, f64)]| table.iter().find(|(k, _)| *k == highway).map(|x| x.1);
    let (default, share) = if highway == "track" {
        (opts.tracks.then_some(TRACK_KMH)?, 1.0)
    } else if opts.posted {
        (class(CAR_DEFAULT_SPEEDS)?, 1.0)
    } else {
        (class(CAR_LIMITS)?, class(VAN_SHARE)?)
    };
    if tags.get("area") == Some("yes") {
        return None;
    }
    if denies(access(
        tags,
        &["motorcar", "motor_vehicle", "vehicle", "access"],
    )) {
        return None;
    }
    if highway == "service" && matches!(tags.get("service"), Some("emergency_access")) {
        return None;
    }
    let speed = |key: &str| {
        tags.get(key)
            .and_then(parse_maxspeed)
            .or_else(|| tags.get("maxspeed").and_then(parse_maxspeed))
            .unwrap_or(default)
            .min(VAN_MAX_KMH)
            * share
    };
    let (fwd, bwd) = match oneway(tags, highway) {
        Oneway::Forward => (true, false),
        Oneway::Backward => (false, true),
        Oneway::Both => (true, true),
        Oneway::Unusable => return None,
    };
    Some(WayRule {
        forward_kmh: fwd.then(|| speed("maxspeed:forward")),
        backward_kmh: bwd.then(|| speed("maxspeed:backward")),
    })
}

enum Oneway {
    Forward,
    Backward,
    Both,
    Unusable,
}

fn oneway(tags: &Tags, highway: &str) -> Oneway {
    match tags.get("oneway") {
        Some("yes" | "true" | "1") => Oneway::Forward,
        Some("-1" | "reverse") => Oneway::Backward,
        Some("no" | "false" | "0") => Oneway::Both,
        // Reversible lanes change direction during the day: a plan cannot rely on them.
        Some("reversible" | "alternating") => Oneway::Unusable,
        _ => {
            let roundabout = matches!(tags.get("junction"), Some("roundabout" | "circular"));
            if roundabout || highway == "motorway" {
                Oneway::Forward
            } else {
                Oneway::Both
            }
        }
    }
}

fn foot_rule(tags: &Tags) -> Option<WayRule> {
    let highway = tags.get("highway")?;
    let walkable = FOOT_ONLY.contains(&highway)
        || (CAR_DEFAULT_SPEEDS.iter().any(|(k, _)| *k == highway)
            && !highway.starts_with("motorway"));
    if !walkable {
        return None;
    }
    let foot = tags.get("foot");
    if denies(foot) || (foot.is_none() && denies(tags.get("access"))) {
        return None;
    }
    if highway == "bridleway" && !matches!(foot, Some("yes" | "designated" | "permissive")) {
        return None;
    }
    Some(WayRule {
        forward_kmh: Some(WALKING_KMH),
        backward_kmh: Some(WALKING_KMH),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        Tags::from_pairs(pairs)
    }

    fn car(pairs: &[(&str, &str)]) -> Option<WayRule> {
        Profile::Car.rule(&tags(pairs), CarOptions::default())
    }

    #[test]
    fn one_ways_follow_osm_conventions() {
        let r = car(&[("highway", "residential"), ("oneway", "yes")]).unwrap();
        assert_eq!((r.forward_kmh, r.backward_kmh), (Some(30.0), None));
        let r = car(&[("highway", "residential"), ("oneway", "-1")]).unwrap();
        assert_eq!((r.forward_kmh, r.backward_kmh), (None, Some(30.0)));
        let r = car(&[("highway", "primary"), ("junction", "roundabout")]).unwrap();
        assert_eq!(r.backward_kmh, None);
        let r = car(&[("highway", "motorway")]).unwrap();
        assert_eq!(r.backward_kmh, None);
        let r = car(&[("highway", "motorway"), ("oneway", "no")]).unwrap();
        assert!(r.backward_kmh.is_some());
        assert!(car(&[("highway", "tertiary"), ("oneway", "reversible")]).is_none());
    }

    #[test]
    fn access_restrictions_exclude_the_van_but_most_specific_tag_wins() {
        assert!(car(&[("highway", "service"), ("access", "private")]).is_none());
        assert!(car(&[("highway", "residential"), ("motor_vehicle", "no")]).is_none());
        assert!(car(&[("highway", "residential"), ("vehicle", "no")]).is_none());
        assert!(car(&[
            ("highway", "residential"),
            ("access", "no"),
            ("motor_vehicle", "yes")
        ])
        .is_some());
        assert!(car(&[("highway", "residential"), ("access", "destination")]).is_some());
        assert!(car(&[("highway", "service")]).is_some());
    }

    #[test]
    fn tracks_and_paths_are_not_for_vans_by_default() {
        assert!(car(&[("highway", "track")]).is_none());
        assert!(car(&[("highway", "footway")]).is_none());
        let with_tracks = CarOptions {
            tracks: true,
            ..CarOptions::default()
        };
        let r = Profile::Car
            .rule(&tags(&[("highway", "track")]), with_tracks)
            .unwrap();
        assert_eq!(r.forward_kmh, Some(TRACK_KMH));
    }

    #[test]
    fn speeds_come_from_maxspeed_capped_at_the_van_top_speed() {
        let posted = CarOptions {
            posted: true,
            ..CarOptions::default()
        };
        let car = |p: &[(&str, &str)]| Profile::Car.rule(&tags(p), posted);
        let r = car(&[("highway", "primary"), ("maxspeed", "FR:rural")]).unwrap();
        assert_eq!(r.forward_kmh, Some(80.0));
        let r = car(&[("highway", "motorway"), ("maxspeed", "130")]).unwrap();
        assert_eq!(r.forward_kmh, Some(VAN_MAX_KMH));
        let r = car(&[("highway", "secondary"), ("maxspeed", "none")]).unwrap();
        assert_eq!(r.forward_kmh, Some(70.0));
        let r = car(&[
            ("highway", "secondary"),
            ("maxspeed", "70"),
            ("maxspeed:backward", "50"),
        ])
        .unwrap();
        assert_eq!((r.forward_kmh, r.backward_kmh), (Some(70.0), Some(50.0)));
    }

    #[test]
    fn the_rural_model_takes_a_share_of_the_limit_by_class() {
        let r = car(&[("highway", "primary"), ("maxspeed", "FR:rural")]).unwrap();
        assert_eq!(r.forward_kmh, Some(64.0));
        let r = car(&[("highway", "motorway"), ("maxspeed", "130")]).unwrap();
        assert_eq!(r.forward_kmh, Some(VAN_MAX_KMH * 0.85));
        // No maxspeed: the legal limit of the class.
        let r = car(&[("highway", "unclassified")]).unwrap();
        assert_eq!(r.forward_kmh, Some(48.0));
        let r = car(&[("highway", "residential")]).unwrap();
        assert_eq!(r.forward_kmh, Some(30.0));
        for (class, _) in CAR_LIMITS {
            assert!(VAN_SHARE.iter().any(|(k, _)| k == class), "{class}");
        }
    }

    #[test]
    fn walkers_use_paths_and_roads_both_ways_but_not_motorways() {
        let foot = |p: &[(&str, &str)]| Profile::Foot.rule(&tags(p), CarOptions::default());
        let r = foot(&[("highway", "footway")]).unwrap();
        assert_eq!(
            (r.forward_kmh, r.backward_kmh),
            (Some(WALKING_KMH), Some(WALKING_KMH))
        );
        assert!(foot(&[("highway", "residential"), ("oneway", "yes")])
            .unwrap()
            .backward_kmh
            .is_some());
        assert!(foot(&[("highway", "motorway")]).is_none());
        assert!(foot(&[("highway", "path"), ("foot", "no")]).is_none());
        assert!(foot(&[("highway", "service"), ("access", "private")]).is_none());
        assert!(foot(&[
            ("highway", "service"),
            ("access", "private"),
            ("foot", "yes")
        ])
        .is_some());
    }
}
