//! IAM access-key operations for the lab step "create an AWS access key for
//! IAM user `mspuser`".
//!
//! This module is library-only: it never prints, and every failure is an
//! [`IamError`] whose message tells a student what to do next. The CLI decides
//! how to present things.
//!
//! Design notes (the "why"):
//! * IAM allows **two access keys per user**, and inactive keys count. Creating a
//!   third fails with `LimitExceeded`, so the caller first lists the keys and,
//!   when there are already two, retires one chosen by the pure function
//!   [`choose_key_to_retire`] (unit-testable without AWS).
//! * Credentials are resolved **once** in [`Iam::connect`], under a short
//!   timeout (and with a single EC2-metadata try), and that snapshot signs
//!   every request. So "no credentials" is a fast, clear error at connect time
//!   rather than a slow failure of the first request, and we know for certain
//!   which access key signs our requests ([`Iam::signing_key_id`]), so we never
//!   retire the key we are standing on. (Temporary credentials last at least
//!   15 minutes, far longer than one CLI run.)
//! * The region defaults to `us-east-1` when none is configured: IAM is global,
//!   but the SDK refuses to sign without a region. We deliberately do not ask
//!   EC2 instance metadata for a region (slow off-EC2).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types::StatusType;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use secrecy::{ExposeSecret, SecretString};

/// Region used when neither the options, the environment nor the profile set
/// one. IAM is a global service, so any commercial region signs correctly.
const FALLBACK_REGION: &str = "us-east-1";

/// Upper bound for [`Iam::connect`]'s credential resolution. Providers may use
/// the network (SSO, assume-role, instance metadata) or run a program
/// (`credential_process`); none should take this long, and a student without
/// working credentials should hear so promptly rather than wait on a hang.
const CREDENTIALS_TIMEOUT: Duration = Duration::from_secs(5);

/// Attempts per request (the SDK's "standard" retry mode): enough to ride out
/// throttling or a brief 5xx, few enough that a student is not kept waiting.
const MAX_ATTEMPTS: u32 = 3;

/// Placeholder credentials used only when the endpoint is a plain-`http://`
/// one (a local test server such as moto) and nothing else provides
/// credentials: such servers accept any signature, so demanding real keys
/// would only get in the way. Real AWS endpoints are HTTPS-only, so these
/// never reach AWS.
const LOCAL_PLACEHOLDER_KEY: &str = "testing";

/// Every IAM/STS action this module performs; named in access-denied errors so
/// the student (or instructor) can fix the policy in one go.
const REQUIRED_ACTIONS: &[&str] = &[
    "iam:ListAccessKeys",
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:DeleteAccessKey",
    "iam:GetAccessKeyLastUsed",
    "iam:TagUser",
    "sts:GetCallerIdentity",
];

/// Errors of this module. Each message says what to do about it; none ever
/// contains a secret access key.
#[derive(Debug, thiserror::Error)]
pub enum IamError {
    #[error("{}", crate::t!("iam-no-credentials"))]
    NoCredentials,

    /// The credential configuration exists but could not be used (unknown
    /// profile, failing `credential_process`, broken SSO settings, ...).
    #[error("{}", crate::t!("iam-credentials-config", reason = reason))]
    CredentialsConfig { reason: String },

    #[error("{}", crate::t!("iam-expired-token"))]
    ExpiredToken,

    /// AWS rejected the access key itself (deleted, deactivated, mistyped
    /// secret, or a clock far off).
    #[error("{}", crate::t!("iam-invalid-credentials", code = code, message = message))]
    InvalidCredentials { code: String, message: String },

    #[error("{}", crate::t!("iam-access-denied", action = action, actions = REQUIRED_ACTIONS.join(", ")))]
    AccessDenied { action: String },

    #[error("{}", crate::t!("iam-no-such-user", user = user))]
    NoSuchUser { user: String },

    #[error("{}", crate::t!("iam-no-such-key", user = user, key_id = key_id))]
    NoSuchKey { user: String, key_id: String },

    #[error("{}", crate::t!("iam-limit-exceeded", user = user))]
    LimitExceeded { user: String },

    #[error("{}", crate::t!("iam-throttled", attempts = MAX_ATTEMPTS))]
    Throttled,

    #[error("{}", crate::t!("iam-service", code = code, message = message, attempts = MAX_ATTEMPTS))]
    Service { code: String, message: String },

    #[error("{}", crate::t!("iam-connect", endpoint = endpoint, cause = cause))]
    Connect { endpoint: String, cause: String },

    #[error("{}", crate::t!("iam-timeout", what = what))]
    Timeout { what: String },

    #[error("{}", crate::t!("iam-invalid-endpoint", url = url, reason = reason))]
    InvalidEndpoint { url: String, reason: String },

    /// The description cannot be stored as an IAM tag value.
    #[error("{}", crate::t!("iam-invalid-description", reason = reason))]
    InvalidDescription { reason: String },

    #[error("{}", crate::t!("iam-no-retirable-key", reason = reason, keys = keys.join(", ")))]
    NoRetirableKey { keys: Vec<String>, reason: String },

    #[error("{}", crate::t!("iam-unknown-retire-key", key_id = key_id, keys = keys.join(", ")))]
    UnknownRetireKey { key_id: String, keys: Vec<String> },
}

/// How to reach AWS. Every field is explicit so that tests (and the CLI) can
/// configure everything without touching process-global environment
/// variables; `None` means "whatever the AWS config/environment says".
#[derive(Clone)]
pub struct AwsOptions {
    /// Named profile (like `aws --profile`). When set it takes precedence over
    /// credentials in environment variables, as with the AWS CLI.
    pub profile: Option<String>,
    /// Region for signing; falls back to env/profile, then [`FALLBACK_REGION`].
    pub region: Option<String>,
    /// Custom endpoint for IAM and STS (local test servers). When unset,
    /// `AWS_ENDPOINT_URL` / the profile's `endpoint_url` still apply.
    pub endpoint_url: Option<String>,
    /// TCP connect timeout per attempt.
    pub connect_timeout: Duration,
    /// Total time for one operation, retries included.
    pub operation_timeout: Duration,
    /// Explicit static credentials `(access key id, secret)`, bypassing the
    /// provider chain. Meant for tests, which must not mutate the process
    /// environment that parallel tests share.
    pub credentials: Option<(String, SecretString)>,
}

impl Default for AwsOptions {
    fn default() -> Self {
        AwsOptions {
            profile: None,
            region: None,
            endpoint_url: None,
            connect_timeout: Duration::from_secs(3),
            operation_timeout: Duration::from_secs(10),
            credentials: None,
        }
    }
}

impl fmt::Debug for AwsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsOptions")
            .field("profile", &self.profile)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field(
                "credentials",
                &self
                    .credentials
                    .as_ref()
                    .map(|(id, _)| format!("{id} / [REDACTED]")),
            )
            .finish()
    }
}

/// One access key as listed by IAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub id: String,
    pub active: bool,
    pub created: Option<jiff::Timestamp>,
    /// `None` when AWS has no record of the key being used.
    pub last_used: Option<jiff::Timestamp>,
}

/// A freshly created key. The secret is shown by AWS only once, so it is
/// wrapped in [`SecretString`] and redacted from `Debug`.
pub struct NewKey {
    pub id: String,
    pub secret: SecretString,
    pub created: Option<jiff::Timestamp>,
    /// How many requests it took (more than 1: the SDK retried, and an earlier attempt may
    /// have made a key too).
    pub attempts: u32,
}

impl fmt::Debug for NewKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewKey")
            .field("id", &self.id)
            .field("secret", &"[REDACTED]")
            .field("created", &self.created)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// Who the requests are made as (STS GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub arn: String,
    pub account: String,
    /// The IAM user name when the caller is an IAM user (`...:user/[PATH/]NAME`);
    /// `None` for the root user, assumed roles, federated users.
    pub user_name: Option<String>,
}

/// Connected IAM + STS clients, signing with one fixed credential snapshot.
#[derive(Clone)]
pub struct Iam {
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
    signing_key_id: Option<String>,
    /// Human-readable endpoint for connection errors.
    endpoint: String,
    /// Kept for the per-request timeout of [`Iam::create_key_within`].
    connect_timeout: Duration,
}

/// The credentials a client signs with, in the AWS CLI's order of precedence: explicit
/// keys, then a named profile (which must win over environment variables, unlike the SDK's
/// default chain), then the default chain.
async fn with_credentials(
    loader: aws_config::ConfigLoader,
    opts: &AwsOptions,
    profile: Option<&str>,
    region: &Region,
) -> aws_config::ConfigLoader {
    let region = region.clone();
    if let Some((id, secret)) = &opts.credentials {
        loader.credentials_provider(Credentials::new(
            id,
            secret.expose_secret(),
            None,
            None,
            "labnote-explicit",
        ))
    } else if let Some(p) = profile {
        // The default chain looks at environment variables before the
        // profile; an explicit profile must win, as in the AWS CLI.
        let provider = ProfileFileCredentialsProvider::builder()
            .configure(
                &ProviderConfig::default()
                    .with_region(Some(region.clone()))
                    .with_behavior_version(Some(BehaviorVersion::latest())),
            )
            .profile_name(p)
            .build();
        loader.credentials_provider(provider)
    } else {
        loader.credentials_provider(default_chain(&region).await)
    }
}

/// Resolves the configured provider's credentials once, within [`CREDENTIALS_TIMEOUT`], so
/// a missing configuration fails fast and with a reason: a named profile that yields nothing
/// is named; a plain-http local endpoint (moto) gets placeholder keys instead of none.
async fn resolve_credentials(
    sdk: &aws_config::SdkConfig,
    profile: Option<&str>,
    endpoint_url: Option<&str>,
) -> Result<Credentials, IamError> {
    let provider = sdk.credentials_provider().ok_or(IamError::NoCredentials)?;
    match tokio::time::timeout(CREDENTIALS_TIMEOUT, provider.provide_credentials()).await {
        Ok(Ok(creds)) => Ok(creds),
        // A named profile that yields nothing is most likely a typo or
        // a profile missing from ~/.aws: say which profile.
        Ok(Err(CredentialsError::CredentialsNotLoaded(_))) if profile.is_some() => {
            Err(IamError::CredentialsConfig {
                reason: format!(
                    "profile `{}` is not defined in the AWS config files, or has no \
                         credentials",
                    profile.unwrap_or_default()
                ),
            })
        }
        Ok(Err(CredentialsError::CredentialsNotLoaded(_))) | Err(_)
            if endpoint_url.is_some_and(is_plain_http) =>
        {
            Ok(Credentials::new(
                LOCAL_PLACEHOLDER_KEY,
                LOCAL_PLACEHOLDER_KEY,
                None,
                None,
                "labnote-local-placeholder",
            ))
        }
        Ok(Err(e)) => Err(map_credentials_error(e)),
        Err(_) => Err(IamError::NoCredentials),
    }
}

/// The AWS configuration every client of labnote signs with: the region, the endpoint in
/// effect (validated) and one credential snapshot, resolved once. [`Iam::connect`] and the
/// sources' readers (`crate::sources`) build their clients on it.
pub struct Connected {
    pub sdk: aws_config::SdkConfig,
    pub creds: Credentials,
    pub region: String,
    pub endpoint_url: Option<String>,
}

/// Loads the AWS configuration of `opts` and resolves its credentials once (no request is
/// sent to a service).
pub async fn connect_sdk(opts: &AwsOptions) -> Result<Connected, IamError> {
    let profile = non_empty(opts.profile.as_deref());
    if let Some(url) = non_empty(opts.endpoint_url.as_deref()) {
        validate_endpoint(url)?;
    }

    let region = resolve_region(non_empty(opts.region.as_deref()), profile).await;

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(opts.connect_timeout)
                .operation_timeout(opts.operation_timeout)
                .build(),
        );
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    if let Some(url) = non_empty(opts.endpoint_url.as_deref()) {
        loader = loader.endpoint_url(url);
    }
    loader = with_credentials(loader, opts, profile, &region).await;
    let sdk = loader.load().await;

    // The endpoint may also come from AWS_ENDPOINT_URL or the profile:
    // validate whatever is in effect.
    let endpoint_url = sdk.endpoint_url().map(str::to_owned);
    if let Some(url) = &endpoint_url {
        validate_endpoint(url)?;
    }

    let creds = resolve_credentials(&sdk, profile, endpoint_url.as_deref()).await?;
    Ok(Connected {
        sdk,
        creds,
        region: region.to_string(),
        endpoint_url,
    })
}

impl fmt::Debug for Iam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iam")
            .field("signing_key_id", &self.signing_key_id)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Iam {
    /// Loads the AWS configuration and resolves credentials once.
    ///
    /// No request is sent to IAM here (so an unreachable endpoint shows up on
    /// the first operation), but credential providers may talk to the network
    /// (SSO, `credential_process`, instance metadata) — bounded by a short
    /// timeout so that a missing configuration fails fast.
    pub async fn connect(opts: &AwsOptions) -> Result<Iam, IamError> {
        let Connected {
            sdk,
            creds,
            endpoint_url,
            ..
        } = connect_sdk(opts).await?;
        let signing_key_id = Some(creds.access_key_id().to_owned());

        let iam_conf = aws_sdk_iam::config::Builder::from(&sdk)
            .credentials_provider(creds.clone())
            .build();
        let sts_conf = aws_sdk_sts::config::Builder::from(&sdk)
            .credentials_provider(creds)
            .build();
        let endpoint = endpoint_url.unwrap_or_else(|| "the AWS IAM/STS endpoints".to_owned());
        Ok(Iam {
            iam: aws_sdk_iam::Client::from_conf(iam_conf),
            sts: aws_sdk_sts::Client::from_conf(sts_conf),
            signing_key_id,
            endpoint,
            connect_timeout: opts.connect_timeout,
        })
    }

    /// The access key id that signs this client's requests (so that the
    /// retirement logic never picks the key we are standing on).
    pub fn signing_key_id(&self) -> Option<&str> {
        self.signing_key_id.as_deref()
    }

    /// STS GetCallerIdentity: which identity (and account) the requests run as.
    pub async fn caller(&self) -> Result<Caller, IamError> {
        let ctx = Ctx::new(&self.endpoint, "sts:GetCallerIdentity");
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| map_sdk_error(e, &ctx))?;
        let arn = out.arn().unwrap_or_default().to_owned();
        Ok(Caller {
            user_name: user_name_from_arn(&arn),
            account: out.account().unwrap_or_default().to_owned(),
            arn,
        })
    }

    /// The user's access keys, oldest first, each with its last-used time.
    pub async fn list_keys(&self, user: &str) -> Result<Vec<KeyInfo>, IamError> {
        let mut keys = self.list_keys_brief(user).await?;
        self.fill_last_used(user, &mut keys).await?;
        Ok(keys)
    }

    /// Look up when each key was last used (GetAccessKeyLastUsed).
    pub async fn fill_last_used(&self, user: &str, keys: &mut [KeyInfo]) -> Result<(), IamError> {
        for key in keys.iter_mut() {
            let request = self
                .iam
                .get_access_key_last_used()
                .access_key_id(&key.id)
                .send();
            let action = "iam:GetAccessKeyLastUsed";
            let out = self.about_key(action, user, &key.id, request).await?;
            key.last_used = out
                .access_key_last_used()
                .and_then(|u| u.last_used_date())
                .and_then(to_timestamp);
        }
        Ok(())
    }

    /// The user's keys without their last use (one request less per key), oldest first.
    pub async fn list_keys_brief(&self, user: &str) -> Result<Vec<KeyInfo>, IamError> {
        Ok(self.list_keys_at(user).await?.0)
    }

    /// [`Iam::list_keys_brief`], and IAM's own time of the answer (its `Date` header, to
    /// the second; `None` when the server sent none). Every key not in the list was made
    /// after that time by IAM's clock, whatever this computer's clock says.
    pub async fn list_keys_at(
        &self,
        user: &str,
    ) -> Result<(Vec<KeyInfo>, Option<jiff::Timestamp>), IamError> {
        let ctx = Ctx::new(&self.endpoint, "iam:ListAccessKeys").user(user);
        let probe = Probe::default();
        let mut keys = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let out = self
                .iam
                .list_access_keys()
                .user_name(user)
                .set_marker(marker.take())
                .customize()
                .interceptor(probe.clone())
                .send()
                .await
                .map_err(|e| map_sdk_error(e, &ctx))?;
            for meta in out.access_key_metadata() {
                let Some(id) = meta.access_key_id() else {
                    continue;
                };
                keys.push(KeyInfo {
                    id: id.to_owned(),
                    active: meta.status() == Some(&StatusType::Active),
                    created: meta.create_date().and_then(to_timestamp),
                    last_used: None,
                });
            }
            match out.marker() {
                Some(m) if out.is_truncated() => marker = Some(m.to_owned()),
                _ => break,
            }
        }
        keys.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        Ok((keys, probe.first_date()))
    }

    /// Creates a new active access key. Fails with [`IamError::LimitExceeded`]
    /// when the user already has two.
    pub async fn create_key(&self, user: &str) -> Result<NewKey, IamError> {
        self.create_key_within(user, AwsOptions::default().operation_timeout)
            .await
    }

    /// [`Iam::create_key`], given up (retries included) after `timeout`: the caller knows
    /// how long after its start the request can have been carried out.
    pub async fn create_key_within(
        &self,
        user: &str,
        timeout: Duration,
    ) -> Result<NewKey, IamError> {
        let ctx = Ctx::new(&self.endpoint, "iam:CreateAccessKey").user(user);
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout.min(timeout))
            .operation_timeout(timeout)
            .build();
        let probe = Probe::default();
        let out = self
            .iam
            .create_access_key()
            .user_name(user)
            .customize()
            .config_override(aws_sdk_iam::config::Builder::default().timeout_config(timeouts))
            .interceptor(probe.clone())
            .send()
            .await
            .map_err(|e| map_sdk_error(e, &ctx))?;
        let key = out.access_key().ok_or_else(|| IamError::Service {
            code: "MissingAccessKey".to_owned(),
            message: "CreateAccessKey returned no key".to_owned(),
        })?;
        Ok(NewKey {
            id: key.access_key_id().to_owned(),
            secret: SecretString::from(key.secret_access_key().to_owned()),
            created: key.create_date().and_then(to_timestamp),
            attempts: probe.attempts(),
        })
    }

    /// Marks a key active again (undoing [`Iam::deactivate_key`]).
    pub async fn activate_key(&self, user: &str, key_id: &str) -> Result<(), IamError> {
        self.set_status(user, key_id, StatusType::Active).await
    }

    /// Marks a key inactive (reversible), the safe first step of retiring it.
    pub async fn deactivate_key(&self, user: &str, key_id: &str) -> Result<(), IamError> {
        self.set_status(user, key_id, StatusType::Inactive).await
    }

    async fn set_status(
        &self,
        user: &str,
        key_id: &str,
        status: StatusType,
    ) -> Result<(), IamError> {
        let request = self
            .iam
            .update_access_key()
            .user_name(user)
            .access_key_id(key_id)
            .status(status)
            .send();
        let action = "iam:UpdateAccessKey";
        self.about_key(action, user, key_id, request)
            .await
            .map(drop)
    }

    /// Deletes a key for good (frees one of the two slots).
    pub async fn delete_key(&self, user: &str, key_id: &str) -> Result<(), IamError> {
        let request = self
            .iam
            .delete_access_key()
            .user_name(user)
            .access_key_id(key_id)
            .send();
        let action = "iam:DeleteAccessKey";
        self.about_key(action, user, key_id, request)
            .await
            .map(drop)
    }

    /// Stores a key's description the way the IAM console does: as a tag on
    /// the user whose key is the access key id. The console shows it next to
    /// the key, so students recognise it later.
    pub async fn tag_description(
        &self,
        user: &str,
        key_id: &str,
        description: &str,
    ) -> Result<(), IamError> {
        validate_description(description)?;
        let tag = aws_sdk_iam::types::Tag::builder()
            .key(key_id)
            .value(description)
            .build()
            .map_err(|e| IamError::InvalidDescription {
                reason: e.to_string(),
            })?;
        let request = self.iam.tag_user().user_name(user).tags(tag).send();
        let action = "iam:TagUser";
        self.about_key(action, user, key_id, request)
            .await
            .map(drop)
    }

    /// The answer to `request`, an `action` about `user`'s key `key_id`; an SDK error is
    /// told as an [`IamError`] that names them.
    async fn about_key<T, E>(
        &self,
        action: &'static str,
        user: &str,
        key_id: &str,
        request: impl std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, IamError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let ctx = Ctx::new(&self.endpoint, action).user(user).key(key_id);
        request.await.map_err(|e| map_sdk_error(e, &ctx))
    }
}

/// Watches the attempts of one request (the SDK retries some failures): how many were
/// made, and the `Date` header of the first response, which is IAM's own clock.
#[derive(Debug, Clone, Default)]
struct Probe {
    attempts: Arc<std::sync::atomic::AtomicU32>,
    date: Arc<Mutex<Option<jiff::Timestamp>>>,
}

impl Probe {
    /// The first date seen.
    fn first_date(&self) -> Option<jiff::Timestamp> {
        *self.date.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn attempts(&self) -> u32 {
        self.attempts.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Intercept for Probe {
    fn name(&self) -> &'static str {
        "labnote-iam-probe"
    }

    /// Called once for every attempt, whatever became of it (an attempt cut short by the
    /// operation's timeout included), with the response when one came.
    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.attempts
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let date = context
            .response()
            .and_then(|r| r.headers().get("date"))
            .and_then(|d| {
                jiff::fmt::rfc2822::DateTimeParser::new()
                    .parse_timestamp(d)
                    .ok()
            });
        let mut first = self.date.lock().unwrap_or_else(|e| e.into_inner());
        if first.is_none() {
            *first = date;
        }
        Ok(())
    }
}

/// An IAM user name as IAM allows it: 1 to 64 of letters, digits and `+=,.@_-`.
pub fn is_user_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// An access key id as IAM makes them: 16 to 128 upper-case letters and digits.
pub fn is_access_key_id(id: &str) -> bool {
    (16..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Decides which key to retire when the user already has two (the IAM limit).
///
/// Returns `Ok(None)` when there are fewer than two keys: there is room, so
/// nothing needs retiring (even if `explicit` is given).
///
/// Rules, in order:
/// 1. `explicit` (from `--retire`) wins when it names one of the keys — the
///    student decided, even for the signing key (the caller should warn: after
///    deactivating it, further requests signed with it fail). An id that is
///    not one of the keys is an [`IamError::UnknownRetireKey`].
/// 2. Never the key that signs our requests, never a `protected` key (recorded
///    in the course memo as in use): retiring those would break the student's
///    own setup.
/// 3. Among the rest, an inactive key first (already out of service).
/// 4. Otherwise the least recently used; "never used" counts as the oldest
///    use; ties go to the oldest created, then the smallest id (so the choice
///    is deterministic).
pub fn choose_key_to_retire(
    keys: &[KeyInfo],
    signing_key: Option<&str>,
    protected: &[String],
    explicit: Option<&str>,
) -> Result<Option<KeyInfo>, IamError> {
    if keys.len() < 2 {
        return Ok(None);
    }
    let ids = || keys.iter().map(|k| k.id.clone()).collect::<Vec<_>>();
    if let Some(wanted) = explicit {
        return match keys.iter().find(|k| k.id == wanted) {
            Some(k) => Ok(Some(k.clone())),
            None => Err(IamError::UnknownRetireKey {
                key_id: wanted.to_owned(),
                keys: ids(),
            }),
        };
    }

    let mut excluded = Vec::new();
    let candidates: Vec<&KeyInfo> = keys
        .iter()
        .filter(|k| {
            if signing_key == Some(k.id.as_str()) {
                excluded.push(format!(
                    "{} is the key labnote is signing its requests with",
                    k.id
                ));
                false
            } else if protected.iter().any(|p| p == &k.id) {
                excluded.push(format!("{} is recorded in your memo as in use", k.id));
                false
            } else {
                true
            }
        })
        .collect();

    // Sort key: inactive before active, then least recently used (never used
    // first, as `None < Some`), then oldest created, then id.
    let best = candidates
        .into_iter()
        .min_by(|a, b| retire_order(a).cmp(&retire_order(b)));
    match best {
        Some(k) => Ok(Some(k.clone())),
        None => Err(IamError::NoRetirableKey {
            keys: ids(),
            reason: excluded.join("; "),
        }),
    }
}

type RetireOrder<'a> = (
    bool,
    Option<jiff::Timestamp>,
    Option<jiff::Timestamp>,
    &'a str,
);

fn retire_order(k: &KeyInfo) -> RetireOrder<'_> {
    (k.active, k.last_used, k.created, k.id.as_str())
}

/// The SDK's default credential chain (environment, `AWS_PROFILE`/default
/// profile including SSO and `credential_process`, web identity, ECS, EC2
/// instance metadata), except that instance metadata is asked once with 1 s
/// timeouts: the stock client retries for several seconds, which is what a
/// student without any credentials would otherwise wait for. On EC2 (or
/// Cloud9) the metadata service answers in milliseconds, so one try is enough.
async fn default_chain(region: &Region) -> DefaultCredentialsChain {
    let conf = ProviderConfig::default()
        .with_region(Some(region.clone()))
        .with_behavior_version(Some(BehaviorVersion::latest()));
    let imds = aws_config::imds::Client::builder()
        .configure(&conf)
        .max_attempts(1)
        .connect_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_secs(1))
        .build();
    DefaultCredentialsChain::builder()
        .configure(conf)
        .region(region.clone())
        .imds_client(imds)
        .build()
        .await
}

/// Extracts `NAME` from `arn:PARTITION:iam::ACCOUNT:user/[PATH/]NAME` (moto
/// reports `arn:aws:sts::ACCOUNT:user/NAME`, hence any service is accepted).
fn user_name_from_arn(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let resource = parts.nth(4)?;
    let path = resource.strip_prefix("user/")?;
    let name = path.rsplit('/').next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// Plain-HTTP endpoints are local test servers: real AWS only speaks HTTPS.
fn is_plain_http(url: &str) -> bool {
    url.get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Region: explicit option, then AWS_REGION/AWS_DEFAULT_REGION, then the
/// profile, then [`FALLBACK_REGION`]. Unlike the SDK default chain, instance
/// metadata is not consulted: it is slow off EC2 and IAM does not care.
async fn resolve_region(explicit: Option<&str>, profile: Option<&str>) -> Region {
    if let Some(r) = explicit {
        return Region::new(r.to_owned());
    }
    let mut from_profile = ProfileFileRegionProvider::builder();
    if let Some(p) = profile {
        from_profile = from_profile.profile_name(p);
    }
    let chain = RegionProviderChain::first_try(
        aws_config::environment::region::EnvironmentVariableRegionProvider::new(),
    )
    .or_else(from_profile.build())
    .or_else(Region::from_static(FALLBACK_REGION));
    chain
        .region()
        .await
        .unwrap_or_else(|| Region::from_static(FALLBACK_REGION))
}

/// Checks that an endpoint is an `http(s)://HOST[:PORT][/...]` URL, so that a
/// typo is reported as such rather than as an obscure request failure.
pub fn validate_endpoint(url: &str) -> Result<(), IamError> {
    let bad = |reason: &str| IamError::InvalidEndpoint {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    if url.chars().any(char::is_whitespace) {
        return Err(bad("it contains spaces"));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad("it is not a URL (no http:// or https://)"));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(bad(&format!(
            "scheme `{scheme}` is not supported, only http and https"
        )));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(bad("user names or passwords in the URL are not supported"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return Err(bad("unterminated IPv6 address"));
        };
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(bad("invalid IPv6 address"));
        }
        match after {
            "" => (addr, None),
            p => match p.strip_prefix(':') {
                Some(port) => (addr, Some(port)),
                None => return Err(bad("unexpected text after the IPv6 address")),
            },
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(bad("it has no host name"));
    }
    if !authority.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    {
        return Err(bad("the host name has invalid characters"));
    }
    if let Some(port) = port {
        match port.parse::<u16>() {
            Ok(p) if p > 0 => {}
            _ => return Err(bad(&format!("`{port}` is not a valid port"))),
        }
    }
    Ok(())
}

/// IAM tag values allow at most 256 characters from
/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`; checking locally gives a precise message
/// instead of AWS's generic ValidationError (Korean text is fine).
fn validate_description(description: &str) -> Result<(), IamError> {
    let count = description.chars().count();
    if count > 256 {
        return Err(IamError::InvalidDescription {
            reason: format!("it is {count} characters long, the limit is 256"),
        });
    }
    if let Some(c) = description.chars().find(|&c| {
        !(c.is_alphanumeric()
            || c == ' '
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@'))
    }) {
        return Err(IamError::InvalidDescription {
            reason: format!("the character {c:?} is not allowed"),
        });
    }
    Ok(())
}

fn to_timestamp(dt: &aws_smithy_types::DateTime) -> Option<jiff::Timestamp> {
    jiff::Timestamp::new(dt.secs(), dt.subsec_nanos() as i32).ok()
}

fn map_credentials_error(err: CredentialsError) -> IamError {
    match err {
        CredentialsError::CredentialsNotLoaded(_) | CredentialsError::ProviderTimedOut(_) => {
            IamError::NoCredentials
        }
        other => {
            let reason = DisplayErrorContext(&other).to_string();
            if reason.to_ascii_lowercase().contains("expired") {
                IamError::ExpiredToken
            } else {
                IamError::CredentialsConfig { reason }
            }
        }
    }
}

/// What a request was about, for error messages.
struct Ctx<'a> {
    endpoint: &'a str,
    action: &'static str,
    user: Option<&'a str>,
    key_id: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    fn new(endpoint: &'a str, action: &'static str) -> Self {
        Ctx {
            endpoint,
            action,
            user: None,
            key_id: None,
        }
    }
    fn user(mut self, user: &'a str) -> Self {
        self.user = Some(user);
        self
    }
    fn key(mut self, key_id: &'a str) -> Self {
        self.key_id = Some(key_id);
        self
    }
}

/// Turns an SDK error into an [`IamError`]. By the time we see it, the SDK's
/// standard retry has already retried transient failures (throttling, 5xx,
/// connection errors) up to [`MAX_ATTEMPTS`] times.
fn map_sdk_error<E>(err: SdkError<E, HttpResponse>, ctx: &Ctx<'_>) -> IamError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let what = || format!("calling {} on {}", ctx.action, ctx.endpoint);
    match &err {
        SdkError::TimeoutError(_) => IamError::Timeout { what: what() },
        SdkError::DispatchFailure(d) => {
            let cause = d
                .as_connector_error()
                .map(|c| DisplayErrorContext(c).to_string())
                .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
            if d.is_timeout() {
                IamError::Timeout { what: what() }
            } else {
                IamError::Connect {
                    endpoint: ctx.endpoint.to_owned(),
                    cause,
                }
            }
        }
        SdkError::ServiceError(se) => {
            let code = se.err().code().unwrap_or_default().to_owned();
            let message = se.err().message().unwrap_or_default().to_owned();
            let status = se.raw().status().as_u16();
            map_service_error(code, message, status, ctx)
        }
        _ => IamError::Service {
            code: "RequestFailed".to_owned(),
            message: format!("{}: {}", ctx.action, DisplayErrorContext(&err)),
        },
    }
}

fn map_service_error(code: String, message: String, status: u16, ctx: &Ctx<'_>) -> IamError {
    match code.as_str() {
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
            IamError::AccessDenied {
                action: ctx.action.to_owned(),
            }
        }
        "ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired" => IamError::ExpiredToken,
        "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "IncompleteSignature"
        | "MissingAuthenticationToken"
        | "UnrecognizedClientException"
        | "InvalidAccessKeyId"
        | "RequestExpired" => IamError::InvalidCredentials { code, message },
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "RequestThrottled" => IamError::Throttled,
        "NoSuchEntity" => match (ctx.user, ctx.key_id) {
            (Some(user), Some(key_id))
                if !message.to_ascii_lowercase().contains("user with name") =>
            {
                IamError::NoSuchKey {
                    user: user.to_owned(),
                    key_id: key_id.to_owned(),
                }
            }
            (Some(user), _) => IamError::NoSuchUser {
                user: user.to_owned(),
            },
            (None, _) => IamError::Service { code, message },
        },
        "LimitExceeded" if ctx.action == "iam:CreateAccessKey" => IamError::LimitExceeded {
            user: ctx.user.unwrap_or_default().to_owned(),
        },
        "" => IamError::Service {
            code: format!("HTTP {status}"),
            message,
        },
        _ => IamError::Service { code, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: i64) -> Option<jiff::Timestamp> {
        Some(jiff::Timestamp::from_second(s).unwrap())
    }

    fn key(id: &str, active: bool, created: i64, last_used: Option<i64>) -> KeyInfo {
        KeyInfo {
            id: id.to_owned(),
            active,
            created: ts(created),
            last_used: last_used.and_then(ts),
        }
    }

    /// What [`choose_key_to_retire`] is asked: the keys, the key labnote signs with, the
    /// protected keys, `--retire`.
    type Ask<'a> = (
        Vec<KeyInfo>,
        Option<&'a str>,
        &'a [&'a str],
        Option<&'a str>,
    );

    #[test]
    fn the_key_to_retire_follows_the_rules() {
        // (the rule, what is asked, the key chosen)
        let cases: [(&str, Ask, Option<&str>); 11] = [
            ("no keys, no retirement", (vec![], None, &[], None), None),
            (
                "one key needs no room",
                (vec![key("A", false, 1, None)], None, &[], None),
                None,
            ),
            (
                "nor does one key with --retire",
                (vec![key("A", false, 1, None)], None, &[], Some("X")),
                None,
            ),
            (
                "an inactive key goes first",
                (
                    vec![key("A", true, 1, None), key("B", false, 2, Some(100))],
                    None,
                    &[],
                    None,
                ),
                Some("B"),
            ),
            (
                "the least recently used among active ones",
                (
                    vec![key("A", true, 1, Some(200)), key("B", true, 2, Some(100))],
                    None,
                    &[],
                    None,
                ),
                Some("B"),
            ),
            (
                "never used counts as the oldest use",
                (
                    vec![key("A", true, 1, Some(5)), key("B", true, 2, None)],
                    None,
                    &[],
                    None,
                ),
                Some("B"),
            ),
            (
                "a tie goes to the oldest created",
                (
                    vec![key("A", true, 9, None), key("B", true, 3, None)],
                    None,
                    &[],
                    None,
                ),
                Some("B"),
            ),
            (
                "then to the lower id",
                (
                    vec![key("B", true, 3, Some(7)), key("A", true, 3, Some(7))],
                    None,
                    &[],
                    None,
                ),
                Some("A"),
            ),
            (
                "the signing key is never chosen (B, inactive, would be)",
                (
                    vec![key("A", true, 1, Some(100)), key("B", false, 2, None)],
                    Some("B"),
                    &[],
                    None,
                ),
                Some("A"),
            ),
            (
                "a protected key is never chosen",
                (
                    vec![key("A", true, 1, None), key("B", true, 2, Some(100))],
                    None,
                    &["A"],
                    None,
                ),
                Some("B"),
            ),
            (
                "--retire wins even over the rules",
                (
                    vec![key("A", true, 1, Some(100)), key("B", false, 2, None)],
                    Some("A"),
                    &["A"],
                    Some("A"),
                ),
                Some("A"),
            ),
        ];
        for (rule, (keys, signing, protected, explicit), want) in cases {
            let protected: Vec<String> = protected.iter().map(|p| p.to_string()).collect();
            let got = choose_key_to_retire(&keys, signing, &protected, explicit);
            let got = got.unwrap_or_else(|e| panic!("{rule}: {e}")).map(|k| k.id);
            assert_eq!(got.as_deref(), want, "{rule}");
        }
    }

    #[test]
    fn unknown_explicit_key_names_the_real_ids() {
        let keys = [key("A", true, 1, None), key("B", true, 2, None)];
        let err = choose_key_to_retire(&keys, None, &[], Some("C")).unwrap_err();
        assert!(matches!(err, IamError::UnknownRetireKey { .. }));
        let msg = err.to_string();
        assert!(msg.contains("--retire C") && msg.contains("A, B"), "{msg}");
    }

    #[test]
    fn nothing_retirable_explains_and_suggests_retire_flag() {
        let keys = [key("A", true, 1, None), key("B", true, 2, None)];
        let err = choose_key_to_retire(&keys, Some("A"), &["B".into()], None).unwrap_err();
        assert!(matches!(err, IamError::NoRetirableKey { .. }));
        let msg = err.to_string();
        assert!(msg.contains("--retire KEY_ID"), "{msg}");
        assert!(msg.contains("A is the key labnote is signing"), "{msg}");
        assert!(msg.contains("B is recorded in your memo"), "{msg}");
    }

    #[test]
    fn arn_user_names() {
        assert_eq!(
            user_name_from_arn("arn:aws:iam::123456789012:user/mspuser").as_deref(),
            Some("mspuser")
        );
        assert_eq!(
            user_name_from_arn("arn:aws:iam::123456789012:user/div/team/mspuser").as_deref(),
            Some("mspuser")
        );
        assert_eq!(
            user_name_from_arn("arn:aws:sts::123456789012:user/moto").as_deref(),
            Some("moto")
        );
        assert_eq!(user_name_from_arn("arn:aws:iam::123456789012:root"), None);
        assert_eq!(
            user_name_from_arn("arn:aws:sts::123456789012:assumed-role/Admin/session"),
            None
        );
        assert_eq!(user_name_from_arn("not an arn"), None);
    }

    #[test]
    fn endpoint_validation() {
        let ok = [
            "http://127.0.0.1:5000",
            "https://iam.amazonaws.com",
            "http://localhost:4566/",
            "HTTP://[::1]:8080/path",
        ];
        let bad = [
            "not a url",
            "ftp://x",
            "http://",
            "http://:80",
            "http://host:99999",
            "http://user:pw@host",
            "127.0.0.1:5000",
        ];
        // A refused endpoint is refused as one, never with another error.
        let valid = |url: &str| match validate_endpoint(url) {
            Ok(()) => true,
            Err(IamError::InvalidEndpoint { .. }) => false,
            Err(e) => panic!("{url}: not an InvalidEndpoint error: {e}"),
        };
        crate::testutil::assert_sorts(valid, &ok, &bad);
    }

    #[test]
    fn description_validation() {
        assert!(validate_description("labnote 실습용 키 2024-05-01").is_ok());
        assert!(validate_description("a_b.c:d/e=f+g-h@i").is_ok());
        assert!(validate_description("no!").is_err());
        assert!(validate_description(&"가".repeat(257)).is_err());
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let k = NewKey {
            id: "AKIAEXAMPLE".into(),
            secret: SecretString::from("s3cr3t-value".to_owned()),
            created: None,
            attempts: 1,
        };
        assert!(!format!("{k:?}").contains("s3cr3t"));
        let o = AwsOptions {
            credentials: Some(("AKIA".into(), SecretString::from("s3cr3t".to_owned()))),
            ..AwsOptions::default()
        };
        assert!(!format!("{o:?}").contains("s3cr3t"));
    }

    #[test]
    fn service_error_mapping() {
        let ctx = Ctx::new("http://x", "iam:DeleteAccessKey")
            .user("u")
            .key("AKIA1");
        let m = |code: &str, msg: &str, status| {
            map_service_error(code.to_owned(), msg.to_owned(), status, &ctx)
        };
        assert!(matches!(
            m("NoSuchEntity", "The user with name u cannot be found.", 404),
            IamError::NoSuchUser { .. }
        ));
        assert!(matches!(
            m(
                "NoSuchEntity",
                "The Access Key with id AKIA1 cannot be found",
                404
            ),
            IamError::NoSuchKey { .. }
        ));
        assert!(matches!(
            m("AccessDenied", "", 403),
            IamError::AccessDenied { action } if action == "iam:DeleteAccessKey"
        ));
        assert!(matches!(m("ExpiredToken", "", 403), IamError::ExpiredToken));
        assert!(matches!(m("Throttling", "", 400), IamError::Throttled));
        assert!(matches!(
            m("", "", 502),
            IamError::Service { code, .. } if code == "HTTP 502"
        ));
        // LimitExceeded only means "2 keys" for CreateAccessKey.
        assert!(matches!(
            m("LimitExceeded", "tags", 409),
            IamError::Service { .. }
        ));
    }
}
