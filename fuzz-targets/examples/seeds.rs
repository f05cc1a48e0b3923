//! Writes every target's seeds to `fuzz/seeds/<target>/<name>` (or the directory given): where
//! `cargo fuzz run` starts from, before the corpus is minimized into `fuzz/corpus/`.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let root = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds"),
        PathBuf::from,
    );
    let seeds = paseto_auth_fuzz_targets::seeds::all();
    for seed in &seeds {
        let dir = root.join(seed.target);
        std::fs::create_dir_all(&dir)?;
        let name: String = seed
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        std::fs::write(dir.join(name), &seed.data)?;
    }
    println!("{} seeds in {}", seeds.len(), root.display());
    Ok(())
}
