//! [`RefreshOperation`]: the operation of a [`RefreshEndpoint`], which is a tower service rather
//! than a handler, so no `#[utoipa::path]` can describe it.
//!
//! [`RefreshEndpoint`]: paseto_auth::refresh::RefreshEndpoint

use std::borrow::Cow;

use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{
    Components, ContentBuilder, Header, OpenApi, Ref, Required, ResponseBuilder, Responses,
};
use utoipa::{Modify, PartialSchema, ToSchema};

use crate::schema::{OAuthError, RefreshRequest, TokenPair};

/// The operation id of the refresh operation.
pub const REFRESH_OPERATION_ID: &str = "token_refresh";

/// Documents a [`RefreshEndpoint`] mounted at a path: `POST path` taking a [`RefreshRequest`]
/// (JSON or form), answering 200 with a [`TokenPair`], 400 with an [`OAuthError`]
/// (`invalid_grant`, `invalid_request`, `unsupported_grant_type`), 503 (`temporarily_unavailable`,
/// `Retry-After: 1`) and 500 (`internal_error`), every answer `Cache-Control: no-store`; and with
/// `security: []`, since the refresh token is the credential and no access token is asked for.
/// The three schemas are added to `components.schemas`, once.
///
/// Give the path the endpoint is served at, with any `nest` prefix. A refresh token in the
/// refresh cookie ([`RefreshEndpoint::cookie`]) is not documented: the operation describes the
/// body, which the endpoint always takes.
///
/// ```
/// use paseto_auth_openapi::RefreshOperation;
/// use utoipa::OpenApi;
///
/// // utoipa takes a modifier as `&name`: a constant names it.
/// const REFRESH: RefreshOperation = RefreshOperation::new("/auth/refresh");
///
/// #[derive(OpenApi)]
/// #[openapi(modifiers(&REFRESH))]
/// struct ApiDoc;
///
/// let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
/// let refresh = &doc["paths"]["/auth/refresh"]["post"];
/// assert_eq!(refresh["security"], serde_json::json!([]));
/// assert_eq!(
///     refresh["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
///     "#/components/schemas/TokenPair"
/// );
/// ```
///
/// [`RefreshEndpoint`]: paseto_auth::refresh::RefreshEndpoint
/// [`RefreshEndpoint::cookie`]: paseto_auth::refresh::RefreshEndpoint::cookie
#[derive(Debug, Clone)]
pub struct RefreshOperation {
    path: Cow<'static, str>,
}

impl RefreshOperation {
    /// The endpoint served at `path` (e.g. `"/token/refresh"`).
    pub const fn new(path: &'static str) -> Self {
        RefreshOperation {
            path: Cow::Borrowed(path),
        }
    }

    /// The path documented.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl Modify for RefreshOperation {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Components::new);
        for (name, schema) in [
            (TokenPair::name(), TokenPair::schema()),
            (RefreshRequest::name(), RefreshRequest::schema()),
            (OAuthError::name(), OAuthError::schema()),
        ] {
            components.schemas.insert(name.into_owned(), schema);
        }
        openapi
            .paths
            .add_path_operation(self.path.as_ref(), vec![HttpMethod::Post], operation());
    }
}

/// `POST` of the refresh endpoint.
fn operation() -> Operation {
    let request = RefreshRequest::name();
    let body = RequestBodyBuilder::new()
        .description(Some(
            "The refresh token, as JSON or as a form (`grant_type=refresh_token&refresh_token=…`).",
        ))
        .required(Some(Required::True))
        .content("application/json", content(&request))
        .content("application/x-www-form-urlencoded", content(&request))
        .build();
    let pair = TokenPair::name();
    let error = OAuthError::name();
    // Every answer: `Cache-Control: no-store`.
    let answer = |description: &str, schema: &str| {
        ResponseBuilder::new()
            .description(description)
            .header("Cache-Control", header("`no-store`"))
            .content("application/json", content(schema))
    };
    let responses = [
        (
            "200",
            answer(
                "A new pair; its access token is not fresh (it was not issued from credentials).",
                &pair,
            )
            .header("Pragma", header("`no-cache`")),
        ),
        (
            "400",
            answer(
                "No pair: `invalid_grant` (a refresh token that is used, revoked, expired, forged or not a refresh token; a replay of a used one also ends its login), `invalid_request` (no refresh token, or a body that does not parse), `unsupported_grant_type`.",
                &error,
            ),
        ),
        (
            "500",
            answer(
                "No pair could be made (`internal_error`; the cause is logged).",
                &error,
            ),
        ),
        (
            "503",
            answer(
                "The token store is down (`temporarily_unavailable`): retry. The refresh may have been recorded; a retry within the reuse grace gets the same pair.",
                &error,
            )
            .header(
                "Retry-After",
                Header::builder()
                    .schema(ObjectBuilder::new().schema_type(Type::Integer))
                    .description(Some("Seconds to wait before trying again: `1`."))
                    .build(),
            ),
        ),
    ];
    let mut all = Responses::new();
    for (status, response) in responses {
        all.responses
            .insert(status.to_owned(), response.build().into());
    }
    OperationBuilder::new()
        .operation_id(Some(REFRESH_OPERATION_ID))
        .summary(Some("Renews a token pair."))
        .description(Some(
            "Exchanges a refresh token for a new pair. Each refresh token is accepted once: presented again after its pair moved on (outside the reuse grace), it ends the whole login, every token issued from it. No access token is needed: the refresh token is the credential.",
        ))
        .request_body(Some(body))
        .responses(all)
        // The refresh token is the credential: an empty list says no security scheme applies,
        // whatever the document's global security says.
        .securities(Some([]))
        .build()
}

/// JSON content of the schema named `name` in `components.schemas`.
fn content(name: &str) -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(name)))
        .build()
}

/// A string header described as `description`.
fn header(description: &str) -> Header {
    Header::builder()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .build()
}
