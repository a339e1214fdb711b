//! Client-level defaults for common parameters (fixture client `client-params`, spec
//! `tests/fixtures/client-params.yaml`), over the same raw loopback server as the rest of `ops_wire`.

use e2e_tests::RawServer;

use super::{no_content, only};

/// A client of `tests/fixtures/client-params.yaml`, whose common parameters get typed defaults.
fn params_client(
    server: &RawServer,
    configure: fn(client_params::ClientBuilder) -> client_params::ClientBuilder,
) -> client_params::Client {
    configure(
        client_params::Client::builder()
            .base_url(server.url())
            .expect("base url")
            .max_retries(0),
    )
    .build()
    .expect("client builds")
}

#[tokio::test]
async fn client_defaults_fill_unset_parameters_of_the_operations_that_declare_them() {
    let server = RawServer::start(no_content()).await;
    let client = params_client(&server, |b| {
        b.x_tenant([7, 8])
            .region("eu west")
            .x_api_key("key-123")
            // `timeout` is a `ClientBuilder` method already.
            .default_timeout(30)
    });
    client.list_things().send().await.expect("204");
    client.create_thing(5).send().await.expect("204");
    client.get_thing("a").send().await.expect("204");
    client.delete_thing("b").send().await.expect("204");
    client.health().send().await.expect("204");
    assert_eq!(
        server.request_lines(),
        [
            "GET /things?region=eu%20west&timeout=30 HTTP/1.1",
            "POST /things?region=eu%20west&timeout=30&limit=5 HTTP/1.1",
            "GET /things/a?region=eu%20west&timeout=30 HTTP/1.1",
            "DELETE /things/b?region=eu%20west&timeout=30 HTTP/1.1",
            // `health` declares none of them and sends none.
            "GET /health HTTP/1.1",
        ]
    );
    let reqs = server.requests();
    for req in &reqs[..4] {
        assert_eq!(req.header_values("x-tenant"), ["7,8"], "{req:#?}");
        assert_eq!(req.header_values("x-api-key"), ["key-123"], "{req:#?}");
    }
    assert!(reqs[4].header_values("x-tenant").is_empty(), "{:#?}", reqs[4]);
    assert!(reqs[4].header_values("x-api-key").is_empty(), "{:#?}", reqs[4]);
    // Parameters that are not common (`x-trace`: 2 of 5 operations) get no builder method, and
    // nothing is sent for them.
    assert!(reqs.iter().all(|r| r.header_values("x-trace").is_empty()));
}

#[tokio::test]
async fn a_call_value_replaces_the_client_default() {
    let server = RawServer::start(no_content()).await;
    let client = params_client(&server, |b| b.x_tenant([7]).region("eu").default_timeout(30));
    client
        .list_things()
        .x_tenant([1, 2, 3])
        .region("us")
        .timeout_2(5)
        .x_api_key("per-call")
        .send()
        .await
        .expect("204");
    // Only one of them set per call: the others keep the defaults.
    client.get_thing("a").region("ap").send().await.expect("204");
    assert_eq!(
        server.request_lines(),
        [
            "GET /things?region=us&timeout=5 HTTP/1.1",
            "GET /things/a?region=ap&timeout=30 HTTP/1.1",
        ]
    );
    let reqs = server.requests();
    assert_eq!(reqs[0].header_values("x-tenant"), ["1,2,3"]);
    assert_eq!(reqs[0].header_values("x-api-key"), ["per-call"]);
    assert_eq!(reqs[1].header_values("x-tenant"), ["7"]);
    // No default configured: nothing sent.
    assert!(reqs[1].header_values("x-api-key").is_empty());
}

#[tokio::test]
async fn without_defaults_unset_common_parameters_send_nothing() {
    let server = RawServer::start(no_content()).await;
    let client = params_client(&server, |b| b);
    client.list_things().send().await.expect("204");
    let req = only(&server);
    assert_eq!(req.request_line, "GET /things HTTP/1.1");
    assert!(req.header_values("x-tenant").is_empty() && req.header_values("x-api-key").is_empty());
}

#[test]
fn client_defaults_are_checked_at_build_and_never_printed() {
    let err = client_params::Client::builder()
        .x_api_key("line\nbreak")
        .build()
        .expect_err("a header value with a line break is refused");
    assert_eq!(
        err.to_string(),
        "default for header `X-API-Key` contains characters not allowed in HTTP headers"
    );
    let builder = client_params::Client::builder()
        .x_api_key("key-123")
        .region("eu-secret-region");
    let shown = format!("{builder:?}");
    assert!(shown.contains("X-API-Key") && shown.contains("region"), "{shown}");
    assert!(
        !shown.contains("key-123") && !shown.contains("eu-secret-region"),
        "{shown}"
    );
    let client = builder.build().expect("builds");
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("key-123") && !shown.contains("eu-secret-region"),
        "{shown}"
    );
}
