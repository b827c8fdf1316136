;; A trap: reading past the end of linear memory stops the machine. One page is
;; 65536 bytes, so a 4-byte load at 65534 runs off the end.
(module
  (memory 1)
  (func $peek (export "peek") (param $address i32) (result i32)
    local.get $address
    i32.load))
