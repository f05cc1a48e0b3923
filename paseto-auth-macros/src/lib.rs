//! Procedural macros for `paseto-auth`. Use them through the `paseto-auth` crate, which
//! re-exports them; the generated code names the runtime only as `::paseto_auth::__private`.
//!
//! Each macro parses its input, checks it, and expands it; every mistake is a compile error at
//! the offending tokens, all reported at once, and the macros never panic. On a mistake the
//! attribute macros emit the user's item unchanged beside the errors, and the derive emits a
//! stub impl, so one mistake does not cascade into others.

mod case;
mod claims;
mod cookie_name;
mod duration;
mod errors;
mod handler_fn;
mod login;
mod options;
mod required;
mod serde_attr;
mod session;

use proc_macro::TokenStream;

/// Derives `PasetoClaims` for a struct of custom claims, so it can be the `C` of `Paseto<C>`.
///
/// ```ignore
/// use paseto_auth::{PasetoClaims, Timestamp};
/// use serde::Deserialize;
///
/// #[derive(Deserialize, PasetoClaims)]
/// #[serde(rename_all = "camelCase")]
/// struct UserClaims {
///     user_id: String,          // claim "userId", required
///     nickname: Option<String>, // optional: an `Option`
///     #[serde(default)]
///     roles: Vec<String>,       // optional: `#[serde(default)]`
///     exp: Timestamp,           // a registered time claim must be a time
/// }
/// ```
///
/// Each field is a claim named as serde reads it (`#[serde(rename)]`, `rename(deserialize)`,
/// container `rename_all`); `skip`, `skip_deserializing` and `flatten` fields are not claims. A
/// claim is required unless its type is an `Option` or it has `#[serde(default)]` (on the field
/// or the struct). Field options override this:
///
/// - `#[paseto(optional)]`, `#[paseto(required)]`: the claim's requiredness (`optional` is for
///   an `Option` the derive cannot see, such as a type alias; serde must still accept a token
///   without the claim, so the field is an `Option` or has `#[serde(default)]`);
/// - `#[paseto(skip)]`: the field is not a claim.
///
/// Compile errors: not a struct with named fields; an unknown or repeated `#[paseto]` option;
/// both `optional` and `required`; two fields read from the same claim (by name or
/// `#[serde(alias)]`); a field named `exp`, `nbf` or `iat` whose type is not a time
/// (`Timestamp`, `time::OffsetDateTime`, or an `Option` of one); and what no token could be read
/// into: `#[serde(deny_unknown_fields)]` (every payload holds registered claims that are not
/// fields), `iss`, `sub`, `jti` or `aud` of a number or `bool` type (they are strings), and
/// `#[paseto(optional)]` on a field serde requires. The derive also lets `#[paseto_required]`
/// check claim names, and the literals of `claim(..)` against the fields' types.
#[proc_macro_derive(PasetoClaims, attributes(paseto))]
pub fn derive_paseto_claims(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    claims::derive(&input).into()
}

/// Guards an async axum handler: it runs only for requests with a valid token that meets the
/// options. Without a token the answer is 401, with an invalid one 401 (`invalid_token`), with
/// one that fails a requirement 403 (`insufficient_scope`).
///
/// ```ignore
/// use paseto_auth::{paseto_required, Paseto};
///
/// #[paseto_required(iss = "https://issuer.example", aud = "api", claims(roles))]
/// async fn me(token: Paseto<UserClaims>) -> String {
///     token.claims.user_id
/// }
/// ```
///
/// The macro pairs a guard with the handler's first argument (`token: Paseto<C>` becomes
/// `(guard, token): (Guard<..>, Paseto<C>)`, an extractor tuple), so it runs before any other
/// extractor (a body is not read for an unauthenticated request) and the handler keeps its number
/// of arguments; a handler without arguments gets the guard as its one. The guard verifies with
/// the `PasetoAuth` of the router state, and its outcome — the token verified against this route's
/// source and requirements, or "no token" on an `optional` route — is what a `Paseto<C>` or
/// `Option<Paseto<C>>` argument gets: it never reads another source nor verifies with weaker
/// requirements. A handler without such an argument is still guarded. It composes with
/// `#[login_required]` on the same handler, so the attribute written nearer the `fn` runs its
/// guard first; `#[axum::debug_handler]` may go above or below either.
///
/// Options, each at most once:
///
/// | option | meaning |
/// |---|---|
/// | `iss = "..."`, `iss = ["a", "b"]` | the issuer must be one of these |
/// | `aud = "..."`, `aud = ["a", "b"]` | the audience must be one of these |
/// | `sub = "..."` | the subject must be this |
/// | `claims(a, b, "x-y")` | these claims must be present |
/// | `version = "v4"` (`"v3"`, `"v2"`) | only this PASETO version |
/// | `purpose = "public"` (`"local"`) | only this purpose |
/// | `leeway = "30s"` | clock leeway for `exp`/`nbf`/`iat`: `<number><unit>` pairs, units `s`, `m`, `h`, `d` |
/// | `from = header`, `cookie("name")`, `query("name")` | where the token is (default: the `PasetoAuth`'s source) |
/// | `optional` | requests without a token get through (take `Option<Paseto<C>>`, which needs this option); a bad token is still refused |
/// | `fresh` | only a token issued from credentials just given (a pair's access token before any refresh); others get 401 `insufficient_user_authentication` |
/// | `scope = "read:orders write:orders"` | each of these OAuth scopes must be among the words of the token's `scope` claim, a string (a claims type reading `scope` as a list is refused: use `claim(scope = "..")`) |
/// | `claim(role = "admin", level = 3)` | each claim must have this value (an array claim holding it passes too); the literal must be of a kind the claim's field reads |
/// | `check = path` | a check of the typed claims: `fn(&C) -> bool`, or `async fn(&C, &T) -> Result<(), E>` with `T: FromRef<state>` (needs `state = ..`); a refusal is 403 `check_failed` |
/// | `state = AppState` | checks at the handler that the router state provides `PasetoAuth` (`FromRef`), with a readable error |
///
/// Compile errors, at the offending tokens: an unknown or repeated option; a value that is not a
/// (non-empty) string literal; an unknown version or purpose; a bad duration; an invalid cookie
/// name; a function that is not `async`; two `Paseto` arguments; `optional` with a `Paseto<C>`
/// (not `Option`) argument, and an `Option<Paseto<C>>` argument without `optional` (its `None`
/// would never come); a `state` that does not provide `PasetoAuth`; a claims type `C` that
/// does not implement `PasetoClaims`; a name in
/// `claims(..)` that is neither a registered claim nor a claim of `C` (when `C` derives
/// `PasetoClaims`; untyped claims such as `serde_json::Value` are checked at run time only);
/// a `claim(..)` literal no value of the field's type can equal (`level = "3"` or
/// `level = 3.0` for `level: u32`); `scope = ..` when `C` reads `scope` as a list. The last two
/// know the standard types by name: a field of another type (a newtype, an alias) is not checked.
#[proc_macro_attribute]
pub fn paseto_required(args: TokenStream, item: TokenStream) -> TokenStream {
    required::expand(args.into(), item.into()).into()
}

/// Makes a struct (with `Default`, `Serialize`, `Deserialize`) a typed session: `Session<T>`
/// then extracts it from an encrypted PASETO cookie (needs `SessionLayer`).
///
/// Options: `cookie = "session"`, `max_age = "14d"` (absent: a browser-session cookie, still with
/// an `exp` inside the token), `rolling`, `path = "/"`, `domain = "example.com"`,
/// `secure = false` (default true), `http_only = false` (default true),
/// `same_site = "strict" | "lax" | "none"` (default lax).
///
/// A crate has one session type per cookie name: a second type on the same name would overwrite
/// the first's cookie, so it is a compile error at its cookie name.
#[proc_macro_attribute]
pub fn paseto_session(args: TokenStream, item: TokenStream) -> TokenStream {
    session::expand(args.into(), item.into()).into()
}

/// Guards an async axum handler of a login manager: it runs only when a user is logged in. An
/// anonymous request is refused (a browser is redirected to the login URL with `next`, an API
/// client gets 401); with `fresh`, so is a login restored from the remember-me cookie rather
/// than made with credentials in this browser session.
///
/// ```ignore
/// use axum::Form;
/// use paseto_auth::login::CurrentUser;
/// use paseto_auth::login_required;
///
/// // `User` implements `AuthUser`; see `paseto_auth::login` for a complete example.
/// #[login_required]
/// async fn profile(user: CurrentUser<User>) -> String {
///     format!("Logged in as: {}", user.email)
/// }
///
/// #[derive(serde::Deserialize)]
/// struct NewPassword {
///     password: String,
/// }
///
/// // The form is read only after the guard has accepted the request.
/// #[login_required(fresh)]
/// async fn change_password(user: CurrentUser<User>, Form(form): Form<NewPassword>) -> String {
///     format!("{} would get a new password of {} bytes", user.email, form.password.len())
/// }
/// ```
///
/// The macro pairs a guard, `LoginGuard<FRESH>`, with the handler's first argument (as
/// `#[paseto_required]` does), so it runs before any other extractor (a body is not read for a
/// refused request); it needs the `LoginManagerLayer` around the router. It composes with
/// `#[paseto_required]` on the same handler: the guard of the attribute written nearer the `fn`
/// runs first, and its refusal is the one a request without either credential gets (write
/// `#[login_required]` last to send such a browser to the login page).
///
/// | option | meaning |
/// |---|---|
/// | (none) | a logged-in user is required |
/// | `fresh` | and the login must be fresh |
///
/// Compile errors, at the offending tokens: an unknown option (the only one is `fresh`); `fresh`
/// with a value (`fresh = true`, `fresh(..)`); `fresh` given twice; anything else as an option
/// (`#[login_required("x")]`); the attribute on something that is not a function; a function that
/// is not `async`; a method (`self`); `#[login_required]` given twice on the handler; a
/// `CurrentUser<U>` or `Option<CurrentUser<U>>` argument whose `U` does not implement `AuthUser`
/// (the error is at `U`).
#[proc_macro_attribute]
pub fn login_required(args: TokenStream, item: TokenStream) -> TokenStream {
    login::expand(args.into(), item.into()).into()
}
