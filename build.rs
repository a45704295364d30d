//! Link options of the `labnote` binary.
//!
//! `credential-process` runs before every AWS command a student types, so the binary's
//! start-up is on their path. A position-independent executable is relocated by the dynamic
//! loader before `main`; this one holds ~72,000 relative relocations (1.7 MB of `.rela.dyn`,
//! mostly the AWS SDK's tables), read at every start. Where the toolchain can, the linker
//! packs them as RELR (`-z pack-relative-relocs`: a few KB of bitmaps; glibc ≥ 2.36 with GNU
//! ld ≥ 2.38, lld or mold). The executable stays position-independent (ASLR unchanged).
//!
//! Whether it can is tried, not assumed: a one-line C program is linked with the option (a
//! linker warning counts as "no") and, when the build is for this machine, run. Anything
//! else builds as before.
use std::process::{Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    // A linker chosen for the target (cargo-zigbuild's, which `scripts/release.sh` uses to link
    // against glibc 2.26) is left as it is: a loader older than 2.36 would not apply packed
    // relocations, and the probe below runs with this machine's glibc.
    if var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
        || std::env::var_os("RUSTC_LINKER").is_some()
    {
        return;
    }
    if relr_links(&var("OUT_DIR"), var("HOST") == var("TARGET")) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

fn relr_links(out_dir: &str, run: bool) -> bool {
    let exe = std::path::Path::new(out_dir).join("relr-probe");
    let child = Command::new("cc")
        .args(["-x", "c", "-", "-o"])
        .arg(&exe)
        .args([
            "-pie",
            "-fPIE",
            "-Wl,-z,pack-relative-relocs",
            "-Wl,--fatal-warnings",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(
            b"static const char *s[] = {\"a\"};\nint main(void) { return s[0][0] != 'a'; }\n",
        );
    }
    let linked = child.wait().is_ok_and(|s| s.success());
    linked && (!run || Command::new(&exe).status().is_ok_and(|s| s.success()))
}
