use paseto_auth::login_required;

// Every mistake is reported, each at its tokens, in one compilation.
#[login_required(fresh(), remember, fresh, fresh)]
fn handler() -> &'static str {
    "welcome"
}

fn main() {}
