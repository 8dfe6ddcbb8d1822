//! The one integration-test binary (each test binary links polars): tests build a temp
//! directory, write or copy inputs, run the real `shikaku` binary, and assert on its outputs.

mod check;
mod common;
mod decisions;
mod failsafe;
mod hostile;
mod ingest;
mod lang;
mod outputs;
mod report;
mod rules;
mod sample;
