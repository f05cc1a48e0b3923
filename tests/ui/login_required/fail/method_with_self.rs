use paseto_auth::login_required;

struct Pages;

impl Pages {
    #[login_required]
    async fn handler(&self) -> &'static str {
        "welcome"
    }
}

fn main() {}
