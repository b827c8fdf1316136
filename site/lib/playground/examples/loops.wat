;; Loops: `loop` is a label you branch back to, `block` one you branch out of.
;; sum(n) adds 1 + 2 + ... + n.
(module
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $total i32)
    block $exit
      loop $again
        ;; leave once $i reaches $n
        local.get $i
        local.get $n
        i32.ge_s
        br_if $exit
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $total
        i32.add
        local.set $total
        br $again
      end
    end
    local.get $total))
