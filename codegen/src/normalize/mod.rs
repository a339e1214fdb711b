//! Stage 2: make any accepted dialect fit the typed `openapiv3` model, check every `$ref`, and reject
//! what is invalid with a JSON pointer.

mod lenient;
mod model;
mod narrow;
mod oas31;
pub mod refs;
mod sanitize;
pub mod streams;
mod swagger2;
pub mod walk;
mod webhooks;

use serde_json::Value;

use crate::diag::{Diagnostics, Error};

/// The dialect the document declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// Runs every normalization pass and deserializes into the typed model.
pub fn normalize(
    mut doc: Value,
    diags: &mut Diagnostics,
    base_dir: Option<&std::path::Path>,
) -> Result<openapiv3::OpenAPI, Error> {
    let dialect = dialect(&doc, diags)?;
    if dialect == Dialect::Swagger2 {
        doc = swagger2::convert(doc, diags)?;
    }
    if dialect == Dialect::OpenApi31 {
        if let Value::Object(root) = &mut doc {
            root.entry("paths").or_insert_with(|| Value::Object(Default::default()));
        }
    }
    streams::carry(&mut doc, diags);
    lenient::repair(&mut doc, diags);
    oas31::rewrite(&mut doc, diags);
    let mut external = refs::External {
        base_dir,
        docs: Default::default(),
    };
    refs::resolve(&mut doc, diags, &mut external)?;
    if !external.docs.is_empty() {
        // Parts copied in from other files get the same repairs and 3.1 rewrites (the passes are
        // idempotent, and what they repaired once they leave alone).
        lenient::repair(&mut doc, diags);
        oas31::rewrite(&mut doc, diags);
    }
    webhooks::extract(&mut doc, diags);
    sanitize::sanitize(&mut doc, diags, dialect == Dialect::OpenApi30);
    deserialize(doc, diags)
}

fn dialect(doc: &Value, diags: &Diagnostics) -> Result<Dialect, Error> {
    let Value::Object(root) = doc else {
        return Err(diags.error("", "the document must be a mapping with an `openapi` field"));
    };
    if let Some(v) = root.get("openapi") {
        let version = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(diags.error("/openapi", "`openapi` must be a version string such as \"3.1.0\"")),
        };
        return if version.starts_with("3.0") {
            Ok(Dialect::OpenApi30)
        } else if version.starts_with("3.1") || version.starts_with("3.2") {
            Ok(Dialect::OpenApi31)
        } else {
            Err(diags.error(
                "/openapi",
                format!("unsupported OpenAPI version `{version}` (3.0.x, 3.1.x and 3.2.x are accepted)"),
            ))
        };
    }
    if root.get("swagger").is_some() {
        return Ok(Dialect::Swagger2);
    }
    Err(diags.error(
        "",
        "not an OpenAPI document: no `openapi` (or `swagger`) field at the top level",
    ))
}

/// Deserializes into `openapiv3`. On failure, the error names the deepest object that does not fit
/// (see `narrow.rs`), not the first untagged level above it where serde's path stops.
fn deserialize(doc: Value, diags: &Diagnostics) -> Result<openapiv3::OpenAPI, Error> {
    use serde::Deserialize as _;
    let e = match openapiv3::OpenAPI::deserialize(&doc) {
        Ok(spec) => return Ok(spec),
        Err(e) => e,
    };
    let (pointer, message) = narrow::narrow(&doc).unwrap_or_else(|| (String::new(), e.to_string()));
    Err(diags.error(pointer, format!("does not fit the OpenAPI model: {message}")))
}
