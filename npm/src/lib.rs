//! The wasm of the npm package: the protocol core's decisions, exported to the JS shell. The
//! shell does the I/O (`fetch`, timers, abort) and calls in here to decide: once per network
//! chunk of a stream, once per failed attempt, once per request check. Values cross as bytes,
//! numbers and JSON text through `abi`'s plain exports; nothing here builds JS objects, and
//! nothing can panic.

// Natively (the unit tests) nothing calls the wasm exports of `abi`, so what only they reach
// would read as dead.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
// No std in the wasm (the core and codec are `no_std` too): std's panic machinery, and the
// formatting its panic messages keep alive, would be about 2 KB of it. Natively the tests
// run with std.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use anthropic_wasm_core::prelude::*;

mod abi;
mod check;
mod failure;
#[cfg(any(target_arch = "wasm32", test))]
mod heap;
mod ops;

/// A panic (which this crate's code is written never to reach) stops the module at once: no
/// message is formatted, as none could be shown.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: heap::PageHeap = heap::PageHeap::new();

/// The credentials in `secrets`, one a line.
fn secret_list(secrets: &str) -> Vec<String> {
    anthropic_wasm_core::text::split_on(secrets, b'\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
