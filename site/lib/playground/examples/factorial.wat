;; Factorial, recursively, in 64-bit integers: 20! is the largest that fits in an i64.
(module
  (func $fact (export "fact") (param $n i64) (result i64)
    local.get $n
    i64.const 1
    i64.le_s
    if (result i64)
      i64.const 1
    else
      local.get $n
      local.get $n
      i64.const 1
      i64.sub
      call $fact
      i64.mul
    end))
