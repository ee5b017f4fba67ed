//! `tccvm completions SHELL` and `tccvm man`: what they print is what the shell
//! and man(1) read.
#![forbid(unsafe_code)]

use crate::common;

use std::process::Command;

use common::*;

#[test]
fn the_bash_completion_script_parses_and_completes_the_commands() {
    let out = run(&["completions", "bash"], &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    let dir = TempDir::new("completions");
    let file = dir.path().join("tccvm.bash");
    std::fs::write(&file, &script).unwrap();
    let parsed = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(parsed.status.success(), "bash -n: {}", text(&parsed.stderr));
    // Sourced, it registers a completion for tccvm that offers the commands.
    let listed = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(tccvm ''); COMP_CWORD=1; COMP_LINE='tccvm '; COMP_POINT=6; \
             _tccvm tccvm '' tccvm; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        ))
        .output()
        .unwrap();
    let offered = text(&listed.stdout);
    for command in ["terminate", "status", "completions", "man"] {
        assert!(
            offered.lines().any(|l| l == command),
            "{command}: {offered}"
        );
    }
}

#[test]
fn every_shell_gets_a_script_naming_the_flags() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(&["completions", shell], &[], None);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        for word in ["tccvm", "terminate", "destroy-prepaid", "retry-budget"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    let out = run(&["completions", "tcsh"], &[], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_manual_page_begins_with_its_title() {
    let out = run(&["man"], &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.starts_with(".TH tccvm 1 "), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        "Exit status: 0 done",
    ] {
        assert!(page.contains(section), "{section}");
    }
    let out = run(&["man", "terminate"], &[], None);
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".TH tccvm\\-terminate 1 ") || page.starts_with(".TH tccvm-terminate 1 "),
        "{page}"
    );
    assert!(page.contains("destroy\\-prepaid"), "{page}");
}

#[test]
fn a_page_written_to_a_full_disk_is_an_error() {
    let (mut cmd, _home) = clean_command(tccvm_path());
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = cmd.arg("man").stdout(full).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).starts_with("error: cannot write on standard output: "),
        "{}",
        text(&out.stderr)
    );
}
