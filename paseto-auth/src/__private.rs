//! Not public API: what the macros' generated code calls. Names here may change at any time.
//!
//! What `#[derive(PasetoClaims)]` needs is here without features; the guards and session items
//! need the `axum` feature.

pub use std::sync::LazyLock;
pub use std::time::Duration;

pub use serde::de::DeserializeOwned;

pub use crate::Requirements;
pub use crate::claims::ClaimField;
pub use crate::claims::{ClaimShape, ValueKind};
pub use crate::{Purpose, Version};

use crate::claims::{PasetoClaims, Timestamp};

#[cfg(feature = "axum")]
mod claim_check;
#[cfg(feature = "axum")]
mod guards;
#[cfg(feature = "axum")]
pub use claim_check::*;
#[cfg(feature = "axum")]
pub use guards::*;

/// Types a registered time claim (`exp`, `nbf`, `iat`) may have in a claims struct.
#[diagnostic::on_unimplemented(
    message = "a registered time claim must be a time, not `{Self}`",
    label = "`exp`, `nbf` and `iat` are RFC 3339 times",
    note = "use `paseto_auth::Timestamp` or `Option<paseto_auth::Timestamp>`"
)]
pub trait TimeClaim {}

impl TimeClaim for Timestamp {}
impl TimeClaim for Option<Timestamp> {}
impl TimeClaim for time::OffsetDateTime {}
impl TimeClaim for Option<time::OffsetDateTime> {}

/// Compiles only when `T` is a time type (checked by `#[derive(PasetoClaims)]`).
pub const fn assert_time_claim<T: ?Sized + TimeClaim>() {}

/// Types that read a missing claim: what a field with `#[paseto(optional)]` and no
/// `#[serde(default)]` must be, for a token without the claim to deserialize.
#[diagnostic::on_unimplemented(
    message = "`#[paseto(optional)]` on a field of type `{Self}`, which serde requires: a token without this claim would fail to deserialize",
    label = "serde has no value for this field when the claim is missing",
    note = "add `#[serde(default)]` to the field, or make its type an `Option<..>`"
)]
pub trait OptionalClaim {}

impl<T> OptionalClaim for Option<T> {}

/// Compiles only when `T` reads a missing claim (checked by `#[derive(PasetoClaims)]`).
pub const fn assert_optional_claim<T: ?Sized + OptionalClaim>() {}

/// Compiles only when `C` implements [`PasetoClaims`] (checked by `#[paseto_required]`).
pub const fn assert_claims_type<C: PasetoClaims>() {}

/// Whether `C` has the claim `name` (or its claims are not known): `#[paseto_required]` asserts
/// it, at the claim's name, for each custom claim of `claims(..)`.
pub const fn has_claim<C: PasetoClaims>(name: &str) -> bool {
    crate::claims::has_claim::<C>(name)
}

/// Whether `C` reads the claim `name` as `kind` values: `#[paseto_required]` asserts it does
/// not, at a `claim(..)` literal of a kind that can never equal them.
pub const fn reads_claim_as<C: PasetoClaims>(name: &str, kind: ValueKind) -> bool {
    crate::claims::reads_claim_as::<C>(name, kind)
}

/// Whether `C` reads the claim `name` as a list: `#[paseto_required]` asserts it does not for
/// `scope` when the route has `scope = ..`.
pub const fn reads_claim_as_list<C: PasetoClaims>(name: &str) -> bool {
    crate::claims::reads_claim_as_list::<C>(name)
}

// The OpenAPI registry: `#[paseto_required]` registers each handler's route with
// `register_route!(operation_id, RouteType)`, which is nothing without the `openapi` feature (the
// macro cannot see the runtime's features, so the choice is made here).
#[cfg(feature = "openapi")]
pub use inventory;

/// A `#[paseto_required]` handler, as its generated code registers it (read by the
/// `paseto-auth-openapi` crate).
#[cfg(feature = "openapi")]
pub struct RegisteredRoute {
    operation_id: &'static str,
    route: fn() -> &'static Route,
}

#[cfg(feature = "openapi")]
impl RegisteredRoute {
    /// The handler whose operation id is `operation_id`, guarded as `route` says.
    pub const fn new(operation_id: &'static str, route: fn() -> &'static Route) -> Self {
        RegisteredRoute {
            operation_id,
            route,
        }
    }

    /// The handler's operation id (its name).
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// How it is guarded.
    pub fn route(&self) -> &'static Route {
        (self.route)()
    }
}

#[cfg(feature = "openapi")]
inventory::collect!(RegisteredRoute);

/// Registers a `#[paseto_required]` route for the OpenAPI documentation.
#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __paseto_register_route {
    ($operation_id:expr, $route:ty) => {
        $crate::__private::inventory::submit! {
            $crate::__private::RegisteredRoute::new(
                $operation_id,
                <$route as $crate::__private::RouteSpec>::route,
            )
        }
    };
}

/// Registers a `#[paseto_required]` route for the OpenAPI documentation: nothing without the
/// `openapi` feature.
#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __paseto_register_route {
    ($operation_id:expr, $route:ty) => {};
}

pub use crate::__paseto_register_route as register_route;

/// The claims of a bare `Paseto` (what `check = ..` takes on such a handler).
pub type UntypedClaims = serde_json::Map<String, serde_json::Value>;
