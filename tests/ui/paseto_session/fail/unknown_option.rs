use paseto_auth::paseto_session;
use serde::{Deserialize, Serialize};

#[paseto_session(cookie = "cart", expires = "1d")]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: Vec<u32>,
}

fn main() {}
