//! shikaku (資格): eligibility data validation and reconciliation for a Japanese health
//! insurance society (健康保険組合).
//!
//! Data flows, and the modules follow it: `ingest` (bytes → text → raw frames with
//! provenance) → `prepare` (typed columns, households) → `checks` (the rules) and
//! `reconcile`/`mailing` (the decisions) → `report` (findings for people and machines) and
//! `output` (the lists, written atomically). `domain` is the law, with no I/O; `config` reads
//! `rules/`.

pub mod checks;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod cores;
pub mod domain;
pub mod error;
pub mod field;
pub mod finding;
pub mod i18n;
pub mod ingest;
pub mod mailing;
pub mod output;
pub mod prepare;
pub mod reconcile;
pub mod report;
pub mod timing;
