//! The `shikaku` command: parse arguments, run the subcommand, map the outcome to an exit code
//! (0 clean, 1 findings at or above --fail-on, 2 usage/config/fatal input).

use shikaku::cli::Command;
use shikaku::cmd;
use std::process::ExitCode;

/// jemalloc (Cargo.toml says why), with its run-time options built in: freed pages go back to
/// the system after 200 ms, from its own background thread, instead of the default 10 s (a
/// stage's transient frames are freed long before the next stage's are allocated). The
/// environment can still set others: `_RJEM_MALLOC_CONF`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc reads this before `main`: a C string of its options (its `malloc_conf`, prefixed as
/// tikv-jemalloc-sys builds it). A reference to an array, so a thin pointer as C's
/// `const char *`, and the compiler checks the length against the text.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: &[u8; 59] = b"background_thread:true,dirty_decay_ms:200,muzzy_decay_ms:0\0";

fn main() -> ExitCode {
    // The language first: clap's own --help and errors follow it too.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = shikaku::i18n::Lang::from_args_and_env(&args);
    shikaku::i18n::set(lang);
    let cli = match shikaku::cli::parse(args, lang) {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code.clamp(0, 255) as u8),
    };
    let result = match cli.command {
        Command::Check(args) => cmd::check::run(args),
        Command::Reconcile(args) => cmd::reconcile::run(args),
        Command::Mailing(args) => cmd::mailing::run(args),
        Command::Inspect(args) => cmd::inspect::run(args),
        Command::Explain { code } => cmd::explain::explain(&code),
        Command::Rules => cmd::explain::list(),
    };
    shikaku::timing::report();
    match result {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            let text = e.to_string();
            let masked = shikaku::report::mask::mask_digit_runs(&text);
            let shown = shikaku::report::printable::printable(&masked);
            eprintln!("{}", shikaku::tr!("エラー：{shown}", "error: {shown}"));
            ExitCode::from(2)
        }
    }
}
