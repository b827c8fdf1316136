;; Exceptions: $check throws $too_big when a value is over 100. The throw leaves
;; $check and $scale, two frames, and lands in the try_table of $counted, whose
;; catch_ref clause branches to $seen with the payload and the exception (an exnref).
;; $counted counts it in $errors and throws the same exception on with throw_ref;
;; the try_table of $safe_scale catches it and answers -1. Watch the Exceptions panel:
;; before each throw it names the clause that will catch it; after, what was popped.
(module
  (tag $too_big (param i32))
  (global $errors (export "errors") (mut i32) (i32.const 0))

  (func $check (param $x i32) (result i32)
    (if (i32.gt_s (local.get $x) (i32.const 100))
      (then (throw $too_big (local.get $x))))
    (local.get $x))

  (func $scale (param $x i32) (result i32)
    (call $check (i32.mul (local.get $x) (i32.const 10))))

  (func $counted (param $x i32) (result i32)
    (local $e exnref)
    (block $seen (result i32 exnref)
      (try_table (result i32) (catch_ref $too_big $seen)
        (call $scale (local.get $x)))
      (return))
    (local.set $e)
    (drop)
    (global.set $errors (i32.add (global.get $errors) (i32.const 1)))
    (throw_ref (local.get $e)))

  (func $safe_scale (export "safe_scale") (param $x i32) (result i32)
    (block $caught (result i32)
      (try_table (result i32) (catch $too_big $caught)
        (call $counted (local.get $x)))
      (return))
    ;; The payload, the value that was too big, is on the stack: answer -1 instead.
    (drop)
    (i32.const -1)))
