//! Helpers shared by the end-to-end tests.

use std::path::PathBuf;
use std::process::Command;

/// The example binary `cargo test` built next to this test; built on demand
/// (in a separate target dir, so as not to wait on this run's build lock) when
/// only this test target was compiled.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let built = profile_dir.join("examples").join(&file);
    if built.exists() {
        return built;
    }
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("example-test");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--example", name, "--manifest-path"])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(status.success());
    target.join("debug").join("examples").join(file)
}
