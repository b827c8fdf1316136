(module
  ;; fac(n) = 1 * 2 * ... * n, with a loop: one frame only
  (func $fac (export "fac") (param $n i64) (result i64)
    (local $acc i64)
    i64.const 1
    local.set $acc
    block $done
      loop $next
        ;; leave when $n is 0
        local.get $n
        i64.eqz
        br_if $done
        ;; $acc = $acc * $n
        local.get $acc
        local.get $n
        i64.mul
        local.set $acc
        ;; $n = $n - 1, then go round again
        local.get $n
        i64.const 1
        i64.sub
        local.set $n
        br $next
      end
    end
    local.get $acc))
