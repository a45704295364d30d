//! `labnote::iam` against a real moto server (no mocks), plus tiny loopback
//! servers for failures moto cannot produce (refused connections, silence,
//! throttling, 5xx).
//!
//! Each test uses its own IAM user, so the tests can run in parallel against
//! one shared server. Nothing here mutates the process environment: tests that
//! need a particular environment (no credentials at all) re-run this test
//! binary as a child process with a controlled environment.

use crate::moto;

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use labnote::iam::{choose_key_to_retire, AwsOptions, Iam, IamError, KeyInfo};
use moto::{error_xml, serve, silent_server, unique_name, Moto};
use secrecy::{ExposeSecret, SecretString};

async fn moto_iam() -> Iam {
    Iam::connect(&Moto::get().options())
        .await
        .expect("connect to moto")
}

/// A fresh user on moto with `n` access keys (created oldest first).
async fn user_with_keys(prefix: &str, n: usize) -> (String, Vec<String>) {
    let m = Moto::get();
    let user = unique_name(prefix);
    m.create_user(&user).await;
    let iam = moto_iam().await;
    let mut ids = Vec::new();
    for _ in 0..n {
        ids.push(iam.create_key(&user).await.expect("create key").id);
    }
    (user, ids)
}

fn ids(keys: &[KeyInfo]) -> Vec<&str> {
    keys.iter().map(|k| k.id.as_str()).collect()
}

/// Sends one request signed with `key_id`, which moto records as the key's
/// last use.
async fn use_key(key_id: &str) {
    let iam = Iam::connect(&Moto::get().options_with_key(key_id, "any-secret"))
        .await
        .unwrap();
    iam.caller().await.expect("caller with key");
}

#[tokio::test]
async fn fresh_user_gets_one_active_key() {
    let (user, _) = user_with_keys("fresh", 0).await;
    let iam = moto_iam().await;
    assert!(iam.list_keys(&user).await.unwrap().is_empty());

    let new = iam.create_key(&user).await.unwrap();
    assert!(new.id.starts_with("AKIA"), "{}", new.id);
    assert_eq!(new.secret.expose_secret().len(), 40);
    assert!(new.created.is_some());
    let dbg = format!("{new:?}");
    assert!(!dbg.contains(new.secret.expose_secret()), "{dbg}");

    let keys = iam.list_keys(&user).await.unwrap();
    assert_eq!(ids(&keys), [new.id.as_str()]);
    assert!(keys[0].active);
    assert_eq!(keys[0].created, new.created);
    assert_eq!(keys[0].last_used, None);
    // Fewer than two keys: nothing has to be retired.
    assert_eq!(choose_key_to_retire(&keys, None, &[], None).unwrap(), None);
}

#[tokio::test]
async fn user_with_one_key_gets_a_second() {
    let (user, existing) = user_with_keys("onekey", 1).await;
    let iam = moto_iam().await;
    let new = iam.create_key(&user).await.unwrap();
    let keys = iam.list_keys(&user).await.unwrap();
    assert_eq!(ids(&keys), [existing[0].as_str(), new.id.as_str()]);
    assert!(keys.iter().all(|k| k.active));
}

#[tokio::test]
async fn third_key_is_limit_exceeded_even_with_an_inactive_key() {
    let (user, existing) = user_with_keys("limit", 2).await;
    let iam = moto_iam().await;
    match iam.create_key(&user).await {
        Err(IamError::LimitExceeded { user: u }) => assert_eq!(u, user),
        other => panic!("expected LimitExceeded, got {other:?}"),
    }
    iam.deactivate_key(&user, &existing[0]).await.unwrap();
    let err = iam.create_key(&user).await.unwrap_err();
    assert!(matches!(err, IamError::LimitExceeded { .. }), "{err:?}");
    assert!(err.to_string().contains("--retire"), "{err}");
}

#[tokio::test]
async fn retire_prefers_the_inactive_key() {
    let (user, k) = user_with_keys("inactive", 2).await;
    let iam = moto_iam().await;
    use_key(&k[0]).await; // k[1] is never used, but inactive still wins.
    iam.deactivate_key(&user, &k[0]).await.unwrap();
    let keys = iam.list_keys(&user).await.unwrap();
    assert!(!keys.iter().find(|x| x.id == k[0]).unwrap().active);
    let chosen = choose_key_to_retire(&keys, iam.signing_key_id(), &[], None).unwrap();
    assert_eq!(chosen.unwrap().id, k[0]);
}

#[tokio::test]
async fn retire_picks_least_recently_used_active_key() {
    let (user, k) = user_with_keys("lru", 2).await;
    let iam = moto_iam().await;

    // Only k[0] used: the never-used k[1] counts as the oldest use.
    use_key(&k[0]).await;
    let keys = iam.list_keys(&user).await.unwrap();
    assert!(keys[0].last_used.is_some() && keys[1].last_used.is_none());
    let chosen = choose_key_to_retire(&keys, iam.signing_key_id(), &[], None).unwrap();
    assert_eq!(chosen.unwrap().id, k[1]);

    // Now k[1] used after k[0]: k[0] is the least recently used.
    tokio::time::sleep(Duration::from_millis(20)).await;
    use_key(&k[1]).await;
    let keys = iam.list_keys(&user).await.unwrap();
    assert!(keys[0].last_used < keys[1].last_used, "{keys:?}");
    let chosen = choose_key_to_retire(&keys, iam.signing_key_id(), &[], None).unwrap();
    assert_eq!(chosen.unwrap().id, k[0]);

    // ... unless k[0] is recorded as in use in the memo.
    let chosen = choose_key_to_retire(&keys, None, &[k[0].clone()], None).unwrap();
    assert_eq!(chosen.unwrap().id, k[1]);
}

#[tokio::test]
async fn retire_never_picks_the_signing_key() {
    let (user, k) = user_with_keys("signing", 2).await;
    // A client signing with k[0]; its requests mark k[0] as used, then k[1]
    // is used later, so k[0] is the least recently used key.
    let own = Iam::connect(&Moto::get().options_with_key(&k[0], "whatever"))
        .await
        .unwrap();
    assert_eq!(own.signing_key_id(), Some(k[0].as_str()));
    let me = own.caller().await.unwrap();
    assert_eq!(me.user_name.as_deref(), Some(user.as_str()), "{me:?}");
    tokio::time::sleep(Duration::from_millis(20)).await;
    use_key(&k[1]).await;

    let keys = moto_iam().await.list_keys(&user).await.unwrap();
    assert!(keys[0].last_used < keys[1].last_used, "{keys:?}");
    // Without the signing rule, k[0] would go...
    let unguarded = choose_key_to_retire(&keys, None, &[], None).unwrap();
    assert_eq!(unguarded.unwrap().id, k[0]);
    // ...but we are standing on it.
    let chosen = choose_key_to_retire(&keys, own.signing_key_id(), &[], None).unwrap();
    assert_eq!(chosen.unwrap().id, k[1]);
    // Signing key and the other one protected: nothing left, with advice.
    let err = choose_key_to_retire(&keys, own.signing_key_id(), &[k[1].clone()], None).unwrap_err();
    assert!(matches!(err, IamError::NoRetirableKey { .. }), "{err:?}");
    assert!(err.to_string().contains("--retire KEY_ID"), "{err}");
}

#[tokio::test]
async fn deactivate_then_delete() {
    let (user, k) = user_with_keys("delete", 1).await;
    let iam = moto_iam().await;
    iam.deactivate_key(&user, &k[0]).await.unwrap();
    let keys = iam.list_keys(&user).await.unwrap();
    assert_eq!(ids(&keys), [k[0].as_str()]);
    assert!(!keys[0].active);

    iam.delete_key(&user, &k[0]).await.unwrap();
    assert!(iam.list_keys(&user).await.unwrap().is_empty());

    match iam.delete_key(&user, &k[0]).await {
        Err(IamError::NoSuchKey { user: u, key_id }) => {
            assert_eq!(
                (u.as_str(), key_id.as_str()),
                (user.as_str(), k[0].as_str())
            )
        }
        other => panic!("expected NoSuchKey, got {other:?}"),
    }
    // A slot is free again.
    iam.create_key(&user).await.unwrap();
}

#[tokio::test]
async fn description_is_a_user_tag_named_after_the_key() {
    let (user, k) = user_with_keys("tag", 1).await;
    let iam = moto_iam().await;
    let description = "labnote 실습 2주차 mspuser";
    iam.tag_description(&user, &k[0], description)
        .await
        .unwrap();

    let tags = Moto::get()
        .iam_client()
        .list_user_tags()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    let found: Vec<(&str, &str)> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(found, [(k[0].as_str(), description)]);

    let err = iam
        .tag_description(&user, &k[0], "not allowed!")
        .await
        .unwrap_err();
    assert!(
        matches!(err, IamError::InvalidDescription { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_user_is_no_such_user() {
    let iam = moto_iam().await;
    let user = unique_name("ghost");
    for result in [
        iam.list_keys(&user).await.map(|_| ()),
        iam.create_key(&user).await.map(|_| ()),
        iam.deactivate_key(&user, "AKIAEXAMPLE000000000").await,
    ] {
        match result {
            Err(IamError::NoSuchUser { user: u }) => assert_eq!(u, user),
            other => panic!("expected NoSuchUser, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn caller_identity_from_moto() {
    let iam = moto_iam().await;
    assert_eq!(iam.signing_key_id(), Some(moto::TEST_KEY));
    let me = iam.caller().await.unwrap();
    assert_eq!(me.arn, "arn:aws:sts::123456789012:user/moto");
    assert_eq!(me.account, "123456789012");
    assert_eq!(me.user_name.as_deref(), Some("moto"));
}

/// Options for a loopback endpoint that is not moto, with short timeouts.
fn local_options(url: &str) -> AwsOptions {
    AwsOptions {
        region: Some("us-east-1".to_owned()),
        endpoint_url: Some(url.to_owned()),
        credentials: Some((
            "AKIALOCALTEST0000000".to_owned(),
            SecretString::from("local-secret".to_owned()),
        )),
        connect_timeout: Duration::from_secs(1),
        operation_timeout: Duration::from_secs(2),
        ..AwsOptions::default()
    }
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let port = moto::free_port();
    let url = format!("http://127.0.0.1:{port}");
    // A generous operation timeout: the SDK retries refused connections with
    // backoff (up to ~3 s in all), and the operation timeout must not fire
    // first and hide the real cause.
    let opts = AwsOptions {
        operation_timeout: Duration::from_secs(20),
        ..local_options(&url)
    };
    let iam = Iam::connect(&opts).await.unwrap();
    let start = Instant::now();
    let err = iam.list_keys("mspuser").await.unwrap_err();
    let elapsed = start.elapsed();
    match &err {
        IamError::Connect { endpoint, cause } => {
            assert_eq!(endpoint, &url);
            assert!(!cause.is_empty());
        }
        other => panic!("expected Connect, got {other:?}"),
    }
    // Standard retries back off a little, but this must not hang.
    assert!(elapsed < Duration::from_secs(6), "took {elapsed:?}");
    assert!(!err.to_string().contains("local-secret"));
}

#[tokio::test]
async fn silent_server_is_a_timeout() {
    // Accepts and holds connections without ever answering.
    let url = silent_server();
    let iam = Iam::connect(&local_options(&url)).await.unwrap();
    let start = Instant::now();
    let err = iam.list_keys("mspuser").await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(matches!(err, IamError::Timeout { .. }), "{err:?}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

/// A loopback HTTP server answering every request with the same response;
/// returns its URL and the number of requests it received.
fn canned_server(status: &'static str, body: &str) -> (String, Arc<AtomicUsize>) {
    let body = body.to_owned();
    serve(move |_| Some((status, body.clone())))
}

#[tokio::test]
async fn throttling_is_retried_then_reported() {
    let (url, hits) = canned_server(
        "400 Bad Request",
        &error_xml("Sender", "Throttling", "Rate exceeded"),
    );
    let opts = AwsOptions {
        operation_timeout: Duration::from_secs(20),
        ..local_options(&url)
    };
    let iam = Iam::connect(&opts).await.unwrap();
    let err = iam.list_keys("mspuser").await.unwrap_err();
    assert!(matches!(err, IamError::Throttled), "{err:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn internal_failure_is_retried_then_reported() {
    let (url, hits) = canned_server(
        "500 Internal Server Error",
        &error_xml("Receiver", "InternalFailure", "Internal failure"),
    );
    let opts = AwsOptions {
        operation_timeout: Duration::from_secs(20),
        ..local_options(&url)
    };
    let iam = Iam::connect(&opts).await.unwrap();
    match iam.create_key("mspuser").await {
        Err(IamError::Service { code, message }) => {
            assert_eq!(code, "InternalFailure");
            assert_eq!(message, "Internal failure");
        }
        other => panic!("expected Service, got {other:?}"),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn client_errors_are_mapped_without_retrying() {
    type Check = fn(&IamError) -> bool;
    let cases: [(&str, &str, Check); 4] = [
        ("403 Forbidden", "AccessDenied", |e| {
            matches!(e, IamError::AccessDenied { action } if action == "iam:ListAccessKeys")
                && e.to_string().contains("iam:TagUser")
        }),
        ("403 Forbidden", "ExpiredToken", |e| {
            matches!(e, IamError::ExpiredToken) && e.to_string().contains("aws sso login")
        }),
        ("403 Forbidden", "InvalidClientTokenId", |e| {
            matches!(e, IamError::InvalidCredentials { .. })
        }),
        (
            "404 Not Found",
            "NoSuchEntity",
            |e| matches!(e, IamError::NoSuchUser { user } if user == "mspuser"),
        ),
    ];
    for (status, code, check) in cases {
        let (url, hits) = canned_server(status, &error_xml("Sender", code, "canned"));
        let iam = Iam::connect(&local_options(&url)).await.unwrap();
        let err = iam.list_keys("mspuser").await.unwrap_err();
        assert!(check(&err), "{code}: got {err:?}");
        assert_eq!(hits.load(Ordering::SeqCst), 1, "{code} must not be retried");
    }
}

#[tokio::test]
async fn invalid_endpoint_urls_are_rejected_up_front() {
    for url in ["not a url", "ftp://x", "http://", "localhost:5000"] {
        let opts = AwsOptions {
            endpoint_url: Some(url.to_owned()),
            ..Moto::get().options()
        };
        match Iam::connect(&opts).await {
            Err(IamError::InvalidEndpoint { url: u, reason }) => {
                assert_eq!(u, url);
                assert!(!reason.is_empty());
            }
            other => panic!("{url}: expected InvalidEndpoint, got {other:?}"),
        }
    }
}

/// Env var telling a child run of this binary which scenario to check.
const CHILD_MODE: &str = "LABNOTE_IAM_TEST_CHILD";

/// Runs one test of this binary in a child process with exactly `envs`
/// (plus the child marker and the moto URL), and asserts it passed.
fn run_child(test: &str, mode: &str, envs: &[(&str, String)]) {
    let exe = std::env::current_exe().unwrap();
    // One test binary: a test's full name carries its module path.
    let name = format!("{}::{test}", module_path!().trim_start_matches("it::"));
    let out = Command::new(exe)
        .args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env_clear()
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .env(CHILD_MODE, mode)
        .env("LABNOTE_MOTO_URL", Moto::get().url())
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("1 passed"),
        "child `{mode}` failed:\n{text}"
    );
}

/// An environment with no AWS configuration at all: HOME and the config
/// files point at an empty temporary directory; instance metadata disabled
/// (tests must never probe it).
fn empty_aws_env(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    std::fs::write(&config, "").unwrap();
    std::fs::write(&credentials, "").unwrap();
    vec![
        ("HOME", dir.display().to_string()),
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.display().to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ]
}

#[tokio::test]
async fn no_credentials_is_fast_and_clear() {
    match std::env::var(CHILD_MODE).as_deref() {
        Ok("no-credentials") => {
            let start = Instant::now();
            let err = Iam::connect(&AwsOptions::default()).await.unwrap_err();
            let elapsed = start.elapsed();
            assert!(matches!(err, IamError::NoCredentials), "{err:?}");
            assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
            let msg = err.to_string();
            assert!(msg.contains("aws configure") && msg.contains("--endpoint-url"));

            // A profile that does not exist is a clear configuration error.
            let opts = AwsOptions {
                profile: Some("no-such-profile".to_owned()),
                ..AwsOptions::default()
            };
            let err = Iam::connect(&opts).await.unwrap_err();
            match &err {
                IamError::CredentialsConfig { reason } => {
                    assert!(reason.contains("no-such-profile"), "{reason}")
                }
                other => panic!("expected CredentialsConfig, got {other:?}"),
            }

            // With an explicit local endpoint, no credentials are needed
            // (and no region: us-east-1 is the fallback).
            let opts = AwsOptions {
                endpoint_url: Some(Moto::get().url().to_owned()),
                ..AwsOptions::default()
            };
            let iam = Iam::connect(&opts).await.unwrap();
            assert_eq!(iam.signing_key_id(), Some(moto::TEST_KEY));
            iam.caller().await.unwrap();

            // ...but only for plain-http (local) endpoints: never send
            // placeholder keys to an HTTPS endpoint, which could be AWS.
            let opts = AwsOptions {
                endpoint_url: Some("https://127.0.0.1:9".to_owned()),
                ..AwsOptions::default()
            };
            let err = Iam::connect(&opts).await.unwrap_err();
            assert!(matches!(err, IamError::NoCredentials), "{err:?}");
        }
        Ok(other) => panic!("unknown child mode {other}"),
        Err(_) => {
            let dir = tempfile::tempdir().unwrap();
            run_child(
                "no_credentials_is_fast_and_clear",
                "no-credentials",
                &empty_aws_env(dir.path()),
            );
        }
    }
}

#[tokio::test]
async fn explicit_profile_beats_environment_credentials() {
    const PROFILE_KEY: &str = "AKIAPROFILE000000000";
    match std::env::var(CHILD_MODE).as_deref() {
        Ok("profile") => {
            let opts = AwsOptions {
                profile: Some("lab".to_owned()),
                endpoint_url: Some(Moto::get().url().to_owned()),
                ..AwsOptions::default()
            };
            let iam = Iam::connect(&opts).await.unwrap();
            assert_eq!(iam.signing_key_id(), Some(PROFILE_KEY));
            // Without the profile, the environment's key is used.
            let opts = AwsOptions {
                endpoint_url: Some(Moto::get().url().to_owned()),
                ..AwsOptions::default()
            };
            let iam = Iam::connect(&opts).await.unwrap();
            assert_eq!(iam.signing_key_id(), Some("AKIAENVIRONMENT00000"));
        }
        Ok(other) => panic!("unknown child mode {other}"),
        Err(_) => {
            let dir = tempfile::tempdir().unwrap();
            let mut env = empty_aws_env(dir.path());
            std::fs::write(
                dir.path().join("credentials"),
                format!("[lab]\naws_access_key_id = {PROFILE_KEY}\naws_secret_access_key = x\n"),
            )
            .unwrap();
            env.push(("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00000".to_owned()));
            env.push(("AWS_SECRET_ACCESS_KEY", "y".to_owned()));
            run_child(
                "explicit_profile_beats_environment_credentials",
                "profile",
                &env,
            );
        }
    }
}

#[test]
fn options_debug_hides_the_secret() {
    let opts = AwsOptions {
        credentials: Some(("AKIA1".to_owned(), SecretString::from("hunter2".to_owned()))),
        ..AwsOptions::default()
    };
    let dbg = format!("{opts:?}");
    assert!(dbg.contains("AKIA1") && !dbg.contains("hunter2"), "{dbg}");
}
