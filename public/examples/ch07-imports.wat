;; ch07-imports.wat — a module's two faces: what it imports and what it exports.
;; It needs one function from its host, env.log; it offers a function, its memory
;; and a global counting how often the function ran.
(module
  (import "env" "log" (func $log (param i32)))
  (memory (export "memory") 1)
  (global $runs (export "runs") (mut i32) (i32.const 0))
  (func $countdown (export "countdown") (param $n i32)
    ;; count the run
    global.get $runs
    i32.const 1
    i32.add
    global.set $runs
    block $done
      loop $next
        local.get $n
        i32.eqz
        br_if $done
        ;; hand the number to the host
        local.get $n
        call $log
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $next
      end
    end))
