use paseto_auth::PasetoClaims;

#[derive(PasetoClaims)]
union Claims {
    user: u32,
}

fn main() {}
