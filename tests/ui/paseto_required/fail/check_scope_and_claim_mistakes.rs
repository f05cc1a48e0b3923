// `scope`, `claim(..)` and `check` mistakes, all reported at once at the offending tokens.
use paseto_auth::{Paseto, paseto_required};

#[paseto_required(
    scope = "read orders\"",
    claim(role),
    claim(level = [1]),
    check = |c| true,
)]
async fn mistakes(token: Paseto) -> String {
    format!("{:?}", token.claims)
}

fn allowed(_: &paseto_auth::__private::UntypedClaims) -> bool {
    true
}

#[paseto_required(check = allowed)]
async fn no_token_argument() -> &'static str {
    "no claims to check"
}

fn main() {}
