use serde_json::{json, Value};

use super::convert;
use crate::diag::Diagnostics;

/// A corpus spec, relative to this crate so the path works on any machine.
macro_rules! include_path {
    ($file:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/specs/", $file)
    };
}

/// Converts `doc`, returning the 3.0 document and the warnings as `pointer: message` lines.
fn run(doc: Value) -> (Value, Vec<String>) {
    let mut diags = Diagnostics::new("spec.json");
    let out = match convert(doc, &mut diags) {
        Ok(v) => v,
        Err(e) => panic!("conversion failed: {e}"),
    };
    let warnings = diags
        .into_vec()
        .into_iter()
        .map(|d| format!("{}: {}", d.location.pointer, d.message))
        .collect();
    (out, warnings)
}

/// Converts and then runs the rest of the normalize stage, so the output must fit `openapiv3`.
fn run_typed(doc: Value) -> (Value, Vec<String>) {
    let (out, warnings) = run(doc.clone());
    let mut diags = Diagnostics::new("spec.json");
    if let Err(e) = crate::normalize::normalize(doc, &mut diags, None) {
        panic!(
            "normalize failed: {e}\n{}",
            serde_json::to_string_pretty(&out).unwrap_or_default()
        );
    }
    (out, warnings)
}

fn at<'a>(v: &'a Value, pointer: &str) -> &'a Value {
    match v.pointer(pointer) {
        Some(x) => x,
        None => panic!(
            "nothing at {pointer} in {}",
            serde_json::to_string_pretty(v).unwrap_or_default()
        ),
    }
}

fn petstore() -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "Petstore", "version": "1.0.0"},
        "host": "petstore.example.com",
        "basePath": "/v1",
        "schemes": ["https", "http"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "tags": [{"name": "pets"}],
        "x-top": 1,
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "parameters": [
                        {"name": "limit", "in": "query", "type": "integer", "format": "int32", "maximum": 100, "default": 20},
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                        {"$ref": "#/parameters/traceId"}
                    ],
                    "responses": {
                        "200": {
                            "description": "pets",
                            "headers": {"x-next": {"type": "string", "description": "next page"}},
                            "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                            "examples": {"application/json": [{"id": 1, "name": "Rex"}]}
                        },
                        "default": {"$ref": "#/responses/Error"}
                    }
                },
                "post": {
                    "operationId": "createPet",
                    "consumes": ["application/json", "application/xml"],
                    "parameters": [{"name": "pet", "in": "body", "required": true, "description": "the pet", "schema": {"$ref": "#/definitions/NewPet"}}],
                    "responses": {"201": {"description": "created", "schema": {"$ref": "#/definitions/Pet"}}}
                }
            },
            "/pets/{petId}": {
                "parameters": [{"name": "petId", "in": "path", "required": true, "type": "string"}],
                "put": {
                    "operationId": "updatePet",
                    "parameters": [{"$ref": "#/parameters/PetBody"}],
                    "responses": {"204": {"description": "updated"}}
                },
                "delete": {
                    "operationId": "deletePet",
                    "responses": {"204": {"description": "deleted"}}
                }
            },
            "/pets/{petId}/photo": {
                "post": {
                    "operationId": "uploadPhoto",
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "petId", "in": "path", "required": true, "type": "string"},
                        {"name": "file", "in": "formData", "type": "file", "required": true, "description": "the photo"},
                        {"name": "caption", "in": "formData", "type": "string"}
                    ],
                    "produces": ["image/png"],
                    "responses": {"200": {"description": "the photo", "schema": {"type": "file"}}}
                }
            }
        },
        "definitions": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "discriminator": "kind",
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "kind": {"type": "string"},
                    "owner": {"$ref": "#/definitions/Owner", "x-nullable": true},
                    "friends": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                    "extra": {"type": "object", "additionalProperties": {"$ref": "#/definitions/Owner"}}
                }
            },
            "NewPet": {"allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object", "x-nullable": false}]},
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}}
        },
        "parameters": {
            "traceId": {"name": "X-Trace-Id", "in": "header", "type": "string"},
            "PetBody": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}
        },
        "responses": {"Error": {"description": "error", "schema": {"$ref": "#/definitions/Error"}}},
        "securityDefinitions": {
            "basic": {"type": "basic"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header", "description": "api key"}
        },
        "security": [{"key": []}]
    })
}

#[test]
fn document_level_fields() {
    let (out, warnings) = run_typed(petstore());
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(at(&out, "/openapi"), "3.0.3");
    assert_eq!(
        at(&out, "/servers"),
        &json!([{"url": "https://petstore.example.com/v1"}, {"url": "http://petstore.example.com/v1"}])
    );
    assert_eq!(at(&out, "/tags"), &json!([{"name": "pets"}]));
    assert_eq!(at(&out, "/security"), &json!([{"key": []}]));
    assert_eq!(at(&out, "/x-top"), 1);
    let keys: Vec<&str> = out
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "openapi",
            "info",
            "servers",
            "tags",
            "security",
            "paths",
            "components",
            "x-top"
        ]
    );
    for gone in [
        "/swagger",
        "/definitions",
        "/host",
        "/basePath",
        "/schemes",
        "/consumes",
        "/produces",
    ] {
        assert!(out.pointer(gone).is_none(), "{gone} should be gone");
    }
}

#[test]
fn servers_from_host_base_path_and_schemes() {
    let base = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
    let with = |extra: Value| {
        let mut doc = base.clone();
        if let (Some(d), Value::Object(e)) = (doc.as_object_mut(), extra) {
            d.extend(e);
        }
        run(doc).0.get("servers").cloned()
    };
    assert_eq!(
        with(json!({"host": "api.example.com"})),
        Some(json!([{"url": "https://api.example.com"}]))
    );
    assert_eq!(
        with(json!({"host": "api.example.com", "basePath": "/"})),
        Some(json!([{"url": "https://api.example.com"}]))
    );
    assert_eq!(
        with(json!({"host": "h:8080", "basePath": "/api", "schemes": ["http"]})),
        Some(json!([{"url": "http://h:8080/api"}]))
    );
    assert_eq!(with(json!({"basePath": "/api"})), Some(json!([{"url": "/api"}])));
    assert_eq!(with(json!({})), None);
}

#[test]
fn definitions_become_component_schemas_with_refs_rewritten() {
    let (out, _) = run(petstore());
    let pet = at(&out, "/components/schemas/Pet");
    assert_eq!(at(pet, "/discriminator"), &json!({"propertyName": "kind"}));
    assert_eq!(
        at(pet, "/properties/owner"),
        &json!({"$ref": "#/components/schemas/Owner", "nullable": true})
    );
    assert_eq!(at(pet, "/properties/friends/items/$ref"), "#/components/schemas/Pet");
    assert_eq!(
        at(pet, "/properties/extra/additionalProperties/$ref"),
        "#/components/schemas/Owner"
    );
    assert_eq!(
        at(&out, "/components/schemas/NewPet"),
        &json!({"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object"}]})
    );
}

#[test]
fn query_path_and_header_parameters_get_schemas() {
    let (out, _) = run(petstore());
    let params = at(&out, "/paths/~1pets/get/parameters");
    assert_eq!(
        params,
        &json!([
            {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "maximum": 100, "default": 20}},
            {"name": "tags", "in": "query", "style": "form", "explode": true, "schema": {"type": "array", "items": {"type": "string"}}},
            {"$ref": "#/components/parameters/traceId"}
        ])
    );
    assert_eq!(
        at(&out, "/components/parameters/traceId"),
        &json!({"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}})
    );
    assert_eq!(
        at(&out, "/paths/~1pets~1{petId}/parameters"),
        &json!([{"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}}])
    );
}

#[test]
fn collection_formats() {
    let doc = json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a/{ids}": {"get": {
            "parameters": [
                {"name": "ids", "in": "path", "required": true, "type": "array", "items": {"type": "integer"}},
                {"name": "csv", "in": "query", "type": "array", "items": {"type": "string"}},
                {"name": "ssv", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "ssv"},
                {"name": "pipes", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
                {"name": "tsv", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
                {"name": "h", "in": "header", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                {"name": "nested", "in": "query", "type": "array", "items": {"type": "array", "collectionFormat": "pipes", "items": {"type": "string"}}}
            ],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let (out, warnings) = run_typed(doc);
    let p = |i: usize| at(&out, &format!("/paths/~1a~1{{ids}}/get/parameters/{i}")).clone();
    assert!(p(0).get("style").is_none());
    assert_eq!((&p(1)["style"], &p(1)["explode"]), (&json!("form"), &json!(false)));
    assert_eq!(p(2)["style"], "spaceDelimited");
    assert_eq!(p(3)["style"], "pipeDelimited");
    assert!(p(4).get("style").is_none());
    assert!(p(5).get("style").is_none());
    assert_eq!(
        p(6)["schema"],
        json!({"type": "array", "items": {"type": "array", "items": {"type": "string"}}})
    );
    assert_eq!(
        warnings,
        [
            "/paths/~1a~1{ids}/get/parameters/4/collectionFormat: `collectionFormat: tsv` has no OpenAPI 3 equivalent; the default serialization is used",
            "/paths/~1a~1{ids}/get/parameters/5/collectionFormat: `collectionFormat: multi` is not supported for header parameters; the default serialization is used",
            "/paths/~1a~1{ids}/get/parameters/6/items/collectionFormat: nested arrays cannot keep their `collectionFormat` in OpenAPI 3; dropped",
        ]
    );
}

#[test]
fn body_parameter_becomes_request_body() {
    let (out, _) = run(petstore());
    assert_eq!(
        at(&out, "/paths/~1pets/post/requestBody"),
        &json!({
            "description": "the pet",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}},
                "application/xml": {"schema": {"$ref": "#/components/schemas/NewPet"}}
            },
            "required": true,
            "x-codegen-request-body-name": "pet"
        })
    );
    assert!(out.pointer("/paths/~1pets/post/parameters").is_none());
    // A `$ref` to a root body parameter becomes a request body reference.
    assert_eq!(
        at(&out, "/paths/~1pets~1{petId}/put/requestBody"),
        &json!({"$ref": "#/components/requestBodies/PetBody"})
    );
    assert_eq!(
        at(&out, "/components/requestBodies/PetBody"),
        &json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "x-codegen-request-body-name": "pet"})
    );
    assert!(out.pointer("/components/parameters/PetBody").is_none());
}

#[test]
fn form_parameters_become_one_request_body() {
    let (out, _) = run(petstore());
    assert_eq!(
        at(&out, "/paths/~1pets~1{petId}~1photo/post/requestBody"),
        &json!({
            "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "the photo"},
                    "caption": {"type": "string"}
                },
                "required": ["file"]
            }}},
            "required": true
        })
    );
    assert_eq!(
        at(&out, "/paths/~1pets~1{petId}~1photo/post/parameters/0/name"),
        "petId"
    );
}

#[test]
fn form_without_files_is_urlencoded_and_refs_are_inlined() {
    let doc = json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "parameters": {"token": {"name": "token", "in": "formData", "type": "string", "required": true}},
        "paths": {"/login": {
            "parameters": [{"name": "shared", "in": "formData", "type": "integer"}],
            "post": {
                "parameters": [
                    {"$ref": "#/parameters/token"},
                    {"name": "ids", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}
                ],
                "responses": {"200": {"description": "ok"}}
            }
        }}
    });
    let (out, warnings) = run_typed(doc);
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(
        at(&out, "/paths/~1login/post/requestBody"),
        &json!({
            "content": {"application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "shared": {"type": "integer"},
                        "token": {"type": "string"},
                        "ids": {"type": "array", "items": {"type": "string"}}
                    },
                    "required": ["token"]
                },
                "encoding": {"ids": {"style": "form", "explode": true}}
            }},
            "required": true
        })
    );
    assert!(out.pointer("/paths/~1login/parameters").is_none());
    assert!(out.pointer("/components").is_none());
}

#[test]
fn responses_get_content_headers_and_examples() {
    let (out, _) = run(petstore());
    assert_eq!(
        at(&out, "/paths/~1pets/get/responses/200"),
        &json!({
            "description": "pets",
            "headers": {"x-next": {"description": "next page", "schema": {"type": "string"}}},
            "content": {"application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                "example": [{"id": 1, "name": "Rex"}]
            }}
        })
    );
    assert_eq!(
        at(&out, "/paths/~1pets/get/responses/default"),
        &json!({"$ref": "#/components/responses/Error"})
    );
    assert_eq!(
        at(&out, "/components/responses/Error"),
        &json!({"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    );
    assert_eq!(
        at(&out, "/paths/~1pets~1{petId}~1photo/post/responses/200/content"),
        &json!({"image/png": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        at(&out, "/paths/~1pets~1{petId}/delete/responses/204"),
        &json!({"description": "deleted"})
    );
}

#[test]
fn security_definitions() {
    let doc = json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "securityDefinitions": {
            "basic": {"type": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "key", "in": "query", "x-extra": true},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth"},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {"read": "read it"}},
            "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token", "scopes": {}},
            "accessCode": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"w": "write"}},
            "broken": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth"},
            "odd": {"type": "mutualTLS"}
        }
    });
    let (out, warnings) = run_typed(doc);
    assert_eq!(
        at(&out, "/components/securitySchemes"),
        &json!({
            "basic": {"type": "http", "scheme": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "key", "in": "query", "x-extra": true},
            "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a/auth", "scopes": {}}}},
            "password": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a/token", "scopes": {"read": "read it"}}}},
            "application": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}}},
            "accessCode": {"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"w": "write"}
            }}}
        })
    );
    assert_eq!(
        warnings,
        [
            "/securityDefinitions/broken: the oauth2 `accessCode` flow needs a string `tokenUrl`; dropped",
            "/securityDefinitions/odd/type: unknown security definition type `mutualTLS` (expected basic, apiKey or oauth2); dropped",
        ]
    );
}

#[test]
fn path_level_body_joins_each_operation_unless_overridden() {
    let doc = json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/things": {
            "parameters": [{"name": "thing", "in": "body", "schema": {"type": "string"}}],
            "put": {"responses": {"200": {"description": "ok"}}},
            "post": {
                "parameters": [{"name": "other", "in": "body", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}}
            }
        }}
    });
    let (out, _) = run_typed(doc);
    assert_eq!(
        at(&out, "/paths/~1things/put/requestBody/content/application~1json/schema"),
        &json!({"type": "string"})
    );
    assert_eq!(
        at(
            &out,
            "/paths/~1things/post/requestBody/content/application~1json/schema"
        ),
        &json!({"type": "integer"})
    );
    assert!(out.pointer("/paths/~1things/parameters").is_none());
    let keys: Vec<&str> = at(&out, "/paths/~1things/put")
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["requestBody", "responses"]);
}

#[test]
fn unconvertible_parts_warn_with_pointers_into_the_original() {
    let doc = json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "openness": true,
        "paths": {"/a": {
            "get": {
                "parameters": [
                    {"name": "c", "in": "cookie", "type": "string"},
                    {"in": "query", "type": "string"},
                    {"name": "b1", "in": "body", "schema": {}},
                    {"name": "b2", "in": "body", "schema": {}},
                    {"name": "f", "in": "formData", "type": "string"},
                    42
                ],
                "responses": {"200": {"schema": {"type": "string"}, "bogus": 1}}
            },
            "trace": {}
        }}
    });
    let (_, warnings) = run_typed(doc);
    assert_eq!(
        warnings,
        [
            "/openness: `openness` is not a Swagger 2.0 field; dropped",
            "/paths/~1a/get/parameters/0/in: unknown parameter location `cookie`; dropped",
            "/paths/~1a/get/parameters/1: a parameter needs a string `name`; dropped",
            "/paths/~1a/get/parameters/3: an operation can have only one body parameter; dropped",
            "/paths/~1a/get/parameters/5: a parameter must be a mapping; dropped",
            "/paths/~1a/get/parameters/4: form parameters cannot be combined with a body parameter; dropped",
            "/paths/~1a/get/responses/200/bogus: `bogus` is not a field of a Swagger 2.0 response; dropped",
            "/paths/~1a/get/responses/200: a response needs a `description`; an empty one is used",
            "/paths/~1a/trace: `trace` is not a field of a Swagger 2.0 path item; dropped",
        ]
    );
}

#[test]
fn malformed_input_never_panics() {
    let shapes = [
        json!(null),
        json!(1),
        json!("x"),
        json!([]),
        json!({}),
        json!({"a": [1, {"b": null}]}),
        json!({"$ref": 3}),
        json!({"in": "body", "name": 1, "schema": [1]}),
        json!({"in": "formData", "name": "f", "type": "file", "collectionFormat": 9}),
    ];
    let keys = [
        "swagger",
        "info",
        "host",
        "basePath",
        "schemes",
        "consumes",
        "produces",
        "paths",
        "definitions",
        "parameters",
        "responses",
        "securityDefinitions",
        "security",
        "tags",
    ];
    for key in keys {
        for shape in &shapes {
            let mut doc = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/p": {"get": {"responses": {}}}}});
            if let Some(m) = doc.as_object_mut() {
                m.insert(key.into(), shape.clone());
            }
            let _ = convert(doc, &mut Diagnostics::new("spec.json"));
        }
    }
    for shape in &shapes {
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/p": {"parameters": [shape], "post": {"parameters": [shape, shape], "responses": {"200": shape, "x": shape}}}},
            "definitions": {"D": {"properties": {"p": shape}, "items": shape, "allOf": shape}},
            "parameters": {"P": shape},
            "responses": {"R": {"description": "r", "headers": {"h": shape}, "examples": shape}},
            "securityDefinitions": {"S": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "u", "scopes": shape}},
        });
        let _ = convert(doc, &mut Diagnostics::new("spec.json"));
    }
    assert!(convert(json!({"swagger": "3.0"}), &mut Diagnostics::new("spec.json")).is_err());
    assert!(convert(json!([]), &mut Diagnostics::new("spec.json")).is_err());
}

#[test]
fn deep_nesting_is_bounded() {
    let mut schema = json!({"$ref": "#/definitions/Leaf"});
    for _ in 0..500 {
        schema = json!({"type": "array", "items": schema});
    }
    let doc =
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, "definitions": {"Deep": schema}});
    let (_, warnings) = run(doc);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].ends_with("schema nested more than 128 levels deep; left unconverted"));
}

#[test]
fn conversion_is_deterministic() {
    let a = serde_json::to_string(&run(petstore()).0).unwrap_or_default();
    let b = serde_json::to_string(&run(petstore()).0).unwrap_or_default();
    assert_eq!(a, b);
}

/// The real Swagger 2.0 specs of the corpus convert and then pass the whole pipeline.
#[test]
fn corpus_specs_generate() {
    let specs = [
        ("oai-uber-swagger20.json", include_path!("oai-uber-swagger20.json")),
        ("netlify-swagger20.yaml", include_path!("netlify-swagger20.yaml")),
        (
            "slack-web-api-swagger20.json",
            include_path!("slack-web-api-swagger20.json"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, path) in specs {
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipping {name}: {path} is missing");
            continue;
        };
        // The display name decides JSON or YAML parsing.
        let display = if name.ends_with(".yaml") { "x.yaml" } else { "x.json" };
        match crate::generate_from_bytes(&crate::Config::new("x", display, "x"), &bytes) {
            Ok(out) => eprintln!(
                "{name}: {} operations, {} warnings",
                out.api.operations.len(),
                out.warnings.len()
            ),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
