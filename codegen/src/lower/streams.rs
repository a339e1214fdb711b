//! Sequential media types (OpenAPI 3.2 "Sequential Media Types"): which responses the client reads
//! item by item, and the type of one item.
//!
//! The item type comes from `itemSchema` (moved into `schema` and marked by
//! `normalize::streams`). Without one, a JSON Lines or JSON text sequence's `schema` describes the
//! complete body as an array of the items, as OpenAPI 3.2 says: its `items` are the item type. A
//! `schema` that is not an array is what specs written before 3.2 mean by it (the type of one
//! line): it is taken as the item type, with a warning. A `text/event-stream` `schema` is the type
//! of each event's `data`, as before 3.2.

use openapiv3::MediaType;

use super::{Lowerer, Slot};
use crate::diag::join;
use crate::ir::{StreamKind, Ty, TypeKind};

/// The stream kind of a media type, if it is a sequential one this client can read.
pub fn sequential(media: &str) -> Option<StreamKind> {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if m == "text/event-stream" {
        Some(StreamKind::Events)
    } else if m.ends_with("json-seq") {
        // `application/json-seq`, `application/geo+json-seq`.
        Some(StreamKind::JsonSeq)
    } else if matches!(
        m.as_str(),
        "application/jsonl"
            | "application/x-jsonl"
            | "text/jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/ndjson"
            | "application/x-ndjson"
            | "text/x-ndjson"
    ) || m.ends_with("+jsonl")
        || m.ends_with("+ndjson")
    {
        Some(StreamKind::JsonLines)
    } else {
        None
    }
}

/// The type of one item of a sequential media type. `pointer` is the media type's.
pub(super) fn item_type(l: &mut Lowerer<'_>, kind: StreamKind, mt: &MediaType, hint: String, pointer: &str) -> Ty {
    let Some(schema) = &mt.schema else {
        return match kind {
            StreamKind::Events => Ty::String,
            _ => Ty::Any,
        };
    };
    if let Some(from) = crate::normalize::streams::marked(&mt.extensions) {
        return l.lower_schema(schema, Slot::Hint(hint), from);
    }
    let schema_ptr = join(pointer, "schema");
    let ty = l.lower_schema(schema, Slot::Hint(hint), &schema_ptr);
    if kind == StreamKind::Events {
        return ty;
    }
    match array_item(l, &ty) {
        Some(item) => item,
        None => {
            l.diags.warn(
                schema_ptr,
                "the `schema` of a sequential media type describes the whole body as an array of its items \
                 (OpenAPI 3.2); this one is not an array, so it is taken as the type of one item (write \
                 `itemSchema` to say so)",
            );
            ty
        }
    }
}

/// `T` when `ty` is `Vec<T>`, through aliases.
fn array_item(l: &Lowerer<'_>, ty: &Ty) -> Option<Ty> {
    let mut cur = ty;
    for _ in 0..=l.types.len() {
        match cur {
            Ty::Vec(item) => return Some((**item).clone()),
            Ty::Named(id) => match l.types.get(id.0).and_then(Option::as_ref).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => cur = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::sequential;
    use crate::ir::StreamKind::*;

    #[test]
    fn sequential_media_types() {
        let table = [
            ("text/event-stream", Some(Events)),
            ("text/event-stream; charset=utf-8", Some(Events)),
            ("application/jsonl", Some(JsonLines)),
            ("Application/JSONL", Some(JsonLines)),
            ("application/x-ndjson", Some(JsonLines)),
            ("application/ndjson", Some(JsonLines)),
            ("text/jsonl", Some(JsonLines)),
            ("application/x-jsonlines", Some(JsonLines)),
            ("application/vnd.acme.log+jsonl", Some(JsonLines)),
            ("application/json-seq", Some(JsonSeq)),
            ("application/geo+json-seq", Some(JsonSeq)),
            ("application/json", None),
            ("application/problem+json", None),
            ("text/plain", None),
            ("multipart/mixed", None),
        ];
        for (media, want) in table {
            assert_eq!(sequential(media), want, "{media}");
        }
    }
}
