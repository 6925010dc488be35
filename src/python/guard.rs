//! Runs heavy core work off the GIL: on a worker thread, with panics turned
//! into `FramescopeError`, and Ctrl-C noticed while it runs (polled every
//! 50 ms). On Ctrl-C the core is asked to stop (`crate::cancel`); its loops
//! check once per document or block, so the call returns within a fraction of
//! a second and raises `KeyboardInterrupt`; the partial result is dropped.
//! Modelled on polars' `enter_polars`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use pyo3::exceptions::PyKeyboardInterrupt;
use pyo3::prelude::*;

use crate::cancel;
use crate::python::errors::{core, FramescopeError};

/// The message of a caught panic.
pub(crate) fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs core work `f` on the thread pool with the GIL released: the one way bindings
/// call the core. Its error becomes the matching Python exception
/// ([`crate::python::errors`]), a panic `FramescopeError`, and a pending signal
/// (Ctrl-C) raises its exception once the work has stopped.
pub fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> crate::error::Result<T> + Send,
{
    run_on(py, || crate::parallel::install(f), |_| Ok(())).and_then(|both| core(both.core))
}

/// The results of [`run_while`]: the core's, and what this thread made meanwhile.
pub struct Both<T, U> {
    /// The core work's result.
    pub core: T,
    /// The result of `meanwhile`.
    pub meanwhile: U,
}

/// Like [`run`], but this thread, holding the GIL, runs `meanwhile` while the pool
/// works (Python objects the caller will want, made while the core needs no Python):
/// both results, once both are done. An error of `meanwhile` is returned after the
/// core work has finished.
pub fn run_while<'py, T, U, F, M>(py: Python<'py>, f: F, meanwhile: M) -> PyResult<Both<T, U>>
where
    T: Send,
    F: FnOnce() -> crate::error::Result<T> + Send,
    M: FnOnce(Python<'py>) -> PyResult<U>,
{
    let both = run_on(py, || crate::parallel::install(f), meanwhile)?;
    Ok(Both {
        core: core(both.core)?,
        meanwhile: both.meanwhile?,
    })
}

/// Like [`run`], but `f` runs on a plain thread, not in the thread pool: for
/// waiting on work that itself needs every thread of the pool (a pool of one
/// thread would otherwise deadlock).
pub fn wait<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> crate::error::Result<T> + Send,
{
    run_on(py, f, |_| Ok(())).and_then(|both| core(both.core))
}

/// Runs `f` on a worker thread and `meanwhile` on this one (GIL held), then waits for
/// `f` with the GIL released, noticing Ctrl-C (also one raised inside `meanwhile`, which
/// stops `f` as a signal does); `f`'s panic becomes `FramescopeError`.
fn run_on<'py, T, U, F, M>(py: Python<'py>, f: F, meanwhile: M) -> PyResult<Both<T, PyResult<U>>>
where
    T: Send,
    F: FnOnce() -> T + Send,
    M: FnOnce(Python<'py>) -> PyResult<U>,
{
    let epoch = cancel::epoch();
    let (outcome, signal, side) = std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        scope.spawn(move || {
            let _ = tx.send(catch_unwind(AssertUnwindSafe(f)));
        });
        let side = meanwhile(py);
        // Ctrl-C while `meanwhile` ran (Python raised it there): stop the core work too.
        if matches!(&side, Err(e) if e.is_instance_of::<PyKeyboardInterrupt>(py)) {
            cancel::request();
        }
        let (outcome, signal) = py.detach(move || {
            let mut signal: Option<PyErr> = None;
            loop {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    Ok(outcome) => return (outcome, signal),
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if signal.is_none() {
                            signal = Python::attach(|py| py.check_signals().err());
                            if signal.is_some() {
                                cancel::request();
                            }
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        unreachable!("worker always sends before it ends")
                    }
                }
            }
        });
        (outcome, signal, side)
    });
    if let Some(err) = signal {
        cancel::clear();
        return Err(err);
    }
    if let Err(e) = &side {
        if e.is_instance_of::<PyKeyboardInterrupt>(py) {
            cancel::clear();
            return Err(side.err().expect("an error"));
        }
    }
    if cancel::epoch() != epoch {
        // Another thread's Ctrl-C stopped this work too: its result may be partial.
        return Err(PyKeyboardInterrupt::new_err(
            "interrupted: Ctrl-C stopped framescope work running in another thread",
        ));
    }
    let outcome = outcome.map_err(|p| {
        FramescopeError::new_err(format!(
            "internal error (a bug in framescope, please report it): {}",
            panic_message(&*p)
        ))
    })?;
    Ok(Both {
        core: outcome,
        meanwhile: side,
    })
}
