;; Exceptions, inside wasm and across the JS boundary.
;; The module's own tag $odd is thrown by $halve and caught by try_table, which hands
;; the handler the thrown i32. env.throw_error is JS code that throws a JS Error: the
;; error comes back into wasm as an exception with the JS tag (WebAssembly.JSTag,
;; imported here as env.js_tag), carrying the Error as an externref. Call with 0 to see it.
(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "throw_error" (func $throw_error (param i32)))
  (import "env" "js_tag" (tag $js (param externref)))
  (tag $odd (param i32))

  ;; n / 2, or, when n is odd, throws $odd with n
  (func $halve (param $n i32) (result i32)
    (if (i32.and (local.get $n) (i32.const 1))
      (then (throw $odd (local.get $n))))
    (i32.shr_u (local.get $n) (i32.const 1)))

  ;; Prints the Collatz sequence from n down to 1 and returns its number of steps;
  ;; -1 when JS refuses n.
  (func $collatz (export "collatz") (param $n i32) (result i32)
    (local $steps i32)
    (block $js_error (result externref)
      (try_table (catch $js $js_error)
        ;; JS refuses 0 and below: its Error comes back as an exception with the JS tag
        (if (i32.le_s (local.get $n) (i32.const 0))
          (then (call $throw_error (local.get $n))))
        (loop $next
          (call $log (local.get $n))
          (if (i32.gt_u (local.get $n) (i32.const 1))
            (then
              (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
              (block $even (result i32)
                (block $odd_n (result i32)
                  (try_table (result i32) (catch $odd $odd_n)
                    (call $halve (local.get $n)))
                  (br $even))
                ;; odd: the handler receives n; the next number is 3n + 1
                i32.const 3
                i32.mul
                i32.const 1
                i32.add)
              (local.set $n)
              (br $next)))))
      (return (local.get $steps)))
    ;; the JS Error, as an externref: wasm cannot look inside it
    drop
    (i32.const -1)))
