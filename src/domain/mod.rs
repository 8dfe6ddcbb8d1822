//! The law as code (法令・通知のルール): era dates, ages, 高齢受給者, 負担割合, check digits,
//! postal codes and the normal forms values are compared in.
//!
//! Every finding shikaku raises about a birth date, a share ratio or a My Number rests on a
//! rule in this module. The rules are pure functions over small types: nothing here reads a
//! file, prints, looks at the environment or knows about polars, so a reviewer at the fund
//! can read each file against SPEC §4 and the seeds, and the tests at the bottom of each file
//! pin every boundary. Text inputs may be anything (empty, huge, emoji, full-width): no
//! function here panics on input.

pub mod age;
pub mod cp932;
pub mod date;
pub mod elderly;
pub mod insurer_no;
pub mod my_number;
pub mod postal;
pub mod share_ratio;
pub mod text;
