;; Hello: a module talks to the outside world only through its imports.
;; The stepper provides env.log, which prints its arguments in the Console view.
(module
  (import "env" "log" (func $log (param i32)))
  (func $hello (export "hello") (param $n i32)
    ;; print 42, then the argument, then the argument doubled
    i32.const 42
    call $log
    local.get $n
    call $log
    local.get $n
    i32.const 2
    i32.mul
    call $log))
