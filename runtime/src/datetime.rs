//! [`DateTime`], the instant behind every Smithy `timestamp`, and the proleptic Gregorian
//! calendar arithmetic its wire formats ([`crate::timestamp`]) need.
//!
//! Why not a date-time crate: a Smithy client only needs an instant in UTC and three fixed text
//! formats. The general-purpose crates (jiff, time, chrono) bring time zones, locales and
//! parsers for many formats, and were about a quarter of a generated client's clean build.
//! This module is checked against `jiff` in its tests and by the Smithy protocol tests.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// An instant in UTC: whole seconds since the Unix epoch plus nanoseconds into that second.
///
/// Any `i64` number of seconds is representable. The text formats cover years 0000 to 9999;
/// instants outside that range are written with an expanded, signed year (ISO 8601), so
/// formatting never fails or loses information.
///
/// Ordering, equality and hashing follow the instant. `Debug` and `Display` print RFC 3339
/// (`2019-12-16T23:48:18.52Z`); [`FromStr`] parses RFC 3339.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    /// Always below one second, so the pair is a unique representation.
    nanos: u32,
}

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime {
        seconds: 0,
        nanos: 0,
    };

    /// The earliest representable instant.
    pub const MIN: DateTime = DateTime {
        seconds: i64::MIN,
        nanos: 0,
    };

    /// The latest representable instant.
    pub const MAX: DateTime = DateTime {
        seconds: i64::MAX,
        nanos: NANOS_PER_SECOND - 1,
    };

    /// Whole seconds since the epoch.
    pub const fn from_secs(seconds: i64) -> DateTime {
        DateTime { seconds, nanos: 0 }
    }

    /// Milliseconds since the epoch.
    pub const fn from_millis(millis: i64) -> DateTime {
        DateTime {
            seconds: millis.div_euclid(1000),
            nanos: millis.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// Seconds since the epoch plus nanoseconds; nanoseconds of a second or more carry into the
    /// seconds (saturating at [`DateTime::MAX`]).
    pub const fn from_secs_and_nanos(seconds: i64, nanos: u32) -> DateTime {
        let carry = (nanos / NANOS_PER_SECOND) as i64;
        match seconds.checked_add(carry) {
            Some(seconds) => DateTime {
                seconds,
                nanos: nanos % NANOS_PER_SECOND,
            },
            None => DateTime::MAX,
        }
    }

    /// The current time from the system clock.
    pub fn now() -> DateTime {
        DateTime::from(SystemTime::now())
    }

    /// Whole seconds since the epoch, rounded towards negative infinity (so `-0.5 s` is `-1`).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds after [`DateTime::secs`], always below one second.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the epoch (rounded towards negative infinity).
    pub const fn as_millis(&self) -> i128 {
        self.seconds as i128 * 1000 + (self.nanos / 1_000_000) as i128
    }

    /// Seconds since the epoch as a float (precision is lost far from the epoch).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / f64::from(NANOS_PER_SECOND)
    }

    /// The calendar date and time of day in UTC.
    pub(crate) fn civil(&self) -> Civil {
        let days = self.seconds.div_euclid(SECONDS_PER_DAY);
        let second_of_day = self.seconds.rem_euclid(SECONDS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: second_of_day / 3600,
            minute: second_of_day / 60 % 60,
            second: second_of_day % 60,
            weekday: weekday_from_days(days),
        }
    }

    /// The instant of a UTC calendar date and time (fields are not validated here).
    pub(crate) fn from_civil(civil: &Civil, nanos: u32) -> DateTime {
        let days = days_from_civil(civil.year, civil.month, civil.day);
        let seconds = days * SECONDS_PER_DAY
            + i64::from(civil.hour) * 3600
            + i64::from(civil.minute) * 60
            + i64::from(civil.second);
        DateTime::from_secs_and_nanos(seconds, nanos)
    }

    /// This instant moved by `seconds` (saturating at the ends of the range).
    pub(crate) fn offset_by(self, seconds: i64) -> DateTime {
        match self.seconds.checked_add(seconds) {
            Some(seconds) => DateTime { seconds, ..self },
            None if seconds < 0 => DateTime::MIN,
            None => DateTime::MAX,
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> DateTime {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime::from_secs_and_nanos(
                i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                after.subsec_nanos(),
            ),
            Err(before) => {
                let before = before.duration();
                let seconds = -i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => DateTime::from_secs(seconds),
                    nanos => DateTime::from_secs_and_nanos(seconds - 1, NANOS_PER_SECOND - nanos),
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = OutOfRange;

    /// Fails only where the platform's `SystemTime` cannot hold the instant.
    fn try_from(time: DateTime) -> Result<SystemTime, OutOfRange> {
        let since_epoch = Duration::new(time.seconds.unsigned_abs(), 0);
        let whole = if time.seconds >= 0 {
            UNIX_EPOCH.checked_add(since_epoch)
        } else {
            UNIX_EPOCH.checked_sub(since_epoch)
        };
        whole
            .and_then(|t| t.checked_add(Duration::from_nanos(u64::from(time.nanos))))
            .ok_or(OutOfRange)
    }
}

/// A [`DateTime`] that the platform's [`SystemTime`] cannot represent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the instant is outside the range of SystemTime")
    }
}

impl std::error::Error for OutOfRange {}

impl fmt::Display for DateTime {
    /// RFC 3339 in UTC with as many fractional digits as needed (none for whole seconds).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.civil().date_and_time_text())?;
        if self.nanos != 0 {
            let digits = format!("{:09}", self.nanos);
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for DateTime {
    type Err = String;

    /// Parses RFC 3339 (see [`crate::timestamp::parse`] for the exact grammar accepted).
    fn from_str(text: &str) -> Result<DateTime, String> {
        crate::timestamp::parse(text, crate::timestamp::Format::DateTime)
    }
}

/// A UTC calendar date and time of day; `weekday` counts from Sunday = 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub weekday: u32,
}

impl Civil {
    /// `YYYY-MM-DDThh:mm:ss`, the RFC 3339 date and time without fraction or offset.
    pub fn date_and_time_text(&self) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year_text(),
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second
        )
    }

    /// The year as text: four digits, or signed and expanded outside 0000..=9999.
    pub fn year_text(&self) -> String {
        if (0..=9999).contains(&self.year) {
            format!("{:04}", self.year)
        } else {
            format!("{:+05}", self.year)
        }
    }
}

/// Whether `year` is a Gregorian leap year.
pub(crate) fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in a month (1-based) of a year.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`:
/// counts in 400-year eras starting in March, so the leap day is the last day of a year).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (inverse of
/// [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The weekday of a day count since 1970-01-01 (a Thursday), Sunday = 0.
fn weekday_from_days(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

/// A deterministic pseudo-random sequence (xorshift64) for the tests that compare with jiff.
#[cfg(test)]
pub(crate) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_over_the_supported_years() {
        let first = days_from_civil(0, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        for days in (first..=last).step_by(7) {
            let (year, month, day) = civil_from_days(days);
            assert!((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month));
            assert_eq!(
                days_from_civil(year, month, day),
                days,
                "{year}-{month}-{day}"
            );
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(weekday_from_days(0), 4);
        let t = DateTime::from_secs(1_576_540_098);
        assert_eq!(t.to_string(), "2019-12-16T23:48:18Z");
        assert_eq!(t.civil().weekday, 1);
    }

    #[test]
    fn millis_and_nanos_normalise() {
        let t = DateTime::from_millis(-1500);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(t.as_millis(), -1500);
        assert_eq!(
            DateTime::from_secs_and_nanos(1, 2_500_000_000),
            DateTime::from_secs_and_nanos(3, 500_000_000)
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(i64::MAX, 1_000_000_000),
            DateTime::MAX
        );
        assert!(DateTime::from_millis(-1) < DateTime::UNIX_EPOCH);
    }

    #[test]
    fn system_time_round_trips() {
        for t in [
            DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000),
            DateTime::from_secs_and_nanos(-5, 1),
            DateTime::UNIX_EPOCH,
        ] {
            let system = SystemTime::try_from(t).expect("in range");
            assert_eq!(DateTime::from(system), t);
        }
    }

    #[test]
    fn expanded_years_format_without_loss() {
        assert_eq!(
            DateTime::from_secs(253_402_300_800).to_string(),
            "+10000-01-01T00:00:00Z"
        );
        assert_eq!(
            DateTime::from_secs(days_from_civil(-1, 12, 31) * SECONDS_PER_DAY).to_string(),
            "-0001-12-31T00:00:00Z"
        );
    }

    /// Cross-checks the calendar arithmetic and RFC 3339 text against the `jiff` crate.
    #[test]
    fn agrees_with_jiff() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let state = xorshift(&mut state);
            let seconds = (state % 315_537_897_600) as i64 - 62_135_596_800;
            let nanos = (state >> 40) as u32 % NANOS_PER_SECOND;
            let ours = DateTime::from_secs_and_nanos(seconds, nanos);
            let theirs = jiff::Timestamp::new(seconds, nanos as i32).expect("in jiff's range");
            assert_eq!(ours.to_string(), theirs.to_string(), "{seconds}.{nanos}");
            let civil = ours.civil();
            let zoned = theirs.to_zoned(jiff::tz::TimeZone::UTC);
            assert_eq!(
                civil.weekday,
                zoned.weekday().to_sunday_zero_offset() as u32
            );
        }
    }
}
