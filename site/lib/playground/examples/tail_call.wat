;; A loop written as recursion. $sum adds n + (n-1) + … + 1 into an accumulator
;; and calls itself with return_call, a tail call: the new call's frame takes
;; the place of the current one instead of going on top of it. Step it and
;; watch the Call frames view: one frame the whole way, marked "replaced $sum".
;; With `call $sum` instead, every round would push a frame, and a large n
;; would end in "call stack exhausted".
(module
  (func $sum (export "sum") (param $n i32) (param $acc i32) (result i32)
    local.get $n
    i32.eqz
    if (result i32)
      local.get $acc          ;; n is 0: the answer is in the accumulator
    else
      local.get $n
      i32.const 1
      i32.sub                 ;; the new n: n - 1
      local.get $acc
      local.get $n
      i32.add                 ;; the new accumulator: acc + n
      return_call $sum        ;; replaces this frame, no push
    end))
