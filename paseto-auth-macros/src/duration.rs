//! Compile-time durations such as `"30s"`, `"15m"`, `"1h30m"`, `"14d"`.

/// Parses one or more `<number><unit>` pairs (units `s`, `m`, `h`, `d`) into seconds.
pub(crate) fn parse_seconds(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err("empty duration; expected e.g. \"30s\", \"15m\", \"1h30m\" or \"14d\"".into());
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        let unit: u64 = match ch {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            other => {
                return Err(format!(
                    "unknown unit `{other}` in duration; use s, m, h or d"
                ));
            }
        };
        if digits.is_empty() {
            return Err(format!("unit `{ch}` without a number in duration"));
        }
        let value: u64 = digits
            .parse()
            .map_err(|_| "duration is too large".to_string())?;
        total = value
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| "duration is too large".to_string())?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err("number without a unit in duration; add s, m, h or d".into());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::parse_seconds;

    #[test]
    fn durations() {
        assert_eq!(parse_seconds("30s"), Ok(30));
        assert_eq!(parse_seconds("1h30m"), Ok(5400));
        assert_eq!(parse_seconds("14d"), Ok(1_209_600));
        assert!(parse_seconds("").is_err());
        assert!(parse_seconds("10").is_err());
        assert!(parse_seconds("5w").is_err());
        assert!(parse_seconds("h").is_err());
        assert!(parse_seconds("99999999999999999999s").is_err());
    }
}
