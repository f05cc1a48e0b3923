//! The check `#[login_required]` runs before the handler's extractors.

use axum::http::request::Parts;

use super::context::Resolved;
use super::extract::context;
use super::refusal::{LoginRejection, Refusal, refuse};

/// Refuses the request unless someone is logged in (freshly, with `fresh`).
pub(crate) async fn check_login(parts: &Parts, fresh: bool) -> Result<(), LoginRejection> {
    let context = context(parts)?;
    let refusal = match context
        .resolve(&parts.headers)
        .await
        .map_err(LoginRejection::Loader)?
    {
        Resolved::Anonymous => Refusal::NotLoggedIn,
        Resolved::User { fresh: false, .. } if fresh => Refusal::NotFresh,
        Resolved::User { .. } => return Ok(()),
    };
    Err(refuse(&context.shared.settings, parts, refusal))
}
