use paseto_auth::PasetoClaims;

#[derive(PasetoClaims)]
struct Claims {
    user: String,
}

fn main() {}
