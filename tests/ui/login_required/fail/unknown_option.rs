use paseto_auth::login_required;

#[login_required(remember)]
async fn handler() -> &'static str {
    "welcome"
}

fn main() {}
