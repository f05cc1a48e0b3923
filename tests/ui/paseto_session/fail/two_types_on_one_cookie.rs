// Two session types on one cookie name overwrite each other's data: one per cookie in a crate,
// even in different modules.
mod shop {
    use paseto_auth::paseto_session;
    use serde::{Deserialize, Serialize};

    #[paseto_session(cookie = "cart")]
    #[derive(Default, Serialize, Deserialize)]
    pub struct Cart {
        pub items: Vec<String>,
    }
}

mod wishes {
    use paseto_auth::paseto_session;
    use serde::{Deserialize, Serialize};

    #[paseto_session(cookie = "cart")]
    #[derive(Default, Serialize, Deserialize)]
    pub struct Wishlist {
        pub items: Vec<String>,
    }
}

fn main() {}
