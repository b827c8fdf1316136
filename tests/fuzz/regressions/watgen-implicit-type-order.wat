(module
  (import "m" "tab0" (table $tab1 2 externref))
  (memory $mem6 2 3)
  (elem $el8 funcref (item ref.func 1) (ref.func 2) (item (ref.func $f3)))
  (func $f3 (param $p0 i32) (param $p1 externref) (result i64 f32) (call_indirect $tab5 (param f32) (result i64) (block $b0 (result f32) (f32.const -inf) (i32.const 0x7fffffff) br_if $b0 (drop) table.size $tab1 if (result f32) (f32.const -inf) else (f32.const 1e10) end) (table.grow $tab5 (block (result funcref) (if $b1 (local.tee 0 (i32.load8_u offset=3 (i32.const 1_000))) (then (if $b2 (memory.size) (then f32.const nan loop (param f32) (result v128) (drop) (v128.const f64x2 0 nan:0x200000) i32.const 0 i32x4.replace_lane 3 end drop) (else)) (nop)) (else (nop) (memory.size) (loop $b (param i32) (result i32) drop (local.tee $p0 (i32.const 0x7fffffff))) drop)) (ref.null func)) (i32.mul (i32.const 326) (i32.const 0)))) block (result f32) block (result f32) (if $c (result f32) (i64.ge_u (if $b2 (result i64) (local.get 0) (then (i64.const -1)) (else i64.const 18446744073709551615)) (if $b2 (result i64) (i32.eqz (select (i32.const 0x7fffffff) (i32.const 1) (local.get 0))) (then (i64.const -1)) (else (i64.const 0)))) (then (f32.const nan:0x200000)) (else (f32.const -inf))) end local.get 0 br_if 0 (drop) f32.const 1e10 end)
  (type $x2.t0 (func (param v128) (result funcref)))
  (func (type 0) (ref.func $f3))
  (table $tab5 funcref (elem 1 $f2))
  (table $x1'tab4 1 externref)
  (func $f2 (type $x2.t0) (local) loop $b0 end $b0 (if (i32.const 667) (then block block $c (result i64) (block (result i64) (br_table $c (loop (result i64) block (block $b6 (result i32) i32.const 0 i32.const 2147483648 br_if $b6 drop (i32.const 0)) ref.null extern i32.const 0x7fffffff table.fill $x1'tab4 end i64.const 0) (i32.const 0x7fffffff))) end $c drop end nop)) (nop) (call $f2 (v128.load32_splat (i32.const 0))))
)

