(module
  ;; square: one parameter, one result
  (func $square (param $x i32) (result i32)
    local.get $x
    local.get $x
    i32.mul)

  ;; sumSquares(a, b) = a*a + b*b, kept in a local
  (func $sumSquares (export "sumSquares")
    (param $a i32) (param $b i32) (result i32)
    (local $total i32)
    local.get $a
    call $square
    local.set $total
    local.get $total
    local.get $b
    call $square
    i32.add))
