//! The curated sample fund: さくら健康保険組合. Every household below is either a clean
//! filler or a deliberate case; deliberate cases carry their planted findings (`plant`) and
//! intended outcomes (`expect_cert`, `expect_return`), which `oracle` re-derives and checks.

use crate::fund::{C01, C02, C03, C04, C05, Gen, NIN, TOK};
use crate::model::{Cell, Ctx, Field, Rel, Src, Tr};
use crate::text::{date, era_kanji, era_short};

const CHECK: &[Ctx] = &[Ctx::Check];
const CHECK_MAIL: &[Ctx] = &[Ctx::Check, Ctx::Mailing];
const MAIL: &[Ctx] = &[Ctx::Mailing];
const RECON: &[Ctx] = &[Ctx::Reconcile];

pub fn build() -> Result<Gen, String> {
    let mut g = Gen::new(0x5A4B_5241_2026_1101);
    c01(&mut g)?;
    c02(&mut g)?;
    c03(&mut g)?;
    c04(&mut g)?;
    c05(&mut g)?;
    individual(&mut g)?;
    g.finish();
    // After `finish`, so the households before them keep their random draws (and bytes).
    unknown_is_never_no(&mut g)?;
    Ok(g)
}

fn c01(g: &mut Gen) -> Result<(), String> {
    // 1001-1: seed 004 7-1 in one household. Insured born 1954-08-01 is 高齢受給者 on
    // 2024-08-31 and prints 負担割合 3 (標準報酬月額 300,000 ≥ 280,000); his wife born
    // 1954-08-02 becomes 高齢受給者 only on 2024-09-01: no 負担割合 on her 2024 letter.
    let h = g.insured(C01, date(1954, 8, 1), 1)?;
    g.rename(h, "桜井\u{3000}正雄", "サクライ\u{3000}マサオ");
    let m = &mut g.m[h];
    m.acquired = date(1977, 4, 1);
    m.remuneration = Some(300_000);
    m.set(Src::Fund, Field::Remuneration, Cell::text("300,000"));
    m.ratio = Some(3);
    m.myna = true;
    m.set_note(Tr::new(
        "一斉送付 FAQ 項番 7-1：1954-08-01 生まれ。基準日 2024-08-31 のお知らせに負担割合 3割と記載します",
        "seed 004 7-1: born 1954-08-01, prints 負担割合 3 at 2024-08-31",
    ));
    let s = g.dep(h, Rel::Haigusha, date(1954, 8, 2), 2)?;
    g.rename(s, "桜井\u{3000}和子", "サクライ\u{3000}カズコ");
    let m = &mut g.m[s];
    m.ratio = Some(3);
    m.myna = true;
    m.set(
        Src::Fund,
        Field::BirthDate,
        Cell::text(era_kanji(date(1954, 8, 2))),
    );
    m.set_note(Tr::new(
        "一斉送付 FAQ 項番 7-1：1954-08-02 生まれ。2024-08-31 のお知らせに負担割合は記載しません（3割は 2026年の基準日のための登録）",
        "seed 004 7-1: born 1954-08-02, no 負担割合 at 2024-08-31; 3割 recorded for 2026",
    ));
    m.plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR003",
        MAIL,
        Tr::new(
            "負担割合「3」が登録されていますが、1954-08-02 生まれの方は基準日 2024-08-31 には高齢受給者ではありません（2024-09-01 から）。お知らせに負担割合は記載しません",
            "3 recorded, but born 1954-08-02 is not 高齢受給者 on 2024-08-31 (from 2024-09-01); the letter prints no 負担割合",
        ),
    );

    g.filler(C01)?;

    // 1001-3: a child's birth date written R1.4.30 (令和 began 2019-05-01).
    let h = g.insured(C01, date(1987, 9, 14), 1)?;
    g.dep(h, Rel::Haigusha, date(1989, 2, 2), 2)?;
    let k = g.dep(h, Rel::Ko, date(2019, 4, 30), 2)?;
    g.m[k].set(Src::Fund, Field::BirthDate, Cell::text("R1.4.30"));
    g.m[k].plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD002",
        CHECK_MAIL,
        Tr::new(
            "生年月日「R1.4.30」は令和の始まり（2019-05-01）より前の日付です。事業主のファイルは日付セルで 2019-04-30（組合の日付が読めないため BD004 は出ません）。この方のお知らせは送付を保留します",
            "R1.4.30 is before 令和 began (2019-05-01); the employer file has the date cell 2019-04-30 (no BD004: the fund's date is unreadable); her letter is blocked",
        ),
    );
    g.dep(h, Rel::Ko, date(2022, 8, 15), 1)?;

    // 1001-4: new hire who cannot use マイナ保険証; the employer asks for a certificate.
    let h = g.insured(C01, date(2003, 5, 12), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(2026, 10, 1);
    m.mn_registered = Some(date(2026, 10, 6));
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.auto = false;
    m.cert_requested = true;
    m.in_registry = false;
    m.expect_cert = Some("申請");
    m.set_note(Tr::new(
        "2026-10-01 資格取得の新入社員。資格確認書発行要否は 1。国の登録情報にはまだ載っていません",
        "new hire 2026-10-01, 資格確認書発行要否 = 1, not yet in the registry",
    ));

    // 1001-5: My Number registered after the base date (seed 004 5-2).
    let h = g.insured(C01, date(1979, 11, 3), 2)?;
    let m = &mut g.m[h];
    m.acquired = date(2012, 4, 1);
    m.mn_registered = Some(date(2024, 10, 15));
    m.myna = true;
    m.cert = None;
    m.auto_cert = false;
    m.auto = false;
    m.set_note(Tr::new(
        "個人番号登録日 2024-10-15。2024-08-31 のお知らせに下4桁は記載せず、自宅あての封筒は特定記録郵便になりません",
        "個人番号登録日 2024-10-15: the 2024-08-31 letter has no last 4 and its 自宅 envelope is not 特定記録",
    ));
    m.plant(
        Src::Fund,
        Some(Field::MyNumberRegisteredOn),
        "MN005",
        MAIL,
        Tr::new(
            "個人番号登録日 2024-10-15 が基準日 2024-08-31 より後のため、お知らせに個人番号の下4桁は記載しません",
            "個人番号登録日 2024-10-15 is after the base date 2024-08-31: the letter carries no 個人番号下4桁",
        ),
    );

    // 1001-6: the registry has a child's sex wrong.
    let h = g.insured(C01, date(1983, 3, 21), 1)?;
    g.dep(h, Rel::Haigusha, date(1985, 7, 7), 2)?;
    let k = g.dep(h, Rel::Ko, date(2013, 6, 1), 1)?;
    g.m[k].set(Src::Registry, Field::Sex, Cell::text("2"));
    g.m[k].plant(
        Src::Fund,
        Some(Field::Sex),
        "ID006",
        RECON,
        Tr::new(
            "性別が異なります：組合「1」（男）、国の登録情報「2」",
            "fund 1 (男), national registry 2",
        ),
    );

    // 1001-7: 負担割合 recorded for a 45-year-old.
    let h = g.insured(C01, date(1981, 6, 18), 1)?;
    g.m[h].ratio = Some(3);
    g.m[h].plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR003",
        CHECK_MAIL,
        Tr::new(
            "1981年生まれで高齢受給者ではない方に、負担割合「3」が登録されています（国の登録情報も 3）",
            "負担割合 3 recorded for a member born 1981 (not 高齢受給者); the registry says 3 too",
        ),
    );
    g.dep(h, Rel::Haigusha, date(1982, 1, 9), 2)?;

    // 1001-8: the employer has a newer address (moved from 三鷹 to 吉祥寺).
    let h = g.insured(C01, date(1976, 12, 5), 1)?;
    g.relocate(h, "1810013");
    g.dep(h, Rel::Haigusha, date(1978, 4, 4), 2)?;
    g.dep(h, Rel::Ko, date(2010, 10, 10), 2)?;
    let new_addr = g.address("1800004");
    g.m[h].set(Src::Emp, Field::PostalCode, Cell::text("180-0004"));
    g.m[h].set(Src::Emp, Field::Address, Cell::text(new_addr));
    g.m[h].plant(
        Src::Fund,
        Some(Field::Address),
        "AD006",
        RECON,
        Tr::new(
            "住所が異なります：組合「三鷹市下連雀…」、事業主「武蔵野市吉祥寺本町…」（組合の住所が古い可能性があります）",
            "fund 三鷹市下連雀…, employer 武蔵野市吉祥寺本町… (the fund may be stale)",
        ),
    );

    // 1001-9: the employer has the birth year wrong.
    let h = g.insured(C01, date(1985, 2, 3), 2)?;
    g.m[h].set(Src::Emp, Field::BirthDate, Cell::Date(date(1986, 2, 3)));
    g.m[h].plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD004",
        RECON,
        Tr::new(
            "生年月日が異なります：組合 1985-02-03、事業主（日付セル）1986-02-03",
            "fund 1985-02-03, employer date cell 1986-02-03",
        ),
    );

    // 1001-10: the employer's 個人番号 came from a failed VLOOKUP (#N/A).
    let h = g.insured(C01, date(1990, 1, 30), 1)?;
    g.m[h].set(Src::Emp, Field::MyNumber, Cell::NaError);
    g.m[h].plant(
        Src::Emp,
        Some(Field::MyNumber),
        "IN005",
        CHECK,
        Tr::new(
            "個人番号のセルが数式 =NA() で、値はエラー #N/A です（事業主の値が読めないため MN002 は出ません）",
            "formula =NA() with cached error #N/A in 個人番号 (no MN002: the employer value is unreadable)",
        ),
    );
    g.dep(h, Rel::Haigusha, date(1991, 11, 11), 2)?;

    // 1001-11: the fund says registered, the registry no longer does (電子証明書 expired).
    let h = g.insured(C01, date(1968, 7, 7), 1)?;
    let m = &mut g.m[h];
    m.myna = true;
    m.cert = None;
    m.auto_cert = false;
    m.registry_myna = Some(false);
    // A quoted multi-line 交付事由: the list's later rows are numbered by record, not line.
    m.on_list = Some("電子証明書有効期限切れ\n（利用登録の再設定が必要）".into());
    m.expect_cert = Some("職権");
    m.set_note(Tr::new(
        "マイナ保険証利用登録が組合は 1、国の登録情報は 0（国の登録情報を優先）。資格確認書を職権交付します",
        "fund マイナ保険証利用登録 1, registry 0 (registry wins): 職権 certificate",
    ));

    // 1001-12: 会社コード typed C10.
    let h = g.insured(C01, date(1972, 3, 3), 1)?;
    g.dep(h, Rel::Haigusha, date(1974, 5, 5), 2)?;
    for i in [h, h + 1] {
        g.m[i].company = "C10".into();
        g.m[i].myna = true;
    }
    g.m[h].plant(
        Src::Fund,
        Some(Field::Company),
        "AD001",
        CHECK_MAIL,
        Tr::new(
            "会社コード「C10」が rules/companies.toml にありません（事業主のファイルでは C01）。この世帯のお知らせは送付を保留します",
            "会社コード C10 is not in rules/companies.toml (the employer file says C01); the household's letters are blocked",
        ),
    );
    g.m[h + 1].plant(
        Src::Fund,
        Some(Field::Company),
        "AD001",
        CHECK_MAIL,
        Tr::new(
            "被扶養者の行も会社コードが「C10」です",
            "会社コード C10 on the dependent's row too",
        ),
    );

    // 1001-13: renewal window boundaries (D + 60 days = 2026-12-31).
    let h = g.insured(C01, date(1980, 8, 8), 1)?;
    g.m[h].myna = true;
    let s = g.dep(h, Rel::Haigusha, date(1981, 2, 14), 2)?;
    g.m[s].myna = true;
    let k1 = g.dep(h, Rel::Ko, date(2012, 12, 24), 1)?;
    let m = &mut g.m[k1];
    m.myna = false;
    m.cert = Some(date(2026, 12, 31));
    m.expect_cert = Some("更新");
    m.set_note(Tr::new(
        "資格確認書有効期限 2026-12-31 は基準日の60日後。更新分を交付します",
        "資格確認書有効期限 2026-12-31 = D + 60: renewed",
    ));
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE005",
        RECON,
        Tr::new(
            "有効期限 2026-12-31 は更新期間の最終日です。更新分を交付します",
            "expires 2026-12-31, the last day of the window",
        ),
    );
    let k2 = g.dep(h, Rel::Ko, date(2015, 3, 3), 2)?;
    let m = &mut g.m[k2];
    m.myna = false;
    m.cert = Some(date(2027, 1, 1));
    m.set_note(Tr::new(
        "資格確認書有効期限 2027-01-01 は基準日の61日後。まだ更新しません",
        "資格確認書有効期限 2027-01-01 = D + 61: not renewed yet",
    ));

    // 1001-14: lives in Sapporo; the employer's 郵便番号 cell is the number 600001.
    let h = g.insured(C01, date(1977, 1, 17), 1)?;
    g.relocate(h, "0600001");
    g.dep(h, Rel::Haigusha, date(1979, 9, 19), 2)?;
    g.m[h].set(Src::Emp, Field::PostalCode, Cell::Num(600001.0));
    g.m[h].plant(
        Src::Emp,
        Some(Field::PostalCode),
        "IN004",
        CHECK,
        Tr::new(
            "郵便番号が数値のセル 600001 で、先頭の0が落ちています。「0600001」として読みます",
            "numeric cell 600001: leading zero lost, read as 0600001",
        ),
    );

    // 1001-15: the employer reads 中島 as ナカシマ.
    let h = g.insured(C01, date(1988, 10, 1), 1)?;
    g.surname(h, "中島", "ナカジマ");
    let k = g.m[h].kana.replace("ナカジマ", "ナカシマ");
    g.m[h].set(Src::Emp, Field::NameKana, Cell::text(k));
    g.m[h].plant(
        Src::Fund,
        Some(Field::NameKana),
        "ID005",
        RECON,
        Tr::new(
            "氏名カナが異なります：組合「ナカジマ」、事業主「ナカシマ」",
            "fund ナカジマ, employer ナカシマ",
        ),
    );

    // 1001-16: the registry has the spouse's birth date one day off.
    let h = g.insured(C01, date(1975, 5, 25), 1)?;
    let s = g.dep(h, Rel::Haigusha, date(1977, 6, 12), 2)?;
    g.m[s].set(Src::Registry, Field::BirthDate, Cell::text("19770613"));
    g.m[s].plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD003",
        RECON,
        Tr::new(
            "生年月日が異なります：組合 1977-06-12、国の登録情報「19770613」",
            "fund 1977-06-12, national registry 19770613",
        ),
    );

    // 1001-17: the employer writes the address as 4-2-11; the fund as 四丁目2番11号 (same).
    let h = g.insured(C01, date(1984, 4, 4), 2)?;
    let m = &mut g.m[h];
    m.postal = "1040061".into();
    m.address = "東京都中央区銀座四丁目2番11号".into();
    m.set(
        Src::Emp,
        Field::Address,
        Cell::text("東京都中央区銀座4-2-11"),
    );
    m.set_note(Tr::new(
        "事業主の住所「銀座4-2-11」は、表記をそろえると組合の「銀座四丁目2番11号」と同じです。AD006 は出ません",
        "employer address 銀座4-2-11 equals the fund's 銀座四丁目2番11号 after folding: no AD006",
    ));
    g.dep(h, Rel::Ko, date(2016, 1, 20), 1)?;

    // 1001-18: 負担割合 differs between fund (2, right) and registry (3).
    let h = g.insured(C01, date(1953, 6, 30), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(1976, 4, 1);
    m.remuneration = Some(240_000);
    m.ratio = Some(2);
    m.myna = true;
    m.set(Src::Registry, Field::ShareRatio, Cell::text("3"));
    m.plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR004",
        RECON,
        Tr::new(
            "負担割合が異なります：組合 2（標準報酬月額 240,000円は28万円未満のため、組合が正しい）、国の登録情報 3",
            "fund 2 (right: 240,000 < 280,000), registry 3",
        ),
    );

    // 1001-19: lost membership in 2025: in the 2024 mailing, not active in 2026.
    let h = g.insured(C01, date(1964, 2, 27), 1)?;
    g.m[h].acquired = date(2001, 4, 1);
    g.m[h].myna = true;
    let s = g.dep(h, Rel::Haigusha, date(1966, 8, 30), 2)?;
    g.m[s].myna = true;
    for i in [h, s] {
        g.m[i].lost = Some(date(2025, 4, 1));
        g.m[i].in_employer = false;
        g.m[i].set_note(Tr::new(
            "資格喪失日 2025-04-01。2024年のお知らせの対象ですが、2026-11-01 には資格がありません",
            "資格喪失日 2025-04-01: active for the 2024 notice, not on 2026-11-01",
        ));
    }

    // 1001-20: lost in 2023, never had a My Number on file: no finding (not active).
    let h = g.insured(C01, date(1995, 12, 1), 2)?;
    let m = &mut g.m[h];
    m.acquired = date(2018, 4, 1);
    m.lost = Some(date(2023, 10, 1));
    m.my_number = None;
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.auto = false;
    m.in_employer = false;
    m.in_registry = false;
    m.set_note(Tr::new(
        "資格喪失日 2023-10-01、個人番号なし。どちらの基準日にも資格がないため、MN005 は出ません",
        "資格喪失日 2023-10-01, no 個人番号: inactive at both dates, no MN005",
    ));

    g.filler(C01)?;
    g.filler(C01)?;
    g.filler(C01)?;

    // 1001-24: hired 2026-10-15; the employer lists him, the fund has not recorded him.
    let h = g.insured(C01, date(2000, 7, 7), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(2026, 10, 15);
    m.mn_registered = None;
    m.myna = false;
    m.auto = false;
    m.in_fund = false;
    m.in_registry = false;
    m.plant(
        Src::Emp,
        Some(Field::Number),
        "ID003",
        RECON,
        Tr::new(
            "事業主のファイルにある方（入社 2026-10-15）ですが、組合の加入者台帳にこの記号・番号・枝番がありません（資格取得の未登録）",
            "employer row (入社 2026-10-15) whose key has no fund row",
        ),
    );
    Ok(())
}

fn c02(g: &mut Gen) -> Result<(), String> {
    // 1002-1: 基準収入額適用 = 1: 2割 despite 標準報酬月額 300,000.
    let h = g.insured(C02, date(1953, 3, 5), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(1975, 4, 1);
    m.remuneration = Some(300_000);
    m.income_exception = Some(true);
    m.ratio = Some(2);
    m.myna = true;
    m.set_note(Tr::new(
        "基準収入額適用が 1 のため、標準報酬月額 300,000円でも2割です",
        "基準収入額適用 1: 2割 although 標準報酬月額 300,000",
    ));
    let s = g.dep(h, Rel::Haigusha, date(1952, 10, 10), 2)?;
    g.m[s].ratio = Some(2);
    g.m[s].myna = true;
    g.m[s].set(Src::Fund, Field::BirthDate, Cell::text("S27.10.10"));

    // 1002-2: 3割 expected (340,000), 2 recorded.
    let h = g.insured(C02, date(1953, 11, 20), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(1976, 4, 1);
    m.remuneration = Some(340_000);
    m.ratio = Some(2);
    m.myna = true;
    m.plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR001",
        CHECK_MAIL,
        Tr::new(
            "標準報酬月額 340,000円の高齢受給者で、負担割合が「2」で登録されていますが、正しくは3割です。この方のお知らせは送付を保留します",
            "高齢受給者 with 標準報酬月額 340,000: 3割 expected, 2 recorded; his letter is blocked",
        ),
    );
    g.dep(h, Rel::Haigusha, date(1962, 1, 15), 2)?;

    g.filler(C02)?;

    // 1002-4: a newborn whose My Number the fund never received.
    let h = g.insured(C02, date(1991, 3, 8), 1)?;
    g.dep(h, Rel::Haigusha, date(1992, 12, 2), 2)?;
    let k = g.dep(h, Rel::Ko, date(2024, 1, 5), 2)?;
    let m = &mut g.m[k];
    m.my_number = None;
    m.mn_registered = None;
    m.myna = false;
    m.cert = Some(date(2029, 1, 31));
    m.auto = false;
    m.plant(
        Src::Fund,
        Some(Field::MyNumber),
        "MN005",
        CHECK_MAIL,
        Tr::new(
            "資格のある方ですが、個人番号が登録されていません（事業主のファイルにもありません）。お知らせに下4桁は記載しません",
            "active member with no 個人番号 (the employer file has none either); her letter has no last 4",
        ),
    );

    // 1002-5: a child's birth date written 15.4.3 (no era).
    let h = g.insured(C02, date(1975, 9, 9), 1)?;
    g.dep(h, Rel::Haigusha, date(1976, 3, 30), 2)?;
    let k = g.dep(h, Rel::Ko, date(2003, 4, 3), 1)?;
    g.m[k].set(Src::Fund, Field::BirthDate, Cell::text("15.4.3"));
    g.m[k].plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD001",
        CHECK_MAIL,
        Tr::new(
            "生年月日「15.4.3」は元号がなく、年を特定できません（平成15年なら 2003年）。事業主と国の登録情報は 2003-04-03（BD003・BD004 は出ません）。この方のお知らせは送付を保留します",
            "15.4.3: two-digit year with no era is ambiguous (平成15 = 2003); employer and registry have 2003-04-03 (no BD003/BD004); his letter is blocked",
        ),
    );

    // 1002-6: 自宅 household with no address in the fund (nor the employer).
    let h = g.insured(C02, date(1986, 6, 16), 2)?;
    g.m[h].address = String::new();
    g.m[h].plant(
        Src::Fund,
        Some(Field::Address),
        "AD002",
        CHECK_MAIL,
        Tr::new(
            "自宅あての世帯（C02 は自宅あて）ですが、住所が空欄です。この世帯のお知らせは送付を保留します",
            "自宅-routed household (C02 home) with an empty 住所; the household's letters are blocked",
        ),
    );
    let k = g.dep(h, Rel::Ko, date(2014, 2, 2), 1)?;
    g.m[k].address = String::new();

    // 1002-7: malformed postal code.
    let h = g.insured(C02, date(1993, 7, 21), 1)?;
    g.relocate(h, "1600022");
    g.m[h].set(Src::Fund, Field::PostalCode, Cell::text("160-022"));
    g.m[h].plant(
        Src::Fund,
        Some(Field::PostalCode),
        "AD003",
        CHECK_MAIL,
        Tr::new(
            "郵便番号「160-022」の形式が誤っています（事業主のファイルは 160-0022）。この世帯のお知らせは送付を保留します",
            "160-022 is not a postal code (the employer has 160-0022); the household's letter is blocked",
        ),
    );

    // 1002-8: registered for マイナ保険証 and still holding a valid certificate.
    let h = g.insured(C02, date(1970, 10, 20), 2)?;
    let m = &mut g.m[h];
    m.myna = true;
    m.cert = Some(date(2027, 3, 31));
    m.expect_return = Some("マイナ保険証登録");
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE003",
        RECON,
        Tr::new(
            "マイナ保険証の利用登録がある方が、2027-03-31 まで有効な資格確認書をお持ちです。返納を求めます",
            "certificate valid to 2027-03-31 held by a マイナ保険証-registered member: return",
        ),
    );

    // 1002-9: retired 2026-06-30, lost 2026-07-01, both still hold certificates.
    let h = g.insured(C02, date(1964, 6, 30), 1)?;
    let s = g.dep(h, Rel::Haigusha, date(1966, 1, 1), 2)?;
    for i in [h, s] {
        let m = &mut g.m[i];
        m.acquired = date(1987, 4, 1);
        m.lost = Some(date(2026, 7, 1));
        m.myna = false;
        m.cert = Some(date(2028, 7, 31));
        m.expect_return = Some("資格喪失");
        m.plant(
            Src::Fund,
            Some(Field::CertExpiresOn),
            "CE004",
            RECON,
            Tr::new(
                "資格喪失日 2026-07-01 の後も、2028-07-31 まで有効な資格確認書をお持ちです。返納を求めます",
                "資格喪失日 2026-07-01, certificate valid to 2028-07-31: return",
            ),
        );
    }
    g.m[h].left_on = Some(date(2026, 6, 30));
    g.m[h].set_note(Tr::new(
        "事業主の退職日 2026-06-30 と組合の資格喪失日 2026-07-01（退職日の翌日）が合っています。ID004 は出ません",
        "employer 退職日 2026-06-30 matches the fund's 資格喪失日 2026-07-01: no ID004",
    ));
    g.m[s].in_employer = false;

    // 1002-10: the employer says he left on 2026-09-30; the fund still has him active.
    let h = g.insured(C02, date(1982, 8, 18), 1)?;
    g.m[h].left_on = Some(date(2026, 9, 30));
    g.m[h].plant(
        Src::Fund,
        Some(Field::LostOn),
        "ID004",
        RECON,
        Tr::new(
            "事業主の退職日は 2026-09-30 ですが、組合に資格喪失日が登録されていません（2026-10-01 以後も資格があることになっています）",
            "employer 退職日 2026-09-30; the fund has no 資格喪失日 (active on 2026-10-01)",
        ),
    );

    // 1002-11: listed twice in the employer file.
    let h = g.insured(C02, date(1996, 5, 5), 2)?;
    g.m[h].emp_rows = 2;
    g.m[h].plant(
        Src::Emp,
        None,
        "IN006",
        CHECK,
        Tr::new(
            "同じ行が2回あります。2行とも除外します",
            "the same row twice: both rows rejected",
        ),
    );

    // 1002-12: the spouse's 枝番 is the number 1 in the employer file.
    let h = g.insured(C02, date(1979, 2, 28), 1)?;
    let s = g.dep(h, Rel::Haigusha, date(1980, 12, 12), 2)?;
    g.m[s].set(Src::Emp, Field::Branch, Cell::Num(1.0));
    g.m[s].plant(
        Src::Emp,
        Some(Field::Branch),
        "IN004",
        CHECK,
        Tr::new(
            "枝番が数値のセル 1 です。「01」として読みます",
            "numeric cell 1, read as 01",
        ),
    );
    g.dep(h, Rel::Ko, date(2011, 7, 7), 1)?;

    // 1002-13: the employer lists one child of a household but not its insured person.
    let h = g.insured(C02, date(1985, 11, 11), 1)?;
    g.m[h].in_employer = false;
    g.dep(h, Rel::Haigusha, date(1987, 4, 29), 2)?;
    g.m[h + 1].in_employer = false;
    let k = g.dep(h, Rel::Ko, date(2020, 3, 3), 2)?;
    g.m[k].in_employer = true;
    g.m[k].plant(
        Src::Emp,
        Some(Field::Relationship),
        "ID002",
        CHECK,
        Tr::new(
            "事業主のファイルに、この子は載っていますが、世帯の被保険者が載っていません",
            "the employer file lists this child but not the household's insured person",
        ),
    );

    // 1002-14: the employer has a different (valid) My Number.
    let h = g.insured(C02, date(1973, 4, 1), 1)?;
    let other = g.my_number()?;
    g.m[h].set(Src::Emp, Field::MyNumber, Cell::text(other));
    g.m[h].plant(
        Src::Fund,
        Some(Field::MyNumber),
        "MN002",
        RECON,
        Tr::new(
            "個人番号の下4桁が組合と事業主で異なります",
            "last 4 differ: fund vs employer",
        ),
    );

    // 1002-15: the employer's .xls has =NA() in 個人番号 (cached error #N/A, BIFF code 0x2A).
    let h = g.insured(C02, date(1987, 1, 1), 1)?;
    g.m[h].set(Src::Emp, Field::MyNumber, Cell::NaError);
    g.m[h].plant(
        Src::Emp,
        Some(Field::MyNumber),
        "IN005",
        CHECK,
        Tr::new(
            "個人番号のセルが数式 =NA() で、値はエラー #N/A です（読めないため MN002 は出ません）",
            "formula =NA() whose cached value is the error #N/A (no MN002: unreadable)",
        ),
    );

    // 1002-16: certificate expired yesterday, not on the list, not requested: coverage gap.
    let h = g.insured(C02, date(1967, 12, 25), 2)?;
    let m = &mut g.m[h];
    m.myna = false;
    m.cert = Some(date(2026, 10, 31));
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE006",
        RECON,
        Tr::new(
            "利用登録がなく、資格確認書は 2026-10-31 で期限切れです。職権交付対象者リストにも事業主の申請にもありません",
            "unregistered, certificate expired 2026-10-31, not on the list, not requested",
        ),
    );
    let s = g.dep(h, Rel::Haigusha, date(1966, 9, 9), 1)?;
    g.m[s].myna = true;

    // 1002-17: on the list; the list spells 山崎 ﾔﾏｻｷ.
    let h = g.insured(C02, date(1989, 8, 31), 1)?;
    g.surname(h, "山崎", "ヤマザキ");
    let m = &mut g.m[h];
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.expect_cert = Some("職権");
    let k = crate::text::halfwidth_kana(&m.kana.replace("ヤマザキ", "ヤマサキ"));
    m.set(Src::List, Field::NameKana, Cell::text(k));
    m.plant(
        Src::Fund,
        Some(Field::NameKana),
        "ID005",
        RECON,
        Tr::new(
            "氏名カナが異なります：組合「ヤマザキ」、職権交付対象者リスト「ﾔﾏｻｷ」（記号・番号・枝番が同じなので交付します）",
            "fund ヤマザキ, list ﾔﾏｻｷ (still issued: same key)",
        ),
    );

    // 1002-18: new hire both requested by the employer and on the list: 職権 wins.
    let h = g.insured(C02, date(1999, 9, 9), 2)?;
    let m = &mut g.m[h];
    m.acquired = date(2026, 9, 1);
    m.mn_registered = Some(date(2026, 9, 5));
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.auto = false;
    m.cert_requested = true;
    m.on_list = Some("マイナ保険証未登録".into());
    m.expect_cert = Some("職権");
    m.set_note(Tr::new(
        "職権交付対象者リストに載っており、資格確認書発行要否も「要」です。交付事由は職権とします（職権を優先）",
        "on the list and 資格確認書発行要否 = 要: the first reason, 職権",
    ));

    // 1002-19: the registry has different last 4.
    let h = g.filler(C02)?;
    g.m[h].set(Src::Registry, Field::MyNumber, Cell::text("0000"));
    g.m[h].plant(
        Src::Fund,
        Some(Field::MyNumber),
        "MN001",
        RECON,
        Tr::new(
            "個人番号の下4桁が組合と国の登録情報（0000）で異なります",
            "last 4 differ: fund vs registry 0000",
        ),
    );

    // 1002-20: listed, but lost membership on 2026-10-16.
    let h = g.insured(C02, date(1961, 10, 16), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(1984, 4, 1);
    m.lost = Some(date(2026, 10, 16));
    m.left_on = Some(date(2026, 10, 15));
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    // Anchored on the fund's 資格喪失日, with the list row beside it (SPEC §5: only CE001 is
    // anchored on the list).
    m.plant(
        Src::Fund,
        Some(Field::LostOn),
        "CE002",
        RECON,
        Tr::new(
            "職権交付対象者リストに載っていますが、資格喪失日が 2026-10-16 です。交付しません",
            "listed but 資格喪失日 2026-10-16: not issued",
        ),
    );

    g.filler(C02)?;
    g.filler(C02)?;

    // 1002-23: a list row whose key is in no fund row.
    let h = g.insured(C02, date(1994, 1, 1), 1)?;
    let m = &mut g.m[h];
    m.in_fund = false;
    m.in_registry = false;
    m.in_employer = false;
    m.myna = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.plant(
        Src::List,
        None,
        "CE001",
        RECON,
        Tr::new(
            "職権交付対象者リストに 1002-23-00 が載っていますが、組合の加入者台帳にありません",
            "national list names 1002-23-00, not in the fund",
        ),
    );
    Ok(())
}

fn c03(g: &mut Gen) -> Result<(), String> {
    // 1003-1: 2割 高齢受給者 (240,000).
    let h = g.insured(C03, date(1952, 4, 15), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(1975, 4, 1);
    m.remuneration = Some(240_000);
    m.ratio = Some(2);
    m.myna = true;
    m.set(Src::Fund, Field::BirthDate, Cell::text("S27.4.15"));
    g.dep(h, Rel::Haigusha, date(1958, 9, 9), 2)?;

    // 1003-2: the spouse was entered with the insured person's My Number.
    let h = g.insured(C03, date(1978, 7, 1), 1)?;
    let s = g.dep(h, Rel::Haigusha, date(1980, 3, 14), 2)?;
    g.m[s].my_number = g.m[h].my_number.clone();
    for i in [h, s] {
        g.m[i].plant(
            Src::Fund,
            Some(Field::MyNumber),
            "MN006",
            CHECK_MAIL,
            Tr::new(
                "被保険者と配偶者に同じ12桁の個人番号が登録されています（国の登録情報も同じ）",
                "insured and spouse share one 12-digit My Number (the registry mirrors it)",
            ),
        );
    }

    // 1003-3: a child's My Number fails its check digit.
    let h = g.insured(C03, date(1982, 2, 2), 1)?;
    g.dep(h, Rel::Haigusha, date(1983, 5, 5), 2)?;
    let k = g.dep(h, Rel::Ko, date(2012, 9, 1), 1)?;
    let good = g.m[k].my_number.clone().unwrap_or_default();
    let last = good.as_bytes().last().map(|b| b - b'0').unwrap_or(0);
    let bad = format!("{}{}", &good[..11], (last + 1) % 10);
    let m = &mut g.m[k];
    m.my_number = Some(bad);
    m.myna = false;
    m.cert = Some(date(2029, 3, 31));
    m.set(Src::Registry, Field::MyNumber, Cell::Empty);
    m.plant(
        Src::Fund,
        Some(Field::MyNumber),
        "MN003",
        CHECK_MAIL,
        Tr::new(
            "個人番号の検査用数字が合いません（最後の桁が1つずれています）。国の登録情報にこの方の下4桁はありません。この方のお知らせは送付を保留します",
            "check digit wrong (last digit +1); the registry has no last 4 for him; his letter is blocked",
        ),
    );

    // 1003-4: a child's birth date typed 2202-05-10.
    let h = g.insured(C03, date(1990, 10, 10), 2)?;
    let k = g.dep(h, Rel::Ko, date(2022, 5, 10), 2)?;
    let m = &mut g.m[k];
    m.set(Src::Fund, Field::BirthDate, Cell::text("2202-05-10"));
    m.in_registry = false;
    m.myna = false;
    m.cert = Some(date(2030, 5, 31));
    m.plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD005",
        CHECK_MAIL,
        Tr::new(
            "生年月日 2202-05-10 は将来の日付です（2022年の入力誤り）。国の登録情報にはありません",
            "born 2202-05-10 (typo for 2022): in the future; not in the registry",
        ),
    );

    // 1003-5: postal code of 文京区本郷, address in 台東区.
    let h = g.insured(C03, date(1974, 12, 1), 1)?;
    let m = &mut g.m[h];
    m.postal = "1130033".into();
    m.address = "東京都台東区上野三丁目5番8号".into();
    m.plant(
        Src::Fund,
        Some(Field::Address),
        "AD004",
        CHECK_MAIL,
        Tr::new(
            "郵便番号 1130033 は東京都文京区（本郷）の番号ですが、住所は東京都台東区です",
            "1130033 is 東京都文京区 (本郷); the address says 東京都台東区",
        ),
    );

    // 1003-6: on the list: 職権, via the union's office.
    let h = g.insured(C03, date(1969, 4, 20), 2)?;
    let m = &mut g.m[h];
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.expect_cert = Some("職権");

    g.filler(C03)?;

    // 1003-8: a list row with a 保険者番号 that fails its check digit.
    let h = g.insured(C03, date(1972, 8, 8), 1)?;
    let m = &mut g.m[h];
    m.myna = true;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.set(Src::List, Field::InsurerNo, Cell::text("06139993"));
    m.plant(
        Src::List,
        Some(Field::InsurerNo),
        "CE007",
        CHECK,
        Tr::new(
            "保険者番号「06139993」は当組合の番号ではなく、検証番号も合いません。この方は利用登録済みのため、交付の対象ではありません",
            "保険者番号 06139993 (not this fund's; fails its check digit); the person is registered and gets nothing",
        ),
    );

    g.filler(C03)?;
    g.filler(C03)?;
    Ok(())
}

fn c04(g: &mut Gen) -> Result<(), String> {
    // 1004-1: 72-year-old mother, dependent of a 65-year-old on 500,000: 2割 (SPEC §9).
    let h = g.insured(C04, date(1961, 5, 5), 1)?;
    g.m[h].acquired = date(1984, 4, 1);
    g.m[h].remuneration = Some(500_000);
    let mo = g.dep(h, Rel::Haha, date(1953, 12, 1), 2)?;
    let m = &mut g.m[mo];
    m.ratio = Some(2);
    m.myna = true;
    m.set_note(Tr::new(
        "高齢受給者の被扶養者（被保険者は高齢受給者でなく、標準報酬月額 500,000円）。負担割合は2割です",
        "高齢受給者 dependent of a non-高齢受給者 insured on 500,000: 2割",
    ));

    // 1004-2: 75th birthday 2026-06-10, still active.
    let h = g.insured(C04, date(1951, 6, 10), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(1974, 4, 1);
    m.remuneration = Some(260_000);
    m.ratio = Some(2);
    m.myna = true;
    m.plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD006",
        CHECK,
        Tr::new(
            "1951-06-10 生まれで 2026-06-10 に75歳になりましたが、資格喪失日が登録されていません（2024-08-31 には73歳・2割で、お知らせに 2割と記載します）",
            "born 1951-06-10: 75 on 2026-06-10, no 資格喪失日 (at 2024-08-31 he is 73, 2割, and his letter prints 2)",
        ),
    );
    m.plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR003",
        CHECK,
        Tr::new(
            "75歳を過ぎ、基準日 2026-11-01 には高齢受給者ではありませんが、負担割合「2」が登録されています",
            "past 75 he is no longer 高齢受給者 on 2026-11-01, yet 2 is recorded",
        ),
    );

    // 1004-3: 高齢受給者 without 負担割合.
    let h = g.insured(C04, date(1952, 12, 12), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(1975, 4, 1);
    m.remuneration = Some(220_000);
    m.ratio = None;
    m.myna = true;
    m.plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR002",
        CHECK_MAIL,
        Tr::new(
            "高齢受給者ですが、負担割合が登録されていません（正しくは2割）。この方のお知らせは送付を保留します",
            "高齢受給者 with no 負担割合 (2割 expected); his letter is blocked",
        ),
    );

    // 1004-4: 資格取得日 written in 平成 after 令和 began.
    let h = g.insured(C04, date(1996, 7, 7), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(2019, 5, 1);
    m.set(Src::Fund, Field::AcquiredOn, Cell::text("H31.5.1"));
    m.plant(
        Src::Fund,
        Some(Field::AcquiredOn),
        "BD008",
        CHECK_MAIL,
        Tr::new(
            "資格取得日「H31.5.1」は終わった元号（平成）で書かれています。2019-05-01 として読みます",
            "H31.5.1 → 2019-05-01 (平成 had ended)",
        ),
    );

    // 1004-5: 外字 in the name (fund and employer).
    let h = g.insured(C04, date(1983, 11, 23), 1)?;
    g.rename(h, "渡\u{E000}\u{3000}健一", "ワタナベ\u{3000}ケンイチ");
    let m = &mut g.m[h];
    m.plant(
        Src::Fund,
        Some(Field::Name),
        "IN008",
        CHECK_MAIL,
        Tr::new(
            "氏名に外字 F040（U+E000）があります",
            "外字 F040 (U+E000) in 氏名",
        ),
    );
    m.plant(
        Src::Emp,
        Some(Field::Name),
        "IN008",
        CHECK,
        Tr::new(
            "氏名に外字 F040（U+E000）があります",
            "外字 F040 (U+E000) in 氏名",
        ),
    );

    // 1004-6: a stray lead byte in the employer CSV.
    let h = g.insured(C04, date(1992, 2, 22), 2)?;
    let mut bytes = shikaku::domain::cp932::encode(&g.m[h].name)
        .map_err(|e| format!("cannot encode {:?} as CP932", e.chars))?;
    bytes.push(0x81);
    g.m[h].set(Src::Emp, Field::Name, Cell::Raw(bytes));
    g.m[h].plant(
        Src::Emp,
        Some(Field::Name),
        "IN001",
        CHECK,
        Tr::new(
            "氏名の直後（カンマの前）に、単独のバイト 0x81 があります",
            "lone byte 0x81 before the comma after 氏名",
        ),
    );

    // 1004-7: 性別 3 in the employer CSV.
    let h = g.insured(C04, date(1986, 8, 6), 1)?;
    g.m[h].set(Src::Emp, Field::Sex, Cell::text("3"));
    g.m[h].plant(
        Src::Emp,
        Some(Field::Sex),
        "IN009",
        CHECK,
        Tr::new(
            "性別が「3」です（性別として読めないため ID006 は出ません）",
            "性別 3 (no ID006: not a readable sex)",
        ),
    );
    g.dep(h, Rel::Haigusha, date(1988, 3, 3), 2)?;

    // 1004-8: 個人番号 as Excel's exponent text.
    let h = g.insured(C04, date(1979, 7, 17), 1)?;
    g.m[h].set(Src::Emp, Field::MyNumber, Cell::text("1.23457E+11"));
    g.m[h].plant(
        Src::Emp,
        Some(Field::MyNumber),
        "MN004",
        CHECK,
        Tr::new(
            "個人番号が「1.23457E+11」です。Excel で保存したときに桁が失われています",
            "1.23457E+11: digits lost when saved from Excel",
        ),
    );

    // 1004-9: a child's birth date written 29.8.1 (平成29 dropped its era letter).
    let h = g.insured(C04, date(1985, 5, 15), 1)?;
    g.dep(h, Rel::Haigusha, date(1986, 6, 26), 2)?;
    let k = g.dep(h, Rel::Ko, date(2017, 8, 1), 2)?;
    g.m[k].set(Src::Emp, Field::BirthDate, Cell::text("29.8.1"));
    g.m[k].plant(
        Src::Emp,
        Some(Field::BirthDate),
        "BD001",
        CHECK,
        Tr::new(
            "生年月日「29.8.1」に元号がありません（読めないため BD004 は出ません）",
            "29.8.1: no era (no BD004: unreadable)",
        ),
    );

    // 1004-10: 番号 typed with the letter O (1O).
    let h = g.insured(C04, date(1991, 9, 30), 1)?;
    if g.m[h].number != 10 {
        return Err(format!(
            "1004 household {} should be number 10",
            g.m[h].number
        ));
    }
    g.m[h].set(Src::Emp, Field::Number, Cell::text("1O"));
    g.m[h].plant(
        Src::Emp,
        Some(Field::Number),
        "ID001",
        CHECK,
        Tr::new(
            "番号が「1O」（英字のオー）です。この行は除外します",
            "番号 1O (letter O): row rejected",
        ),
    );

    // 1004-11: 入社日 R5.2.29 (2023 was not a leap year).
    let h = g.insured(C04, date(1999, 3, 25), 2)?;
    let m = &mut g.m[h];
    m.acquired = date(2023, 4, 1);
    m.set(Src::Emp, Field::AcquiredOn, Cell::text("R5.2.29"));
    m.plant(
        Src::Emp,
        Some(Field::AcquiredOn),
        "BD002",
        CHECK,
        Tr::new(
            "入社日「R5.2.29」は存在しない日付です（2023年はうるう年ではありません）",
            "入社日 R5.2.29: no such day",
        ),
    );

    // 1004-12: new hire requesting a certificate.
    let h = g.insured(C04, date(2002, 11, 30), 2)?;
    let m = &mut g.m[h];
    m.acquired = date(2026, 10, 1);
    m.mn_registered = Some(date(2026, 10, 9));
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.auto = false;
    m.cert_requested = true;
    m.in_registry = false;
    m.expect_cert = Some("申請");
    m.set_note(Tr::new(
        "2026-10-01 資格取得の新入社員。資格確認書交付要否は 1",
        "new hire 2026-10-01, 資格確認書交付要否 = 1",
    ));

    // 1004-13: the fund says not registered; the registry says registered; valid certificate.
    let h = g.insured(C04, date(1977, 10, 10), 1)?;
    let m = &mut g.m[h];
    m.myna = false;
    m.registry_myna = Some(true);
    m.cert = Some(date(2028, 3, 31));
    m.expect_return = Some("マイナ保険証登録");
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE003",
        RECON,
        Tr::new(
            "国の登録情報ではマイナ保険証の利用登録が 1（組合は 0。国の登録情報を優先します）で、2028-03-31 まで有効な資格確認書をお持ちです。返納を求めます",
            "registry マイナ保険証利用登録 1 (fund 0; the registry wins), certificate valid to 2028-03-31: return",
        ),
    );

    // 1004-14: 職権; the list writes small kana large (ｼﾖｳﾀ for ショウタ): the same name.
    let h = g.insured(C04, date(1994, 4, 14), 1)?;
    let sur = g.m[h]
        .kana
        .split('\u{3000}')
        .next()
        .unwrap_or("")
        .to_string();
    let m = &mut g.m[h];
    m.name = format!(
        "{}\u{3000}翔太",
        m.name.split('\u{3000}').next().unwrap_or("")
    );
    m.kana = format!("{sur}\u{3000}ショウタ");
    let listed = crate::text::halfwidth_kana(&format!("{sur}\u{3000}シヨウタ"));
    m.set(Src::List, Field::NameKana, Cell::text(listed));
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.expect_cert = Some("職権");
    m.set_note(Tr::new(
        "職権交付対象者リストのカナ「ｼﾖｳﾀ」は、小さい字を大きい字にそろえると「ショウタ」と同じです。ID005 は出ません",
        "list kana ｼﾖｳﾀ equals ショウタ after small→large folding: no ID005",
    ));

    // 1004-15: listed, but holds a certificate expiring inside the window: 更新.
    let h = g.insured(C04, date(1966, 1, 16), 2)?;
    let m = &mut g.m[h];
    m.myna = false;
    m.cert = Some(date(2026, 11, 30));
    m.on_list = Some("マイナ保険証未登録".into());
    m.expect_cert = Some("更新");
    m.set_note(Tr::new(
        "職権交付対象者リストに載っていますが、基準日に有効な資格確認書をお持ちのため、職権ではなく更新で交付します",
        "on the list but holds a certificate valid on D: not 職権; renewed (更新)",
    ));
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE005",
        RECON,
        Tr::new(
            "有効期限 2026-11-30 は更新期間内です。更新分を交付します",
            "expires 2026-11-30, inside the window",
        ),
    );

    // 1004-16: certificate expires on D itself.
    let h = g.insured(C04, date(1971, 11, 1), 1)?;
    let m = &mut g.m[h];
    m.myna = false;
    m.cert = Some(date(2026, 11, 1));
    m.expect_cert = Some("更新");
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE005",
        RECON,
        Tr::new(
            "有効期限 2026-11-01 は基準日当日で、基準日には有効です。更新分を交付します",
            "expires 2026-11-01 = D: valid on D, renewed",
        ),
    );

    // 1004-17: listed, certificate valid beyond the window: nothing.
    let h = g.insured(C04, date(1989, 12, 12), 2)?;
    let m = &mut g.m[h];
    m.myna = false;
    m.cert = Some(date(2028, 5, 31));
    m.on_list = Some("マイナ保険証未登録".into());
    m.set_note(Tr::new(
        "職権交付対象者リストに載っていますが、資格確認書が 2028-05-31 まで有効です。交付せず、CE の指摘も出ません",
        "listed, certificate valid to 2028-05-31: nothing issued, no CE",
    ));

    // 1004-18: listed, but registered since: nothing.
    let h = g.insured(C04, date(1980, 6, 6), 1)?;
    let m = &mut g.m[h];
    m.myna = true;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.set_note(Tr::new(
        "職権交付対象者リストに載っていますが、組合でも国の登録情報でも利用登録済みです。交付せず、CE の指摘も出ません",
        "listed, registered in fund and registry: nothing issued, no CE",
    ));

    // 1004-19: the registry row lacks its last field.
    let h = g.filler(C04)?;
    g.m[h].ragged = Some(Src::Registry);
    g.m[h].plant(
        Src::Registry,
        None,
        "IN002",
        CHECK,
        Tr::new(
            "国の登録情報のこの行は、項目数が 10 ではなく 9 です。この行は除外します",
            "registry row with 9 fields instead of 10: rejected",
        ),
    );

    g.filler(C04)?;
    g.filler(C04)?;
    Ok(())
}

fn c05(g: &mut Gen) -> Result<(), String> {
    // 1005-1: 職権 via an office-routed company with no office address configured.
    let h = g.insured(C05, date(1976, 2, 6), 1)?;
    let m = &mut g.m[h];
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.expect_cert = Some("職権");
    m.set_note(Tr::new(
        "C05 は事業所の住所が設定されていません。事業主経由の行で、送付先は空欄です",
        "C05 has no office address: 事業主経由 row with blank address",
    ));

    // 1005-2: the insured person's mother entered as 子.
    let h = g.insured(C05, date(1984, 5, 5), 2)?;
    let k = g.dep(h, Rel::Ko, date(1958, 2, 11), 2)?;
    g.m[k].plant(
        Src::Fund,
        Some(Field::Relationship),
        "BD007",
        CHECK_MAIL,
        Tr::new(
            "続柄が「子」ですが、1958-02-11 生まれで、被保険者（1984-05-05 生まれ）より年上です",
            "続柄 子 born 1958-02-11, older than the insured person (1984-05-05)",
        ),
    );

    g.filler(C05)?;
    Ok(())
}

fn individual(g: &mut Gen) -> Result<(), String> {
    // 9001-1: seed 004 7-1 for 任意継続 (base date 2024-09-14).
    let h = g.insured(NIN, date(1954, 9, 1), 1)?;
    g.rename(h, "藤原\u{3000}昭", "フジワラ\u{3000}アキラ");
    let s = g.dep(h, Rel::Haigusha, date(1954, 9, 2), 2)?;
    g.rename(s, "藤原\u{3000}節子", "フジワラ\u{3000}セツコ");
    for i in [h, s] {
        let m = &mut g.m[i];
        m.acquired = date(2024, 9, 1);
        m.lost = Some(date(2026, 9, 1));
        m.ratio = Some(2);
        m.myna = true;
        m.cert = None;
        m.auto_cert = false;
        m.postal = "2480006".into();
        m.address = "神奈川県鎌倉市小町二丁目14番7号".into();
        m.res_postal = "2510035".into();
        m.res_address = "神奈川県藤沢市片瀬海岸一丁目9番3号".into();
    }
    g.m[h].remuneration = Some(260_000);
    g.m[h].set_note(Tr::new(
        "任意継続被保険者（2024-09-01〜2026-08-31）。1954-09-01 生まれで、基準日 2024-09-14 のお知らせに負担割合 2割と記載します",
        "任意継続 2024-09-01..2026-08-31; born 1954-09-01 prints 負担割合 2 at 2024-09-14",
    ));
    g.m[h].mn_registered = Some(date(2019, 6, 10));
    g.m[s].mn_registered = Some(date(2024, 9, 10));
    g.m[s].auto = false;
    g.m[s].set_note(Tr::new(
        "1954-09-02 生まれ。個人番号登録日 2024-09-10 が基準日 2024-09-14 以前のため、お知らせに下4桁を記載します",
        "born 1954-09-02; 個人番号登録日 2024-09-10 ≤ 2024-09-14 so her letter prints last 4",
    ));
    g.m[s].plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR003",
        MAIL,
        Tr::new(
            "負担割合「2」が登録されていますが、1954-09-02 生まれの方は基準日 2024-09-14 には高齢受給者ではありません（2024-10-01 から）。お知らせに負担割合は記載しません",
            "2 recorded, but born 1954-09-02 is not 高齢受給者 on 2024-09-14 (from 2024-10-01)",
        ),
    );

    // 9001-2: 任意継続 since 2025-06-01, both on the list: 職権, 自宅 to the 居所.
    let h = g.insured(NIN, date(1963, 3, 3), 1)?;
    g.relocate(h, "8100001");
    let s = g.dep(h, Rel::Haigusha, date(1965, 6, 6), 2)?;
    let res = g.address("9000006");
    for i in [h, s] {
        let m = &mut g.m[i];
        m.acquired = date(2025, 6, 1);
        m.myna = false;
        m.cert = None;
        m.auto_cert = false;
        m.res_postal = "9000006".into();
        m.res_address = res.clone();
        m.on_list = Some("マイナ保険証未登録".into());
        m.expect_cert = Some("職権");
    }

    // 9001-3: 任意継続 since 2026-04-01, registered, no 居所.
    let h = g.insured(NIN, date(1966, 10, 30), 2)?;
    g.m[h].acquired = date(2026, 4, 1);
    g.m[h].myna = true;

    // 9001-4: certificate inside the window: 更新, 自宅 (no 居所: the address).
    let h = g.insured(NIN, date(1964, 1, 7), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(2025, 10, 1);
    m.myna = false;
    m.cert = Some(date(2026, 12, 10));
    m.expect_cert = Some("更新");
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE005",
        RECON,
        Tr::new(
            "有効期限 2026-12-10 は更新期間内です。更新分を交付し、自宅に送付します",
            "expires 2026-12-10: renewed, sent 自宅",
        ),
    );

    // 9001-5: 任意継続 2023-04-01..2025-03-31: in the 2024-09-14 mailing only.
    let h = g.insured(NIN, date(1962, 4, 1), 2)?;
    let m = &mut g.m[h];
    m.acquired = date(2023, 4, 1);
    m.lost = Some(date(2025, 4, 1));
    m.myna = true;

    // 9002-1: 特例退職, 3割, mail to the 居所.
    let h = g.insured(TOK, date(1953, 2, 14), 1)?;
    g.relocate(h, "9200962");
    let s = g.dep(h, Rel::Haigusha, date(1957, 1, 20), 2)?;
    let res = g.address("3100021");
    for i in [h, s] {
        let m = &mut g.m[i];
        m.acquired = date(2013, 3, 1);
        m.myna = true;
        m.res_postal = "3100021".into();
        m.res_address = res.clone();
    }
    g.m[h].remuneration = Some(320_000);
    g.m[h].ratio = Some(3);
    g.m[h].set(
        Src::Fund,
        Field::BirthDate,
        Cell::text(era_short(date(1953, 2, 14))),
    );

    // 9002-2: 特例退職 with neither 居所 nor 住所.
    let h = g.insured(TOK, date(1960, 3, 3), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(2020, 4, 1);
    m.myna = true;
    m.postal = String::new();
    m.address = String::new();
    m.plant(
        Src::Fund,
        Some(Field::ResidenceAddress),
        "AD007",
        CHECK_MAIL,
        Tr::new(
            "特例退職被保険者で、居所も住所もありません。この世帯のお知らせは送付を保留します",
            "特例退職 with neither 居所 nor 住所; the household's letter is blocked",
        ),
    );
    Ok(())
}

/// Issue 10's planted cases: a value that cannot be read withholds the decision; membership
/// ends at 75. Every value `finish` would draw is set here.
fn unknown_is_never_no(g: &mut Gen) -> Result<(), String> {
    // 1004-N: 75th birthday 2026-03-20 with a dependent; both on the list, he holds a
    // certificate valid until 2027-03-31. At 2024-08-31 he is 73 (2割) and both get letters.
    let h = g.insured(C04, date(1951, 3, 20), 1)?;
    let s = g.dep(h, Rel::Haigusha, date(1958, 7, 7), 2)?;
    for i in [h, s] {
        let m = &mut g.m[i];
        m.acquired = date(1973, 4, 1).max(m.acquired);
        m.myna = false;
        m.auto = false;
        m.auto_cert = false;
        m.mn_registered = Some(date(2019, 1, 10));
        m.on_list = Some("マイナ保険証未登録".into());
    }
    let m = &mut g.m[h];
    m.remuneration = Some(240_000);
    m.ratio = Some(2);
    m.cert = Some(date(2027, 3, 31));
    m.expect_return = Some("資格喪失");
    m.set_note(Tr::new(
        "2026-03-20 に75歳。2026-11-01 には加入者ではないため、資格確認書の返納を求めます",
        "75 on 2026-03-20: no longer a member on 2026-11-01; his certificate is returned",
    ));
    m.plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD006",
        CHECK,
        Tr::new(
            "1951-03-20 生まれで 2026-03-20 に75歳になりましたが、資格喪失日が登録されていません。職権交付対象者リストに載っていますが、交付しません",
            "born 1951-03-20: 75 on 2026-03-20, no 資格喪失日; listed, but not issued",
        ),
    );
    m.plant(
        Src::Fund,
        Some(Field::ShareRatio),
        "SR003",
        CHECK,
        Tr::new(
            "75歳を過ぎ、基準日 2026-11-01 には高齢受給者ではありませんが、負担割合「2」が登録されています",
            "past 75 he is no longer 高齢受給者 on 2026-11-01, yet 2 is recorded",
        ),
    );
    m.plant(
        Src::Fund,
        Some(Field::CertExpiresOn),
        "CE004",
        RECON,
        Tr::new(
            "75歳の誕生日に資格を喪失した後も、2027-03-31 まで有効な資格確認書をお持ちです。返納を求めます（資格喪失）",
            "資格確認書 valid until 2027-03-31 held after membership ended on the 75th birthday: 返納 (資格喪失)",
        ),
    );
    let m = &mut g.m[s];
    m.set_note(Tr::new(
        "75歳を過ぎた被保険者の被扶養者。この方も加入者ではありません",
        "被扶養者 of an insured person past 75: not a member either",
    ));
    m.plant(
        Src::Fund,
        Some(Field::BirthDate),
        "BD006",
        CHECK,
        Tr::new(
            "被保険者である夫が 2026-03-20 に75歳になり、被扶養者のこの方も同日に資格を喪失しています（資格喪失日は未登録）",
            "her insured husband reached 75 on 2026-03-20: as his 被扶養者 she left the fund with him",
        ),
    );
    m.plant(
        Src::Fund,
        Some(Field::BirthDate),
        "CE002",
        RECON,
        Tr::new(
            "職権交付対象者リストに載っていますが、2026-11-01 には資格がありません（夫の75歳の誕生日に喪失）。交付しません",
            "on the national list but not active on 2026-11-01 (her husband's 75th birthday ended it): not issued",
        ),
    );

    // 1004-N: マイナ保険証利用登録 written 済: unreadable, so no certificate is decided
    // (it could be registered), although he is on the list.
    let h = g.insured(C04, date(1985, 10, 2), 1)?;
    let m = &mut g.m[h];
    m.acquired = date(2012, 4, 1);
    m.auto = false;
    m.mn_registered = Some(date(2016, 2, 1));
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.in_registry = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.set(Src::Fund, Field::MynaRegistered, Cell::text("済"));
    m.set_note(Tr::new(
        "マイナ保険証利用登録が「済」（1/0 ではない）。判定を保留し、交付しません",
        "マイナ保険証利用登録 済 (not 1/0): withheld, not issued",
    ));
    m.plant(
        Src::Fund,
        Some(Field::MynaRegistered),
        "IN009",
        CHECK_MAIL,
        Tr::new(
            "マイナ保険証利用登録の「済」は 1/0 ではないため、利用登録の有無がわかりません。職権交付対象者リストに載っていますが、資格確認書の交付は判定しません（お知らせはこの項目を使いません）",
            "済 is not 1/0: registration unknown, so no 資格確認書 is decided from the list row (the notice does not read it)",
        ),
    );

    // 9001-N: 任意継続, on the list, 居所 with a byte that is not CP932: where he lives is
    // unknown, so neither the notice nor the certificate goes anywhere.
    let h = g.insured(NIN, date(1964, 5, 18), 1)?;
    let res = g.address("2510035");
    let m = &mut g.m[h];
    m.acquired = date(2023, 4, 1);
    m.auto = false;
    m.mn_registered = Some(date(2023, 4, 20));
    m.myna = false;
    m.cert = None;
    m.auto_cert = false;
    m.on_list = Some("マイナ保険証未登録".into());
    m.res_postal = "2510035".into();
    m.res_address = res.clone();
    let mut bytes = shikaku::domain::cp932::encode(&res)
        .map_err(|e| format!("cannot encode {:?} as CP932", e.chars))?;
    bytes.push(0x81);
    m.set(Src::Fund, Field::ResidenceAddress, Cell::Raw(bytes));
    m.set_note(Tr::new(
        "居所の末尾に読めないバイトがあります。お知らせの送付も資格確認書の職権交付も保留します",
        "居所 ends in a stray lead byte: the letter and the 職権 certificate are withheld",
    ));
    m.plant(
        Src::Fund,
        Some(Field::ResidenceAddress),
        "IN001",
        CHECK_MAIL,
        Tr::new(
            "居所の末尾に CP932 として正しくないバイトがあります。この世帯のお知らせは送付を保留し、資格確認書も交付しません（住所あてにも送りません）",
            "a byte that is not CP932 at the end of 居所: the household's letter is blocked and no certificate is issued (nothing goes to the old 住所)",
        ),
    );
    Ok(())
}
