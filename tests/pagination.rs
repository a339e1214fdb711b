//! Paginated list operations over loopback HTTP (fixture client `pagination-fixture`, spec
//! `tests/fixtures/pagination-31.yaml`): every page's request line is checked as sent, and every
//! item must come out exactly once.

use std::time::Duration;

use e2e_tests::{Behaviour, RawServer};
use futures_util::{StreamExt, TryStreamExt};
use pagination_fixture::types::Thing;
use pagination_fixture::{Client, Error, RetryPolicy};

/// A `200` JSON response with extra header lines (each ending in `\r\n`).
fn page(headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn things(ids: &[&str]) -> String {
    let items: Vec<String> = ids.iter().map(|id| format!("{{\"id\":\"{id}\"}}")).collect();
    format!("[{}]", items.join(","))
}

fn client(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn ids(items: &[Thing]) -> Vec<&str> {
    items.iter().map(|t| t.id.as_str()).collect()
}

fn cursor_pages() -> Behaviour {
    Behaviour::replies(vec![
        page(
            "x-page: 1\r\n",
            &format!("{{\"items\":{},\"next_cursor\":\"c2\"}}", things(&["a", "b"])),
        ),
        page(
            "x-page: 2\r\n",
            &format!("{{\"items\":{},\"next_cursor\":\"c3\"}}", things(&["c", "d"])),
        ),
        page(
            "x-page: 3\r\n",
            &format!("{{\"items\":{},\"next_cursor\":null}}", things(&["e"])),
        ),
    ])
}

#[tokio::test]
async fn cursor_stream_yields_every_item_once_in_three_requests() {
    let server = RawServer::start(cursor_pages()).await;
    let client = client(&server);
    let items: Vec<Thing> = client
        .list_things()
        .limit(2)
        .kind("big")
        .header("x-trace", "t-1")
        .into_stream()
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /things?limit=2&kind=big HTTP/1.1",
            "GET /things?limit=2&kind=big&cursor=c2 HTTP/1.1",
            "GET /things?limit=2&kind=big&cursor=c3 HTTP/1.1",
        ]
    );
    // A per-call option applies to every page.
    for req in server.requests() {
        assert_eq!(req.header("x-trace"), "t-1");
    }
}

#[tokio::test]
async fn pages_keep_each_response() {
    let server = RawServer::start(cursor_pages()).await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_things()
        .into_pages()
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(pages.len(), 3);
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p.status(), 200);
        assert_eq!(p.headers()["x-page"], (i + 1).to_string().as_str());
    }
    assert_eq!(ids(&pages[1].body().items), ["c", "d"]);
    assert_eq!(pages[2].body().next_cursor, None);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let repeat = |ids: &[&str]| page("", &format!("{{\"items\":{},\"next_cursor\":\"again\"}}", things(ids)));
    let server = RawServer::start(Behaviour::replies(vec![repeat(&["a"]), repeat(&["b"])])).await;
    let client = client(&server);
    // `take` only bounds the test should the stream never end.
    let results: Vec<Result<Thing, _>> = client.list_things().into_stream().take(10).collect().await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().expect("first page").id, "a");
    assert_eq!(results[1].as_ref().expect("second page").id, "b");
    match &results[2] {
        Err(Error::Pagination(e)) => {
            assert_eq!(e.page(), 2);
            assert_eq!(e.cursor(), "again");
            assert!(e.to_string().contains("page 2"), "{e}");
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert_eq!(
        server.request_lines(),
        ["GET /things HTTP/1.1", "GET /things?cursor=again HTTP/1.1"]
    );
}

#[tokio::test]
async fn a_cursor_the_caller_started_from_must_not_come_back() {
    let body = format!("{{\"items\":{},\"next_cursor\":\"start\"}}", things(&["a"]));
    let server = RawServer::start(Behaviour::json("200 OK", &body)).await;
    let client = client(&server);
    let results: Vec<Result<Thing, _>> = client
        .list_things()
        .cursor("start")
        .into_stream()
        .take(5)
        .collect()
        .await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(matches!(results[1], Err(Error::Pagination(_))));
    assert_eq!(server.request_lines(), ["GET /things?cursor=start HTTP/1.1"]);
}

#[tokio::test]
async fn offset_advances_by_the_items_received_and_stops_on_a_short_page() {
    let server = RawServer::start(Behaviour::replies(vec![
        page("", &things(&["a", "b"])),
        page("", &things(&["c", "d"])),
        page("", &things(&["e"])),
    ]))
    .await;
    let client = client(&server);
    let items: Vec<Thing> = client
        .list_offset_things()
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /offset-things?limit=2 HTTP/1.1",
            "GET /offset-things?limit=2&offset=2 HTTP/1.1",
            "GET /offset-things?limit=2&offset=4 HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn offset_starts_from_the_callers_offset() {
    let server = RawServer::start(Behaviour::replies(vec![page("", &things(&["k"])), page("", "[]")])).await;
    let client = client(&server);
    let items: Vec<Thing> = client
        .list_offset_things()
        .offset(10)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["k"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /offset-things?offset=10 HTTP/1.1",
            "GET /offset-things?offset=11 HTTP/1.1"
        ]
    );
}

#[tokio::test]
async fn page_numbers_count_up_until_an_empty_page() {
    let data = |ids: &[&str]| page("", &format!("{{\"data\":{},\"total\":4}}", things(ids)));
    let server = RawServer::start(Behaviour::replies(vec![
        data(&["a", "b"]),
        data(&["c", "d"]),
        data(&[]),
    ]))
    .await;
    let client = client(&server);
    let items: Vec<Thing> = client
        .list_paged_things()
        .per_page(2)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b", "c", "d"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /paged-things?per_page=2 HTTP/1.1",
            "GET /paged-things?per_page=2&page=2 HTTP/1.1",
            "GET /paged-things?per_page=2&page=3 HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn link_headers_are_followed() {
    let server = RawServer::start(Behaviour::replies(vec![
        page(
            "link: </linked-things?per_page=2&page=2>; rel=\"next\", </linked-things?per_page=2&page=3>; rel=\"last\"\r\n",
            &things(&["a", "b"]),
        ),
        // Absolute links to the same server work too.
        page("link: <{base}/linked-things?per_page=2&page=3>; rel=\"next\"\r\n", &things(&["c", "d"])),
        page("link: </linked-things?per_page=2&page=1>; rel=\"first\"\r\n", &things(&["e"])),
    ]))
    .await;
    let client = client(&server);
    let items: Vec<Thing> = client
        .list_linked_things()
        .per_page(2)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /linked-things?per_page=2 HTTP/1.1",
            "GET /linked-things?per_page=2&page=2 HTTP/1.1",
            "GET /linked-things?per_page=2&page=3 HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn a_link_to_another_server_is_not_followed() {
    let server = RawServer::start(Behaviour::replies(vec![page(
        "link: <http://127.0.0.1:9/linked-things?page=2>; rel=\"next\"\r\n",
        &things(&["a"]),
    )]))
    .await;
    let client = client(&server);
    let results: Vec<Result<Thing, _>> = client.list_linked_things().into_stream().take(5).collect().await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(matches!(results[1], Err(Error::Pagination(_))), "{results:?}");
    assert_eq!(server.request_lines(), ["GET /linked-things HTTP/1.1"]);
}

#[tokio::test]
async fn a_retry_inside_a_page_is_invisible_to_the_stream() {
    let server = RawServer::start(Behaviour::replies(vec![
        page("", &format!("{{\"items\":{},\"next_cursor\":\"c2\"}}", things(&["a"]))),
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            .to_owned(),
        page("", &format!("{{\"items\":{}}}", things(&["b"]))),
    ]))
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .expect("base url")
        .retry_policy(
            RetryPolicy::default()
                .max_retries(2)
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20)),
        )
        .build()
        .expect("client builds");
    let items: Vec<Thing> = client.list_things().into_stream().try_collect().await.expect("pages");
    assert_eq!(ids(&items), ["a", "b"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /things HTTP/1.1",
            "GET /things?cursor=c2 HTTP/1.1",
            "GET /things?cursor=c2 HTTP/1.1"
        ]
    );
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_that_error() {
    let server = RawServer::start(Behaviour::replies(vec![
        page("", &format!("{{\"items\":{},\"next_cursor\":\"c2\"}}", things(&["a"]))),
        "HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/json\r\ncontent-length: 12\r\nconnection: close\r\n\r\n{\"detail\":[]}".to_owned(),
    ]))
    .await;
    let client = client(&server);
    let results: Vec<Result<Thing, _>> = client.list_things().into_stream().take(5).collect().await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(
        results[1].as_ref().err().and_then(|e| e.status()).map(|s| s.as_u16()),
        Some(422)
    );
}

#[tokio::test]
async fn nested_cursor_and_the_extensions() {
    // `meta.next_page_token`, found by name one level down.
    let server = RawServer::start(Behaviour::replies(vec![
        page(
            "",
            &format!(
                "{{\"results\":{},\"meta\":{{\"next_page_token\":\"t2\"}}}}",
                things(&["a"])
            ),
        ),
        page("", &format!("{{\"results\":{},\"meta\":{{}}}}", things(&["b"]))),
    ]))
    .await;
    let items: Vec<Thing> = client(&server)
        .list_nested_things()
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /nested-things HTTP/1.1",
            "GET /nested-things?page_token=t2 HTTP/1.1"
        ]
    );

    // `x-pagination`: cursor `from`, next `paging.following`, items `entries`.
    let server = RawServer::start(Behaviour::replies(vec![
        page(
            "",
            &format!(
                "{{\"entries\":{},\"extra\":[],\"paging\":{{\"following\":\"f2\"}}}}",
                things(&["a"])
            ),
        ),
        page(
            "",
            &format!("{{\"entries\":{},\"paging\":{{\"following\":\"\"}}}}", things(&["b"])),
        ),
    ]))
    .await;
    let items: Vec<Thing> = client(&server)
        .list_custom_things()
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b"]);
    assert_eq!(
        server.request_lines(),
        ["GET /custom-things HTTP/1.1", "GET /custom-things?from=f2 HTTP/1.1"]
    );

    // `x-fern-pagination`: cursor `starting_after`, next `next`, results `data`.
    let server = RawServer::start(Behaviour::replies(vec![
        page("", &format!("{{\"data\":{},\"next\":\"n2\"}}", things(&["a"]))),
        page("", &format!("{{\"data\":{}}}", things(&["b"]))),
    ]))
    .await;
    let items: Vec<Thing> = client(&server)
        .list_fern_things()
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /fern-things HTTP/1.1",
            "GET /fern-things?starting_after=n2 HTTP/1.1"
        ]
    );

    // `x-speakeasy-pagination`: offset `skip`, limit `take`, results `records`.
    let server = RawServer::start(Behaviour::replies(vec![
        page("", &format!("{{\"records\":{}}}", things(&["a", "b"]))),
        page("", &format!("{{\"records\":{}}}", things(&["c"]))),
    ]))
    .await;
    let items: Vec<Thing> = client(&server)
        .list_speakeasy_things()
        .take(2)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b", "c"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /speakeasy-things?take=2 HTTP/1.1",
            "GET /speakeasy-things?take=2&skip=2 HTTP/1.1"
        ]
    );
}

#[tokio::test]
async fn last_item_id_with_has_more() {
    let server = RawServer::start(Behaviour::replies(vec![
        page("", &format!("{{\"data\":{},\"has_more\":true}}", things(&["a", "b"]))),
        page("", &format!("{{\"data\":{},\"has_more\":false}}", things(&["c"]))),
    ]))
    .await;
    let items: Vec<Thing> = client(&server)
        .list_stripe_things()
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b", "c"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /stripe-things?limit=2 HTTP/1.1",
            "GET /stripe-things?limit=2&starting_after=b HTTP/1.1"
        ]
    );
}

#[tokio::test]
async fn next_url_in_the_body_is_followed() {
    let server = RawServer::start(Behaviour::replies(vec![
        page(
            "",
            &format!(
                "{{\"things\":{},\"next_page_uri\":\"/url-things?PageSize=1&PageToken=p2\"}}",
                things(&["a"])
            ),
        ),
        page("", &format!("{{\"things\":{},\"next_page_uri\":null}}", things(&["b"]))),
    ]))
    .await;
    let items: Vec<Thing> = client(&server)
        .list_url_things()
        .page_size(1)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&items), ["a", "b"]);
    assert_eq!(
        server.request_lines(),
        [
            "GET /url-things?PageSize=1 HTTP/1.1",
            "GET /url-things?PageSize=1&PageToken=p2 HTTP/1.1"
        ]
    );
}

#[test]
fn ambiguous_list_operations_are_noted_for_the_report() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("tests/fixtures/pagination-31.yaml");
    let out = codegen::generate(&codegen::Config::new(&spec, "pagination-31.yaml", "fixture")).expect("generates");
    let notes: Vec<String> = out
        .notes
        .iter()
        .filter(|n| n.approx == Some(codegen::Approx::Pagination))
        .map(|n| format!("{}: {}", n.location.pointer, n.message))
        .collect();
    assert_eq!(
        notes,
        [
            "/paths/~1no-next/get: looks paginated but no paginator was generated: cursor parameter `cursor`, but no \
             next-cursor field in the response body",
            "/paths/~1two-arrays/get: looks paginated but no paginator was generated: several candidate item arrays \
             (`things`, `others`)",
        ]
    );
    let warnings: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning: pagination-31.yaml#/paths/~1speakeasy-urls/get/x-speakeasy-pagination: `x-speakeasy-pagination` \
          not honoured: type `url` is not supported; no paginator generated from it"
        ]
    );
}
