;; br_table: a jump table. The month (1 to 12) picks the label to leave, and the code
;; after that label's block gives the number of days (February in a common year).
(module
  (func $days (export "days") (param $month i32) (result i32)
    block $invalid
      block $thirty
        block $february
          block $thirty_one
            local.get $month
            ;;       0        1          2         3          4       5          6       7          8          9       10         11      12         else
            br_table $invalid $thirty_one $february $thirty_one $thirty $thirty_one $thirty $thirty_one $thirty_one $thirty $thirty_one $thirty $thirty_one $invalid
          end
          i32.const 31
          return
        end
        i32.const 28
        return
      end
      i32.const 30
      return
    end
    i32.const 0))
