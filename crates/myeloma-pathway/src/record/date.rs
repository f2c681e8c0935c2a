//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian), enough for intervals between results.
//!
//! The calendar arithmetic (days between dates, calendar months) is `jiff`'s `civil::Date`; this
//! type adds the record's format and its year range (1900–2200).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

/// The first and last years a record date may have.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

impl Date {
    /// Build a date, checking it exists. Years 1900–2200 are accepted.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        if !YEARS.contains(&year) {
            return None;
        }
        let y = i16::try_from(year).ok()?;
        let m = i8::try_from(month).ok()?;
        let d = i8::try_from(day).ok()?;
        jiff::civil::Date::new(y, m, d).ok().map(Date)
    }

    /// Parse `YYYY-MM-DD` (exactly that shape: ten characters, four-digit year).
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        Self::new(y, m, d)
    }

    /// The date as `jiff` holds it.
    pub fn civil(&self) -> jiff::civil::Date {
        self.0
    }

    /// Days since 1970-01-01.
    pub fn day_number(&self) -> i64 {
        jiff::civil::Date::constant(1970, 1, 1).until(self.0).map_or(0, |s| i64::from(s.get_days()))
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(&self, later: &Date) -> i64 {
        self.0.until(later.0).map_or(0, |s| i64::from(s.get_days()))
    }

    /// The same day `months` calendar months later (clamped to the month's last day, as `jiff`
    /// does: 2023-01-31 + 1 month is 2023-02-28). The result may fall after 2200; past jiff's
    /// last date (9999-12-31, thousands of years on) it is that date.
    pub fn add_months(&self, months: u32) -> Self {
        let span = jiff::Span::new().try_months(i64::from(months));
        Date(span.and_then(|s| self.0.checked_add(s)).unwrap_or(jiff::civil::Date::MAX))
    }
}

/// The same text as the derive gave before the dates moved to jiff (year, month, day).
impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Date")
            .field("year", &i32::from(self.0.year()))
            .field("month", &self.0.month().unsigned_abs())
            .field("day", &self.0.day().unsigned_abs())
            .finish()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a date of the form YYYY-MM-DD (years 1900-2200)"))
        })
    }
}

/// JSON: a string `YYYY-MM-DD` (format `date`, years 1900–2200; the pattern is the shape, the
/// year range and the day of the month are checked when it is read).
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "description": "A calendar date YYYY-MM-DD, years 1900-2200.",
        })
    }
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(d("1970-01-01").day_number(), 0);
        // By hand: 70 years of 365 days and 17 leap days (1904..=1968) before the epoch.
        assert_eq!(d("1900-01-01").day_number(), -(70 * 365 + 17));
        assert_eq!(d("1970-03-01").day_number(), 31 + 28);
    }

    #[test]
    fn leap_year_interval() {
        let a = d("2024-01-01");
        let b = d("2025-01-01");
        assert_eq!(a.days_until(&b), 366);
        assert_eq!(b.days_until(&a), -366);
        assert_eq!(a.add_months(12), b);
        assert_eq!(d("2024-02-28").days_until(&d("2024-03-01")), 2);
        assert_eq!(d("2023-02-28").days_until(&d("2023-03-01")), 1);
    }

    #[test]
    fn a_month_later_is_the_same_day_or_the_month_s_last_day() {
        // What the hand-written arithmetic gave before jiff (the day, clamped to the month).
        assert_eq!(d("2024-02-29").add_months(1), d("2024-03-29"));
        assert_eq!(d("2023-01-31").add_months(1), d("2023-02-28"));
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2024-02-29").add_months(12), d("2025-02-28"));
        assert_eq!(d("2023-12-31").add_months(2), d("2024-02-29"));
        assert_eq!(d("2024-10-31").add_months(1), d("2024-11-30"));
        assert_eq!(d("2024-05-15").add_months(0), d("2024-05-15"));
        // Months are added at once, not one at a time: Jan 31 + 2 is Mar 31, not Mar 28.
        assert_eq!(d("2023-01-31").add_months(2), d("2023-03-31"));
        assert_eq!(d("2023-01-31").add_months(1).add_months(1), d("2023-03-28"));
        // Past the record range the date is still computed; past jiff's range it saturates.
        assert_eq!(d("2200-12-31").add_months(1).to_string(), "2201-01-31");
        assert_eq!(d("2200-12-31").add_months(u32::MAX).to_string(), "9999-12-31");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("1900-02-29").is_none(), "1900 is not a leap year");
        assert!(Date::parse("2000-02-29").is_some(), "2000 is");
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("2024-04-31").is_none());
        assert!(Date::parse("2024-01-00").is_none());
        assert!(Date::parse("24-01-01").is_none());
        // Shapes jiff's own parser would take are not the record's format.
        assert!(Date::parse("20240101").is_none());
        assert!(Date::parse("+002024-01-01").is_none());
        assert!(Date::parse("2024-1-01").is_none());
    }

    #[test]
    fn years_1900_to_2200_are_accepted_and_the_next_are_not() {
        assert!(Date::parse("1900-01-01").is_some());
        assert!(Date::parse("1899-12-31").is_none());
        assert!(Date::parse("2200-12-31").is_some());
        assert!(Date::parse("2201-01-01").is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2024, 200, 1).is_none());
    }

    #[test]
    fn the_record_format_and_its_error_text_are_kept() {
        let x = d("2024-02-05");
        assert_eq!(x.to_string(), "2024-02-05");
        assert_eq!(serde_json::to_string(&x).unwrap(), "\"2024-02-05\"");
        assert_eq!(format!("{x:?}"), "Date { year: 2024, month: 2, day: 5 }");
        let e = serde_json::from_str::<Date>("\"2024-02-30\"").unwrap_err().to_string();
        assert!(e.starts_with("`2024-02-30` is not a date of the form YYYY-MM-DD (years 1900-2200)"), "{e}");
    }
}
