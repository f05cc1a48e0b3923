use paseto_auth::login_required;

#[login_required]
fn handler() -> &'static str {
    "welcome"
}

fn main() {}
