//! The scenario report for local authorities: today against the conciergerie network, per day
//! and per year, with bar charts (inline SVG) and the scope of every emission factor printed.
//! Self-contained HTML, printable, no script.

use super::lang::{date, number, Lang};
use super::text::{escape, thousands};
use crate::io::files::ODBL_ATTRIBUTION;
use crate::plan::scenario::communes::CommuneFigures;
use crate::plan::scenario::payers::Payers;
use crate::plan::scenario::postal::Postal;
use crate::plan::scenario::Figures;
use crate::plan::settings::{Factors, Funding, Postman};
use std::fmt::Write as _;

/// The row of the households in no commune, as the plan names it.
const OUTSIDE: &str = "outside the communes";

/// A commune's name on the page: the row of no commune in the page's language.
fn commune_name(fr: bool, name: &str) -> String {
    match name {
        OUTSIDE if fr => "hors des communes".to_string(),
        n => n.to_string(),
    }
}

/// What the report shows.
#[derive(Clone, Debug)]
pub struct Input {
    /// Language of the page (the notes and warnings come from the plan, in English).
    pub lang: Lang,
    /// Territory name.
    pub territory: String,
    /// Day planned.
    pub date: String,
    /// When the figures are a week's mean day: the week's last date (`date` is its first).
    pub week_to: Option<String>,
    /// Households grouped.
    pub households: usize,
    /// Their foyers.
    pub foyers: i64,
    /// Conciergeries (hamlet sites and home deliveries included).
    pub conciergeries: usize,
    /// Of them, hamlet sites and home deliveries.
    pub apart: (usize, usize),
    /// Today.
    pub baseline: Figures,
    /// With conciergeries.
    pub main: Figures,
    /// With conciergeries and the other van type.
    pub other_van: Figures,
    /// With conciergeries of other sizes (foyers per site, figures).
    pub sizes: Vec<(i64, Figures)>,
    /// Scope of the van factor.
    pub van_scope: String,
    /// Scope of the other van's factor.
    pub other_van_scope: String,
    /// Scope of the car factor.
    pub car_scope: String,
    /// Assumptions, one sentence each.
    pub notes: Vec<String>,
    /// What the reader must not miss (work left unserved), shown above the figures.
    pub warnings: Vec<String>,
    /// Who pays.
    pub payers: Payers,
    /// The funding assumptions.
    pub funding: Funding,
    /// The cost factors.
    pub factors: Factors,
    /// The postman's rounds, letters included, with their assumptions.
    pub postal: Option<(Postal, Postman)>,
    /// The figures per commune (empty: the extract has no commune boundaries).
    pub communes: Vec<CommuneFigures>,
    /// A small map of the communes and the conciergeries (inline SVG).
    pub commune_map: Option<String>,
}

/// The per-commune section: one row per commune, a small map, and a line naming the commune
/// whose foyers walk farthest and the one with the most far households.
fn communes_section(s: &mut String, i: &Input) {
    if i.communes.is_empty() {
        return;
    }
    let fr = i.lang == Lang::Fr;
    let w = |en: &'static str, french: &'static str| if fr { french } else { en };
    let n0 = |x: f64| number(i.lang, x, 0);
    let _ = write!(
        s,
        "<h2>{}</h2>\n<p class=\"small\">{}</p>\n<table class=\"small\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        w("Per commune", "Par commune"),
        w(
            "Households, walks and car kilometres are each commune's own households'; the operator's cost and the collectivity's contribution are shared by foyers (a van round crosses communes). Far: more than 2 km from the conciergerie.",
            "Logements, marche et kilomètres en voiture sont ceux des logements de chaque commune ; le coût de l'opérateur et la part de la collectivité sont répartis au prorata des foyers (une tournée traverse les communes). Éloignés : à plus de 2 km de la conciergerie.",
        ),
        w("Commune", "Commune"),
        w("households", "logements"),
        w("foyers", "foyers"),
        w("conciergeries", "conciergeries"),
        w("mean walk (m)", "marche moyenne (m)"),
        w("far households", "logements éloignés"),
        w("car-km/day today → with", "voiture-km/jour aujourd'hui → avec"),
        w("operator's cost EUR/year", "coût opérateur EUR/an"),
        w("collectivity EUR/year", "collectivité EUR/an"),
    );
    for c in &i.communes {
        let name = commune_name(fr, &c.name);
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            n0(c.households as f64),
            n0(c.foyers as f64),
            c.sites,
            n0(c.mean_walk_m),
            c.far,
            n0(c.car_km_today),
            n0(c.car_km_with),
            n0(c.operator_eur_year),
            n0(c.collectivity_eur_year)
        );
    }
    s.push_str("</tbody></table>\n");
    if let Some(svg) = &i.commune_map {
        let _ = writeln!(s, "<figure>{svg}</figure>");
    }
    let farthest = i
        .communes
        .iter()
        .max_by(|a, b| a.mean_walk_m.total_cmp(&b.mean_walk_m));
    let most_far = i.communes.iter().max_by_key(|c| (c.far, c.households));
    let mut lines = Vec::new();
    if let Some(c) = farthest {
        lines.push(if fr {
            format!("C'est {} que les foyers marchent le plus loin jusqu'à leur conciergerie : {} m en moyenne.", match c.name.as_str() { OUTSIDE => "hors des communes".to_string(), n => format!("à {n}") }, n0(c.mean_walk_m))
        } else {
            format!("Foyers walk farthest to their conciergerie in {}: {} m on average.", c.name, n0(c.mean_walk_m))
        });
    }
    if let Some(c) = most_far.filter(|c| c.far > 0) {
        lines.push(if fr {
            format!("{} compte le plus de logements à plus de 2 km de leur conciergerie ({}) : une conciergerie de plus, ou une tournée qui passe chez eux, y répondrait.", commune_name(fr, &c.name), c.far)
        } else {
            format!("{} has the most households more than 2 km from their conciergerie ({}): one more conciergerie there, or a van stopping at their doors, would serve them.", c.name, c.far)
        });
    }
    s.push_str("<ul>\n");
    for l in lines {
        let _ = writeln!(s, "<li>{}</li>", escape(&l));
    }
    s.push_str("</ul>\n");
}

/// The postman's section: per mail rhythm, today's round (letterboxes and parcel doors) against
/// the mail dropped at the conciergeries, per mail day and per year, with a conclusion line.
fn postal_section(s: &mut String, i: &Input) {
    let Some((p, po)) = &i.postal else { return };
    let fr = i.lang == Lang::Fr;
    let w = |en: &'static str, french: &'static str| if fr { french } else { en };
    let n0 = |x: f64| number(i.lang, x, 0);
    let van = i.main.van_type;
    let _ = write!(
        s,
        "<h2>{}</h2>\n<p class=\"small\">{}</p>\n<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        w("The postman, letters included", "Le facteur, courrier compris"),
        escape(&if fr {
            format!(
                "Aujourd'hui, le facteur s'arrête à chaque boîte aux lettres qui reçoit du courrier ({} % des boîtes un jour de courrier quand il passe 6 jours sur 7, {} s par boîte) et à chaque porte qui reçoit un colis (2 min) ; les jours sans courrier, aux seuls colis. Avec les conciergeries, il dépose le courrier de tous les foyers à chaque conciergerie ({} min), et les colis voyagent avec les camionnettes des conciergeries. Tournées calculées sur le réseau routier avec le même solveur.",
                n0(po.mail_share * 100.0), n0(po.letterbox_seconds), number(i.lang, po.site_minutes, 1)
            )
        } else {
            format!(
                "Today the postman stops at every letterbox receiving mail ({} % of the boxes on a mail day when mail comes 6 days a week, {} s a box) and at every door receiving a parcel (2 min); on days without mail, at the parcels only. With conciergeries the postman drops all its foyers' mail at each conciergerie ({} min), and the parcels travel with the conciergerie vans. Rounds solved on the road network with the same solver.",
                n0(po.mail_share * 100.0), n0(po.letterbox_seconds), number(i.lang, po.site_minutes, 1)
            )
        }),
        w("Mail", "Courrier"),
        w("", ""),
        w("stops per mail day", "arrêts par jour de courrier"),
        w("km per mail day", "km par jour de courrier"),
        w("km per year", "km par an"),
        w("driver hours per year", "heures de conduite par an"),
        w("tCO2e per year", "tCO2e par an"),
        w("EUR per year", "EUR par an"),
    );
    let mut lines = Vec::new();
    for r in &p.rhythms {
        let rhythm = if fr {
            format!("{} jours sur 7", r.mail_days)
        } else {
            format!("{} days a week", r.mail_days)
        };
        let today = p.year(r, false, &i.factors, van);
        let sites = p.year(r, true, &i.factors, van);
        for (who, t, y) in [
            (w("today", "aujourd'hui"), &r.today, today),
            (
                w("with conciergeries", "avec les conciergeries"),
                &r.sites,
                sites,
            ),
        ] {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&rhythm),
                who,
                n0(t.van_stops as f64),
                number(i.lang, t.van_km, 1),
                n0(y.km),
                n0(y.hours),
                number(i.lang, y.co2_kg / 1000.0, 1),
                n0(y.eur)
            );
        }
        let fewer = 100.0 * (1.0 - r.sites.van_stops as f64 / (r.today.van_stops as f64).max(1.0));
        lines.push(if fr {
            format!(
                "Courrier {rhythm} : le facteur s'arrête {} fois par jour de courrier au lieu de {} ({} % d'arrêts en moins), roule {} km de moins par an et La Poste économise {} EUR par an ({} tCO2e de moins).",
                n0(r.sites.van_stops as f64), n0(r.today.van_stops as f64), n0(fewer),
                n0(today.km - sites.km), n0(today.eur - sites.eur), number(i.lang, (today.co2_kg - sites.co2_kg) / 1000.0, 1)
            )
        } else {
            format!(
                "Mail {rhythm}: the postman stops {} times a mail day instead of {} ({} % fewer stops), drives {} km less a year, and La Poste saves {} EUR a year ({} tCO2e less).",
                n0(r.sites.van_stops as f64), n0(r.today.van_stops as f64), n0(fewer),
                n0(today.km - sites.km), n0(today.eur - sites.eur), number(i.lang, (today.co2_kg - sites.co2_kg) / 1000.0, 1)
            )
        });
    }
    s.push_str("</tbody></table>\n<ul>\n");
    for l in lines {
        let _ = writeln!(s, "<li>{}</li>", escape(&l));
    }
    s.push_str("</ul>\n");
}

/// The "who pays" section: the operator's cost and who covers it, the households' travel,
/// the break-even participation, the price by participation, the jobs, and every assumption.
fn who_pays(s: &mut String, i: &Input) {
    let (p, l) = (&i.payers, i.lang);
    let fr = l == Lang::Fr;
    let w = |en: &'static str, french: &'static str| if fr { french } else { en };
    let eur = |x: f64| format!("{} EUR", number(l, x, 0));
    let pct = |x: f64| format!("{} %", number(l, 100.0 * x, 0));
    let _ = writeln!(
        s,
        "<h2>{}</h2>\n<table><thead><tr><th></th><th>{}</th></tr></thead><tbody>",
        w("Who pays", "Qui paie"),
        w("EUR per year", "EUR par an")
    );
    let mut row = |label: String, value: String| {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{value}</td></tr>",
            escape(&label).replace("  ", "&nbsp;&nbsp;&nbsp;")
        );
    };
    row(
        w(
            "Operator's cost: vans, drivers and sites",
            "Coût de l'opérateur : véhicules, chauffeurs et sites",
        )
        .into(),
        eur(p.operator_cost),
    );
    row(
        w(
            "  of which sites (hosts' allowances, lockers)",
            "  dont sites (indemnités des hôtes, casiers)",
        )
        .into(),
        eur(p.sites_cost),
    );
    row(
        format!(
            "{} ({})",
            w("Paid by the collectivity", "Payé par la collectivité"),
            pct(i.funding.collectivity_share)
        ),
        eur(p.collectivity),
    );
    let (paid, price) = if fr {
        (
            "Payé par les abonnés ({} des foyers, {} EUR par foyer et par mois{})",
            ", prix d'équilibre",
        )
    } else {
        (
            "Paid by the subscribers ({} of the foyers, {} EUR per foyer per month{})",
            ", the balancing price",
        )
    };
    let mut parts = paid.split("{}");
    let mut text = String::new();
    for value in [
        pct(p.participation),
        number(l, p.subscription_eur_per_month, 2),
        if p.balanced {
            price.to_string()
        } else {
            String::new()
        },
    ] {
        text.push_str(parts.next().unwrap_or(""));
        text.push_str(&value);
    }
    text.push_str(parts.next().unwrap_or(""));
    row(text, eur(p.subscriptions));
    if !p.balanced {
        row(
            w(
                "Left to the operator (negative: a surplus)",
                "Reste à l'opérateur (négatif : excédent)",
            )
            .into(),
            eur(p.deficit),
        );
    }
    row(
        w(
            "Households' own car costs with the service",
            "Frais de voiture des foyers avec le service",
        )
        .into(),
        eur(p.households_travel),
    );
    row(
        w(
            "Households' car costs saved against today",
            "Frais de voiture économisés par les foyers",
        )
        .into(),
        eur(p.households_saving),
    );
    s.push_str("</tbody></table>\n");
    let be = p.break_even_participation;
    let _ = writeln!(
        s,
        "<p><b>{}</b></p>",
        escape(&match (fr, be.is_finite() && be <= 1.0) {
            (false, true) => format!("Break-even participation: {} of the foyers. Above it, a subscriber pays less than the service saves them in car trips.", pct(be)),
            (true, true) => format!("Participation d'équilibre : {} des foyers. Au-delà, un abonné paie moins que ce que le service lui fait économiser en voiture.", pct(be)),
            (false, false) => "At this collectivity share, the balancing subscription stays above what the service saves a subscriber in car trips, whatever the participation.".into(),
            (true, false) => "Avec cette part de la collectivité, l'abonnement d'équilibre reste supérieur à ce que le service fait économiser en voiture, quelle que soit la participation.".into(),
        })
    );
    let _ = writeln!(
        s,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        w("Foyers subscribing", "Foyers abonnés"),
        w(
            "Balancing subscription, EUR per foyer per month",
            "Abonnement d'équilibre, EUR par foyer et par mois"
        ),
        w(
            "Car saving, EUR per subscriber per month",
            "Économie de voiture, EUR par abonné et par mois"
        )
    );
    let saving = p.saving_per_foyer_month(i.foyers);
    for &(part, price) in &p.by_participation {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            pct(part),
            number(l, price, 2),
            number(l, saving, 2)
        );
    }
    s.push_str("</tbody></table>\n");
    let _ = writeln!(
        s,
        "<p>{}</p>",
        escape(&if fr {
            format!(
                "Emplois : {} équivalents temps plein de chauffeur {} qu'aujourd'hui (1 607 h par an).",
                number(l, p.jobs_fte.abs(), 1),
                if p.jobs_fte >= 0.0 { "de plus" } else { "de moins" }
            )
        } else {
            format!(
                "Jobs: {} full-time driver jobs {} than today (1,607 h a year each).",
                number(l, p.jobs_fte.abs(), 1),
                if p.jobs_fte >= 0.0 { "more" } else { "fewer" }
            )
        })
    );
    let f = &i.factors;
    let _ = writeln!(
        s,
        "<p class=\"small\">{}</p>",
        escape(&if fr {
            format!("Hypothèses : chauffeur {} EUR/h ; véhicule {} EUR/km et {} EUR par jour utilisé ; voiture des foyers {} EUR/km ; site {} EUR par mois ; {} jours par an ; les tournées sont dimensionnées pour tous les foyers, abonnés ou non.", number(l, f.driver_eur_per_hour, 2), number(l, f.van_eur_per_km(i.main.van_type), 2), number(l, f.van_eur_per_day, 2), number(l, f.car_eur_per_km, 2), number(l, i.funding.site_eur_per_month, 2), number(l, f.days_per_year, 0))
        } else {
            format!("Assumptions: driver {} EUR/h; van {} EUR/km and {} EUR per day used; households' car {} EUR/km; site {} EUR a month; {} days a year; the rounds are sized for every foyer, subscribing or not.", number(l, f.driver_eur_per_hour, 2), number(l, f.van_eur_per_km(i.main.van_type), 2), number(l, f.van_eur_per_day, 2), number(l, f.car_eur_per_km, 2), number(l, i.funding.site_eur_per_month, 2), number(l, f.days_per_year, 0))
        })
    );
}

/// A scenario's name ("today", "conciergeries", "30 foyers per site") in `lang`.
fn scenario_name(lang: Lang, name: &str) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    match name {
        "today" => "aujourd'hui".into(),
        "conciergeries" => "conciergeries".into(),
        n => n
            .replace("foyers per site", "foyers par site")
            .replace("other van type", "autre type de camionnette")
            .replace("electric vans", "camionnettes électriques")
            .replace("diesel vans", "camionnettes diesel"),
    }
}

/// "diesel vans" / "camionnettes diesel".
fn van_kind(lang: Lang, kind: &str) -> String {
    match (lang, kind) {
        (Lang::En, k) => format!("{k} vans"),
        (Lang::Fr, "electric") => "camionnettes électriques".into(),
        (Lang::Fr, k) => format!("camionnettes {k}"),
    }
}

/// A horizontal bar chart: one bar per `(label, value)`, values in `unit`.
fn bars(title: &str, unit: &str, rows: &[(String, f64)], decimals: usize) -> String {
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-9);
    let (w, label_w, row_h) = (640.0, 230.0, 26.0);
    let h = 30.0 + row_h * rows.len() as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<figure><svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"><text x="0" y="16" font-size="14" font-weight="bold">{t}</text>"#,
        t = escape(title)
    );
    let palette = [
        "#8c8c8c", "#1b7837", "#5aae61", "#2166ac", "#67a9cf", "#d6604d", "#f4a582",
    ];
    for (k, (label, v)) in rows.iter().enumerate() {
        let y = 28.0 + row_h * k as f64;
        let bw = ((w - label_w - 110.0) * v / max).max(0.0);
        let _ = write!(
            s,
            r#"<text x="0" y="{ty:.1}" font-size="12">{l}</text><rect x="{label_w}" y="{y:.1}" width="{bw:.1}" height="{bh}" fill="{c}"/><text x="{tx:.1}" y="{ty:.1}" font-size="12">{v} {u}</text>"#,
            ty = y + 14.0,
            l = escape(label),
            bh = row_h - 8.0,
            c = palette[k % palette.len()],
            tx = label_w + bw + 6.0,
            v = thousands(*v, decimals),
            u = escape(unit)
        );
    }
    s.push_str("</svg></figure>\n");
    s
}

/// The report as HTML.
pub fn html(i: &Input) -> String {
    let fr = i.lang == Lang::Fr;
    let w = |en: &'static str, french: &'static str| if fr { french } else { en };
    let b = &i.baseline;
    let c = &i.main;
    let year = |x: f64, f: &Figures| x * f.days_per_year;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="{code}"><head><meta charset="utf-8"><title>{title} — tournee</title>
<style>
body{{font-family:system-ui,sans-serif;font-size:11pt;max-width:190mm;margin:1em auto;color:#222}}
h1{{font-size:18pt;margin-bottom:0}} h2{{font-size:13pt;border-bottom:1px solid #999;margin-top:1.4em}}
table{{border-collapse:collapse;width:100%;margin:.5em 0}} th,td{{border:1px solid #bbb;padding:3px 6px;text-align:right}}
th:first-child,td:first-child{{text-align:left}} thead th{{background:#eee}}
.warn{{border:2px solid #b2182b;background:#fde0dd;padding:.4em .8em;font-weight:bold}}
.gain{{color:#1b7837;font-weight:bold}} .loss{{color:#b2182b;font-weight:bold}} .small{{font-size:9pt;color:#555}}
figure{{margin:.6em 0}} @page{{size:A4;margin:14mm}} @media print{{figure,table{{break-inside:avoid}}}}
</style></head><body>
<h1>{h1}</h1>
<p>{intro}</p>
"#,
        code = i.lang.code(),
        title = escape(&if fr {
            format!("Conciergeries : ce que {} y gagne", i.territory)
        } else {
            format!("Conciergeries: what {} gains", i.territory)
        }),
        h1 = escape(&if fr {
            format!(
                "Les conciergeries à {} : aujourd'hui et demain",
                i.territory
            )
        } else {
            format!("Conciergeries in {}: today and tomorrow", i.territory)
        }),
        intro = if fr {
            let day = match &i.week_to {
                Some(to) => format!(
                    "le jour moyen de la semaine du {} au {}",
                    date(i.lang, &i.date),
                    date(i.lang, to)
                ),
                None => format!("un jour type ({})", date(i.lang, &i.date)),
            };
            let (h, d) = i.apart;
            let sites = match (h, d) {
                (0, 0) => format!("{} conciergeries", i.conciergeries),
                (h, d) => format!(
                    "{} conciergeries, dont {h} de hameau, et {d} livraison(s) à domicile",
                    i.conciergeries - d
                ),
            };
            format!("{} logements ({} foyers) regroupés en {sites} ; chiffres pour {} et pour une année de {} jours.", i.households, i.foyers, escape(&day), thousands(b.days_per_year, 0))
        } else {
            let day = match &i.week_to {
                Some(to) => format!("the mean day of the week from {} to {}", i.date, to),
                None => format!("a typical day ({})", i.date),
            };
            let (h, d) = i.apart;
            let sites = match (h, d) {
                (0, 0) => format!("{} conciergeries", i.conciergeries),
                (h, d) => format!(
                    "{} conciergeries, {h} of them hamlet sites, and {d} home deliver(ies)",
                    i.conciergeries - d
                ),
            };
            format!("{} households ({} foyers) grouped into {sites}; figures for {} and for a year of {} days.", i.households, i.foyers, escape(&day), thousands(b.days_per_year, 0))
        },
    );
    for warn in &i.warnings {
        let _ = writeln!(
            s,
            r#"<p class="warn">{} {}</p>"#,
            if fr { "Attention :" } else { "Warning:" },
            escape(warn)
        );
    }
    // Headline table.
    let diff = |a: f64, z: f64, decimals: usize| {
        let d = z - a;
        let cls = if d < 0.0 { "gain" } else { "loss" };
        let pct = if a.abs() > 1e-9 {
            format!(" ({:+.0} %)", 100.0 * d / a).replace('-', "\u{2212}")
        } else {
            String::new()
        };
        format!(
            r#"<td class="{cls}">{}{}{pct}</td>"#,
            if d < 0.0 { "" } else { "+" },
            number(i.lang, d, decimals)
        )
    };
    let cars_avoided = b.travel.car_trips - c.travel.car_trips;
    let rows: Vec<(&str, f64, f64, usize)> = vec![
        (
            w(
                "Vehicle-km per day (vans + cars)",
                "Véhicules-km par jour (camionnettes + voitures)",
            ),
            b.vehicle_km_day,
            c.vehicle_km_day,
            0,
        ),
        (
            w("  of which van-km", "  dont camionnettes-km"),
            b.travel.van_km,
            c.travel.van_km,
            0,
        ),
        (
            w(
                "  of which private car-km",
                "  dont voitures particulières-km",
            ),
            b.travel.car_km,
            c.travel.car_km,
            0,
        ),
        (
            w("Van stops per day", "Arrêts des camionnettes par jour"),
            b.travel.van_stops as f64,
            c.travel.van_stops as f64,
            0,
        ),
        (
            w("Driver hours per day", "Heures de conduite par jour"),
            b.travel.driver_hours,
            c.travel.driver_hours,
            1,
        ),
        (
            w(
                "Private car trips per day",
                "Trajets en voiture particulière par jour",
            ),
            b.travel.car_trips,
            c.travel.car_trips,
            0,
        ),
        (
            w("kgCO2e per day", "kgCO2e par jour"),
            b.co2_kg_day(),
            c.co2_kg_day(),
            0,
        ),
        (
            w("Cost per day, EUR", "Coût par jour, EUR"),
            b.eur_day(),
            c.eur_day(),
            0,
        ),
        (
            w("Vehicle-km per year", "Véhicules-km par an"),
            year(b.vehicle_km_day, b),
            year(c.vehicle_km_day, c),
            0,
        ),
        (
            w("tCO2e per year", "tCO2e par an"),
            year(b.co2_kg_day(), b) / 1000.0,
            year(c.co2_kg_day(), c) / 1000.0,
            1,
        ),
        (
            w("Cost per year, EUR", "Coût par an, EUR"),
            year(b.eur_day(), b),
            year(c.eur_day(), c),
            0,
        ),
        (
            w(
                "Cost per foyer per year, EUR",
                "Coût par foyer et par an, EUR",
            ),
            b.eur_per_foyer_year(i.foyers),
            c.eur_per_foyer_year(i.foyers),
            2,
        ),
    ];
    s.push_str(w("<h2>Today against the conciergerie network</h2>\n<table><thead><tr><th></th><th>Today</th><th>With conciergeries</th><th>Change</th></tr></thead><tbody>\n", "<h2>Aujourd'hui et avec le réseau de conciergeries</h2>\n<table><thead><tr><th></th><th>Aujourd'hui</th><th>Avec les conciergeries</th><th>Écart</th></tr></thead><tbody>\n"));
    for (label, a, z, d) in rows {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
            escape(label).replace("  ", "&nbsp;&nbsp;&nbsp;"),
            number(i.lang, a, d),
            number(i.lang, z, d),
            diff(a, z, d)
        );
    }
    let _ = writeln!(
        s,
        "</tbody></table>\n<p><b>{} {}</b> ({} {}).</p>",
        thousands(cars_avoided, 0),
        w(
            "private car trips avoided per day",
            "trajets en voiture évités par jour"
        ),
        thousands(year(cars_avoided, b), 0),
        w("per year", "par an")
    );
    s.push_str(&bars(
        w("Vehicle-km per day", "Véhicules-km par jour"),
        "km",
        &[
            (w("Today", "Aujourd'hui").into(), b.vehicle_km_day),
            (
                w("With conciergeries", "Avec les conciergeries").into(),
                c.vehicle_km_day,
            ),
        ],
        0,
    ));
    s.push_str(&bars(
        w("kgCO2e per day", "kgCO2e par jour"),
        "kg",
        &[
            (w("Today", "Aujourd'hui").into(), b.co2_kg_day()),
            (
                w("With conciergeries", "Avec les conciergeries").into(),
                c.co2_kg_day(),
            ),
        ],
        0,
    ));
    s.push_str(&bars(
        w("Cost per day", "Coût par jour"),
        "EUR",
        &[
            (w("Today", "Aujourd'hui").into(), b.eur_day()),
            (
                w("With conciergeries", "Avec les conciergeries").into(),
                c.eur_day(),
            ),
        ],
        0,
    ));
    who_pays(&mut s, i);
    // Sensitivity.
    s.push_str(w("<h2>Sensitivity</h2>\n<table><thead><tr><th>Scenario</th><th>Vans</th><th>Van-km/day</th><th>Car-km/day</th><th>Driver h/day</th><th>kgCO2e/day</th><th>EUR/day</th><th>EUR/foyer/year</th></tr></thead><tbody>\n", "<h2>Sensibilité</h2>\n<table><thead><tr><th>Scénario</th><th>Camionnettes</th><th>Camionnettes-km/jour</th><th>Voitures-km/jour</th><th>Heures de conduite/jour</th><th>kgCO2e/jour</th><th>EUR/jour</th><th>EUR/foyer/an</th></tr></thead><tbody>\n"));
    let mut all: Vec<&Figures> = vec![b, c, &i.other_van];
    all.extend(i.sizes.iter().map(|x| &x.1).filter(|f| f.name != c.name));
    for f in &all {
        let _ = writeln!(
            s,
            "<tr><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&scenario_name(i.lang, &f.name)),
            van_kind(i.lang, &f.van_type.to_string()),
            f.travel.vans,
            number(i.lang, f.travel.van_km, 0),
            number(i.lang, f.travel.car_km, 0),
            number(i.lang, f.travel.driver_hours, 1),
            number(i.lang, f.co2_kg_day(), 0),
            number(i.lang, f.eur_day(), 0),
            number(i.lang, f.eur_per_foyer_year(i.foyers), 2)
        );
    }
    s.push_str("</tbody></table>\n");
    let size_rows: Vec<(String, f64)> = i
        .sizes
        .iter()
        .map(|(z, f)| {
            (
                if fr {
                    format!("{z} foyers par site")
                } else {
                    format!("{z} foyers per site")
                },
                f.co2_kg_day(),
            )
        })
        .collect();
    // What the table says, one line per other size and for the other van type.
    let change = |a: f64, z: f64| {
        if a.abs() > 1e-9 {
            100.0 * (z - a) / a
        } else {
            0.0
        }
    };
    let say = |x: f64| {
        let (word_less, word_more) = if fr {
            ("de moins", "de plus")
        } else {
            ("less", "more")
        };
        format!(
            "{} % {}",
            number(i.lang, x.abs(), 0),
            if x < 0.0 { word_less } else { word_more }
        )
    };
    let mut lines: Vec<String> = Vec::new();
    for (z, f) in i.sizes.iter().filter(|(_, f)| f.name != c.name) {
        let (cost, co2) = (
            change(c.eur_day(), f.eur_day()),
            change(c.co2_kg_day(), f.co2_kg_day()),
        );
        lines.push(if fr {
            format!(
                "Des sites de {z} foyers coûtent {} et émettent {} que le plan ({} camionnettes au lieu de {}) ; la marche moyenne jusqu'à la conciergerie passe de {} à {} m.",
                say(cost), say(co2), f.travel.vans, c.travel.vans,
                number(i.lang, c.travel.walk_m, 0), number(i.lang, f.travel.walk_m, 0)
            )
        } else {
            format!(
                "{z}-foyer sites cost {} and emit {} than the plan ({} vans instead of {}); the mean walk to the conciergerie goes from {} to {} m.",
                say(cost), say(co2), f.travel.vans, c.travel.vans,
                number(i.lang, c.travel.walk_m, 0), number(i.lang, f.travel.walk_m, 0)
            )
        });
    }
    let ov = &i.other_van;
    let (cost, co2) = (
        change(c.eur_day(), ov.eur_day()),
        change(c.co2_kg_day(), ov.co2_kg_day()),
    );
    let kind = van_kind(i.lang, &ov.van_type.to_string());
    let mut kind_cap = kind.clone();
    if let Some(first) = kind_cap.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    lines.push(if fr {
        format!("Des {kind} coûtent {} et émettent {}.", say(cost), say(co2))
    } else {
        format!("{kind_cap} cost {} and emit {}.", say(cost), say(co2))
    });
    s.push_str("<ul>\n");
    for line in lines {
        let _ = writeln!(s, "<li>{}</li>", escape(&line));
    }
    s.push_str("</ul>\n");
    if !size_rows.is_empty() {
        s.push_str(&bars(
            w(
                "kgCO2e per day by site size",
                "kgCO2e par jour selon la taille des sites",
            ),
            "kg",
            &size_rows,
            0,
        ));
    }
    s.push_str(&bars(
        w(
            "kgCO2e per day by van type (conciergeries)",
            "kgCO2e par jour selon le type de camionnette (conciergeries)",
        ),
        "kg",
        &[
            (van_kind(i.lang, &c.van_type.to_string()), c.co2_kg_day()),
            (
                van_kind(i.lang, &i.other_van.van_type.to_string()),
                i.other_van.co2_kg_day(),
            ),
        ],
        0,
    ));
    postal_section(&mut s, i);
    communes_section(&mut s, i);
    let unserved = c.travel.unserved + b.travel.unserved;
    s.push_str(w(
        "<h2>Method and scope</h2>\n<ul class=\"small\">\n",
        "<h2>Méthode et périmètre</h2>\n<ul class=\"small\">\n",
    ));
    for n in i
        .notes
        .iter()
        .cloned()
        .chain([
            format!("{} {}.", w("Van factor:", "Facteur camionnette :"), i.van_scope),
            format!("{} {}.", w("Other van factor:", "Facteur de l'autre camionnette :"), i.other_van_scope),
            format!("{} {}.", w("Car factor:", "Facteur voiture :"), i.car_scope),
            w("Van-km and driver hours come from rounds solved on the road network; households' trips from road (shops) and walking (conciergeries) distances.", "Les km et heures des camionnettes viennent de tournées calculées sur le réseau routier ; les trajets des foyers, des distances par la route (commerces) et à pied (conciergeries).").to_string(),
        ])
        .chain((unserved > 0).then(|| if fr { format!("{unserved} tâche(s) n'ont pas pu être servies et ne sont pas chiffrées : voir routes/unassigned.csv.") } else { format!("{unserved} job(s) could not be served by the vans and are not priced: see routes/unassigned.csv.") }))
    {
        let _ = writeln!(s, "<li>{}</li>", escape(&n));
    }
    let _ = write!(
        s,
        "</ul>\n<p class=\"small\">{}</p>\n</body></html>\n",
        escape(ODBL_ATTRIBUTION)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::scenario::Travel;
    use crate::plan::settings::{Factors, VanType};

    fn fig(name: &str, van_km: f64, car_km: f64) -> Figures {
        let t = Travel {
            vans: 1,
            van_km,
            driver_hours: 5.0,
            paid_hours: 5.0,
            van_stops: 10,
            car_km,
            car_trips: car_km / 5.0,
            unserved: 0,
            walk_m: 300.0,
        };
        Figures::new(name, VanType::Diesel, t, &Factors::default())
    }

    #[test]
    fn the_postman_section_compares_each_mail_rhythm() {
        use crate::plan::scenario::postal::{Postal, Rhythm};
        let day = |stops: usize, km: f64| Travel {
            vans: 1,
            van_km: km,
            driver_hours: 6.0,
            paid_hours: 6.0,
            van_stops: stops,
            ..Travel::default()
        };
        let postal = Postal {
            parcels_only: day(40, 50.0),
            rhythms: vec![Rhythm {
                mail_days: 6,
                share: 0.44,
                today: day(400, 80.0),
                sites: day(8, 30.0),
            }],
            remarks: vec![],
        };
        let mut s = String::new();
        let main = fig("conciergeries", 40.0, 100.0);
        let i = Input {
            lang: Lang::Fr,
            territory: "T".into(),
            date: "2026-11-25".into(),
            week_to: None,
            households: 100,
            foyers: 120,
            conciergeries: 8,
            apart: (0, 0),
            baseline: fig("today", 80.0, 1200.0),
            main: main.clone(),
            other_van: main.clone(),
            sizes: vec![],
            van_scope: String::new(),
            other_van_scope: String::new(),
            car_scope: String::new(),
            notes: vec![],
            warnings: vec![],
            payers: crate::plan::scenario::payers::Payers::of(
                &main,
                &main,
                120,
                8,
                &Funding::default(),
            ),
            funding: Funding::default(),
            factors: Factors::default(),
            postal: Some((postal, Postman::default())),
            communes: vec![],
            commune_map: None,
        };
        postal_section(&mut s, &i);
        // 300 days = 50 weeks of 6 mail days: 50 km fewer a mail day is 15,000 km a year.
        assert!(s.contains("Le facteur, courrier compris"), "{s}");
        assert!(s.contains("8 fois par jour de courrier au lieu de 400 (98 % d&#39;arrêts en moins), roule 15\u{202f}000 km de moins par an"), "{s}");
    }

    #[test]
    fn report_has_the_figures_and_escapes() {
        let i = Input {
            lang: Lang::En,
            territory: "Val <d'Aran> & co".into(),
            date: "2026-11-25".into(),
            week_to: None,
            households: 100,
            foyers: 120,
            conciergeries: 2,
            apart: (0, 0),
            baseline: fig("today", 80.0, 1200.0),
            main: fig("conciergeries", 40.0, 100.0),
            other_van: fig("other", 40.0, 100.0),
            sizes: vec![(30, fig("30 foyers per site", 50.0, 60.0))],
            van_scope: "v".into(),
            other_van_scope: "o".into(),
            car_scope: "c".into(),
            notes: vec!["a note".into()],
            warnings: vec!["3 jobs are not served".into()],
            payers: crate::plan::scenario::payers::Payers::of(
                &fig("today", 80.0, 1200.0),
                &fig("conciergeries", 40.0, 100.0),
                120,
                2,
                &Funding::default(),
            ),
            funding: Funding::default(),
            factors: Factors::default(),
            postal: None,
            communes: vec![],
            commune_map: None,
        };
        let h = html(&i);
        assert!(h.contains("Val &lt;d&#39;Aran&gt; &amp; co"));
        assert!(!h.contains("<d'Aran>"));
        assert!(h.contains("1\u{202f}280"), "vehicle-km today");
        assert!(h.contains("class=\"gain\""));
        assert_eq!(h.matches("<svg").count(), 5);
        assert!(h.contains("a note"));
        assert!(h.contains(r#"<p class="warn">Warning: 3 jobs are not served</p>"#));
        assert_eq!(h, html(&i), "deterministic");
        // In French: the labels, the decimal comma and the date written out.
        let f = html(&Input {
            lang: Lang::Fr,
            ..i.clone()
        });
        for text in [
            "<html lang=\"fr\">",
            "Aujourd'hui",
            "Avec les conciergeries",
            "mercredi 25 novembre 2026",
            "Sensibilité",
            "5,0",
        ] {
            assert!(f.contains(text), "missing {text}");
        }
        assert!(h.contains("<h2>Who pays</h2>") && f.contains("<h2>Qui paie</h2>"));
        // Hamlet sites and home deliveries are said apart from the conciergeries.
        assert!(h.contains("grouped into 2 conciergeries;"));
        let mut apart = i.clone();
        (apart.conciergeries, apart.apart) = (9, (1, 3));
        assert!(html(&apart).contains(
            "grouped into 6 conciergeries, 1 of them hamlet sites, and 3 home deliver(ies);"
        ));
        // The sensitivity table's conclusions: 30-foyer sites drive 50 km against 40.
        assert!(h.contains("30-foyer sites cost"), "a conclusion per size");
        assert!(f.contains("Des sites de 30 foyers coûtent"));
        for english in [
            "Vehicle-km",
            "Today",
            "Sensitivity",
            "Method and scope",
            "per year",
            "Who pays",
            "Break-even",
        ] {
            assert!(!f.contains(english), "English left: {english}");
        }
    }
}
