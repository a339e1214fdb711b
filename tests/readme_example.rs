//! The README's usage example, run against a local server.

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "readme-token";

// The README's usage example, exactly as README.md shows it (extracted by `build.rs`): it defines
// `async fn readme_example(base_url: &str, token: &str)`.
include!(concat!(env!("OUT_DIR"), "/readme_example.rs"));

#[tokio::test]
async fn readme_example_runs_against_a_local_server() {
    let server = MockServer::start().await;
    let detail = json!({
        "created_at": "2024-05-01T12:30:00Z",
        "description": null,
        "enabled": true,
        "id": "8f14e45f-ceea-467f-a0e6-3b0e5f1c2d4a",
        "image": "python:3.12-slim",
        "is_default": false,
        "memory_mb": 2048,
        "name": "py312",
        "tag": "latest",
        "updated_at": "2024-05-01T12:30:00Z",
        "workspace_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    });
    Mock::given(method("POST"))
        .and(path("/sandbox-images"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&detail))
        .up_to_n_times(2)
        .with_priority(1)
        .expect(2)
        .mount(&server)
        .await;
    // The third call is rejected, so the example's typed error branch runs;
    // any other error would make the example return `Err`.
    Mock::given(method("POST"))
        .and(path("/sandbox-images"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "detail": [{"loc": ["body", "memory_mb"], "msg": "too much", "type": "less_than_equal"}]
        })))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;

    readme_example(&server.uri(), TOKEN)
        .await
        .expect("the README example succeeds");

    let reqs = server.received_requests().await.expect("recording is on");
    assert_eq!(reqs.len(), 3);
    let expected_body = json!({
        "enabled": true, "image": "python:3.12-slim", "is_default": false,
        "memory_mb": 2048, "name": "py312", "tag": "latest"
    });
    for (i, req) in reqs.iter().enumerate() {
        assert_eq!(req.method.as_str(), "POST", "request {i}");
        assert_eq!(req.url.path(), "/sandbox-images", "request {i}");
        assert_eq!(
            req.headers["authorization"].to_str().unwrap(),
            format!("Bearer {TOKEN}"),
            "request {i}"
        );
        let sent: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(sent, expected_body, "request {i}");
    }
    let workspaces: Vec<_> = reqs
        .iter()
        .map(|r| r.headers.get("x-workspace-id").map(|v| v.to_str().unwrap()))
        .collect();
    assert_eq!(workspaces, [None, Some("ws-1"), None]);
    server.verify().await;
}

#[tokio::test]
async fn readme_example_reports_other_errors() {
    // Only a 422 is handled by the example; anything else must come back as `Err`.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("down"))
        .mount(&server)
        .await;
    let err = readme_example(&server.uri(), TOKEN).await.unwrap_err();
    assert_eq!(err.to_string(), "unexpected response: 500 Internal Server Error");
}
