//! `tournee sites --instance FILE`: a capacitated p-median file of the literature.

use super::{fmt, stats_line, RoundingArg, SitesArgs};
use crate::cli::Outcome;
use crate::io::files::write_file;
use crate::io::pmedcap::{self, Rounding};
use crate::sites;
use anyhow::Result;
use std::path::PathBuf;

/// Solves the `--instance` file and prints its cost, bound and statistics.
pub fn run(path: PathBuf, args: &SitesArgs) -> Result<Outcome> {
    let rounding = match args.rounding {
        Some(RoundingArg::Floor) => Rounding::Floor,
        Some(RoundingArg::None) => Rounding::None,
        None => Rounding::for_file(&path),
    };
    let pb = pmedcap::read(&path, rounding)?;
    if let Some(out) = &args.out {
        crate::io::files::check_writable(out)?;
    }
    let params = args.search.params();
    println!(
        "{}: {} points, p = {}, distances {} | seed {} | {} thread(s)",
        path.display(),
        pb.n(),
        pb.p,
        if rounding == Rounding::Floor {
            "floored"
        } else {
            "real"
        },
        params.seed,
        params.threads
    );
    let r = sites::solve_checked(&pb, &params)?;
    println!("cost {}", fmt(r.sites.cost));
    match r.bound {
        Some(b) => println!(
            "lower bound {} ({}), gap {:.3} %",
            fmt(b.value),
            b.method.name(),
            b.gap_percent(r.sites.cost)
        ),
        None => println!("lower bound not computed"),
    }
    println!("{}", stats_line(&r));
    if let Some(out) = &args.out {
        write_file(out, pmedcap::write_assignment(&r.sites).as_bytes())?;
        println!("assignment written to {}", out.display());
    }
    Ok(Outcome::Done)
}
