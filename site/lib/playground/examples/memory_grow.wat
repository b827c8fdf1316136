;; memory.grow asks for more 64 KiB pages. It returns the old size, or -1 when the
;; memory may not grow that far (this one stops at 4 pages).
(module
  (memory $mem 1 4)
  (func $grow (export "grow") (param $pages i32) (result i32)
    local.get $pages
    memory.grow
    i32.const -1
    i32.eq
    if
      ;; refused: the size is unchanged
      i32.const -1
      return
    end
    ;; store a marker in the last byte of the new memory
    memory.size
    i32.const 65536
    i32.mul
    i32.const 1
    i32.sub
    i32.const 0xff
    i32.store8
    memory.size))
