//! A test-only XML checker: every SVG, HTML-with-SVG and GPX output is checked against it.

/// A minimal XML well-formedness check for tests: tags nest and close, attributes are quoted
/// and unique, entity references are the predefined or numeric ones, one root. Returns every
/// element as its path of names from the root, in document order.
pub(crate) fn xml_elements(xml: &str) -> Result<Vec<Vec<String>>, String> {
    fn check_name(name: &str) -> Result<(), String> {
        let ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        ok.then_some(()).ok_or(format!("bad name {name:?}"))
    }
    fn check_text(text: &str) -> Result<(), String> {
        if text.contains('<') {
            return Err(format!("raw < in {text:?}"));
        }
        for (i, _) in text.match_indices('&') {
            let rest = &text[i + 1..];
            let end = rest.find(';').ok_or(format!("unclosed & in {text:?}"))?;
            let name = &rest[..end];
            let numeric = name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !numeric && !["amp", "lt", "gt", "quot", "apos"].contains(&name) {
                return Err(format!("bad entity &{name}; in {text:?}"));
            }
        }
        match text
            .chars()
            .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            Some(c) => Err(format!("control character {c:?}")),
            None => Ok(()),
        }
    }
    fn check_attributes(attrs: &str) -> Result<(), String> {
        let mut rest = attrs.trim();
        let mut seen = Vec::new();
        while !rest.is_empty() {
            let (name, after) = rest
                .split_once('=')
                .ok_or(format!("bad attributes {rest:?}"))?;
            let name = name.trim();
            check_name(name)?;
            if seen.contains(&name) {
                return Err(format!("duplicate attribute {name}"));
            }
            seen.push(name);
            let after = after.trim_start();
            let quote = after.chars().next().filter(|&q| q == '"' || q == '\'');
            let quote = quote.ok_or(format!("unquoted attribute {name}"))?;
            let close = after[1..].find(quote).ok_or("unclosed attribute value")? + 1;
            check_text(&after[1..close])?;
            rest = after[close + 1..].trim_start();
        }
        Ok(())
    }
    let (mut out, mut stack, mut roots) = (Vec::new(), Vec::<String>::new(), 0);
    let mut rest = xml;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>").ok_or("unclosed <?")? + 2..];
        } else if let Some(r) = rest.strip_prefix("</") {
            let end = r.find('>').ok_or("unclosed end tag")?;
            let name = r[..end].trim();
            match stack.pop() {
                Some(open) if open == name => {}
                open => return Err(format!("</{name}> closes {open:?}")),
            }
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r.find('>').ok_or("unclosed tag")?;
            let (tag, empty) = match r[..end].strip_suffix('/') {
                Some(t) => (t, true),
                None => (&r[..end], false),
            };
            let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            check_name(name)?;
            check_attributes(attrs)?;
            roots += usize::from(stack.is_empty());
            stack.push(name.into());
            out.push(stack.clone());
            if empty {
                stack.pop();
            }
            rest = &r[end + 1..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            if stack.is_empty() && !rest[..end].trim().is_empty() {
                return Err("text outside the root".into());
            }
            check_text(&rest[..end])?;
            rest = &rest[end..];
        }
    }
    match (stack.is_empty(), roots) {
        (true, 1) => Ok(out),
        _ => Err(format!("{roots} roots, unclosed {stack:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_xml_and_rejects_the_rest() {
        assert!(xml_elements("<a><b x='1'/></a>").is_ok());
        assert!(xml_elements("<a><b></a></b>").is_err());
        assert!(xml_elements("<a x=\"1\" x=\"2\"/>").is_err());
        assert!(xml_elements("<a>&nbsp;</a>").is_err());
        assert!(xml_elements("<a/><b/>").is_err());
    }
}
