//! The `Constraints: ...` and `Default: ...` paragraphs of field, parameter and type docs.
//!
//! Spec values (patterns, formats, defaults) only appear inside Markdown code spans, so that
//! rustdoc reads none of them as Markdown: no link from a `[a-z]` in a pattern, no HTML from a `<`.

use crate::ir::{Api, Bound, Constraints, DefaultValue, Param};

/// `Constraints: `256 <= value <= 8192`, multiple of `2`.` (empty when there are none).
pub fn text(c: Option<&Constraints>) -> String {
    match c.map(parts) {
        Some(parts) if !parts.is_empty() => format!("Constraints: {parts}."),
        _ => String::new(),
    }
}

fn parts(c: &Constraints) -> String {
    let mut out: Vec<String> = Vec::new();
    out.extend(bounds(c.minimum.as_ref(), c.maximum.as_ref(), "value"));
    if let Some(m) = &c.multiple_of {
        out.push(format!("multiple of {}", code(m)));
    }
    let count = |v: Option<u64>| {
        v.map(|v| Bound {
            value: v.to_string(),
            exclusive: false,
        })
    };
    out.extend(bounds(
        count(c.min_length).as_ref(),
        count(c.max_length).as_ref(),
        "chars",
    ));
    if let Some(p) = &c.pattern {
        out.push(format!("pattern {}", code(p)));
    }
    if let Some(f) = &c.format {
        out.push(format!("format {}", code(f)));
    }
    out.extend(bounds(
        count(c.min_items).as_ref(),
        count(c.max_items).as_ref(),
        "items",
    ));
    if c.unique_items {
        out.push("unique items".to_owned());
    }
    out.extend(bounds(
        count(c.min_properties).as_ref(),
        count(c.max_properties).as_ref(),
        "properties",
    ));
    let mut text = out.join(", ");
    if let Some(items) = c.items.as_deref() {
        let inner = parts(items);
        if !inner.is_empty() {
            if !text.is_empty() {
                text.push_str("; ");
            }
            text.push_str("each item: ");
            text.push_str(&inner);
        }
    }
    text
}

/// `` `1 <= what <= 9` ``, `` `what > 0` ``, ...
fn bounds(min: Option<&Bound>, max: Option<&Bound>, what: &str) -> Option<String> {
    let op = |b: &Bound| if b.exclusive { "<" } else { "<=" };
    let formula = match (min, max) {
        (Some(lo), Some(hi)) => format!("{} {} {what} {} {}", lo.value, op(lo), op(hi), hi.value),
        (Some(lo), None) => format!("{what} {} {}", if lo.exclusive { ">" } else { ">=" }, lo.value),
        (None, Some(hi)) => format!("{what} {} {}", op(hi), hi.value),
        (None, None) => return None,
    };
    Some(code(&formula))
}

/// `Default: ...` for a field the constructor fills in.
pub fn field_default(api: &Api, d: &DefaultValue) -> String {
    let value = match d {
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Float(f) => format!("{f:?}"),
        DefaultValue::Str(s) => serde_json::Value::String(s.clone()).to_string(),
        DefaultValue::Variant(id, v) => match api.types.get(id.0) {
            Some(t) => format!("{}::{}", t.name.trim_start_matches("r#"), v.trim_start_matches("r#")),
            None => v.clone(),
        },
        DefaultValue::Json(json) => json.clone(),
    };
    format!("Default: {}.", code(&value))
}

/// The paragraphs a parameter's docs end with: its constraints and the server's default.
pub fn param_notes(p: &Param) -> Vec<String> {
    let mut out = Vec::new();
    let c = text(p.constraints.as_deref());
    if !c.is_empty() {
        out.push(c);
    }
    if let Some(d) = &p.default {
        out.push(format!("Default when not set: {}.", code(d)));
    }
    out
}

/// A Markdown code span holding `text` exactly: delimited by more backticks than any run inside
/// it, padded when it starts or ends with one. Line breaks and other control characters become
/// escapes (`\n`, `\x{1}`), which mean the same in a pattern and keep the doc on one line.
pub fn code(text: &str) -> String {
    let mut body = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => body.push_str("\\n"),
            '\r' => body.push_str("\\r"),
            '\t' => body.push_str("\\t"),
            c if c.is_control() => body.push_str(&format!("\\x{{{:x}}}", u32::from(c))),
            c => body.push(c),
        }
    }
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || body.is_empty() || body.starts_with(' ') && body.ends_with(' ') {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(v: &str, exclusive: bool) -> Option<Bound> {
        Some(Bound {
            value: v.to_owned(),
            exclusive,
        })
    }

    #[test]
    fn constraints_read_as_one_line() {
        let c = Constraints {
            minimum: bound("256", false),
            maximum: bound("8192", true),
            multiple_of: Some("2".to_owned()),
            ..Constraints::default()
        };
        assert_eq!(text(Some(&c)), "Constraints: `256 <= value < 8192`, multiple of `2`.");
        let c = Constraints {
            min_items: Some(1),
            unique_items: true,
            items: Some(Box::new(Constraints {
                max_length: Some(10),
                pattern: Some("^[a-z]+$".to_owned()),
                ..Constraints::default()
            })),
            ..Constraints::default()
        };
        assert_eq!(
            text(Some(&c)),
            "Constraints: `items >= 1`, unique items; each item: `chars <= 10`, pattern `^[a-z]+$`."
        );
        assert_eq!(text(Some(&Constraints::default())), "");
        assert_eq!(text(None), "");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("^[a-z]+$"), "`^[a-z]+$`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("``x"), "``` ``x ```");
        assert_eq!(code("a\nb\u{1}"), "`a\\nb\\x{1}`");
        assert_eq!(code(" x "), "`  x  `");
        assert_eq!(code(""), "`  `");
    }
}
