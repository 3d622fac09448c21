//! The closest known word to a misspelt one, for "did you mean ...?" messages.

/// Levenshtein distance between two short words (a long word costs its length times the
/// other's, never more).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The word of `known` closest to `word`: within 2 edits (or a third of its length), else one
/// that starts with `word` or has it as a part (`capacity` for `capacity_litres`).
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    if word.len() > 200 {
        return None;
    }
    known
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .or_else(|| {
            known
                .iter()
                .filter(|c| {
                    word.len() >= 3 && (c.starts_with(word) || c.contains(&format!("_{word}")))
                })
                .map(|c| (c.len(), *c))
                .min()
        })
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_key_is_found() {
        let keys = [
            "time_windows",
            "service",
            "location_index",
            "capacity_litres",
        ];
        assert_eq!(closest("time_window", &keys), Some("time_windows"));
        assert_eq!(closest("servce", &keys), Some("service"));
        assert_eq!(closest("capacity", &keys), Some("capacity_litres"));
        assert_eq!(closest("zzzzzz", &keys), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
