//! The runtime module copied into every generated crate (sources in `codegen/runtime/`).
//!
//! Shared code is written once here instead of being emitted per operation; the generated
//! operations call into it.

/// `(file name, source)` of each runtime file, written to `src/runtime/` of the generated crate.
pub const FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../runtime/auth.rs")),
    ("base64.rs", include_str!("../runtime/base64.rs")),
    ("builder.rs", include_str!("../runtime/builder.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("de.rs", include_str!("../runtime/de.rs")),
    ("defaults.rs", include_str!("../runtime/defaults.rs")),
    ("encoding.rs", include_str!("../runtime/encoding.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("file.rs", include_str!("../runtime/file.rs")),
    ("headers.rs", include_str!("../runtime/headers.rs")),
    ("mock.rs", include_str!("../runtime/mock.rs")),
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("nullable.rs", include_str!("../runtime/nullable.rs")),
    ("operation.rs", include_str!("../runtime/operation.rs")),
    ("paginate.rs", include_str!("../runtime/paginate.rs")),
    ("provider.rs", include_str!("../runtime/provider.rs")),
    ("request.rs", include_str!("../runtime/request.rs")),
    ("response.rs", include_str!("../runtime/response.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("sse.rs", include_str!("../runtime/sse.rs")),
    ("stream.rs", include_str!("../runtime/stream.rs")),
    ("union.rs", include_str!("../runtime/union.rs")),
];

/// Items of the runtime that the crate root re-exports.
pub fn reexports() -> Vec<proc_macro2::Ident> {
    [
        "ApiError",
        "AsyncProvider",
        "BuildError",
        "ByteStream",
        "Client",
        "ClientBuilder",
        "CredentialError",
        "CredentialFuture",
        "CredentialProvider",
        "DecodeError",
        "Error",
        "ErrorHeaders",
        "FilePart",
        "Hook",
        "InvalidRequest",
        "Items",
        "JsonStream",
        "JsonStreamError",
        "Multipart",
        "Nullable",
        "Pages",
        "PaginationError",
        "Part",
        "RequestOptions",
        "Response",
        "ResponseInfo",
        "RetryPolicy",
        "SendFuture",
        "TimeoutError",
        "TransportError",
        "UnexpectedResponse",
    ]
    .iter()
    .map(|n| proc_macro2::Ident::new(n, proc_macro2::Span::call_site()))
    .collect()
}

/// The runtime's doc examples name the crate `modbox`; in other crates they name that crate instead.
/// Only doc-comment lines change, and `crate_ident` is a validated crate name.
pub fn for_crate(source: &str, crate_ident: &str) -> String {
    if crate_ident == "modbox" {
        return source.to_owned();
    }
    let mut out = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("///") || trimmed.starts_with("//!") {
            out.push_str(&line.replace("modbox::", &format!("{crate_ident}::")));
        } else {
            out.push_str(line);
        }
    }
    out
}
