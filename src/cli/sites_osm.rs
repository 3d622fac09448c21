//! `tournee sites` on an extract: households grouped into conciergerie catchments.
//!
//! Decisions (also in the README):
//! - Households come from the extract (buildings and addresses, see `osm::features`) or a CSV;
//!   candidates are, by default, every household *and* every public place of the extract
//!   (town hall, post office, school, shop...).
//! - Distances are walking distances along the footway network by default (`--distance`).
//! - The number of sites is `--sites`, or the one minimising `site cost x p + cost per km x
//!   foyer-km` when both costs are given, or total foyers / `--target` kept within the range
//!   the bounds allow.
//! - A building with more foyers than `--max` gets a conciergerie of its own (it is listed and
//!   left out of the grouping); a household that cannot reach any candidate (too far from the
//!   network, or on a cut-off part of it) is listed and left out; the command then ends with
//!   exit code 3 (partial result) after writing everything else.

use super::progress::step;
use super::sites::{solve_checked, SitesArgs};
use super::{extract_path, Outcome};
use crate::graph::{self, MatrixBuilder};
use crate::io::households::{read_candidates, read_households};
use crate::osm::{self, Profile};
use crate::report::sites::{self as rs, Place};
use crate::sites::{feasible_p, Candidate, Distances, Siting, SitingError, SitingResult};
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// Which places may host a conciergerie (without `--candidates`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CandidatesFrom {
    /// Any household (a foyer hosting it).
    Households,
    /// Public places of the extract: town halls, post offices, schools, libraries, shops.
    Places,
    /// Both.
    Both,
}

/// The distance households travel to their conciergerie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DistanceArg {
    /// Along footways and roads a pedestrian may use.
    Walking,
    /// Along roads open to cars.
    Driving,
    /// As the crow flies.
    Straight,
}

/// Largest number of points for a road matrix (its memory grows with the square).
const MAX_MATRIX_POINTS: usize = 9_000;

/// A household as grouped: where it is and how many foyers live there.
pub(crate) struct Household {
    pub place: Place,
    pub foyers: i64,
}

/// What a grouping needs besides the extract (from `tournee sites` or the plan's settings).
pub(crate) struct GroupOptions<'a> {
    pub households: Option<&'a std::path::Path>,
    pub candidates: Option<&'a std::path::Path>,
    pub candidates_from: CandidatesFrom,
    pub target: i64,
    pub min: i64,
    pub max: i64,
    pub sites: Option<usize>,
    pub site_cost: Option<f64>,
    pub cost_per_km: Option<f64>,
    pub distance: DistanceArg,
    pub params: crate::sites::SitesParams,
    /// Print the search statistics.
    pub verbose: bool,
}

/// A grouping and what it was made from.
pub(crate) struct Grouping {
    /// Households grouped (in the problem's point order).
    pub households: Vec<Household>,
    /// Candidate places (in the problem's candidate order).
    pub candidates: Vec<Place>,
    /// The problem solved.
    pub pb: Siting,
    /// Its solution.
    pub result: SitingResult,
    /// Households left out (a building larger than a site, or unreachable), one line each.
    pub notes: String,
    /// How many households reach no candidate.
    pub unreachable: usize,
    /// The distance actually used (straight line when too many points for a road matrix).
    pub distance: DistanceArg,
}

/// Planar metres around a reference latitude (equirectangular; fine at a territory's scale).
pub(crate) fn project(lon: f64, lat: f64, lat0: f64) -> [f64; 2] {
    [lon * 111_320.0 * lat0.to_radians().cos(), lat * 110_540.0]
}

/// Runs the extract mode of `tournee sites`.
pub fn run(args: &SitesArgs, verbose: bool) -> Result<Outcome> {
    if args.min > args.max || args.max <= 0 {
        bail!("--min {} and --max {} make no sense: a conciergerie needs 0 <= min <= max and max >= 1", args.min, args.max);
    }
    let path = extract_path(args.osm.clone());
    let stem = super::extract_stem(&path);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("tournee-out").join(&stem).join("sites"));
    eprintln!("tournee sites on {}", path.display());
    let extract = step("reading the extract", || osm::read_pbf(&path))?;

    let opts = GroupOptions {
        households: args.households.as_deref(),
        candidates: args.candidates.as_deref(),
        candidates_from: args.candidates_from,
        target: args.target,
        min: args.min,
        max: args.max,
        sites: args.sites,
        site_cost: args.site_cost,
        cost_per_km: args.cost_per_km,
        distance: args.distance,
        params: args.search.params(),
        verbose,
    };
    let g = group(&extract, &opts, None)?;
    let text = write_grouping(&out, &stem, &g, opts.params.seed)?;
    println!("{text}");
    println!("solved in {:.1} s", g.result.seconds);
    Ok(if g.unreachable == 0 {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}

impl Grouping {
    /// The households as places (the problem's point order).
    fn household_places(&self) -> Vec<Place> {
        self.households.iter().map(|h| h.place.clone()).collect()
    }

    /// Per open site: foyers, households, mean and farthest distance.
    pub fn summaries(&self) -> Vec<rs::SiteSummary> {
        rs::summarise(
            &self.pb,
            &self.result.sites,
            &self.household_places(),
            &self.candidates,
        )
    }
}

/// Groups the households of `extract` (or of the CSV given) into catchments; `graph` is used
/// for road distances when its profile matches (built otherwise).
pub(crate) fn group(
    extract: &osm::OsmExtract,
    opts: &GroupOptions,
    graph: Option<&graph::RoadGraph>,
) -> Result<Grouping> {
    if opts.min > opts.max || opts.max <= 0 {
        bail!("min {} and max {} foyers per conciergerie make no sense: need 0 <= min <= max and max >= 1", opts.min, opts.max);
    }
    // Households.
    let mut households: Vec<Household> = match &opts.households {
        Some(csv) => read_households(csv)?
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
        None => extract
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
    };
    if households.is_empty() {
        bail!(
            "no household found{}; give a CSV of households with --households (id,lon,lat,foyers)",
            if opts.households.is_some() {
                ""
            } else {
                " in the extract (no residential building or address)"
            }
        );
    }
    let mut notes = String::new();
    // Buildings too large for one conciergerie get their own.
    let (big, rest): (Vec<Household>, Vec<Household>) =
        households.drain(..).partition(|h| h.foyers > opts.max);
    households = rest;
    for h in &big {
        let own = (h.foyers + opts.max - 1) / opts.max;
        writeln!(
            notes,
            "{} ({} foyers, more than --max {}): {} conciergerie(s) of its own, not grouped",
            h.place.id, h.foyers, opts.max, own
        )?;
    }

    // Candidates: (place, min, max).
    let mut cands: Vec<(Place, i64, i64, Option<usize>)> = Vec::new();
    match &opts.candidates {
        Some(csv) => {
            for r in read_candidates(csv)? {
                cands.push((
                    Place {
                        id: r.id,
                        name: r.name,
                        lon: r.lon,
                        lat: r.lat,
                    },
                    r.min.unwrap_or(opts.min),
                    r.max.unwrap_or(opts.max),
                    None,
                ));
            }
        }
        None => {
            if opts.candidates_from != CandidatesFrom::Places {
                for (k, h) in households.iter().enumerate() {
                    cands.push((h.place.clone(), opts.min, opts.max, Some(k)));
                }
            }
            if opts.candidates_from != CandidatesFrom::Households {
                let mut seen = std::collections::HashSet::new();
                for p in &extract.features.candidates {
                    if seen.insert(p.osm) {
                        let name = p
                            .name
                            .clone()
                            .map(|n| format!("{n} ({})", p.kind))
                            .or(Some(p.kind.clone()));
                        cands.push((
                            Place {
                                id: p.osm.to_string(),
                                name,
                                lon: p.lon,
                                lat: p.lat,
                            },
                            opts.min,
                            opts.max,
                            None,
                        ));
                    }
                }
            }
        }
    }
    if cands.is_empty() {
        bail!("no candidate place: give a CSV with --candidates (id,lon,lat,name) or use --candidates-from households");
    }

    // Distances.
    let n = households.len();
    let m = cands.len();
    let lat0 = households.iter().map(|h| h.place.lat).sum::<f64>() / n as f64;
    let mut point_xy: Vec<[f64; 2]> = households
        .iter()
        .map(|h| project(h.place.lon, h.place.lat, lat0))
        .collect();
    let candidate_xy: Vec<[f64; 2]> = cands
        .iter()
        .map(|c| project(c.0.lon, c.0.lat, lat0))
        .collect();
    let mut distance_kind = opts.distance;
    if distance_kind != DistanceArg::Straight && n + m > MAX_MATRIX_POINTS {
        eprintln!("  {} households and {} candidates: too many for a road matrix here, using straight-line distances", n, m);
        distance_kind = DistanceArg::Straight;
    }
    let mut matrix: Option<Vec<f32>> = None;
    if distance_kind != DistanceArg::Straight {
        let profile = if distance_kind == DistanceArg::Walking {
            Profile::Foot
        } else {
            Profile::Car
        };
        let built;
        let g = match graph.filter(|g| g.profile() == profile) {
            Some(g) => g,
            None => {
                built = step("building the road graph", || graph::build(extract, profile))?.0;
                &built
            }
        };
        let builder = step("preparing fast queries", || MatrixBuilder::new(g));
        // Households first, then the candidates that are not households.
        let mut points: Vec<(f64, f64)> = households
            .iter()
            .map(|h| (h.place.lon, h.place.lat))
            .collect();
        let mut index_of_cand = Vec::with_capacity(m);
        for c in &cands {
            match c.3 {
                Some(k) => index_of_cand.push(k),
                None => {
                    index_of_cand.push(points.len());
                    points.push((c.0.lon, c.0.lat));
                }
            }
        }
        let mx = step(
            &format!("{} distances", distance_name(distance_kind)),
            || builder.build(&points),
        );
        let mut v = vec![f32::INFINITY; n * m];
        for i in 0..n {
            for (j, &pj) in index_of_cand.iter().enumerate() {
                if let Some(d) = mx.distance(i, pj) {
                    v[i * m + j] = d.0 as f32;
                }
            }
        }
        matrix = Some(v);
    }

    // Households that reach no candidate are left out and listed.
    let reach = |i: usize| {
        matrix
            .as_ref()
            .is_none_or(|v| v[i * m..(i + 1) * m].iter().any(|d| d.is_finite()))
    };
    let keep: Vec<usize> = (0..n).filter(|&i| reach(i)).collect();
    let unreachable: Vec<usize> = (0..n).filter(|&i| !reach(i)).collect();
    for &i in &unreachable {
        writeln!(notes, "{}: no candidate reachable {} (too far from the network or on a cut-off part of it): not grouped", households[i].place.id, distance_name(distance_kind))?;
    }
    let matrix = matrix.map(|v| {
        keep.iter()
            .flat_map(|&i| v[i * m..(i + 1) * m].iter().copied())
            .collect::<Vec<f32>>()
    });
    let hh: Vec<&Household> = keep.iter().map(|&i| &households[i]).collect();
    point_xy = keep.iter().map(|&i| point_xy[i]).collect();
    let new_index: std::collections::HashMap<usize, usize> =
        keep.iter().enumerate().map(|(a, &i)| (i, a)).collect();

    let demand: Vec<i64> = hh.iter().map(|h| h.foyers).collect();
    let total: i64 = demand.iter().sum();
    let mut pb = Siting {
        point_xy,
        weight: demand.iter().map(|&q| q as f64).collect(),
        demand,
        candidate_xy,
        candidates: cands
            .iter()
            .map(|c| Candidate {
                min: c.1,
                max: c.2,
                fixed_cost: 0.0,
                point: c.3.and_then(|k| new_index.get(&k).copied()),
            })
            .collect(),
        p: 1,
        distances: match matrix {
            Some(v) => Distances::Matrix(v),
            None => Distances::Euclid { floor: false },
        },
    };
    let Some((p_low, p_high)) = feasible_p(total, opts.min, opts.max) else {
        return Err(SitingError::NoFeasibleP {
            total,
            min: opts.min,
            max: opts.max,
        }
        .into());
    };
    let params = opts.params.clone();
    let quick = |p: usize, pb: &mut Siting| -> Result<SitingResult> {
        pb.p = p;
        let mut q = params.clone();
        q.time_limit = Some(params.time_limit.map_or(Duration::from_secs(2), |t| t / 8));
        q.kicks = 30;
        q.bound = false;
        solve_checked(pb, &q)
    };
    let p = match (opts.sites, opts.site_cost, opts.cost_per_km) {
        (Some(0), _, _) => p_low,
        (Some(p), _, _) => p,
        (None, Some(fixed), Some(per_km)) => {
            // Scan the feasible range (at most 25 values around the target) with short runs.
            let centre =
                ((total as f64 / opts.target.max(1) as f64).round() as usize).clamp(p_low, p_high);
            let lo = centre.saturating_sub(12).max(p_low);
            let hi = (lo + 24).min(p_high);
            let mut best: Option<(f64, usize)> = None;
            eprintln!("  choosing the number of sites between {lo} and {hi} (site cost {fixed} EUR, {per_km} EUR per foyer-km)");
            for p in lo..=hi {
                let r = quick(p, &mut pb)?;
                let total_cost = fixed * p as f64 + per_km * 2.0 * r.sites.cost / 1000.0;
                eprintln!("    {p} sites: {:.0} EUR per day", total_cost);
                if best.is_none_or(|(c, _)| total_cost < c) {
                    best = Some((total_cost, p));
                }
            }
            best.map_or(p_low, |b| b.1)
        }
        _ => ((total as f64 / opts.target.max(1) as f64).round() as usize).clamp(p_low, p_high),
    };
    pb.p = p;
    eprintln!(
        "  {} households, {} foyers, {} candidates, {} sites of {} to {} foyers (the bounds allow {} to {} sites) | seed {}",
        hh.len(), total, m, p, opts.min, opts.max, p_low, p_high, params.seed
    );
    let r = step("grouping households into catchments", || {
        solve_checked(&pb, &params)
    })?;

    if opts.verbose {
        eprintln!("  {}", super::sites::stats_line(&r));
    }
    let mut slots: Vec<Option<Household>> = households.into_iter().map(Some).collect();
    let households = keep
        .iter()
        .map(|&i| slots[i].take().expect("each household kept once"))
        .collect();
    Ok(Grouping {
        households,
        candidates: cands.into_iter().map(|c| c.0).collect(),
        pb,
        result: r,
        notes,
        unreachable: unreachable.len(),
        distance: distance_kind,
    })
}

/// Writes a grouping's files (assignment.csv, sites.csv, sites.geojson, summary.txt) in `out`
/// and returns the summary's text.
pub(crate) fn write_grouping(
    out: &std::path::Path,
    stem: &str,
    g: &Grouping,
    seed: u64,
) -> Result<String> {
    let (pb, r) = (&g.pb, &g.result);
    let total = pb.total_demand();
    let (min, max) = (
        pb.candidates.iter().map(|c| c.min).min().unwrap_or(0),
        pb.candidates.iter().map(|c| c.max).max().unwrap_or(0),
    );
    let hplaces = g.household_places();
    let summaries = g.summaries();
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the folder {}", out.display()))?;
    rs::write_assignment_csv(
        &out.join("assignment.csv"),
        pb,
        &r.sites,
        &hplaces,
        &g.candidates,
    )?;
    rs::write_sites_csv(&out.join("sites.csv"), &summaries)?;
    rs::write_sites_geojson(
        &out.join("sites.geojson"),
        pb,
        &r.sites,
        &hplaces,
        &g.candidates,
        &summaries,
    )?;
    let sizes: Vec<i64> = summaries.iter().map(|s| s.foyers).collect();
    let mut text = String::new();
    writeln!(text, "Conciergerie sites for {stem}")?;
    writeln!(
        text,
        "  {} households ({} foyers) in {} catchments of {} to {} foyers",
        g.households.len(),
        total,
        pb.p,
        min,
        max
    )?;
    let foyer_km = r.sites.cost / 1000.0;
    writeln!(
        text,
        "  {} distance to the conciergerie: {:.0} m per foyer on average; worst site mean {:.0} m, farthest household {:.0} m",
        distance_name(g.distance),
        r.sites.cost / total.max(1) as f64,
        summaries.iter().map(|s| s.mean_m).fold(0.0, f64::max),
        summaries.iter().map(|s| s.max_m).fold(0.0, f64::max)
    )?;
    writeln!(text, "  total {:.1} foyer-km one way", foyer_km)?;
    match r.bound {
        Some(b) => writeln!(text, "  lower bound {:.1} foyer-km ({}): this grouping is within {:.2} % of the best possible", b.value / 1000.0, b.method.name(), b.gap_percent(r.sites.cost))?,
        None => writeln!(text, "  no lower bound computed")?,
    }
    // No timing in the file: the same seed and budget give byte-identical files.
    writeln!(text, "  seed {seed}")?;
    writeln!(text, "\nFoyers per site:")?;
    text.push_str(&rs::histogram(&sizes, min, max));
    if !g.notes.is_empty() {
        writeln!(text, "\nLeft out of the grouping:")?;
        text.push_str(&g.notes);
    }
    writeln!(text, "\nFiles in {}: sites.csv, assignment.csv, sites.geojson (open it on geojson.io or in QGIS)", out.display())?;
    writeln!(text, "{}", osm::write::ODBL_ATTRIBUTION)?;
    std::fs::write(out.join("summary.txt"), &text)
        .with_context(|| format!("cannot write in {}", out.display()))?;
    Ok(text)
}

fn distance_name(d: DistanceArg) -> &'static str {
    match d {
        DistanceArg::Walking => "walking",
        DistanceArg::Driving => "driving",
        DistanceArg::Straight => "straight-line",
    }
}
