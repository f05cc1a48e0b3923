//! OpenAPI documentation of paseto-auth's guarded routes, for [utoipa](https://docs.rs/utoipa).
//!
//! A crate of its own (it turns on paseto-auth's `openapi` feature, the registry of guarded
//! routes), so that a utoipa major version is a major version of this crate only.
//!
//! [`PasetoSecurity`] is a [`utoipa::Modify`]: applied to a document, it adds the security
//! scheme `paseto` (HTTP bearer, `bearerFormat: PASETO`), and to each guarded operation the
//! security requirement (with the route's scopes, and `{}` beside it on an `optional` route),
//! the 401 and 403 answers (and the 503 of a revocation store, when asked), and a description of
//! what the token must satisfy.
//!
//! An operation is guarded when its operation id names a `#[paseto_required]` handler (utoipa's
//! operation id is the handler's name unless `operation_id = ..` says otherwise; every
//! `#[paseto_required]` handler registers its route when the `openapi` feature is on), or when
//! its path is behind a [`PasetoLayer`] given to [`PasetoSecurity::layer`].
//!
//! ```
//! use paseto_auth_openapi::PasetoSecurity;
//! use paseto_auth::{Paseto, paseto_required};
//! use utoipa::OpenApi;
//!
//! /// Orders the token may read.
//! #[utoipa::path(get, path = "/orders")]
//! #[paseto_required(aud = "api", scope = "read:orders")]
//! async fn list_orders(token: Paseto) -> String {
//!     token.registered.sub.unwrap_or_default()
//! }
//!
//! // utoipa takes a modifier as `&name`: a constant names the settings.
//! const PASETO: PasetoSecurity = PasetoSecurity::new();
//!
//! #[derive(OpenApi)]
//! #[openapi(paths(list_orders), modifiers(&PASETO))]
//! struct ApiDoc;
//!
//! let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
//! let operation = &doc["paths"]["/orders"]["get"];
//! assert_eq!(operation["security"], serde_json::json!([{ "paseto": ["read:orders"] }]));
//! assert_eq!(
//!     doc["components"]["securitySchemes"]["paseto"]["bearerFormat"],
//!     "PASETO"
//! );
//! ```
//!
//! What is documented are the default answers: an error handler set with
//! [`PasetoAuth::on_error`](paseto_auth::extract::PasetoAuth::on_error) answers what it chooses.
//!
//! The token endpoints: [`RefreshOperation`] documents a
//! [`RefreshEndpoint`](paseto_auth::refresh::RefreshEndpoint) (a tower service, which no
//! `#[utoipa::path]` can describe), and [`schema`] has the schemas of a [`TokenPair`](schema::TokenPair),
//! of the refresh request and of the error bodies, for an application's own login and logout
//! operations. The [guide] shows a whole service's document.

#[doc = include_str!("../docs/guide.md")]
pub mod guide {}

mod refresh;
pub mod schema;

pub use refresh::{REFRESH_OPERATION_ID, RefreshOperation};

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    Components, ContentBuilder, Header, OpenApi, Ref, RefOr, Response, ResponseBuilder,
};
use utoipa::{Modify, PartialSchema};

use paseto_auth::__private::{RegisteredRoute, Route, inventory};
use paseto_auth::extract::{PasetoLayer, TokenSource};

/// The name of the bearer security scheme [`PasetoSecurity`] adds.
pub const SCHEME: &str = "paseto";

/// The name of the 401 response in `components.responses`.
pub const UNAUTHORIZED: &str = "PasetoUnauthorized";
/// The name of the 403 response in `components.responses`.
pub const FORBIDDEN: &str = "PasetoForbidden";
/// The name of the 503 response in `components.responses`.
pub const UNAVAILABLE: &str = "PasetoUnavailable";
/// The name of the error body's schema in `components.schemas`: `{"error": CODE}`.
pub const ERROR_SCHEMA: &str = "PasetoError";

/// Documents guarded routes in a utoipa OpenAPI document; see the [module](self).
///
/// For `#[paseto_required]` handlers, name a constant in `#[openapi(modifiers(..))]`
/// (`const PASETO: PasetoSecurity = PasetoSecurity::new();`, then `modifiers(&PASETO)`); for
/// routes behind a [`PasetoLayer`], add it with [`layer`](Self::layer) and call
/// [`modify`](Modify::modify) on the document.
///
/// ```
/// use axum::{Router, routing::get};
/// use paseto_auth::extract::{PasetoAuth, PasetoLayer};
/// use paseto_auth_openapi::PasetoSecurity;
/// use paseto_auth::Requirements;
/// use utoipa::{Modify, OpenApi};
///
/// /// Everything under /admin.
/// #[utoipa::path(get, path = "/admin/stats")]
/// async fn stats() -> &'static str { "{}" }
///
/// #[derive(OpenApi)]
/// #[openapi(paths(stats))]
/// struct ApiDoc;
///
/// fn app(auth: PasetoAuth) -> (Router, utoipa::openapi::OpenApi) {
///     let guard = PasetoLayer::required(auth.clone(), Requirements::new().audience("admin"));
///     let mut doc = ApiDoc::openapi();
///     PasetoSecurity::new().layer("/admin", &guard).modify(&mut doc);
///     let admin = Router::new().route("/stats", get(stats)).route_layer(guard);
///     (Router::new().nest("/admin", admin).with_state(auth), doc)
/// }
/// # let key = paseto_auth::key::SecretKey::generate(paseto_auth::Version::V4).unwrap();
/// # let verifier = paseto_auth::Verifier::builder()
/// #     .public_key(key.public_key().clone(), "https://issuer.example").build().unwrap();
/// let (_, doc) = app(PasetoAuth::new(verifier));
/// let doc = serde_json::to_value(doc).unwrap();
/// assert_eq!(doc["paths"]["/admin/stats"]["get"]["security"], serde_json::json!([{ "paseto": [] }]));
/// ```
#[derive(Debug, Clone, Default)]
pub struct PasetoSecurity {
    layers: Vec<(String, Arc<Route>)>,
    token_source: Option<TokenSource>,
    unavailable: bool,
}

impl PasetoSecurity {
    /// Documents the `#[paseto_required]` handlers, their tokens taken from an `Authorization:
    /// Bearer` header unless the route says otherwise.
    pub const fn new() -> Self {
        PasetoSecurity {
            layers: Vec::new(),
            token_source: None,
            unavailable: false,
        }
    }

    /// Documents every operation at `path` or under it (`"/admin"`: `/admin`, `/admin/users`,
    /// not `/administration`; `"/"`: every path) as guarded by `layer`, with its requirements
    /// and source. Give the full path the routes are served at, with any `nest` prefix.
    #[must_use]
    pub fn layer(mut self, path: &str, layer: &PasetoLayer) -> Self {
        let prefix = path.trim_end_matches('/').to_owned();
        self.layers
            .push((prefix, Arc::clone(layer.check().route())));
        self
    }

    /// Where the application's `PasetoAuth` reads tokens
    /// ([`PasetoAuth::token_source`](paseto_auth::extract::PasetoAuth::token_source)), for the routes
    /// that do not name their own source: a cookie or query source is documented as an API-key
    /// scheme (`paseto_cookie_NAME`, `paseto_query_NAME`), a header or custom one as `paseto`.
    #[must_use]
    pub fn token_source(mut self, source: TokenSource) -> Self {
        self.token_source = Some(source);
        self
    }

    /// The guards ask a revocation store that fails closed: document its 503
    /// (`temporarily_unavailable`, `Retry-After: 1`) on every guarded operation.
    #[must_use]
    pub fn revocation_store(mut self) -> Self {
        self.unavailable = true;
        self
    }

    /// What one guard requires: security alternatives (any of them), and a description.
    fn guard_doc(&self, route: &Route, schemes: &mut Schemes) -> GuardDoc {
        let default_source = TokenSource::Header;
        let source = route
            .source
            .as_ref()
            .or(self.token_source.as_ref())
            .unwrap_or(&default_source);
        let scopes = route.requirements.scopes();
        let alternatives = schemes
            .for_source(source)
            .into_iter()
            .map(|scheme| BTreeMap::from([(scheme, scopes.to_vec())]))
            .collect();
        GuardDoc {
            alternatives,
            optional: route.optional,
            description: describe(route),
        }
    }

    /// Documents `operation` as guarded by `guards` (layers first, then the handler's own);
    /// `note` is appended to its description.
    fn document(&self, operation: &mut Operation, guards: &[GuardDoc], note: Option<&str>) {
        // Every guard applies: a request meets one alternative of each.
        let mut alternatives: Vec<BTreeMap<String, Vec<String>>> = vec![BTreeMap::new()];
        for guard in guards {
            let mut combined = Vec::new();
            for before in &alternatives {
                for alternative in &guard.alternatives {
                    let mut merged = before.clone();
                    for (scheme, scopes) in alternative {
                        let entry = merged.entry(scheme.clone()).or_default();
                        for scope in scopes {
                            if !entry.contains(scope) {
                                entry.push(scope.clone());
                            }
                        }
                    }
                    if !combined.contains(&merged) {
                        combined.push(merged);
                    }
                }
            }
            alternatives = combined;
        }
        let mut security: Vec<SecurityRequirement> =
            alternatives.into_iter().map(requirement).collect();
        // A request without a token passes only when every guard lets it.
        if guards.iter().all(|guard| guard.optional) {
            security.push(SecurityRequirement::default());
        }
        operation.security = Some(security);

        let responses = &mut operation.responses.responses;
        let mut add = |status: &str, name: &str| {
            responses
                .entry(status.to_owned())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
        };
        add("401", UNAUTHORIZED);
        add("403", FORBIDDEN);
        if self.unavailable {
            add("503", UNAVAILABLE);
        }

        // A paragraph already there is not added again: a document modified twice (a derived
        // document's modifier, then `layer(..)`) reads the same.
        let mut description = operation.description.take().unwrap_or_default();
        let paragraphs = guards.iter().map(|guard| guard.description.as_str());
        for paragraph in paragraphs.chain(note) {
            if description
                .split("\n\n")
                .any(|present| present == paragraph)
            {
                continue;
            }
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(paragraph);
        }
        operation.description = Some(description);
    }
}

impl Modify for PasetoSecurity {
    fn modify(&self, openapi: &mut OpenApi) {
        let mut registered: BTreeMap<&str, Vec<&Route>> = BTreeMap::new();
        for entry in inventory::iter::<RegisteredRoute> {
            registered
                .entry(entry.operation_id())
                .or_default()
                .push(entry.route());
        }
        let mut schemes = Schemes::default();
        let mut guarded = false;
        for (path, item) in &mut openapi.paths.paths {
            let layers: Vec<GuardDoc> = self
                .layers
                .iter()
                .filter(|(prefix, _)| is_under(path, prefix))
                .map(|(_, route)| self.guard_doc(route, &mut schemes))
                .collect();
            for operation in operations(item) {
                let mut guards = layers.clone();
                let mut note = None;
                let handlers = operation
                    .operation_id
                    .as_deref()
                    .and_then(|id| registered.get(id));
                if let Some(routes) = handlers {
                    let mut docs: Vec<GuardDoc> = Vec::new();
                    for route in routes {
                        let doc = self.guard_doc(route, &mut schemes);
                        if !docs.contains(&doc) {
                            docs.push(doc);
                        }
                    }
                    if docs.len() > 1 {
                        // Handlers of one name in several modules, guarded differently: the
                        // document cannot tell them apart, so it states what all of them ask.
                        note = Some(format!(
                            "Several `#[paseto_required]` handlers are named `{}`: this operation is documented as guarded by each of them.",
                            operation.operation_id.as_deref().unwrap_or_default()
                        ));
                    }
                    guards.extend(docs);
                }
                if guards.is_empty() {
                    continue;
                }
                guarded = true;
                self.document(operation, &guards, note.as_deref());
            }
        }

        let components = openapi.components.get_or_insert_with(Components::new);
        components.add_security_scheme(SCHEME, bearer_scheme());
        for (name, scheme) in schemes.api_keys {
            components.add_security_scheme(name, scheme);
        }
        if guarded {
            add_responses(components, self.unavailable);
        }
    }
}

/// One guard of an operation, as documented.
#[derive(Clone, PartialEq)]
struct GuardDoc {
    /// Security requirements, any of which the guard accepts (a token source per scheme).
    alternatives: Vec<BTreeMap<String, Vec<String>>>,
    optional: bool,
    description: String,
}

/// The API-key schemes the documented sources use (the bearer scheme is always there).
#[derive(Default)]
struct Schemes {
    api_keys: BTreeMap<String, SecurityScheme>,
}

impl Schemes {
    /// The schemes a token from `source` is sent by: several for `any_of`.
    fn for_source(&mut self, source: &TokenSource) -> Vec<String> {
        let mut names = Vec::new();
        self.collect(source, &mut names);
        names
    }

    fn collect(&mut self, source: &TokenSource, names: &mut Vec<String>) {
        let name = match source {
            TokenSource::Header | TokenSource::Custom(_) => SCHEME.to_owned(),
            TokenSource::Cookie(cookie) => {
                let name = format!("paseto_cookie_{}", component_name(cookie));
                let description = format!("A PASETO token in the cookie `{cookie}`.");
                let value = ApiKeyValue::with_description(cookie.to_string(), description);
                self.api_keys
                    .insert(name.clone(), SecurityScheme::ApiKey(ApiKey::Cookie(value)));
                name
            }
            TokenSource::Query(parameter) => {
                let name = format!("paseto_query_{}", component_name(parameter));
                let description =
                    format!("A PASETO token in the query-string parameter `{parameter}`.");
                let value = ApiKeyValue::with_description(parameter.to_string(), description);
                self.api_keys
                    .insert(name.clone(), SecurityScheme::ApiKey(ApiKey::Query(value)));
                name
            }
            TokenSource::AnyOf(sources) => {
                for source in sources.iter() {
                    self.collect(source, names);
                }
                return;
            }
            // `TokenSource` is non-exhaustive: a source added later documents as the bearer
            // scheme until it is described here.
            _ => SCHEME.to_owned(),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
}

/// `name` as a component name may be written (`^[a-zA-Z0-9._-]+$`): other characters become `_`.
fn component_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A security requirement object from scheme names and their scopes.
fn requirement(schemes: BTreeMap<String, Vec<String>>) -> SecurityRequirement {
    schemes.into_iter().fold(
        SecurityRequirement::default(),
        |requirement, (scheme, scopes)| requirement.add(scheme, scopes),
    )
}

/// Whether `path` is `prefix` or below it, segment-wise (`prefix` has no trailing `/`).
fn is_under(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// The operations of a path item, in the order of its fields.
fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// The description of what a route's token must satisfy (Markdown).
fn describe(route: &Route) -> String {
    let requirements = &route.requirements;
    let mut text = String::from(if route.optional {
        "PASETO token optional: a request without one is served anonymously; a token that is sent must be valid and meet the requirements."
    } else {
        "PASETO token required."
    });
    let list = |values: &[String], or: &str| {
        values
            .iter()
            .map(|value| format!("`{value}`"))
            .collect::<Vec<_>>()
            .join(or)
    };
    let mut line = |label: &str, value: String| {
        let _ = write!(text, "\n- {label}: {value}");
    };
    if !requirements.issuers().is_empty() {
        line("issuer", list(requirements.issuers(), " or "));
    }
    if !requirements.audiences().is_empty() {
        line("audience", list(requirements.audiences(), " or "));
    }
    if let Some(subject) = requirements.required_subject() {
        line("subject", format!("`{subject}`"));
    }
    if let Some(jti) = requirements.required_token_id() {
        line("token id", format!("`{jti}`"));
    }
    if !requirements.scopes().is_empty() {
        line("scopes", list(requirements.scopes(), ", "));
    }
    if !requirements.claims().is_empty() {
        line("claims present", list(requirements.claims(), ", "));
    }
    for (name, value) in requirements.claim_values() {
        line(&format!("claim `{name}`"), format!("`{value}`"));
    }
    if let Some(version) = requirements.required_version() {
        line("version", format!("`{version}`"));
    }
    if let Some(purpose) = requirements.required_purpose() {
        line("purpose", format!("`{purpose}`"));
    }
    if requirements.requires_fresh() {
        line(
            "fresh",
            "issued from credentials, not from a refresh (otherwise 401 `insufficient_user_authentication`)"
                .to_owned(),
        );
    }
    text
}

/// The scheme `paseto`: `Authorization: Bearer <token>`.
fn bearer_scheme() -> SecurityScheme {
    SecurityScheme::Http(
        HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("PASETO")
            .description(Some(
                "A PASETO token (v4 or v3; local or public) in `Authorization: Bearer <token>`.",
            ))
            .build(),
    )
}

/// The 401, 403 (and 503) answers, and the schema of their body.
fn add_responses(components: &mut Components, unavailable: bool) {
    components
        .schemas
        .insert(ERROR_SCHEMA.to_owned(), schema::PasetoError::schema());

    let challenge = |description: &str| {
        Header::builder()
            .schema(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(description))
            .build()
    };
    let body = || {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(ERROR_SCHEMA)))
            .build()
    };
    let responses: [(&str, Response); 2] = [
        (
            UNAUTHORIZED,
            ResponseBuilder::new()
                .description(
                    "No token (`unauthorized`), a token that is not valid (`invalid_token`: malformed, expired, forged, revoked, of another key, version or purpose), or a token that is not fresh where a fresh one is required (`insufficient_user_authentication`).",
                )
                .header(
                    "WWW-Authenticate",
                    challenge(
                        "`Bearer`, or `Bearer error=\"invalid_token\"` (RFC 6750), or `Bearer error=\"insufficient_user_authentication\"` (RFC 9470).",
                    ),
                )
                .content("application/json", body())
                .build(),
        ),
        (
            FORBIDDEN,
            ResponseBuilder::new()
                .description(
                    "An authentic token that fails a requirement of the route or of the verifier: issuer, audience, subject, claims, scopes, claim values, or the route's check (`insufficient_scope`); or, for a token from a cookie, an unsafe request that fails the CSRF checks (`csrf_token_invalid`, `cross_site_request`).",
                )
                .header(
                    "WWW-Authenticate",
                    challenge(
                        "`Bearer error=\"insufficient_scope\"` (RFC 6750); not sent on a CSRF refusal.",
                    ),
                )
                .content("application/json", body())
                .build(),
        ),
    ];
    for (name, response) in responses {
        components
            .responses
            .insert(name.to_owned(), RefOr::T(response));
    }
    if unavailable {
        let retry = Header::builder()
            .schema(ObjectBuilder::new().schema_type(Type::Integer))
            .description(Some("Seconds to wait before trying again: `1`."))
            .build();
        let response = ResponseBuilder::new()
            .description(
                "The revocation store could not be asked, and fails closed (`temporarily_unavailable`).",
            )
            .header("Retry-After", retry)
            .content("application/json", body())
            .build();
        components
            .responses
            .insert(UNAVAILABLE.to_owned(), RefOr::T(response));
    }
}
