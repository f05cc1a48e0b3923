use paseto_auth::login_required;

#[login_required(fresh)]
struct Handler;

fn main() {}
