(module
  ;; clamp(x) = x, but at most 100
  (func $clamp (export "clamp") (param $x i32) (result i32)
    block $ok
      ;; x <= 100? then skip the fix-up
      local.get $x
      i32.const 100
      i32.le_s
      br_if $ok
      i32.const 100
      local.set $x
    end
    local.get $x))
