//! JSON pointer -> line and column in the spec's text, for messages only.
//!
//! Positions are not tracked while loading (that would slow every run down); instead the text is
//! scanned again, once, for the few diagnostics that are about to be shown. One YAML event parser
//! serves both formats (JSON is YAML's flow style). A pointer that does not exist in the text as
//! written (a key added by normalization, a key reached through an alias or a `<<` merge) gets the
//! position of its deepest ancestor that does.

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{Event, Parser};

use crate::diag::{escape, Diagnostic, Location};

/// The 1-based line and column of the node at `pointer`, or of its deepest ancestor in the text.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let mut found = scan(text, &prefixes(pointer).into_iter().collect());
    best(&mut found, pointer)
}

/// Fills in `line_col` of every location in `file` that does not have one yet, in one scan.
pub fn locate_all<'l>(file: &str, bytes: &[u8], locations: impl IntoIterator<Item = &'l mut Location>) {
    let mut todo: Vec<&mut Location> = locations
        .into_iter()
        .filter(|l| l.line_col.is_none() && l.file == file)
        .collect();
    if todo.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    let wanted: BTreeSet<String> = todo.iter().flat_map(|l| prefixes(&l.pointer)).collect();
    let mut found = scan(&text, &wanted);
    for l in &mut todo {
        l.line_col = best(&mut found, &l.pointer);
    }
}

/// [`locate_all`] for diagnostics.
pub fn locate_diagnostics(file: &str, bytes: &[u8], diags: &mut [Diagnostic]) {
    locate_all(file, bytes, diags.iter_mut().map(|d| &mut d.location));
}

/// `/a/b/c` -> `""`, `/a`, `/a/b`, `/a/b/c`.
fn prefixes(pointer: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for (i, c) in pointer.char_indices() {
        if c == '/' && i > 0 {
            out.push(pointer[..i].to_owned());
        }
    }
    if !pointer.is_empty() {
        out.push(pointer.to_owned());
    }
    out
}

/// The deepest ancestor found; failing that (an empty or unreadable text), the start of the file.
fn best(found: &mut BTreeMap<String, (usize, usize)>, pointer: &str) -> Option<(usize, usize)> {
    Some(
        prefixes(pointer)
            .iter()
            .rev()
            .find_map(|p| found.get(p).copied())
            .unwrap_or((1, 1)),
    )
}

enum Frame {
    /// A mapping; `key` is the key (and where it was written) whose value comes next (`None`: a key
    /// comes next). A value is reported at its key: a block mapping's own node starts a line later.
    Map {
        key: Option<(String, (usize, usize))>,
        len: usize,
    },
    Seq {
        index: usize,
        len: usize,
    },
    /// The inside of a complex (mapping or sequence) key, which no pointer can name.
    Skip {
        len: usize,
    },
}

/// Walks the event stream once and records the start of every node whose pointer is wanted.
fn scan(text: &str, wanted: &BTreeSet<String>) -> BTreeMap<String, (usize, usize)> {
    let text = &*without_surrogate_escapes(text);
    let mut found = BTreeMap::new();
    let mut path = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut started = false;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let pos = (span.start.line(), span.start.col() + 1);
        let is_start = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        let is_node = is_start || matches!(event, Event::Scalar(..) | Event::Alias(..));
        if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            match stack.pop() {
                Some(Frame::Skip { len }) => path.truncate(len),
                Some(Frame::Map { len, .. } | Frame::Seq { len, .. }) => {
                    path.truncate(len);
                    end_node(&mut stack);
                }
                None => {}
            }
            continue;
        }
        if !is_node {
            continue;
        }
        // A key of a mapping: remember it; its value is the node that follows.
        if let Some(Frame::Map { key: key @ None, .. }) = stack.last_mut() {
            let text = match &event {
                Event::Scalar(s, ..) => s.to_string(),
                // A complex key: no pointer can name what follows.
                _ => "\u{0}complex".to_owned(),
            };
            *key = Some((text, pos));
            if is_start {
                stack.push(Frame::Skip { len: path.len() });
            }
            continue;
        }
        if stack.is_empty() && started {
            break; // only the first document
        }
        started = true;
        let len = path.len();
        let mut pos = pos;
        match stack.last() {
            Some(Frame::Map { key: Some((k, at)), .. }) => {
                path.push('/');
                path.push_str(&escape(k));
                pos = *at;
            }
            Some(Frame::Seq { index, .. }) => {
                path.push('/');
                path.push_str(&index.to_string());
            }
            Some(Frame::Skip { .. }) => path.push_str("/\u{0}"),
            _ => {}
        }
        if wanted.contains(&path) {
            found.entry(path.clone()).or_insert(pos);
        }
        match event {
            Event::MappingStart(..) => stack.push(Frame::Map { key: None, len }),
            Event::SequenceStart(..) => stack.push(Frame::Seq { index: 0, len }),
            _ => {
                path.truncate(len);
                end_node(&mut stack);
            }
        }
    }
    found
}

/// JSON writes a character outside the BMP as two `\uXXXX` escapes (a surrogate pair, `\ud83d\udc4d`);
/// YAML has no such escapes and its parser stops at the first one, so no position would be found.
/// Each is replaced by an escape of the same length (positions stay), since only keys matter here.
fn without_surrogate_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    let is_surrogate = |b: &[u8]| {
        b.len() >= 6
            && b[0] == b'\\'
            && b[1] == b'u'
            && matches!(b[2], b'd' | b'D')
            && matches!(b[3], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
            && b[4].is_ascii_hexdigit()
            && b[5].is_ascii_hexdigit()
    };
    let bytes = text.as_bytes();
    if !bytes.windows(6).any(is_surrogate) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if is_surrogate(&bytes[i..]) {
            out.extend_from_slice(b"\\u0020");
            i += 6;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    // Only ASCII was replaced by ASCII.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_owned()))
}

/// A value finished: its mapping waits for the next key, its sequence counts one more item.
fn end_node(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        Some(Frame::Skip { .. }) | None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn yaml_block_and_flow() {
        let text = "openapi: 3.0.0\npaths:\n  /a/b:\n    get:\n      tags: [x, y]\n      responses: {'200': {description: ok}}\n";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/openapi"), Some((1, 1)));
        assert_eq!(locate(text, "/paths/~1a~1b/get"), Some((4, 5)));
        assert_eq!(locate(text, "/paths/~1a~1b/get/tags/1"), Some((5, 17)));
        assert_eq!(
            locate(text, "/paths/~1a~1b/get/responses/200/description"),
            Some((6, 27))
        );
        // Missing keys fall back to the deepest ancestor that exists.
        assert_eq!(locate(text, "/paths/~1a~1b/get/parameters/0"), Some((4, 5)));
    }

    #[test]
    fn json() {
        let text = "{\n  \"openapi\": \"3.1.0\",\n  \"components\": {\"schemas\": {\"A\": {\"type\": \"string\"}}}\n}";
        assert_eq!(locate(text, "/openapi"), Some((2, 3)));
        assert_eq!(locate(text, "/components/schemas/A/type"), Some((3, 36)));
    }

    #[test]
    fn json_surrogate_pairs_do_not_stop_the_scan() {
        let text = "{\n  \"a\": \"Hello! \\ud83d\\udc4d\",\n  \"b\": {\"c\": 1}\n}";
        assert_eq!(locate(text, "/b/c"), Some((3, 9)));
    }

    #[test]
    fn complex_keys_and_aliases_do_not_confuse_the_path() {
        let text = "a: &x {b: 1}\n? [k, l]\n: 2\nc: *x\nd: {e: 3}\n";
        assert_eq!(locate(text, "/c"), Some((4, 1)));
        assert_eq!(locate(text, "/c/b"), Some((4, 1)));
        assert_eq!(locate(text, "/d/e"), Some((5, 5)));
    }

    #[test]
    fn broken_text_still_locates_what_came_before() {
        assert_eq!(locate("a:\n  b: [1,\n", "/a/b/7"), Some((2, 3)));
        assert_eq!(locate("", "/a"), Some((1, 1)));
    }
}
