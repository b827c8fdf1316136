(module
  (func $sub (export "sub")
    (param $a i32) (param $b i32) (result i32)
    local.get $b
    local.get $a
    i32.sub))
