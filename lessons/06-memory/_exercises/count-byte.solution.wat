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
    block $done
      loop $each
        ;; stop when no bytes are left
        local.get $len
        i32.eqz
        br_if $done
        ;; $n += (the byte at $ptr == $byte)
        local.get $n
        local.get $ptr
        i32.load8_u
        local.get $byte
        i32.eq
        i32.add
        local.set $n
        ;; next byte
        local.get $ptr
        i32.const 1
        i32.add
        local.set $ptr
        local.get $len
        i32.const 1
        i32.sub
        local.set $len
        br $each
      end
    end
    local.get $n))
