(module
  (memory (export "memory") 1)
  (global $count i32 (i32.const 3))
  ;; 8 bytes a rectangle: width, then height (i32)
  (data (i32.const 0x100)
    "\03\00\00\00\04\00\00\00"  ;; handle 0: 3 × 4
    "\0a\00\00\00\02\00\00\00"  ;; handle 1: 10 × 2
    "\07\00\00\00\07\00\00\00") ;; handle 2: 7 × 7

  ;; perimeter(h): 2 × (width + height),
  ;; or -1 if h names no rectangle
  (func $perimeter (export "perimeter")
    (param $h i32) (result i32)
    (local $at i32)
    ;; unsigned: negative handles are refused too
    local.get $h
    global.get $count
    i32.ge_u
    if
      i32.const -1
      return
    end
    local.get $h
    i32.const 8
    i32.mul
    i32.const 0x100
    i32.add
    local.tee $at
    i32.load
    local.get $at
    i32.load offset=4
    i32.add
    i32.const 1
    i32.shl))
