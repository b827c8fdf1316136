(module
  ;; sign(x) = -1, 0 or 1
  (func $sign (export "sign") (param $x i32) (result i32)
    local.get $x
    i32.const 0
    i32.lt_s
    if (result i32)
      i32.const -1
    else
      local.get $x
      i32.eqz
      if (result i32)
        i32.const 0
      else
        i32.const 1
      end
    end))
