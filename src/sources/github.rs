//! The GitHub reader: the student's login (`GET /user`) and a repository's URL by the name a
//! lab gives (`GET /repos/{login}/{name}`), with the noted GitHub token in the
//! `Authorization` header only (never in a URL, a log or an error). The API base is
//! `GITHUB_API_URL` (as GitHub Actions names it), default `https://api.github.com`; plain
//! `http` only on a loopback address (a local stand-in), so the token never crosses a network
//! unencrypted.

use http_body_util::{BodyExt, Empty};
use secrecy::{ExposeSecret, SecretString};

use super::{Hint, Reader, SourceError, SourceKind, SourceValue};

pub const DEFAULT_API: &str = "https://api.github.com";

pub(super) struct Github {
    api: String,
    token: Option<SecretString>,
    login: Option<String>,
}

impl Github {
    pub(super) fn new(api: String, token: Option<SecretString>) -> Github {
        let api = if api.trim().is_empty() {
            DEFAULT_API.to_string()
        } else {
            api.trim().trim_end_matches('/').to_string()
        };
        Github {
            api,
            token,
            login: None,
        }
    }

    /// `GET path` as JSON (status 404: `None`).
    fn get(&self, path: &str) -> Result<Option<serde_json::Value>, SourceError> {
        let Some(token) = &self.token else {
            return Err(SourceError::NoGithubToken);
        };
        check_api(&self.api)?;
        let failed = |reason: String| SourceError::Failed {
            service: "github",
            reason,
        };
        let url = format!("{}{}", self.api, path);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| failed(e.to_string()))?;
        let auth = format!("Bearer {}", token.expose_secret());
        rt.block_on(async move {
            let provider = rustls::crypto::aws_lc_rs::default_provider();
            let https = hyper_rustls::HttpsConnectorBuilder::new()
                .with_provider_and_native_roots(provider)
                .map_err(|e| failed(e.to_string()))?
                .https_or_http()
                .enable_http1()
                .build();
            let client =
                hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                    .build::<_, Empty<hyper::body::Bytes>>(https);
            let mut auth = hyper::header::HeaderValue::from_str(&auth)
                .map_err(|_| failed("the GitHub token has characters no header may hold".into()))?;
            auth.set_sensitive(true);
            let req = hyper::Request::get(&url)
                .header("Authorization", auth)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", concat!("labnote/", env!("CARGO_PKG_VERSION")))
                .body(Empty::new())
                .map_err(|e| failed(e.to_string()))?;
            let resp =
                tokio::time::timeout(std::time::Duration::from_secs(10), client.request(req))
                    .await
                    .map_err(|_| failed(format!("no answer from {} in 10 s", self.api)))?
                    .map_err(|e| failed(format!("{}: {e}", self.api)))?;
            let status = resp.status();
            let body = resp
                .into_body()
                .collect()
                .await
                .map_err(|e| failed(e.to_string()))?
                .to_bytes();
            match status.as_u16() {
                200 => serde_json::from_slice(&body)
                    .map(Some)
                    .map_err(|e| failed(e.to_string())),
                404 => Ok(None),
                401 => Err(failed(crate::t!("source-github-unauthorized"))),
                403 | 429 => Err(failed(crate::t!("source-github-forbidden"))),
                s => Err(failed(format!("HTTP {s}"))),
            }
        })
    }

    fn login(&mut self) -> Result<String, SourceError> {
        if let Some(l) = &self.login {
            return Ok(l.clone());
        }
        let user = self.get("/user")?;
        let login = user
            .as_ref()
            .and_then(|u| u.get("login"))
            .and_then(|l| l.as_str())
            .ok_or_else(|| SourceError::Failed {
                service: "github",
                reason: "GET /user gave no login".into(),
            })?
            .to_string();
        self.login = Some(login.clone());
        Ok(login)
    }
}

/// `https`, or `http` on a loopback host only.
fn check_api(api: &str) -> Result<(), SourceError> {
    if api.starts_with("https://") {
        return Ok(());
    }
    let host = api
        .strip_prefix("http://")
        .map(|r| r.split(['/', '?']).next().unwrap_or(r))
        .map(|h| h.rsplit_once(':').map_or(h, |(h, _)| h));
    match host {
        Some("127.0.0.1" | "localhost" | "[::1]") => Ok(()),
        _ => Err(SourceError::Failed {
            service: "github",
            reason: crate::t!("source-github-api-url", url = api.to_string()),
        }),
    }
}

/// Whether `name` may be a repository's name (letters, digits, `-`, `_`, `.`).
pub(crate) fn is_repo_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.chars().all(|c| c.is_ascii_digit())
}

impl Reader for Github {
    /// A git repository's address too: the repository the lab names, on GitHub (before it
    /// is cloned, only GitHub has it).
    fn reads(&self, kind: SourceKind) -> bool {
        matches!(
            kind,
            SourceKind::GithubLogin | SourceKind::GithubRepoUrl | SourceKind::GitRemote
        )
    }

    fn read(&mut self, kind: SourceKind, hint: &Hint) -> Result<Vec<SourceValue>, SourceError> {
        let login = self.login()?;
        let cand = |value: &str, resource: &str, label: &str| SourceValue {
            value: value.to_string(),
            resource: resource.to_string(),
            label: label.to_string(),
            service: "github",
            region: None,
            order: super::natural_key(resource),
        };
        if kind == SourceKind::GithubLogin {
            return Ok(vec![cand(&login, &login, "GET /user")]);
        }
        let mut out = Vec::new();
        if hint.repositories.is_empty() {
            return Ok(out);
        }
        for name in hint.repositories.iter().filter(|n| is_repo_name(n)) {
            if let Some(repo) = self.get(&format!("/repos/{login}/{name}"))? {
                // The HTTPS address GitHub's Code button gives (what `git clone` and a
                // console's repository field take), as a clone's remote writes it.
                let url = repo
                    .get("clone_url")
                    .or_else(|| repo.get("html_url"))
                    .and_then(|u| u.as_str())
                    .unwrap_or_default();
                let full = repo
                    .get("full_name")
                    .and_then(|u| u.as_str())
                    .unwrap_or(name);
                if !url.is_empty() && !out.iter().any(|c: &SourceValue| c.value == url) {
                    out.push(cand(url, full, full));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_http_only_on_loopback() {
        assert!(super::check_api("https://api.github.com").is_ok());
        assert!(super::check_api("http://127.0.0.1:8080").is_ok());
        assert!(super::check_api("http://localhost:1/api").is_ok());
        assert!(super::check_api("http://api.github.com").is_err());
        assert!(super::check_api("http://127.0.0.1.evil.example").is_err());
        assert!(super::is_repo_name("gitops_pac"));
        assert!(!super::is_repo_name("../x"));
        assert!(!super::is_repo_name("2024"));
    }
}
