;; SIMD: one v128 holds four i32 lanes, and i32x4.mul multiplies all four at once.
;; dot(a, b) is the dot product of the four-number vectors at addresses a and b.
(module
  (memory 1)
  ;; [1, 2, 3, 4] at 0 and [5, 6, 7, 8] at 16, as little-endian i32s
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data (i32.const 16) "\05\00\00\00\06\00\00\00\07\00\00\00\08\00\00\00")
  (func $dot (export "dot") (param $a i32) (param $b i32) (result i32)
    (local $products v128)
    local.get $a
    v128.load
    local.get $b
    v128.load
    i32x4.mul
    local.set $products
    ;; add the four lanes
    local.get $products
    i32x4.extract_lane 0
    local.get $products
    i32x4.extract_lane 1
    i32.add
    local.get $products
    i32x4.extract_lane 2
    i32.add
    local.get $products
    i32x4.extract_lane 3
    i32.add))
