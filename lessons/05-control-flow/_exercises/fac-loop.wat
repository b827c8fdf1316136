(module
  ;; fac(n) = 1 * 2 * ... * n, with a loop: one frame only
  (func $fac (export "fac") (param $n i64) (result i64)
    (local $acc i64)
    i64.const 1
    local.set $acc
    block $done
      loop $next
        ;; leave when $n is 0

        ;; $acc = $acc * $n

        ;; $n = $n - 1, then go round again

      end
    end
    local.get $acc))
