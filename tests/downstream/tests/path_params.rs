//! The mock matches an operation by method and path template; `path_param` pins one parameter
//! to an exact (percent-decoded) value.

use ops_wire::mock::MockApi;

#[tokio::test]
async fn any_value_of_a_path_parameter_matches_the_template() {
    let api = MockApi::start().await;
    api.get_item().respond_204().expect(2).mount().await;
    let client = api.client();
    client.get_item("a").send().await.unwrap();
    client.get_item("b c/d").send().await.unwrap();
    api.verify().await;
}

#[tokio::test]
async fn a_pinned_path_parameter_matches_only_its_value() {
    let api = MockApi::start().await;
    api.get_item()
        .path_param("id", "b c/d")
        .respond_204()
        .expect(1)
        .mount()
        .await;
    let client = api.client();
    client.get_item("b c/d").send().await.unwrap();
    let other = client.get_item("b").send().await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    api.verify().await;
}

#[tokio::test]
async fn an_unknown_path_parameter_name_never_matches() {
    let api = MockApi::start().await;
    api.get_item()
        .path_param("no_such_param", "a")
        .respond_204()
        .expect(0)
        .mount()
        .await;
    let err = api.client().get_item("a").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn the_method_is_part_of_the_match() {
    let api = MockApi::start().await;
    // `DELETE /things/{id}` is mounted; `GET /things/{id}` is another operation.
    api.delete_thing().respond_204().expect(0).mount().await;
    let err = api.client().get_thing("x").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}
