//! Why a request of the page failed, and how it is told in the request's language: one type
//! for every route (`actions`, `routes`, `run`).

use crate::app::{self, AppError};
use crate::t;

/// Why a request failed: a use case's error, or a request the server cannot act on.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Boxed: a use case's error is large, and most answers are not errors.
    #[error(transparent)]
    App(Box<AppError>),
    /// A request that names nothing the course has, or lacks a field (a client's mistake).
    #[error("{0}")]
    Request(String),
    /// The worker of a request ended without an answer.
    #[error("{}", t!("web-worker-failed"))]
    Worker,
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        WebError::App(Box::new(e))
    }
}

impl WebError {
    /// The message in `lang`, a request's language ([`AppError::render_in`]; a request's
    /// own errors are formatted in its language when made).
    pub fn render_in(&self, lang: crate::i18n::Lang) -> String {
        match self {
            WebError::App(e) => e.render_in(lang),
            WebError::Request(m) => m.clone(),
            WebError::Worker => crate::t_in!(lang, "web-worker-failed"),
        }
    }

    /// Whether the client asked for something wrong (400) rather than the server failing.
    pub fn is_client_error(&self) -> bool {
        match self {
            WebError::App(e) => e.kind() == app::ErrorKind::User,
            WebError::Request(_) => true,
            WebError::Worker => false,
        }
    }
}
