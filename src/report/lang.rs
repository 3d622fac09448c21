//! The words of the pages people read, in their language ([`Lang`]): a French table for every
//! English label, numbers (`1 234,5` in French, `1 234.5` in English, thousands apart by a
//! narrow no-break space in both) and dates (`mercredi 25 novembre 2026`, `Wednesday 25
//! November 2026`). A label without a French entry stays in English, so a missing one shows as
//! English on a French page rather than as nothing; `every_label_of_the_sheet_is_french` keeps
//! the sheet's list complete.

pub use crate::model::Lang;
use crate::report::text::thousands;

/// `en` in `lang`.
pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    if lang == Lang::En {
        return en;
    }
    match en {
        // Route sheet.
        "Route sheet" => "Feuille de route",
        "Van" => "Véhicule",
        "Leave the depot" => "Départ du dépôt",
        "arrive" => "arrivée",
        "Back at the depot" => "Retour au dépôt",
        "Distance" => "Distance",
        "Time" => "Durée",
        "Driving" => "Conduite",
        "Stops" => "Arrêts",
        "Break" => "Pause",
        "Peak load" => "Charge maximale",
        "CO2" => "CO2",
        "Map of the round of" => "Carte de la tournée du",
        "on" => "le",
        "Route in red, arrows in the direction of travel." => {
            "Itinéraire en rouge, flèches dans le sens de la marche."
        }
        "Depot" => "Dépôt",
        "Drop" => "Livraison",
        "Pick up" => "Enlèvement",
        "Both" => "Les deux",
        "Drop + pick up" => "Livraison + enlèvement",
        "Start" => "Départ",
        "End" => "Arrivée",
        "Reload" => "Recharger au dépôt",
        "Stops in visiting order" => "Arrêts dans l'ordre de passage",
        "Action" => "Action",
        "Site" => "Lieu",
        "Arrival" => "Arrivée",
        "Window" => "Créneau",
        "To drop" => "À livrer",
        "To pick up" => "À enlever",
        "On board" => "À bord",
        "Done" => "Fait",
        "Notes" => "Remarques",
        "wait" => "attente",
        "start" => "début",
        "leave" => "départ",
        "late" => "en retard",
        "over capacity" => "au-delà de la capacité",
        "here, before driving on" => "ici, avant de repartir",
        "on arriving at the next stop, while waiting for its window" => {
            "en arrivant à l'arrêt suivant, pendant l'attente de son créneau"
        }
        "Loading at the depot (last stop first)" => "Chargement au dépôt (dernier arrêt d'abord)",
        "Stop" => "Arrêt",
        "Goods" => "Marchandises",
        "Litres" => "Litres",
        "Loaded" => "Chargé",
        "Observations" => "Observations",
        "Goods handed over at the depot by (name, signature)" => {
            "Marchandises remises au dépôt par (nom, signature)"
        }
        "Round done, van returned by the driver (signature, time)" => {
            "Tournée faite, véhicule rendu par le chauffeur (signature, heure)"
        }
        "Map and places:" => "Carte et lieux :",
        "page" => "page",
        "of" => "sur",
        "for stops" => "pour les arrêts",
        "crates for tomorrow, listed at the end" => "caisses pour demain, liste en fin de feuille",
        "At the farms: crates for tomorrow's orders" => {
            "Aux fermes : caisses pour les commandes de demain"
        }
        "crates for the sites' next passage, listed at the end" => {
            "caisses pour le prochain passage des sites, liste en fin de feuille"
        }
        "At the farms: crates for the sites' next passage" => {
            "Aux fermes : caisses pour le prochain passage des sites"
        }
        "Crates for" => "Caisses pour",
        "map" => "carte",
        "Close-up: stops" => "Gros plan : arrêts",
        _ => en,
    }
}

/// A van's name as the plan writes it ("Van 3") in `lang` ("Véhicule 3").
pub fn van(lang: Lang, name: &str) -> String {
    match name.strip_prefix("Van ") {
        Some(n) => format!("{} {n}", tr(lang, "Van")),
        None => name.to_string(),
    }
}

/// `x` rounded to `decimals` places, thousands apart, with the decimal sign of `lang`.
pub fn number(lang: Lang, x: f64, decimals: usize) -> String {
    let s = thousands(x, decimals);
    match lang {
        Lang::Fr => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A `YYYY-MM-DD` date written out in `lang` (`mercredi 25 novembre 2026`); another text is
/// returned as it is.
pub fn date(lang: Lang, iso: &str) -> String {
    let mut parts = iso.split('-').map(|p| p.parse::<i64>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return iso.to_string();
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return iso.to_string();
    }
    // Day of the week (Sakamoto), 0 = Sunday.
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let yy = if m < 3 { y - 1 } else { y };
    let w = (yy + yy / 4 - yy / 100 + yy / 400 + t[(m - 1) as usize] + d).rem_euclid(7) as usize;
    match lang {
        Lang::Fr => {
            let days = [
                "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
            ];
            let months = [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ];
            let day = if d == 1 {
                "1er".to_string()
            } else {
                d.to_string()
            };
            format!("{} {day} {} {y}", days[w], months[(m - 1) as usize])
        }
        Lang::En => {
            let days = [
                "Sunday",
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
            ];
            let months = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{} {d} {} {y}", days[w], months[(m - 1) as usize])
        }
    }
}

/// What a driver reads of an order (made in English by the plan: "bread, 6 parcels + pooled
/// purchases", "fresh products from X", "for stop 12", "(load 1 of 2)") in `lang`.
pub fn goods(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    let mut s = text.to_string();
    for (en, fr) in [
        ("fresh products from ", "produits frais de "),
        ("fresh products for ", "produits frais pour "),
        ("fresh products", "produits frais"),
        ("pooled purchases", "achats groupés"),
        (" parcels", " colis"),
        (" parcel", " colis"),
        ("bread", "pain"),
        ("for stop ", "pour l'arrêt "),
        ("for stops ", "pour les arrêts "),
        (", tomorrow", ", demain"),
        (", next passage", ", prochain passage"),
        ("for ", "pour "),
        (" of ", " sur "),
        ("(load ", "(chargement "),
    ] {
        s = s.replace(en, fr);
    }
    // The sites named in it ("for Conciergerie 12 (a household)", a shared stop's orders).
    place(lang, &s)
}

/// Kinds of places (as [`crate::osm::tags::kind_label`] writes them) in French: tournee's own
/// kinds, then the commonest `shop=*` and `amenity=*` values of OpenStreetMap (a kind not here
/// stays in English).
const KINDS_FR: &[(&str, &str)] = &[
    ("household", "particulier"),
    ("bakery", "boulangerie"),
    ("supermarket", "supermarché"),
    ("town hall", "mairie"),
    ("post office", "bureau de poste"),
    ("grocery", "épicerie"),
    ("pharmacy", "pharmacie"),
    ("cafe", "café"),
    ("restaurant", "restaurant"),
    ("library", "bibliothèque"),
    ("community centre", "salle communale"),
    ("butcher", "boucherie"),
    ("kiosk", "kiosque"),
    ("shop", "commerce"),
    ("farm", "ferme"),
    ("tobacco", "tabac"),
    ("newsagent", "marchand de journaux"),
    ("general", "commerce"),
    ("car repair", "garage"),
    ("car parts", "pièces auto"),
    ("car", "concessionnaire auto"),
    ("motorcycle", "concessionnaire moto"),
    ("tyres", "pneus"),
    ("bicycle", "vélos"),
    ("clothes", "vêtements"),
    ("shoes", "chaussures"),
    ("hairdresser", "coiffeur"),
    ("beauty", "institut de beauté"),
    ("cosmetics", "cosmétiques"),
    ("perfumery", "parfumerie"),
    ("chemist", "droguerie"),
    ("optician", "opticien"),
    ("jewelry", "bijouterie"),
    ("watches", "horlogerie"),
    ("florist", "fleuriste"),
    ("garden centre", "jardinerie"),
    ("hardware", "quincaillerie"),
    ("doityourself", "bricolage"),
    ("paint", "peinture"),
    ("furniture", "meubles"),
    ("interior decoration", "décoration"),
    ("houseware", "arts de la table"),
    ("electronics", "électronique"),
    ("mobile phone", "téléphonie"),
    ("computer", "informatique"),
    ("books", "librairie"),
    ("stationery", "papeterie"),
    ("gift", "cadeaux"),
    ("toys", "jouets"),
    ("sports", "articles de sport"),
    ("outdoor", "plein air"),
    ("alcohol", "cave"),
    ("wine", "cave à vins"),
    ("beverages", "boissons"),
    ("deli", "traiteur"),
    ("greengrocer", "primeur"),
    ("cheese", "fromagerie"),
    ("pastry", "pâtisserie"),
    ("confectionery", "confiserie"),
    ("chocolate", "chocolaterie"),
    ("seafood", "poissonnerie"),
    ("department store", "grand magasin"),
    ("variety store", "bazar"),
    ("second hand", "dépôt-vente"),
    ("laundry", "laverie"),
    ("dry cleaning", "pressing"),
    ("travel agency", "agence de voyages"),
    ("pet", "animalerie"),
    ("photo", "photographe"),
    ("tailor", "retouches"),
    ("fabric", "tissus"),
    ("music", "musique"),
    ("art", "galerie d'art"),
    ("funeral directors", "pompes funèbres"),
    ("agrarian", "fournitures agricoles"),
    ("boutique", "boutique"),
    ("bank", "banque"),
    ("school", "école"),
    ("kindergarten", "école maternelle"),
    ("fuel", "station-service"),
    ("bar", "bar"),
    ("pub", "bar"),
    ("fast food", "restauration rapide"),
    ("marketplace", "marché"),
    ("parcel locker", "consigne à colis"),
    ("post box", "boîte aux lettres"),
    ("doctors", "médecin"),
    ("dentist", "dentiste"),
    ("townhall", "mairie"),
];

/// A place's name as the plan writes it ("Conciergerie 3 (Fleca Font, bakery)", "Conciergerie 4
/// (a household)", "Depot: Correos", "Farm") in `lang`: only tournee's own words are translated,
/// never the names from OpenStreetMap.
pub fn place(lang: Lang, name: &str) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    let mut s = name.to_string();
    if let Some(rest) = s.strip_prefix("Depot") {
        s = format!("Dépôt{}", rest.replacen(':', " :", 1));
    }
    if s == "Farm" || s.starts_with("Farm (") || s.starts_with("Farm, ") {
        s = s.replacen("Farm", "Ferme", 1);
    }
    // Hamlet sites and home deliveries (issue 25), wherever a name stands in a text.
    s = s
        .replace("Home delivery ", "Livraison à domicile ")
        .replace("(hamlet, ", "(hameau, ");
    for (en, fr) in KINDS_FR {
        s = s
            .replace(&format!("(a {en})"), &format!("({fr})"))
            .replace(&format!(", a {en})"), &format!(", {fr})"))
            .replace(&format!(", {en})"), &format!(", {fr})"))
            .replace(&format!("Ferme ({en})"), &format!("Ferme ({fr})"));
    }
    s.replace("(particulier)", "(chez un particulier)")
        .replace("(hameau, particulier)", "(hameau, chez un particulier)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_numbers_and_goods_in_each_language() {
        assert_eq!(date(Lang::Fr, "2026-11-25"), "mercredi 25 novembre 2026");
        assert_eq!(date(Lang::En, "2026-12-01"), "Tuesday 1 December 2026");
        assert_eq!(date(Lang::Fr, "2026-12-01"), "mardi 1er décembre 2026");
        assert_eq!(date(Lang::Fr, "tomorrow"), "tomorrow");
        assert_eq!(number(Lang::Fr, 1234.56, 1), "1\u{202f}234,6");
        assert_eq!(number(Lang::En, 1234.56, 1), "1\u{202f}234.6");
        assert_eq!(
            goods(
                Lang::Fr,
                "bread, 6 parcels + pooled purchases (load 1 of 2)"
            ),
            "pain, 6 colis + achats groupés (chargement 1 sur 2)"
        );
        assert_eq!(tr(Lang::Fr, "Route sheet"), "Feuille de route");
        assert_eq!(
            place(Lang::Fr, "Conciergerie 4 (a household)"),
            "Conciergerie 4 (chez un particulier)"
        );
        assert_eq!(
            place(Lang::Fr, "Conciergerie 35 (hamlet, a household)"),
            "Conciergerie 35 (hameau, chez un particulier)"
        );
        assert_eq!(
            place(Lang::Fr, "Conciergerie 9 (hamlet, Fleca Font, bakery)"),
            "Conciergerie 9 (hameau, Fleca Font, boulangerie)"
        );
        assert_eq!(place(Lang::Fr, "Home delivery 3"), "Livraison à domicile 3");
        assert_eq!(
            place(Lang::Fr, "Farm, Carretera de Fontaneda"),
            "Ferme, Carretera de Fontaneda"
        );
        assert_eq!(
            goods(Lang::Fr, "for Conciergerie 12 (a household), tomorrow; for Home delivery 3, tomorrow"),
            "pour Conciergerie 12 (chez un particulier), demain; pour Livraison à domicile 3, demain"
        );
        assert_eq!(
            place(Lang::Fr, "Conciergerie 2 (Fleca Font, bakery)"),
            "Conciergerie 2 (Fleca Font, boulangerie)"
        );
        assert_eq!(place(Lang::Fr, "Depot: Correos"), "Dépôt : Correos");
        assert_eq!(
            place(Lang::Fr, "Conciergerie 347 (a car repair)"),
            "Conciergerie 347 (garage)"
        );
        assert_eq!(
            place(Lang::Fr, "Conciergerie 145 (Daytona 2000, motorcycle)"),
            "Conciergerie 145 (Daytona 2000, concessionnaire moto)"
        );
        assert_eq!(place(Lang::En, "Depot: Correos"), "Depot: Correos");
        assert_eq!(tr(Lang::En, "Route sheet"), "Route sheet");
    }
}
