//! Numbers written in words (عشرة، خمسة وعشرون، ثلاثمئة…).
//! Input words are folded (see `fold`): no hamza on alef, ه for ة.

/// Values of the number words that can stand alone or start a compound.
fn unit(word: &str) -> Option<u64> {
    Some(match word {
        "واحد" | "واحده" | "احد" | "احدي" => 1,
        "اثنان" | "اثنين" | "اثنتان" | "اثنتين" | "اثنا" | "اثني" | "اثنتا" | "اثنتي" => {
            2
        }
        "ثلاث" | "ثلاثه" => 3,
        "اربع" | "اربعه" => 4,
        "خمس" | "خمسه" => 5,
        "ست" | "سته" => 6,
        "سبع" | "سبعه" => 7,
        "ثمان" | "ثماني" | "ثمانيه" => 8,
        "تسع" | "تسعه" => 9,
        "عشر" | "عشره" => 10,
        _ => return None,
    })
}

fn tens(word: &str) -> Option<u64> {
    let stem = word.strip_suffix("ون").or_else(|| word.strip_suffix("ين"))?;
    Some(match stem {
        "عشر" => 20,
        "ثلاث" => 30,
        "اربع" => 40,
        "خمس" => 50,
        "ست" => 60,
        "سبع" => 70,
        "ثمان" => 80,
        "تسع" => 90,
        _ => return None,
    })
}

fn hundreds(word: &str) -> Option<u64> {
    match word {
        "مئه" | "مائه" => return Some(100),
        "مئتان" | "مئتين" | "مائتان" | "مائتين" => return Some(200),
        _ => {}
    }
    let head = word.strip_suffix("مئه").or_else(|| word.strip_suffix("مائه"))?;
    let n = unit(head).filter(|n| (3..=9).contains(n))?;
    Some(n * 100)
}

/// How a scale word is written: alone it counts one (ألف), two (ألفين) or none at all, for
/// a plural says "thousands of" (آلاف الأشخاص) and needs a number before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Single,
    Dual,
    Plural,
}

/// Scale words that multiply what comes before them.
fn scale(word: &str) -> Option<(u64, Form)> {
    Some(match word {
        "الف" => (1_000, Form::Single),
        "الاف" | "الوف" => (1_000, Form::Plural),
        "الفان" | "الفين" => (1_000, Form::Dual),
        "مليون" => (1_000_000, Form::Single),
        "ملايين" => (1_000_000, Form::Plural),
        "مليونان" | "مليونين" => (1_000_000, Form::Dual),
        "مليار" => (1_000_000_000, Form::Single),
        "مليارات" => (1_000_000_000, Form::Plural),
        "ملياران" | "مليارين" => (1_000_000_000, Form::Dual),
        _ => return None,
    })
}

/// The factor of a scale word that follows a number: "10 مليارات", "600 ألف".
///
/// ```
/// use archive::arabic::numbers::scale_after;
/// use archive::arabic::fold::fold;
/// // Words are folded first: «ألف» is read as «الف».
/// assert_eq!(scale_after(&fold("مليارات")), Some(1_000_000_000));
/// assert_eq!(scale_after(&fold("ألف")), Some(1_000));
/// assert_eq!(scale_after(&fold("دولار")), None);
/// ```
pub fn scale_after(word: &str) -> Option<u64> {
    scale(word).filter(|(_, form)| *form != Form::Dual).map(|(s, _)| s)
}

/// One additive term: 1–99, a hundred form, or a unit followed by a scale word.
fn term(words: &[&str]) -> Option<(u64, usize)> {
    let first = *words.first()?;
    match scale(first) {
        Some((s, Form::Single)) => return Some((s, 1)),
        Some((s, Form::Dual)) => return Some((2 * s, 1)),
        Some((_, Form::Plural)) => return None,
        None => {}
    }
    if let Some(h) = hundreds(first) {
        return Some((h, 1));
    }
    if let Some(t) = tens(first) {
        return Some((t, 1));
    }
    let u = unit(first)?;
    let next = words.get(1).copied();
    // أحد عشر … تسعة عشر
    if u < 10 && matches!(next, Some("عشر" | "عشره")) {
        return Some((10 + u, 2));
    }
    // خمسة وعشرون: a unit, then tens joined by و.
    if let Some(t) = next.and_then(|w| w.strip_prefix('و')).and_then(tens) {
        if u < 10 {
            return Some((u + t, 2));
        }
    }
    // ثلاث مئة
    if next.is_some_and(|w| matches!(w, "مئه" | "مائه")) && (3..=9).contains(&u) {
        return Some((u * 100, 2));
    }
    Some((u, 1))
}

/// Parses a number in words at the start of `words`: its value and how many words it took.
/// Terms join with و (مئة وخمسون); a scale word multiplies what precedes it (ثلاثة آلاف).
///
/// ```
/// use archive::arabic::numbers::parse_words;
/// use archive::arabic::fold::fold;
/// let words: Vec<String> = ["ثلاثة", "آلاف", "جندي"].map(fold).into();
/// let words: Vec<&str> = words.iter().map(String::as_str).collect();
/// assert_eq!(parse_words(&words), Some((3000, 2)));
/// ```
pub fn parse_words(words: &[&str]) -> Option<(u64, usize)> {
    let (mut value, mut used) = term(words)?;
    let mut total = 0;
    loop {
        if let Some(s) = words.get(used).and_then(|w| scale_after(w)) {
            value *= s;
            used += 1;
        }
        total += value;
        let Some(rest) = words.get(used).and_then(|w| w.strip_prefix('و')) else { break };
        let mut tail: Vec<&str> = vec![rest];
        tail.extend_from_slice(&words[used + 1..]);
        match term(&tail) {
            Some((v, n)) if v < value => {
                value = v;
                used += n;
            }
            _ => break,
        }
    }
    Some((total, used))
}

/// Parses a decimal number, ASCII after folding, such as comes before a scale word
/// ("2.5 مليون"): its value in thousandths.
pub fn parse_decimal_milli(word: &str) -> Option<u64> {
    let (whole, fraction) = word.split_once(['.', '٫'])?;
    let whole = parse_digits(whole)?;
    let digits: String = fraction.chars().take(3).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 3 {
        return None;
    }
    let milli: u64 = format!("{digits:0<3}").parse().ok()?;
    whole.checked_mul(1000)?.checked_add(milli)
}

/// Parses digits, ASCII after folding, with optional thousands separators (1,500 or 1٬500).
///
/// ```
/// use archive::arabic::numbers::parse_digits;
/// assert_eq!(parse_digits("1,500"), Some(1500));
/// assert_eq!(parse_digits("12a"), None);
/// ```
pub fn parse_digits(word: &str) -> Option<u64> {
    // Called on every word of every article: no allocation, and out at the first letter.
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut value: u64 = 0;
    for c in word.chars().filter(|c| !matches!(c, ',' | '٬')) {
        let digit = c.to_digit(10).filter(|_| c.is_ascii_digit())?;
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split(' ').collect()
    }

    #[test]
    fn units_and_teens() {
        assert_eq!(parse_words(&words("عشره صواريخ")), Some((10, 1)));
        assert_eq!(parse_words(&words("ثلاثه من")), Some((3, 1)));
        assert_eq!(parse_words(&words("خمسه عشر مقاتلا")), Some((15, 2)));
        assert_eq!(parse_words(&words("احد عشر")), Some((11, 2)));
    }

    #[test]
    fn tens_and_compounds() {
        assert_eq!(parse_words(&words("عشرين دوله")), Some((20, 1)));
        assert_eq!(parse_words(&words("خمسه وعشرين قتيلا")), Some((25, 2)));
        assert_eq!(parse_words(&words("مئه وخمسون")), Some((150, 2)));
        assert_eq!(parse_words(&words("ثلاثمئه")), Some((300, 1)));
        assert_eq!(parse_words(&words("ثلاث مئه")), Some((300, 2)));
    }

    #[test]
    fn scales_multiply() {
        assert_eq!(parse_words(&words("ثلاثه الاف")), Some((3000, 2)));
        assert_eq!(parse_words(&words("الفين")), Some((2000, 1)));
        assert_eq!(parse_words(&words("الف وخمسمئه")), Some((1500, 2)));
        assert_eq!(parse_words(&words("عشره مليارات")), Some((10_000_000_000, 2)));
        assert_eq!(parse_words(&words("مليار دولار")), Some((1_000_000_000, 1)));
    }

    #[test]
    fn a_plural_scale_word_alone_is_no_number() {
        // «آلاف الأشخاص» are thousands of people, not a thousand.
        assert_eq!(parse_words(&words("الاف الاشخاص")), None);
        assert_eq!(parse_words(&words("مليارات الدولارات")), None);
        assert_eq!(
            (scale_after("مليارات"), scale_after("الف"), scale_after("الفين")),
            (Some(1_000_000_000), Some(1000), None)
        );
    }

    #[test]
    fn decimals_in_thousandths() {
        assert_eq!(parse_decimal_milli("2.5"), Some(2500));
        assert_eq!(parse_decimal_milli("1.25"), Some(1250));
        assert_eq!(parse_decimal_milli("3"), None);
        assert_eq!(parse_decimal_milli("2.5a"), None);
        assert_eq!(parse_decimal_milli("0.1234"), None);
    }

    #[test]
    fn not_a_number() {
        assert_eq!(parse_words(&words("صواريخ")), None);
        assert_eq!(parse_words(&[]), None);
        // "وعشرون" alone only joins after a smaller-order term.
        assert_eq!(parse_words(&words("عشرون وثلاثه")), Some((23, 2)));
        assert_eq!(parse_words(&words("ثلاثه وثلاثه")), Some((3, 1)));
    }

    #[test]
    fn digits() {
        assert_eq!(parse_digits("22"), Some(22));
        assert_eq!(parse_digits("1,500"), Some(1500));
        assert_eq!(parse_digits("2a"), None);
        assert_eq!(parse_digits(",5"), None);
        assert_eq!(parse_digits("99999999999999999999999"), None);
        assert_eq!(parse_digits(""), None);
    }
}
