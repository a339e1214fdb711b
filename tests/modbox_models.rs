//! Serde round trips of every Modbox model, on the wire names of the spec.

use chrono::{DateTime, Utc};
use modbox::types::{
    HttpValidationError, SandboxImageCreate, SandboxImageDetail, ValidationError, ValidationErrorLocItems,
};
use modbox::Nullable;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

const ID: &str = "8f14e45f-ceea-467f-a0e6-3b0e5f1c2d4a";
const REGISTRY_ID: &str = "0b7e3c1a-5d2f-4e6a-9c8b-1a2b3c4d5e6f";

fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("decodes")
}

fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

/// Decoding then encoding gives back the same JSON.
fn assert_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(wire: Value) -> T {
    let value: T = decode(wire.clone());
    assert_eq!(encode(&value), wire);
    let again: T = decode(encode(&value));
    assert_eq!(again, value);
    value
}

fn time(s: &str) -> DateTime<Utc> {
    s.parse().expect("RFC 3339")
}

#[test]
fn create_decodes_missing_fields_to_spec_defaults() {
    let body: SandboxImageCreate = decode(json!({"image": "alpine:3", "name": "alpine"}));
    assert_eq!(body, SandboxImageCreate::new("alpine:3", "alpine"));
    assert!(body.enabled);
    assert!(!body.is_default);
    assert_eq!(body.memory_mb, 1024);
    assert_eq!(body.tag, "latest");
    assert_eq!(body.description, Nullable::Absent);
    assert_eq!(body.readiness_port, Nullable::Absent);
    assert_eq!(body.registry_id, Nullable::Absent);
    assert_eq!(body.ttl_seconds, Nullable::Absent);
    // Defaults are fields, so they are written out.
    assert_eq!(
        encode(&body),
        json!({
            "enabled": true, "image": "alpine:3", "is_default": false,
            "memory_mb": 1024, "name": "alpine", "tag": "latest"
        })
    );
}

#[test]
fn create_requires_image_and_name() {
    assert!(serde_json::from_value::<SandboxImageCreate>(json!({"name": "x"})).is_err());
    assert!(serde_json::from_value::<SandboxImageCreate>(json!({"image": "x"})).is_err());
}

#[test]
fn create_optional_nullable_absent_null_and_value() {
    let absent: SandboxImageCreate = assert_round_trip(json!({
        "enabled": true, "image": "i", "is_default": false, "memory_mb": 1024,
        "name": "n", "tag": "latest"
    }));
    assert_eq!(absent.description, Nullable::Absent);
    assert_eq!(absent.readiness_port, Nullable::Absent);
    assert_eq!(absent.registry_id, Nullable::Absent);
    assert_eq!(absent.ttl_seconds, Nullable::Absent);

    let null: SandboxImageCreate = assert_round_trip(json!({
        "description": null, "enabled": true, "image": "i", "is_default": false,
        "memory_mb": 1024, "name": "n", "readiness_port": null, "registry_id": null,
        "tag": "latest", "ttl_seconds": null
    }));
    assert_eq!(null.description, Nullable::Null);
    assert_eq!(null.readiness_port, Nullable::Null);
    assert_eq!(null.registry_id, Nullable::Null);
    assert_eq!(null.ttl_seconds, Nullable::Null);

    let set: SandboxImageCreate = assert_round_trip(json!({
        "description": "d", "enabled": false, "image": "i", "is_default": true,
        "memory_mb": 512, "name": "n", "readiness_port": 8080, "registry_id": REGISTRY_ID,
        "tag": "v1", "ttl_seconds": 3600
    }));
    assert_eq!(set.description, Nullable::Value("d".to_owned()));
    assert_eq!(set.readiness_port, Nullable::Value(8080));
    assert_eq!(set.registry_id, Nullable::Value(REGISTRY_ID.parse::<Uuid>().unwrap()));
    assert_eq!(set.ttl_seconds, Nullable::Value(3600));
    assert!(!set.enabled && set.is_default);
    assert_eq!((set.memory_mb, set.tag.as_str()), (512, "v1"));
}

fn detail_wire(description: Value) -> Value {
    json!({
        "created_at": "2024-05-01T12:30:00Z",
        "description": description,
        "enabled": true,
        "id": ID,
        "image": "python:3.12-slim",
        "is_default": false,
        "memory_mb": 1024,
        "name": "py312",
        "tag": "latest",
        "updated_at": "2024-05-02T08:00:00.500Z"
    })
}

#[test]
fn detail_required_nullable_description() {
    let null: SandboxImageDetail = assert_round_trip(detail_wire(Value::Null));
    assert_eq!(null.description, None);
    assert_eq!(null.id, ID.parse::<Uuid>().unwrap());
    assert_eq!(null.created_at, time("2024-05-01T12:30:00Z"));
    assert_eq!(null.updated_at, time("2024-05-02T08:00:00.500Z"));

    let text: SandboxImageDetail = assert_round_trip(detail_wire(json!("slim")));
    assert_eq!(text.description.as_deref(), Some("slim"));

    // Lenient: a missing required-but-nullable field decodes as null, and is
    // written back as an explicit null.
    let mut wire = detail_wire(Value::Null);
    wire.as_object_mut().unwrap().remove("description");
    let absent: SandboxImageDetail = decode(wire);
    assert_eq!(absent, null);
    assert_eq!(encode(&absent)["description"], Value::Null);
    assert!(encode(&absent).as_object().unwrap().contains_key("description"));
}

#[test]
fn detail_optional_fields_and_constructor() {
    let wire = json!({
        "created_at": "2024-05-01T12:30:00Z",
        "description": null,
        "enabled": true,
        "id": ID,
        "image": "python:3.12-slim",
        "is_default": false,
        "memory_mb": 1024,
        "name": "py312",
        "readiness_port": 8080,
        "registry_id": REGISTRY_ID,
        "registry_name": "ghcr",
        "tag": "latest",
        "ttl_seconds": 60,
        "updated_at": "2024-05-01T12:30:00Z",
        "workspace_id": ID
    });
    let full: SandboxImageDetail = assert_round_trip(wire);
    assert_eq!(full.readiness_port, Some(8080));
    assert_eq!(full.registry_id, Some(REGISTRY_ID.parse().unwrap()));
    assert_eq!(full.registry_name.as_deref(), Some("ghcr"));
    assert_eq!(full.ttl_seconds, Some(60));
    assert_eq!(full.workspace_id, Some(ID.parse().unwrap()));

    // Absent optional fields are omitted; a null one decodes to None.
    let mut with_nulls = detail_wire(Value::Null);
    with_nulls["registry_name"] = Value::Null;
    with_nulls["workspace_id"] = Value::Null;
    let minimal: SandboxImageDetail = decode(with_nulls);
    assert_eq!(encode(&minimal), detail_wire(Value::Null));

    let built = SandboxImageDetail::new(
        time("2024-05-01T12:30:00Z"),
        None,
        true,
        ID.parse().unwrap(),
        "python:3.12-slim",
        false,
        1024,
        "py312",
        "latest",
        time("2024-05-02T08:00:00.500Z"),
    );
    assert_eq!(built, minimal);
}

#[test]
fn detail_rejects_malformed_typed_fields() {
    let mut bad_id = detail_wire(Value::Null);
    bad_id["id"] = json!("not-a-uuid");
    assert!(serde_json::from_value::<SandboxImageDetail>(bad_id).is_err());
    let mut bad_time = detail_wire(Value::Null);
    bad_time["created_at"] = json!("yesterday");
    assert!(serde_json::from_value::<SandboxImageDetail>(bad_time).is_err());
}

#[test]
fn loc_items_take_both_json_forms() {
    let items: Vec<ValidationErrorLocItems> = assert_round_trip(json!(["body", 0, "name", 12]));
    assert_eq!(
        items,
        [
            ValidationErrorLocItems::String("body".into()),
            ValidationErrorLocItems::Integer(0),
            ValidationErrorLocItems::String("name".into()),
            ValidationErrorLocItems::Integer(12),
        ]
    );
    // A digit string stays a string.
    let digits: ValidationErrorLocItems = decode(json!("0"));
    assert_eq!(digits, ValidationErrorLocItems::String("0".into()));
    assert!(serde_json::from_value::<ValidationErrorLocItems>(json!(true)).is_err());
}

#[test]
fn validation_error_type_field_is_named_type_on_the_wire() {
    let err: ValidationError = assert_round_trip(json!({
        "loc": ["body", 1], "msg": "Field required", "type": "missing"
    }));
    assert_eq!(err.r#type, "missing");
    assert_eq!(err.msg, "Field required");
    let built = ValidationError::new(
        vec![
            ValidationErrorLocItems::String("body".into()),
            ValidationErrorLocItems::Integer(1),
        ],
        "Field required",
        "missing",
    );
    assert_eq!(built, err);
    assert!(serde_json::from_value::<ValidationError>(json!({"loc": [], "msg": "m"})).is_err());
}

#[test]
fn http_validation_error_with_and_without_detail() {
    let with: HttpValidationError = assert_round_trip(json!({
        "detail": [{"loc": ["query", "limit"], "msg": "too big", "type": "less_than"}]
    }));
    let detail = with.detail.as_deref().unwrap();
    assert_eq!(detail.len(), 1);
    assert_eq!(detail[0].r#type, "less_than");

    let without: HttpValidationError = assert_round_trip(json!({}));
    assert_eq!(without, HttpValidationError::default());
    assert_eq!(without.detail, None);

    let empty: HttpValidationError = assert_round_trip(json!({"detail": []}));
    assert_eq!(empty.detail, Some(Vec::new()));
}

#[test]
fn renamed_types_keep_the_specs_wire_shape() {
    // `HTTPValidationError` in the spec is `HttpValidationError` in Rust; the
    // Rust name never reaches the wire.
    let value = HttpValidationError {
        detail: Some(vec![ValidationError::new(
            vec![ValidationErrorLocItems::Integer(3)],
            "m",
            "t",
        )]),
    };
    let text = serde_json::to_string(&value).unwrap();
    assert_eq!(text, r#"{"detail":[{"loc":[3],"msg":"m","type":"t"}]}"#);
    assert!(!text.contains("HttpValidationError") && !text.contains("r#type"));
}

#[test]
fn optional_nullable_fields_are_set_from_what_a_caller_has() {
    let mut body = SandboxImageCreate::new("i", "n");
    body.readiness_port = 8080.into();
    body.description = "d".into();
    body.registry_id = Option::<Uuid>::None.into();
    assert_eq!(body.readiness_port.value(), Some(&8080));
    assert!(body.registry_id.is_null() && body.ttl_seconds.is_absent());
    let wire = serde_json::to_value(&body).unwrap();
    assert_eq!(wire["readiness_port"], json!(8080));
    assert_eq!(wire["description"], json!("d"));
    assert_eq!(wire["registry_id"], Value::Null);
    assert!(wire.get("ttl_seconds").is_none(), "{wire}");
}
