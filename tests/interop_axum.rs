//! The client generated from an axum + utoipa server's own OpenAPI export
//! (`tests/interop/axum/openapi.json`, crate `interop-axum`) against that server, in-process on a
//! loopback port. The server validates strictly (typed extractors, `deny_unknown_fields`) and
//! echoes what it parsed, so every test asserts what the framework saw, and that it accepted
//! every request the client built from the spec.

use std::sync::{Arc, Mutex, PoisonError};

use futures_util::TryStreamExt as _;
use interop_axum::operations::{
    BadRequestError, CreateWidgetError, DeleteWidgetError, GetWidgetError, UpdateWidgetError,
};
use interop_axum::types::{
    Color, ErrorBody, Finish, FinishPainted, FinishPaintedPainted, FinishRaw, Kind, Label, NewWidget, Shape,
    ShapeCircle, ShapeRect, Size, Unit, Widget, WidgetPatch,
};
use interop_axum::{Client, Error, Nullable};
use uuid::Uuid;

const SPEC: &str = "interop/axum/openapi.json";

/// A fresh server (empty store) on 127.0.0.1 and its URL.
async fn start() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(interop_axum_server::serve(listener));
    format!("http://{addr}")
}

/// A client with both credentials; `seen` collects the path and query of every request sent.
fn client(url: &str, seen: &Arc<Mutex<Vec<String>>>) -> Client {
    let seen = Arc::clone(seen);
    Client::builder()
        .base_url(url)
        .expect("base url")
        .bearer(interop_axum_server::BEARER_TOKEN)
        .api_key(interop_axum_server::API_KEY)
        .max_retries(0)
        .on_request(move |request| {
            let url = request.url();
            let line = format!("{} {}?{}", request.method(), url.path(), url.query().unwrap_or(""));
            seen.lock().unwrap_or_else(PoisonError::into_inner).push(line);
        })
        .build()
        .expect("client builds")
}

async fn server() -> (Client, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::default();
    (client(&start().await, &seen), seen)
}

fn size() -> Size {
    Size::new(20, Unit::Mm, 30)
}

fn new_widget(name: &str) -> NewWidget {
    NewWidget::new(
        Finish::Raw(FinishRaw::Raw),
        Label::String("blue".into()),
        name,
        Shape::Circle(ShapeCircle::new(1.5)),
        size(),
    )
}

/// The framework's own answer to a request the client got wrong, or the handler's error.
fn error_body<E: std::fmt::Debug>(err: &Error<E>, status: u16) -> &E {
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
    err.api_body().unwrap_or_else(|| panic!("a documented error: {err:?}"))
}

#[test]
fn committed_spec_is_what_the_server_exports() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SPEC);
    let committed = std::fs::read_to_string(&path).expect("read the committed spec");
    let exported = interop_axum_server::openapi_json();
    assert!(
        committed == exported,
        "tests/{SPEC} is not what the server exports now; re-export it and regenerate the client:\n  \
         cargo run -p interop-axum-server --bin export-openapi > tests/{SPEC}\n  cargo xtask gen"
    );
}

#[tokio::test]
async fn echo_params_every_parameter_type_reaches_the_handler() {
    let (client, seen) = server().await;
    let request_id = Uuid::from_u128(0x1234_5678_9abc_def0_1122_3344_5566_7788);
    let since = Uuid::from_u128(7);
    let echo = client
        .echo_params(-42, Kind::SmallPart, 7, request_id)
        .offset(-3)
        .exact(true)
        .ratio(0.25)
        .color(Color::DarkBlue)
        .tag(["a b", "c&d=e", "é/ü?"])
        .since(since)
        .x_retries(2)
        .x_dry_run(false)
        .x_color(Color::Green)
        .send()
        .await
        .expect("200: axum accepted every parameter");
    assert_eq!(echo.item_id, -42);
    assert_eq!(echo.kind, Kind::SmallPart);
    let q = &echo.query;
    assert_eq!(q.limit, 7);
    assert_eq!(q.offset, Some(-3));
    assert_eq!(q.exact, Some(true));
    assert_eq!(q.ratio, Some(0.25));
    assert_eq!(q.color, Some(Color::DarkBlue));
    let tags = ["a b", "c&d=e", "é/ü?"].map(String::from).to_vec();
    assert_eq!(q.tag.as_ref(), Some(&tags));
    assert_eq!(q.since, Some(since));
    let h = &echo.headers;
    assert_eq!(h.request_id, request_id);
    assert_eq!(h.retries, Some(2));
    assert_eq!(h.dry_run, Some(false));
    assert_eq!(h.color, Some(Color::Green));
    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    assert_eq!(seen.len(), 1);
    assert!(seen[0].starts_with("GET /echo/-42/small-part?"), "{seen:?}");
    assert!(seen[0].contains("tag=a%20b&tag=c%26d%3De&tag="), "{seen:?}");
}

#[tokio::test]
async fn echo_params_without_optional_parameters() {
    let (client, _) = server().await;
    let echo = client
        .echo_params(i64::MAX, Kind::Gadget, 0, Uuid::nil())
        .send()
        .await
        .expect("200");
    assert_eq!((echo.item_id, echo.kind), (i64::MAX, Kind::Gadget));
    let q = &echo.query;
    assert_eq!((q.limit, q.offset, q.exact, q.ratio), (0, None, None, None));
    assert_eq!((&q.color, &q.since), (&None, &None));
    // The server's `Vec` defaults to empty: it says `[]` where the client sent nothing.
    assert_eq!(q.tag, Some(Vec::new()));
    let h = &echo.headers;
    assert_eq!((h.request_id, h.retries, h.dry_run), (Uuid::nil(), None, None));
    assert_eq!(h.color, None);
}

#[tokio::test]
async fn echo_params_rejections_are_typed_error_bodies() {
    let (client, _) = server().await;
    let bad_header = client
        .echo_params(1, Kind::Gadget, 1, Uuid::nil())
        .header("x-retries", "many")
        .send()
        .await
        .expect_err("400");
    let BadRequestError::BadRequest(body) = error_body(&bad_header, 400);
    assert_eq!(body.code, "invalid_header");
    assert!(body.message.starts_with("x-retries: "), "{body:?}");
    // `deny_unknown_fields` on the query struct: an extra pair is a 400 from axum's extractor.
    let extra_query = client
        .echo_params(1, Kind::Gadget, 1, Uuid::nil())
        .query("colour", "red")
        .send()
        .await
        .expect_err("400");
    let BadRequestError::BadRequest(body) = error_body(&extra_query, 400);
    assert_eq!(body.code, "invalid_query");
    assert!(body.message.contains("unknown field `colour`"), "{body:?}");
}

#[tokio::test]
async fn widget_lifecycle_create_read_patch_delete() {
    let (client, seen) = server().await;
    let mut new = new_widget("pen");
    new.note = "fragile".into();
    new.tags = Some(vec!["x".into(), "y".into()]);
    let created = client.create_widget(&new).send_with_response().await.expect("201");
    assert_eq!(created.status().as_u16(), 201);
    let widget = created.into_body();
    let id = Uuid::from_u128(1);
    let mut expected = Widget::new(
        new.finish.clone(),
        id,
        new.label.clone(),
        "pen",
        interop_axum_server::BEARER_TOKEN,
        1,
        new.shape.clone(),
        size(),
        ["x", "y"],
    );
    expected.note = Some("fragile".into());
    assert_eq!(widget, expected);
    assert_eq!(client.get_widget(id).send().await.expect("200"), expected);

    // A field left out stays; `Nullable::Absent` sends no `note`.
    let patch = WidgetPatch {
        name: Some("big pen".into()),
        ..WidgetPatch::default()
    };
    let patched = client.update_widget(id, &patch).send().await.expect("200");
    assert_eq!((patched.name.as_str(), patched.revision), ("big pen", 2));
    assert_eq!(patched.note.as_deref(), Some("fragile"));
    // `Nullable::Null` sends `"note": null`, which clears it.
    let patch = WidgetPatch {
        note: Nullable::Null,
        label: Some(Label::Integer(-9)),
        ..WidgetPatch::default()
    };
    let patched = client.update_widget(id, &patch).send().await.expect("200");
    assert_eq!(
        (patched.note, patched.label, patched.revision),
        (None, Label::Integer(-9), 3)
    );
    // A value sets it; a new nested size replaces the old one.
    let patch = WidgetPatch {
        note: "mended".into(),
        size: Some(Size::new(1, Unit::Inch, 2)),
        ..WidgetPatch::default()
    };
    let patched = client.update_widget(id, &patch).send().await.expect("200");
    assert_eq!(patched.note.as_deref(), Some("mended"));
    assert_eq!(patched.size, Size::new(1, Unit::Inch, 2));
    assert_eq!(patched.name, "big pen");

    let deleted = client.delete_widget(id).send_with_response().await.expect("204");
    assert_eq!(deleted.status().as_u16(), 204);
    let gone = client.get_widget(id).send().await.expect_err("404");
    let GetWidgetError::NotFound(body) = error_body(&gone, 404) else {
        panic!("{gone:?}")
    };
    assert_eq!(body, &ErrorBody::new("not_found", format!("no widget {id}")));
    let again = client.delete_widget(id).send().await.expect_err("404");
    assert!(matches!(error_body(&again, 404), DeleteWidgetError::NotFound(b) if b.code == "not_found"));
    let patch_gone = client
        .update_widget(id, &WidgetPatch::default())
        .send()
        .await
        .expect_err("404");
    assert!(matches!(error_body(&patch_gone, 404), UpdateWidgetError::NotFound(_)));
    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    let id_path = format!("/widgets/{id}?");
    assert_eq!(seen.iter().filter(|l| l.contains(&id_path)).count(), 8, "{seen:?}");
}

#[tokio::test]
async fn unions_round_trip_through_serde_shapes() {
    let (client, _) = server().await;
    // Internally tagged (`type`), untagged (string | integer), externally tagged (`"raw"` |
    // `{"painted": {..}}`), a nullable UUID and a nullable string sent as `null`.
    let painted = Finish::Painted(FinishPainted::new(FinishPaintedPainted::new(3, Color::Red)));
    let mut new = NewWidget::new(
        painted.clone(),
        Label::Integer(i64::MIN),
        "box",
        Shape::Rect(ShapeRect::new(2.0, 4.5)),
        size(),
    );
    new.parent = Uuid::from_u128(99).into();
    new.note = Nullable::Null;
    let widget = client.create_widget(&new).send().await.expect("201");
    assert_eq!(widget.finish, painted);
    assert_eq!(widget.label, Label::Integer(i64::MIN));
    assert_eq!(widget.shape, Shape::Rect(ShapeRect::new(2.0, 4.5)));
    assert_eq!(widget.parent, Some(Uuid::from_u128(99)));
    assert_eq!((widget.note, widget.tags), (None, Vec::new()));
    let read = client.get_widget(widget.id).send().await.expect("200");
    assert_eq!(read.finish, painted);
}

#[tokio::test]
async fn list_widgets_pages_by_cursor() {
    let (client, seen) = server().await;
    for name in ["a", "b", "c", "d", "e"] {
        client.create_widget(&new_widget(name)).send().await.expect("201");
    }
    let names: Vec<String> = client
        .list_widgets()
        .limit(2)
        .into_stream()
        .map_ok(|w| w.name)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    let pages: Vec<_> = client
        .list_widgets()
        .limit(2)
        .into_pages()
        .try_collect()
        .await
        .expect("pages");
    let sizes: Vec<usize> = pages.iter().map(|p| p.body().items.len()).collect();
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(pages[2].body().next_cursor, None);
    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    let cursor = Uuid::from_u128(2);
    assert!(
        seen.contains(&format!("GET /widgets?limit=2&cursor={cursor}"))
            || seen.contains(&format!("GET /widgets?cursor={cursor}&limit=2")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn credentials_go_where_the_spec_says() {
    let url = start().await;
    let anonymous = Client::builder()
        .base_url(&url)
        .expect("base url")
        .max_retries(0)
        .build()
        .expect("client builds");
    let err = anonymous.create_widget(&new_widget("x")).send().await.expect_err("401");
    let CreateWidgetError::Unauthorized(body) = error_body(&err, 401) else {
        panic!("{err:?}")
    };
    assert_eq!(body.message, "no authorization header");
    let err = anonymous.delete_widget(Uuid::nil()).send().await.expect_err("401");
    assert!(matches!(error_body(&err, 401), DeleteWidgetError::Unauthorized(b) if b.message == "no x-api-key header"));
    // Operations without security get no credential, and axum does not ask for one.
    anonymous.list_widgets().send().await.expect("200");
    let seen = Arc::default();
    let wrong = Client::builder()
        .base_url(&url)
        .expect("base url")
        .bearer("someone-else")
        .max_retries(0)
        .build()
        .expect("client builds");
    let err = wrong.create_widget(&new_widget("x")).send().await.expect_err("401");
    assert!(matches!(error_body(&err, 401), CreateWidgetError::Unauthorized(b) if b.message == "unknown bearer token"));
    // With the right ones the same calls pass; the API key reaches DELETE (404: no such widget).
    let right = client(&url, &seen);
    right.create_widget(&new_widget("x")).send().await.expect("201");
    let err = right.delete_widget(Uuid::nil()).send().await.expect_err("404");
    assert!(matches!(error_body(&err, 404), DeleteWidgetError::NotFound(_)));
}

#[tokio::test]
async fn axum_body_rejections_decode_as_documented_errors() {
    let (client, _) = server().await;
    let valid = new_widget("x");
    let send = |content_type: &'static str, body: &'static str| {
        client.create_widget(&valid).raw_body(content_type, body).send()
    };
    // An unknown field (`deny_unknown_fields`): JSON that does not match, 422.
    let body = r#"{"name":"x","size":{"width":1,"height":1,"unit":"mm"},"shape":{"type":"circle","radius":1},"label":"l","finish":"raw","colour":"red"}"#;
    let err = send("application/json", body).await.expect_err("422");
    let CreateWidgetError::UnprocessableEntity(e) = error_body(&err, 422) else {
        panic!("{err:?}")
    };
    assert_eq!(e.code, "invalid_body");
    assert!(e.message.contains("unknown field `colour`"), "{e:?}");
    // Not JSON at all: 400; not `application/json`: 415.
    let err = send("application/json", "{").await.expect_err("400");
    assert!(matches!(error_body(&err, 400), CreateWidgetError::BadRequest(e) if e.code == "invalid_body"));
    let err = send("text/plain", "{}").await.expect_err("415");
    assert!(matches!(
        error_body(&err, 415),
        CreateWidgetError::UnsupportedMediaType(_)
    ));
    // `name` is not nullable in `WidgetPatch`: `null` is a 422 too.
    let id = client.create_widget(&new_widget("y")).send().await.expect("201").id;
    let err = client
        .update_widget(id, &WidgetPatch::default())
        .raw_body("application/json", r#"{"name":null}"#)
        .send()
        .await
        .expect_err("422");
    assert!(matches!(error_body(&err, 422), UpdateWidgetError::UnprocessableEntity(e) if e.message.contains("name")));
}
