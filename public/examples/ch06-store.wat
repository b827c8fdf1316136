(module
  (memory 1)

  ;; put(x): store x at address 16, then read it back
  ;; a byte, a 16-bit half and all 32 bits at a time
  (func $put (export "put") (param $x i32) (result i32)
    i32.const 16
    local.get $x
    i32.store          ;; 4 bytes, lowest first
    i32.const 16
    i32.load8_u        ;; the byte at 16 alone
    i32.const 16
    i32.load16_u       ;; bytes 16 and 17
    i32.const 16
    i32.load           ;; bytes 16..19
    ;; keep the last one, drop the other two
    local.set $x
    drop
    drop
    local.get $x)

  ;; signs(): one byte, 0xff, read two ways
  (func $signs (export "signs") (result i32 i32)
    i32.const 0
    i32.const 255
    i32.store8         ;; only the low 8 bits
    i32.const 0
    i32.load8_u        ;; zero-extend: 255
    i32.const 0
    i32.load8_s))      ;; sign-extend: -1
