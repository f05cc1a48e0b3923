use paseto_auth::session::{Session, SessionData};
use paseto_auth::paseto_session;
use serde::{Deserialize, Serialize};

#[paseto_session(
    cookie = "cart",
    max_age = "14d",
    rolling,
    path = "/shop",
    domain = "shop.example",
    secure = true,
    http_only = true,
    same_site = "strict",
)]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: Vec<u32>,
}

async fn add(mut cart: Session<Cart>) {
    cart.items.push(1);
}

fn main() {
    assert_eq!(Cart::SPEC.cookie, "cart");
    assert_eq!(Cart::SPEC.max_age, Some(std::time::Duration::from_secs(14 * 86_400)));
    assert!(Cart::SPEC.rolling);
    assert_eq!(Cart::SPEC.path, "/shop");
    let _ = add;
}
