use paseto_auth::paseto_session;
use serde::{Deserialize, Serialize};

#[paseto_session(cookie = "cart", cookie = "basket")]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: Vec<u32>,
}

fn main() {}
