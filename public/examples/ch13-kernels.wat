;; ch13-kernels.wat — the two kernels of "When to reach for WebAssembly",
;; written by hand exactly as their JavaScript twins in site/lib/kernels.ts:
;;   sieve(n)        how many primes are ≤ n (sieve of Eratosthenes, one byte a number)
;;   fnv1a(ptr, len) the 64-bit FNV-1a hash of len bytes at ptr
(module
  (memory (export "memory") 1)

  ;; Grow the memory, if needed, so that it holds at least $bytes bytes.
  (func $ensure (param $bytes i32)
    (local $have i32)
    memory.size
    i32.const 16
    i32.shl
    local.tee $have
    local.get $bytes
    i32.lt_u
    if
      local.get $bytes
      local.get $have
      i32.sub
      i32.const 0xffff
      i32.add
      i32.const 16
      i32.shr_u
      memory.grow
      i32.const -1
      i32.eq
      if
        unreachable ;; out of memory
      end
    end)

  ;; Byte i of memory is 1 once i is known to be composite.
  (func $sieve (export "sieve") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    local.get $n
    i32.const 1
    i32.add
    call $ensure
    ;; clear bytes 0..n
    i32.const 0
    i32.const 0
    local.get $n
    i32.const 1
    i32.add
    memory.fill
    i32.const 2
    local.set $i
    block $sieved
      loop $next
        ;; stop once i*i > n
        local.get $i
        local.get $i
        i32.mul
        local.get $n
        i32.gt_u
        br_if $sieved
        local.get $i
        i32.load8_u
        i32.eqz
        if
          ;; cross out i*i, i*i+i, … up to n
          local.get $i
          local.get $i
          i32.mul
          local.set $j
          block $crossed
            loop $cross
              local.get $j
              local.get $n
              i32.gt_u
              br_if $crossed
              local.get $j
              i32.const 1
              i32.store8
              local.get $j
              local.get $i
              i32.add
              local.set $j
              br $cross
            end
          end
        end
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $next
      end
    end
    ;; count what is left from 2 to n
    i32.const 2
    local.set $i
    block $counted
      loop $count
        local.get $i
        local.get $n
        i32.gt_u
        br_if $counted
        local.get $count
        local.get $i
        i32.load8_u
        i32.eqz
        i32.add
        local.set $count
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $count
      end
    end
    local.get $count)

  ;; FNV-1a, 64-bit: for each byte, xor it in, then multiply by the
  ;; FNV prime 0x100000001b3 (mod 2^64). Native i64 arithmetic.
  (func $fnv1a (export "fnv1a") (param $ptr i32) (param $len i32) (result i64)
    (local $hash i64) (local $end i32)
    i64.const 0xcbf29ce484222325 ;; the FNV offset basis
    local.set $hash
    local.get $ptr
    local.get $len
    i32.add
    local.set $end
    block $done
      loop $byte
        local.get $ptr
        local.get $end
        i32.ge_u
        br_if $done
        local.get $hash
        local.get $ptr
        i64.load8_u
        i64.xor
        i64.const 0x100000001b3
        i64.mul
        local.set $hash
        local.get $ptr
        i32.const 1
        i32.add
        local.set $ptr
        br $byte
      end
    end
    local.get $hash))
