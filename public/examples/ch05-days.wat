(module
  ;; days(month) for months 1..12 of a non-leap year,
  ;; 0 for anything else
  (func $days (export "days") (param $m i32) (result i32)
    block $bad
      block $d31
        block $d30
          block $d28
            local.get $m
            ;; index: 0  1    2    3    4    5    6
            br_table $bad $d31 $d28 $d31 $d30 $d31 $d30
            ;;       7    8    9    10   11   12   else
                     $d31 $d31 $d30 $d31 $d30 $d31 $bad
          end
          i32.const 28
          return
        end
        i32.const 30
        return
      end
      i32.const 31
      return
    end
    i32.const 0))
