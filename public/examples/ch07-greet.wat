;; ch07-greet.wat — the string round trip of "Talking to JavaScript".
;; JavaScript asks `alloc` for room, writes a name's UTF-8 bytes there and calls
;; `greet(ptr, len)`; it gets back the pointer and length of "Hello, <name>!",
;; which it reads out of the exported memory and decodes.
(module
  (memory (export "memory") 1)

  ;; The fixed part of the greeting, copied into memory at instantiation.
  (data (i32.const 16) "Hello, ")

  ;; The next free byte. A bump allocator: it only ever moves forward.
  (global $next (mut i32) (i32.const 1024))

  ;; Reserve $size bytes and return their address, growing the memory
  ;; by whole 64 KiB pages when the block would run past its end.
  (func $alloc (export "alloc") (param $size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $have i32)
    global.get $next
    local.tee $ptr
    local.get $size
    i32.add
    local.set $end
    ;; bytes the memory has now: pages × 65536
    memory.size
    i32.const 16
    i32.shl
    local.set $have
    local.get $end
    local.get $have
    i32.gt_u
    if
      ;; pages missing, rounded up
      local.get $end
      local.get $have
      i32.sub
      i32.const 0xffff
      i32.add
      i32.const 16
      i32.shr_u
      memory.grow
      i32.const -1
      i32.eq
      if
        unreachable ;; out of memory
      end
    end
    local.get $end
    global.set $next
    local.get $ptr)

  ;; Write "Hello, " + the name + "!" to a fresh block and return
  ;; its address and length: two results (multi-value).
  (func $greet (export "greet")
    (param $ptr i32) (param $len i32) (result i32 i32)
    (local $out i32)
    local.get $len
    i32.const 8
    i32.add
    call $alloc
    local.set $out
    ;; "Hello, " (7 bytes at address 16)
    local.get $out
    i32.const 16
    i32.const 7
    memory.copy
    ;; the name, after it
    local.get $out
    i32.const 7
    i32.add
    local.get $ptr
    local.get $len
    memory.copy
    ;; and "!" (0x21) at the end
    local.get $out
    local.get $len
    i32.add
    i32.const 0x21
    i32.store8 offset=7
    local.get $out
    local.get $len
    i32.const 8
    i32.add))
