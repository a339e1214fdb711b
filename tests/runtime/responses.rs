//! How responses are decoded into `Response<T>` and `Error<E>`.

use runtime_wire::operations::{CreateSandboxImageError, DownloadArchiveError, GetSandboxImageError};
use runtime_wire::types::{SandboxImageCreate, SandboxImageDetail};
use runtime_wire::Error;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::client;

fn body() -> SandboxImageCreate {
    let mut body = SandboxImageCreate::new("base");
    body.description = Some("d".into());
    body
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn created_body_is_decoded_with_status_headers_and_request_id() {
    let server = server_answering(
        ResponseTemplate::new(201)
            .insert_header("x-request-id", "req_42")
            .set_body_json(json!({"id": "img_1", "name": "base"})),
    )
    .await;
    let resp = client(&server.uri())
        .create_sandbox_image(&body())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.request_id(), Some("req_42"));
    assert_eq!(resp.attempts(), 1);
    assert_eq!(
        resp.body(),
        &SandboxImageDetail {
            id: "img_1".into(),
            name: "base".into()
        }
    );
    let (status, headers, detail) = resp.into_parts();
    assert_eq!(status.as_u16(), 201);
    assert_eq!(headers["x-request-id"], "req_42");
    assert_eq!(detail.id, "img_1");
}

#[tokio::test]
async fn documented_422_is_a_typed_api_error() {
    let payload = json!({"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "missing"}]});
    let server = server_answering(ResponseTemplate::new(422).set_body_json(&payload)).await;
    let err = client(&server.uri())
        .create_sandbox_image(&body())
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    let Some(CreateSandboxImageError::UnprocessableEntity(v)) = err.api_body() else {
        panic!("expected typed body: {err:?}");
    };
    let detail = v.detail.as_deref().expect("detail");
    assert_eq!(detail.len(), 1);
    assert_eq!(detail[0].msg, "field required");
    assert_eq!(detail[0].r#type, "missing");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(err.raw_body().unwrap()).unwrap(),
        payload
    );
    assert!(!err.is_retryable());
    assert_eq!(err.to_string(), "API error: 422 Unprocessable Entity");
    assert!(matches!(
        err.into_api_body(),
        Some(CreateSandboxImageError::UnprocessableEntity(_))
    ));
}

#[tokio::test]
async fn documented_error_without_body() {
    let server = server_answering(ResponseTemplate::new(404)).await;
    let err = client(&server.uri())
        .get_sandbox_image("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.api_body(), Some(&GetSandboxImageError::NotFound));
}

#[tokio::test]
async fn documented_error_with_undecodable_body_is_a_decode_error() {
    let server = server_answering(ResponseTemplate::new(422).set_body_string("<html>oops</html>")).await;
    let err = client(&server.uri())
        .create_sandbox_image(&body())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.raw_body(), Some(&b"<html>oops</html>"[..]));
}

#[tokio::test]
async fn undocumented_500_is_unexpected_status_with_everything_kept() {
    let server = server_answering(
        ResponseTemplate::new(500)
            .insert_header("x-request-id", "req_9")
            .set_body_string("boom"),
    )
    .await;
    // POST without idempotency key: not retried.
    let err = client(&server.uri())
        .create_sandbox_image(&body())
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(unexpected.status().as_u16(), 500);
    assert_eq!(unexpected.body().as_ref(), b"boom");
    assert_eq!(unexpected.headers()["x-request-id"], "req_9");
    assert_eq!(err.request_id(), Some("req_9"));
    assert_eq!(err.attempts(), 1);
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "unexpected response: 500 Internal Server Error");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn malformed_or_truncated_json_is_a_decode_error_with_raw_bytes() {
    // (body, path of the value that failed, message after the status)
    for (raw, failed_at, message) in [
        (
            &b"{\"id\": \"img_1\", \"name\": "[..],
            Some("name"),
            "as JSON at name: EOF while parsing a value at line 1 column 24",
        ),
        (
            b"{\"id\": 5, \"name\": \"x\"}",
            Some("id"),
            "as JSON at id: invalid type: integer `5`, expected a string at line 1 column 8",
        ),
        (b"not json", None, "as JSON: expected ident at line 1 column 2"),
    ] {
        let server = server_answering(ResponseTemplate::new(201).set_body_raw(raw.to_vec(), "application/json")).await;
        let err = client(&server.uri())
            .create_sandbox_image(&body())
            .send()
            .await
            .unwrap_err();
        let Error::Decode(decode) = &err else { panic!("{err:?}") };
        assert_eq!(decode.body().as_ref(), raw);
        assert_eq!(decode.status().as_u16(), 201);
        assert!(decode.line() >= 1 && decode.column() >= 1, "{decode:?}");
        assert_eq!(decode.path(), failed_at);
        assert_eq!(
            err.to_string(),
            format!("could not decode 201 Created response body {message}")
        );
        assert!(std::error::Error::source(&err).is_some());
    }
}

#[tokio::test]
async fn empty_success_ignores_body() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let resp = client(&server.uri())
        .delete_sandbox_image("i")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    assert_eq!(*resp.body(), ());
}

/// Binary downloads are buffered (the generator emits `resp.bytes()`, not a
/// `ByteStream`); a large body still arrives byte for byte.
#[tokio::test]
async fn binary_download_and_its_errors() {
    let server = MockServer::start().await;
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/sandbox-images/ok/archive"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(payload.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/sandbox-images/missing/archive"))
        .respond_with(ResponseTemplate::new(404).set_body_string("gone"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/sandbox-images/teapot/archive"))
        .respond_with(ResponseTemplate::new(418).set_body_string("short and stout"))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let archive = client.download_archive("ok").send().await.unwrap();
    assert_eq!(archive.as_ref(), &payload[..]);

    let err = client.download_archive("missing").send().await.unwrap_err();
    assert_eq!(err.api_body(), Some(&DownloadArchiveError::NotFound));
    assert_eq!(err.raw_body(), Some(&b"gone"[..]));

    let err = client.download_archive("teapot").send().await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus(_)), "{err:?}");
    assert_eq!(err.raw_body(), Some(&b"short and stout"[..]));
}

#[tokio::test]
async fn text_success_body_must_be_utf8() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'o', b'k', 0xff]))
        .mount(&server)
        .await;
    let form = runtime_wire::types::TokenForm::new("g", Vec::<String>::new());
    let err = client(&server.uri()).issue_token(&form).send().await.unwrap_err();
    let Error::Decode(decode) = &err else { panic!("{err:?}") };
    assert!(decode.json_error().is_none());
    assert_eq!(decode.body().as_ref(), b"ok\xff");
    assert!(
        err.to_string()
            .starts_with("could not decode 200 OK response body as UTF-8 text: "),
        "{err}"
    );
}

#[test]
fn errors_are_send_sync_and_std_errors() {
    fn check<T: Send + Sync + std::error::Error + 'static>() {}
    check::<Error<CreateSandboxImageError>>();
    check::<runtime_wire::BuildError>();
    fn small<T>() -> usize {
        std::mem::size_of::<T>()
    }
    assert!(
        small::<Error<CreateSandboxImageError>>() <= 64,
        "{}",
        small::<Error<CreateSandboxImageError>>()
    );
}
