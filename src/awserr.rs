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
    t!(
        "awserr-ctx-line",
        profile = profile,
        region = region,
        endpoint = endpoint
    )
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
