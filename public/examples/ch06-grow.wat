(module
  ;; one page to start with, at most three
  (memory 1 3)

  ;; growThrice(): grow by one page three times,
  ;; then report the size. memory.grow pushes the
  ;; old size in pages, or -1 when it cannot grow.
  (func $growThrice (export "growThrice")
    (result i32 i32 i32 i32)
    i32.const 1
    memory.grow
    i32.const 1
    memory.grow
    i32.const 1
    memory.grow
    memory.size)

  ;; peek(addr): read the byte at addr
  (func $peek (export "peek") (param $addr i32) (result i32)
    local.get $addr
    i32.load8_u))
