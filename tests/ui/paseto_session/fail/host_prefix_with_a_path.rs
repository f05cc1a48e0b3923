use paseto_auth::paseto_session;
use serde::{Deserialize, Serialize};

// A `__Host-` cookie must have Path=/ (and Secure, and no Domain).
#[paseto_session(cookie = "__Host-cart", path = "/shop")]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: Vec<u32>,
}

fn main() {}
