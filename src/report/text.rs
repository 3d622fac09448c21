//! Text helpers shared by every report writer (HTML pages, SVG maps, GPX): escaping for XML and
//! HTML, and numbers with their thousands apart.

/// `text` escaped for XML and HTML, in text as in attribute values: `& < > " '` become
/// entities, and control characters are dropped (tab and newlines stay), as XML 1.0 forbids
/// most of them; so are the non-characters U+FFFE and U+FFFF. O(length of `text`).
///
/// ```
/// use tournee::report::text::escape;
///
/// assert_eq!(escape("Mairie d'Ordino & <Co>"), "Mairie d&#39;Ordino &amp; &lt;Co&gt;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `x` rounded to `decimals` places, with its thousands apart in French typography: groups of
/// three digits separated by a narrow no-break space (U+202F, which never breaks a number across
/// lines), a `.` before the decimals, and a minus sign (U+2212) for negative numbers, left out
/// when the rounded number is zero. Non-finite numbers are written as Rust writes them (`NaN`,
/// `inf`).
///
/// ```
/// use tournee::report::text::thousands;
///
/// assert_eq!(thousands(1_234_567.891, 1), "1\u{202f}234\u{202f}567.9");
/// assert_eq!(thousands(-3300.0, 0), "\u{2212}3\u{202f}300");
/// ```
pub fn thousands(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '−');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_markup_and_drops_control_characters() {
        assert_eq!(escape("a&b<c>\"d'\u{1}é"), "a&amp;b&lt;c&gt;&quot;d&#39;é");
        assert_eq!(escape("a\tb\nc\r\u{7f}\u{FFFF}"), "a\tb\nc\r");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn thousands_groups_digits_with_narrow_no_break_spaces() {
        assert_eq!(thousands(1234567.891, 1), "1\u{202f}234\u{202f}567.9");
        assert_eq!(thousands(3300.0, 0), "3\u{202f}300");
        assert_eq!(thousands(-1_234_567.0, 0), "−1\u{202f}234\u{202f}567");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(123456.0, 2), "123\u{202f}456.00");
        assert_eq!(thousands(-12.0, 0), "−12");
        assert_eq!(thousands(-0.01, 0), "0");
        assert_eq!(thousands(-0.01, 2), "−0.01");
        assert_eq!(thousands(0.0, 0), "0");
    }
}
