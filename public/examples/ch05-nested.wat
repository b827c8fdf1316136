(module
  ;; which(x): 1 if x is 0, 2 if x is 1, else 3
  (func $which (export "which") (param $x i32) (result i32)
    block $outer
      block $middle
        block $inner
          local.get $x
          i32.eqz
          br_if 0          ;; to the end of $inner
          local.get $x
          i32.const 1
          i32.eq
          br_if 1          ;; to the end of $middle
          br 2             ;; to the end of $outer
        end
        i32.const 1
        return
      end
      i32.const 2
      return
    end
    i32.const 3))
