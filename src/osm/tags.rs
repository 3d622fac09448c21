//! A small owned tag list.

/// The tags of an OSM object, as `(key, value)` pairs sorted by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    /// Builds tags from pairs (test fixtures, hand-made data).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let mut v: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        v.sort();
        Tags(v)
    }

    /// Keeps the tags of `raw` whose key `keep` accepts.
    pub(crate) fn from_osm(raw: &osmpbfreader::Tags, keep: impl Fn(&str) -> bool) -> Self {
        let mut v: Vec<(String, String)> = raw
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        v.sort();
        Tags(v)
    }

    /// The value of `key`, if tagged.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_str())
    }

    /// `true` if `key` is tagged with `value`.
    pub fn is(&self, key: &str, value: &str) -> bool {
        self.get(key) == Some(value)
    }

    /// Every pair.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// A place's kind as people say it, from its tag (`shop=bakery` -> `bakery`, `amenity=townhall`
/// -> `town hall`, `shop=yes` -> `shop`): for pages people read, never the raw tag.
pub fn kind_label(kind: &str) -> String {
    let (key, value) = kind.split_once('=').unwrap_or(("", kind));
    let word = match value {
        "yes" | "" => key,
        "townhall" => "town hall",
        "convenience" => "grocery",
        v => v,
    };
    word.replace('_', " ")
}

#[cfg(test)]
mod kind_tests {
    use super::kind_label;

    #[test]
    fn kinds_read_as_words() {
        assert_eq!(kind_label("shop=bakery"), "bakery");
        assert_eq!(kind_label("amenity=townhall"), "town hall");
        assert_eq!(kind_label("amenity=post_office"), "post office");
        assert_eq!(kind_label("shop=yes"), "shop");
    }
}
