// Both guards are on a function that is not `async`: the mistake is reported once.
use paseto_auth::{login_required, paseto_required};

#[login_required(fresh)]
#[paseto_required(aud = "api")]
fn handler() -> &'static str {
    "welcome"
}

fn main() {}
