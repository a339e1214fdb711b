//! Stage 3: typed spec -> IR. Names are decided here, once; the IR that comes out is checked.

mod client_params;
mod constraints;
mod dedup;
pub mod examples;
mod features;
mod files;
pub mod framework_names;
mod headers;
mod operation;
mod pagination;
mod passes;
mod schema;
mod security;
mod streams;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::diag::{escape, Diagnostics, Error};
use crate::ir::{Api, Docs, Ty, TypeDef, TypeId, TypeKind};
use crate::naming::{self, Namespace};
pub use examples::EXAMPLE_FROM_LIST;
pub use schema::Slot;
pub use streams::sequential;

pub struct Lowerer<'a> {
    spec: &'a OpenAPI,
    diags: &'a mut Diagnostics,
    /// Type arena; a slot is `None` between reserving a name and filling in the definition.
    types: Vec<Option<TypeDef>>,
    names: Vec<(String, String)>,
    type_names: Namespace,
    /// Component schema name -> (id, whether the schema itself is nullable).
    components: BTreeMap<String, (TypeId, bool)>,
    depth: usize,
    /// Pointers of the inline schemas being lowered right now: meeting one again means the schema
    /// contains itself without a `$ref` in between (through `allOf` of its own component), which
    /// would otherwise expand into ever new inline types.
    in_progress: std::collections::BTreeSet<String>,
    /// Shorter names for the operations and schemas a framework named mechanically.
    plan: framework_names::Plan,
}

/// Choices that change the names `lower` makes.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Shorten framework-generated names ([`framework_names`]).
    pub clean_names: bool,
}

/// Works out the shorter names of `framework_names` for this spec.
fn framework_plan(spec: &OpenAPI, schemas: &[(&String, &ReferenceOr<Schema>)]) -> framework_names::Plan {
    let ops: Vec<framework_names::OpRef<'_>> = spec
        .paths
        .paths
        .iter()
        .filter_map(|(path, item)| match item {
            ReferenceOr::Item(item) => Some((path, item)),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|(path, item)| {
            item.iter().map(move |(method, op)| framework_names::OpRef {
                id: op.operation_id.as_deref(),
                path,
                method,
            })
        })
        .collect();
    let names: Vec<&str> = schemas.iter().map(|(n, _)| n.as_str()).collect();
    framework_names::plan(&ops, &names, operation::CLIENT_METHODS)
}

/// Looks up `#/components/schemas/<name>` (after normalization every schema `$ref` has that form).
pub(crate) fn component_schema<'s>(spec: &'s OpenAPI, reference: &str) -> Option<(&'s str, &'s ReferenceOr<Schema>)> {
    let raw = reference.strip_prefix("#/components/schemas/")?;
    let name = crate::diag::unescape(raw);
    spec.components
        .as_ref()?
        .schemas
        .get_key_value(&name)
        .map(|(k, v)| (k.as_str(), v))
}

impl<'a> Lowerer<'a> {
    fn reserve(&mut self, name: String, origin: &str) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(None);
        self.names.push((name, origin.to_owned()));
        id
    }

    fn fill(&mut self, id: TypeId, docs: Docs, kind: TypeKind) {
        let (name, origin) = self.names[id.0].clone();
        self.types[id.0] = Some(TypeDef {
            name,
            origin,
            docs,
            kind,
            in_request: false,
            in_response: false,
            serialize: false,
            deserialize: false,
            constraints: None,
        });
    }

    fn name_of(&self, id: TypeId) -> String {
        self.names[id.0].0.clone()
    }

    fn component_of(&self, reference: &str) -> Option<(TypeId, bool)> {
        let raw = reference.strip_prefix("#/components/schemas/")?;
        self.components.get(&crate::diag::unescape(raw)).copied()
    }
}

/// Lowers a normalized spec into the IR.
pub fn lower(spec: &OpenAPI, diags: &mut Diagnostics, options: Options) -> Result<Api, Error> {
    let mut l = Lowerer {
        spec,
        diags,
        types: Vec::new(),
        names: Vec::new(),
        type_names: Namespace::new(),
        components: BTreeMap::new(),
        depth: 0,
        in_progress: Default::default(),
        plan: framework_names::Plan::default(),
    };
    // Components first and in sorted order: which name wins a collision must not depend on the
    // order of keys in the file.
    let schemas: Vec<(&String, &ReferenceOr<Schema>)> = match &spec.components {
        Some(c) => {
            let mut v: Vec<_> = c.schemas.iter().collect();
            v.sort_by(|a, b| a.0.cmp(b.0));
            v
        }
        None => Vec::new(),
    };
    if options.clean_names {
        l.plan = framework_plan(spec, &schemas);
    }
    for (name, schema) in &schemas {
        let rust_from = l.plan.schemas.get(*name).unwrap_or(name);
        let rust = l.type_names.claim(naming::type_name(rust_from));
        let id = l.reserve(rust, &format!("/components/schemas/{}", escape(name)));
        let nullable = matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable);
        l.components.insert((*name).clone(), (id, nullable));
    }
    for (name, schema) in &schemas {
        let (id, _) = l.components[*name];
        let pointer = format!("/components/schemas/{}", escape(name));
        let ty = l.lower_schema(schema, Slot::Reserved(id), &pointer);
        if l.types[id.0].is_none() {
            let docs = match schema {
                ReferenceOr::Item(s) => l.docs_of(s, &pointer),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            let (inner, _) = ty.split_option();
            l.fill(id, docs, TypeKind::Alias(inner));
        }
        if let (ReferenceOr::Item(s), Some(t)) = (schema, l.types[id.0].as_mut()) {
            t.constraints = constraints::of_schema(s);
        }
    }
    // A title that only repeats the schema's name says nothing in the docs.
    for (name, _) in &schemas {
        let (id, _) = l.components[*name];
        if let Some(t) = l.types[id.0].as_mut() {
            if t.docs.title.as_deref() == Some(name.as_str()) {
                t.docs.title = None;
            }
        }
    }
    let security_schemes = security::security_schemes(&mut l);
    let operations = operation::operations(&mut l, &security_schemes);
    let mut types = Vec::with_capacity(l.types.len());
    for (i, t) in l.types.into_iter().enumerate() {
        match t {
            Some(t) => types.push(t),
            None => {
                return Err(Error::Internal(format!(
                    "type `{}` was named but never defined",
                    l.names[i].0
                )));
            }
        }
    }
    let info = &spec.info;
    let mut api = Api {
        title: info.title.clone(),
        api_version: info.version.clone(),
        description: info.description.clone(),
        default_base_url: operation::default_base_url(spec, l.diags),
        types,
        operations,
        security_schemes,
        shared_errors: Vec::new(),
        header_views: Vec::new(),
        tag_features: None,
        client_params: Vec::new(),
    };
    constraints::inherit(&mut api);
    let components: Vec<(String, TypeId)> = l.components.iter().map(|(name, (id, _))| (name.clone(), *id)).collect();
    passes::run(&mut api, &components, l.diags)?;
    pagination::detect(&mut api, spec, l.diags);
    Ok(api)
}

/// The gate enabled by any of several gates (an empty gate, "always", absorbs the others).
pub(crate) use features::union as gate_union;

/// Resolves `Ty::Named` chains through aliases, for code that needs the underlying shape.
pub(crate) fn resolve_alias<'t>(api: &'t Api, ty: &'t Ty) -> &'t Ty {
    let mut cur = ty;
    for _ in 0..api.types.len() + 1 {
        match cur {
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(inner) => cur = inner,
                _ => return cur,
            },
            _ => return cur,
        }
    }
    cur
}
