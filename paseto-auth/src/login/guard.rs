//! The check `#[login_required]` runs before the handler's extractors. It knows no user type, so
//! it reads the request's login state through the [`Gate`] the layer puts beside it.

use axum::http::request::Parts;

use super::context::{Gate, Status};
use super::refusal::{LoginRejection, Refusal};

/// Refuses the request unless someone is logged in (freshly, with `fresh`).
pub(crate) async fn check_login(parts: &Parts, fresh: bool) -> Result<(), LoginRejection> {
    let Some(Gate(gate)) = parts.extensions.get::<Gate>() else {
        return Err(LoginRejection::MissingLayer {
            requested: None,
            present: None,
        });
    };
    let refusal = match gate
        .status(&parts.headers)
        .await
        .map_err(LoginRejection::from)?
    {
        Status::Anonymous => Refusal::NotLoggedIn,
        Status::LoggedIn { fresh: false } if fresh => Refusal::NotFresh,
        Status::LoggedIn { .. } => return Ok(()),
    };
    Err(gate.refusals().refuse(parts, refusal))
}
