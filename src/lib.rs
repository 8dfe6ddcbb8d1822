//! shikaku (資格): eligibility data validation and reconciliation for a Japanese health
//! insurance society (健康保険組合).

pub mod domain;
pub mod output;
