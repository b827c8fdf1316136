;; Three functions to turn into JavaScript with wasm2js
;; ("Older browsers"): gcd and div work on i32, fac on i64.
(module
  ;; Euclid: the greatest common divisor of a and b.
  (func $gcd (export "gcd") (param $a i32) (param $b i32)
    (result i32)
    (local $t i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $b)))
        (local.set $t (i32.rem_u (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (br $again)))
    (local.get $a))

  ;; a / b rounded toward zero; traps when b is 0.
  (func $div (export "div") (param $a i32) (param $b i32)
    (result i32)
    (i32.div_s (local.get $a) (local.get $b)))

  ;; n! in 64 bits; wraps around past fac(20).
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else
        (i64.mul (local.get $n)
          (call $fac (i64.sub (local.get $n) (i64.const 1))))))))
