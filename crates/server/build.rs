//! The web console is built by npm (`scripts/build-console.sh`) into
//! `web/console/dist` and embedded by `rust-embed` (see `src/console.rs`).
//! So that `cargo build` works without Node.js, a bilingual placeholder page
//! is written there when the console has not been built.

use std::path::PathBuf;

const PLACEHOLDER: &str = r#"<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>weihua</title></head>
<body style="font-family:sans-serif;margin:3em">
<h1>控制台尚未构建，请运行 scripts/build-console.sh</h1>
<p lang="en">console not built: run scripts/build-console.sh</p>
</body>
</html>
"#;

fn main() {
    let dist = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"))
        .join("../../web/console/dist");
    let index = dist.join("index.html");
    if !index.exists() {
        std::fs::create_dir_all(&dist).expect("create web/console/dist");
        std::fs::write(&index, PLACEHOLDER).expect("write the placeholder index.html");
    }
    // A directory is scanned for any change, so a rebuilt console (new hashed
    // asset names included) re-embeds.
    println!("cargo:rerun-if-changed={}", dist.display());
    println!("cargo:rerun-if-changed=build.rs");
}
