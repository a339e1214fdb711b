const SPEC: &str = r#"
openapi: 3.1.0
info: { title: T, version: '1' }
components:
  schemas:
    Kind: { type: string, enum: [big, small] }
    # Renamed by the generator (`OptionModel`), so the `use` cannot shadow `Option`.
    Option: { type: object, properties: { on: { type: boolean } } }
    Pet:
      type: object
      required: [name, kind]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string }
        kind: { $ref: '#/components/schemas/Kind' }
        weight: { type: number }
        nick: { type: [string, 'null'] }
        tags: { type: array, items: { type: string } }
        born: { type: string, format: date-time }
        extra: {}
        option: { $ref: '#/components/schemas/Option' }
paths:
  /pets/{petId}:
    put:
      operationId: put-pet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string }, example: "a\"b" }
        - { name: n, in: query, required: true, schema: { type: integer } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
            example:
              id: 9
              name: "Rex\n\"); panic!(\""
              kind: small
              weight: 3
              nick: null
              tags: [a]
              born: '2024-05-06T07:08:09'
              extra: { k: [1, "x"] }
              option: { on: true }
      responses:
        '204': { description: ok }
"#;

fn operations_rs(spec: &str) -> String {
    let config = crate::Config::new("t.yaml", "t.yaml", "t-api");
    let out = crate::generate_from_bytes(&config, spec.as_bytes()).expect("generates");
    out.files["src/operations.rs"].clone()
}

/// The doc example of the first operation, without the `/// ` of each line.
fn example(text: &str) -> String {
    let start = text.find("/// # Example").expect("an example");
    let end = start + text[start..].find("/// ```\n").expect("end of the example");
    text[start..end]
        .lines()
        .map(|l| l.trim_start().trim_start_matches("///").strip_prefix(' ').unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_example_is_written_from_the_spec_values() {
    let text = operations_rs(SPEC);
    let got = example(&text);
    let expected = r#"# Example

```no_run
# async fn example(client: &t_api::Client, n: i64) -> Result<(), Box<dyn std::error::Error>> {
use t_api::types::{Kind, OptionModel, Pet};
use t_api::Nullable;
let body = Pet {
    weight: Some(3.0),
    nick: Nullable::Null,
    tags: Some(Vec::from(["a".to_owned()])),
    born: Some("2024-05-06T07:08:09Z".parse()?),
    extra: Some(serde_json::json!({ "k" : [1, "x"] })),
    option: Some(OptionModel {
        on: Some(true),
        ..Default::default()
    }),
    ..Pet::new("Rex\n\"); panic!(\"".to_owned(), Kind::Small)
};
let response = client.put_pet("a\"b", n, &body).send().await?;
# let _ = response;
# Ok(())
# }
"#;
    assert_eq!(got, expected, "{got}");
}

#[test]
fn without_fitting_examples_the_inputs_are_parameters() {
    // The body's example lacks a required property: the example takes the body as a parameter.
    let spec = SPEC.replace("              name: \"Rex\\n\\\"); panic!(\\\"\"\n", "");
    let got = example(&operations_rs(&spec));
    assert!(
        got.contains("body: &t_api::types::Pet) -> Result<")
            && got.contains("client.put_pet(\"a\\\"b\", n, body).send()"),
        "{got}"
    );
}
