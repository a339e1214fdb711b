//! Multipart file uploads over loopback HTTP (fixture client `multipart-files`, spec
//! `tests/fixtures/multipart-files-31.yaml`): the exact bytes of each part, and what a server-side
//! parser (`multer`, as axum uses it) reads from them: one name and one content type per file.

use e2e_tests::{Behaviour, RawRequest, RawServer};
use multipart_files::types::{Attachment, PutReportBody, UploadAvatarBody, UploadDocumentsBody};
use multipart_files::{Client, Error, FilePart, Multipart, Nullable, Part};

fn ok() -> Behaviour {
    Behaviour::json("200 OK", "{}")
}

fn no_content() -> Behaviour {
    Behaviour::Respond("HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned())
}

fn client(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn boundary(req: &RawRequest) -> String {
    let ct = req.header("content-type");
    ct.strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("multipart content type, got {ct}"))
        .to_owned()
}

/// One part as a server reads it.
#[derive(Debug, PartialEq)]
struct Received {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn received(name: &str, file_name: Option<&str>, content_type: Option<&str>, data: &[u8]) -> Received {
    Received {
        name: name.to_owned(),
        file_name: file_name.map(str::to_owned),
        content_type: content_type.map(str::to_owned),
        data: data.to_vec(),
    }
}

/// Parses the recorded body with `multer`, the way a Rust server would.
async fn parse(req: &RawRequest) -> Vec<Received> {
    let body = bytes::Bytes::from(req.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary(req));
    let mut out = Vec::new();
    while let Some(field) = form.next_field().await.expect("a well-formed multipart body") {
        let name = field.name().expect("every part is named").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(|m| m.to_string());
        let data = field.bytes().await.expect("part body").to_vec();
        out.push(Received {
            name,
            file_name,
            content_type,
            data,
        });
    }
    out
}

#[tokio::test]
async fn a_file_part_carries_its_file_name_and_content_type() {
    let server = RawServer::start(ok()).await;
    let client = client(&server);
    let body = UploadAvatarBody::new(
        FilePart::new(b"\xff\xd8jpeg".to_vec())
            .file_name("me.jpg")
            .content_type("image/jpeg"),
        "ann",
    );
    client.upload_avatar(&body).send().await.expect("200");
    let req = &server.requests()[0];
    assert_eq!(req.request_line, "POST /avatar HTTP/1.1");
    let b = boundary(req);
    let mut want = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    want.extend_from_slice(b"\xff\xd8jpeg");
    want.extend_from_slice(
        format!("\r\n--{b}\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nann\r\n--{b}--\r\n").as_bytes(),
    );
    assert_eq!(req.body, want, "{}", String::from_utf8_lossy(&req.body));
}

#[tokio::test]
async fn without_a_name_or_type_the_spec_defaults_apply() {
    let server = RawServer::start(ok()).await;
    let client = client(&server);
    let mut body = UploadAvatarBody::new(b"png", "ann");
    // `image/*` in the spec is no type a part can carry: the default is `application/octet-stream`.
    body.thumbnail = Nullable::Value(FilePart::new(b"small".to_vec()).file_name("t.png"));
    client.upload_avatar(&body).send().await.expect("200");
    let req = &server.requests()[0];
    let b = boundary(req);
    assert_eq!(
        req.body_text(),
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: image/png\r\n\r\npng\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"thumbnail\"; filename=\"t.png\"\r\nContent-Type: application/octet-stream\r\n\r\nsmall\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nann\r\n--{b}--\r\n"
        )
    );
}

#[tokio::test]
async fn two_files_in_one_request_keep_two_names_and_two_types() {
    let server = RawServer::start(ok()).await;
    let client = client(&server);
    let mut body = UploadDocumentsBody::new([
        FilePart::new(b"%PDF-1.7".to_vec())
            .file_name("contract.pdf")
            .content_type("application/pdf"),
        FilePart::new("a,b\n1,2\n".to_owned())
            .file_name("table.csv")
            .content_type("text/csv"),
    ]);
    // The 3.1 `contentMediaType` of `cover` is its default type; a list of texts is one part each.
    body.cover = Some(FilePart::new(b"cover".to_vec()).file_name("cover.pdf"));
    body.tags = Some(vec!["q1".into(), "legal".into()]);
    client.upload_documents(&body).send().await.expect("200");
    let parts = parse(&server.requests()[0]).await;
    assert_eq!(
        parts,
        [
            received("files", Some("contract.pdf"), Some("application/pdf"), b"%PDF-1.7"),
            received("files", Some("table.csv"), Some("text/csv"), b"a,b\n1,2\n"),
            received("cover", Some("cover.pdf"), Some("application/pdf"), b"cover"),
            received("tags", None, None, b"q1"),
            received("tags", None, None, b"legal"),
        ]
    );
}

#[tokio::test]
async fn files_convert_from_bytes_and_keep_the_defaults() {
    let server = RawServer::start(ok()).await;
    let client = client(&server);
    let body = UploadDocumentsBody::new([b"one".to_vec(), b"two".to_vec()]);
    client.upload_documents(&body).send().await.expect("200");
    let parts = parse(&server.requests()[0]).await;
    assert_eq!(
        parts,
        [
            received("files", Some("files"), Some("application/octet-stream"), b"one"),
            received("files", Some("files"), Some("application/octet-stream"), b"two"),
        ]
    );
}

#[tokio::test]
async fn an_absent_optional_file_sends_no_part() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    let body = PutReportBody {
        year: Some(2024),
        ..PutReportBody::default()
    };
    client.put_report().body(&body).send().await.expect("204");
    let with_report = PutReportBody {
        report: Some(b"y\n2024\n".into()),
        year: None,
    };
    client.put_report().body(&with_report).send().await.expect("204");
    let reqs = server.requests();
    assert_eq!(parse(&reqs[0]).await, [received("year", None, None, b"2024")]);
    assert_eq!(
        parse(&reqs[1]).await,
        [received("report", Some("report"), Some("text/csv"), b"y\n2024\n")]
    );
}

#[tokio::test]
async fn a_form_built_by_hand_replaces_the_typed_body() {
    let server = RawServer::start(ok()).await;
    let client = client(&server);
    let typed = UploadAvatarBody::new(b"ignored", "ignored");
    let form = Multipart::new()
        .text("user", "bob")
        .file("file", "bob.gif", "image/gif", b"GIF89a".to_vec())
        .part("extra", Part::text("{}").content_type("application/json"));
    client.upload_avatar(&typed).multipart(form).send().await.expect("200");
    let parts = parse(&server.requests()[0]).await;
    assert_eq!(
        parts,
        [
            received("user", None, None, b"bob"),
            received("file", Some("bob.gif"), Some("image/gif"), b"GIF89a"),
            received("extra", None, Some("application/json"), b"{}"),
        ]
    );
}

#[tokio::test]
async fn an_invalid_part_type_fails_before_sending() {
    let server = RawServer::start(ok()).await;
    let client = client(&server);
    let body = UploadAvatarBody::new(
        FilePart::new(b"x".to_vec()).content_type("image/png\r\nX-Evil: 1"),
        "ann",
    );
    let err = client.upload_avatar(&body).send().await.expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let form = Multipart::new().part("f", Part::bytes(b"x".to_vec()).content_type("a\nb"));
    let err = client
        .upload_avatar(&UploadAvatarBody::new(b"x", "ann"))
        .multipart(form)
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.requests().is_empty(), "nothing was sent");
}

/// `Attachment` is also a JSON body, so its file stays `Vec<u8>`: sent as a file part with the
/// defaults.
#[tokio::test]
async fn a_schema_shared_with_json_sends_bytes_with_the_defaults() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    let body = Attachment {
        data: b"raw".to_vec(),
        label: Some("l".into()),
    };
    client.add_attachment(&body).send().await.expect("204");
    let parts = parse(&server.requests()[0]).await;
    assert_eq!(
        parts,
        [
            received("data", Some("data"), Some("application/octet-stream"), b"raw"),
            received("label", None, None, b"l"),
        ]
    );
}

#[test]
fn a_file_part_debugs_without_its_content() {
    let file = FilePart::new(b"secret bytes".to_vec()).file_name("a.txt");
    let shown = format!("{file:?}");
    assert_eq!(
        shown,
        r#"FilePart { len: 12, file_name: Some("a.txt"), content_type: None }"#
    );
}
