//! Telegram Desktop exports (`result.json`): one chat (`{"name", "messages": [...]}`)
//! or a full export (`{"chats": {"list": [...]}}`). Messages of type "message"
//! become documents; `text` is a string or a list of strings and entity objects,
//! joined. Service messages and messages without text (media only) are skipped
//! and counted in the read report.

use serde_json::Value;

use crate::corpus::date_values::DateValue;
use crate::corpus::read::files::{read_text, InputFile};
use crate::corpus::read::{input_err, meta_date, FileLoad, MetaValue, Raw, ReadIssue, ReadOptions};
use crate::error::Result;

/// A message's text: a string, or a list of strings and `{"type", "text"}` entities.
pub fn message_text(v: &Value) -> String {
    let mut out = String::new();
    push_text(v, &mut out);
    out
}

/// Appends the text of a message's `text` value: a string, a number (exported
/// as such by some tools), an entity object's "text", or a list of these.
fn push_text(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Array(parts) => parts.iter().for_each(|p| push_text(p, out)),
        Value::Object(o) => {
            if let Some(t) = o.get("text") {
                push_text(t, out);
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

fn hashtags(msg: &serde_json::Map<String, Value>) -> Vec<String> {
    let entities = msg
        .get("text_entities")
        .or_else(|| msg.get("text"))
        .and_then(Value::as_array);
    entities
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let o = e.as_object()?;
            (o.get("type")?.as_str()? == "hashtag")
                .then(|| o.get("text")?.as_str().map(String::from))?
        })
        .collect()
}

fn str_or_num(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Loads a Telegram Desktop export.
pub fn load(f: &InputFile, opts: &ReadOptions) -> Result<FileLoad> {
    let mut load = FileLoad {
        name: f.name.clone(),
        chronological: true,
        ..Default::default()
    };
    let text = read_text(f, opts.decode, opts.max_record_bytes, &mut load.issues)?;
    let root: Value = serde_json::from_str(&text).map_err(|e| {
        input_err(
            &format!("{}:{}", f.display, e.line()),
            format!("malformed JSON (column {}): {e}", e.column()),
        )
    })?;
    let chats: Vec<&Value> = if root.get("messages").is_some() {
        vec![&root]
    } else if let Some(list) = root.pointer("/chats/list").and_then(Value::as_array) {
        list.iter().collect()
    } else {
        return Err(input_err(
            &f.display,
            "not a Telegram Desktop export: no \"messages\" list (nor \"chats\": {\"list\": ...})",
        ));
    };
    for chat in chats {
        let channel = str_or_num(chat.get("name")).unwrap_or_default();
        let chat_id = str_or_num(chat.get("id")).unwrap_or_else(|| channel.clone());
        let Some(messages) = chat.get("messages").and_then(Value::as_array) else {
            return Err(input_err(
                &f.display,
                format!("chat {channel:?}: \"messages\" is not a list"),
            ));
        };
        let (mut service, mut empty) = (0usize, 0usize);
        for (k, m) in messages.iter().enumerate() {
            let Some(msg) = m.as_object() else {
                return Err(input_err(
                    &f.display,
                    format!("chat {channel:?}: message {k} is not an object"),
                ));
            };
            let mid = str_or_num(msg.get("id")).unwrap_or_else(|| k.to_string());
            let source = format!("{}#{}/{mid}", f.display, chat_id);
            if msg.get("type").and_then(Value::as_str) == Some("service") {
                service += 1;
                continue;
            }
            let body = message_text(msg.get("text").unwrap_or(&Value::Null));
            if body.trim().is_empty() {
                empty += 1;
                continue;
            }
            // "date" (local time, ISO) is preferred; "date_unixtime" (UTC) otherwise.
            let (field, value) = match (msg.get("date"), msg.get("date_unixtime")) {
                (Some(v), _) if !v.is_null() => ("date", v),
                (_, Some(u)) => ("date_unixtime", u),
                (Some(v), None) => ("date", v),
                (None, None) => ("date", &Value::Null),
            };
            let value = match value {
                Value::Null => DateValue::Missing,
                Value::String(s) => DateValue::Text(s),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => DateValue::Int(i),
                    None => DateValue::Float(n.as_f64().unwrap_or(f64::NAN)),
                },
                other => {
                    return Err(input_err(&source, format!("{field} {other} is not a date")));
                }
            };
            let date = meta_date(&source, field, value, &opts.dates, &mut load.issues)?;
            let s = |key: &str| str_or_num(msg.get(key)).map_or(MetaValue::Null, MetaValue::Str);
            let tags = hashtags(msg);
            load.docs.push(Raw {
                id: Some(format!("{chat_id}/{mid}")),
                text: body,
                date,
                source,
                meta: vec![
                    ("channel".into(), MetaValue::Str(channel.clone())),
                    (
                        "message_id".into(),
                        msg.get("id")
                            .and_then(Value::as_i64)
                            .map_or(MetaValue::Null, MetaValue::Int),
                    ),
                    ("from".into(), s("from")),
                    ("forwarded_from".into(), s("forwarded_from")),
                    ("hashtags".into(), MetaValue::Str(tags.join(" "))),
                ],
                has_date_field: true,
            });
        }
        for (n, kind, what) in [
            (
                service,
                "skipped_service",
                "service messages (joins, pins, title changes)",
            ),
            (empty, "skipped_empty", "messages without text (media only)"),
        ] {
            if n > 0 {
                load.issues.push(ReadIssue {
                    source: format!("{}#{chat_id}", f.display),
                    kind,
                    message: format!("{n} {what} skipped"),
                });
            }
        }
    }
    Ok(load)
}
