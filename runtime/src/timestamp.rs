//! Timestamp wire formats: epoch-seconds, RFC 3339 date-time and IMF-fixdate http-date.

use crate::primitives::DateTime;

/// The three Smithy timestamp formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Seconds since the Unix epoch, fractional part allowed.
    EpochSeconds,
    /// RFC 3339 (`2019-12-16T23:48:18Z`).
    DateTime,
    /// IMF-fixdate (`Mon, 16 Dec 2019 23:48:18 GMT`).
    HttpDate,
}

/// Formats a timestamp as text (epoch seconds drop a zero fraction, keep milliseconds otherwise).
pub fn format(value: &DateTime, format: Format) -> String {
    match format {
        Format::EpochSeconds => epoch_seconds_text(value),
        Format::DateTime => date_time_text(value),
        Format::HttpDate => jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(value)
            .unwrap_or_default(),
    }
}

/// Epoch seconds as a decimal string (`1398796238` or `1398796238.123`).
pub fn epoch_seconds_text(value: &DateTime) -> String {
    let seconds = value.as_second();
    let millis = value.subsec_millisecond();
    if millis == 0 {
        seconds.to_string()
    } else {
        let (seconds, millis) = if seconds < 0 || (seconds == 0 && value.subsec_nanosecond() < 0) {
            (seconds - 1, 1000 + millis)
        } else {
            (seconds, millis)
        };
        let fraction = format!("{millis:03}");
        format!("{seconds}.{}", fraction.trim_end_matches('0'))
    }
}

/// Epoch seconds as a JSON number.
pub fn epoch_seconds_f64(value: &DateTime) -> f64 {
    value.as_millisecond() as f64 / 1000.0
}

fn date_time_text(value: &DateTime) -> String {
    let millis = value.subsec_millisecond();
    let utc = value.to_zoned(jiff::tz::TimeZone::UTC);
    let base = utc.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    if millis == 0 {
        format!("{base}Z")
    } else {
        let fraction = format!("{millis:03}");
        format!("{base}.{}Z", fraction.trim_end_matches('0'))
    }
}

/// Parses a timestamp from text in the given format; `Err` says why.
pub fn parse(text: &str, format: Format) -> Result<DateTime, String> {
    match format {
        Format::EpochSeconds => {
            let seconds: f64 = text
                .trim()
                .parse()
                .map_err(|_| format!("`{text}` is not epoch seconds"))?;
            from_epoch_seconds(seconds)
        }
        Format::DateTime => text
            .parse::<DateTime>()
            .map_err(|e| format!("`{text}` is not an RFC 3339 date-time: {e}")),
        Format::HttpDate => jiff::fmt::rfc2822::DateTimeParser::new()
            .parse_timestamp(text)
            .map_err(|e| format!("`{text}` is not an HTTP date: {e}")),
    }
}

/// A timestamp from fractional epoch seconds (millisecond precision, as Smithy requires).
pub fn from_epoch_seconds(seconds: f64) -> Result<DateTime, String> {
    if !seconds.is_finite() {
        return Err(format!("{seconds} is not a finite number of seconds"));
    }
    let millis = (seconds * 1000.0).round();
    if millis.abs() > 253_402_300_799_999.0 {
        return Err(format!("{seconds} seconds is out of range"));
    }
    DateTime::from_millisecond(millis as i64).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let t = from_epoch_seconds(1576540098.0).unwrap();
        assert_eq!(format(&t, Format::EpochSeconds), "1576540098");
        assert_eq!(format(&t, Format::DateTime), "2019-12-16T23:48:18Z");
        assert_eq!(
            format(&t, Format::HttpDate),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        for f in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
            assert_eq!(parse(&format(&t, f), f).unwrap(), t);
        }
        let frac = from_epoch_seconds(1576540098.52).unwrap();
        assert_eq!(format(&frac, Format::EpochSeconds), "1576540098.52");
        assert_eq!(format(&frac, Format::DateTime), "2019-12-16T23:48:18.52Z");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("nope", Format::EpochSeconds).is_err());
        assert!(parse("nope", Format::DateTime).is_err());
        assert!(parse("nope", Format::HttpDate).is_err());
        assert!(from_epoch_seconds(f64::NAN).is_err());
        assert!(from_epoch_seconds(1e300).is_err());
    }
}
