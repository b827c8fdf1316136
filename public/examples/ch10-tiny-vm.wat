;; A tiny bytecode interpreter ("Python in the browser").
;; The programs are bytes in memory; run(pc) executes
;; the one that starts at pc and returns its answer.
;;   0 = end: return the top of the stack
;;   1 = push the next byte
;;   2 = add the top two     3 = multiply the top two
(module
  (memory (export "memory") 1)
  ;; at 0: push 2, push 3, add, push 7, mul, end
  (data (i32.const 0) "\01\02\01\03\02\01\07\03\00")
  ;; at 16: push 6, push 7, mul, end
  (data (i32.const 16) "\01\06\01\07\03\00")
  (func (export "run") (param $pc i32) (result i32)
    (local $op i32)
    (local $sp i32)
    ;; the value stack lives in memory from byte 256
    (local.set $sp (i32.const 256))
    (loop $next
      ;; fetch the opcode and step past it
      (local.set $op (i32.load8_u (local.get $pc)))
      (local.set $pc
        (i32.add (local.get $pc) (i32.const 1)))
      (block $bad
        (block $mul
          (block $add
            (block $push
              (block $end
                (br_table $end $push $add $mul $bad
                  (local.get $op)))
              ;; 0: end
              (return (i32.load
                (i32.sub (local.get $sp) (i32.const 4)))))
            ;; 1: push the byte after the opcode
            (i32.store (local.get $sp)
              (i32.load8_u (local.get $pc)))
            (local.set $pc
              (i32.add (local.get $pc) (i32.const 1)))
            (local.set $sp
              (i32.add (local.get $sp) (i32.const 4)))
            (br $next))
          ;; 2: pop two values, push their sum
          (local.set $sp
            (i32.sub (local.get $sp) (i32.const 4)))
          (i32.store
            (i32.sub (local.get $sp) (i32.const 4))
            (i32.add
              (i32.load
                (i32.sub (local.get $sp) (i32.const 4)))
              (i32.load (local.get $sp))))
          (br $next))
        ;; 3: pop two values, push their product
        (local.set $sp
          (i32.sub (local.get $sp) (i32.const 4)))
        (i32.store
          (i32.sub (local.get $sp) (i32.const 4))
          (i32.mul
            (i32.load
              (i32.sub (local.get $sp) (i32.const 4)))
            (i32.load (local.get $sp))))
        (br $next)))
    ;; an unknown opcode leaves the loop: stop here
    unreachable))
