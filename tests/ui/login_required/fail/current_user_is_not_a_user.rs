use paseto_auth::login::CurrentUser;
use paseto_auth::login_required;

struct NotAUser {
    name: String,
}

#[login_required]
async fn profile(user: CurrentUser<NotAUser>) -> String {
    user.name.clone()
}

fn main() {}
