//! Runs heavy core work off the GIL: on a worker thread, with panics turned
//! into `FramescopeError`, and Ctrl-C noticed while it runs (polled every
//! 50 ms). Modelled on polars' `enter_polars`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use pyo3::prelude::*;

use crate::python::errors::FramescopeError;

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs `f` with the GIL released. A panic becomes `FramescopeError`; a pending
/// signal (Ctrl-C) raises its exception once the work has stopped.
pub fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    let (outcome, signal) = py.detach(|| {
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            scope.spawn(move || {
                let _ = tx.send(catch_unwind(AssertUnwindSafe(|| {
                    crate::parallel::install(f)
                })));
            });
            let mut signal: Option<PyErr> = None;
            loop {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    Ok(outcome) => return (outcome, signal),
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if signal.is_none() {
                            signal = Python::attach(|py| py.check_signals().err());
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        unreachable!("worker always sends before it ends")
                    }
                }
            }
        })
    });
    if let Some(err) = signal {
        return Err(err);
    }
    outcome.map_err(|p| {
        FramescopeError::new_err(format!(
            "internal error (a bug in framescope, please report it): {}",
            panic_message(&*p)
        ))
    })
}
