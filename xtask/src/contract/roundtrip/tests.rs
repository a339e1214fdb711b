//! One row per rule of the comparison, each on the generator's own IR of a small inline spec.

use codegen::ir::{Api, Ty, TypeId, TypeKind, UnionDef, UnionVariant};
use serde_json::{json, Value};

use super::{compare, Finding};

/// The IR of a spec whose one operation answers `Body`; `schemas` are the lines under
/// `components/schemas` (indented by four spaces).
fn api(schemas: &str) -> Api {
    let spec = format!(
        "openapi: 3.0.3
info: {{ title: T, version: '1' }}
paths:
  /body:
    get:
      operationId: get-body
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/Body' }}
components:
  schemas:
{schemas}"
    );
    let config = codegen::Config::new("roundtrip.yaml", "roundtrip.yaml", "roundtrip-api");
    codegen::generate_from_bytes(&config, spec.as_bytes())
        .expect("generates")
        .api
}

/// The success body's type, as the contract run would pass it.
fn body(api: &Api) -> &Ty {
    let op = &api.operations[0];
    let r = op.responses.iter().find(|r| op.is_success(r)).expect("a success");
    &r.body.as_ref().expect("a body").ty
}

/// Asserts the exact pointers and lossy flags, in order; shows every finding on failure.
#[track_caller]
fn check(api: &Api, served: Value, decoded: Value, want: &[(&str, bool)]) -> Vec<Finding> {
    let got = compare(api, body(api), &served, &decoded);
    let rows: Vec<(&str, bool)> = got.iter().map(|f| (f.pointer.as_str(), f.lossy)).collect();
    assert_eq!(rows, want, "{got:#?}");
    got
}

const PLAIN: &str = "    Body:
      type: object
      required: [id]
      properties:
        id: { type: integer, format: int64 }
        name: { type: string }
        note: { type: string, nullable: true }
        ratio: { type: number }
        small: { type: number, format: float }
        tags: { type: array, items: { type: string } }
        any: {}
        labels: { type: object, additionalProperties: { type: string } }
        created: { type: string, format: date-time, readOnly: true }
";

#[test]
fn key_order_and_number_spelling_do_not_matter() {
    let api = api(PLAIN);
    check(
        &api,
        json!({"id": 1, "name": "a", "ratio": 2, "tags": ["x", "y"], "any": {"k": [1, 2.5]}}),
        json!({"any": {"k": [1.0, 2.5]}, "tags": ["x", "y"], "ratio": 2.0, "name": "a", "id": 1}),
        &[],
    );
}

#[test]
fn big_integers_compare_exactly() {
    let api = api(PLAIN);
    check(
        &api,
        json!({"id": 1, "any": u64::MAX}),
        json!({"id": 1, "any": u64::MAX}),
        &[],
    );
    check(
        &api,
        json!({"id": 9_007_199_254_740_993_i64}),
        json!({"id": 9_007_199_254_740_992_i64}),
        &[("/id", false)],
    );
    // An integer and a float that only agree once rounded to f64.
    check(
        &api,
        json!({"id": 1, "any": u64::MAX}),
        json!({"id": 1, "any": 1.8446744073709552e19}),
        &[("/any", true)],
    );
}

#[test]
fn a_float_field_rounded_to_32_bits_is_lossy() {
    let api = api(PLAIN);
    let f = check(
        &api,
        json!({"id": 1, "small": 0.1}),
        json!({"id": 1, "small": f64::from(0.1_f32)}),
        &[("/small", true)],
    );
    assert!(f[0].what.contains("32-bit"), "{f:?}");
    check(
        &api,
        json!({"id": 1, "small": 0.1}),
        json!({"id": 1, "small": 0.2}),
        &[("/small", false)],
    );
}

#[test]
fn an_unknown_field_dropped_is_lossy() {
    let api = api(PLAIN);
    let f = check(
        &api,
        json!({"id": 1, "extra": {"x": 1}}),
        json!({"id": 1}),
        &[("/extra", true)],
    );
    assert!(f[0].what.contains("unknown field dropped"), "{f:?}");
}

#[test]
fn null_versus_absent_is_lossy() {
    let api = api(PLAIN);
    // An optional nullable field of a response: null reads as `None`, which is skipped.
    check(
        &api,
        json!({"id": 1, "note": null}),
        json!({"id": 1}),
        &[("/note", true)],
    );
    let api = self::api(
        "    Body:
      type: object
      required: [r]
      properties:
        r: { type: string, nullable: true }
",
    );
    // A required nullable field the server left out reads as `None`, serialised as null.
    check(&api, json!({}), json!({"r": null}), &[("/r", true)]);
}

#[test]
fn a_default_filled_in_is_lossy_any_other_new_field_is_invented() {
    let api = api("    Body:
      type: object
      properties:
        n: { type: integer, default: 5 }
        mode: { type: string, enum: [fast, slow], default: slow }
        when: { type: string, format: date-time, default: '2024-01-02T03:04:05+00:00' }
        other: { type: string }
");
    check(
        &api,
        json!({}),
        json!({"n": 5, "mode": "slow", "when": "2024-01-02T03:04:05Z"}),
        &[("/n", true), ("/mode", true), ("/when", true)],
    );
    let f = check(
        &api,
        json!({"mode": "slow", "when": "2024-01-02T03:04:05Z"}),
        json!({"n": 6, "mode": "slow", "when": "2024-01-02T03:04:05Z", "other": "x"}),
        &[("/n", false), ("/other", false)],
    );
    assert!(f.iter().all(|f| f.what.contains("field invented")), "{f:?}");
}

#[test]
fn a_declared_field_lost_is_a_mismatch() {
    let api = api(PLAIN);
    let f = check(
        &api,
        json!({"id": 1, "name": "a", "tags": []}),
        json!({"id": 1}),
        &[("/name", false), ("/tags", false)],
    );
    assert!(f[0].what.contains("field lost"), "{f:?}");
}

#[test]
fn a_read_only_field_is_never_serialised_back() {
    let api = api(PLAIN);
    check(
        &api,
        json!({"id": 1, "created": "2024-01-02T03:04:05Z"}),
        json!({"id": 1}),
        &[("/created", true)],
    );
}

#[test]
fn changed_scalars_types_and_lengths_are_mismatches() {
    let api = api(PLAIN);
    check(
        &api,
        json!({"id": 1, "name": "a", "ratio": 1.5, "tags": ["x", "y"], "any": "1"}),
        json!({"id": 2, "name": "b", "ratio": 1.25, "tags": ["x"], "any": 1}),
        &[
            ("/id", false),
            ("/name", false),
            ("/ratio", false),
            ("/tags", false),
            ("/any", false),
        ],
    );
}

#[test]
fn maps_and_any_values_compare_key_by_key() {
    let api = api(PLAIN);
    let f = check(
        &api,
        json!({"id": 1, "labels": {"a": "1", "b": "2", "a/b~c": "3"}, "any": {"x": [{"y": 1}], "z": null}}),
        json!({"id": 1, "labels": {"b": "2", "a/b~c": "4", "c": "5"}, "any": {"x": [{"y": 2}], "z": null}}),
        &[
            ("/any/x/0/y", false),
            ("/labels/a", false),
            ("/labels/a~1b~0c", false),
            ("/labels/c", false),
        ],
    );
    assert!(
        f[1].what.contains("entry lost") && f[3].what.contains("entry invented"),
        "{f:?}"
    );
}

#[test]
fn dates_uuids_and_base64_respelt_are_lossy() {
    let api = api("    Body:
      type: object
      properties:
        at: { type: string, format: date-time }
        on: { type: string, format: date }
        id: { type: string, format: uuid }
        raw: { type: string, format: byte }
");
    check(
        &api,
        json!({"at": "2024-01-02t03:04:05.5+01:30", "on": "2024-01-02", "id": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "raw": "-_8"}),
        json!({"at": "2024-01-02T01:34:05.500Z", "on": "2024-01-02", "id": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "raw": "+/8="}),
        &[("/at", true), ("/id", true), ("/raw", true)],
    );
    // An offset-less date-time is read as UTC.
    check(
        &api,
        json!({"at": "2024-01-02T03:04:05"}),
        json!({"at": "2024-01-02T03:04:05Z"}),
        &[("/at", true)],
    );
    check(
        &api,
        json!({"at": "2024-01-02T03:04:05Z", "on": "2024-01-02", "id": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "raw": "aGk="}),
        json!({"at": "2024-01-02T03:04:06Z", "on": "2024-01-03", "id": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12", "raw": "aGo="}),
        &[("/at", false), ("/on", false), ("/id", false), ("/raw", false)],
    );
}

const UNTAGGED: &str = "    Body:
      oneOf:
        - $ref: '#/components/schemas/Narrow'
        - $ref: '#/components/schemas/Loose'
    Loose:
      type: object
      properties:
        a: { type: string }
        b: { type: integer }
        e: { type: boolean }
    Narrow:
      type: object
      properties:
        c: { type: integer }
        d: { type: string }
";

#[test]
fn an_untagged_union_decoded_as_the_wrong_variant_is_a_mismatch() {
    let api = api(UNTAGGED);
    // The generator tries the variant with more fields first; with all fields optional and
    // unknown keys skipped, `Loose` decodes `Narrow`'s values too, as an empty `Loose`.
    let Some(TypeKind::Union(u)) = api.types.iter().find(|t| t.name == "Body").map(|t| &t.kind) else {
        panic!("Body is a union");
    };
    assert_eq!(u.variants[0].name, "Loose");
    let f = check(
        &api,
        json!({"c": 1, "d": "x"}),
        json!({}),
        &[("/c", false), ("/d", false)],
    );
    assert!(
        f[0].what.contains("wrong variant") && f[0].what.contains("`Loose`"),
        "{f:?}"
    );
}

#[test]
fn an_untagged_union_decoded_as_the_right_variant_compares_below_it() {
    let api = api(UNTAGGED);
    check(&api, json!({"c": 1, "d": "x"}), json!({"d": "x", "c": 1}), &[]);
    check(&api, json!({"a": "x"}), json!({"a": "x"}), &[]);
    // The variant is the one that explains the decoded value; below it the usual rules hold.
    check(
        &api,
        json!({"c": 1, "d": "x", "zz": 1}),
        json!({"c": 2, "d": "x"}),
        &[("/c", false), ("/zz", true)],
    );
}

const TAGGED: &str = "    Body:
      type: object
      required: [pet, shape]
      properties:
        pet: { $ref: '#/components/schemas/Pet' }
        shape: { $ref: '#/components/schemas/Shape' }
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator: { propertyName: petType, mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } }
    Cat:
      type: object
      required: [petType]
      properties: { petType: { type: string }, name: { type: string } }
    Dog:
      type: object
      required: [petType]
      properties: { petType: { type: string }, bark: { type: boolean } }
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator:
        propertyName: kind
        mapping: { circle: '#/components/schemas/Circle', square: '#/components/schemas/Square', box: '#/components/schemas/Square' }
    Circle:
      type: object
      properties: { radius: { type: number } }
    Square:
      type: object
      properties: { side: { type: number } }
";

#[test]
fn a_discriminated_union_compares_the_variant_its_tag_selects() {
    let api = api(TAGGED);
    let dog = json!({"pet": {"petType": "dog", "bark": true}, "shape": {"kind": "square", "side": 2}});
    check(&api, dog.clone(), dog, &[]);
    check(
        &api,
        json!({"pet": {"petType": "dog", "bark": true}, "shape": {"kind": "circle", "radius": 1}}),
        json!({"pet": {"petType": "dog", "bark": false}, "shape": {"kind": "circle", "radius": 1.5}}),
        &[("/pet/bark", false), ("/shape/radius", false)],
    );
    // A key of the other variant, which the tag's variant does not have.
    let f = check(
        &api,
        json!({"pet": {"petType": "dog", "name": "Rex"}, "shape": {"kind": "square"}}),
        json!({"pet": {"petType": "dog"}, "shape": {"kind": "square"}}),
        &[("/pet/name", false)],
    );
    assert!(
        f[0].what.contains("wrong variant") && f[0].what.contains("`Dog`"),
        "{f:?}"
    );
    // An unknown tag keeps the object as sent.
    let odd = json!({"pet": {"petType": "fish", "fins": 2}, "shape": {"kind": "hexagon"}});
    check(&api, odd.clone(), odd, &[]);
}

#[test]
fn a_tag_the_variant_injects_is_lossy() {
    let api = api(TAGGED);
    let pet = json!({"petType": "cat"});
    // `box` selects `Square`, whose serialisation writes its first tag value.
    let f = check(
        &api,
        json!({"pet": pet, "shape": {"kind": "box", "side": 2}}),
        json!({"pet": pet, "shape": {"kind": "square", "side": 2}}),
        &[("/shape/kind", true)],
    );
    assert!(f[0].what.contains("first tag value"), "{f:?}");
    let f = check(
        &api,
        json!({"pet": pet, "shape": {"side": 2}}),
        json!({"pet": pet, "shape": {"kind": "square", "side": 2}}),
        &[("/shape/kind", true)],
    );
    assert!(f[0].what.contains("tag added"), "{f:?}");
    // A tag value of another variant is no re-spelling.
    check(
        &api,
        json!({"pet": pet, "shape": {"kind": "circle", "side": 2}}),
        json!({"pet": pet, "shape": {"kind": "square", "side": 2}}),
        &[("/shape/kind", false)],
    );
}

#[test]
fn nested_arrays_of_structs_point_at_the_item() {
    let api = api("    Body:
      type: object
      properties:
        items: { type: array, items: { $ref: '#/components/schemas/Item' } }
    Item:
      type: object
      properties:
        name: { type: string }
        tags: { type: array, items: { $ref: '#/components/schemas/Tag' } }
    Tag:
      type: object
      properties: { name: { type: string } }
");
    check(
        &api,
        json!({"items": [{"name": "a"}, {"name": "b", "tags": [{"name": "x", "odd": 1}, {"name": "y"}]}]}),
        json!({"items": [{"name": "a"}, {"name": "b", "tags": [{"name": "z"}, {"name": "y"}]}]}),
        &[("/items/1/tags/0/name", false), ("/items/1/tags/0/odd", true)],
    );
}

#[test]
fn a_flattened_additional_map_takes_the_undeclared_keys() {
    let api = api("    Body:
      type: object
      properties: { a: { type: string } }
      additionalProperties: { type: integer }
");
    check(
        &api,
        json!({"a": "x", "n": 1, "m": 2}),
        json!({"m": 2, "a": "x", "n": 1}),
        &[],
    );
    check(
        &api,
        json!({"a": "x", "n": 1, "m": 2}),
        json!({"a": "x", "n": 3, "z": 4}),
        &[("/n", false), ("/m", false), ("/z", false)],
    );
}

/// Deeply nested `[[[...]]]` with `leaf` innermost.
fn nested(depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |v, _| Value::Array(vec![v]))
}

#[test]
fn deep_and_odd_input_never_panics() {
    let api = api(&format!(
        "{PLAIN}{UNTAGGED}    Node:
      type: object
      properties:
        children: {{ type: array, items: {{ $ref: '#/components/schemas/Node' }} }}
"
    )
    .replacen("    Body:\n      oneOf:", "    Union:\n      oneOf:", 1));
    // Deep `Any` values: equal, or differing far below the typed walk's depth limit.
    check(
        &api,
        json!({"id": 1, "any": nested(500, json!(1))}),
        json!({"id": 1, "any": nested(500, json!(1.0))}),
        &[],
    );
    let f = compare(
        &api,
        body(&api),
        &json!({"any": nested(500, json!(1))}),
        &json!({"any": nested(500, json!(2))}),
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        !f[0].lossy && f[0].pointer.starts_with("/any/0/0/0/0/0/0/0/0/0/0"),
        "{f:?}"
    );
    // Every type against every odd value, including types that do not exist.
    let deep_node = (0..300).fold(json!({}), |v, _| json!({"children": [v]}));
    let values = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!("2024-01-02T03:04:05Z"),
        json!("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}x"),
        json!([]),
        json!({}),
        json!({"c": [1], "petType": 3, "kind": null}),
        nested(200, json!({})),
        deep_node,
    ];
    let mut types: Vec<Ty> = (0..api.types.len()).map(|i| Ty::Named(TypeId(i))).collect();
    types.extend([
        Ty::Named(TypeId(usize::MAX)),
        Ty::Boxed(Box::new(Ty::Option(Box::new(Ty::Vec(Box::new(Ty::DateTime)))))),
        Ty::Tuple(vec![Ty::Bytes, Ty::Uuid]),
        Ty::Map(Box::new(Ty::Date)),
        Ty::Unit,
    ]);
    for ty in &types {
        for s in &values {
            for d in &values {
                let findings = compare(&api, ty, s, d);
                // Whatever the type, a value compared with itself never mismatches.
                assert!(s != d || findings.iter().all(|f| f.lossy), "{ty:?} {findings:?}");
            }
        }
    }
}

#[test]
fn types_that_contain_themselves_terminate() {
    let mut api = api(UNTAGGED);
    // Made by hand: a union whose variants are itself (twice) and an alias of itself.
    let (u, a) = (TypeId(api.types.len()), TypeId(api.types.len() + 1));
    let variant = |name: &str, ty: Ty| UnionVariant {
        name: name.into(),
        ty,
        tag_values: Vec::new(),
        injects_tag: false,
    };
    let mut def = api.types[0].clone();
    def.kind = TypeKind::Union(UnionDef {
        variants: vec![
            variant("A", Ty::Named(u)),
            variant("B", Ty::Named(u)),
            variant("C", Ty::Named(a)),
        ],
        tag: None,
    });
    api.types.push(def.clone());
    def.kind = TypeKind::Alias(Ty::Named(a));
    api.types.push(def);
    for ty in [Ty::Named(u), Ty::Named(a)] {
        assert!(compare(&api, &ty, &json!({"c": 1}), &json!({"c": 1})).is_empty());
        let f = compare(&api, &ty, &json!({"c": 1}), &json!({"c": 2}));
        // The union's walk ends at the depth limit, compared untyped from there.
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(!f[0].lossy, "{f:?}");
    }
}
