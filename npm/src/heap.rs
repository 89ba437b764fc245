//! The wasm's allocator: free lists by power-of-two size class over memory taken from the
//! end of the wasm memory. std's dlmalloc is about 7 KB of wasm; this is a few hundred bytes,
//! and as fast or faster for what this module allocates: the chunk wasm-bindgen copies in and
//! frees on every `push`, batches and buffers that grow by doubling, and short-lived strings.
//! Freed blocks go back to their class's list and serve the next allocation of that class, so
//! a long stream runs in the memory of its largest chunks and buffers (at most twice their
//! sizes, by the rounding); wasm memory never shrinks, whichever allocator runs.

#[cfg(target_arch = "wasm32")]
use core::alloc::GlobalAlloc;
use core::alloc::Layout;
#[cfg(target_arch = "wasm32")]
use core::cell::UnsafeCell;
use core::ptr;

/// The smallest block: room for the free list's link, and the alignment every block gets
/// at least.
const MIN_BLOCK: usize = 16;
/// One class per power of two up to the address space (2^31 for wasm32, more natively).
const CLASSES: usize = usize::BITS as usize;
/// The memory grows by whole wasm pages.
const PAGE: usize = 65536;

/// The size class of a request: the exponent of the power of two its block has, `None` when no
/// block can hold it.
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(MIN_BLOCK);
    let block = size.checked_next_power_of_two()?;
    Some(block.trailing_zeros() as usize)
}

/// The free lists and the untouched memory at the end: `next..end` has never been handed out.
pub struct Heap {
    /// The first free block of each class (0: none); each free block holds the address of the
    /// next in its first word.
    free: [usize; CLASSES],
    next: usize,
    end: usize,
}

impl Heap {
    const fn new() -> Heap {
        Heap {
            free: [0; CLASSES],
            next: 0,
            end: 0,
        }
    }

    /// A block for `layout`, or null. `grow(bytes)` (a whole number of pages) must return the
    /// start of `bytes` fresh bytes (contiguous with `end` or not), or `None`.
    ///
    /// # Safety
    /// The memory `grow` returns must be writable and used by nothing else.
    unsafe fn alloc(
        &mut self,
        layout: Layout,
        grow: impl FnOnce(usize) -> Option<usize>,
    ) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return ptr::null_mut();
        };
        let head = self.free[class];
        if head != 0 {
            // SAFETY: `head` is a free block of this class, whose first word links the next.
            self.free[class] = unsafe { (head as *const usize).read() };
            return head as *mut u8;
        }
        let size = 1usize << class;
        let align = layout.align().max(MIN_BLOCK);
        if let Some(block) = self.carve(size, align) {
            return block as *mut u8;
        }
        let Some(bytes) = size
            .checked_add(align)
            .and_then(|n| n.checked_next_multiple_of(PAGE))
        else {
            return ptr::null_mut();
        };
        let Some(fresh) = grow(bytes) else {
            return ptr::null_mut();
        };
        if fresh != self.end {
            // Not contiguous: the rest of the old region is left unused.
            self.next = fresh;
        }
        self.end = fresh + bytes;
        self.carve(size, align)
            .map_or(ptr::null_mut(), |block| block as *mut u8)
    }

    /// A block of `size` bytes aligned to `align` from the untouched memory, if it has room.
    fn carve(&mut self, size: usize, align: usize) -> Option<usize> {
        let start = self.next.checked_add(align - 1)? & !(align - 1);
        let stop = start.checked_add(size).filter(|&stop| stop <= self.end)?;
        self.next = stop;
        Some(start)
    }

    /// Puts a block back on its class's free list.
    ///
    /// # Safety
    /// `block` came from `alloc` with this `layout` and is not used any more.
    unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout) {
            // SAFETY: the block is at least MIN_BLOCK bytes, aligned, and ours again.
            unsafe { (block as *mut usize).write(self.free[class]) };
            self.free[class] = block as usize;
        }
    }
}

/// The global allocator over [`Heap`], growing the wasm memory by whole pages.
#[cfg(target_arch = "wasm32")]
pub struct PageHeap(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
#[cfg(target_arch = "wasm32")]
unsafe impl Sync for PageHeap {}

#[cfg(target_arch = "wasm32")]
impl PageHeap {
    /// An empty heap; its first allocation grows the memory.
    pub const fn new() -> PageHeap {
        PageHeap(UnsafeCell::new(Heap::new()))
    }
}

#[cfg(target_arch = "wasm32")]
fn grow_memory(bytes: usize) -> Option<usize> {
    let old = core::arch::wasm32::memory_grow(0, bytes / PAGE);
    (old != usize::MAX).then(|| old * PAGE)
}

// SAFETY: blocks never overlap (each comes from untouched memory or a free list it was put
// on when freed), are at least `layout.size()` long and aligned to `layout.align()`.
#[cfg(target_arch = "wasm32")]
unsafe impl GlobalAlloc for PageHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread, and no allocation happens inside another.
        unsafe { (*self.0.get()).alloc(layout, grow_memory) }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        unsafe { (*self.0.get()).dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return ptr::null_mut();
        };
        if class_of(new_layout) == class_of(layout) {
            return block;
        }
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memory a test heap grows into: a native buffer, handed out as asked.
    struct Region {
        memory: Vec<u128>,
        used: usize,
    }

    impl Region {
        fn new(bytes: usize) -> Region {
            Region {
                memory: vec![0; bytes / 16],
                used: 0,
            }
        }

        fn grow(&mut self, bytes: usize) -> Option<usize> {
            let start = self.memory.as_ptr() as usize + self.used;
            (self.used + bytes <= self.memory.len() * 16).then(|| {
                self.used += bytes;
                start
            })
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn sizes_round_up_to_a_power_of_two_of_at_least_sixteen() {
        assert_eq!(class_of(layout(0, 1)), Some(4));
        assert_eq!(class_of(layout(16, 1)), Some(4));
        assert_eq!(class_of(layout(17, 1)), Some(5));
        assert_eq!(class_of(layout(3, 64)), Some(6));
        assert_eq!(class_of(layout(65536, 1)), Some(16));
        let largest = isize::MAX as usize;
        assert_eq!(class_of(layout(largest, 1)), Some(usize::BITS as usize - 1));
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused_after_free() {
        let mut region = Region::new(1 << 20);
        let mut heap = Heap::new();
        let mut blocks = Vec::new();
        for (size, align) in [(1, 1), (24, 8), (100, 4), (3, 64), (5000, 16), (16, 16)] {
            let block = unsafe { heap.alloc(layout(size, align), |n| region.grow(n)) } as usize;
            assert_ne!(block, 0);
            assert_eq!(block % align.max(MIN_BLOCK), 0);
            blocks.push((block, block + (1 << class_of(layout(size, align)).unwrap())));
        }
        for (i, a) in blocks.iter().enumerate() {
            for b in &blocks[i + 1..] {
                assert!(a.1 <= b.0 || b.1 <= a.0, "{a:?} overlaps {b:?}");
            }
        }
        let (first, _) = blocks[2];
        unsafe { heap.dealloc(first as *mut u8, layout(100, 4)) };
        let again = unsafe { heap.alloc(layout(120, 8), |_| None) } as usize;
        assert_eq!(
            again, first,
            "a freed block serves the next request of its class"
        );
        let other = unsafe { heap.alloc(layout(120, 8), |n| region.grow(n)) } as usize;
        assert_ne!(other, first);
    }

    #[test]
    fn a_long_run_of_alloc_and_free_stays_in_the_memory_of_its_largest_blocks() {
        let mut region = Region::new(1 << 20);
        let mut heap = Heap::new();
        for round in 0..10_000 {
            let size = 1 + round % 70_000 / 7;
            let block = unsafe { heap.alloc(layout(size, 1), |n| region.grow(n)) };
            assert!(!block.is_null());
            unsafe { heap.dealloc(block, layout(size, 1)) };
        }
        assert_eq!(
            region.used, PAGE,
            "every class up to 16 KiB fits in one page"
        );
    }

    #[test]
    fn no_memory_is_a_null_block() {
        let mut heap = Heap::new();
        assert!(unsafe { heap.alloc(layout(10, 1), |_| None) }.is_null());
    }
}
