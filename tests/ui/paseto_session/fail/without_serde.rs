use paseto_auth::paseto_session;

#[paseto_session(cookie = "cart")]
#[derive(Default)]
struct Cart {
    items: Vec<u32>,
}

fn main() {}
