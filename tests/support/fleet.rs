//! An instance of a service as a fleet runs it: a real HTTP server on loopback, and a client
//! that speaks to it the `token_api` example's routes (`/login`, `/protected/me`,
//! `/token/refresh`, `/logout`).

use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

/// One instance: its origin, and the client that speaks to it.
#[derive(Clone)]
pub(crate) struct Instance {
    pub(crate) origin: String,
    client: Client<HttpConnector, Body>,
}

impl Instance {
    /// `method path` with a bearer token and a JSON body: the status and the body.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.origin))
            .header(CONTENT_TYPE, "application/json");
        if !token.is_empty() {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = if body.is_null() {
            Body::empty()
        } else {
            Body::from(body.to_string())
        };
        let response = self
            .client
            .request(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub(crate) async fn me(&self, token: &str) -> StatusCode {
        self.call(Method::GET, "/protected/me", token, Value::Null)
            .await
            .0
    }

    pub(crate) async fn logout(&self, token: &str) -> StatusCode {
        self.call(Method::POST, "/logout", token, Value::Null)
            .await
            .0
    }

    pub(crate) async fn refresh(&self, refresh_token: &str) -> (StatusCode, Value) {
        let body = json!({ "refresh_token": refresh_token });
        self.call(Method::POST, "/token/refresh", "", body).await
    }

    /// Logs in: (access token, refresh token).
    pub(crate) async fn login(&self) -> (String, String) {
        let body = json!({"email": "foo@example.com", "password": "mysecret"});
        let (status, pair) = self.call(Method::POST, "/login", "", body).await;
        assert_eq!(status, StatusCode::OK, "{pair}");
        let text = |name: &str| pair[name].as_str().unwrap().to_owned();
        (text("access_token"), text("refresh_token"))
    }

    /// Serves `app` on a free loopback port.
    pub(crate) async fn serve(app: Router) -> Instance {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let client = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
        Instance { origin, client }
    }
}
