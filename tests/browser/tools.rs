//! The outside programs the report tests need, installed when missing: Debian's
//! Chromium (with a CJK font so screenshots show Chinese), Java, and the Nu Html
//! Checker (vnu.jar, from the npm registry's `vnu-jar`). A missing tool that cannot be
//! installed fails the test with the reason: these tests never skip.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

/// vnu-jar version pinned, so the checker's verdicts do not change under us.
const VNU_VERSION: &str = "26.9.27";

/// Installs run one at a time (the tests of one binary run in parallel).
static INSTALL: Mutex<()> = Mutex::new(());

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn run(what: &str, program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start {program}: {e}"));
    assert!(
        out.status.success(),
        "{what}: `{program} {}` failed ({}):\n{}{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// apt-get installs `packages` (as root, as on CI and the developers' machines).
fn apt_install(packages: &[&str]) {
    eprintln!("installing {} with apt-get", packages.join(" "));
    run("apt-get update", "apt-get", &["update", "-qq"]);
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    run("apt-get install", "apt-get", &args);
}

/// The Chromium binary, installed (with a CJK font) when missing.
pub fn chromium() -> PathBuf {
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let wanted = ["chromium", "fonts-wqy-microhei"];
    let missing: Vec<&str> = wanted.iter().copied().filter(|p| !installed(p)).collect();
    if !missing.is_empty() {
        apt_install(&missing);
    }
    assert!(
        works("chromium", &["--version"]),
        "chromium is installed but `chromium --version` fails"
    );
    PathBuf::from("chromium")
}

/// `java -jar vnu.jar` ready to run: (java, path of vnu.jar).
pub fn vnu() -> (PathBuf, PathBuf) {
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if !works("java", &["-version"]) {
        apt_install(&["default-jre-headless"]);
    }
    let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("vnu-{VNU_VERSION}"));
    let jar = prefix.join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        if !works("npm", &["--version"]) {
            apt_install(&["npm"]);
        }
        let spec = format!("vnu-jar@{VNU_VERSION}");
        let prefix_arg = prefix.to_string_lossy().into_owned();
        // --ignore-scripts: the package's install script would fetch a Java runtime;
        // the machine's own Java runs the jar.
        run(
            "npm install vnu-jar",
            "npm",
            &[
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--prefix",
                &prefix_arg,
                &spec,
            ],
        );
    }
    assert!(
        jar.is_file(),
        "vnu.jar not found at {} after npm install",
        jar.display()
    );
    (PathBuf::from("java"), jar)
}
