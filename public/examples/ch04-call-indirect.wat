(module
  (type $binop (func (param i32 i32) (result i32)))
  (func $add (type $binop) local.get 0 local.get 1 i32.add)
  (func $sub (type $binop) local.get 0 local.get 1 i32.sub)
  (func $mul (type $binop) local.get 0 local.get 1 i32.mul)
  (func $neg (param i32) (result i32)
    i32.const 0 local.get 0 i32.sub)

  ;; slots 0..3 of the table hold these functions
  (table 4 funcref)
  (elem (i32.const 0) $add $sub $mul $neg)

  ;; apply(op, a, b): call whatever is in slot $op
  (func $apply (export "apply")
    (param $op i32) (param $a i32) (param $b i32)
    (result i32)
    local.get $a
    local.get $b
    local.get $op
    call_indirect (type $binop)))
