//! The change report of a regeneration: the committed `API.md` parsed back into keyed lines,
//! compared with the new surface ([`crate::emit::surface::entries`]) key by key, each change
//! classified as breaking or additive, and a semver bump suggested. The rules are listed in the
//! README ("API surface and change report").

use std::collections::{BTreeMap, BTreeSet};

use crate::emit::surface::Entry;

/// One line of an `API.md` read back: its key (as [`Entry::key`]) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldEntry {
    pub key: String,
    pub line: String,
}

/// One change of the surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub breaking: bool,
    /// The key of the entry (`type Foo/field bar`).
    pub key: String,
    /// What changed, in words (`optional -> required`, `removed`, `added`, `type changed`).
    pub what: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// JSON pointer into the new spec: the entry's own, or for a removal its parent's (if any).
    pub pointer: Option<String>,
}

/// The key of a member line (indentation stripped): `field name: T ...` -> `field name`.
fn member_key(text: &str) -> String {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default().trim_end_matches(':');
    match first {
        "arg" | "opt" | "field" | "variant" | "stream" | "ok" | "err" => {
            let second = words.next().unwrap_or_default().trim_end_matches(':');
            format!("{first} {second}")
        }
        _ => first.to_owned(),
    }
}

/// The key of a top-level line: `op NAME`, `type NAME` or `feature NAME`.
fn item_key(text: &str) -> String {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default();
    let name = words.next().unwrap_or_default();
    match first {
        "struct" | "enum" | "union" | "alias" => format!("type {name}"),
        _ => format!("{first} {name}"),
    }
}

/// The entries of an `API.md` text: the lines of its ```` ```text ```` block, in order. Text outside
/// the block and blank lines are ignored; a member line before any item is skipped.
pub fn parse(api_md: &str) -> Vec<OldEntry> {
    let mut out = Vec::new();
    let mut parent: Option<String> = None;
    let body = api_md
        .lines()
        .skip_while(|l| l.trim() != "```text")
        .skip(1)
        .take_while(|l| l.trim() != "```");
    for line in body.filter(|l| !l.trim().is_empty()) {
        if line.starts_with(' ') {
            if let Some(p) = &parent {
                out.push(OldEntry {
                    key: format!("{p}/{}", member_key(line.trim())),
                    line: line.to_owned(),
                });
            }
        } else {
            let key = item_key(line);
            parent = Some(key.clone());
            out.push(OldEntry {
                key,
                line: line.to_owned(),
            });
        }
    }
    out
}

fn parent_of(key: &str) -> Option<&str> {
    key.rsplit_once('/').map(|(p, _)| p)
}

fn word(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or_default()
}

/// A field line split into (type, presence): `  field a: Option<X>  optional` -> (`Option<X>`, `optional`).
fn field_parts(line: &str) -> (&str, &str) {
    let rest = line.split_once(": ").map_or("", |(_, r)| r);
    rest.split_once("  ").unwrap_or((rest, ""))
}

/// The text after the key of a member line (`: T`, ` = v`, `  ...`): what changes with its type.
fn detail(line: &str) -> &str {
    line.split_once(": ").map_or(line, |(_, r)| r)
}

fn is_required(presence: &str) -> bool {
    presence.starts_with("required")
}

/// The items of `feature default = [..]`.
fn default_set(line: &str) -> BTreeSet<String> {
    let list = line.split_once('=').map_or("", |(_, r)| r);
    list.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Compares the committed surface with the new one. Changes come in the new surface's order, then
/// the removals in the old one's; members of an added or removed item (or of one that changed its
/// kind, `struct` -> `alias`) are not listed on their own.
pub fn diff(old: &[OldEntry], new: &[Entry]) -> Vec<Change> {
    let old_map: BTreeMap<&str, &str> = old.iter().map(|e| (e.key.as_str(), e.line.as_str())).collect();
    let new_map: BTreeMap<&str, &Entry> = new.iter().map(|e| (e.key.as_str(), e)).collect();
    let pointer = |origin: &str| (!origin.is_empty()).then(|| origin.to_owned());
    // Items present on one side only, or whose kind word changed: their members are subsumed.
    let subsumed = |key: &str| {
        parent_of(key).is_some_and(|p| match (old_map.get(p), new_map.get(p)) {
            (Some(o), Some(n)) => word(o) != word(&n.line),
            _ => true,
        })
    };
    // The new struct line of a member's parent (for `sent`).
    let sent = |key: &str| {
        parent_of(key)
            .and_then(|p| {
                new_map
                    .get(p)
                    .map(|e| e.line.clone())
                    .or_else(|| old_map.get(p).map(|l| l.to_string()))
            })
            .is_some_and(|l| l.split_whitespace().any(|w| w == "sent"))
    };
    let aliases = aliases(new);
    let mut out = Vec::new();
    let mut paired = BTreeSet::new();
    for e in new {
        let key = e.key.as_str();
        let change = |breaking: bool, what: &str, old: Option<&str>| Change {
            breaking,
            key: key.to_owned(),
            what: what.to_owned(),
            old: old.map(str::to_owned),
            new: Some(e.line.clone()),
            pointer: pointer(&e.origin),
        };
        match old_map.get(key) {
            Some(&o) if o == e.line => {}
            Some(&o) if renamed(o, &aliases) == e.line => {
                out.push(change(false, "type renamed, the old name kept as an alias", Some(o)));
            }
            Some(&o) => {
                // What an item that became an alias now stands for: a struct for a struct is
                // the same API, a struct for a union is not.
                let target = e.line.strip_prefix("alias ").and_then(|rest| rest.split_once(" = "));
                let target_kind = target
                    .and_then(|(_, t)| new_map.get(format!("type {}", t.trim()).as_str()))
                    .map(|t| word(&t.line));
                out.push(changed(o, &e.line, sent(key), target_kind, &change));
            }
            None if subsumed(key) => {}
            None => {
                let member = parent_of(key).map(|p| key[p.len() + 1..].to_owned());
                let member = member.as_deref().unwrap_or_default();
                let kind = word(member);
                // `opt x` -> `arg x` (and back) is one change.
                let swapped = match kind {
                    "arg" => Some(key.replacen("/arg ", "/opt ", 1)),
                    "opt" => Some(key.replacen("/opt ", "/arg ", 1)),
                    _ => None,
                };
                if let Some(other) =
                    swapped.filter(|k| old_map.contains_key(k.as_str()) && !new_map.contains_key(k.as_str()))
                {
                    let what = if kind == "arg" {
                        "optional -> required"
                    } else {
                        "required -> optional (the method's arguments change)"
                    };
                    out.push(change(true, what, old_map.get(other.as_str()).copied()));
                    paired.insert(other);
                    continue;
                }
                let breaking = match kind {
                    "arg" | "ok" => true,
                    "field" => sent(key) && is_required(field_parts(&e.line).1),
                    "variant" => !parent_of(key)
                        .and_then(|p| new_map.get(p))
                        .is_some_and(|p| p.line.ends_with(" open")),
                    _ => false,
                };
                out.push(change(breaking, "added", None));
            }
        }
    }
    for o in old {
        let key = o.key.as_str();
        if new_map.contains_key(key) || paired.contains(key) || subsumed(key) {
            continue;
        }
        let parent = parent_of(key).and_then(|p| new_map.get(p));
        out.push(Change {
            breaking: true,
            key: key.to_owned(),
            what: "removed".to_owned(),
            old: Some(o.line.clone()),
            new: None,
            pointer: parent.and_then(|p| pointer(&p.origin)),
        });
    }
    out
}

/// The new surface's aliases (`alias Kind = Species`): name -> what it stands for.
fn aliases(new: &[Entry]) -> BTreeMap<String, String> {
    new.iter()
        .filter_map(|e| {
            let rest = e.line.strip_prefix("alias ")?;
            let (name, target) = rest.split_once(" = ")?;
            Some((name.trim().to_owned(), target.trim().to_owned()))
        })
        .collect()
}

/// `line` with every type name that is now an alias replaced by what it stands for: a member
/// whose type was renamed, the old name kept as an alias, reads the same as before.
fn renamed(line: &str, aliases: &BTreeMap<String, String>) -> String {
    if aliases.is_empty() {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let mut name = word.as_str();
        // An alias of an alias: follow the chain (a cycle cannot be written in Rust).
        for _ in 0..aliases.len() {
            match aliases.get(name) {
                Some(t) if t.chars().all(|c| c.is_alphanumeric() || c == '_') => name = t,
                Some(t) => {
                    name = t;
                    break;
                }
                None => break,
            }
        }
        out.push_str(name);
        word.clear();
    };
    for c in line.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A line present on both sides with a different text.
fn changed(
    old: &str,
    new: &str,
    sent: bool,
    alias_of: Option<&str>,
    change: &dyn Fn(bool, &str, Option<&str>) -> Change,
) -> Change {
    let kind = word(old);
    let is_member = old.starts_with(' ');
    if !is_member {
        return match kind {
            // The Rust method is the same: only the request on the wire changes.
            "op" => change(false, "method or path changed", Some(old)),
            "feature" => {
                let lost = default_set(old).difference(&default_set(new)).count() > 0;
                change(lost, "default features changed", Some(old))
            }
            _ if word(new) == "alias" && kind != "alias" => {
                let same = alias_of == Some(kind);
                change(!same, if same { "now an alias" } else { "kind changed" }, Some(old))
            }
            _ if word(new) != kind => change(true, "kind changed", Some(old)),
            // Open: an unknown value decodes into `Unknown`, so new variants are additive.
            _ if old.trim_end_matches(" open") == new.trim_end_matches(" open") => {
                let closed = old.ends_with(" open") && !new.ends_with(" open");
                change(closed, if closed { "no longer open" } else { "now open" }, Some(old))
            }
            "struct" => {
                // A struct used in fewer directions loses `Serialize` or `Deserialize` (without
                // `serde-all`); in more, it gains one.
                let (was, is) = (directions(old), directions(new));
                let lost = was.difference(&is).count() > 0;
                let what = if lost {
                    "used in fewer directions"
                } else {
                    "used in more directions"
                };
                change(lost, what, Some(old))
            }
            _ => change(true, "changed", Some(old)),
        };
    }
    if kind == "field" {
        let ((ot, op), (nt, np)) = (field_parts(old), field_parts(new));
        if ot != nt {
            return change(true, "type changed", Some(old));
        }
        let what = format!("{op} -> {np}");
        // A `sent` struct's `new(..)` takes its required fields: gaining or losing one breaks callers.
        let breaking = sent && is_required(op) != is_required(np);
        return change(breaking, &what, Some(old));
    }
    let what = if detail(old) != detail(new) && kind != "err" {
        "type changed"
    } else {
        "changed"
    };
    change(true, what, Some(old))
}

/// The directions a struct line names (`sent`, `received`); none means a type used in neither,
/// which implements both.
fn directions(line: &str) -> BTreeSet<&str> {
    let words: BTreeSet<&str> = line
        .split_whitespace()
        .filter(|w| matches!(*w, "sent" | "received"))
        .collect();
    if words.is_empty() {
        ["sent", "received"].into_iter().collect()
    } else {
        words
    }
}

/// The suggested version bump for `changes` of a crate at `version` (`0.x` bumps one place lower).
pub fn suggested_bump(changes: &[Change], version: &str) -> &'static str {
    let zero = version.trim().starts_with("0.");
    match (changes.iter().any(|c| c.breaking), changes.is_empty(), zero) {
        (true, _, false) => "major",
        (true, _, true) => "minor (0.x)",
        (false, false, false) => "minor",
        (false, false, true) => "patch (0.x)",
        (false, true, _) => "none",
    }
}

/// The `version` of the `[package]` table of a Cargo.toml text, if any.
pub fn package_version(manifest: &str) -> Option<String> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "version").then(|| v.trim().trim_matches('"').to_owned())
        })
}

/// The report: a summary line and one line per change, `spec` naming the spec the pointers are in.
pub fn render(out_display: &str, spec: &str, changes: &[Change], version: &str) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut s = format!(
        "API changes in {out_display}/ ({spec}): {breaking} breaking, {} additive; suggested bump: {}\n",
        changes.len() - breaking,
        suggested_bump(changes, version)
    );
    for c in changes {
        let class = if c.breaking { "breaking" } else { "additive" };
        let at = c.pointer.as_ref().map(|p| format!(" ({spec}#{p})")).unwrap_or_default();
        let key = c.key.rsplit_once('/').map_or(c.key.clone(), |(p, m)| {
            let parent = p.split_once(' ').map_or(p, |(_, n)| n);
            let (kind, name) = m.split_once(' ').unwrap_or((m, ""));
            format!("{kind} {parent}.{name}")
        });
        let lines = match (&c.old, &c.new) {
            (Some(o), Some(n)) => format!(" [{} => {}]", o.trim(), n.trim()),
            (Some(o), None) => format!(" [{}]", o.trim()),
            (None, Some(n)) => format!(" [{}]", n.trim()),
            (None, None) => String::new(),
        };
        s.push_str(&format!(
            "  {class:<9}{}: {}{lines}{at}\n",
            key.trim_end_matches('.'),
            c.what
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The changes between two `API.md` bodies, as (key, breaking, what).
    fn between(old: &str, new: &str) -> Vec<(String, bool, String)> {
        let md = |body: &str| format!("```text\n{body}\n```\n");
        let new: Vec<Entry> = parse(&md(new))
            .into_iter()
            .map(|e| Entry {
                key: e.key,
                line: e.line,
                origin: String::new(),
            })
            .collect();
        diff(&parse(&md(old)), &new)
            .into_iter()
            .map(|c| (c.key, c.breaking, c.what))
            .collect()
    }

    fn one(key: &str, breaking: bool, what: &str) -> Vec<(String, bool, String)> {
        vec![(key.to_owned(), breaking, what.to_owned())]
    }

    #[test]
    fn openness_and_directions_are_classified_by_what_callers_lose() {
        let open = "union U  tag \"t\" open\n  variant A: A";
        let closed = "union U  tag \"t\"\n  variant A: A";
        assert_eq!(between(closed, open), one("type U", false, "now open"));
        assert_eq!(between(open, closed), one("type U", true, "no longer open"));
        // A struct used in neither direction implements both serde traits.
        assert_eq!(
            between("struct S", "struct S  received"),
            one("type S", true, "used in fewer directions")
        );
        assert_eq!(
            between("struct S  sent", "struct S"),
            one("type S", false, "used in more directions")
        );
        assert_eq!(
            between("struct S  sent", "struct S  sent received"),
            one("type S", false, "used in more directions")
        );
    }

    #[test]
    fn a_type_renamed_behind_an_alias_is_the_same_type() {
        let old = "struct Pet\n  field kind: Option<Kind>  optional\nenum Kind  string open";
        let new =
            "alias Kind = Species\nstruct Pet\n  field kind: Option<Species>  optional\nenum Species  string open";
        let got = between(old, new);
        assert!(
            got.contains(&(
                "type Pet/field kind".to_owned(),
                false,
                "type renamed, the old name kept as an alias".to_owned()
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&("type Kind".to_owned(), false, "now an alias".to_owned())),
            "{got:?}"
        );
        // An alias of a different kind of item is not the same API.
        let got = between(
            "union Kind  untagged\n  variant A: A",
            "alias Kind = Species\nenum Species  string open",
        );
        assert!(
            got.contains(&("type Kind".to_owned(), true, "kind changed".to_owned())),
            "{got:?}"
        );
    }
}
