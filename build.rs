//! Rebuilds when a file is added to a folder that `archive init` embeds (src/init.rs): the
//! embed tells cargo about the files it found, not about new ones.

fn main() {
    for folder in ["skeleton", "templates", "static"] {
        println!("cargo::rerun-if-changed={folder}");
    }
}
