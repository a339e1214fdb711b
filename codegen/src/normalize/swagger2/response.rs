//! Responses and their headers.

use serde_json::{Map, Value};

use super::{media_or_default, reference, schema, Ctx};
use crate::diag::{join, Diagnostics};

/// An operation's `responses` -> `responses`.
pub(super) fn responses(ctx: &Ctx, value: Value, produces: &[String], pointer: &str, diags: &mut Diagnostics) -> Value {
    let Value::Object(items) = value else {
        diags.warn(pointer, "`responses` must be a mapping; ignored");
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (code, r) in items {
        if code.starts_with("x-") {
            out.insert(code, r);
            continue;
        }
        let p = join(pointer, &code);
        if let Some(r) = response(ctx, r, produces, &p, diags) {
            out.insert(code, r);
        }
    }
    Value::Object(out)
}

/// One response (or `$ref` to one) -> 3.0 response, with one media type per entry of `produces`.
pub(super) fn response(
    ctx: &Ctx,
    value: Value,
    produces: &[String],
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let Value::Object(m) = value else {
        diags.warn(pointer, "a response must be a mapping; dropped");
        return None;
    };
    if let Some(r) = m.get("$ref") {
        let Some(r) = r.as_str() else {
            diags.warn(join(pointer, "$ref"), "`$ref` must be a string; dropped");
            return None;
        };
        return Some(reference(ctx.rewrite_ref(r)));
    }
    let mut description = None;
    let mut schema = None;
    let mut headers = Map::new();
    let mut examples = None;
    let mut extensions = Map::new();
    for (key, v) in m {
        let p = join(pointer, &key);
        match key.as_str() {
            "description" => description = Some(v),
            "schema" => schema = Some(schema::convert(ctx, v, &p, diags)),
            "headers" => match v {
                Value::Object(items) => {
                    for (name, h) in items {
                        if let Some(h) = header(ctx, h, &join(&p, &name), diags) {
                            headers.insert(name, h);
                        }
                    }
                }
                _ => diags.warn(p, "`headers` must be a mapping; ignored"),
            },
            "examples" => match v {
                Value::Object(items) => examples = Some(items),
                _ => diags.warn(p, "`examples` must be a mapping of media types to examples; ignored"),
            },
            k if k.starts_with("x-") => {
                extensions.insert(key, v);
            }
            _ => diags.warn(p, format!("`{key}` is not a field of a Swagger 2.0 response; dropped")),
        }
    }
    let description = description.unwrap_or_else(|| {
        diags.warn(pointer, "a response needs a `description`; an empty one is used");
        Value::String(String::new())
    });
    let media_type = |schema: &Option<Value>| {
        let mut mt = Map::new();
        if let Some(s) = schema {
            mt.insert("schema".into(), s.clone());
        }
        mt
    };
    let mut content = Map::new();
    if schema.is_some() {
        for media in media_or_default(produces) {
            content.insert(media.to_owned(), Value::Object(media_type(&schema)));
        }
    }
    for (media, example) in examples.unwrap_or_default() {
        let entry = content
            .entry(media)
            .or_insert_with(|| Value::Object(media_type(&schema)));
        if let Value::Object(mt) = entry {
            mt.insert("example".into(), example);
        }
    }
    let mut out = Map::new();
    out.insert("description".into(), description);
    if !headers.is_empty() {
        out.insert("headers".into(), Value::Object(headers));
    }
    if !content.is_empty() {
        out.insert("content".into(), Value::Object(content));
    }
    out.extend(extensions);
    Some(Value::Object(out))
}

/// A response header -> 3.0 header object with a `schema`.
fn header(ctx: &Ctx, value: Value, pointer: &str, diags: &mut Diagnostics) -> Option<Value> {
    let Value::Object(m) = value else {
        diags.warn(pointer, "a header must be a mapping; dropped");
        return None;
    };
    let split = schema::split(ctx, m, pointer, diags);
    let mut description = None;
    let mut example = None;
    let mut extensions = Map::new();
    for (key, v) in split.rest {
        match key.as_str() {
            "description" => description = Some(v),
            "example" | "x-example" => example = Some(v),
            k if k.starts_with("x-") => {
                extensions.insert(key, v);
            }
            _ => diags.warn(
                join(pointer, &key),
                format!("`{key}` is not a field of a Swagger 2.0 header; dropped"),
            ),
        }
    }
    if split.collection_format.as_deref().is_some_and(|f| f != "csv") {
        diags.warn(
            join(pointer, "collectionFormat"),
            "headers can only hold comma-separated lists in OpenAPI 3; `collectionFormat` ignored",
        );
    }
    let mut out = Map::new();
    if let Some(d) = description {
        out.insert("description".into(), d);
    }
    out.insert("schema".into(), split.schema);
    if let Some(e) = example {
        out.insert("example".into(), e);
    }
    out.extend(extensions);
    Some(Value::Object(out))
}
