(module
  ;; two results: the quotient and the remainder
  (func $divmod (export "divmod")
    (param $a i32) (param $b i32) (result i32 i32)
    local.get $a
    local.get $b
    i32.div_u
    local.get $a
    local.get $b
    i32.rem_u)

  ;; a caller receives both, in order: q below r
  (func $check (export "check")
    (param $a i32) (param $b i32) (result i32)
    (local $q i32) (local $r i32)
    local.get $a
    local.get $b
    call $divmod
    local.set $r   ;; the top is the last result
    local.set $q
    ;; q * b + r gives back a
    local.get $q
    local.get $b
    i32.mul
    local.get $r
    i32.add))
