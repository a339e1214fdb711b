//! Serde behaviour of generated types (fixture client `types-fixture`, spec `specs/fixtures/types.yaml`).

use serde_json::{json, Value};
use types_fixture::types::*;
use types_fixture::Nullable;

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializes")
}

fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("deserializes")
}

#[test]
fn discriminated_union_decodes_by_mapping_and_keeps_the_tag() {
    let cat: Pet = from_json(json!({"kind": "cat", "lives": 9}));
    assert_eq!(cat, Pet::Cat(Cat::new("cat", 9)));
    // Two mapping values select the same variant; the tag stays in the variant struct.
    let kitten: Pet = from_json(json!({"kind": "kitten", "lives": 1}));
    assert_eq!(kitten, Pet::Cat(Cat::new("kitten", 1)));
    // A mapping value that names the schema without `#/components/schemas/`.
    let dog: Pet = from_json(json!({"kind": "dog", "barks": true}));
    assert_eq!(
        dog,
        Pet::Dog(Dog {
            kind: "dog".into(),
            barks: Some(true)
        })
    );
    // A variant outside the mapping is selected by its component name.
    let bird: Pet = from_json(json!({"kind": "Bird", "wings": 2}));
    assert_eq!(bird, Pet::Bird(Bird { wings: Some(2) }));
}

#[test]
fn discriminated_union_encodes_the_variant_as_is_and_adds_a_missing_tag() {
    assert_eq!(
        to_json(&Pet::Cat(Cat::new("kitten", 3))),
        json!({"kind": "kitten", "lives": 3})
    );
    // `Bird` declares no `kind` property: encoding adds the variant's tag value.
    assert_eq!(
        to_json(&Pet::Bird(Bird { wings: Some(2) })),
        json!({"kind": "Bird", "wings": 2})
    );
    for wire in [json!({"kind": "cat", "lives": 9}), json!({"kind": "Bird", "wings": 2})] {
        let pet: Pet = from_json(wire.clone());
        assert_eq!(to_json(&pet), wire);
    }
}

#[test]
fn discriminated_union_keeps_unknown_tags_and_rejects_bad_variants() {
    let wire = json!({"kind": "hamster", "wheel": true});
    let pet: Pet = from_json(wire.clone());
    assert_eq!(pet, Pet::Unknown(wire.clone()));
    assert_eq!(to_json(&pet), wire);
    let untagged: Pet = from_json(json!({"lives": 9}));
    assert!(matches!(untagged, Pet::Unknown(_)));
    // A known tag whose body does not fit the variant is an error, not `Unknown`.
    assert!(serde_json::from_value::<Pet>(json!({"kind": "cat", "lives": "many"})).is_err());
}

#[test]
fn discriminator_without_mapping_uses_component_names() {
    let cat: PetByName = from_json(json!({"kind": "Cat", "lives": 1}));
    assert_eq!(cat, PetByName::Cat(Cat::new("Cat", 1)));
    let other: PetByName = from_json(json!({"kind": "cat", "lives": 1}));
    assert!(matches!(other, PetByName::Unknown(_)));
}

#[test]
fn tag_value_of_several_variants_tries_them_in_order() {
    let input: Item = from_json(json!({"type": "message", "content": "hi"}));
    assert_eq!(input, Item::InputMessage(InputMessage::new("hi")));
    // Not an `InputMessage` (no `content`): the next variant with the same tag value.
    let output: Item = from_json(json!({"type": "message", "id": "m1", "output": "done"}));
    assert_eq!(output, Item::OutputMessage(OutputMessage::new("m1", "done")));
    let call: Item = from_json(json!({"type": "tool_call", "name": "f"}));
    assert_eq!(call, Item::ToolCall(ToolCall::new("f")));
    // Neither fits: an error, not `Unknown`.
    assert!(serde_json::from_value::<Item>(json!({"type": "message", "id": "m1"})).is_err());
    assert_eq!(
        to_json(&Item::OutputMessage(OutputMessage::new("m1", "done"))),
        json!({"type": "message", "id": "m1", "output": "done"})
    );
}

#[test]
fn const_tagged_union_round_trips() {
    let circle: Shape = from_json(json!({"type": "circle", "radius": 2.0}));
    assert_eq!(circle, Shape::Circle(ShapeCircle::new(2.0)));
    assert_eq!(
        to_json(&Shape::Square(ShapeSquare::new(3.0))),
        json!({"type": "square", "side": 3.0})
    );
    let unknown: Shape = from_json(json!({"type": "hexagon"}));
    assert!(matches!(unknown, Shape::Unknown(_)));
}

#[test]
fn untagged_union_tries_narrow_forms_first() {
    assert_eq!(from_json::<Scalar>(json!(true)), Scalar::Boolean(true));
    assert_eq!(from_json::<Scalar>(json!(7)), Scalar::Integer(7));
    assert_eq!(from_json::<Scalar>(json!(7.5)), Scalar::Number(7.5));
    assert_eq!(from_json::<Scalar>(json!("7")), Scalar::String("7".into()));
    assert_eq!(to_json(&Scalar::Integer(7)), json!(7));
    // The struct with more required properties is tried first, so `z` is not dropped.
    let p3: AnyPoint = from_json(json!({"x": 1.0, "y": 2.0, "z": 3.0}));
    assert_eq!(p3, AnyPoint::Point3(Point3::new(1.0, 2.0, 3.0)));
    let p2: AnyPoint = from_json(json!({"x": 1.0, "y": 2.0}));
    assert_eq!(p2, AnyPoint::Point(Point::new(1.0, 2.0)));
}

#[test]
fn mixed_enum_round_trips_and_keeps_unknown_values() {
    for (wire, value) in [
        (json!("auto"), Mode::Auto),
        (json!(1), Mode::V1),
        (json!(2), Mode::V2),
        (json!(true), Mode::True),
    ] {
        assert_eq!(from_json::<Mode>(wire.clone()), value);
        assert_eq!(to_json(&value), wire);
    }
    for wire in [json!("manual"), json!(3), json!(false), json!("1")] {
        let mode: Mode = from_json(wire.clone());
        assert_eq!(mode, Mode::Unknown(wire.clone()));
        assert_eq!(to_json(&mode), wire);
    }
    assert_eq!(Mode::Auto.to_string(), "auto");
    assert_eq!(Mode::V1.to_string(), "1");
    assert_eq!(Mode::Unknown(json!("x")).to_string(), "x");
    assert_eq!(Value::from(Mode::True), json!(true));
}

#[test]
fn integer_enum_keeps_unknown_values() {
    assert_eq!(from_json::<Level>(json!(5)), Level::V5);
    assert_eq!(from_json::<Level>(json!(7)), Level::Unknown(7));
    assert_eq!(to_json(&Level::Unknown(7)), json!(7));
}

/// `x-enum-varnames` / `x-enumNames` name the variants; the wire values stay the spec's.
#[test]
fn enum_variants_named_by_the_spec_round_trip() {
    for (variant, wire) in [
        (Severity::Info, json!(0)),
        (Severity::Warning, json!(1)),
        (Severity::Error, json!(2)),
    ] {
        assert_eq!(to_json(&variant), wire);
        assert_eq!(from_json::<Severity>(wire), variant);
    }
    assert_eq!(from_json::<Severity>(json!(9)), Severity::Unknown(9));
    for (variant, wire) in [
        (Phase::Waiting, json!("queued")),
        (Phase::Running, json!("in-flight")),
        (Phase::Finished, json!("done")),
    ] {
        assert_eq!(to_json(&variant), wire);
        assert_eq!(from_json::<Phase>(wire), variant);
    }
    assert_eq!(from_json::<Phase>(json!("paused")), Phase::Unknown("paused".to_owned()));
    assert_eq!(Phase::Running.as_str(), "in-flight");
}

#[test]
fn tuples_are_json_arrays() {
    let pair: Pair = ("a".into(), 1);
    assert_eq!(to_json(&pair), json!(["a", 1]));
    assert_eq!(from_json::<Pair>(json!(["b", 2])), ("b".into(), 2));
    assert!(serde_json::from_value::<Pair>(json!(["b"])).is_err());
    assert!(serde_json::from_value::<Pair>(json!([1, "b"])).is_err());
}

#[test]
fn byte_format_is_base64() {
    let blob = Blob {
        data: b"hello".to_vec(),
        chunks: Some(vec![b"a".to_vec(), Vec::new()]),
    };
    let wire = json!({"data": "aGVsbG8=", "chunks": ["YQ==", ""]});
    assert_eq!(to_json(&blob), wire);
    assert_eq!(from_json::<Blob>(wire), blob);
    // Padding is optional when decoding.
    let unpadded: Blob = from_json(json!({"data": "aGVsbG8"}));
    assert_eq!(unpadded.data, b"hello");
    assert!(serde_json::from_value::<Blob>(json!({"data": "not base64!"})).is_err());
}

/// JSON has no raw bytes: `format: binary` inside a JSON value is the bytes as UTF-8 text, as
/// pydantic writes and reads its `bytes` fields (it was an array of numbers, which no server reads).
#[test]
fn binary_format_in_json_is_utf8_text() {
    let raw = RawText {
        data: "héllo".as_bytes().to_vec(),
        maybe: None,
        lines: Some(vec![b"a".to_vec(), Vec::new()]),
        nothing: None,
    };
    let wire = json!({"data": "héllo", "lines": ["a", ""]});
    assert_eq!(to_json(&raw), wire);
    assert_eq!(from_json::<RawText>(wire), raw);
    // Bytes that are not UTF-8 cannot be sent as JSON text: a serialization error, not a lossy string.
    let binary = RawText::new(vec![0xff, 0xfe]);
    let err = serde_json::to_value(&binary).expect_err("not UTF-8");
    assert!(err.to_string().contains("not UTF-8"), "{err}");
}

/// `type: null` admits `null` only: `Option<()>`, where `Some(())` is sent as `null` (it was
/// `Nullable<serde_json::Value>`, which let any value through).
#[test]
fn null_only_property_is_unit() {
    let mut raw = RawText::new(b"x".to_vec());
    assert_eq!(to_json(&raw), json!({"data": "x"}));
    raw.nothing = Some(());
    assert_eq!(to_json(&raw), json!({"data": "x", "nothing": null}));
    assert!(serde_json::from_value::<RawText>(json!({"data": "x", "nothing": 1})).is_err());
}

/// `type: object` next to `oneOf` (OpenAI's `grader`, `data_source_config`) is the union, not a
/// JSON value that lets anything through.
#[test]
fn typed_one_of_is_a_union() {
    let envelope: Envelope = from_json(json!({"typed_union": {"kind": "cat", "lives": 7}}));
    assert_eq!(envelope.typed_union, Some(EnvelopeTypedUnion::Cat(Cat::new("cat", 7))));
    let bird: Envelope = from_json(json!({"typed_union": {"wings": 2}}));
    assert!(matches!(
        bird.typed_union,
        Some(EnvelopeTypedUnion::Bird(Bird { wings: Some(2) }))
    ));
    assert!(serde_json::from_value::<Envelope>(json!({"typed_union": 5})).is_err());
}

/// `oneOf: [Lion, Tiger]` where both are `allOf: [Feline, ..]` and `Feline` has the discriminator:
/// the union is tagged by `species`, the tag values being the component names. Untagged, both
/// variants accept every feline and the first one always won.
#[test]
fn discriminator_of_an_all_of_parent_tags_the_union() {
    let tiger: Envelope = from_json(json!({"big_cat": {"species": "Tiger", "stripes": 80}}));
    assert_eq!(
        tiger.big_cat,
        Some(EnvelopeBigCat::Tiger(Tiger {
            species: "Tiger".into(),
            stripes: Some(80)
        }))
    );
    let lion: Envelope = from_json(json!({"big_cat": {"species": "Lion"}}));
    assert!(matches!(lion.big_cat, Some(EnvelopeBigCat::Lion(_))));
    let other: Envelope = from_json(json!({"big_cat": {"species": "Lynx"}}));
    assert!(matches!(other.big_cat, Some(EnvelopeBigCat::Unknown(_))));
}

#[test]
fn read_only_is_never_sent_and_write_only_never_required() {
    let mut account = Account::new("ada", "secret");
    account.id = Some("server-set".into());
    assert_eq!(to_json(&account), json!({"name": "ada", "password": "secret"}));
    // A response carries `id` but not `password`.
    let read: Account = from_json(json!({"id": "a1", "name": "ada"}));
    assert_eq!(read.id.as_deref(), Some("a1"));
    assert_eq!(read.password, None);
}

#[test]
fn struct_with_additional_properties_flattens_the_rest() {
    let wire = json!({"id": "x", "a": 1, "b": 2});
    let value: Labelled = from_json(wire.clone());
    assert_eq!(value.id, "x");
    assert_eq!(value.additional_properties.get("a"), Some(&1));
    assert_eq!(value.additional_properties.len(), 2);
    assert_eq!(to_json(&value), wire);
}

#[test]
fn recursive_types_nest() {
    let wire = json!({"value": 1, "left": {"value": 2}, "children": [{"value": 3, "children": []}]});
    let tree: Tree = from_json(wire.clone());
    assert_eq!(tree.left.as_ref().map(|l| l.value), Some(2));
    assert_eq!(tree.children.as_ref().map(Vec::len), Some(1));
    assert_eq!(to_json(&tree), wire);
}

#[test]
fn defaults_fill_absent_fields_and_are_sent() {
    let settings: Settings = from_json(json!({}));
    assert_eq!(settings, Settings::default());
    assert!(settings.enabled);
    assert_eq!(settings.retries, 3);
    assert_eq!(settings.label, "latest");
    assert_eq!(settings.level, Level::V5);
    assert_eq!(settings.tags, vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(
        to_json(&settings),
        json!({"enabled": true, "retries": 3, "label": "latest", "level": 5, "tags": ["a", "b"]})
    );
}

#[test]
fn optional_nullable_request_fields_have_three_states() {
    let absent = Patch::default();
    assert_eq!(to_json(&absent), json!({}));
    let cleared = Patch {
        label: Nullable::Null,
        size: Nullable::Null,
        blob: Nullable::Null,
        until: Nullable::Absent,
    };
    assert_eq!(to_json(&cleared), json!({"label": null, "size": null, "blob": null}));
    let set = Patch {
        label: "x".into(),
        size: 3.into(),
        blob: b"hi".to_vec().into(),
        until: Nullable::Absent,
    };
    let wire = json!({"label": "x", "size": 3, "blob": "aGk="});
    assert_eq!(to_json(&set), wire);
    for (value, wire) in [
        (absent, json!({})),
        (cleared, json!({"label": null, "size": null, "blob": null})),
        (set, wire),
    ] {
        assert_eq!(from_json::<Patch>(wire), value);
    }
}

#[test]
fn envelope_round_trips_every_construct() {
    let wire = json!({
        "pet": {"kind": "dog"},
        "shape": {"type": "circle", "radius": 1.0},
        "scalar": 1,
        "mode": true,
        "pair": ["x", 2],
        "blob": {"data": "AAE="},
        "labelled": {"id": "l", "n": 1},
        "tree": {"value": 0},
    });
    let envelope: Envelope = from_json(wire.clone());
    assert_eq!(envelope.blob.as_ref().map(|b| b.data.clone()), Some(vec![0, 1]));
    // Absent fields stay absent; nothing is added or reordered.
    assert_eq!(to_json(&envelope), wire);
}

/// Structs decode through written-out `Deserialize` impls (not serde's derive); they keep the
/// derive's behaviour where it matters and document where they differ.
#[test]
fn written_out_struct_decoding() {
    // Unknown keys are skipped, whatever their value.
    let cat: Cat = from_json(json!({"kind": "cat", "extra": {"deep": [1, 2, {"x": null}]}, "lives": 7}));
    assert_eq!(cat, Cat::new("cat", 7));
    // A missing required property is an error naming it.
    let err = serde_json::from_value::<Cat>(json!({"kind": "cat"})).expect_err("lives is required");
    assert_eq!(err.to_string(), "missing field `lives`");
    // A wrongly typed value is an error naming what was expected.
    let err = serde_json::from_str::<Cat>(r#"{"kind": "cat", "lives": "nine"}"#).expect_err("lives is an integer");
    assert!(
        err.to_string()
            .starts_with("invalid type: string \"nine\", expected i64"),
        "{err}"
    );
    // Not an object at all.
    let err = serde_json::from_str::<Cat>("[1, 2]").expect_err("an array is not a Cat");
    assert!(
        err.to_string()
            .starts_with("invalid type: sequence, expected struct Cat"),
        "{err}"
    );
    // Escaped keys are matched after unescaping; keys are matched exactly (case matters).
    let cat: Cat = serde_json::from_str(r#"{"ki\u006ed": "cat", "lives": 1, "Lives": 2}"#).expect("decodes");
    assert_eq!(cat, Cat::new("cat", 1));
    // A repeated key keeps its last value (serde's derive would reject the object).
    let cat: Cat = serde_json::from_str(r#"{"kind": "cat", "lives": 1, "lives": 2}"#).expect("decodes");
    assert_eq!(cat.lives, 2);
    // Spec defaults fill absent fields; present ones win.
    let settings: Settings = from_json(json!({"retries": 9}));
    assert_eq!(settings.retries, 9);
    assert!(settings.enabled);
    assert_eq!(settings.tags, ["a", "b"]);
    // Through `serde_json::from_slice` and from a reader, as the client reads bodies.
    let cat: Cat = serde_json::from_slice(br#"{"lives": 3, "kind": "c"}"#).expect("decodes");
    assert_eq!(cat, Cat::new("c", 3));
    let cat: Cat = serde_json::from_reader(&br#"{"lives": 4, "kind": "d"}"#[..]).expect("decodes");
    assert_eq!(cat, Cat::new("d", 4));
}

/// String enums have written-out serde impls too (serde's derive would buffer the value to try
/// the untagged `Unknown` variant).
#[test]
fn string_enums_decode_known_and_unknown_values() {
    let known: MessageType = from_json(json!("message"));
    assert_eq!(known, MessageType::Message);
    assert_eq!(to_json(&known), json!("message"));
    let unknown: MessageType = from_json(json!("reply"));
    assert_eq!(unknown, MessageType::Unknown("reply".into()));
    assert_eq!(to_json(&unknown), json!("reply"));
    // Escapes are decoded before matching.
    let escaped: MessageType = serde_json::from_str(r#""mess\u0061ge""#).expect("decodes");
    assert_eq!(escaped, MessageType::Message);
    let err = serde_json::from_value::<MessageType>(json!(1)).expect_err("not a string");
    assert!(
        err.to_string()
            .starts_with("invalid type: integer `1`, expected a string"),
        "{err}"
    );
}

/// The JSON path of the value that failed, as the client finds it on failure: serde_path_to_error
/// over the same deserializer (`runtime::de::from_slice`), through the written-out struct visitors.
fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: &Value) -> (String, String) {
    let text = value.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, T>(&mut de).expect_err("fails to decode");
    (err.path().to_string(), err.inner().to_string())
}

fn catalog_with_listings() -> Value {
    let listing = |id: i64| json!({"id": id, "owner": {"id": id * 10, "name": "o"}});
    json!({"items": [listing(0), listing(1), listing(2), listing(3)]})
}

#[test]
fn decode_errors_name_the_path_through_structs_lists_options_and_maps() {
    let ok: Catalog = from_json(catalog_with_listings());
    assert_eq!(ok.items[3].owner.id, 30);

    let mut wire = catalog_with_listings();
    wire["items"][3]["owner"]["id"] = json!("thirty");
    let (path, message) = decode_error::<Catalog>(&wire);
    assert_eq!(path, "items[3].owner.id");
    assert!(
        message.starts_with(r#"invalid type: string "thirty", expected i64"#),
        "{message}"
    );

    // A missing required property: the path names the object that lacks it.
    let mut wire = catalog_with_listings();
    wire["items"][1]["owner"] = json!({"name": "o"});
    let (path, message) = decode_error::<Catalog>(&wire);
    assert_eq!(path, "items[1].owner");
    assert!(message.starts_with("missing field `id`"), "{message}");

    // Through an optional field and a map's key.
    let mut wire = catalog_with_listings();
    wire["featured"] = json!({"id": 1, "owner": {"id": true}});
    assert_eq!(decode_error::<Catalog>(&wire).0, "featured.owner.id");
    let mut wire = catalog_with_listings();
    wire["by_name"] = json!({"first": {"id": 1, "owner": {"id": 1}}, "second": {"id": 2.5, "owner": {"id": 2}}});
    assert_eq!(decode_error::<Catalog>(&wire).0, "by_name.second.id");
    // Through a wrapping struct, as a response body would nest it.
    let (path, _) = decode_error::<Envelope>(&json!({"catalog": {"items": [{"id": 1, "owner": {"id": "x"}}]}}));
    assert_eq!(path, "catalog.items[0].owner.id");
}

#[test]
fn decode_errors_inside_unions_and_flattened_maps() {
    // A discriminated union decodes the selected variant from a buffered value: the path ends at
    // the union, and the message carries the rest of it.
    let mut wire = catalog_with_listings();
    wire["pets"] = json!([{"kind": "dog"}, {"kind": "cat", "lives": "nine"}]);
    let (path, message) = decode_error::<Catalog>(&wire);
    assert_eq!(path, "pets[1]");
    assert!(
        message.starts_with(r#"lives: invalid type: string "nine", expected i64"#),
        "{message}"
    );
    // An untagged union tries every variant: no single field is to blame, the path ends at it.
    let mut wire = catalog_with_listings();
    wire["points"] = json!([{"x": 1, "y": 2}, {"x": "1", "y": 2}]);
    let (path, message) = decode_error::<Catalog>(&wire);
    assert_eq!(path, "points[1]");
    assert!(
        message.starts_with("data did not match any variant of untagged enum AnyPoint"),
        "{message}"
    );
    // A flattened map of additional properties is decoded from buffered entries: the path ends
    // at the object holding it.
    let mut wire = catalog_with_listings();
    wire["labelled"] = json!({"id": "l", "size": "big"});
    let (path, message) = decode_error::<Catalog>(&wire);
    assert_eq!(path, "labelled");
    assert!(
        message.starts_with(r#"invalid type: string "big", expected i64"#),
        "{message}"
    );
}

fn utc(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().expect("valid RFC 3339")
}

/// `format: date-time` accepts RFC 3339 as chrono reads it, and reads a date-time without an offset
/// (Python's `datetime.isoformat()` of a naive value, as FastAPI sends it) as UTC.
#[test]
fn date_times_without_an_offset_are_utc_and_rfc_3339_variants_are_accepted() {
    let cases = [
        ("2025-01-02T03:04:05Z", "2025-01-02T03:04:05Z"),
        ("2025-01-02T03:04:05+00:00", "2025-01-02T03:04:05Z"),
        ("2025-01-02T05:04:05+02:00", "2025-01-02T03:04:05Z"),
        ("2025-01-01T22:04:05-05:00", "2025-01-02T03:04:05Z"),
        ("2025-01-02t03:04:05z", "2025-01-02T03:04:05Z"),
        ("2025-01-02 03:04:05Z", "2025-01-02T03:04:05Z"),
        ("2025-01-02T03:04:05.123456Z", "2025-01-02T03:04:05.123456Z"),
        // No offset: UTC.
        ("2025-01-02T03:04:05", "2025-01-02T03:04:05Z"),
        ("2025-01-02T03:04:05.5", "2025-01-02T03:04:05.5Z"),
        ("2025-01-02T03:04:05.123456", "2025-01-02T03:04:05.123456Z"),
        ("2025-01-02 03:04:05", "2025-01-02T03:04:05Z"),
        ("2025-01-02t03:04:05", "2025-01-02T03:04:05Z"),
    ];
    for (wire, expected) in cases {
        let stamps: Stamps = from_json(json!({"at": wire}));
        assert_eq!(stamps.at, utc(expected), "{wire}");
    }
    // Not a date-time: a located error that says what was expected.
    for wire in [
        "2025-01-02",
        "2025-01-02T03:04",
        "yesterday",
        "2025-01-02T03:04:05+01",
        "2025-13-02T03:04:05",
        "",
    ] {
        let (path, message) = decode_error::<Stamps>(&json!({"at": wire}));
        assert_eq!(path, "at", "{wire}");
        assert!(
            message.starts_with(&format!(
                "invalid value: string {wire:?}, expected an RFC 3339 date-time such as 2025-01-02T03:04:05Z"
            )),
            "{wire}: {message}"
        );
    }
    let (path, message) = decode_error::<Stamps>(&json!({"at": 1735787045}));
    assert_eq!(path, "at");
    assert!(
        message.starts_with("invalid type: integer `1735787045`, expected an RFC 3339 date-time"),
        "{message}"
    );
}

#[test]
fn lenient_date_times_in_every_shape() {
    let naive = "2025-01-02T03:04:05";
    let at = utc("2025-01-02T03:04:05Z");
    let stamps: Stamps = from_json(json!({
        "at": naive,
        "maybe": naive,
        "many": [naive, "2025-01-02T03:04:05Z"],
        "by_key": {"a": naive},
        "alias": naive,
        "when": naive,
    }));
    assert_eq!(stamps.at, at);
    assert_eq!(stamps.maybe, Some(at));
    assert_eq!(stamps.many, Some(vec![at, at]));
    assert_eq!(stamps.by_key.as_ref().and_then(|m| m.get("a")), Some(&at));
    assert_eq!(stamps.alias, Some(at));
    assert_eq!(stamps.when, Some(When::DateTime(at)));
    // Absent and null optional values stay `None`; an integer picks the other union variant.
    let stamps: Stamps = from_json(json!({"at": naive, "maybe": null, "when": 5}));
    assert_eq!(
        (stamps.maybe, stamps.many, stamps.when),
        (None, None, Some(When::Integer(5)))
    );
    // Encoding is unchanged: RFC 3339 in UTC.
    assert_eq!(to_json(&Stamps::new(at))["at"], json!("2025-01-02T03:04:05Z"));
    // A bad item names its index.
    let (path, _) = decode_error::<Stamps>(&json!({"at": naive, "many": [naive, "soon"]}));
    assert_eq!(path, "many[1]");

    // A flattened map of additional date-time properties.
    let log: StampLog = from_json(json!({"source": "db", "created": naive, "seen": "2025-01-02T04:04:05+01:00"}));
    assert_eq!(log.source.as_deref(), Some("db"));
    assert_eq!(log.additional_properties.get("created"), Some(&at));
    assert_eq!(log.additional_properties.get("seen"), Some(&at));
    // An optional nullable field keeps absent, null and a value apart.
    let patch: Patch = from_json(json!({"until": naive}));
    assert_eq!(patch.until, Nullable::Value(at));
    let patch: Patch = from_json(json!({"until": null}));
    assert_eq!(patch.until, Nullable::Null);
    let patch: Patch = from_json(json!({}));
    assert_eq!(patch.until, Nullable::Absent);
    assert_eq!(
        to_json(&Patch {
            until: Nullable::Null,
            ..Patch::default()
        }),
        json!({"until": null})
    );
}

/// The generator's example check (`lower::examples`) and the generated crate agree on what
/// decodes: a spec example it reports is one the crate rejects (or keeps only as `Unknown`), and
/// one it accepts the crate decodes.
#[test]
fn example_check_agrees_with_the_generated_decoder() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/fixtures/types.yaml");
    let bytes = std::fs::read(path).expect("spec");
    let config = codegen::Config::new("types.yaml", "types.yaml", "types-fixture");
    let out = codegen::generate_from_bytes(&config, &bytes).expect("generates");
    let id = out
        .api
        .types
        .iter()
        .position(|t| t.name == "Envelope")
        .expect("Envelope");
    let envelope = codegen::ir::Ty::Named(codegen::ir::TypeId(id));
    let spec: Value = serde_yaml::from_slice(&bytes).expect("yaml");
    let echo_example = spec["paths"]["/echo"]["post"]["requestBody"]["content"]["application/json"]["example"].clone();
    assert!(echo_example.is_object());
    let cases = [
        (echo_example, true),
        (json!({"pet": {"kind": "cat"}}), false),
        (json!({"mode": "manual"}), false),
        (json!({"pair": ["a", "b"]}), false),
        (json!({"stamps": {"at": "2024-01-02T03:04:05"}}), true),
        (json!({"stamps": {"at": "yesterday"}}), false),
        (json!({"tree": {"value": 1, "children": [{"value": "x"}]}}), false),
        (json!({"labelled": {"id": "a", "w": "x"}}), false),
        (json!({"big_cat": {"species": "Puma"}}), false),
        (json!({"point": {"x": 1}}), false),
        (json!({"account": {"name": "a"}}), true),
        (json!({"scalar": null, "note": "n"}), true),
        (json!({"settings": {"retries": 1.5}}), false),
        (json!({"note": 5}), false),
        (
            json!({"catalog": {"items": [], "by_name": {"k": {"id": 1, "owner": {"id": 2}}}}}),
            true,
        ),
    ];
    for (value, fits) in cases {
        let checked = codegen::lower::examples::decode(&out.api, &envelope, &value);
        assert_eq!(checked.is_ok(), fits, "the check of {value}: {checked:?}");
        let decoded = serde_json::from_value::<Envelope>(value.clone());
        let known = decoded.as_ref().is_ok_and(|d| !format!("{d:?}").contains("Unknown("));
        assert_eq!(known, fits, "the crate's decoding of {value}: {decoded:?}");
    }
}
