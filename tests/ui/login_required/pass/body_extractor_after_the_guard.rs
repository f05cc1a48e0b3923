// The guard is paired with the first argument, so it runs before `State`, the user, and the `Form` body.
use std::convert::Infallible;

use axum::extract::State;
use axum::routing::post;
use axum::{Form, Router};
use paseto_auth::Version;
use paseto_auth::login::{
    AuthUser, CurrentUser, LoginKeys, LoginManager, LoginManagerLayer, UserLoader,
};
use paseto_auth::login_required;
use serde::Deserialize;

#[derive(Clone)]
struct User {
    name: String,
}

impl AuthUser for User {
    type Id = String;
    fn id(&self) -> String {
        self.name.clone()
    }
}

#[derive(Clone)]
struct Users;

impl UserLoader for Users {
    type User = User;
    type Error = Infallible;
    async fn load_user(&self, id: &String) -> Result<Option<User>, Infallible> {
        Ok(Some(User { name: id.clone() }))
    }
}

#[derive(Clone)]
struct AppState {
    min_length: usize,
}

#[derive(Deserialize)]
struct NewPassword {
    password: String,
}

#[login_required(fresh)]
async fn change_password(
    State(state): State<AppState>,
    user: Option<CurrentUser<User>>,
    Form(form): Form<NewPassword>,
) -> String {
    let name = user.map(|user| user.name.clone()).unwrap_or_default();
    format!("{name}: {}", form.password.len() >= state.min_length)
}

fn main() -> Result<(), paseto_auth::Error> {
    let manager = LoginManager::new(Users, LoginKeys::generate(Version::V4)?);
    let _: Router = Router::new()
        .route("/password", post(change_password))
        .layer(LoginManagerLayer::new(manager)?)
        .with_state(AppState { min_length: 12 });
    Ok(())
}
