;; Strings in linear memory: a data segment puts the bytes of a zero-terminated string
;; at address 16, and strlen walks them until it finds the 0.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello, WebAssembly!\00")
  (func $strlen (export "strlen") (param $ptr i32) (result i32)
    (local $len i32)
    block $done
      loop $next
        ;; stop at the terminating 0 byte
        local.get $ptr
        local.get $len
        i32.add
        i32.load8_u
        i32.eqz
        br_if $done
        local.get $len
        i32.const 1
        i32.add
        local.set $len
        br $next
      end
    end
    local.get $len))
