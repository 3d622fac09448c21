//! Reading a settings file and the flags into one table of values over the defaults, with where
//! each value comes from. Every key of the file is looked at: an unknown key (with the closest
//! known one), a value of the wrong type or a misplaced section is a [`SettingProblem`], and the
//! reading goes on so that a file with several mistakes lists them all. A value refused here
//! keeps its default, so that the checks that follow see a complete table.

use super::file::SettingsFile;
use super::{Flag, Origin, SettingProblem};
use std::collections::BTreeMap;
use std::path::Path;
use toml::{Table, Value};

/// Where each key's value comes from (keys absent: the default).
pub(super) type Origins = BTreeMap<String, Origin>;

/// Keys whose value is a word from a short list, checked here so that the typed reading never
/// fails: `(key, the words, what the default type also accepts)`.
const WORDS: &[(&str, &[&str])] = &[
    ("fleet.van_type", &["diesel", "electric"]),
    ("fleet.vans", &["auto"]),
];

/// The defaults as a TOML table.
fn defaults() -> Table {
    Table::try_from(SettingsFile::default()).expect("the defaults serialise to a table")
}

/// Reads `text` (the file `path`) and `flags` over the defaults. Returns the merged table and
/// the origin of every value that is not a default; problems are appended to `problems`.
pub(super) fn merge(
    file: Option<(&Path, &str)>,
    flags: &[Flag],
    problems: &mut Vec<SettingProblem>,
) -> (Table, Origins) {
    let mut table = defaults();
    let schema = table.clone();
    let mut origins = Origins::new();
    let user = match file {
        None => None,
        Some((path, text)) => match text.parse::<Table>() {
            Ok(user) => Some((path, key_lines(text), user)),
            Err(e) => {
                problems.push(SettingProblem {
                    origin: Origin::File {
                        path: path.into(),
                        line: e.span().map(|s| line_of(text, s.start)),
                    },
                    key: String::new(),
                    value: None,
                    message: format!(
                        "not valid TOML: {}",
                        e.message().trim_end().trim_end_matches('.')
                    ),
                });
                return (table, origins);
            }
        },
    };
    let mut apply = |user: &Table, origin: &dyn Fn(&str) -> Origin| {
        walk(
            user,
            &schema,
            "",
            &mut table,
            &mut origins,
            problems,
            origin,
        )
    };
    if let Some((path, lines, user)) = user {
        apply(&user, &|key: &str| Origin::File {
            path: path.into(),
            line: lines.get(key).copied(),
        });
    }
    for f in flags {
        let mut one = Table::new();
        insert_path(&mut one, f.key, f.value.clone());
        apply(&one, &|_| Origin::Flag(f.name.clone()));
    }
    (table, origins)
}

/// Sets `value` at the dotted `key` of `table`, creating sections.
fn insert_path(table: &mut Table, key: &str, value: Value) {
    match key.split_once('.') {
        None => {
            table.insert(key.to_string(), value);
        }
        Some((section, rest)) => {
            let sub = table
                .entry(section.to_string())
                .or_insert_with(|| Value::Table(Table::new()));
            if let Value::Table(t) = sub {
                insert_path(t, rest, value);
            }
        }
    }
}

/// Checks `user` against `schema` (the defaults at the same level) and copies its good values
/// into `into`.
fn walk(
    user: &Table,
    schema: &Table,
    prefix: &str,
    into: &mut Table,
    origins: &mut Origins,
    problems: &mut Vec<SettingProblem>,
    origin: &dyn Fn(&str) -> Origin,
) {
    for (k, v) in user {
        let key = format!("{prefix}{k}");
        let problem = |message: String, value: Option<&Value>| SettingProblem {
            origin: origin(&key),
            key: key.clone(),
            value: value.map(show),
            message,
        };
        let Some(default) = schema.get(k) else {
            problems.push(problem(unknown(k, prefix, schema), None));
            continue;
        };
        match (default, v) {
            (Value::Table(s), Value::Table(u)) => {
                let Some(Value::Table(sub)) = into.get_mut(k) else {
                    continue;
                };
                walk(u, s, &format!("{key}."), sub, origins, problems, origin);
            }
            (Value::Table(_), _) => problems.push(problem(
                format!("`{key}` is a section: write its keys under [{key}]"),
                Some(v),
            )),
            (_, Value::Table(_)) => problems.push(problem(
                format!(
                    "`{key}` is a value, not a section: write `{k} = {}` under [{}]",
                    show(default),
                    prefix.trim_end_matches('.')
                ),
                None,
            )),
            _ => match conform(&key, default, v).and_then(|value| typed(&key, value)) {
                Ok(value) => {
                    into.insert(k.clone(), value);
                    origins.insert(key.clone(), origin(&key));
                }
                Err(message) => problems.push(problem(message, Some(v))),
            },
        }
    }
}

/// The value to keep for `key` when its default is `default`, or what to write instead.
fn conform(key: &str, default: &Value, v: &Value) -> Result<Value, String> {
    if let Some((_, words)) = WORDS.iter().find(|w| w.0 == key) {
        let ok = match v {
            Value::String(s) => words.contains(&s.trim()),
            Value::Integer(_) => key == "fleet.vans",
            _ => false,
        };
        return if ok {
            Ok(match v {
                Value::String(s) => Value::String(s.trim().to_string()),
                other => other.clone(),
            })
        } else {
            let list: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
            Err(format!(
                "write {}{}",
                if key == "fleet.vans" {
                    "a number of vans or "
                } else {
                    ""
                },
                list.join(" or ")
            ))
        };
    }
    match (default, v) {
        (Value::Float(_), Value::Integer(i)) => Ok(Value::Float(*i as f64)),
        (Value::Array(d), Value::Array(items)) => {
            let each = d.first();
            let mut out = Vec::new();
            for item in items {
                match each {
                    Some(e) => out.push(conform(key, e, item)?),
                    None => out.push(item.clone()),
                }
            }
            Ok(Value::Array(out))
        }
        (d, v) if d.same_type(v) => Ok(v.clone()),
        (d, _) => Err(format!("must be {}, e.g. {}", type_name(d), show(d))),
    }
}

/// `value` if, at the dotted `key` with every other key at its default, it reads as the typed
/// [`SettingsFile`]: the very path the settings take after these checks, so that no value passes
/// here and then fails there (a whole number beyond its field's type, `-1` or `2^32` for a
/// `u32`). Otherwise what to write: the range of the field's type for a whole number.
fn typed(key: &str, value: Value) -> Result<Value, String> {
    let message = match reads(key, &value) {
        Ok(()) => return Ok(value),
        Err(m) => m,
    };
    match whole_range(key, &value) {
        Some((lo, hi)) => Err(format!("must be a whole number from {lo} to {hi}")),
        None => Err(format!("cannot be read: {message}")),
    }
}

/// Whether `value` at the dotted `key` of the defaults reads as a [`SettingsFile`].
fn reads(key: &str, value: &Value) -> Result<(), String> {
    let mut table = defaults();
    insert_path(&mut table, key, value.clone());
    table
        .try_into::<SettingsFile>()
        .map(drop)
        .map_err(|e| e.message().trim_end().to_string())
}

/// For a whole number (or a list of them) at `key`, the smallest and largest its field's type
/// holds, found by reading the bounds of the integer types; `None` for any other value.
fn whole_range(key: &str, value: &Value) -> Option<(i64, i64)> {
    let sample = |b: i64| match value {
        Value::Array(_) => Value::Array(vec![Value::Integer(b)]),
        _ => Value::Integer(b),
    };
    match value {
        Value::Integer(_) => {}
        Value::Array(items) if items.iter().any(Value::is_integer) => {}
        _ => return None,
    }
    let fits = |b: &i64| reads(key, &sample(*b)).is_ok();
    let lo = [
        i64::MIN,
        i32::MIN.into(),
        i16::MIN.into(),
        i8::MIN.into(),
        0,
        1,
    ]
    .into_iter()
    .find(fits)?;
    let hi = [
        i64::MAX,
        u32::MAX.into(),
        i32::MAX.into(),
        u16::MAX.into(),
        i16::MAX.into(),
        u8::MAX.into(),
        i8::MAX.into(),
    ]
    .into_iter()
    .find(fits)?;
    Some((lo, hi))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text in quotes",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list in brackets",
        Value::Table(_) => "a section",
    }
}

/// A value as written in TOML, on one line.
pub(super) fn show(v: &Value) -> String {
    match v {
        Value::Table(_) => "a section".into(),
        other => other.to_string(),
    }
}

/// What to say of an unknown key `k` under `prefix`: the closest key of the same section, or
/// the section where a key of that name lives.
fn unknown(k: &str, prefix: &str, schema: &Table) -> String {
    let full = format!("{prefix}{k}");
    // The very key in another section is the likeliest mistake (`vans` outside `[fleet]`).
    let elsewhere: Vec<String> = defaults()
        .iter()
        .filter_map(|(section, v)| match v {
            Value::Table(t) if t.contains_key(k) => Some(format!("[{section}]")),
            _ => None,
        })
        .collect();
    let keys: Vec<&str> = schema.keys().map(String::as_str).collect();
    let close = crate::io::words::closest(k, &keys).filter(|_| elsewhere.is_empty());
    if let Some(c) = close {
        return format!("`{full}` is not a setting; did you mean `{prefix}{c}`?");
    }
    if !elsewhere.is_empty() {
        return format!(
            "`{full}` is not a setting here; `{k}` belongs under {}",
            elsewhere.join(" or ")
        );
    }
    format!("`{full}` is not a setting")
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of every key of the file, dotted (`fleet.vans`), from the parser's spans.
fn key_lines(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    if let Ok(doc) = toml::de::DeTable::parse(text) {
        collect_lines(doc.get_ref(), "", text, &mut out);
    }
    out
}

fn collect_lines(
    t: &toml::de::DeTable<'_>,
    prefix: &str,
    text: &str,
    out: &mut BTreeMap<String, usize>,
) {
    for (k, v) in t {
        let key = format!("{prefix}{}", k.get_ref());
        out.insert(key.clone(), line_of(text, k.span().start));
        if let toml::de::DeValue::Table(sub) = v.get_ref() {
            collect_lines(sub, &format!("{key}."), text, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_keys() {
        let t = defaults();
        let Value::Table(fleet) = &t["fleet"] else {
            panic!()
        };
        assert!(unknown("vanz", "fleet.", fleet).contains("did you mean `fleet.vans`"));
        assert!(unknown("vans", "", &t).contains("[fleet]"));
        assert!(!unknown("zzzzzz", "", &t).contains("did you mean"));
    }

    /// Every whole-number key of the defaults (dotted), and whether it is a list.
    fn whole_keys(t: &Table, prefix: &str, out: &mut Vec<(String, bool)>) {
        for (k, v) in t {
            match v {
                Value::Table(sub) => whole_keys(sub, &format!("{prefix}{k}."), out),
                Value::Integer(_) => out.push((format!("{prefix}{k}"), false)),
                Value::Array(items) if items.iter().all(Value::is_integer) => {
                    out.push((format!("{prefix}{k}"), true))
                }
                _ => {}
            }
        }
    }

    #[test]
    fn issue32_every_whole_number_key_out_of_its_type_is_refused_with_its_line() {
        let mut keys = Vec::new();
        whole_keys(&defaults(), "", &mut keys);
        assert!(
            keys.iter().any(|k| k.0 == "lockers.collect_days"),
            "{keys:?}"
        );
        assert!(keys.len() >= 10, "{keys:?}");
        for (key, list) in &keys {
            for n in [-1i64, 1 << 32, i64::MAX] {
                let value = if *list {
                    format!("[{n}]")
                } else {
                    n.to_string()
                };
                let text = match key.rsplit_once('.') {
                    Some((section, k)) => format!("# a comment\n[{section}]\n{k} = {value}\n"),
                    None => format!("# a comment\n\n{key} = {value}\n"),
                };
                let Err(e) = super::super::Settings::from_toml(&text, "s.toml", &[]) else {
                    continue;
                };
                let m = e.to_string();
                assert!(!m.contains("internal error"), "{key} = {value}: {m}");
                assert!(
                    m.contains(&format!("s.toml, line 3: {key} = ")),
                    "{key} = {value}: {m}"
                );
            }
        }
        // The case of the issue: the range of the field's type, at its line.
        let e = super::super::Settings::from_toml("[lockers]\ncollect_days = -1\n", "s.toml", &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s.toml, line 2: lockers.collect_days = -1: must be a whole number from 0 to 4294967295"),
            "{e}"
        );
    }

    #[test]
    fn lines_of_keys() {
        let text = "seed = 3\n\n[fleet]\nvans = 2\nshift_start = \"07:00\"\n";
        let l = key_lines(text);
        assert_eq!(l["seed"], 1);
        assert_eq!(l["fleet"], 3);
        assert_eq!(l["fleet.vans"], 4);
        assert_eq!(l["fleet.shift_start"], 5);
    }
}
