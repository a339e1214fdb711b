//! Prints the server's OpenAPI document. Re-export the committed copy with
//! `cargo run -p interop-axum-server --bin export-openapi > tests/interop/axum/openapi.json`.

fn main() {
    print!("{}", interop_axum_server::openapi_json());
}
