//! `credential_process`: a real shell script written to a temporary directory.

mod credentials_support;

use credentials_support::TempDir;
use smithy_runtime::credentials::{
    CredentialProcessProvider, Env, Fs, ProfileCredentialsProvider, ProvideCredentials,
};
use std::path::PathBuf;
use std::time::Duration;

#[cfg(unix)]
fn script(dir: &TempDir, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[cfg(unix)]
#[tokio::test]
async fn the_programs_json_is_used_with_its_expiration() {
    let dir = TempDir::new("process");
    let counter = dir.path().join("runs");
    let path = script(
        &dir,
        "creds.sh",
        &format!(
            r#"echo x >> '{}'
cat <<'JSON'
{{"Version": 1, "AccessKeyId": "AKPROCESS", "SecretAccessKey": "psecret", "SessionToken": "ptoken", "Expiration": "2099-05-01T12:00:00Z"}}
JSON"#,
            counter.display()
        ),
    );
    // Through a profile, with an argument to show the command line goes through the shell.
    let config = format!(
        "[profile proc]\ncredential_process = {} --some-flag\n",
        path.display()
    );
    let provider = ProfileCredentialsProvider::builder()
        .env_and_fs(
            Env::from_vars([("HOME", "/h"), ("AWS_PROFILE", "proc")]),
            Fs::from_files([("/h/.aws/config", config)]),
        )
        .build();
    let credentials = provider.provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "AKPROCESS");
    assert_eq!(credentials.secret_access_key(), "psecret");
    assert_eq!(credentials.session_token(), Some("ptoken"));
    assert_eq!(
        credentials.expiry().map(|e| e.to_string()).as_deref(),
        Some("2099-05-01T12:00:00Z")
    );
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap().lines().count(),
        1
    );
}

#[cfg(unix)]
#[tokio::test]
async fn failures_are_clear_and_never_show_stdout() {
    let dir = TempDir::new("process-fail");
    let failing = script(
        &dir,
        "fail.sh",
        "echo 'SECRET-ON-STDOUT'\necho 'not logged in' >&2\nexit 3",
    );
    let error = CredentialProcessProvider::new(failing.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("exit status: 3") && error.contains("not logged in"),
        "{error}"
    );
    assert!(!error.contains("SECRET-ON-STDOUT"), "{error}");

    let wrong_version = script(
        &dir,
        "v2.sh",
        r#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}'"#,
    );
    let error = CredentialProcessProvider::new(wrong_version.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("Version 2"), "{error}");

    let not_json = script(&dir, "text.sh", "echo hello");
    let error = CredentialProcessProvider::new(not_json.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("not JSON"), "{error}");

    let slow = script(&dir, "slow.sh", "sleep 30");
    let started = std::time::Instant::now();
    let error = CredentialProcessProvider::builder(slow.display().to_string())
        .timeout(Duration::from_millis(300))
        .build()
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("did not finish"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
}
