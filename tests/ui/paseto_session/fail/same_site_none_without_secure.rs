use paseto_auth::paseto_session;
use serde::{Deserialize, Serialize};

#[paseto_session(cookie = "cart", same_site = "none", secure = false)]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: Vec<u32>,
}

fn main() {}
