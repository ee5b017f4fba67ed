use super::*;
use crate::credentials::vars;
use crate::test_support::TempDir;
use tencentcloud_cvm_core::env::*;

const FILE: &str = "\
# Tencent Cloud credentials
; another comment style

[default]
secret_id  =  AKIDdefault
secret_key = SENTINEL-DEFAULT-KEY

[ci]
  secret_id=AKIDci
  secret_key = \"SENTINEL-CI-KEY\"
  token = SENTINEL-CI-TOKEN
[broken]
secret_id = AKIDbroken
";

/// A provider over `home` (as HOME) with extra variables and a system file
/// inside the temp dir, so the real /etc is never read.
fn provider(dir: &TempDir, extra: &[(&str, &str)]) -> ProfileFileCredentials {
    let home = dir.path().join("home").display().to_string();
    let mut pairs: Vec<(&str, &str)> = vec![("HOME", &home)];
    pairs.extend_from_slice(extra);
    ProfileFileCredentials::with_lookup(vars(&pairs))
        .with_system_file(dir.path().join("etc/credentials"))
}

fn assert_no_secret(e: &CredentialsError) {
    assert!(!e.to_string().contains("SENTINEL"), "{e}");
}

#[test]
fn default_and_named_profiles_with_comments_and_whitespace() {
    let dir = TempDir::new("profiles");
    dir.write("home/.tencentcloud/credentials", FILE);
    let c = provider(&dir, &[]).credentials().unwrap();
    assert_eq!(c.secret_id(), "AKIDdefault");
    assert_eq!(c.secret_key().expose(), "SENTINEL-DEFAULT-KEY");
    assert!(c.token().is_none());

    let ci = provider(&dir, &[])
        .with_profile("ci")
        .credentials()
        .unwrap();
    assert_eq!(ci.secret_id(), "AKIDci");
    assert_eq!(ci.secret_key().expose(), "SENTINEL-CI-KEY");
    assert_eq!(ci.token().unwrap().expose(), "SENTINEL-CI-TOKEN");

    let from_env = provider(&dir, &[(PROFILE_VAR, "ci")])
        .credentials()
        .unwrap();
    assert_eq!(from_env.secret_id(), "AKIDci");
    let builder_wins = provider(&dir, &[(PROFILE_VAR, "ci")])
        .with_profile("default")
        .credentials()
        .unwrap();
    assert_eq!(builder_wins.secret_id(), "AKIDdefault");
}

#[test]
fn missing_profile_or_key_is_invalid_and_names_the_path() {
    let dir = TempDir::new("missing");
    let path = dir.write("home/.tencentcloud/credentials", FILE);
    let e = provider(&dir, &[])
        .with_profile("broken")
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.source_name(), format!("profile file {}", path.display()));
    assert!(e.detail().contains("secret_key"), "{e}");
    assert_no_secret(&e);

    let e = provider(&dir, &[(PROFILE_VAR, "nope")])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.detail().contains("[nope]"), "{e}");
    assert!(e.detail().contains(PROFILE_VAR), "{e}");
}

#[test]
fn malformed_file_names_path_and_line() {
    let dir = TempDir::new("malformed");
    let path = dir.write(
        "creds.ini",
        "[default]\nsecret_id = AKID\nSENTINEL-KEY-WITHOUT-EQUALS\n",
    );
    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, &path.display().to_string())])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    assert!(e.detail().contains("line 3"), "{e}");
    assert_no_secret(&e);
}

#[test]
fn explicit_file_must_exist_and_be_readable() {
    let dir = TempDir::new("explicit");
    let missing = dir.path().join("nope.ini").display().to_string();
    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, &missing)])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.to_string().contains(&missing), "{e}");
    assert!(e.detail().contains(CREDENTIALS_FILE_VAR), "{e}");

    // A directory is not a credentials file.
    let a_dir = dir.path().display().to_string();
    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, &a_dir)])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.detail(), "is a directory, not a regular file");

    let e = ProfileFileCredentials::with_lookup(|_| None)
        .with_path(dir.path().join("absent"))
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);

    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, " ")])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.detail().starts_with(CREDENTIALS_FILE_VAR), "{e}");

    let binary = dir.path().join("binary");
    std::fs::write(&binary, [0xff, 0xfe, b'[', 0]).unwrap();
    let e = ProfileFileCredentials::with_lookup(|_| None)
        .with_path(&binary)
        .credentials()
        .unwrap_err();
    assert!(e.detail().contains("UTF-8"), "{e}");
}

#[test]
fn a_default_location_that_is_a_directory_is_invalid() {
    let dir = TempDir::new("homedir");
    std::fs::create_dir_all(dir.path().join("home/.tencentcloud/credentials")).unwrap();
    let e = provider(&dir, &[]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
}

#[test]
fn no_file_anywhere_is_not_configured_and_lists_what_was_tried() {
    let dir = TempDir::new("none");
    let e = provider(&dir, &[]).credentials().unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(e.detail().contains(".tencentcloud/credentials"), "{e}");
    assert!(e.detail().contains("etc/credentials"), "{e}");

    // Without HOME only the system file is tried.
    let e = ProfileFileCredentials::with_lookup(|_| None)
        .with_system_file(dir.path().join("etc/credentials"))
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotConfigured);
    assert!(!e.detail().contains(".tencentcloud"), "{e}");
}

#[test]
fn precedence_variable_then_home_then_system() {
    let dir = TempDir::new("precedence");
    let one = |id: &str| format!("[default]\nsecret_id={id}\nsecret_key=k\n");
    dir.write("etc/credentials", &one("AKIDsystem"));
    let id = |p: ProfileFileCredentials| p.credentials().unwrap().secret_id().to_owned();
    assert_eq!(id(provider(&dir, &[])), "AKIDsystem");
    dir.write("home/.tencentcloud/credentials", &one("AKIDhome"));
    assert_eq!(id(provider(&dir, &[])), "AKIDhome");
    let named = dir.write("named.ini", &one("AKIDnamed"));
    let named = named.display().to_string();
    assert_eq!(
        id(provider(&dir, &[(CREDENTIALS_FILE_VAR, &named)])),
        "AKIDnamed"
    );
    let builder = dir.write("builder.ini", &one("AKIDbuilder"));
    assert_eq!(
        id(provider(&dir, &[(CREDENTIALS_FILE_VAR, &named)]).with_path(builder)),
        "AKIDbuilder"
    );
}

/// `TENCENTCLOUD_CREDENTIALS_FILE` naming a FIFO used to block forever waiting
/// for a writer; now it is refused at once, naming the path.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = TempDir::new("fifo");
    let fifo = dir.path().join("credentials");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, &fifo.display().to_string())])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(e.source_name(), format!("profile file {}", fifo.display()));
    assert_eq!(e.detail(), "is a FIFO (named pipe), not a regular file");
}

#[test]
fn control_characters_name_the_key_and_path_not_the_value() {
    let dir = TempDir::new("control");
    let path = dir.write(
        "creds.ini",
        "[default]\nsecret_id = AKID\u{7}x\nsecret_key = SENTINEL-KEY\ntoken = SENTINEL\rTOKEN\n",
    );
    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, &path.display().to_string())])
        .credentials()
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    assert_eq!(
        e.detail(),
        "`secret_id` in section [default] contains a control character (such as CR or LF)"
    );
    assert_no_secret(&e);
}

#[test]
fn role_settings_are_read_with_the_keys() {
    let dir = TempDir::new("role");
    dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id=AKIDbase\nsecret_key=k\nrole_arn=qcs::cam::uin/1:roleName/ops\nrole_session_name=nightly\n",
    );
    let p = provider(&dir, &[]);
    let loaded = p.load().unwrap();
    assert_eq!(
        loaded.role_arn.as_deref(),
        Some("qcs::cam::uin/1:roleName/ops")
    );
    assert_eq!(loaded.role_session_name.as_deref(), Some("nightly"));
    // On its own, the provider gives the profile's keys.
    assert_eq!(p.credentials().unwrap().secret_id(), "AKIDbase");
}

#[test]
fn the_region_comes_from_the_same_file_and_profile_as_the_keys() {
    let dir = TempDir::new("region");
    // No file anywhere: no region, and no error (keys may come from elsewhere).
    assert_eq!(provider(&dir, &[]).region().unwrap(), None);

    dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nregion = ap-guangzhou\n[ci]\nsecret_id = AKIDci\nsecret_key = SENTINEL-CI-KEY\nregion = ap-shanghai\n",
    );
    assert_eq!(
        provider(&dir, &[]).region().unwrap().as_deref(),
        Some("ap-guangzhou")
    );
    assert_eq!(
        provider(&dir, &[(PROFILE_VAR, "ci")])
            .region()
            .unwrap()
            .as_deref(),
        Some("ap-shanghai")
    );
    assert_eq!(
        provider(&dir, &[])
            .with_profile("ci")
            .region()
            .unwrap()
            .as_deref(),
        Some("ap-shanghai")
    );
    assert_eq!(
        provider(&dir, &[]).with_profile("nope").region().unwrap(),
        None
    );

    // A file named by the variable must exist; a malformed one names its line.
    let missing = dir.path().join("missing").display().to_string();
    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, &missing)])
        .region()
        .unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
    dir.write("bad", "[default]\nSENTINEL-LINE\n");
    let bad = dir.path().join("bad").display().to_string();
    let e = provider(&dir, &[(CREDENTIALS_FILE_VAR, &bad)])
        .region()
        .unwrap_err();
    assert!(e.to_string().contains("line 2"), "{e}");
    assert_no_secret(&e);
}
