(module
  ;; fac(n) = n * fac(n - 1), and fac(0) = 1
  (func $fac (export "fac") (param $n i64) (result i64)
    local.get $n
    i64.eqz
    if (result i64)
      i64.const 1
    else
      local.get $n
      local.get $n
      i64.const 1
      i64.sub
      call $fac
      i64.mul
    end))
