;; ch07-handles.wat — data that lives in linear memory, reached by handles.
;; Three rectangles are stored at 0x100, 8 bytes each (width, height as
;; little-endian i32). JavaScript never sees a rectangle: it holds a
;; handle (0, 1, 2) and asks the module about it.
(module
  (memory (export "memory") 1)
  (global $count i32 (i32.const 3))
  (data (i32.const 0x100)
    "\03\00\00\00\04\00\00\00"  ;; handle 0: 3 × 4
    "\0a\00\00\00\02\00\00\00"  ;; handle 1: 10 × 2
    "\07\00\00\00\07\00\00\00") ;; handle 2: 7 × 7
  ;; The area of rectangle $h, or -1 for a handle that names none.
  (func $area (export "area") (param $h i32) (result i32)
    (local $at i32)
    ;; unsigned: a negative handle is huge, so also refused
    local.get $h
    global.get $count
    i32.ge_u
    if
      i32.const -1
      return
    end
    ;; the record's address: 0x100 + handle × 8
    local.get $h
    i32.const 8
    i32.mul
    i32.const 0x100
    i32.add
    local.tee $at
    i32.load          ;; width
    local.get $at
    i32.load offset=4 ;; height
    i32.mul))
