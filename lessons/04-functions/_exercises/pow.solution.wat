(module
  ;; pow(base, exp) = base to the power exp
  (func $pow (export "pow")
    (param $base i64) (param $exp i32) (result i64)
    local.get $exp
    i32.eqz
    if (result i64)
      ;; base to the power 0 is 1
      i64.const 1
    else
      ;; base * pow(base, exp - 1)
      local.get $base
      local.get $base
      local.get $exp
      i32.const 1
      i32.sub
      call $pow
      i64.mul
    end))
