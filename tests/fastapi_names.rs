//! Names FastAPI generated, shortened (fixture client `fastapi-names`, spec
//! `tests/fixtures/fastapi-names-31.yaml`, exported from `tests/fixtures/fastapi/names_app.py`):
//! the methods and body types read as the Python functions, the requests on the wire are the ones
//! the spec describes, and `clean_names = false` gives back the spec's own names.

use std::path::Path;

use e2e_tests::{Behaviour, RawRequest, RawServer};
use fastapi_names::types::{Item, LoginForAccessTokenBody, UpdateItemBody, User};
use fastapi_names::Client;

const SPEC: &str = "tests/fixtures/fastapi-names-31.yaml";

fn client(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn only(server: &RawServer) -> RawRequest {
    let mut reqs = server.requests();
    assert_eq!(reqs.len(), 1, "{reqs:#?}");
    reqs.remove(0)
}

#[tokio::test]
async fn read_item_sends_the_path_and_query_fastapi_expects() {
    let server = RawServer::start(Behaviour::json("200 OK", r#"{"name":"pen","price":1.5}"#)).await;
    let item = client(&server).read_item(7).q("blue ink").send().await.expect("200");
    assert_eq!(item, Item::new("pen", 1.5));
    assert_eq!(only(&server).request_line, "GET /items/7?q=blue%20ink HTTP/1.1");
}

#[tokio::test]
async fn update_item_sends_the_embedded_body_fields() {
    let server = RawServer::start(Behaviour::json("200 OK", r#"{"name":"pen","price":2.0}"#)).await;
    let body = UpdateItemBody::new(Item::new("pen", 2.0), User::new("ann"), 3);
    client(&server).update_item(7, &body).send().await.expect("200");
    let req = only(&server);
    assert_eq!(req.request_line, "PUT /items/7 HTTP/1.1");
    assert_eq!(req.header("content-type"), "application/json");
    let sent: serde_json::Value = serde_json::from_slice(&req.body).expect("JSON body");
    assert_eq!(
        sent,
        serde_json::json!({"item": {"name": "pen", "price": 2.0}, "user": {"username": "ann"}, "importance": 3})
    );
}

#[tokio::test]
async fn login_for_access_token_sends_the_form_fields() {
    let server = RawServer::start(Behaviour::json(
        "200 OK",
        r#"{"access_token":"t","token_type":"bearer"}"#,
    ))
    .await;
    let token = client(&server)
        .login_for_access_token(&LoginForAccessTokenBody::new("ann", "p&ss"))
        .send()
        .await
        .expect("200");
    assert_eq!(token.access_token, "t");
    let req = only(&server);
    assert_eq!(req.request_line, "POST /token HTTP/1.1");
    assert_eq!(req.header("content-type"), "application/x-www-form-urlencoded");
    assert_eq!(req.body_text(), "username=ann&password=p%26ss");
}

#[tokio::test]
async fn other_shortened_hand_named_and_kept_operations() {
    let text = RawServer::start(Behaviour::json("200 OK", r#""text""#)).await;
    let c = client(&text);
    assert_eq!(c.get_report_text("r 1").send().await.expect("200"), "text");
    assert_eq!(c.read_file("a/b.txt").send().await.expect("200"), "text");
    let object = RawServer::start(Behaviour::json("200 OK", "{}")).await;
    let c = client(&object);
    c.health_check().send().await.expect("200");
    // A hand-chosen id keeps its name and its body type keeps FastAPI's name.
    let widget = fastapi_names::types::BodyCreateWidget::new("w", 2);
    c.create_widget(&widget).send().await.expect("200");
    // Two functions with one name: both keep their full ids.
    c.read_stats_v1_stats_get().send().await.expect("200");
    c.read_stats_v2_stats_get().send().await.expect("200");
    let lines = |s: &RawServer| -> Vec<String> { s.requests().into_iter().map(|r| r.request_line).collect() };
    assert_eq!(
        lines(&text),
        ["GET /reports/r%201/text HTTP/1.1", "GET /files/a%2Fb.txt HTTP/1.1"]
    );
    assert_eq!(
        lines(&object),
        [
            "GET /health-check/v1.2 HTTP/1.1",
            "POST /widgets HTTP/1.1",
            "GET /v1/stats HTTP/1.1",
            "GET /v2/stats HTTP/1.1",
        ]
    );
    let widget_body: serde_json::Value = serde_json::from_slice(&object.requests()[1].body).expect("JSON");
    assert_eq!(widget_body, serde_json::json!({"name": "w", "size": 2}));
}

fn generate(clean_names: bool) -> codegen::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut config = codegen::Config::new(root.join(SPEC), SPEC, "fastapi-names");
    config.clean_names = clean_names;
    codegen::generate(&config).expect("the fixture generates")
}

fn fn_names(out: &codegen::Output) -> Vec<(&str, &str)> {
    out.api
        .operations
        .iter()
        .map(|o| (o.operation_id.as_deref().unwrap_or(""), o.fn_name.as_str()))
        .collect()
}

fn type_names(out: &codegen::Output) -> Vec<&str> {
    out.api.types.iter().map(|t| t.name.as_str()).collect()
}

#[test]
fn names_are_shortened_and_wire_ids_kept() {
    let on = generate(true);
    assert_eq!(
        fn_names(&on),
        [
            ("root__get", "root"),
            ("read_item_items__item_id__get", "read_item"),
            ("update_item_items__item_id__put", "update_item"),
            ("login_for_access_token_token_post", "login_for_access_token"),
            ("get_report_text_reports__report_id__text_get", "get_report_text"),
            ("health_check_health_check_v1_2_get", "health_check"),
            ("read_file_files__file_path__get", "read_file"),
            ("create-widget", "create_widget"),
            ("read_stats_v1_stats_get", "read_stats_v1_stats_get"),
            ("read_stats_v2_stats_get", "read_stats_v2_stats_get"),
        ]
    );
    assert_eq!(
        &type_names(&on)[..3],
        ["BodyCreateWidget", "LoginForAccessTokenBody", "UpdateItemBody"]
    );
    let origins: Vec<&str> = on.api.types[..3].iter().map(|t| t.origin.as_str()).collect();
    assert_eq!(
        origins,
        [
            "/components/schemas/Body_create-widget",
            "/components/schemas/Body_login_for_access_token_token_post",
            "/components/schemas/Body_update_item_items__item_id__put",
        ]
    );
}

#[test]
fn clean_names_off_keeps_the_spec_names() {
    let off = generate(false);
    let names: Vec<&str> = fn_names(&off).into_iter().map(|(_, f)| f).collect();
    assert_eq!(
        names,
        [
            "root_get",
            "read_item_items_item_id_get",
            "update_item_items_item_id_put",
            "login_for_access_token_token_post",
            "get_report_text_reports_report_id_text_get",
            "health_check_health_check_v1_2_get",
            "read_file_files_file_path_get",
            "create_widget",
            "read_stats_v1_stats_get",
            "read_stats_v2_stats_get",
        ]
    );
    assert_eq!(
        &type_names(&off)[..3],
        [
            "BodyCreateWidget",
            "BodyLoginForAccessTokenTokenPost",
            "BodyUpdateItemItemsItemIdPut"
        ]
    );
    // Only names differ: the requests are built from the same paths, methods and wire names.
    let on = generate(true);
    let wire = |out: &codegen::Output| -> Vec<(String, String, Vec<String>)> {
        out.api
            .operations
            .iter()
            .map(|o| {
                let params = o.params.iter().map(|p| p.wire_name.clone()).collect();
                (o.method.clone(), o.path.clone(), params)
            })
            .collect()
    };
    assert_eq!(wire(&on), wire(&off));
}
