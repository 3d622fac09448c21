//! How many foyers live in a dwelling of the extract, from what OpenStreetMap tags.
//!
//! The rules, first that applies:
//!
//! | the building | foyers | rule |
//! |---|---|---|
//! | tagged `building:flats` (1 to 1,000) | that number | [`FoyersRule::Flats`] |
//! | `building=apartments` | floor area × 0.8 / 65 m², at least 2 | [`FoyersRule::FloorArea`] |
//! | `building=residential` | the same, at least 1 | [`FoyersRule::FloorArea`] |
//! | `building=yes` with `building:levels` of 3 or more | the same, at least 1 | [`FoyersRule::FloorArea`] |
//! | `building=terrace` | footprint / 70 m², at least 1 (one house per 70 m² of row) | [`FoyersRule::Terrace`] |
//! | anything else (a house, a farm, an address point) | 1 | [`FoyersRule::One`] |
//!
//! The floor area is the footprint times `building:levels` (when tagged; else 4 levels for
//! apartments and 2 for a residential building, the medians of the tagged ones in the Andorra
//! and Liechtenstein extracts), of which 80 % is living space, and a French flat has 65 m² on
//! average (INSEE, logements collectifs: 63 m²). An estimate never exceeds 500 foyers. A
//! building drawn as a point has no footprint and counts 1 (2 for apartments).

use serde::Serialize;

/// Living space per foyer in a block of flats, m².
const FLAT_M2: f64 = 65.0;
/// Share of a floor that is living space (walls, stairs, corridors excluded).
const LIVING_SHARE: f64 = 0.8;
/// Footprint of one house in a row, m².
const ROW_HOUSE_M2: f64 = 70.0;
/// Most foyers an estimate gives one building.
const MAX_ESTIMATE: u32 = 500;

/// Which rule gave a dwelling its foyers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoyersRule {
    /// `building:flats` as tagged.
    Flats,
    /// Estimated from the footprint and the levels.
    FloorArea,
    /// Estimated from the footprint of a row of houses.
    Terrace,
    /// One foyer: a house, or nothing to estimate from.
    One,
}

impl FoyersRule {
    /// The rule as written in files: `building:flats`, `floor area`, `row houses`, `one`.
    pub fn name(self) -> &'static str {
        match self {
            FoyersRule::Flats => "building:flats",
            FoyersRule::FloorArea => "floor area",
            FoyersRule::Terrace => "row houses",
            FoyersRule::One => "one",
        }
    }
}

/// The foyers of a dwelling with `building` (its value, if any), `flats` (`building:flats`),
/// `levels` (`building:levels`) and its footprint in m² (`None` for a point).
pub fn estimate(
    building: Option<&str>,
    flats: Option<&str>,
    levels: Option<&str>,
    footprint_m2: Option<f64>,
) -> (u32, FoyersRule) {
    if let Some(f) = flats
        .and_then(|f| f.trim().parse::<u32>().ok())
        .filter(|f| (1..=1000).contains(f))
    {
        return (f, FoyersRule::Flats);
    }
    let levels = levels
        .and_then(|l| l.trim().parse::<f64>().ok())
        .filter(|l| l.is_finite() && *l >= 1.0 && *l <= 200.0);
    let area = footprint_m2.filter(|a| a.is_finite() && *a > 0.0);
    let by_floors = |default_levels: f64, least: u32| {
        let floors = area.unwrap_or(0.0) * levels.unwrap_or(default_levels);
        let n = (floors * LIVING_SHARE / FLAT_M2).round();
        ((n as u32).clamp(least, MAX_ESTIMATE), FoyersRule::FloorArea)
    };
    match building {
        Some("apartments") => by_floors(4.0, 2),
        Some("residential") => by_floors(2.0, 1),
        Some("yes") if levels.is_some_and(|l| l >= 3.0) && area.is_some() => by_floors(3.0, 1),
        Some("terrace") if area.is_some() => {
            let n = (area.unwrap_or(0.0) / ROW_HOUSE_M2).round() as u32;
            (n.clamp(1, MAX_ESTIMATE), FoyersRule::Terrace)
        }
        _ => (1, FoyersRule::One),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_in_order() {
        assert_eq!(
            estimate(Some("apartments"), Some("12"), Some("9"), Some(900.0)),
            (12, FoyersRule::Flats)
        );
        // 368 m² x 4 levels x 0.8 / 65 = 18.1
        assert_eq!(
            estimate(Some("apartments"), None, None, Some(368.0)),
            (18, FoyersRule::FloorArea)
        );
        assert_eq!(
            estimate(Some("apartments"), None, Some("6"), Some(368.0)),
            (27, FoyersRule::FloorArea)
        );
        assert_eq!(
            estimate(Some("apartments"), None, None, None),
            (2, FoyersRule::FloorArea)
        );
        // 119 m² x 2 x 0.8 / 65 = 2.9
        assert_eq!(
            estimate(Some("residential"), None, None, Some(119.0)),
            (3, FoyersRule::FloorArea)
        );
        assert_eq!(
            estimate(Some("yes"), None, Some("6"), Some(300.0)),
            (22, FoyersRule::FloorArea)
        );
        assert_eq!(
            estimate(Some("yes"), None, Some("2"), Some(300.0)),
            (1, FoyersRule::One)
        );
        assert_eq!(
            estimate(Some("terrace"), None, Some("2"), Some(441.0)),
            (6, FoyersRule::Terrace)
        );
        assert_eq!(
            estimate(Some("house"), None, Some("3"), Some(400.0)),
            (1, FoyersRule::One)
        );
        assert_eq!(estimate(None, None, None, None), (1, FoyersRule::One));
    }

    #[test]
    fn nonsense_tags_fall_back() {
        assert_eq!(
            estimate(Some("apartments"), Some("0"), Some("nan"), Some(f64::NAN)),
            (2, FoyersRule::FloorArea)
        );
        assert_eq!(
            estimate(Some("apartments"), Some("5000"), Some("1e9"), Some(1e12)),
            (MAX_ESTIMATE, FoyersRule::FloorArea)
        );
        assert_eq!(
            estimate(Some("house"), Some("-3"), None, None),
            (1, FoyersRule::One)
        );
    }
}
