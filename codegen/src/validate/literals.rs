//! Literals and defaults: a value written in the schema (a field's `default`,
//! a `where`, `join_where` or `join_defaults` value) must be a value of its
//! column's type, in range; it becomes the typed [`Literal`] the SQL and the
//! Rust emitters write. A field's `default_sql` must be one SQL expression.
//!
//! One arm per column type in [`typed`] (and an example in
//! [`example_literal`]): a new type adds its arms there.

use super::context::{Context, a};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, ColumnId, Date, Decimal, FieldType, Literal, TableId, Time};
use crate::names::did_you_mean;
use crate::parse::ast::{self, Sp};

/// The typed value of `value` for a column of type `ty`, or a located error.
pub(super) fn check_literal(
    cx: &mut Context<'_>,
    value: &Sp<ast::Literal>,
    ty: FieldType,
    nullable: bool,
    what: &str,
) -> Option<Literal> {
    if let (FieldType::Array(element), ast::Literal::List(items)) = (ty, &value.value) {
        return array(cx, items, *element, what);
    }
    let problem = match (&value.value, nullable) {
        (ast::Literal::Null, true) => return Some(Literal::Null),
        (ast::Literal::Null, false) => Problem::Kind,
        (written, _) => match typed(written, ty, &cx.enums) {
            Ok(literal) => return Some(literal),
            Err(problem) => problem,
        },
    };
    // An enum is named by the schema's name for it (`mpaa_rating`).
    let (type_name, a_ty, example) = match ty {
        FieldType::Enum(id) => {
            let e = &cx.enums[id];
            let first = e.variants.first().map(|v| format!("{:?}", v.label));
            (e.name.clone(), format!("a {} value", e.name), first)
        }
        _ => (
            ty.name().to_owned(),
            a(ty),
            example_literal(ty).map(str::to_owned),
        ),
    };
    let expected = if nullable {
        format!("a nullable {type_name}")
    } else {
        a_ty.clone()
    };
    let shown = match &value.value {
        ast::Literal::Null => "null".to_owned(),
        ast::Literal::Bool(b) => b.to_string(),
        ast::Literal::Int(i) => i.to_string(),
        ast::Literal::Float(f, text) => text.clone().unwrap_or_else(|| f.to_string()),
        ast::Literal::Str(s) => format!("{s:?}"),
        ast::Literal::List(_) => "a list".to_owned(),
    };
    let (message, label, help) = match problem {
        Problem::Kind => {
            let message = if value.value == ast::Literal::Null {
                format!("{what} is null, but the column cannot be NULL")
            } else {
                format!("{what} is {shown}, which is not {expected}")
            };
            let help = match example {
                Some(e) if value.value == ast::Literal::Null => format!(
                    "write {a_ty}, e.g. `{e}`, or make the column nullable (`{type_name}?`)"
                ),
                Some(e) => format!("write {a_ty}, e.g. `{e}`"),
                None => format!(
                    "{a_ty} column takes no literal value: remove it (a nullable column defaults to NULL)"
                ),
            };
            (message, format!("not {expected}"), help)
        }
        Problem::Invalid { label, help } => (
            format!("{what} is {shown}, which is not {expected}"),
            label,
            help.unwrap_or_else(|| match example {
                Some(e) => format!("write {a_ty}, e.g. `{e}`"),
                None => "remove the value".to_owned(),
            }),
        ),
    };
    cx.error(
        Diagnostic::error(value.span, message)
            .with_label(label)
            .with_help(help),
    );
    None
}

/// The elements of an array value (`default: [a, b]`), each a value of the
/// element type, located where it is written; no NULL elements (the `Vec<T>`
/// of an array column has none).
fn array(
    cx: &mut Context<'_>,
    items: &[Sp<ast::Literal>],
    element: FieldType,
    what: &str,
) -> Option<Literal> {
    let mut values = Vec::with_capacity(items.len());
    let mut valid = true;
    for item in items {
        let value = if item.value == ast::Literal::Null {
            cx.error(
                Diagnostic::error(item.span, format!("an element of {what} is null"))
                    .with_label("a NULL element")
                    .with_help(format!(
                        "an array column is a `Vec` of {}s, which holds no NULL: remove the null",
                        element.name()
                    )),
            );
            None
        } else {
            check_literal(cx, item, element, false, &format!("an element of {what}"))
        };
        match value {
            Some(value) => values.push(value),
            None => valid = false,
        }
    }
    valid.then_some(Literal::Array { element, values })
}

/// A `char(n)` default padded with spaces to `n` characters: PostgreSQL
/// stores it so, and the DDL and `Default` give the same value on every
/// backend. (A `where` value is not padded: PostgreSQL ignores trailing
/// spaces in comparing `char(n)`, SQLite compares what was stored.)
pub(super) fn padded(ty: FieldType, value: Literal) -> Literal {
    match (ty, value) {
        (FieldType::Char(n), Literal::Str(s)) => {
            let n = n as usize;
            Literal::Str(format!("{s:<n$}"))
        }
        (_, value) => value,
    }
}

/// Why a written value is not a value of its column's type.
enum Problem {
    /// A value of another kind (a string for an int, a number for a date).
    Kind,
    /// The right kind, but not a valid value: what is wrong (the label), and
    /// a hint when the type's example is not enough.
    Invalid { label: String, help: Option<String> },
}

fn invalid(label: impl Into<String>) -> Problem {
    Problem::Invalid {
        label: label.into(),
        help: None,
    }
}

fn invalid_with(label: impl Into<String>, help: impl Into<String>) -> Problem {
    Problem::Invalid {
        label: label.into(),
        help: Some(help.into()),
    }
}

/// The value `written` as a value of type `ty` (not NULL).
fn typed(written: &ast::Literal, ty: FieldType, enums: &[ir::Enum]) -> Result<Literal, Problem> {
    use FieldType as T;
    use ast::Literal as W;
    match (ty, written) {
        (T::Integer, W::Int(i)) => Ok(Literal::Int(*i)),
        (T::Int, W::Int(i)) => i32::try_from(*i).map(|_| Literal::Int(*i)).map_err(|_| {
            invalid_with(
                "out of the range of an int (i32), -2147483648 to 2147483647",
                "write a value in range, or make the column an `integer` (i64)",
            )
        }),
        (T::SmallInt, W::Int(i)) => i16::try_from(*i).map(|_| Literal::Int(*i)).map_err(|_| {
            invalid_with(
                "out of the range of a smallint (i16), -32768 to 32767",
                "write a value in range, or make the column an `int` (i32)",
            )
        }),
        (T::Integer | T::Int | T::SmallInt, W::Float(_, Some(text))) if is_integer_text(text) => {
            Err(invalid_with(
                format!("out of the range of {} ({})", a(ty), integer_range(ty)),
                "write a value in range, or make the column a `decimal`",
            ))
        }
        (T::Float, W::Int(i)) => Ok(Literal::Float(*i as f64)),
        (T::Float, W::Float(f, _)) if f.is_finite() => Ok(Literal::Float(*f)),
        (T::Float4, W::Int(i)) => Ok(Literal::Float4(*i as f32)),
        // Kept as the f32 the column holds: a `where` compares with it.
        (T::Float4, W::Float(f, _)) if f.is_finite() && (*f as f32).is_finite() => {
            Ok(Literal::Float4(*f as f32))
        }
        (T::Float4, W::Float(f, _)) if f.is_finite() => Err(invalid_with(
            "beyond the range of a float4 (f32), about ±3.4e38",
            "write a value in range, or make the column a `float` (f64)",
        )),
        (T::Float | T::Float4, W::Float(..)) => Err(invalid_with(
            "not a finite number",
            "write a finite number: a default of infinity or NaN has no portable SQL literal",
        )),
        (T::Boolean, W::Bool(b)) => Ok(Literal::Bool(*b)),
        (T::String | T::Text, W::Str(s)) => no_nul(s).map(|()| Literal::Str(s.clone())),
        (T::Char(n), W::Str(s)) => {
            no_nul(s)?;
            let length = s.chars().count();
            if length > n as usize {
                return Err(invalid_with(
                    format!("{length} characters, longer than {n}"),
                    format!("write at most {n} characters, or make the column longer"),
                ));
            }
            Ok(Literal::Str(s.clone()))
        }
        (T::Decimal, W::Int(i)) => decimal(&i.to_string()),
        (T::Decimal, W::Float(f, text)) => decimal(&text.clone().unwrap_or_else(|| f.to_string())),
        (T::Decimal, W::Str(s)) => decimal(s),
        (T::Uuid, W::Str(s)) => uuid(s).map(Literal::Uuid),
        (T::Date, W::Str(s)) => date(s).map(Literal::Date),
        (T::Time, W::Str(s)) => time(s).map(Literal::Time),
        (T::Datetime, W::Str(s)) => datetime(s).map(|(d, t)| Literal::Datetime(d, t)),
        (T::Timestamp, W::Str(s)) => timestamp(s).map(|(d, t)| Literal::Timestamp(d, t)),
        (T::Json, W::Str(s)) => json(s).map(Literal::Json),
        (T::Enum(id), W::Str(s)) => enum_value(&enums[id], s),
        _ => Err(Problem::Kind),
    }
}

/// One of the enum's values, as written (labels are case-sensitive).
fn enum_value(e: &ir::Enum, text: &str) -> Result<Literal, Problem> {
    let Some(variant) = e.variants.iter().find(|v| v.label == text) else {
        let labels = e.variants.iter().map(|v| v.label.as_str());
        let all = labels.clone().collect::<Vec<_>>().join(", ");
        let help = match did_you_mean(text, labels) {
            Some(close) => format!("{close} (the values, case included: {all})"),
            None => format!("write one of {all} (case included)"),
        };
        return Err(invalid_with(
            format!("not a value of enum {}", e.name),
            help,
        ));
    };
    Ok(Literal::Enum(ir::EnumValue {
        label: variant.label.clone(),
        sql_type: e.sql_name.clone(),
        prefix: e.prefix.clone(),
        rust_type: e.rust.clone(),
        rust_variant: variant.rust.clone(),
    }))
}

fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn integer_range(ty: FieldType) -> &'static str {
    match ty {
        FieldType::SmallInt => "i16, -32768 to 32767",
        FieldType::Int => "i32, -2147483648 to 2147483647",
        _ => "i64, -9223372036854775808 to 9223372036854775807",
    }
}

fn no_nul(s: &str) -> Result<(), Problem> {
    if s.contains('\0') {
        return Err(invalid_with(
            "contains a NUL character (\\0)",
            "remove the \\0: PostgreSQL cannot store it in text, and SQLite would cut the text there",
        ));
    }
    Ok(())
}

/// rust_decimal's limits: a 96-bit mantissa, at most 28 decimal places.
const DECIMAL_MAX_MANTISSA: i128 = (1 << 96) - 1;
const DECIMAL_MAX_SCALE: u32 = 28;

/// An exact decimal from `[+-]digits[.digits][e[+-]digits]`, every digit kept.
fn decimal(text: &str) -> Result<Literal, Problem> {
    let not_decimal = || {
        invalid_with(
            "not a decimal number",
            "write digits with an optional sign and `.`, e.g. `19.99` or `\"19.99\"`",
        )
    };
    let (number, exponent) = match text.split_once(['e', 'E']) {
        Some((number, exponent)) => (number, exponent.parse::<i32>().map_err(|_| not_decimal())?),
        None => (text, 0),
    };
    let (negative, unsigned) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number.strip_prefix('+').unwrap_or(number)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err(not_decimal());
    }
    let out_of_range = || {
        invalid_with(
            "beyond the range of rust_decimal (28 significant digits)",
            "a decimal column's Rust type is rust_decimal::Decimal: write at most 28 significant digits and 28 decimal places",
        )
    };
    // Leading zeros carry no digit; the scale counts the fraction's digits.
    let all = format!("{whole}{fraction}");
    let significant = all.trim_start_matches('0');
    let mut scale =
        i64::try_from(fraction.len()).map_err(|_| out_of_range())? - i64::from(exponent);
    let mut mantissa: i128 = if significant.is_empty() {
        0
    } else if significant.len() > 29 {
        return Err(out_of_range());
    } else {
        significant.parse().map_err(|_| out_of_range())?
    };
    if scale < 0 {
        // `1.5e3`: the mantissa takes the zeros (a zero takes none).
        let zeros = u32::try_from(-scale).map_err(|_| out_of_range())?;
        if mantissa != 0 {
            mantissa = 10i128
                .checked_pow(zeros)
                .and_then(|power| mantissa.checked_mul(power))
                .ok_or_else(out_of_range)?;
        }
        scale = 0;
    }
    let scale = u32::try_from(scale).map_err(|_| out_of_range())?;
    if mantissa > DECIMAL_MAX_MANTISSA {
        return Err(out_of_range());
    }
    if scale > DECIMAL_MAX_SCALE {
        return Err(invalid_with(
            "more than 28 decimal places",
            "rust_decimal keeps at most 28 decimal places: round the value",
        ));
    }
    if negative {
        mantissa = -mantissa;
    }
    Ok(Literal::Decimal(Decimal { mantissa, scale }))
}

/// A hyphenated UUID: 8-4-4-4-12 hex digits, either case.
fn uuid(text: &str) -> Result<u128, Problem> {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lengths != [8, 4, 4, 4, 12]
        || !groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(invalid("not a UUID: 32 hex digits in groups of 8-4-4-4-12"));
    }
    u128::from_str_radix(&groups.concat(), 16)
        .map_err(|_| invalid("not a UUID: 32 hex digits in groups of 8-4-4-4-12"))
}

/// `width` ASCII digits as a number.
fn digits(text: &str, width: usize) -> Option<u32> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD`, a real day of years 1 to 9999.
fn date(text: &str) -> Result<Date, Problem> {
    let format = || invalid("not a date: YYYY-MM-DD");
    let mut parts = text.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format());
    };
    let (Some(year), Some(month), Some(day)) = (digits(year, 4), digits(month, 2), digits(day, 2))
    else {
        return Err(format());
    };
    if year == 0 {
        return Err(invalid("year 0 does not exist: years go from 0001 to 9999"));
    }
    if !(1..=12).contains(&month) {
        return Err(invalid(format!("month {month} does not exist")));
    }
    let last = days_in_month(year, month);
    if day == 0 || day > last {
        return Err(invalid(format!(
            "{year:04}-{month:02} has days 01 to {last}"
        )));
    }
    Ok(Date {
        year: year as i32,
        month,
        day,
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.ffffff` (at most microseconds).
fn time(text: &str) -> Result<Time, Problem> {
    let format = || invalid("not a time: HH:MM:SS, with an optional fraction");
    let (clock, fraction) = match text.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (text, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hour, minute, second) = match parts.as_slice() {
        [h, m] if fraction.is_none() => (digits(h, 2), digits(m, 2), Some(0)),
        [h, m, s] => (digits(h, 2), digits(m, 2), digits(s, 2)),
        _ => return Err(format()),
    };
    let (Some(hour), Some(minute), Some(second)) = (hour, minute, second) else {
        return Err(format());
    };
    if hour > 23 || minute > 59 || second > 59 {
        return Err(invalid("out of range: 00:00:00 to 23:59:59"));
    }
    let micro = match fraction {
        None => 0,
        Some(f) if f.is_empty() || f.len() > 6 || !f.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(invalid_with(
                "the fraction of a second has 1 to 6 digits",
                "the databases keep microseconds: write at most 6 digits after the `.`",
            ));
        }
        Some(f) => format!("{f:0<6}").parse().map_err(|_| format())?,
    };
    Ok(Time {
        hour,
        minute,
        second,
        micro,
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]` (or a space for the `T`) and its UTC
/// offset (`Z`, `+02:00`), as the UTC date and time it names.
fn datetime(text: &str) -> Result<(Date, Time), Problem> {
    let format = || {
        invalid_with(
            "not a date and time with a UTC offset",
            "write e.g. `\"2024-01-31T12:30:00Z\"` (UTC) or `\"2024-01-31T14:30:00+02:00\"`",
        )
    };
    let (Some(day), Some("T" | "t" | " "), Some(rest)) =
        (text.get(..10), text.get(10..11), text.get(11..))
    else {
        return Err(format());
    };
    let date = date(day)?;
    let (clock, offset_minutes) = if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        let (clock, offset) = rest.split_at(at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (h, m) = match offset[1..].split_once(':') {
            Some((h, m)) => (digits(h, 2), digits(m, 2)),
            None if offset.len() == 3 => (digits(&offset[1..], 2), Some(0)),
            None => (
                digits(offset.get(1..3).unwrap_or(""), 2),
                digits(offset.get(3..).unwrap_or(""), 2),
            ),
        };
        match (h, m) {
            (Some(h), Some(m)) if h <= 23 && m <= 59 => (clock, sign * (h * 60 + m) as i64),
            _ => return Err(format()),
        }
    } else {
        return Err(invalid_with(
            "no UTC offset",
            "add `Z` for UTC (`\"2024-01-31T12:30:00Z\"`) or an offset (`+02:00`): a time without one means another instant in each session's time zone",
        ));
    };
    let time = time(clock)?;
    // To UTC: minutes since 0001-01-01 minus the offset, back to a date.
    let minutes =
        days_from_civil(date) * 1440 + i64::from(time.hour * 60 + time.minute) - offset_minutes;
    let utc = civil_from_days(minutes.div_euclid(1440));
    if !(1..=9999).contains(&utc.year) {
        return Err(invalid("out of range in UTC: years 0001 to 9999"));
    }
    let minute_of_day = minutes.rem_euclid(1440) as u32;
    Ok((
        utc,
        Time {
            hour: minute_of_day / 60,
            minute: minute_of_day % 60,
            ..time
        },
    ))
}

/// A wall-clock date and time without a zone: `YYYY-MM-DD HH:MM:SS[.ffffff]`
/// (or a `T` for the space).
fn timestamp(text: &str) -> Result<(Date, Time), Problem> {
    let format = || {
        invalid_with(
            "not a date and time",
            "write e.g. `\"2024-01-31 12:30:00\"`",
        )
    };
    let (Some(day), Some("T" | "t" | " "), Some(clock)) =
        (text.get(..10), text.get(10..11), text.get(11..))
    else {
        return Err(format());
    };
    let date = date(day)?;
    if clock.ends_with(['Z', 'z']) || clock.contains(['+', '-']) {
        return Err(invalid_with(
            "a time zone, but a timestamp has none",
            "remove the offset (a timestamp is a wall-clock time), or make the column a `datetime`",
        ));
    }
    Ok((date, time(clock)?))
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(date: Date) -> i64 {
    let (m, d) = (i64::from(date.month), i64::from(date.day));
    let y = i64::from(date.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// JSON text, kept compact as serde_json writes it (what rusqlite stores).
fn json(text: &str) -> Result<String, Problem> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        invalid_with(
            format!("not JSON: {e}"),
            "write the JSON as a YAML string, e.g. `'{\"tags\": []}'`",
        )
    })?;
    if has_nul(&value) {
        return Err(invalid_with(
            "contains a NUL character (\\u0000)",
            "remove the \\u0000: PostgreSQL's jsonb cannot store it",
        ));
    }
    Ok(value.to_string())
}

/// Whether a string or key of `value` holds a NUL (`\u0000`).
fn has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// The columns and values of a `where`, `join_where`, `join_defaults` or
/// `defaults`.
pub(super) fn conditions(
    cx: &mut Context<'_>,
    table: TableId,
    conditions: &[ast::Condition],
    what: &str,
) -> Vec<(ColumnId, Literal)> {
    let mut out = Vec::new();
    for condition in conditions {
        match cx.find_column(table, &condition.column.value) {
            Some(c) => {
                let column = &cx.tables[table].columns[c];
                let (ty, nullable) = (column.ty, column.nullable);
                // An untyped column was reported already.
                if cx.untyped.contains(&(table, c)) {
                    continue;
                }
                // Arrays compare as JSON text on SQLite, where equal lists
                // may be written differently: no `where` on them.
                if let (FieldType::Array(_) | FieldType::Embed { .. }, false) =
                    (ty, matches!(what, "`join_defaults`" | "`defaults`"))
                {
                    cx.error(
                        Diagnostic::error(
                            condition.column.span,
                            format!(
                                "the {what} of {}.{} compares {} column",
                                cx.tables[table].sql_name,
                                condition.column.value,
                                a(ty)
                            ),
                        )
                        .with_label("stored as JSON on SQLite")
                        .with_help("filter on a column of another type: SQLite stores it as JSON text, whose equality is not the values'"),
                    );
                    continue;
                }
                let what = format!(
                    "the {what} value of {}.{}",
                    cx.tables[table].sql_name, condition.column.value
                );
                if let Some(value) = check_literal(cx, &condition.value, ty, nullable, &what) {
                    out.push((c, value));
                }
            }
            None => cx.unknown_column(table, &condition.column, what),
        }
    }
    out
}

/// A field's `default_sql`: one SQL expression, which the DDL writes in
/// parentheses after `DEFAULT`. The database parses it; here only what
/// would break the statement around it is refused: an unclosed quote or
/// parenthesis, a `,` or `;` outside them, a comment.
pub(super) fn check_default_sql(cx: &mut Context<'_>, sql: &Sp<String>, what: &str) {
    let Err(label) = one_expression(&sql.value) else {
        return;
    };
    cx.error(
        Diagnostic::error(sql.span, format!("the default_sql of {what} is not one SQL expression"))
            .with_label(label)
            .with_help("write one expression the database evaluates on insert, e.g. `CURRENT_TIMESTAMP`, `now()`, `gen_random_uuid()`; for a value, use `default`"),
    );
}

/// A foreign key is written by the code (an association's `insert`, a
/// link), never left to the database: no key column has a `default_sql`.
pub(super) fn check_keys_have_no_default_sql(cx: &mut Context<'_>) {
    let mut reported = std::collections::HashSet::new();
    for table in 0..cx.tables.len() {
        let t = &cx.tables[table];
        let key_columns: Vec<ColumnId> = t
            .foreign_keys
            .iter()
            .flat_map(|fk| fk.columns.iter().copied())
            .filter(|c| t.columns[*c].generated == Some(ir::Generated::DefaultSql))
            .collect();
        for column in key_columns {
            // A stored association's table repeats its struct's columns.
            let span = cx.column_spans[table][column];
            if !reported.insert(span) {
                continue;
            }
            let name = cx.tables[table].columns[column].sql_name.clone();
            cx.error(
                Diagnostic::error(span, format!("column {name} has a `default_sql`, but it is a foreign key"))
                    .with_label("a foreign key the database would fill")
                    .with_help("remove `default_sql`: the generated code writes a foreign key from the row it points at"),
            );
        }
    }
}

pub(super) fn one_expression(sql: &str) -> Result<(), String> {
    if sql.trim().is_empty() {
        return Err("empty".to_owned());
    }
    if sql.contains('\0') {
        return Err("contains a NUL character".to_owned());
    }
    let mut depth = 0usize;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A string or a quoted name, with its quote doubled inside.
            '\'' | '"' | '`' => loop {
                match chars.next() {
                    Some(q) if q == c && chars.peek() == Some(&c) => {
                        chars.next();
                    }
                    Some(q) if q == c => break,
                    Some(_) => {}
                    None => return Err(format!("a {c} is not closed")),
                }
            },
            '(' => depth += 1,
            ')' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or("a `)` closes no `(`".to_owned())?;
            }
            ',' | ';' if depth == 0 => {
                return Err(format!("a `{c}` outside parentheses ends the expression"));
            }
            '-' if chars.peek() == Some(&'-') => return Err("a `--` comment".to_owned()),
            '/' if chars.peek() == Some(&'*') => return Err("a `/*` comment".to_owned()),
            _ => {}
        }
    }
    if depth > 0 {
        return Err("a `(` is not closed".to_owned());
    }
    Ok(())
}

/// A literal of the type, as written in the schema, for hints.
fn example_literal(ty: FieldType) -> Option<&'static str> {
    use FieldType as T;
    Some(match ty {
        T::Integer | T::Int | T::SmallInt => "0",
        T::Float | T::Float4 => "0.5",
        T::Decimal => "\"19.99\"",
        T::Boolean => "false",
        T::String | T::Text => "\"text\"",
        T::Char(_) => "\"a\"",
        T::Uuid => "\"67e55044-10b1-426f-9247-bb680e5fe0c8\"",
        T::Date => "\"2024-01-31\"",
        T::Time => "\"12:30:00\"",
        T::Datetime => "\"2024-01-31T12:30:00Z\"",
        T::Timestamp => "\"2024-01-31 12:30:00\"",
        T::Json => "'{\"tags\": []}'",
        T::Array(_) => "[]",
        T::Binary | T::Enum(_) | T::Embed { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> Option<String> {
        match decimal(text) {
            Ok(Literal::Decimal(d)) => Some(d.to_string()),
            _ => None,
        }
    }

    #[test]
    fn decimals_keep_their_digits() {
        assert_eq!(
            exact("12345678901234567890123").as_deref(),
            Some("12345678901234567890123")
        );
        assert_eq!(exact("1.50").as_deref(), Some("1.50"));
        assert_eq!(exact("-0.05").as_deref(), Some("-0.05"));
        assert_eq!(exact("1.5e3").as_deref(), Some("1500"));
        assert_eq!(exact("15e-3").as_deref(), Some("0.015"));
        assert_eq!(
            exact("79228162514264337593543950335").as_deref(),
            Some("79228162514264337593543950335")
        );
        assert_eq!(exact("79228162514264337593543950336"), None);
        assert_eq!(exact("0.00000000000000000000000000001"), None);
        assert_eq!(exact("1e400"), None);
        assert_eq!(exact("0e2147483647").as_deref(), Some("0"));
        assert_eq!(exact("1e2147483647"), None);
        assert_eq!(exact("1e-2147483648"), None);
        assert_eq!(exact("1.2.3"), None);
        assert_eq!(exact("."), None);
        assert_eq!(exact("five"), None);
    }

    #[test]
    fn datetimes_become_utc() {
        let (d, t) = datetime("2024-03-01T01:30:00+02:00").ok().unwrap();
        assert_eq!(
            (d.to_string(), t.to_string()),
            ("2024-02-29".into(), "23:30:00".into())
        );
        assert!(datetime("9999-12-31 23:59:59.5-00:30").is_err());
        assert!(datetime("2024-01-31T12:30:00").is_err());
        assert!(datetime("2024-01-31T12:30:00.1234567Z").is_err());
        let (d, t) = datetime("1999-12-31T23:59:59.25Z").ok().unwrap();
        assert_eq!(
            (d.to_string(), t.to_string()),
            ("1999-12-31".into(), "23:59:59.250".into())
        );
    }

    #[test]
    fn timestamps_have_no_zone() {
        let (d, t) = timestamp("2024-02-29T23:59:59.5").ok().unwrap();
        assert_eq!(
            (d.to_string(), t.to_string()),
            ("2024-02-29".into(), "23:59:59.500".into())
        );
        assert!(timestamp("2024-02-29 23:59").is_ok());
        assert!(timestamp("2024-02-29 23:59:59Z").is_err());
        assert!(timestamp("2024-02-29 23:59:59+02:00").is_err());
        assert!(timestamp("2024-02-29").is_err());
        assert!(timestamp("2024-02-30 00:00:00").is_err());
    }

    #[test]
    fn float4_values_are_the_columns_f32() {
        let float4 = |f: f64| typed(&ast::Literal::Float(f, None), FieldType::Float4, &[]).ok();
        assert_eq!(float4(0.1), Some(Literal::Float4(0.1)));
        assert_eq!(float4(3.4e38), Some(Literal::Float4(3.4e38)));
        assert_eq!(float4(3.5e38), None);
        assert_eq!(float4(f64::NAN), None);
        let small = |i: i64| typed(&ast::Literal::Int(i), FieldType::SmallInt, &[]).ok();
        assert_eq!(small(-32768), Some(Literal::Int(-32768)));
        assert_eq!(small(32768), None);
        let char2 = |s: &str| typed(&ast::Literal::Str(s.into()), FieldType::Char(2), &[]).ok();
        assert_eq!(char2("né"), Some(Literal::Str("né".into())));
        assert_eq!(char2("abc"), None);
        assert_eq!(
            padded(FieldType::Char(3), Literal::Str("a".into())),
            Literal::Str("a  ".into())
        );
    }

    #[test]
    fn dates_and_times_are_checked() {
        assert!(date("2024-02-29").is_ok());
        assert!(date("2023-02-29").is_err());
        assert!(date("0000-01-01").is_err());
        assert!(date("not a date").is_err());
        assert_eq!(
            time("12:30").ok().map(|t| t.to_string()).as_deref(),
            Some("12:30:00")
        );
        assert_eq!(
            time("12:30:00.000001")
                .ok()
                .map(|t| t.to_string())
                .as_deref(),
            Some("12:30:00.000001")
        );
        assert!(time("24:00:00").is_err());
        assert!(time("12:30.5").is_err());
        assert!(uuid("------------------------------------").is_err());
        assert_eq!(
            uuid("67E55044-10b1-426f-9247-bb680e5fe0c8").ok(),
            Some(0x67e55044_10b1_426f_9247_bb680e5fe0c8)
        );
    }

    #[test]
    fn default_sql_is_one_expression() {
        assert!(one_expression("CURRENT_TIMESTAMP").is_ok());
        assert!(one_expression("coalesce(a, 'x,y'')')").is_ok());
        assert!(one_expression("1, \"x\" TEXT").is_err());
        assert!(one_expression("now()) -- ").is_err());
        assert!(one_expression("'open").is_err());
        assert!(one_expression("1; DROP TABLE t").is_err());
    }
}
