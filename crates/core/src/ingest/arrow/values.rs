//! Arrow arrays to JSON values, column by column, as Parquet rows become
//! JSON: strings, numbers, booleans, lists, structs and maps as themselves;
//! binary as a string when it is UTF-8; dates, times and timestamps as their
//! raw numbers; decimals and other types as null.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType, OffsetSizeTrait, RecordBatch};
use arrow_schema::{DataType, IntervalUnit, TimeUnit};
use serde_json::{Map, Number, Value};

/// Every row of `batch` as a JSON object.
pub(super) fn records(batch: &RecordBatch) -> Vec<Map<String, Value>> {
    let mut rows = vec![Map::new(); batch.num_rows()];
    for (field, column) in batch.schema_ref().fields().iter().zip(batch.columns()) {
        for (row, value) in rows.iter_mut().zip(values(column.as_ref())) {
            row.insert(field.name().clone(), value);
        }
    }
    rows
}

/// The values of `array`, one per slot.
pub(super) fn values(array: &dyn Array) -> Vec<Value> {
    let n = array.len();
    let mut out = match array.data_type() {
        DataType::Boolean => {
            let a = array.as_boolean();
            (0..n).map(|i| Value::Bool(a.value(i))).collect()
        }
        DataType::Int8 => ints::<Int8Type>(array),
        DataType::Int16 => ints::<Int16Type>(array),
        DataType::Int32 => ints::<Int32Type>(array),
        DataType::Int64 => ints::<Int64Type>(array),
        DataType::UInt8 => ints::<UInt8Type>(array),
        DataType::UInt16 => ints::<UInt16Type>(array),
        DataType::UInt32 => ints::<UInt32Type>(array),
        DataType::UInt64 => ints::<UInt64Type>(array),
        DataType::Float16 => {
            let a = array.as_primitive::<Float16Type>();
            (0..n).map(|i| float(f64::from(a.value(i)))).collect()
        }
        DataType::Float32 => {
            let a = array.as_primitive::<Float32Type>();
            (0..n).map(|i| float(f64::from(a.value(i)))).collect()
        }
        DataType::Float64 => {
            let a = array.as_primitive::<Float64Type>();
            (0..n).map(|i| float(a.value(i))).collect()
        }
        DataType::Utf8 => strings(array.as_string::<i32>().iter()),
        DataType::LargeUtf8 => strings(array.as_string::<i64>().iter()),
        DataType::Utf8View => strings(array.as_string_view().iter()),
        DataType::Binary => binaries(array.as_binary::<i32>().iter()),
        DataType::LargeBinary => binaries(array.as_binary::<i64>().iter()),
        DataType::BinaryView => binaries(array.as_binary_view().iter()),
        DataType::FixedSizeBinary(_) => binaries(array.as_fixed_size_binary().iter()),
        DataType::Date32 => ints::<Date32Type>(array),
        DataType::Date64 => ints::<Date64Type>(array),
        DataType::Time32(TimeUnit::Second) => ints::<Time32SecondType>(array),
        DataType::Time32(_) => ints::<Time32MillisecondType>(array),
        DataType::Time64(TimeUnit::Microsecond) => ints::<Time64MicrosecondType>(array),
        DataType::Time64(_) => ints::<Time64NanosecondType>(array),
        DataType::Timestamp(TimeUnit::Second, _) => ints::<TimestampSecondType>(array),
        DataType::Timestamp(TimeUnit::Millisecond, _) => ints::<TimestampMillisecondType>(array),
        DataType::Timestamp(TimeUnit::Microsecond, _) => ints::<TimestampMicrosecondType>(array),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => ints::<TimestampNanosecondType>(array),
        DataType::Duration(TimeUnit::Second) => ints::<DurationSecondType>(array),
        DataType::Duration(TimeUnit::Millisecond) => ints::<DurationMillisecondType>(array),
        DataType::Duration(TimeUnit::Microsecond) => ints::<DurationMicrosecondType>(array),
        DataType::Duration(TimeUnit::Nanosecond) => ints::<DurationNanosecondType>(array),
        DataType::Interval(IntervalUnit::YearMonth) => ints::<IntervalYearMonthType>(array),
        DataType::List(_) => lists::<i32>(array),
        DataType::LargeList(_) => lists::<i64>(array),
        DataType::FixedSizeList(..) => {
            let a = array.as_fixed_size_list();
            (0..n)
                .map(|i| Value::Array(values(a.value(i).as_ref())))
                .collect()
        }
        DataType::Struct(fields) => {
            let a = array.as_struct();
            let mut rows = vec![Map::new(); n];
            for (field, column) in fields.iter().zip(a.columns()) {
                for (row, value) in rows.iter_mut().zip(values(column.as_ref())) {
                    row.insert(field.name().clone(), value);
                }
            }
            rows.into_iter().map(Value::Object).collect()
        }
        DataType::Map(..) => {
            let a = array.as_map();
            (0..n)
                .map(|i| {
                    let entries = a.value(i);
                    let keys = values(entries.column(0).as_ref());
                    let items = values(entries.column(1).as_ref());
                    let object = keys
                        .into_iter()
                        .zip(items)
                        .map(|(k, v)| match k {
                            Value::String(s) => (s, v),
                            other => (other.to_string(), v),
                        })
                        .collect();
                    Value::Object(object)
                })
                .collect()
        }
        DataType::Dictionary(..) => {
            let a = array.as_any_dictionary();
            let dictionary = values(a.values().as_ref());
            a.normalized_keys()
                .into_iter()
                .map(|k| dictionary.get(k).cloned().unwrap_or(Value::Null))
                .collect()
        }
        _ => vec![Value::Null; n],
    };
    out.resize(n, Value::Null);
    if array.null_count() > 0 {
        for (i, value) in out.iter_mut().enumerate() {
            if array.is_null(i) {
                *value = Value::Null;
            }
        }
    }
    out
}

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Integers (and integer-backed dates and times) as JSON numbers.
fn ints<T>(array: &dyn Array) -> Vec<Value>
where
    T: ArrowPrimitiveType,
    T::Native: Into<Value>,
{
    array
        .as_primitive::<T>()
        .values()
        .iter()
        .map(|v| (*v).into())
        .collect()
}

fn strings<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Vec<Value> {
    items
        .map(|s| s.map_or(Value::Null, |s| Value::String(s.to_string())))
        .collect()
}

/// Byte arrays: often strings written by tools that did not say so.
fn binaries<'a>(items: impl Iterator<Item = Option<&'a [u8]>>) -> Vec<Value> {
    items
        .map(|b| match b.map(std::str::from_utf8) {
            Some(Ok(s)) => Value::String(s.to_string()),
            _ => Value::Null,
        })
        .collect()
}

fn lists<O: OffsetSizeTrait>(array: &dyn Array) -> Vec<Value> {
    let a = array.as_list::<O>();
    (0..a.len())
        .map(|i| Value::Array(values(a.value(i).as_ref())))
        .collect()
}
