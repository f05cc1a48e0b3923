//! What a test compares of a guard's answer: status, `WWW-Authenticate` challenge and body, and
//! the answers the default rejections give.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use serde_json::{Value, json};

use super::http::body_string;

/// Sends `request` through `app` and reads its answer.
pub(crate) async fn send(app: &Router, request: Request<Body>) -> Answer {
    Answer::of(super::http::send(app, request).await).await
}

/// A GET of `path`, with `Authorization: Bearer <token>` if a token is given.
pub(crate) async fn get_bearer(app: &Router, path: &str, token: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// What the tests compare of a response: its status, `WWW-Authenticate` challenge and body
/// (for a JSON refusal, its `error` and `kind` without the free-text `detail`).
#[derive(Debug, PartialEq)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) challenge: Option<String>,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) async fn of(response: Response<Body>) -> Answer {
        let status = response.status();
        let challenge = response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .map(|value| value.to_str().unwrap().to_owned());
        let mut body = body_string(response).await;
        if let Ok(Value::Object(mut json)) = serde_json::from_str::<Value>(&body)
            && json.remove("detail").is_some()
        {
            body = Value::Object(json).to_string();
        }
        Answer {
            status,
            challenge,
            body,
        }
    }
}

/// The handler's answer: 200 with `body`.
pub(crate) fn ok(body: &str) -> Answer {
    Answer {
        status: StatusCode::OK,
        challenge: None,
        body: body.to_owned(),
    }
}

/// The default answer to a request without a token: 401, a bare `Bearer` challenge.
pub(crate) fn no_token() -> Answer {
    Answer {
        status: StatusCode::UNAUTHORIZED,
        challenge: Some("Bearer".to_owned()),
        body: json!({"error": "unauthorized", "kind": "missing_token"}).to_string(),
    }
}

/// The default answer to a token that is not valid: 401 `invalid_token`, naming the error kind.
pub(crate) fn invalid(kind: &str) -> Answer {
    Answer {
        status: StatusCode::UNAUTHORIZED,
        challenge: Some(r#"Bearer error="invalid_token""#.to_owned()),
        body: json!({"error": "invalid_token", "kind": kind}).to_string(),
    }
}

/// The default answer to a valid token that fails a requirement: 403 `insufficient_scope`.
pub(crate) fn forbidden(kind: &str) -> Answer {
    Answer {
        status: StatusCode::FORBIDDEN,
        challenge: Some(r#"Bearer error="insufficient_scope""#.to_owned()),
        body: json!({"error": "insufficient_scope", "kind": kind}).to_string(),
    }
}
