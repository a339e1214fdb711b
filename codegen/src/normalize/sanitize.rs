//! Repairs what real specs get wrong but still mean clearly, so the typed model accepts them. Each
//! repair is a warning with a pointer; generation goes on.

use serde_json::{Map, Value};

use super::walk;
use crate::diag::Diagnostics;

pub fn sanitize(doc: &mut Value, diags: &mut Diagnostics) {
    walk::schemas_mut(doc, &mut |s, pointer| schema(s, pointer, diags));
}

fn schema(s: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    if let Some(required) = s.get_mut("required") {
        match required {
            Value::Array(list) => {
                let mut seen = std::collections::BTreeSet::new();
                let before = list.len();
                list.retain(|v| v.as_str().is_some_and(|k| seen.insert(k.to_owned())));
                if list.len() != before {
                    diags.warn(
                        format!("{pointer}/required"),
                        "duplicate or non-string entries in `required` dropped",
                    );
                }
            }
            _ => {
                diags.warn(
                    format!("{pointer}/required"),
                    "`required` inside a schema must be a list of property names; ignored",
                );
                s.remove("required");
            }
        }
    }
}
