//! The generated Modbox client over real HTTP on loopback: the exact requests
//! it sends and how it turns responses into values and errors.

use chrono::SecondsFormat;
use e2e_tests::{closed_port_url, Behaviour, RawServer};
use modbox::operations::CreateSandboxImageError;
use modbox::types::{
    HttpValidationError, SandboxImageCreate, SandboxImageDetail, ValidationError, ValidationErrorLocItems,
};
use modbox::{Client, Error, Nullable, RetryPolicy};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "mb-test-token-123";
const USER_AGENT: &str = "modbox/0.1.0";
const IMAGE_ID: &str = "8f14e45f-ceea-467f-a0e6-3b0e5f1c2d4a";
const REGISTRY_ID: &str = "0b7e3c1a-5d2f-4e6a-9c8b-1a2b3c4d5e6f";
const WORKSPACE_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .expect("valid base URL")
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

fn minimal_body() -> SandboxImageCreate {
    SandboxImageCreate::new("python:3.12-slim", "py312")
}

/// Every field set; `readiness_port` explicitly null, `ttl_seconds` absent.
fn full_body() -> SandboxImageCreate {
    let mut body = SandboxImageCreate::new("python:3.12-slim", "py312");
    body.description = "CPython 3.12 with uv".to_owned().into();
    body.enabled = false;
    body.is_default = true;
    body.memory_mb = 4096;
    body.readiness_port = Nullable::Null;
    body.registry_id = Nullable::Value(REGISTRY_ID.parse().expect("uuid"));
    body.tag = "3.12".to_owned();
    body.ttl_seconds = Nullable::Absent;
    body
}

fn detail_json() -> Value {
    json!({
        "created_at": "2024-05-01T12:30:00Z",
        "description": null,
        "enabled": true,
        "id": IMAGE_ID,
        "image": "python:3.12-slim",
        "is_default": false,
        "memory_mb": 2048,
        "name": "py312",
        "readiness_port": 8080,
        "registry_id": REGISTRY_ID,
        "registry_name": "ghcr",
        "tag": "latest",
        "ttl_seconds": null,
        "updated_at": "2024-05-01T12:30:05.250+02:00",
        "workspace_id": WORKSPACE_ID
    })
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(template).mount(&server).await;
    server
}

async fn created_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sandbox-images"))
        .respond_with(ResponseTemplate::new(201).set_body_json(detail_json()))
        .mount(&server)
        .await;
    server
}

async fn recorded(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'r>(req: &'r Request, name: &str) -> &'r str {
    let values: Vec<_> = req.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "one `{name}` header expected: {values:?}");
    values[0].to_str().expect("ASCII header")
}

/// Method, path, fixed headers and JSON body of a create call.
fn assert_create_request(req: &Request, workspace: Option<&str>, body: &Value) {
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/sandbox-images");
    assert_eq!(req.url.query(), None);
    assert_eq!(header(req, "authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(header(req, "content-type"), "application/json");
    assert_eq!(header(req, "user-agent"), USER_AGENT);
    assert_eq!(
        req.headers.get("x-workspace-id").map(|v| v.to_str().unwrap()),
        workspace
    );
    let sent: Value = serde_json::from_slice(&req.body).expect("JSON body");
    assert_eq!(&sent, body);
}

#[tokio::test]
async fn minimal_create_sends_defaults_with_and_without_workspace() {
    let server = created_server().await;
    let client = client(&server.uri());
    let body = minimal_body();
    client.create_sandbox_image(&body).send().await.unwrap();
    client
        .create_sandbox_image(&body)
        .x_workspace_id("ws-1")
        .send()
        .await
        .unwrap();

    let expected = json!({
        "enabled": true,
        "image": "python:3.12-slim",
        "is_default": false,
        "memory_mb": 1024,
        "name": "py312",
        "tag": "latest"
    });
    let reqs = recorded(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_create_request(&reqs[0], None, &expected);
    assert_create_request(&reqs[1], Some("ws-1"), &expected);
}

#[tokio::test]
async fn full_create_sends_values_null_and_omits_absent() {
    let server = created_server().await;
    let client = client(&server.uri());
    let body = full_body();
    client.create_sandbox_image(&body).send().await.unwrap();
    client
        .create_sandbox_image(&body)
        .x_workspace_id("ws-2")
        .send()
        .await
        .unwrap();

    let expected = json!({
        "description": "CPython 3.12 with uv",
        "enabled": false,
        "image": "python:3.12-slim",
        "is_default": true,
        "memory_mb": 4096,
        "name": "py312",
        "readiness_port": null,
        "registry_id": REGISTRY_ID,
        "tag": "3.12"
    });
    let reqs = recorded(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_create_request(&reqs[0], None, &expected);
    assert_create_request(&reqs[1], Some("ws-2"), &expected);
    let sent: Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert!(sent.get("ttl_seconds").is_none(), "absent field sent: {sent}");
    assert_eq!(sent.get("readiness_port"), Some(&Value::Null));
}

#[tokio::test]
async fn raw_request_is_exactly_as_expected() {
    let server = RawServer::start(Behaviour::json("201 Created", &detail_json().to_string())).await;
    let client = client(&server.url());
    client
        .create_sandbox_image(&minimal_body())
        .x_workspace_id("ws-1")
        .send()
        .await
        .unwrap();
    client.create_sandbox_image(&full_body()).send().await.unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let minimal = &reqs[0];
    assert_eq!(minimal.request_line, "POST /sandbox-images HTTP/1.1");
    assert_eq!(minimal.header("authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(minimal.header("content-type"), "application/json");
    assert_eq!(minimal.header("user-agent"), USER_AGENT);
    assert_eq!(minimal.header("x-workspace-id"), "ws-1");
    assert_eq!(minimal.header("host"), server.addr.to_string());
    assert!(minimal.header_values("idempotency-key").is_empty());
    // Fields in declaration order, defaults included.
    assert_eq!(
        minimal.body_text(),
        r#"{"enabled":true,"image":"python:3.12-slim","is_default":false,"memory_mb":1024,"name":"py312","tag":"latest"}"#
    );
    assert_eq!(minimal.header("content-length"), minimal.body.len().to_string());

    let full = &reqs[1];
    assert!(full.header_values("x-workspace-id").is_empty());
    assert_eq!(
        full.body_text(),
        format!(
            r#"{{"description":"CPython 3.12 with uv","enabled":false,"image":"python:3.12-slim","is_default":true,"memory_mb":4096,"name":"py312","readiness_port":null,"registry_id":"{REGISTRY_ID}","tag":"3.12"}}"#
        )
    );
}

#[tokio::test]
async fn per_call_workspace_overrides_client_default_header() {
    let server = created_server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .unwrap()
        .bearer_token(TOKEN)
        .default_header("x-workspace-id", "ws-default")
        .unwrap()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let body = minimal_body();
    client.create_sandbox_image(&body).send().await.unwrap();
    client
        .create_sandbox_image(&body)
        .x_workspace_id("ws-1")
        .send()
        .await
        .unwrap();

    let reqs = recorded(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(header(&reqs[0], "x-workspace-id"), "ws-default");
    assert_eq!(header(&reqs[1], "x-workspace-id"), "ws-1");
    assert_eq!(header(&reqs[1], "authorization"), format!("Bearer {TOKEN}"));
}

#[tokio::test]
async fn typed_client_workspace_default_is_sent_unless_the_call_sets_one() {
    let server = created_server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .unwrap()
        .bearer_token(TOKEN)
        .x_workspace_id(WORKSPACE_ID)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let body = minimal_body();
    client.create_sandbox_image(&body).send().await.unwrap();
    client
        .create_sandbox_image(&body)
        .x_workspace_id("ws-1")
        .send()
        .await
        .unwrap();
    // Without the typed default, nothing is sent.
    self::client(&server.uri())
        .create_sandbox_image(&body)
        .send()
        .await
        .unwrap();

    let reqs = recorded(&server).await;
    assert_eq!(reqs.len(), 3);
    let sent: Vec<Vec<&str>> = reqs
        .iter()
        .map(|r| {
            r.headers
                .get_all("x-workspace-id")
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(sent, [vec![WORKSPACE_ID], vec!["ws-1"], vec![]]);
    assert_eq!(header(&reqs[0], "authorization"), format!("Bearer {TOKEN}"));
}

#[tokio::test]
async fn created_response_decodes_to_typed_detail() {
    let server = created_server().await;
    let image = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap();

    assert_eq!(image.id, IMAGE_ID.parse::<Uuid>().unwrap());
    assert_eq!(
        image.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "2024-05-01T12:30:00.000Z"
    );
    // The offset is converted to UTC.
    assert_eq!(
        image.updated_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "2024-05-01T10:30:05.250Z"
    );
    assert_eq!(image.description, None);
    assert_eq!(image.registry_id, Some(REGISTRY_ID.parse().unwrap()));
    assert_eq!(image.workspace_id, Some(WORKSPACE_ID.parse().unwrap()));
    assert_eq!(image.registry_name.as_deref(), Some("ghcr"));
    assert_eq!(image.readiness_port, Some(8080));
    assert_eq!(image.ttl_seconds, None);
    assert_eq!(image.memory_mb, 2048);
    assert!(image.enabled && !image.is_default);
    assert_eq!(
        (image.image.as_str(), image.name.as_str()),
        ("python:3.12-slim", "py312")
    );
    assert_eq!(image.tag, "latest");
    let expected: SandboxImageDetail = serde_json::from_value(detail_json()).unwrap();
    assert_eq!(image, expected);
}

#[tokio::test]
async fn awaiting_the_builder_sends_the_request() {
    let server = created_server().await;
    let image = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .x_workspace_id("ws-1")
        .await
        .unwrap();
    assert_eq!(image.id, IMAGE_ID.parse::<Uuid>().unwrap());
    let reqs = recorded(&server).await;
    assert_eq!(reqs.len(), 1);
    assert_eq!(header(&reqs[0], "x-workspace-id"), "ws-1");
}

/// The futures of `send`, `send_with_response` and `.await` are `Send`: they run on
/// `tokio::spawn` from a multi-threaded runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_futures_are_send_and_spawnable() {
    let server = created_server().await;
    let client = client(&server.uri());
    let (c1, c2, c3) = (client.clone(), client.clone(), client);
    let a = tokio::spawn(async move { c1.create_sandbox_image(&minimal_body()).send().await });
    let b = tokio::spawn(async move { c2.create_sandbox_image(&minimal_body()).send_with_response().await });
    let c = tokio::spawn(async move { c3.create_sandbox_image(&minimal_body()).await });
    assert_eq!(a.await.unwrap().unwrap().id, IMAGE_ID.parse::<Uuid>().unwrap());
    assert_eq!(b.await.unwrap().unwrap().status(), 201);
    assert_eq!(c.await.unwrap().unwrap().id, IMAGE_ID.parse::<Uuid>().unwrap());
    assert_eq!(recorded(&server).await.len(), 3);
}

#[tokio::test]
async fn send_with_response_gives_status_and_headers() {
    let server = server_answering(
        ResponseTemplate::new(201)
            .insert_header("x-request-id", "req-77")
            .insert_header("location", format!("/sandbox-images/{IMAGE_ID}"))
            .set_body_json(detail_json()),
    )
    .await;
    let resp = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.request_id(), Some("req-77"));
    assert_eq!(
        resp.headers()["location"],
        format!("/sandbox-images/{IMAGE_ID}").as_str()
    );
    assert_eq!(resp.attempts(), 1);
    assert_eq!(resp.body().id, IMAGE_ID.parse::<Uuid>().unwrap());
}

#[tokio::test]
async fn validation_error_is_a_typed_api_error() {
    let payload = json!({
        "detail": [
            {"loc": ["body", "memory_mb"], "msg": "Input should be less than or equal to 8192", "type": "less_than_equal"},
            {"loc": ["body", "ports", 0], "msg": "Field required", "type": "missing"}
        ]
    });
    let server = server_answering(ResponseTemplate::new(422).set_body_json(&payload)).await;
    let err = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    let expected = HttpValidationError {
        detail: Some(vec![
            ValidationError::new(
                vec![
                    ValidationErrorLocItems::String("body".into()),
                    ValidationErrorLocItems::String("memory_mb".into()),
                ],
                "Input should be less than or equal to 8192",
                "less_than_equal",
            ),
            ValidationError::new(
                vec![
                    ValidationErrorLocItems::String("body".into()),
                    ValidationErrorLocItems::String("ports".into()),
                    ValidationErrorLocItems::Integer(0),
                ],
                "Field required",
                "missing",
            ),
        ]),
    };
    assert_eq!(
        err.api_body(),
        Some(&CreateSandboxImageError::UnprocessableEntity(expected))
    );
    let raw: Value = serde_json::from_slice(err.raw_body().unwrap()).unwrap();
    assert_eq!(raw, payload);
    assert_eq!(err.to_string(), "API error: 422 Unprocessable Entity");
}

#[tokio::test]
async fn undocumented_status_keeps_status_headers_and_raw_body() {
    let server = server_answering(
        ResponseTemplate::new(500)
            .insert_header("x-request-id", "req-500")
            .set_body_string("upstream exploded"),
    )
    .await;
    let err = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("expected UnexpectedStatus: {err:?}");
    };
    assert_eq!(unexpected.status().as_u16(), 500);
    assert_eq!(unexpected.headers()["x-request-id"], "req-500");
    assert_eq!(unexpected.body().as_ref(), b"upstream exploded");
    assert_eq!(err.api_body(), None);
    assert_eq!(err.attempts(), 1);
    assert_eq!(recorded(&server).await.len(), 1);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_raw_body() {
    let raw = br#"{"id": "8f14e45f-ceea-467f-a0e6-3b0e5f1c2d4a", "name": "#;
    let server = server_answering(ResponseTemplate::new(201).set_body_raw(raw.to_vec(), "application/json")).await;
    let err = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Decode: {err:?}");
    };
    assert_eq!(decode.status().as_u16(), 201);
    assert_eq!(decode.body().as_ref(), raw);
    assert!(decode.json_error().is_some());
    assert_eq!(err.raw_body(), Some(&raw[..]));
}

#[tokio::test]
async fn wrongly_typed_json_is_a_decode_error() {
    let mut body = detail_json();
    body["id"] = json!("not-a-uuid");
    let server = server_answering(ResponseTemplate::new(201).set_body_json(&body)).await;
    let err = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Decode: {err:?}");
    };
    assert_eq!(decode.path(), Some("id"));
    let message = err.to_string();
    assert!(
        message.starts_with(
            "could not decode 201 Created response body as JSON at id: UUID parsing failed: invalid character"
        ),
        "{message}"
    );
}

/// The acceptance case: one wrongly typed value deep in a documented error body; the message
/// names its path, what was expected there, and where it is in the body.
#[tokio::test]
async fn wrongly_typed_nested_field_names_its_path() {
    let raw = r#"{"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "missing"}, {"loc": ["body", 3], "msg": 42, "type": "int_parsing"}]}"#;
    let server = server_answering(ResponseTemplate::new(422).set_body_raw(raw, "application/json")).await;
    let err = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Decode: {err:?}");
    };
    assert_eq!(decode.path(), Some("detail[1].msg"));
    let column = raw.find("42").expect("in the body") + 2;
    assert_eq!((decode.line(), decode.column()), (1, column));
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode 422 Unprocessable Entity response body as JSON at detail[1].msg: \
             invalid type: integer `42`, expected a string at line 1 column {column}"
        )
    );
}

/// FastAPI sends naive date-times (`datetime.utcnow()`, columns without a time zone) without an
/// offset; they decode as UTC instead of failing the whole response.
#[tokio::test]
async fn date_times_without_an_offset_decode_as_utc() {
    let mut body = detail_json();
    body["created_at"] = json!("2024-05-01T12:30:00");
    body["updated_at"] = json!("2024-05-01 12:30:05.250");
    let server = server_answering(ResponseTemplate::new(201).set_body_json(&body)).await;
    let detail = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        detail.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "2024-05-01T12:30:00.000Z"
    );
    assert_eq!(
        detail.updated_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "2024-05-01T12:30:05.250Z"
    );

    // What is not a date-time at all is a decode error naming the field.
    body["updated_at"] = json!("2024-05-01");
    let server = server_answering(ResponseTemplate::new(201).set_body_json(&body)).await;
    let err = client(&server.uri())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Decode: {err:?}");
    };
    assert_eq!(decode.path(), Some("updated_at"));
    let message = err.to_string();
    assert!(
        message.starts_with(
            "could not decode 201 Created response body as JSON at updated_at: invalid value: \
             string \"2024-05-01\", expected an RFC 3339 date-time such as 2025-01-02T03:04:05Z at line 1 column "
        ),
        "{message}"
    );
}

#[tokio::test]
async fn closed_port_is_a_transport_error() {
    let err = client(&closed_port_url())
        .create_sandbox_image(&minimal_body())
        .send()
        .await
        .unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected Transport: {err:?}");
    };
    assert!(transport.is_connect(), "{transport:?}");
    assert_eq!(err.status(), None);
    assert_eq!(err.raw_body(), None);
    assert_eq!(err.attempts(), 1);
    assert!(err.to_string().starts_with("could not connect: "), "{err}");
}
