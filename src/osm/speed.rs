//! Parsing `maxspeed` values.

/// Parses an OSM `maxspeed` value into km/h.
///
/// Understood: plain numbers (`50`), units (`50 km/h`, `30 mph`, `10 knots`), country implicit
/// values such as `FR:urban` (50), `FR:rural` (80, the French limit on two-lane roads since 2018),
/// `FR:motorway` (130), `FR:zone30` (30), `FR:living_street` (20), `FR:walk` (6) and the same
/// suffixes for other countries, and lists (`50;30`, the lowest is taken). Returns `None` for
/// `none`, `signals`, `variable` and anything else, so that the highway class default applies.
pub fn parse_maxspeed(raw: &str) -> Option<f64> {
    raw.split(';')
        .filter_map(|part| parse_one(part.trim()))
        .fold(None, |acc: Option<f64>, v| {
            Some(acc.map_or(v, |a| a.min(v)))
        })
}

fn parse_one(s: &str) -> Option<f64> {
    if let Some((_country, kind)) = s.split_once(':') {
        return implicit(kind);
    }
    let lower = s.to_ascii_lowercase();
    let (number, factor) = if let Some(n) = lower.strip_suffix("mph") {
        (n, 1.609_344)
    } else if let Some(n) = lower.strip_suffix("knots") {
        (n, 1.852)
    } else if let Some(n) = lower
        .strip_suffix("km/h")
        .or_else(|| lower.strip_suffix("kmh"))
    {
        (n, 1.0)
    } else {
        (lower.as_str(), 1.0)
    };
    let v: f64 = number.trim().replace(',', ".").parse().ok()?;
    (v.is_finite() && v > 0.0 && v <= 300.0).then_some(v * factor)
}

fn implicit(kind: &str) -> Option<f64> {
    Some(match kind.to_ascii_lowercase().as_str() {
        "urban" => 50.0,
        "rural" => 80.0,
        "trunk" | "expressway" => 110.0,
        "motorway" => 130.0,
        "zone30" | "zone:30" => 30.0,
        "zone20" | "zone:20" => 20.0,
        "living_street" => 20.0,
        "bicycle_road" => 30.0,
        "walk" => 6.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_maxspeed as p;

    #[test]
    fn parses_the_forms_found_in_french_data() {
        assert_eq!(p("50"), Some(50.0));
        assert_eq!(p("50 km/h"), Some(50.0));
        assert_eq!(p("FR:rural"), Some(80.0));
        assert_eq!(p("FR:urban"), Some(50.0));
        assert_eq!(p("FR:walk"), Some(6.0));
        assert_eq!(p("FR:zone30"), Some(30.0));
        assert_eq!(p("50;30"), Some(30.0));
        assert!((p("30 mph").unwrap() - 48.28).abs() < 0.01);
    }

    #[test]
    fn rejects_what_is_not_a_speed() {
        for s in [
            "none",
            "signals",
            "variable",
            "",
            "-5",
            "0",
            "fast",
            "FR:unknown",
            "NaN",
        ] {
            assert_eq!(p(s), None, "{s}");
        }
    }
}
