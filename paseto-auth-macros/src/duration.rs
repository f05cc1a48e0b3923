//! Compile-time durations: one or more `<number><unit>` pairs, units `s`, `m`, `h`, `d`
//! (`"30s"`, `"15m"`, `"1h30m"`, `"14d"`).

const GRAMMAR: &str =
    "write <number><unit> pairs such as \"30s\", \"15m\" or \"1h30m\" (units: s, m, h, d)";

/// The number of seconds `text` stands for, or why it is not a duration.
pub(crate) fn parse_seconds(text: &str) -> Result<u64, String> {
    let invalid = |why: String| format!("invalid duration {text:?}: {why}; {GRAMMAR}");
    if text.is_empty() {
        return Err(format!("empty duration; {GRAMMAR}"));
    }
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    for ch in text.chars() {
        if let Some(digit) = ch.to_digit(10) {
            let value = number
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(digit)))
                .ok_or_else(|| invalid("it is too large".into()))?;
            number = Some(value);
            continue;
        }
        let unit: u64 = match ch {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            ' ' => return Err(invalid("it contains a space".into())),
            other => return Err(invalid(format!("`{other}` is not a unit"))),
        };
        let Some(value) = number.take() else {
            return Err(invalid(format!("`{ch}` has no number before it")));
        };
        total = value
            .checked_mul(unit)
            .and_then(|seconds| total.checked_add(seconds))
            .ok_or_else(|| invalid("it is too large".into()))?;
    }
    if let Some(value) = number {
        return Err(invalid(format!("`{value}` has no unit")));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::parse_seconds;

    #[test]
    fn valid() {
        assert_eq!(parse_seconds("0s"), Ok(0));
        assert_eq!(parse_seconds("30s"), Ok(30));
        assert_eq!(parse_seconds("15m"), Ok(900));
        assert_eq!(parse_seconds("1h30m"), Ok(5_400));
        assert_eq!(parse_seconds("14d"), Ok(1_209_600));
        assert_eq!(parse_seconds("1d2h3m4s"), Ok(93_784));
        assert_eq!(parse_seconds("18446744073709551615s"), Ok(u64::MAX));
    }

    #[test]
    fn invalid() {
        let err = |text| parse_seconds(text).unwrap_err();
        assert!(err("").starts_with("empty duration"));
        assert!(err("10").contains("`10` has no unit"));
        assert!(err("5w").contains("`w` is not a unit"));
        assert!(err("h").contains("`h` has no number before it"));
        assert!(err("1hm").contains("`m` has no number before it"));
        assert!(err("5 minutes").contains("it contains a space"));
        assert!(err("-5s").contains("`-` is not a unit"));
        assert!(err("١s").contains("is not a unit"));
        assert!(err("18446744073709551616s").contains("too large"));
        assert!(err("99999999999999999999s").contains("too large"));
        assert!(err("213503982334602d").contains("too large"));
        assert!(err("18446744073709551615s1s").contains("too large"));
        assert!(err("5x").ends_with("(units: s, m, h, d)"));
    }
}
