//! Credential problems told the way a student can act on them: one line with the cause and
//! the command that fixes it (`aws sso login --profile X`, `aws configure --profile X`),
//! instead of the SDK's nested error chain.
//!
//! Pure: the caller passes the profile in effect and the profile names the AWS files define,
//! so every branch is testable without AWS.

use crate::iam::{AwsOptions, IamError};
use crate::t;

/// The profile the SDK uses: `--profile`, else `AWS_PROFILE`, else none (`default`).
fn profile_in_effect(
    arg: Option<&str>,
    env_profile: Option<&str>,
) -> Option<(String, &'static str)> {
    let non_empty = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    non_empty(arg)
        .map(|p| (p, "--profile"))
        .or_else(|| non_empty(env_profile).map(|p| (p, "AWS_PROFILE")))
}

/// Whether an SDK credential error is about SSO: a missing or expired cached token, or SSO
/// settings. Matched on phrases, not on "sso" alone, which a profile name may contain.
fn is_sso(reason: &str) -> bool {
    [
        "sso token",
        "sso session",
        "sso-session",
        "sso_",
        "sso oidc",
        "ssooidc",
        "sso provider",
        "sso/cache",
    ]
    .iter()
    .any(|p| reason.contains(p))
}

/// A one-line explanation of a credential error, or `None` to keep the error's own message.
/// `known` lists the profiles of the AWS config and credentials files.
pub fn explain(e: &IamError, profile: Option<(&str, &str)>, known: &[String]) -> Option<String> {
    let reason = match e {
        IamError::CredentialsConfig { reason } => reason.to_ascii_lowercase(),
        IamError::NoCredentials => String::new(),
        IamError::ExpiredToken => "expired".to_string(),
        _ => return None,
    };
    let named = profile.map(|(p, _)| p);
    if let Some((p, from)) = profile {
        if !known.iter().any(|k| k == p) {
            let have = if known.is_empty() {
                t!("awserr-no-profiles")
            } else {
                known.join(", ")
            };
            let unset = if from == "AWS_PROFILE" {
                t!("awserr-or-unset")
            } else {
                String::new()
            };
            return Some(t!(
                "awserr-unknown-profile",
                profile = p,
                from = from,
                have = have,
                unset = unset
            ));
        }
    }
    let flag = named.map_or(String::new(), |p| format!(" --profile {p}"));
    if is_sso(&reason) || (matches!(e, IamError::ExpiredToken) && named.is_some()) {
        return Some(match named {
            Some(p) => t!("awserr-sso-profile", profile = p, flag = flag),
            None => t!("awserr-sso", flag = flag),
        });
    }
    match e {
        IamError::NoCredentials => Some(match named {
            Some(p) => t!("awserr-no-credentials-profile", profile = p, flag = flag),
            None => t!("awserr-no-credentials", flag = flag),
        }),
        // Another cause (a failing credential_process, say): its own message names it.
        _ => None,
    }
}

/// The profile names defined in the AWS config file and the shared credentials file.
fn known_profiles(config: &str, credentials: &str) -> Vec<String> {
    use crate::awsconfig::{profiles, FileKind};
    let mut v: Vec<String> = profiles(config, FileKind::Config)
        .into_iter()
        .chain(profiles(credentials, FileKind::Credentials))
        .map(|p| p.0)
        .collect();
    v.dedup();
    let mut seen = Vec::new();
    v.retain(|p| {
        let new = !seen.contains(p);
        seen.push(p.clone());
        new
    });
    v
}

/// Reads the AWS files the SDK reads; a missing or unreadable file holds no profiles.
fn read_aws_files() -> (String, String) {
    let read = |p: Option<std::path::PathBuf>| {
        p.and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default()
    };
    (
        read(crate::awsconfig::config_file()),
        read(crate::awsconfig::credentials_file()),
    )
}

/// The message for a failed IAM command: the explanation when there is one, else the
/// error's own text.
pub fn message(e: &IamError, profile_arg: Option<&str>) -> String {
    if is_cloud9_refusal(e, &|k| std::env::var(k).ok()) {
        return t!("awserr-cloud9");
    }
    let env = std::env::var("AWS_PROFILE").ok();
    let profile = profile_in_effect(profile_arg, env.as_deref());
    let (config, credentials) = read_aws_files();
    let known = known_profiles(&config, &credentials);
    explain(e, profile.as_ref().map(|(p, f)| (p.as_str(), *f)), &known)
        .unwrap_or_else(|| e.to_string())
}

/// The message of a failed `issue-key`: credential errors explained, others as they are.
pub fn issue_message(e: &crate::issue::IssueError, profile_arg: Option<&str>) -> String {
    match e {
        crate::issue::IssueError::Iam(iam) => message(iam, profile_arg),
        other => other.to_string(),
    }
}

/// What `-v` says before an IAM command: profile, region and endpoint, each with where it
/// comes from.
pub fn context_line(opts: &AwsOptions) -> String {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let profile = profile_in_effect(opts.profile.as_deref(), env("AWS_PROFILE").as_deref())
        .map_or(t!("awserr-ctx-default-chain"), |(p, f)| {
            t!("awserr-ctx-from", value = p, from = f)
        });
    let region = opts
        .region
        .clone()
        .map(|r| {
            t!(
                "awserr-ctx-from",
                value = r,
                from = t!("awserr-from-region-or-course")
            )
        })
        .or_else(|| {
            env("AWS_REGION").map(|r| t!("awserr-ctx-from", value = r, from = "AWS_REGION"))
        })
        .or_else(|| {
            env("AWS_DEFAULT_REGION")
                .map(|r| t!("awserr-ctx-from", value = r, from = "AWS_DEFAULT_REGION"))
        })
        .unwrap_or_else(|| t!("awserr-ctx-region-default"));
    let endpoint = opts
        .endpoint_url
        .clone()
        .map(|u| t!("awserr-ctx-from", value = u, from = "--endpoint-url"))
        .or_else(|| {
            env("AWS_ENDPOINT_URL")
                .map(|u| t!("awserr-ctx-from", value = u, from = "AWS_ENDPOINT_URL"))
        })
        .unwrap_or_else(|| t!("awserr-ctx-endpoint-default"));
    let (config, credentials) = read_aws_files();
    let named = non_empty_env(opts.profile.as_deref()).map(str::to_string);
    let source = credential_source(
        named.as_deref(),
        env("AWS_PROFILE").as_deref(),
        env("AWS_ACCESS_KEY_ID").is_some(),
        &config,
        &credentials,
    );
    t!(
        "awserr-ctx-line",
        profile = profile,
        region = region,
        endpoint = endpoint,
        credentials = source
    )
}

fn non_empty_env(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Where the credentials of an IAM command come from, as `-v` names it, by the SDK's own
/// order: `--profile` wins; else `AWS_ACCESS_KEY_ID`; else the profile in effect
/// (`AWS_PROFILE` or `default`): a `login_session` (an `aws login` session), SSO, a
/// `credential_process`, or a static key; else the instance or container role, if any.
pub fn credential_source(
    profile_arg: Option<&str>,
    env_profile: Option<&str>,
    env_keys: bool,
    config: &str,
    credentials: &str,
) -> String {
    use crate::awsconfig::{get, FileKind};
    if profile_arg.is_none() && env_keys {
        return t!("awserr-src-env");
    }
    let p = profile_arg
        .or(non_empty_env(env_profile))
        .unwrap_or("default");
    let conf = |key: &str| get(config, FileKind::Config, p, key).filter(|v| !v.is_empty());
    if conf("login_session").is_some() {
        return t!("awserr-src-login", profile = p);
    }
    if conf("sso_session").is_some() || conf("sso_start_url").is_some() {
        return t!("awserr-src-sso", profile = p);
    }
    if conf("credential_process").is_some() {
        return t!("awserr-src-process", profile = p);
    }
    if get(credentials, FileKind::Credentials, p, "aws_access_key_id").is_some()
        || conf("aws_access_key_id").is_some()
    {
        return t!("awserr-src-static", profile = p);
    }
    if conf("role_arn").is_some() {
        return t!("awserr-src-role", profile = p);
    }
    t!("awserr-src-none")
}

/// Whether an IAM refusal comes from Cloud9's AWS managed temporary credentials: IAM calls
/// them an invalid token (`InvalidClientTokenId`), and the process runs in a Cloud9
/// environment (Cloud9's terminal sets `C9_PID`, `C9_USER` and `C9_HOSTNAME` in every shell
/// it opens). The error alone would also be a mistyped key; the environment alone says
/// nothing about the credentials.
pub fn is_cloud9_refusal(e: &IamError, env: &dyn Fn(&str) -> Option<String>) -> bool {
    let refused =
        matches!(e, IamError::InvalidCredentials { code, .. } if code == "InvalidClientTokenId");
    let cloud9 = ["C9_PID", "C9_USER", "C9_HOSTNAME"]
        .iter()
        .any(|k| env(k).is_some_and(|v| !v.is_empty()));
    refused && cloud9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        known_profiles(
            "[default]\nregion = x\n[profile sso]\nsso_session = s\n[sso-session s]\n",
            "[lab]\naws_access_key_id = A\n[default]\n",
        )
    }

    #[test]
    fn known_profiles_of_both_files_once() {
        // `[sso-session s]` is not a profile of the config file.
        assert_eq!(known(), ["default", "sso", "lab"]);
    }

    #[test]
    fn unknown_profile_names_it_and_the_fix() {
        let m = explain(
            &IamError::NoCredentials,
            Some(("nosuch", "AWS_PROFILE")),
            &known(),
        )
        .unwrap();
        assert!(m.contains("`nosuch`") && m.contains("AWS_PROFILE"), "{m}");
        assert!(
            m.contains("aws configure --profile nosuch") && m.contains("unset AWS_PROFILE"),
            "{m}"
        );
        assert!(m.contains("default, sso, lab"), "{m}");
        assert!(!m.contains('\n'));
        let m = explain(
            &IamError::CredentialsConfig {
                reason: "profile `x` is not defined".into(),
            },
            Some(("x", "--profile")),
            &[],
        )
        .unwrap();
        assert!(
            m.contains("aws configure --profile x") && !m.contains("unset"),
            "{m}"
        );
    }

    #[test]
    fn sso_without_login_says_aws_sso_login() {
        let e = IamError::CredentialsConfig {
            reason: "an error occurred while loading an access token: failed to load the cached SSO token (ProviderError(ProviderError { … }))".into(),
        };
        let m = explain(&e, Some(("sso", "--profile")), &known()).unwrap();
        assert_eq!(
            m,
            "the AWS SSO session of profile `sso` is not logged in or has expired; fix: `aws sso login --profile sso`"
        );
        let m = explain(
            &IamError::ExpiredToken,
            Some(("sso", "AWS_PROFILE")),
            &known(),
        )
        .unwrap();
        assert!(m.contains("aws sso login --profile sso"), "{m}");
    }

    #[test]
    fn missing_credentials_say_aws_login_first_then_import_csv() {
        for m in [
            explain(&IamError::NoCredentials, None, &[]).unwrap(),
            explain(
                &IamError::NoCredentials,
                Some(("p", "--profile")),
                &["p".into()],
            )
            .unwrap(),
            IamError::NoCredentials.to_string(),
        ] {
            let login = m.find("aws login").expect(&m);
            let import = m.find("labnote import-csv").expect(&m);
            assert!(login < import, "{m}");
            if let Some(c) = m.find("aws configure") {
                assert!(import < c, "aws configure comes last: {m}");
            }
        }
    }

    #[test]
    fn login_session_profiles_are_named() {
        let config = "[default]\nlogin_session = arn:aws:iam::123456789012:user/mspuser\n[profile s]\nsso_session = x\n[profile k]\nregion = us-east-1\n";
        let creds = "[k]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n";
        let src = |arg, envp, keys| credential_source(arg, envp, keys, config, creds);
        assert!(
            src(None, None, false).starts_with("login session"),
            "{}",
            src(None, None, false)
        );
        assert!(src(Some("default"), None, true).starts_with("login session"));
        assert!(src(None, None, true).contains("AWS_ACCESS_KEY_ID"));
        assert!(src(None, Some("s"), false).starts_with("SSO"));
        assert!(src(Some("k"), None, false).contains("static key"));
    }

    #[test]
    fn cloud9_refusal_needs_the_code_and_the_environment() {
        let refusal = IamError::InvalidCredentials {
            code: "InvalidClientTokenId".into(),
            message: "The security token included in the request is invalid".into(),
        };
        let c9 = |k: &str| (k == "C9_PID").then(|| "1234".to_string());
        let plain = |_: &str| None;
        assert!(is_cloud9_refusal(&refusal, &c9));
        assert!(!is_cloud9_refusal(&refusal, &plain));
        let other = IamError::InvalidCredentials {
            code: "SignatureDoesNotMatch".into(),
            message: String::new(),
        };
        assert!(!is_cloud9_refusal(&other, &c9));
        let m = t!("awserr-cloud9");
        assert!(
            m.contains("aws login") && m.contains("labnote import-csv") && !m.contains('\n'),
            "{m}"
        );
    }

    #[test]
    fn missing_credentials_say_aws_configure() {
        let m = explain(&IamError::NoCredentials, None, &[]).unwrap();
        assert!(
            m.starts_with("no AWS credentials found;") && m.contains("`aws configure`"),
            "{m}"
        );
        assert_eq!(explain(&IamError::Throttled, None, &[]), None);
        assert_eq!(
            profile_in_effect(Some(" "), Some("p")),
            Some(("p".into(), "AWS_PROFILE"))
        );
        assert_eq!(
            profile_in_effect(Some("a"), Some("p")),
            Some(("a".into(), "--profile"))
        );
        assert_eq!(profile_in_effect(None, None), None);
    }
}
