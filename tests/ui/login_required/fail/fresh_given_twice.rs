use paseto_auth::login_required;

#[login_required(fresh, fresh)]
async fn handler() -> &'static str {
    "welcome"
}

fn main() {}
