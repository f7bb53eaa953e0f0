//! The months of the year by the names Arab outlets give them: the one table that dates are
//! written from (`format::date`) and recognised by (`recognise::dates`).

/// One month's names, as written (with hamza): fold them to match text.
pub struct Month {
    /// The name from the Latin, as Egypt and the Gulf write it: يناير.
    pub gregorian: &'static str,
    /// The Syriac name of the Levant and Iraq: كانون الثاني.
    pub syriac: &'static str,
    /// Other spellings met in news text, and the names the Maghreb takes from French: جانفي.
    pub variants: &'static [&'static str],
}

impl Month {
    /// Both names paired, as a date is written for readers of every region: "يناير/كانون الثاني".
    pub fn display(&self) -> String {
        format!("{}/{}", self.gregorian, self.syriac)
    }

    /// Every name of the month: Gregorian, Syriac, then the variants.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        [self.gregorian, self.syriac].into_iter().chain(self.variants.iter().copied())
    }
}

const fn month(gregorian: &'static str, syriac: &'static str, variants: &'static [&'static str]) -> Month {
    Month { gregorian, syriac, variants }
}

/// January to December: month `n` is `MONTHS[n - 1]`.
pub const MONTHS: [Month; 12] = [
    month("يناير", "كانون الثاني", &["جانفي"]),
    month("فبراير", "شباط", &["فيفري"]),
    month("مارس", "آذار", &[]),
    month("أبريل", "نيسان", &["أفريل"]),
    month("مايو", "أيار", &["ماي"]),
    month("يونيو", "حزيران", &["يونيه", "جوان"]),
    month("يوليو", "تموز", &["يوليه", "جويلية"]),
    month("أغسطس", "آب", &["أوت"]),
    month("سبتمبر", "أيلول", &[]),
    month("أكتوبر", "تشرين الأول", &[]),
    month("نوفمبر", "تشرين الثاني", &[]),
    month("ديسمبر", "كانون الأول", &[]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::fold;

    #[test]
    fn each_name_belongs_to_one_month() {
        let mut names: Vec<String> = MONTHS.iter().flat_map(Month::names).map(fold).collect();
        let all = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all, "a folded name is shared by two months");
    }

    #[test]
    fn display_pairs_both_names() {
        assert_eq!(MONTHS[0].display(), "يناير/كانون الثاني");
        assert_eq!(MONTHS[11].display(), "ديسمبر/كانون الأول");
    }
}
