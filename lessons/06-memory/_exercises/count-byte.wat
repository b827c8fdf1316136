(module
  (memory (export "memory") 1)
  (data (i32.const 0x100) "Hello, wasm!")
  (data (i32.const 0x110) "banana")

  ;; count(ptr, len, byte): how many of the len bytes
  ;; from ptr are equal to byte
  (func $count (export "count")
    (param $ptr i32) (param $len i32) (param $byte i32)
    (result i32)
    (local $n i32)
    ;; your loop here
    local.get $n))
