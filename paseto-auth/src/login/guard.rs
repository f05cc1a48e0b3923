//! The check `#[login_required]` runs before the handler's extractors, and [`LoginRequiredLayer`]
//! before every route of a router. It knows no user type, so it reads the request's login state
//! through the [`Gate`] the login manager's layer puts beside it.

use std::future::Future;
use std::pin::Pin;

use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::context::{Gate, Status};
use super::refusal::{LoginRejection, Refusal};
use crate::guard_layer::{Check, GuardLayer};

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

/// `#[login_required]` for every route of a router: add it with `Router::route_layer`, inside the
/// [`LoginManagerLayer`](super::LoginManagerLayer) (which must wrap it, as it wraps the
/// handlers). Refused requests get what the login manager's settings say (303 to the login URL
/// with `next` for browsers, 401 for API clients); the handlers behind it take
/// [`CurrentUser<U>`](super::CurrentUser) as usual.
///
/// ```
/// use axum::{Router, routing::get};
/// use paseto_auth::login::LoginRequiredLayer;
///
/// fn account_pages(pages: Router) -> Router {
///     pages.route_layer(LoginRequiredLayer::new())
/// }
/// # let _ = account_pages(Router::new().route("/", get(|| async { "" })));
/// ```
pub type LoginRequiredLayer = GuardLayer<LoginCheck>;

/// The check of a [`LoginRequiredLayer`]: logged in, freshly when `fresh`.
#[derive(Debug, Clone, Copy)]
pub struct LoginCheck {
    fresh: bool,
}

impl LoginRequiredLayer {
    /// Requires a login.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        GuardLayer::from_check(LoginCheck { fresh: false })
    }

    /// Requires a fresh login (`#[login_required(fresh)]`): one made with a password, not
    /// restored from the remember-me cookie.
    pub fn fresh() -> Self {
        GuardLayer::from_check(LoginCheck { fresh: true })
    }
}

impl Check for LoginCheck {
    fn check<'a>(
        &'a self,
        parts: &'a mut Parts,
    ) -> Pin<Box<dyn Future<Output = Result<(), Response>> + Send + 'a>> {
        Box::pin(async move {
            check_login(parts, self.fresh)
                .await
                .map_err(IntoResponse::into_response)
        })
    }
}
