//! Sources: the readers of values the student created — EC2, ACM, EFS and EKS through the
//! AWS SDK, the kubeconfig file, a git repository's remote, the GitHub REST API. Each is a
//! small [`Reader`]; [`Readers`] holds them for one fetch and reads each kind once.
//!
//! An edge: it does the IO (AWS and GitHub requests, two files, `git config --file`) and
//! knows nothing of labs, names or the memo; `app::sources` decides what to read and what
//! to note. Read-only calls only; a token or secret never appears in a candidate, an error
//! or a log (a remote URL's user part is dropped).

mod aws;
mod git;
mod github;
mod kubeconfig;

use std::collections::HashMap;
use std::path::PathBuf;

use secrecy::SecretString;

use crate::iam::{AwsOptions, IamError};
pub use crate::source_kind::SourceKind;
use crate::t;

pub(crate) use github::is_repo_name;
pub use kubeconfig::default_path as default_kubeconfig;

/// One resource a source found for a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceValue {
    /// The value to note (never a secret).
    pub value: String,
    /// What the value belongs to: `i-0abc…`, `eipalloc-…`, the certificate's ARN, `fs-…`,
    /// the cluster or context, the repository folder, the GitHub login.
    pub resource: String,
    /// What tells it apart from the others: its Name tag, its domain, its creation time.
    pub label: String,
    /// The service that answered: `ec2`, `acm`, `efs`, `eks`, `kubeconfig`, `git`, `github`.
    pub service: &'static str,
    /// The AWS region it was read in.
    pub region: Option<String>,
    /// Sort key of the stable order (Name tag, then id): a numbered set takes candidates in
    /// this order.
    pub order: String,
}

/// What a read may take from the course: the domain a lab names (for a certificate), the
/// repository names a lab gives (for a GitHub repository's URL).
#[derive(Debug, Clone, Default)]
pub struct Hint {
    pub domains: Vec<String>,
    pub repositories: Vec<String>,
}

/// Why a source could not be read. One line each, with the fix; never a secret.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SourceError {
    /// No credentials, a bad endpoint, an expired session: the IAM client's errors.
    #[error("{0}")]
    Aws(String),
    /// The credentials lack a permission.
    #[error("{}", t!("source-denied", service = service.to_string(), permission = permission.to_string()))]
    Denied {
        service: &'static str,
        permission: &'static str,
    },
    /// Still throttled after the SDK's retries.
    #[error("{}", t!("source-throttled", service = service.to_string()))]
    Throttled { service: &'static str },
    /// Any other failed request.
    #[error("{}", t!("source-failed", service = service.to_string(), reason = reason))]
    Failed {
        service: &'static str,
        reason: String,
    },
    /// No kubeconfig, or one that does not parse.
    #[error("{}", t!("source-kubeconfig", path = path, reason = reason))]
    Kubeconfig { path: String, reason: String },
    /// No GitHub token noted.
    #[error("{}", t!("source-github-no-token"))]
    NoGithubToken,
    /// No folder to look for repositories in.
    #[error("{}", t!("source-git-no-workdir", path = path))]
    NoWorkdir { path: String },
}

/// Where the readers read: AWS (region, endpoint, credentials), the kubeconfig file, the work
/// folder of git repositories, the GitHub API and its token.
#[derive(Clone, Default)]
pub struct SourceOptions {
    pub aws: AwsOptions,
    pub kubeconfig: Option<PathBuf>,
    pub workdir: Option<PathBuf>,
    /// `GITHUB_API_URL`, else `https://api.github.com`.
    pub github_api: String,
    pub github_token: Option<SecretString>,
}

/// A reader of some kinds of value.
pub trait Reader {
    /// The kinds it reads.
    fn reads(&self, kind: SourceKind) -> bool;
    /// Every candidate of `kind` it finds (none: nothing created yet).
    fn read(&mut self, kind: SourceKind, hint: &Hint) -> Result<Vec<SourceValue>, SourceError>;
    /// The AWS region it read in, once it has read.
    fn region(&self) -> Option<String> {
        None
    }
}

/// The readers of one fetch; each kind is read once ([`Readers::read`] caches by kind and
/// hint).
pub struct Readers {
    readers: Vec<Box<dyn Reader>>,
    region: Option<String>,
    cache: HashMap<(SourceKind, String), Result<Vec<SourceValue>, SourceError>>,
}

impl Readers {
    pub fn new(opts: SourceOptions) -> Readers {
        Readers {
            region: opts.aws.region.clone(),
            readers: vec![
                Box::new(kubeconfig::Kubeconfig::new(opts.kubeconfig.clone())),
                Box::new(aws::Aws::new(opts.aws.clone())),
                Box::new(git::Git::new(opts.workdir.clone())),
                Box::new(github::Github::new(
                    opts.github_api.clone(),
                    opts.github_token.clone(),
                )),
            ],
            cache: HashMap::new(),
        }
    }

    /// The AWS region read in (the one asked for, else the profile's once connected).
    pub fn region(&self) -> Option<String> {
        self.readers
            .iter()
            .find_map(|r| r.region())
            .or_else(|| self.region.clone())
    }

    /// The candidates of `kind`, from every reader of it (a cluster's values from kubeconfig
    /// and from EKS: the same value from both is one candidate). An error of one reader is
    /// kept only when no reader found anything.
    pub fn read(&mut self, kind: SourceKind, hint: &Hint) -> Result<Vec<SourceValue>, SourceError> {
        let key = (kind, format!("{:?}{:?}", hint.domains, hint.repositories));
        if let Some(r) = self.cache.get(&key) {
            return r.clone();
        }
        let mut found: Vec<SourceValue> = Vec::new();
        let mut error = None;
        for r in self.readers.iter_mut().filter(|r| r.reads(kind)) {
            match r.read(kind, hint) {
                Ok(cs) => {
                    for c in cs {
                        if !found.iter().any(|f| f.value == c.value) {
                            found.push(c);
                        }
                    }
                }
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        found.sort_by(|a, b| a.order.cmp(&b.order).then(a.resource.cmp(&b.resource)));
        let r = match error {
            Some(e) if found.is_empty() => Err(e),
            _ => Ok(found),
        };
        self.cache.insert(key, r.clone());
        r
    }
}

/// The order a reader gives its values in (what `app::sources` numbers by): the name as
/// [`natural_key`] sorts it (`web-2` before `web-10`), then `then` (an id, a time) between
/// values of one name.
pub(crate) fn order_key(name: &str, then: &str) -> String {
    format!("{}\u{0}{}", natural_key(name), then)
}

/// A sort key that orders `eip-2` before `eip-10`: digit runs padded.
pub(crate) fn natural_key(s: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in s.chars().chain(std::iter::once('\u{0}')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            out.push_str(&format!("{:0>12}", digits));
            digits.clear();
        }
        if c != '\u{0}' {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// What a kind's missing resource is created with, for "none found" (`source-missing-…`).
pub fn missing_message(kind: SourceKind, region: Option<&str>) -> String {
    let region = region.unwrap_or("-").to_string();
    match kind {
        SourceKind::InstancePublicIp | SourceKind::InstancePrivateIp => {
            t!("source-missing-instance", region = region)
        }
        SourceKind::EipAddress | SourceKind::EipAllocationId => {
            t!("source-missing-eip", region = region)
        }
        SourceKind::CertificateArn => t!("source-missing-certificate", region = region),
        SourceKind::FileSystemId => t!("source-missing-efs", region = region),
        SourceKind::ClusterEndpoint | SourceKind::ClusterCa => {
            t!("source-missing-cluster", region = region)
        }
        SourceKind::GitRemote => t!("source-missing-git"),
        SourceKind::GithubLogin => t!("source-missing-github-login"),
        SourceKind::GithubRepoUrl => t!("source-missing-github-repo"),
    }
}

impl From<IamError> for SourceError {
    fn from(e: IamError) -> SourceError {
        SourceError::Aws(crate::awserr::message(&e, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_pads_numbers() {
        let mut v = vec!["eip-10", "eip-2", "EIP-1"];
        v.sort_by_key(|s| natural_key(s));
        assert_eq!(v, vec!["EIP-1", "eip-2", "eip-10"]);
    }
}
