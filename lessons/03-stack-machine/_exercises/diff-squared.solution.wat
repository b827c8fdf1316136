(module
  (func $diff_squared (export "diff_squared")
    (param $a i32) (param $b i32) (result i32)
    (local $d i32)
    local.get $a
    local.get $b
    i32.sub
    local.tee $d
    local.get $d
    i32.mul))
