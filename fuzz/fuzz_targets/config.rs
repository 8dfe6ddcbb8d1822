//! Target 5: the configuration loaders (columns.toml, companies.toml, checks.toml) on
//! arbitrary text, merged over the built-in defaults as `--rules DIR` merges them.
//!
//! Asserts: no panic; an error names the file and renders; a configuration that loads can be
//! used (header lookup for every kind, every company, every severity).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shikaku::config::{Config, ConfigFile};
use shikaku::field::SourceKind;
use std::path::Path;
use std::sync::OnceLock;

/// The built-in defaults, parsed once: each run merges its text over a copy.
fn builtin() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(Config::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let file = [
        ConfigFile::Columns,
        ConfigFile::Companies,
        ConfigFile::Checks,
    ][which as usize % 3];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut config = builtin().clone();
    match config.merge_text(file, Path::new(file.name()), text) {
        Err(e) => {
            let shown = e.to_string();
            assert!(shown.contains(file.name()), "{shown}");
        }
        Ok(()) => {
            for kind in SourceKind::ALL {
                let aliases = config.columns.kind(kind);
                let _ = aliases.field_for("記号");
                let _ = aliases.field_for(text);
            }
            let _ = config.columns.relationship("妻");
            let _ = config.companies.iter().count();
            let _ = config.checks.severity.len();
        }
    }
});
