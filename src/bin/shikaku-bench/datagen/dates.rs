//! `shikaku-bench generate-dates`: mixed-form date strings for the date-parser benchmark.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use crate::rng::Rng;
use crate::text::{
    date, era_compact, era_digits, era_kanji, era_short, era_short0, fullwidth, iso, nen, slash,
    ymd8,
};

/// `count` dates, one per line (UTF-8): every accepted form, a few impossible or ambiguous.
pub fn run(count: usize, out: &Path, seed: u64) -> Result<(), String> {
    let t0 = Instant::now();
    let mut rng = Rng::new(seed);
    let f = File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let lo = date(1912, 8, 1);
    let span = (date(2026, 12, 31) - lo).num_days();
    for _ in 0..count {
        let d = lo
            .checked_add_days(chrono::Days::new(rng.range(0, span) as u64))
            .unwrap_or(lo);
        let s = match rng.below(1000) {
            0 => "R1.4.30".to_string(),
            1 => "29.8.1".to_string(),
            2 => "H31.5.1".to_string(),
            3 => "R5.2.29".to_string(),
            k => match k % 14 {
                0 => iso(d),
                1 => slash(d),
                2 => ymd8(d),
                3 => nen(d),
                4 => era_kanji(d),
                5 => era_short(d),
                6 => era_short0(d),
                7 => era_short(d).replace('.', "/"),
                8 => era_short(d).replace('.', "-"),
                9 => era_compact(d),
                10 => era_digits(d),
                11 => fullwidth(&iso(d)),
                12 => fullwidth(&era_kanji(d)),
                _ => fullwidth(&era_short(d)),
            },
        };
        w.write_all(s.as_bytes())
            .and_then(|_| w.write_all(b"\n"))
            .map_err(|e| format!("{}: {e}", out.display()))?;
    }
    w.flush().map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "wrote {} ({count} dates) in {:.2?}",
        out.display(),
        t0.elapsed()
    );
    Ok(())
}
