//! The generated client `interop-fastapi` against the live FastAPI app it was generated from
//! (`tests/interop/fastapi/app.py` under uvicorn, on loopback). Each handler echoes what FastAPI
//! parsed, so these tests assert what the server saw. Without the app's venv the tests print
//! `SKIPPED: ...` and pass, except on CI (`CI=true`), where `.ci/run` creates it.

#[path = "interop_fastapi/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use futures_util::StreamExt as _;
use interop_fastapi::types::{
    Cat, Color, Dog, FileEcho, Item, ItemPatch, OwnerContact, OwnerInput, OwnerInputBalance, OwnerInputPet,
    PatchEchoSentValue, Priority, TreeNode, UploadFilesBody, UrlencodedFormBody, ValidationErrorLocItem,
};
use interop_fastapi::{Client, Error, FilePart, Nullable};

fn client_for(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .expect("base url")
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// A client of the shared server, or return from the test (skipped) when the venv is missing.
macro_rules! client {
    () => {
        match server::shared() {
            Some(server) => client_for(server.url()),
            None => return,
        }
    };
}

fn uuid() -> uuid::Uuid {
    "7c9e6679-7425-40de-944b-e07fc1f90ae7".parse().expect("uuid")
}

#[test]
fn committed_spec_is_what_the_app_exports() {
    let Some(python) = server::python() else {
        return;
    };
    let out = Command::new(python)
        .args(["app.py", "export"])
        .current_dir(server::app_dir())
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let committed = std::fs::read_to_string(server::app_dir().join("openapi.json")).expect("openapi.json");
    let exported = String::from_utf8_lossy(&out.stdout);
    let first_difference = exported
        .lines()
        .zip(committed.lines())
        .position(|(a, b)| a != b)
        .map_or_else(|| "the length".to_owned(), |n| format!("line {}", n + 1));
    assert!(
        exported == committed,
        "tests/interop/fastapi/openapi.json is stale (from {first_difference} on): re-export it \
         with `tests/interop/fastapi/.venv/bin/python app.py export > openapi.json` (in that \
         folder), then run `cargo xtask gen`"
    );
}

#[tokio::test]
async fn path_parameters_of_every_type() {
    let c = client!();
    let d = NaiveDate::from_ymd_opt(2025, 2, 28).expect("date");
    let dt = Utc.with_ymd_and_hms(2025, 2, 28, 13, 14, 15).unwrap();
    let echo = c
        .path_params(-7, 2.5, true, "a b&c?ü%", Color::LightBlue, d, dt, uuid())
        .send()
        .await
        .expect("200");
    assert_eq!(echo.i, -7);
    assert_eq!(echo.f, 2.5);
    assert!(echo.b);
    assert_eq!(echo.s, "a b&c?ü%");
    assert_eq!(echo.color, Color::LightBlue);
    assert_eq!(echo.d, d);
    assert_eq!(echo.dt, dt);
    assert_eq!(echo.u, uuid());
}

/// The client percent-encodes `/` in a path parameter (`%2F`), but Starlette routes on the decoded
/// path, so a `str` path parameter cannot hold a slash: the route does not match.
#[tokio::test]
async fn slash_in_a_path_parameter_does_not_reach_the_route() {
    let c = client!();
    let d = NaiveDate::from_ymd_opt(2025, 2, 28).expect("date");
    let dt = Utc.with_ymd_and_hms(2025, 2, 28, 13, 14, 15).unwrap();
    let err = c
        .path_params(1, 1.0, false, "a/b", Color::Red, d, dt, uuid())
        .send()
        .await
        .expect_err("404");
    let Error::UnexpectedStatus(resp) = &err else {
        panic!("expected Starlette's 404, got {err:?}");
    };
    assert_eq!(resp.status().as_u16(), 404);
    assert_eq!(resp.body().as_ref(), br#"{"detail":"Not Found"}"#);
}

#[tokio::test]
async fn query_parameters_set_and_unset() {
    let c = client!();
    let dt = Utc.with_ymd_and_hms(2024, 12, 31, 23, 59, 58).unwrap();
    let echo = c
        .query_params(3)
        .f(-0.25)
        .b(false)
        .s("x=1&y=2 #z")
        .color(Color::Green)
        .d(NaiveDate::from_ymd_opt(2024, 1, 2).expect("date"))
        .dt(dt)
        .u(uuid())
        .tags(["a", "b c"])
        .nums([1, -2, 3])
        .page_size(100)
        .note("aliased")
        .send()
        .await
        .expect("200");
    assert_eq!(echo.i, 3);
    assert_eq!(echo.f, Some(-0.25));
    assert_eq!(echo.b, Some(false));
    assert_eq!(echo.s.as_deref(), Some("x=1&y=2 #z"));
    assert_eq!(echo.color, Some(Color::Green));
    assert_eq!(echo.d, NaiveDate::from_ymd_opt(2024, 1, 2));
    assert_eq!(echo.dt, Some(dt));
    assert_eq!(echo.u, Some(uuid()));
    assert_eq!(echo.tags, ["a", "b c"]);
    assert_eq!(echo.nums, Some(vec![1, -2, 3]));
    assert_eq!(echo.page_size, 100);
    assert_eq!(echo.nullable_note.as_deref(), Some("aliased"));

    // Nothing optional sent: FastAPI's defaults.
    let echo = c.query_params(0).send().await.expect("200");
    assert_eq!((echo.f, echo.b, echo.s, echo.color), (None, None, None, None));
    assert_eq!((echo.d, echo.dt, echo.u), (None, None, None));
    assert!(echo.tags.is_empty());
    assert_eq!(echo.nums, None);
    assert_eq!(echo.page_size, 10);
    assert_eq!(echo.nullable_note, None);
}

#[tokio::test]
async fn header_parameters() {
    let c = client!();
    let echo = c
        .header_params(42)
        .x_flag(true)
        .x_color(Color::Red)
        .x_day(NaiveDate::from_ymd_opt(2023, 7, 4).expect("date"))
        .x_id(uuid())
        .x_tags(["one"])
        .x_custom_name("by alias")
        .send()
        .await
        .expect("200");
    assert_eq!(echo.x_int, 42);
    assert_eq!(echo.x_flag, Some(true));
    assert_eq!(echo.x_color, Some(Color::Red));
    assert_eq!(echo.x_day, NaiveDate::from_ymd_opt(2023, 7, 4));
    assert_eq!(echo.x_id, Some(uuid()));
    assert_eq!(echo.x_tags, Some(vec!["one".to_owned()]));
    assert_eq!(echo.x_alias.as_deref(), Some("by alias"));

    let echo = c.header_params(-1).send().await.expect("200");
    assert_eq!(echo.x_int, -1);
    assert_eq!((echo.x_flag, echo.x_color, echo.x_alias), (None, None, None));
}

/// OpenAPI's `simple` style joins a header array with commas in one header line, which the
/// client sends; FastAPI reads a `list[str]` header from repeated header lines and does not split
/// a line, so two values arrive as one string.
#[tokio::test]
async fn header_array_arrives_comma_joined() {
    let c = client!();
    let echo = c.header_params(1).x_tags(["a", "b"]).send().await.expect("200");
    assert_eq!(echo.x_tags, Some(vec!["a,b".to_owned()]));
}

#[tokio::test]
async fn cookie_parameters() {
    let c = client!();
    let echo = c
        .cookie_params("s3cr3t")
        .count(12)
        .ratio(0.5)
        .color(Color::LightBlue)
        .send()
        .await
        .expect("200");
    assert_eq!(echo.session, "s3cr3t");
    assert_eq!(echo.count, Some(12));
    assert_eq!(echo.ratio, Some(0.5));
    assert_eq!(echo.color, Some(Color::LightBlue));
    let echo = c.cookie_params("only").send().await.expect("200");
    assert_eq!((echo.session.as_str(), echo.count, echo.ratio), ("only", None, None));
}

#[tokio::test]
async fn urlencoded_form_fields() {
    let c = client!();
    let mut form = UrlencodedFormBody::new("Zoë & co", 33);
    form.subscribed = true;
    form.nickname = Nullable::Value("z=1".to_owned());
    form.tags = vec!["x".to_owned(), "y z".to_owned()];
    let echo = c.urlencoded_form(&form).send().await.expect("200");
    assert_eq!(echo.name, "Zoë & co");
    assert_eq!(echo.age, 33);
    assert!(echo.subscribed);
    assert_eq!(echo.nickname.as_deref(), Some("z=1"));
    assert_eq!(echo.tags, ["x", "y z"]);

    let echo = c
        .urlencoded_form(&UrlencodedFormBody::new("min", 0))
        .send()
        .await
        .expect("200");
    assert!(!echo.subscribed);
    assert_eq!(echo.nickname, None);
    assert!(echo.tags.is_empty());
}

fn file(name: &str, content_type: &str, text: &str) -> FilePart {
    FilePart::new(text.as_bytes().to_vec())
        .file_name(name)
        .content_type(content_type)
}

fn echoed(name: &str, content_type: &str, text: &str) -> FileEcho {
    FileEcho::new(
        Some(name.to_owned()),
        Some(content_type.to_owned()),
        text.len() as i64,
        text,
    )
}

#[tokio::test]
async fn upload_single_optional_and_list_of_files() {
    let c = client!();
    let mut body = UploadFilesBody::new("report", file("doc.txt", "text/plain", "hello"));
    body.copies = 3;
    body.public = true;
    body.thumbnail = Nullable::Value(file("t.png", "image/png", "PNG"));
    body.attachments = vec![
        file("a.csv", "text/csv", "1,2"),
        file("b.json", "application/json", "{}"),
    ];
    let echo = c.upload_files(&body).send().await.expect("200");
    assert_eq!((echo.title.as_str(), echo.copies, echo.public), ("report", 3, true));
    assert_eq!(echo.document, echoed("doc.txt", "text/plain", "hello"));
    assert_eq!(echo.thumbnail, Some(echoed("t.png", "image/png", "PNG")));
    assert_eq!(
        echo.attachments,
        [
            echoed("a.csv", "text/csv", "1,2"),
            echoed("b.json", "application/json", "{}")
        ]
    );

    // Only the required parts.
    let body = UploadFilesBody::new("bare", file("only.bin", "application/octet-stream", "x"));
    let echo = c.upload_files(&body).send().await.expect("200");
    assert_eq!((echo.copies, echo.public), (1, false));
    assert_eq!(echo.thumbnail, None);
    assert!(echo.attachments.is_empty());
}

#[tokio::test]
async fn discriminated_and_plain_unions_and_maps() {
    let c = client!();
    let mut owner = OwnerInput::new("ann", OwnerInputPet::Cat(Cat::new(9)), OwnerContact::Integer(5551234));
    owner.labels = BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), -2)]);
    owner.extra = Nullable::Value(BTreeMap::from([("k".to_owned(), vec!["v".to_owned()])]));
    owner.scores = vec![0, 7];
    owner.location = Nullable::Value((52.5, -1.25));
    owner.priority = Priority::V3;
    owner.balance = Some(OwnerInputBalance::String("12.50".into()));
    let echo = c.create_owner(&owner).send().await.expect("200");
    assert_eq!(echo.name, "ann");
    assert_eq!(echo.pet, owner.pet);
    assert_eq!(echo.contact, OwnerContact::Integer(5551234));
    assert_eq!(echo.labels, owner.labels);
    assert_eq!(echo.extra, owner.extra.value().cloned());
    assert_eq!(echo.scores, [0, 7]);
    assert_eq!(echo.location, Some((52.5, -1.25)));
    assert_eq!(echo.priority, Priority::V3);
    // Pydantic writes a `Decimal` as a string, which the output model (`Owner-Output`) says.
    assert_eq!(echo.balance, "12.50");
    owner.balance = Some(OwnerInputBalance::Number(0.5));
    assert_eq!(c.create_owner(&owner).send().await.expect("200").balance, "0.5");

    let mut dog = Dog::new(2.5);
    dog.good_boy = false;
    let mut owner = OwnerInput::new("bob", OwnerInputPet::Dog(dog), OwnerContact::String("bob@x".into()));
    owner.extra = Nullable::Null;
    let echo = c.create_owner(&owner).send().await.expect("200");
    assert_eq!(echo.pet, owner.pet);
    assert_eq!(echo.contact, OwnerContact::String("bob@x".into()));
    assert!(echo.labels.is_empty());
    assert_eq!(echo.extra, None);
    assert_eq!((echo.priority, echo.balance.as_str()), (Priority::V2, "0"));
}

#[tokio::test]
async fn body_validation_errors_locate_list_items_and_union_tags() {
    use interop_fastapi::operations::UnprocessableEntityError;
    let c = client!();
    let mut owner = OwnerInput::new("eve", OwnerInputPet::Cat(Cat::new(1)), OwnerContact::Integer(1));
    owner.scores = vec![3, -1];
    let err = c.create_owner(&owner).send().await.expect_err("422");
    let Some(UnprocessableEntityError::UnprocessableEntity(body)) = err.api_body() else {
        panic!("expected HTTPValidationError, got {err:?}");
    };
    let detail = body.detail.as_ref().expect("detail");
    assert_eq!(detail.len(), 1, "{detail:?}");
    assert_eq!(
        detail[0].loc,
        [
            ValidationErrorLocItem::String("body".into()),
            ValidationErrorLocItem::String("scores".into()),
            ValidationErrorLocItem::Integer(1)
        ]
    );
    assert_eq!(detail[0].msg, "Input should be greater than or equal to 0");

    // A tag the server does not know, sent through the union's open variant.
    let fish = OwnerInputPet::Unknown(serde_json::json!({"pet_type": "fish", "fins": 2}));
    let owner = OwnerInput::new("eve", fish, OwnerContact::Integer(1));
    let err = c.create_owner(&owner).send().await.expect_err("422");
    let Some(UnprocessableEntityError::UnprocessableEntity(body)) = err.api_body() else {
        panic!("expected HTTPValidationError, got {err:?}");
    };
    let detail = &body.detail.as_ref().expect("detail")[0];
    assert_eq!(detail.r#type, "union_tag_invalid");
    assert_eq!(
        detail.loc,
        [
            ValidationErrorLocItem::String("body".into()),
            ValidationErrorLocItem::String("pet".into())
        ]
    );
}

#[tokio::test]
async fn top_level_map_and_optional_bodies() {
    let c = client!();
    let counts = BTreeMap::from([("a".to_owned(), 2), ("b c".to_owned(), -5)]);
    let doubled = c.double_counts(&counts).send().await.expect("200");
    assert_eq!(doubled, BTreeMap::from([("a".to_owned(), 4), ("b c".to_owned(), -10)]));

    assert_eq!(c.optional_body().send().await.expect("200").received, None);
    let item = Some(Item::new(3, "three"));
    let echo = c.optional_body().body(&item).send().await.expect("200");
    assert_eq!(echo.received, item);
    // An explicit JSON `null` body.
    assert_eq!(c.optional_body().body(&None).send().await.expect("200").received, None);
}

#[tokio::test]
async fn recursive_models() {
    let c = client!();
    let mut leaf = TreeNode::new(3);
    leaf.parent_hint = Nullable::Value(Box::new(TreeNode::new(2)));
    let mut mid = TreeNode::new(2);
    mid.children = vec![leaf];
    let mut root = TreeNode::new(1);
    root.children = vec![mid, TreeNode::new(10)];
    let summary = c.summarize_tree(&root).send().await.expect("200");
    assert_eq!((summary.count, summary.depth, summary.total), (4, 3, 16));
    // Pydantic writes the unset optional fields as `null`; the values are the ones sent.
    let echoed = &summary.tree;
    assert_eq!(echoed.parent_hint, Nullable::Null);
    assert_eq!(echoed.children[1], {
        let mut ten = TreeNode::new(10);
        ten.parent_hint = Nullable::Null;
        ten
    });
    let leaf = &echoed.children[0].children[0];
    assert_eq!(leaf.value, 3);
    assert_eq!(leaf.parent_hint.value().map(|p| p.value), Some(2));
}

#[tokio::test]
async fn patch_sends_only_the_fields_that_are_set() {
    let c = client!();
    let patch = ItemPatch {
        name: Nullable::Value("new".into()),
        note: Nullable::Null,
        ..ItemPatch::default()
    };
    let echo = c.patch_item(5, &patch).send().await.expect("200");
    assert_eq!(echo.item_id, 5);
    assert_eq!(
        echo.sent,
        BTreeMap::from([
            ("name".to_owned(), Some(PatchEchoSentValue::String("new".into()))),
            ("note".to_owned(), None),
        ])
    );

    let patch = ItemPatch {
        price: Nullable::Value(9.5),
        tags: Nullable::Value(vec!["t".into()]),
        ..ItemPatch::default()
    };
    let echo = c.patch_item(6, &patch).send().await.expect("200");
    assert_eq!(
        echo.sent,
        BTreeMap::from([
            ("price".to_owned(), Some(PatchEchoSentValue::Number(9.5))),
            (
                "tags".to_owned(),
                Some(PatchEchoSentValue::StringList(vec!["t".into()]))
            ),
        ])
    );

    let echo = c.patch_item(7, &ItemPatch::default()).send().await.expect("200");
    assert!(echo.sent.is_empty(), "{:?}", echo.sent);
}

#[tokio::test]
async fn no_content_and_typed_not_found() {
    use interop_fastapi::operations::{DeleteItemError, GetItemError};
    let c = client!();
    c.delete_item(1).send().await.expect("204");
    let err = c.delete_item(2).send().await.expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    match err.api_body() {
        Some(DeleteItemError::NotFound(body)) => {
            assert_eq!((body.detail.as_str(), body.item_id), ("no such item", 2));
        }
        other => panic!("expected the typed 404, got {other:?} from {err:?}"),
    }

    assert_eq!(c.get_item(1).send().await.expect("200").name, "one");
    let err = c.get_item(404).send().await.expect_err("404");
    match err.into_api_body() {
        Some(GetItemError::NotFound(body)) => assert_eq!(body.item_id, 404),
        other => panic!("expected the typed 404, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_errors_are_typed() {
    use interop_fastapi::operations::UnprocessableEntityError;
    let c = client!();
    // `page-size` is declared `le=100`; the client documents the bound but does not enforce it.
    let err = c.query_params(1).page_size(101).send().await.expect_err("422");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    let Some(UnprocessableEntityError::UnprocessableEntity(body)) = err.api_body() else {
        panic!("expected HTTPValidationError, got {err:?}");
    };
    let detail = body.detail.as_ref().expect("detail");
    assert_eq!(detail.len(), 1, "{detail:?}");
    assert_eq!(
        detail[0].loc,
        [
            ValidationErrorLocItem::String("query".into()),
            ValidationErrorLocItem::String("page-size".into())
        ]
    );
    assert_eq!(detail[0].msg, "Input should be less than or equal to 100");
    assert_eq!(detail[0].r#type, "less_than_equal");

    // A value outside the enum, sent through its open variant.
    let err = c
        .query_params(1)
        .color(Color::Unknown("purple".into()))
        .send()
        .await
        .expect_err("422");
    let Some(UnprocessableEntityError::UnprocessableEntity(body)) = err.api_body() else {
        panic!("expected HTTPValidationError, got {err:?}");
    };
    let detail = &body.detail.as_ref().expect("detail")[0];
    assert_eq!(detail.r#type, "enum");
    assert_eq!(detail.msg, "Input should be 'red', 'green' or 'light-blue'");
    assert_eq!(detail.input, Some(serde_json::json!("purple")));
}

#[tokio::test]
async fn undeclared_error_status_keeps_the_body() {
    let c = client!();
    let err = c.http_error(418).send().await.expect_err("418");
    let Error::UnexpectedStatus(resp) = &err else {
        panic!("expected an unexpected status, got {err:?}");
    };
    assert_eq!(resp.status().as_u16(), 418);
    let body: serde_json::Value = serde_json::from_slice(resp.body()).expect("JSON");
    assert_eq!(body, serde_json::json!({"detail": "failed with 418"}));
}

#[tokio::test]
async fn text_binary_and_streamed_bodies() {
    let c = client!();
    assert_eq!(c.text_body("Zoë").send().await.expect("200"), "hello, Zoë");

    let bytes = c.binary_body(300).send().await.expect("200");
    let expected: Vec<u8> = (0..300u32).map(|i| (i % 256) as u8).collect();
    assert_eq!(bytes.as_ref(), expected.as_slice());

    let stream = c.streamed_body(3).send_streaming().await.expect("200");
    let body = stream.into_body().collect_bytes().await.expect("body");
    assert_eq!(body.as_ref(), b"chunk 0;chunk 1;chunk 2;");
}

#[tokio::test]
async fn server_sent_events_are_typed() {
    let c = client!();
    let events: Vec<_> = c.ticks(3).send_events().await.expect("200").into_body().collect().await;
    let events: Vec<_> = events.into_iter().map(|e| e.expect("event")).collect();
    assert_eq!(events.len(), 3);
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event.event, "tick");
        assert_eq!(event.id, i.to_string());
        assert_eq!(event.data.seq, i as i64);
        assert_eq!(event.data.price, i as f64 * 1.5);
        let retry = (i == 2).then(|| std::time::Duration::from_millis(1500));
        assert_eq!(event.retry, retry);
    }
}

#[tokio::test]
async fn json_lines_are_typed() {
    let c = client!();
    let items: Vec<_> = c
        .item_lines(4)
        .send_items()
        .await
        .expect("200")
        .into_body()
        .collect()
        .await;
    let names: Vec<_> = items
        .into_iter()
        .map(|i| i.expect("item"))
        .map(|i| (i.id, i.name))
        .collect();
    assert_eq!(names, [0, 1, 2, 3].map(|i| (i, format!("item {i}"))).to_vec());
    // `send()` collects the lines.
    assert_eq!(c.item_lines(2).send().await.expect("200").len(), 2);
}

#[tokio::test]
async fn security_schemes() {
    let Some(server) = server::shared() else {
        return;
    };
    let builder = || Client::builder().base_url(server.url()).expect("url").max_retries(0);
    let c = builder()
        .http_bearer("tok-1")
        .http_basic("ann", "p:ss word")
        .api_key_header("hk")
        .api_key_query("q k&")
        .api_key_cookie("ck")
        .build()
        .expect("client");
    let p = c.auth_bearer().send().await.expect("bearer");
    assert_eq!((p.scheme.as_str(), p.credential.as_str()), ("Bearer", "tok-1"));
    let p = c.auth_basic().send().await.expect("basic");
    assert_eq!(p.credential, "ann:p:ss word");
    assert_eq!(c.auth_key_header().send().await.expect("header").credential, "hk");
    assert_eq!(c.auth_key_query().send().await.expect("query").credential, "q k&");
    assert_eq!(c.auth_key_cookie().send().await.expect("cookie").credential, "ck");

    // FastAPI decodes Basic credentials as ASCII: a UTF-8 password (RFC 7617) is refused.
    let utf8 = builder().http_basic("ann", "wörd").build().expect("client");
    let err = utf8.auth_basic().send().await.expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");

    // Without credentials FastAPI refuses (401 from its security classes), an undocumented status.
    let bare = builder().build().expect("client");
    for err in [
        bare.auth_bearer().send().await.expect_err("no bearer"),
        bare.auth_basic().send().await.expect_err("no basic"),
        bare.auth_key_header().send().await.expect_err("no key"),
    ] {
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    }
}

/// Cookie values outside RFC 6265's `cookie-octet`s: the client percent-encodes them, and
/// Starlette does not percent-decode cookies, so the server sees the encoded text.
#[tokio::test]
async fn cookie_values_outside_cookie_octets_arrive_percent_encoded() {
    let c = client!();
    let echo = c.cookie_params("a b;c").send().await.expect("200");
    assert_eq!(echo.session, "a%20b%3Bc");
}

#[tokio::test]
async fn date_times_with_fractional_seconds() {
    let c = client!();
    let micros = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 1).unwrap() + chrono::Duration::microseconds(250);
    let echo = c.query_params(1).dt(micros).send().await.expect("200");
    assert_eq!(echo.dt, Some(micros));
}

/// `null` for an optional form field: the client leaves the field out, so FastAPI's default applies.
#[tokio::test]
async fn null_form_field_is_left_out() {
    let c = client!();
    let mut form = UrlencodedFormBody::new("n", 1);
    form.nickname = Nullable::Null;
    let echo = c.urlencoded_form(&form).send().await.expect("200");
    assert_eq!(echo.nickname, None);
}

/// Query parameters declared as one pydantic model, and a query name with brackets.
#[tokio::test]
async fn query_parameter_model_and_bracketed_alias() {
    use interop_fastapi::types::OrderBy;
    let c = client!();
    let echo = c
        .query_model()
        .limit(5)
        .order_by(OrderBy::UpdatedAt)
        .labels(["x", "y"])
        .send()
        .await
        .expect("200");
    assert_eq!(echo.filters.limit, 5);
    assert_eq!(echo.filters.order_by, OrderBy::UpdatedAt);
    assert_eq!(echo.filters.labels, ["x", "y"]);
    assert_eq!(echo.name_filter, None);

    // The model forbids extra fields, and FastAPI validates it against every query parameter:
    // the route's other parameter, which its own spec lists, is refused.
    let err = c.query_model().filter_name("a&b").send().await.expect_err("422");
    let body = err.raw_body().map(String::from_utf8_lossy).unwrap_or_default();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert!(body.contains(r#""loc":["query","filter[name]"]"#), "{body}");
    assert!(body.contains("extra_forbidden"), "{body}");

    let echo = c.query_model().send().await.expect("200");
    assert_eq!((echo.filters.limit, echo.filters.order_by), (100, OrderBy::CreatedAt));
    assert!(echo.filters.labels.is_empty());
    assert_eq!(echo.name_filter, None);
}

#[tokio::test]
async fn form_declared_as_a_model() {
    use interop_fastapi::types::Signup;
    let c = client!();
    let mut signup = Signup::new("kim");
    signup.age = Nullable::Value(40);
    signup.newsletter = true;
    let echo = c.form_model(&signup).send().await.expect("200");
    assert_eq!(echo.username, "kim");
    assert_eq!(echo.age, Nullable::Value(40));
    assert!(echo.newsletter);
    let echo = c.form_model(&Signup::new("lee")).send().await.expect("200");
    assert_eq!((echo.age, echo.newsletter), (Nullable::Null, false));
}

#[tokio::test]
async fn list_of_a_discriminated_union_and_created() {
    let c = client!();
    let pets = c.list_pets(3).send().await.expect("200");
    assert_eq!(
        pets,
        [
            OwnerInputPet::Cat(Cat::new(0)),
            OwnerInputPet::Dog(Dog::new(1.0)),
            OwnerInputPet::Cat(Cat::new(2))
        ]
    );
    let response = c
        .create_item(&Item::new(8, "eight"))
        .send_with_response()
        .await
        .expect("201");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.body(), &Item::new(8, "eight"));
}

/// FastAPI's OAuth2 password flow: the token endpoint reads `OAuth2PasswordRequestForm`, and the
/// token it returns is the bearer credential of the `OAuth2PasswordBearer` scheme.
#[tokio::test]
async fn oauth2_password_flow() {
    use interop_fastapi::types::LoginBody;
    let Some(server) = server::shared() else {
        return;
    };
    let c = client_for(server.url());
    let mut form = LoginBody::new("ann", "s3cret&=");
    form.grant_type = Nullable::Value("password".into());
    form.scope = "read write".into();
    form.client_id = Nullable::Value("cli".into());
    let token = c.login(&form).send().await.expect("200");
    assert_eq!(token.access_token, "ann|s3cret&=|read write|cli");
    assert_eq!(token.token_type, "bearer");

    let authed = Client::builder()
        .base_url(server.url())
        .expect("url")
        .oauth2_password_bearer(token.access_token.clone())
        .build()
        .expect("client");
    let p = authed.auth_oauth2().send().await.expect("200");
    assert_eq!(p.credential, token.access_token);
}

/// Two security dependencies on one route: FastAPI needs both, while its spec lists them as
/// alternatives (`security: [{HTTPBearer: []}, {APIKeyHeader: []}]`). The client sends the first
/// alternative it has credentials for, as the spec says, and FastAPI refuses the missing key.
#[tokio::test]
async fn two_security_dependencies() {
    let Some(server) = server::shared() else {
        return;
    };
    let c = Client::builder()
        .base_url(server.url())
        .expect("url")
        .max_retries(0)
        .http_bearer("tok")
        .api_key_header("key")
        .build()
        .expect("client");
    let err = c.auth_both().send().await.expect_err("401");
    let Error::UnexpectedStatus(resp) = &err else {
        panic!("expected FastAPI's 401, got {err:?}");
    };
    assert_eq!(resp.status().as_u16(), 401);
    assert_eq!(resp.headers()["www-authenticate"], "APIKey");
    // Sending the key as well (a per-call header) satisfies FastAPI.
    let p = c.auth_both().header("x-api-key", "key").send().await.expect("200");
    assert_eq!(p.credential, "tok+key");
}
