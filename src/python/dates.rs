//! Binding for dates: Python values (str, int, float, `datetime`, `date`,
//! `Timestamp`, numpy arrays) into [`DateValue`]s for the one core parser, and
//! `date_range` / `bad_dates` / `dayfirst` arguments into [`DateRules`]. Conversion only.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

use crate::choice::Choice;
use crate::corpus::date_values::{
    parse_value, parse_values, BadDates, DateRange, DateRules, DateValue,
};
use crate::corpus::dates::{date_each, days};
use crate::python::columns::Columns;
use crate::python::convert::Wrap;
use crate::python::documents::owned_column;
use crate::python::errors::core;
use crate::python::guard::run;

/// Marks a missing day in the int64 arrays that cross the border.
pub const MISSING_DAY: i64 = i64::MIN;

/// A date value held while the GIL is released.
enum Held {
    Missing,
    Int(i64),
    Float(f64),
    Text(PyBackedStr),
    Days(i64),
}

impl Held {
    fn value(&self) -> DateValue<'_> {
        match self {
            Held::Missing => DateValue::Missing,
            Held::Int(i) => DateValue::Int(*i),
            Held::Float(f) => DateValue::Float(*f),
            Held::Text(s) => DateValue::Text(s),
            Held::Days(d) => DateValue::Days(*d),
        }
    }
}

/// One Python object as a date value; `what` and `i` name it in errors.
fn held(item: &Bound<'_, PyAny>, what: &str, i: usize) -> PyResult<Held> {
    if item.is_none() {
        return Ok(Held::Missing);
    }
    if item.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{what}: the value at position {i} is a bool, not a date"
        )));
    }
    if item.is_instance_of::<PyInt>() {
        return Ok(match item.extract::<i64>() {
            Ok(v) => Held::Int(v),
            Err(_) => Held::Float(item.extract::<f64>().unwrap_or(f64::INFINITY)),
        });
    }
    if item.is_instance_of::<PyFloat>() {
        return Ok(Held::Float(item.extract::<f64>()?));
    }
    if let Ok(s) = item.cast::<PyString>() {
        return Ok(Held::Text(PyBackedStr::try_from(s.clone())?));
    }
    // datetime, date, pandas Timestamp (and NaT, whose year is NaN): the calendar date
    // as written; a time zone does not move it (as an offset in ISO text does not).
    if let Ok(year) = item.getattr("year") {
        if year.is_instance_of::<PyFloat>() {
            return Ok(Held::Missing); // NaT
        }
        let (y, m, d): (i32, u32, u32) = (
            year.extract()?,
            item.getattr("month")?.extract()?,
            item.getattr("day")?.extract()?,
        );
        return days(y, m, d).map(|d| Held::Days(d.into())).ok_or_else(|| {
            PyValueError::new_err(format!("{what}: the value at position {i} is not a date"))
        });
    }
    // numpy scalars (datetime64, integers) and other objects: through their text.
    let type_name = item.get_type().name()?.to_string();
    if type_name == "datetime64" || type_name.starts_with("int") || type_name.starts_with("uint") {
        let s = item.str()?;
        return Ok(Held::Text(PyBackedStr::try_from(s)?));
    }
    Err(PyTypeError::new_err(format!(
        "{what}: the value at position {i} has type {type_name}; expected str, int, float, \
         datetime, date or None"
    )))
}

/// A `date_range=` argument: None (the default range) or a pair of bounds, each
/// None (the default's), a year, a date string or a `date`/`datetime`.
pub struct PyDateRange(pub DateRange);

impl<'py> FromPyObject<'_, 'py> for PyDateRange {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            return Ok(PyDateRange(DateRange::plausible()));
        }
        let pair: (Bound<'py, PyAny>, Bound<'py, PyAny>) = obj
            .extract()
            .map_err(|_| PyTypeError::new_err("date_range must be None or a pair (first, last)"))?;
        let wide = DateRules {
            range: DateRange {
                min: days(1, 1, 1).expect("valid date"),
                max: days(9999, 12, 31).expect("valid date"),
            },
            ..DateRules::default()
        };
        let bound = |b: &Bound<'py, PyAny>, last: bool| -> PyResult<Option<i32>> {
            if b.is_none() {
                return Ok(None);
            }
            if b.is_instance_of::<PyInt>() && !b.is_instance_of::<PyBool>() {
                let y: i32 = b.extract()?;
                return days(y, if last { 12 } else { 1 }, if last { 31 } else { 1 })
                    .map(Some)
                    .ok_or_else(|| {
                        PyValueError::new_err(format!("date_range: year {y} is not valid"))
                    });
            }
            let h = held(b, "date_range", usize::from(last))?;
            parse_value(h.value(), &wide)
                .map_err(|p| PyValueError::new_err(format!("date_range: {p}")))
        };
        let (lo, hi) = (bound(&pair.0, false)?, bound(&pair.1, true)?);
        Ok(PyDateRange(core(DateRange::new(lo, hi))?))
    }
}

/// Date rules from the `date_range=`, `bad_dates=` and `dayfirst=` arguments.
pub fn rules(
    date_range: Option<PyDateRange>,
    bad_dates: BadDates,
    dayfirst: Option<bool>,
) -> DateRules {
    DateRules {
        range: date_range.map_or_else(DateRange::plausible, |r| r.0),
        on_bad: bad_dates,
        day_first: dayfirst,
    }
}

fn to_array(py: Python<'_>, days: Vec<Option<i32>>) -> Bound<'_, PyArray1<i64>> {
    days.into_iter()
        .map(|d| d.map_or(MISSING_DAY, i64::from))
        .collect::<Vec<i64>>()
        .into_pyarray(py)
}

/// Dates of many values by the core's rules: `days` (int64, `MISSING_DAY` where
/// none) and, when `bad_dates="undated"`, the bad values as columns `position`,
/// `message`.
/// `values` is a sequence of Python objects, or an int64/float64 numpy array;
/// with `as_days` an int64 array already holds days since 1970-01-01 (from datetime64).
#[pyfunction]
#[pyo3(signature = (values, as_days=false, date_range=None, bad_dates=Wrap(BadDates::Raise), what="dates", dayfirst=None))]
pub fn parse_dates<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
    as_days: bool,
    date_range: Option<PyDateRange>,
    bad_dates: Wrap<BadDates>,
    what: &str,
    dayfirst: Option<bool>,
) -> PyResult<Bound<'py, PyDict>> {
    let rules = rules(date_range, bad_dates.0, dayfirst);
    let held: Vec<Held> = if let Ok(a) = values.extract::<PyReadonlyArray1<'py, i64>>() {
        a.as_array()
            .iter()
            .map(|&v| match v {
                MISSING_DAY => Held::Missing,
                v if as_days => Held::Days(v),
                v => Held::Int(v),
            })
            .collect()
    } else if let Ok(a) = values.extract::<PyReadonlyArray1<'py, f64>>() {
        a.as_array().iter().map(|&v| Held::Float(v)).collect()
    } else {
        let mut out = Vec::with_capacity(values.len().unwrap_or(0));
        for (i, item) in values.try_iter()?.enumerate() {
            out.push(held(&item?, what, i)?);
        }
        out
    };
    let parsed = run(py, || {
        let vals: Vec<DateValue<'_>> = held.iter().map(Held::value).collect();
        parse_values(&vals, &rules, what)
    })?;
    let problems = &parsed.problems;
    Ok(Columns::new(py)
        .value("days", to_array(py, parsed.days))?
        .array(
            "position",
            problems
                .iter()
                .map(|(i, _)| *i as u64)
                .collect::<Vec<u64>>(),
        )?
        .value(
            "message",
            problems
                .iter()
                .map(|(_, p)| p.to_string())
                .collect::<Vec<_>>(),
        )?
        .finish())
}

/// Days of a sequence of date strings (a list, a tuple, an object array), each distinct
/// string parsed once: a date column repeats (many posts a day), and this reads each
/// value once on this thread (no Python object made) and parses a few hundred distinct
/// strings. `None` unless every value is a str, None or NaN (missing) and every
/// distinct string is a date in range: the caller then parses value by value, so
/// errors and reports name positions as ever.
#[pyfunction]
#[pyo3(signature = (values, date_range=None, what="dates", dayfirst=None))]
pub fn parse_date_strings<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
    date_range: Option<PyDateRange>,
    what: &str,
    dayfirst: Option<bool>,
) -> PyResult<Option<Bound<'py, PyArray1<i64>>>> {
    const MISSING: u32 = u32::MAX;
    let rules = rules(date_range, BadDates::Undated, dayfirst);
    let mut index: ahash::AHashMap<String, u32> = ahash::AHashMap::new();
    let mut distinct: Vec<String> = Vec::new();
    let mut codes: Vec<u32> = Vec::with_capacity(values.len().unwrap_or(0));
    for item in values.try_iter()? {
        let item = item?;
        let code = if let Ok(s) = item.cast::<PyString>() {
            let Ok(text) = s.to_str() else {
                return Ok(None); // a lone surrogate: the value-by-value path names it
            };
            match index.get(text) {
                Some(&c) => c,
                None => {
                    let c = u32::try_from(distinct.len()).unwrap_or(MISSING);
                    if c == MISSING {
                        return Ok(None);
                    }
                    distinct.push(text.to_owned());
                    index.insert(text.to_owned(), c);
                    c
                }
            }
        } else if item.is_none()
            || (item.is_instance_of::<PyFloat>() && item.extract::<f64>()?.is_nan())
        {
            MISSING
        } else {
            return Ok(None);
        };
        codes.push(code);
    }
    let parsed = run(py, || {
        let vals: Vec<DateValue<'_>> = distinct.iter().map(|s| DateValue::Text(s)).collect();
        parse_values(&vals, &rules, what)
    })?;
    if !parsed.problems.is_empty() {
        return Ok(None);
    }
    let days: Vec<i64> = codes
        .iter()
        .map(|&c| match c {
            MISSING => MISSING_DAY,
            c => parsed.days[c as usize].map_or(MISSING_DAY, i64::from),
        })
        .collect();
    Ok(Some(days.into_pyarray(py)))
}

/// Each text's own date (dateline or opening; year-less dates get a year from
/// neighbours when `chronological`, else from the text): `days` (int64 with
/// `MISSING_DAY`) and `sources` (where each date came from).
#[pyfunction]
#[pyo3(signature = (texts_, chronological=false))]
pub fn text_dates<'py>(
    py: Python<'py>,
    texts_: &Bound<'py, PyAny>,
    chronological: bool,
) -> PyResult<Bound<'py, PyDict>> {
    // Encoded into a column as a corpus's texts are (a list of str on every core).
    let column = owned_column(texts_, "text")?;
    let datings = run(py, || {
        let text = |i: usize| column.get(i).unwrap_or_default();
        Ok(date_each(column.len(), text, &[], chronological))
    })?;
    let sources: Vec<&str> = datings.iter().map(|d| d.source.as_str()).collect();
    Ok(Columns::new(py)
        .value("sources", sources)?
        .value(
            "days",
            to_array(py, datings.into_iter().map(|d| d.date).collect()),
        )?
        .finish())
}
