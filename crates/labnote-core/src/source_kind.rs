//! Which source can give a value: what the value *is* ("Elastic IP" + "Allocation ID", "ACM"
//! or "인증서" + "ARN", …), read from its words through [`crate::names`]'s tokens (the one
//! home of what names mean: synonyms, particles and qualifiers are already applied there).
//!
//! The rule never guesses between two kinds: [`kinds_of`] returns every kind the words name,
//! and a caller takes a value's source only when exactly one kind is named (or when
//! `course.yaml` names it: [`SourceKind::from_name`]). A value whose names say nothing
//! (`server url`) may be read again with its step heading's words added, which only narrow
//! nothing down into something: a name that names a kind keeps it.
//!
//! Pure: words in, kinds out.

use crate::names::{self, Concept};

/// What a source can read for a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// The public IPv4 address of a running EC2 instance.
    InstancePublicIp,
    /// The private IPv4 address of a running EC2 instance.
    InstancePrivateIp,
    /// An Elastic IP's address.
    EipAddress,
    /// An Elastic IP's allocation id (`eipalloc-…`).
    EipAllocationId,
    /// An issued ACM certificate's ARN.
    CertificateArn,
    /// An EFS file system's id (`fs-…`).
    FileSystemId,
    /// The Kubernetes API server URL of the cluster (kubeconfig's current context, or EKS).
    ClusterEndpoint,
    /// The cluster's `certificate-authority-data` (kubeconfig's current context, or EKS).
    ClusterCa,
    /// The remote URL of a git repository under the course's work folder.
    GitRemote,
    /// The student's GitHub login (with the noted GitHub token).
    GithubLogin,
    /// The URL of one of the student's GitHub repositories, by the name the lab gives.
    GithubRepoUrl,
}

impl SourceKind {
    pub const ALL: [SourceKind; 11] = [
        SourceKind::InstancePublicIp,
        SourceKind::InstancePrivateIp,
        SourceKind::EipAddress,
        SourceKind::EipAllocationId,
        SourceKind::CertificateArn,
        SourceKind::FileSystemId,
        SourceKind::ClusterEndpoint,
        SourceKind::ClusterCa,
        SourceKind::GitRemote,
        SourceKind::GithubLogin,
        SourceKind::GithubRepoUrl,
    ];

    /// The name `course.yaml`'s `sources:` uses for it (`eip.allocation_id`).
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::InstancePublicIp => "ec2.public_ip",
            SourceKind::InstancePrivateIp => "ec2.private_ip",
            SourceKind::EipAddress => "eip.address",
            SourceKind::EipAllocationId => "eip.allocation_id",
            SourceKind::CertificateArn => "acm.arn",
            SourceKind::FileSystemId => "efs.id",
            SourceKind::ClusterEndpoint => "cluster.endpoint",
            SourceKind::ClusterCa => "cluster.ca",
            SourceKind::GitRemote => "git.remote",
            SourceKind::GithubLogin => "github.login",
            SourceKind::GithubRepoUrl => "github.repo_url",
        }
    }

    /// The kind `course.yaml` names; `None` for a name that is none of [`SourceKind::name`].
    pub fn from_name(name: &str) -> Option<SourceKind> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.name() == name.trim())
    }

    /// The service that answers it, as the student knows it: `ec2`, `acm`, `efs`, `eks`,
    /// `kubeconfig`, `git`, `github` (a cluster's values come from kubeconfig or EKS; the
    /// reader says which).
    pub fn service(self) -> &'static str {
        match self {
            SourceKind::InstancePublicIp
            | SourceKind::InstancePrivateIp
            | SourceKind::EipAddress
            | SourceKind::EipAllocationId => "ec2",
            SourceKind::CertificateArn => "acm",
            SourceKind::FileSystemId => "efs",
            SourceKind::ClusterEndpoint | SourceKind::ClusterCa => "eks",
            SourceKind::GitRemote => "git",
            SourceKind::GithubLogin | SourceKind::GithubRepoUrl => "github",
        }
    }

    /// Whether an AWS API gives it (the course's key signs the reads).
    pub fn is_aws(self) -> bool {
        !matches!(
            self,
            SourceKind::GitRemote | SourceKind::GithubLogin | SourceKind::GithubRepoUrl
        )
    }
}

/// Words that make a value no source's: a secret the student types or gets once.
const NEVER: &[&str] = &["token", "password", "secret", "key", "pat", "email", "otp"];

/// Every kind the names `words` (a value's names, the phrases that ask for it) name, in
/// [`SourceKind::ALL`]'s order; empty when none. Each name is read alone, so the words of
/// one name do not combine with another's ("Elastic IP" in one name and "Public IP" in
/// another name two kinds, not a third).
pub fn kinds_of<S: AsRef<str>>(words: &[S]) -> Vec<SourceKind> {
    let mut out: Vec<SourceKind> = Vec::new();
    for w in words {
        for k in kinds_of_name(w.as_ref()) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out.sort();
    out
}

/// [`kinds_of`] of one name with `context` (its step heading's words) added, used only
/// when the name alone names no kind: "server url" under "클러스터 정보 확인" is the cluster's.
pub fn kinds_in_context(name: &str, context: &str) -> Vec<SourceKind> {
    let alone = kinds_of_name(name);
    if !alone.is_empty() || names::is_generic(name) {
        return alone;
    }
    let mut t = names::tokens(name);
    let heading = names::tokens(context);
    for c in &heading {
        if !t.contains(c) {
            t.push(c.clone());
        }
    }
    // Only a kind the name's own words take part in: "1번" under "Elastic IP 할당" is no
    // allocation id (the heading alone names that), "server url" under "EKS 클러스터" is the
    // cluster's endpoint (the heading alone names no kind).
    let alone = kinds_of_tokens(&heading, None);
    kinds_of_tokens(&t, None)
        .into_iter()
        .filter(|k| !alone.contains(k))
        .collect()
}

/// The kinds one name names.
pub fn kinds_of_name(name: &str) -> Vec<SourceKind> {
    let concept = names::concept_of(&names::strip_qualifiers(name));
    kinds_of_tokens(&names::tokens(name), concept)
}

fn kinds_of_tokens(t: &[String], concept: Option<Concept>) -> Vec<SourceKind> {
    let has = |w: &str| t.iter().any(|x| x == w);
    let any = |ws: &[&str]| ws.iter().any(|w| has(w));
    let mut out = Vec::new();
    if concept == Some(Concept::GithubUsername) {
        out.push(SourceKind::GithubLogin);
        return out;
    }
    if any(NEVER) || matches!(concept, Some(Concept::GithubToken)) {
        return out;
    }
    let eip = any(&["elastic", "eip", "탄력적", "eipalloc"]);
    let ip = has("ip") || has("ipv4");
    if eip && any(&["allocation", "eipalloc"]) {
        out.push(SourceKind::EipAllocationId);
    } else if eip && (ip || has("url")) {
        out.push(SourceKind::EipAddress);
    }
    if !eip && ip && has("public") {
        out.push(SourceKind::InstancePublicIp);
    }
    if !eip && ip && has("private") {
        out.push(SourceKind::InstancePrivateIp);
    }
    let cert = any(&["acm", "certificate"]);
    if has("arn") && cert {
        out.push(SourceKind::CertificateArn);
    }
    let efs = has("efs") || (has("file") && any(&["system", "시스템"]));
    if efs && any(&["id", "identifier"]) {
        out.push(SourceKind::FileSystemId);
    }
    let cluster = any(&["cluster", "eks", "kubernetes", "k8s", "kubeconfig"]);
    let ca = has("ca") || (has("certificate") && has("authority"));
    if ca && !has("arn") && (cluster || has("authority")) {
        out.push(SourceKind::ClusterCa);
    } else if cluster && any(&["endpoint", "url", "server"]) && !has("repository") {
        out.push(SourceKind::ClusterEndpoint);
    }
    let url = has("url") || has("https");
    if url && (has("git") || has("clone") || has("remote")) && !has("github") {
        out.push(SourceKind::GitRemote);
    }
    if has("github") && has("repository") && url {
        out.push(SourceKind::GithubRepoUrl);
    }
    if has("github") && any(&["user", "username", "login", "account", "id"]) && !has("repository") {
        out.push(SourceKind::GithubLogin);
    }
    out
}

/// The index a numbered value carries (`Allocation ID 2` → 2): it orders the candidates of a
/// numbered set.
pub fn index_of(name: &str) -> Option<u32> {
    names::tokens(name)
        .iter()
        .rev()
        .find(|t| names::is_index(t))
        .and_then(|t| t.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use SourceKind::*;

    #[test]
    fn a_value_is_named_by_its_words_in_either_language() {
        assert_eq!(
            kinds_of_name("Elastic IP Allocation ID 1"),
            vec![EipAllocationId]
        );
        assert_eq!(kinds_of_name("탄력적 IP 할당 ID"), vec![EipAllocationId]);
        assert_eq!(kinds_of_name("메모한 Elastic IP 주소"), vec![EipAddress]);
        assert_eq!(
            kinds_of_name("생성된 인스턴스의 공인 IP"),
            vec![InstancePublicIp]
        );
        assert_eq!(kinds_of_name("Private IP"), vec![InstancePrivateIp]);
        assert_eq!(kinds_of_name("메모한 인증서의 ARN"), vec![CertificateArn]);
        assert_eq!(kinds_of_name("ACM ARN"), vec![CertificateArn]);
        assert_eq!(kinds_of_name("EFS 파일 시스템 ID"), vec![FileSystemId]);
        assert_eq!(kinds_of_name("클러스터 엔드포인트"), vec![ClusterEndpoint]);
        assert_eq!(kinds_of_name("certificate-authority-data"), vec![ClusterCa]);
        assert_eq!(kinds_of_name("자신의 git repository 주소"), vec![GitRemote]);
        assert_eq!(kinds_of_name("GitHub Repository URL"), vec![GithubRepoUrl]);
        assert_eq!(kinds_of_name("github_username"), vec![GithubLogin]);
        assert_eq!(kinds_of_name("GitHub 아이디"), vec![GithubLogin]);
    }

    #[test]
    fn secrets_and_loose_names_have_no_source() {
        assert!(kinds_of_name("GitHub Token").is_empty());
        assert!(kinds_of_name("AWS Secret Access key").is_empty());
        assert!(kinds_of_name("server url").is_empty());
        assert!(kinds_of_name("출력된 결과").is_empty());
        assert!(kinds_of_name("나의도메인").is_empty());
        assert!(kinds_of_name("인증서 Identifier").is_empty());
    }

    #[test]
    fn two_kinds_are_both_said_never_one_picked() {
        // Two names of one value that name two kinds: the caller lists both.
        assert_eq!(
            kinds_of(&["Elastic IP 주소", "Public IP"]),
            vec![InstancePublicIp, EipAddress]
        );
    }

    #[test]
    fn a_loose_name_takes_its_heading_only_when_it_names_nothing() {
        assert_eq!(
            kinds_in_context("server url", "EKS 클러스터 정보"),
            vec![ClusterEndpoint]
        );
        assert_eq!(
            kinds_in_context("Public IP", "Elastic IP 할당"),
            vec![InstancePublicIp]
        );
        assert!(kinds_in_context("출력된 결과", "EKS 클러스터").is_empty());
        assert!(kinds_in_context("1번", "Elastic IP 할당 ID").is_empty());
    }

    #[test]
    fn names_round_trip_and_indexes() {
        for k in SourceKind::ALL {
            assert_eq!(SourceKind::from_name(k.name()), Some(k));
        }
        assert_eq!(SourceKind::from_name("ec2.nothing"), None);
        assert_eq!(index_of("Allocation ID 2"), Some(2));
        assert_eq!(index_of("Allocation ID"), None);
    }
}
