//! The schemas of what paseto-auth's endpoints and guards send and take, as utoipa
//! [`ToSchema`] types: name them in an operation (`body = schema::TokenPair`) and utoipa adds
//! the schema to `components.schemas` under the name given here, once, however many operations
//! refer to it.
//!
//! They are marker types, not the runtime's: the orphan rule keeps this crate from implementing
//! utoipa's trait for [`paseto_auth::TokenPair`], and the runtime does not depend on utoipa (so
//! that a utoipa major version is a major version of this crate only). Each schema is written
//! from what the runtime serializes, and the tests hold the two together.

use std::borrow::Cow;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// `ToSchema` for a marker type: its schema is in `components.schemas` under `$name`.
macro_rules! named_schema {
    ($ty:ty, $name:expr) => {
        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

/// The name of [`TokenPair`] in `components.schemas`.
pub const TOKEN_PAIR: &str = "TokenPair";
/// The name of [`RefreshRequest`] in `components.schemas`.
pub const REFRESH_REQUEST: &str = "RefreshRequest";
/// The name of [`OAuthError`] in `components.schemas`.
pub const OAUTH_ERROR: &str = "OAuthError";

/// The schema of [`paseto_auth::TokenPair`] (named `TokenPair`): the body of a login that issues
/// a pair and of the refresh endpoint's 200, as an OAuth 2.0 token endpoint answers (RFC 6749,
/// section 5.1).
///
/// ```
/// use paseto_auth_openapi::schema;
///
/// #[derive(utoipa::ToSchema)]
/// struct Credentials { email: String, password: String }
///
/// /// Logs in with a password.
/// #[utoipa::path(post, path = "/auth/login", request_body = Credentials, responses(
///     (status = 200, description = "A new token pair", body = schema::TokenPair),
///     (status = 400, description = "Wrong credentials (`invalid_grant`)", body = schema::OAuthError),
/// ))]
/// async fn login() {}
///
/// #[derive(utoipa::OpenApi)]
/// #[openapi(paths(login))]
/// struct ApiDoc;
///
/// use utoipa::OpenApi;
/// let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
/// let ok = &doc["paths"]["/auth/login"]["post"]["responses"]["200"];
/// assert_eq!(ok["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/TokenPair");
/// assert_eq!(doc["components"]["schemas"]["TokenPair"]["required"][0], "access_token");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TokenPair;

impl PartialSchema for TokenPair {
    fn schema() -> RefOr<Schema> {
        let seconds = |description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(0))
                .description(Some(description))
        };
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "An access token and its refresh token (RFC 6749, section 5.1). Sent with `Cache-Control: no-store` and `Pragma: no-cache`.",
            ))
            .property(
                "access_token",
                string("The access token: what the guarded routes accept, in `Authorization: Bearer`."),
            )
            .required("access_token")
            .property(
                "token_type",
                string("Always `Bearer`.").enum_values(Some(["Bearer"])),
            )
            .required("token_type")
            .property("expires_in", seconds("Seconds the access token lives."))
            .required("expires_in")
            .property(
                "refresh_token",
                string("The refresh token: accepted once, by the refresh endpoint only."),
            )
            .required("refresh_token")
            .property(
                "refresh_expires_in",
                seconds("Seconds the refresh token lives."),
            )
            .required("refresh_expires_in")
            .into()
    }
}

named_schema!(TokenPair, TOKEN_PAIR);

/// The schema of the refresh endpoint's request body (named `RefreshRequest`), as JSON
/// (`{"refresh_token": "…"}`) or a form (`grant_type=refresh_token&refresh_token=…`, RFC 6749,
/// section 6).
#[derive(Debug, Clone, Copy)]
pub struct RefreshRequest;

impl PartialSchema for RefreshRequest {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A refresh token to exchange for a new pair. Each refresh token is accepted once: a replay after its pair moved on ends the whole login (a retry within the reuse grace gets the same pair again).",
            ))
            .property("refresh_token", string("The pair's refresh token."))
            .required("refresh_token")
            .property(
                "grant_type",
                string("`refresh_token` when given; any other value is `unsupported_grant_type`.")
                    .enum_values(Some(["refresh_token"])),
            )
            .into()
    }
}

named_schema!(RefreshRequest, REFRESH_REQUEST);

/// The codes of [`OAuthError`], as the refresh endpoint sends them.
const OAUTH_CODES: [&str; 5] = [
    "invalid_request",
    "invalid_grant",
    "unsupported_grant_type",
    "temporarily_unavailable",
    "internal_error",
];

/// The schema of a token endpoint's error body (named `OAuthError`), `{"error": CODE}` (RFC
/// 6749, section 5.2): what the refresh endpoint answers when it gives no pair, and what a login
/// answers for wrong credentials (`invalid_grant`).
#[derive(Debug, Clone, Copy)]
pub struct OAuthError;

impl PartialSchema for OAuthError {
    fn schema() -> RefOr<Schema> {
        error_body(
            "A token endpoint's refusal (RFC 6749, section 5.2): `invalid_grant` (a refresh token that is used, revoked, expired, forged or not a refresh token; or wrong credentials at a login), `invalid_request` (no refresh token, a body that does not parse), `unsupported_grant_type`, `temporarily_unavailable` (the token store is down: retry), `internal_error`.",
            &OAUTH_CODES,
        )
        .into()
    }
}

named_schema!(OAuthError, OAUTH_ERROR);

/// The codes of [`PasetoError`], as the guards send them.
const GUARD_CODES: [&str; 7] = [
    "unauthorized",
    "invalid_token",
    "insufficient_user_authentication",
    "insufficient_scope",
    "csrf_token_invalid",
    "cross_site_request",
    "temporarily_unavailable",
];

/// The schema of a guard's refusal (named `PasetoError`, [`ERROR_SCHEMA`](crate::ERROR_SCHEMA)),
/// `{"error": CODE}`, with `kind` and `detail` when the application turned on
/// [`PasetoAuth::detailed_errors`](paseto_auth::extract::PasetoAuth::detailed_errors). The 401,
/// 403 and 503 answers [`PasetoSecurity`](crate::PasetoSecurity) adds carry it.
#[derive(Debug, Clone, Copy)]
pub struct PasetoError;

impl PartialSchema for PasetoError {
    fn schema() -> RefOr<Schema> {
        error_body(
            "An authentication failure: `unauthorized` (no token), `invalid_token`, `insufficient_user_authentication` (a fresh token is needed: log in again), `insufficient_scope`, `csrf_token_invalid` or `cross_site_request` (a token from a cookie, on an unsafe request that fails the CSRF checks), `temporarily_unavailable` (the revocation store is down).",
            &GUARD_CODES,
        )
        .property(
                "kind",
                string("With detailed errors only (development): the error kind, e.g. `expired`."),
            )
            .property(
                "detail",
                string("With detailed errors only (development): what failed, in words."),
            )
            .into()
    }
}

named_schema!(PasetoError, crate::ERROR_SCHEMA);

/// The crate's one error body, `{"error": CODE}` with `CODE` one of `codes`.
fn error_body(description: &str, codes: &[&str]) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(description))
        .property(
            "error",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(codes.iter().copied())),
        )
        .required("error")
}

/// A string property described as `description`.
fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}
