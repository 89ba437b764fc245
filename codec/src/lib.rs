//! The hot path of anthropic-wasm: what every network chunk of a streamed response runs
//! through. [`sse`] splits the body into events, [`json`] checks and reads them, [`stream`]
//! turns them into one batch of ops per chunk. It is a crate of its own only for its build:
//! the workspace builds it at opt-level "s" and the rest of the core (validation, errors,
//! retries, history: code that runs once per request) at opt-level "z", which keeps the npm
//! package's wasm small without slowing streams (at "z" the codec streamed about 20 % slower). `anthropic-wasm-core` re-exports the three
//! modules under the same names; depend on the core, not on this crate.
#![deny(missing_docs)]
// No std: the npm package's wasm then has no std panic machinery (npm/src/lib.rs).
#![cfg_attr(not(test), no_std)]

extern crate alloc;

/// What std's prelude gives and `no_std` does not, for this crate, the core and the npm wasm.
pub mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod json;
pub mod sse;
pub mod stream;
pub mod text;
