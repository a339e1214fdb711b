//! A small piece of application code on top of the generated `modbox` client, the way a user of
//! the crate writes it. Its tests (`tests/publish.rs`) run it against `modbox::mock::MockApi`.

use std::fmt;

use modbox::operations::CreateSandboxImageError;
use modbox::types::{SandboxImageCreate, SandboxImageDetail, ValidationErrorLocItems};

/// What can go wrong when publishing an image, in the application's own terms.
#[derive(Debug)]
pub enum PublishError {
    /// The API rejected the request; one message per invalid field (`body.name: too long`).
    Rejected(Vec<String>),
    /// Anything else (transport, unexpected status, undecodable body).
    Other(modbox::Error<CreateSandboxImageError>),
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rejected(problems) => write!(f, "image rejected: {}", problems.join("; ")),
            Self::Other(e) => write!(f, "could not publish the image: {e}"),
        }
    }
}

impl std::error::Error for PublishError {}

/// Creates an image named `name` from `image` with `memory_mb` of memory, in `workspace`.
pub async fn publish_image(
    client: &modbox::Client,
    workspace: &str,
    name: &str,
    image: &str,
    memory_mb: i64,
) -> Result<SandboxImageDetail, PublishError> {
    let mut body = SandboxImageCreate::new(image, name);
    body.memory_mb = memory_mb;
    match client
        .create_sandbox_image(&body)
        .x_workspace_id(workspace)
        .send()
        .await
    {
        Ok(image) => Ok(image),
        Err(modbox::Error::Api(e)) => {
            let CreateSandboxImageError::UnprocessableEntity(v) = e.into_body();
            let problems = v
                .detail
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    let loc: Vec<String> = d
                        .loc
                        .iter()
                        .map(|l| match l {
                            ValidationErrorLocItems::String(s) => s.clone(),
                            ValidationErrorLocItems::Integer(i) => i.to_string(),
                        })
                        .collect();
                    format!("{}: {}", loc.join("."), d.msg)
                })
                .collect();
            Err(PublishError::Rejected(problems))
        }
        Err(e) => Err(PublishError::Other(e)),
    }
}
