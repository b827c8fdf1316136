(module
  (memory 1)
  ;; the bytes of two strings, placed when the
  ;; module is instantiated
  (data (i32.const 0x100) "Hello, wasm!")
  (data (i32.const 0x120) "zero-terminated\00")

  ;; upper(ptr, len): uppercase a..z in place;
  ;; returns how many bytes it changed
  (func $upper (export "upper")
    (param $ptr i32) (param $len i32) (result i32)
    (local $end i32) (local $c i32) (local $n i32)
    local.get $ptr
    local.get $len
    i32.add
    local.set $end
    block $done
      loop $each
        local.get $ptr
        local.get $end
        i32.ge_u
        br_if $done
        ;; $c = the byte at $ptr
        local.get $ptr
        i32.load8_u
        local.tee $c
        ;; is it in 'a' (0x61) .. 'z' (0x7a)?
        i32.const 0x61
        i32.sub
        i32.const 26
        i32.lt_u
        if
          ;; store $c - 0x20 back: 'a' becomes 'A'
          local.get $ptr
          local.get $c
          i32.const 0x20
          i32.sub
          i32.store8
          local.get $n
          i32.const 1
          i32.add
          local.set $n
        end
        local.get $ptr
        i32.const 1
        i32.add
        local.set $ptr
        br $each
      end
    end
    local.get $n)

  ;; strlen(ptr): count bytes up to the first 0
  (func $strlen (export "strlen")
    (param $ptr i32) (result i32)
    (local $p i32)
    local.get $ptr
    local.set $p
    block $done
      loop $each
        local.get $p
        i32.load8_u
        i32.eqz
        br_if $done
        local.get $p
        i32.const 1
        i32.add
        local.set $p
        br $each
      end
    end
    local.get $p
    local.get $ptr
    i32.sub))
