(module
  ;; sum(n) = 1 + 2 + ... + n
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $total i32)
    block $done
      loop $next
        ;; stop when $i = $n
        local.get $i
        local.get $n
        i32.ge_u
        br_if $done
        ;; $i = $i + 1
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        ;; $total = $total + $i
        local.get $total
        local.get $i
        i32.add
        local.set $total
        br $next
      end
    end
    local.get $total))
