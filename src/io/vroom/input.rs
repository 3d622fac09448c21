//! VROOM's input objects as serde reads them. Checks that concern one object run in `TryFrom`,
//! so that serde_json reports them with the line and column where the object ends.

use crate::model::{JobKind, TimeWindow, MAX_DIMS};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// Reads an object as `Raw`, then converts it with `TryFrom` *inside* the map visitor, so that
/// serde_json reports a conversion error at the object's closing brace (a plain
/// `#[serde(try_from)]` would be reported where the parser stopped, often the next line).
fn checked<'de, D, Raw, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    Raw: Deserialize<'de>,
    T: TryFrom<Raw, Error = String>,
{
    struct Checked<Raw, T>(PhantomData<(Raw, T)>);
    impl<'de, Raw: Deserialize<'de>, T: TryFrom<Raw, Error = String>> Visitor<'de> for Checked<Raw, T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let raw = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
            T::try_from(raw).map_err(de::Error::custom)
        }
    }
    d.deserialize_map(Checked(PhantomData))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Input {
    #[serde(default)]
    pub(super) jobs: Vec<VJob>,
    #[serde(default)]
    pub(super) shipments: Vec<VShipment>,
    #[serde(default)]
    pub(super) vehicles: Vec<VVehicle>,
    pub(super) matrices: Option<BTreeMap<String, VProfile>>,
    pub(super) matrix: Option<VMatrix>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VProfile {
    pub(super) durations: Option<VMatrix>,
    pub(super) distances: Option<VMatrix>,
    pub(super) costs: Option<serde::de::IgnoredAny>,
}

/// A square matrix of non-negative integers, `null` = unreachable.
#[derive(Deserialize)]
#[serde(try_from = "Vec<Vec<Option<i64>>>")]
pub(super) struct VMatrix {
    pub(super) n: usize,
    pub(super) data: Vec<Option<i64>>,
}

impl TryFrom<Vec<Vec<Option<i64>>>> for VMatrix {
    type Error = String;
    fn try_from(rows: Vec<Vec<Option<i64>>>) -> Result<Self, String> {
        let n = rows.len();
        if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != n) {
            return Err(format!(
                "the matrix has {n} rows but row {i} has {} entries; it must be square",
                r.len()
            ));
        }
        let data: Vec<Option<i64>> = rows.into_iter().flatten().collect();
        if let Some(k) = data.iter().position(|v| v.is_some_and(|v| v < 0)) {
            return Err(format!("matrix entry [{}][{}] is negative", k / n, k % n));
        }
        Ok(VMatrix { n, data })
    }
}

/// An amount: an array of non-negative integers.
fn amount(values: Option<Vec<i64>>, what: &str) -> Result<Option<Vec<i64>>, String> {
    if let Some(v) = &values {
        if v.iter().any(|&a| a < 0) {
            return Err(format!(
                "{what} {v:?} has a negative value; amounts are >= 0"
            ));
        }
        if v.len() > MAX_DIMS {
            return Err(format!(
                "{what} has {} dimensions; at most {MAX_DIMS} are supported",
                v.len()
            ));
        }
    }
    Ok(values)
}

/// Sorted windows, overlapping ones merged.
fn windows(raw: Vec<[i64; 2]>) -> Result<Vec<TimeWindow>, String> {
    let mut w: Vec<TimeWindow> = Vec::with_capacity(raw.len());
    for [a, b] in raw {
        if a > b || a < 0 {
            return Err(format!(
                "time window [{a}, {b}] must satisfy 0 <= start <= end"
            ));
        }
        w.push(TimeWindow::new(a, b));
    }
    w.sort_by_key(|w| w.start);
    let mut merged: Vec<TimeWindow> = Vec::with_capacity(w.len());
    for x in w {
        match merged.last_mut() {
            Some(m) if x.start <= m.end => m.end = m.end.max(x.end),
            _ => merged.push(x),
        }
    }
    Ok(merged)
}

fn no_coordinates_only(index: Option<u32>, coords: bool, what: &str) -> Result<(), String> {
    if index.is_none() && coords {
        return Err(format!(
            "{what} has coordinates but no index: tournee reads only matrix-based VROOM input; compute a matrix \
             (e.g. with `tournee matrix`), put it in `matrices.car`, and give every location an index"
        ));
    }
    Ok(())
}

/// The fields of a pickup or a delivery of a shipment.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFields {
    id: u64,
    location_index: Option<u32>,
    location: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    service: i64,
    #[serde(default)]
    setup: i64,
    #[serde(default)]
    time_windows: Vec<[i64; 2]>,
    #[serde(default, rename = "description")]
    _description: Option<serde::de::IgnoredAny>,
    setup_per_type: Option<serde::de::IgnoredAny>,
    service_per_type: Option<serde::de::IgnoredAny>,
}

/// A checked task.
pub(super) struct Task {
    pub(super) id: u64,
    pub(super) location: u32,
    pub(super) service: i64,
    pub(super) windows: Vec<TimeWindow>,
}

impl TryFrom<TaskFields> for Task {
    type Error = String;
    fn try_from(f: TaskFields) -> Result<Self, String> {
        let what = format!("task {}", f.id);
        no_coordinates_only(f.location_index, f.location.is_some(), &what)?;
        let Some(location) = f.location_index else {
            return Err(format!("{what} has no location_index"));
        };
        if f.service < 0 {
            return Err(format!("{what}: service {} is negative", f.service));
        }
        if f.setup_per_type.is_some() || f.service_per_type.is_some() {
            return Err(format!(
                "{what}: setup_per_type and service_per_type are not supported yet; give `service`"
            ));
        }
        if f.setup != 0 {
            return Err(format!(
                "{what}: setup times are not supported yet; add them to `service`"
            ));
        }
        Ok(Task {
            id: f.id,
            location,
            service: f.service,
            windows: windows(f.time_windows)?,
        })
    }
}

/// A job's fields: those of a task (written out, since serde's `flatten` cannot refuse unknown
/// keys), then its amounts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JobFields {
    id: u64,
    location_index: Option<u32>,
    location: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    service: i64,
    #[serde(default)]
    setup: i64,
    #[serde(default)]
    time_windows: Vec<[i64; 2]>,
    #[serde(default, rename = "description")]
    _description: Option<serde::de::IgnoredAny>,
    setup_per_type: Option<serde::de::IgnoredAny>,
    service_per_type: Option<serde::de::IgnoredAny>,
    delivery: Option<Vec<i64>>,
    pickup: Option<Vec<i64>>,
    amount: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    priority: u32,
    #[serde(default)]
    skills: Vec<u64>,
}

pub(super) struct VJob {
    pub(super) task: Task,
    pub(super) kind: JobKind,
    pub(super) amount: Option<Vec<i64>>,
    pub(super) priority: u32,
    pub(super) skills: Vec<u64>,
}

impl TryFrom<JobFields> for VJob {
    type Error = String;
    fn try_from(f: JobFields) -> Result<Self, String> {
        let id = f.id;
        if f.amount.is_some() {
            return Err(format!(
                "job {id}: `amount` is deprecated in VROOM; write `delivery` or `pickup`"
            ));
        }
        let delivery = amount(f.delivery, &format!("job {id}: delivery"))?;
        let pickup = amount(f.pickup, &format!("job {id}: pickup"))?;
        let nonzero = |a: &Option<Vec<i64>>| a.as_ref().is_some_and(|v| v.iter().any(|&x| x != 0));
        let (kind, amount) = match (nonzero(&delivery), nonzero(&pickup)) {
            (true, true) => {
                return Err(format!(
                    "job {id} has both a delivery and a pickup amount; mixed jobs are not supported yet: \
                     write two jobs (one delivery, one pickup) or a shipment"
                ))
            }
            (false, true) => (JobKind::Pickup, pickup),
            _ => (JobKind::Delivery, delivery.or(pickup)),
        };
        let task = TaskFields {
            id,
            location_index: f.location_index,
            location: f.location,
            service: f.service,
            setup: f.setup,
            time_windows: f.time_windows,
            _description: None,
            setup_per_type: f.setup_per_type,
            service_per_type: f.service_per_type,
        };
        Ok(VJob {
            task: Task::try_from(task)?,
            kind,
            amount,
            priority: f.priority,
            skills: f.skills,
        })
    }
}

impl<'de> Deserialize<'de> for VJob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked::<D, JobFields, VJob>(d)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShipmentFields {
    pickup: TaskFields,
    delivery: TaskFields,
    amount: Option<Vec<i64>>,
    #[serde(default)]
    priority: u32,
    #[serde(default)]
    skills: Vec<u64>,
}

pub(super) struct VShipment {
    pub(super) pickup: Task,
    pub(super) delivery: Task,
    pub(super) amount: Option<Vec<i64>>,
    pub(super) priority: u32,
    pub(super) skills: Vec<u64>,
}

impl TryFrom<ShipmentFields> for VShipment {
    type Error = String;
    fn try_from(f: ShipmentFields) -> Result<Self, String> {
        let what = format!("shipment {}-{}: amount", f.pickup.id, f.delivery.id);
        Ok(VShipment {
            amount: amount(f.amount, &what)?,
            pickup: Task::try_from(f.pickup)?,
            delivery: Task::try_from(f.delivery)?,
            priority: f.priority,
            skills: f.skills,
        })
    }
}

impl<'de> Deserialize<'de> for VShipment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked::<D, ShipmentFields, VShipment>(d)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CostsFields {
    #[serde(default)]
    pub(super) fixed: i64,
    #[serde(default = "default_per_hour")]
    pub(super) per_hour: i64,
    #[serde(default)]
    pub(super) per_km: i64,
}

fn default_per_hour() -> i64 {
    3600
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VehicleFields {
    id: u64,
    #[serde(default, rename = "description")]
    _description: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "type")]
    _type: Option<serde::de::IgnoredAny>,
    profile: Option<String>,
    start_index: Option<u32>,
    end_index: Option<u32>,
    start: Option<serde::de::IgnoredAny>,
    end: Option<serde::de::IgnoredAny>,
    capacity: Option<Vec<i64>>,
    time_window: Option<[i64; 2]>,
    max_distance: Option<i64>,
    max_travel_time: Option<serde::de::IgnoredAny>,
    max_tasks: Option<serde::de::IgnoredAny>,
    costs: Option<CostsFields>,
    #[serde(default)]
    skills: Vec<u64>,
    #[serde(default)]
    breaks: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    steps: Vec<serde::de::IgnoredAny>,
    speed_factor: Option<f64>,
}

pub(super) struct VVehicle {
    pub(super) id: u64,
    pub(super) profile: String,
    pub(super) start: Option<u32>,
    pub(super) end: Option<u32>,
    pub(super) capacity: Option<Vec<i64>>,
    pub(super) shift: TimeWindow,
    pub(super) max_distance: Option<i64>,
    pub(super) costs: Option<CostsFields>,
    pub(super) skills: Vec<u64>,
}

impl TryFrom<VehicleFields> for VVehicle {
    type Error = String;
    fn try_from(f: VehicleFields) -> Result<Self, String> {
        let id = f.id;
        let unsupported = |key: &str, why: &str| {
            Err(format!(
                "vehicle {id}: `{key}` is not supported yet ({why})"
            ))
        };
        if f.max_travel_time.is_some() {
            return unsupported(
                "max_travel_time",
                "the model limits the whole route duration, waiting and service included",
            );
        }
        if f.max_tasks.is_some() {
            return unsupported("max_tasks", "no limit on the number of stops");
        }
        if !f.breaks.is_empty() {
            return unsupported("breaks", "no driver breaks");
        }
        if !f.steps.is_empty() {
            return unsupported("steps", "no imposed route");
        }
        if f.speed_factor.is_some_and(|s| s != 1.0) {
            return unsupported("speed_factor", "scale the matrix instead");
        }
        no_coordinates_only(
            f.start_index,
            f.start.is_some(),
            &format!("vehicle {id}: start"),
        )?;
        no_coordinates_only(f.end_index, f.end.is_some(), &format!("vehicle {id}: end"))?;
        if f.start_index.is_none() && f.end_index.is_none() {
            return Err(format!(
                "vehicle {id} has neither start_index nor end_index; give at least one"
            ));
        }
        let shift = match f.time_window {
            Some([a, b]) if a > b || a < 0 => {
                return Err(format!(
                    "vehicle {id}: time_window [{a}, {b}] must satisfy 0 <= start <= end"
                ))
            }
            Some([a, b]) => TimeWindow::new(a, b),
            None => TimeWindow::ALWAYS,
        };
        if f.max_distance.is_some_and(|d| d < 0) {
            return Err(format!("vehicle {id}: max_distance is negative"));
        }
        if let Some(c) = &f.costs {
            if c.fixed < 0 || c.per_hour < 0 || c.per_km < 0 {
                return Err(format!("vehicle {id}: costs must be >= 0"));
            }
        }
        Ok(VVehicle {
            id,
            profile: f.profile.unwrap_or_else(|| "car".into()),
            start: f.start_index,
            end: f.end_index,
            capacity: amount(f.capacity, &format!("vehicle {id}: capacity"))?,
            shift,
            max_distance: f.max_distance,
            costs: f.costs,
            skills: f.skills,
        })
    }
}

impl<'de> Deserialize<'de> for VVehicle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked::<D, VehicleFields, VVehicle>(d)
    }
}
