//! The language a request is answered in (issue 22): every page and answer of the server that
//! has words picks it here.

use axum::http::{header, HeaderMap};

use crate::i18n::Lang;

/// The language a request is answered in: the first language of its `Accept-Language`
/// that labnote speaks, by weight (`ko`, `ko-KR` → Korean; see
/// [`Lang::from_accept_language`]), else the server's own (`LABNOTE_LANG`, the locale:
/// `crate::locale`). Every page and answer of the server that has words picks it here.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let asked: Vec<&str> = headers
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    Lang::from_accept_language(&asked.join(",")).unwrap_or_else(crate::i18n::lang)
}

/// The request's language ([`lang_of`] its headers), as a handler's argument: the language
/// its page, its answer and its errors are in.
#[derive(Debug, Clone, Copy)]
pub struct ReqLang(pub Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(lang_of(&parts.headers)))
    }
}
