;; call_indirect: functions in a table, called by their index at run time, with the
;; type checked on every call. apply(op, a, b) runs add (0), sub (1) or mul (2).
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $add $sub $mul)
  (func $add (type $binop) local.get 0 local.get 1 i32.add)
  (func $sub (type $binop) local.get 0 local.get 1 i32.sub)
  (func $mul (type $binop) local.get 0 local.get 1 i32.mul)
  (func $apply (export "apply") (param $op i32) (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    local.get $op
    call_indirect (type $binop)))
