//! A small reader for the embedded CSV tables (RFC 4180 quoting, one record per line).
//!
//! Lines starting with `#` before the header are provenance comments and are skipped.

/// One record: its 1-based line number in the file and its fields.
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why an embedded table could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvError {
    pub line: usize,
    pub message: String,
}

/// Reads `text`, checks that the header is exactly `header`, and returns the records,
/// each with exactly `header.len()` fields.
pub(crate) fn read(text: &str, header: &[&str]) -> Result<Vec<Record>, CsvError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')));
    let mut header_seen = false;
    let mut out = Vec::new();
    for (line, raw) in lines.by_ref() {
        if !header_seen {
            if raw.starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            let fields = split(raw, line)?;
            if fields != header {
                return Err(CsvError {
                    line,
                    message: format!("header is {fields:?}, expected {header:?}"),
                });
            }
            header_seen = true;
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        let fields = split(raw, line)?;
        if fields.len() != header.len() {
            return Err(CsvError {
                line,
                message: format!("{} fields, expected {}", fields.len(), header.len()),
            });
        }
        out.push(Record { line, fields });
    }
    if !header_seen {
        return Err(CsvError {
            line: 0,
            message: "no header line".to_string(),
        });
    }
    Ok(out)
}

fn split(line: &str, line_no: usize) -> Result<Vec<String>, CsvError> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    let mut quoted_field = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => in_quotes = false,
                _ => field.push(c),
            }
        } else {
            match c {
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    quoted_field = false;
                }
                '"' if field.is_empty() && !quoted_field => {
                    in_quotes = true;
                    quoted_field = true;
                }
                '"' => {
                    return Err(CsvError {
                        line: line_no,
                        message: "stray quote inside an unquoted field".to_string(),
                    });
                }
                _ if quoted_field => {
                    return Err(CsvError {
                        line: line_no,
                        message: "text after a closing quote".to_string(),
                    });
                }
                _ => field.push(c),
            }
        }
    }
    if in_quotes {
        return Err(CsvError {
            line: line_no,
            message: "unterminated quoted field".to_string(),
        });
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_and_comments() {
        let text = "# provenance\na,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,,z\n";
        let recs = read(text, &["a", "b", "c"]).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].fields, ["1", "x, y", "say \"hi\""]);
        assert_eq!(recs[0].line, 3);
        assert_eq!(recs[1].fields, ["2", "", "z"]);
    }

    #[test]
    fn malformed_tables_are_errors() {
        assert!(read("a,b\n1\n", &["a", "b"]).is_err());
        assert!(read("a,c\n", &["a", "b"]).is_err());
        assert!(read("a,b\n\"1,2\n", &["a", "b"]).is_err());
        assert!(read("a,b\n\"1\"x,2\n", &["a", "b"]).is_err());
        assert!(read("# only a comment\n", &["a"]).is_err());
    }
}
