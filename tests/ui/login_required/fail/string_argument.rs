use paseto_auth::login_required;

#[login_required("/login")]
async fn handler() -> &'static str {
    "welcome"
}

fn main() {}
