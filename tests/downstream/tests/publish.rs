//! `publish_image` against `modbox::mock::MockApi`: typed expectations, no hand-written HTTP.

use chrono::{TimeZone, Utc};
use downstream::{publish_image, PublishError};
use modbox::mock::MockApi;
use modbox::types::{
    HttpValidationError, SandboxImageCreate, SandboxImageDetail, ValidationError, ValidationErrorLocItems,
};

fn detail(name: &str, memory_mb: i64) -> SandboxImageDetail {
    let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    SandboxImageDetail::new(
        at,
        None,
        true,
        uuid::Uuid::from_u128(7),
        "python:3.12",
        false,
        memory_mb,
        name,
        "latest",
        at,
    )
}

fn expected_body(name: &str, memory_mb: i64) -> SandboxImageCreate {
    let mut body = SandboxImageCreate::new("python:3.12", name);
    body.memory_mb = memory_mb;
    body
}

#[tokio::test]
async fn created_image_is_returned() {
    let api = MockApi::start().await;
    api.create_sandbox_image()
        .header("x-workspace-id", "ws_1")
        .body(&expected_body("worker", 2048))
        .respond_201(&detail("worker", 2048))
        .expect(1)
        .mount()
        .await;

    let got = publish_image(&api.client(), "ws_1", "worker", "python:3.12", 2048)
        .await
        .unwrap();
    assert_eq!(got, detail("worker", 2048));
}

#[tokio::test]
async fn validation_error_becomes_rejected() {
    let api = MockApi::start().await;
    let problem = ValidationError::new(
        [
            ValidationErrorLocItems::String("body".into()),
            ValidationErrorLocItems::String("memory_mb".into()),
        ],
        "must be at most 8192",
        "less_than_equal",
    );
    api.create_sandbox_image()
        .body_matches(|b| b.memory_mb > 8192)
        .respond_422(&HttpValidationError {
            detail: Some(vec![problem]),
        })
        .expect(1)
        .mount()
        .await;

    let err = publish_image(&api.client(), "ws_1", "big", "python:3.12", 9000)
        .await
        .unwrap_err();
    match err {
        PublishError::Rejected(problems) => {
            assert_eq!(problems, ["body.memory_mb: must be at most 8192"]);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_that_matches_no_expectation_is_not_answered_as_created() {
    let api = MockApi::start().await;
    // Only a body with 512 MB is expected: the call below sends 1024 and gets wiremock's 404.
    api.create_sandbox_image()
        .body(&expected_body("worker", 512))
        .respond_201(&detail("worker", 512))
        .expect(0)
        .mount()
        .await;

    let err = publish_image(&api.client(), "ws_1", "worker", "python:3.12", 1024)
        .await
        .unwrap_err();
    match err {
        PublishError::Other(e) => assert_eq!(e.status().map(|s| s.as_u16()), Some(404)),
        other => panic!("expected an unexpected status, got {other:?}"),
    }
    api.verify().await;
}

#[tokio::test]
async fn each_publish_is_one_call() {
    let api = MockApi::start().await;
    api.create_sandbox_image()
        .respond_201(&detail("worker", 1024))
        .expect(3)
        .mount()
        .await;
    let client = api.client();
    for _ in 0..3 {
        publish_image(&client, "ws_1", "worker", "python:3.12", 1024)
            .await
            .unwrap();
    }
    api.verify().await;
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn a_missing_call_fails_verification() {
    let api = MockApi::start().await;
    api.create_sandbox_image()
        .respond_201(&detail("worker", 1024))
        .expect(2)
        .mount()
        .await;
    publish_image(&api.client(), "ws_1", "worker", "python:3.12", 1024)
        .await
        .unwrap();
    api.verify().await;
}
