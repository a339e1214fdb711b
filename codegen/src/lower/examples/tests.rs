use crate::ir::Literal;

const SPEC: &str = r#"
openapi: 3.1.0
info: { title: T, version: '1' }
components:
  examples:
    shared: { value: { name: Rex, kind: small } }
  schemas:
    Kind: { type: string, enum: [big, small] }
    Pet:
      type: object
      required: [name, kind]
      properties:
        id: { type: integer, format: int32, readOnly: true }
        name: { type: string, examples: [Rex] }
        kind: { $ref: '#/components/schemas/Kind' }
        born: { type: string, format: date-time, example: '2024-05-06T07:08:09' }
        tags: { type: array, items: { type: string }, example: [a, 7] }
        owner: { type: [string, 'null'], format: uuid }
      example: { name: Rex, kind: huge }
    Shape:
      oneOf:
        - { $ref: '#/components/schemas/Circle' }
        - { $ref: '#/components/schemas/Square' }
      discriminator: { propertyName: type }
    Circle:
      type: object
      required: [type, r]
      properties: { type: { type: string }, r: { type: number } }
    Square:
      type: object
      required: [type, side]
      properties: { type: { type: string }, side: { type: integer } }
paths:
  /pets/{petId}:
    put:
      operationId: put-pet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: integer, format: int32 }, example: 5000000000 }
        - name: when
          in: query
          schema: { type: string, format: date }
          examples: { good: { value: '2024-05-06' }, bad: { value: yesterday } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
            examples:
              missing: { value: { kind: big } }
              ref: { $ref: '#/components/examples/shared' }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Shape' }
              examples:
                circle: { value: { type: Circle, r: 1.5 } }
                square: { value: { type: Square, side: 1.5 } }
                other: { value: { type: Hexagon } }
"#;

fn generate(spec: &str) -> crate::Output {
    let config = crate::Config::new("examples.yaml", "examples.yaml", "examples-api");
    let mut out = crate::generate_from_bytes(&config, spec.as_bytes()).expect("generates");
    out.locate("examples.yaml", spec.as_bytes());
    out
}

#[test]
fn examples_that_do_not_decode_are_located_warnings() {
    let out = generate(SPEC);
    let warnings: Vec<String> = out
        .warnings
        .iter()
        .filter(|w| w.message.contains("example"))
        .map(|w| format!("{}: {}", w.location.pointer, w.message))
        .collect();
    let expected = [
        "/components/schemas/Pet/example: this example does not decode into `Pet`: at `kind`: `\"huge\"` is not one of the enum's values (it would decode as `Unknown`)",
        "/components/schemas/Pet/properties/tags/example: this example does not decode into the type of `Pet.tags`: at `[1]`: expected a string, found `7`",
        "/paths/~1pets~1{petId}/put/parameters/0/example: this example does not decode into the type of parameter `petId`: expected an integer from -2147483648 to 2147483647, found `5000000000`",
        "/paths/~1pets~1{petId}/put/parameters/1/examples/bad/value: this example does not decode into the type of parameter `when`: expected a date (`YYYY-MM-DD`), found `\"yesterday\"`",
        "/paths/~1pets~1{petId}/put/requestBody/content/application~1json/examples/missing/value: this example does not decode into the request body's type: the required property `name` is missing",
        "/paths/~1pets~1{petId}/put/responses/200/content/application~1json/examples/other/value: this example does not decode into the type of the Ok response: at `type`: `Hexagon` selects no variant (it would decode as `Unknown`)",
        "/paths/~1pets~1{petId}/put/responses/200/content/application~1json/examples/square/value: this example does not decode into the type of the Ok response: at `side`: as variant `Square`: expected an integer, found `1.5`",
    ];
    let mut sorted = warnings.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{warnings:#?}");
    // Every one has a line: the pointer exists in the text as written.
    for w in out.warnings.iter().filter(|w| w.message.contains("example")) {
        assert!(w.location.line_col.is_some_and(|(line, _)| line > 1), "{w}");
    }
}

#[test]
fn a_list_example_points_at_its_list() {
    let out = generate(SPEC);
    let pet = out.api.types.iter().find(|t| t.name == "Pet").expect("Pet");
    let crate::ir::TypeKind::Struct(s) = &pet.kind else {
        panic!("struct")
    };
    let name = s.fields.iter().find(|f| f.name == "name").expect("name");
    assert_eq!(
        name.docs.example_at.as_deref(),
        Some("/components/schemas/Pet/properties/name/examples/0")
    );
}

#[test]
fn the_first_example_that_fits_becomes_the_literal() {
    let out = generate(SPEC);
    let op = &out.api.operations[0];
    // `petId`'s only example does not fit an i32: no literal, the doc example takes an argument.
    assert_eq!(
        op.params
            .iter()
            .find(|p| p.wire_name == "petId")
            .and_then(|p| p.example.clone()),
        None
    );
    let when = op.params.iter().find(|p| p.wire_name == "when").expect("when");
    assert_eq!(when.example, Some(Literal::Str("2024-05-06".into())));
    // The body's first example misses a required property; the second (a `$ref`) fits.
    let body = op.body.as_ref().and_then(|b| b.example.clone()).expect("body literal");
    let Literal::Struct { fields, extra } = body else {
        panic!("struct literal: {body:?}")
    };
    assert!(extra.is_empty());
    let values: Vec<&Literal> = fields.iter().map(|(_, l)| l).collect();
    assert_eq!(values, [&Literal::Str("Rex".into()), &Literal::Variant("Small".into())]);
}

#[test]
fn decoding_follows_the_generated_types() {
    let out = generate(SPEC);
    let api = &out.api;
    let ty = |name: &str| {
        let id = api.types.iter().position(|t| t.name == name).expect(name);
        crate::ir::Ty::Named(crate::ir::TypeId(id))
    };
    let decode = |name: &str, v: serde_json::Value| super::decode(api, &ty(name), &v);
    // A date-time without an offset is read as UTC, and the literal says so.
    let pet = decode(
        "Pet",
        serde_json::json!({"name": "a", "kind": "big", "born": "2024-01-02T03:04:05", "owner": null}),
    )
    .expect("fits");
    let Literal::Struct { fields, .. } = pet else { panic!() };
    // Fields in spec order: id, name, kind, born, tags, owner.
    assert!(
        fields.contains(&(3, Literal::Str("2024-01-02T03:04:05Z".into()))),
        "{fields:?}"
    );
    assert!(fields.contains(&(5, Literal::Null)), "{fields:?}");
    // A read-only required property may be missing; a wrong UUID may not pass.
    let err = decode("Pet", serde_json::json!({"name": "a", "kind": "big", "owner": "nope"})).unwrap_err();
    assert_eq!(err.to_string(), "at `owner`: expected a UUID, found `\"nope\"`");
    // Discriminated unions pick the variant by tag.
    let circle = decode("Shape", serde_json::json!({"type": "Circle", "r": 2})).expect("fits");
    assert!(
        matches!(circle, Literal::Union(ref v, _) if v == "Circle"),
        "{circle:?}"
    );
    let err = decode("Shape", serde_json::json!([1])).unwrap_err();
    assert_eq!(err.to_string(), "expected an object with a string `type`, found `[1]`");
}

#[test]
fn parameters_and_form_fields_may_give_scalars_as_text() {
    let spec = r#"
openapi: 3.0.3
info: { title: T, version: '1' }
paths:
  /a:
    post:
      parameters:
        - { name: n, in: query, required: true, schema: { type: integer }, example: '5' }
        - { name: on, in: query, required: true, schema: { type: boolean }, example: 'yes' }
        - { name: tags, in: query, required: true, schema: { type: array, items: { type: integer } }, example: '7' }
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: { type: object, properties: { f: { type: number } } }
            example: { f: '1.5' }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { f: { type: number } } }
              example: { f: '1.5' }
"#;
    let out = generate(spec);
    let op = &out.api.operations[0];
    assert_eq!(op.params[0].example, Some(Literal::Number("5".into())));
    assert_eq!(op.params[1].example, None);
    assert_eq!(
        op.params[2].example,
        Some(Literal::List(vec![Literal::Number("7".into())]))
    );
    assert!(op.body.as_ref().is_some_and(|b| b.example.is_some()));
    let warned: Vec<&str> = out.warnings.iter().map(|w| w.location.pointer.as_str()).collect();
    // `yes` is no boolean, and JSON is JSON: a number in quotes is a string.
    assert_eq!(
        warned,
        [
            "/paths/~1a/post/parameters/1/example",
            "/paths/~1a/post/responses/200/content/application~1json/example"
        ]
    );
}
