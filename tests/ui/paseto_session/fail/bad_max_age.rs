use paseto_auth::paseto_session;
use serde::{Deserialize, Serialize};

#[paseto_session(cookie = "cart", max_age = "two weeks")]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: Vec<u32>,
}

fn main() {}
