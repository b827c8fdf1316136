(module
  (memory (export "memory") 1)
  ;; struct point { int x; int y; }: two little-endian i32s
  (data (i32.const 16) "\03\00\00\00\04\00\00\00")
  (data (i32.const 24) "\64\00\00\00\ec\ff\ff\ff")

  ;; int point_sum(const struct point *p) { return p->x + p->y; }
  (func (export "point_sum") (param $p i32) (result i32)
    local.get $p
    i32.load offset=0   ;; p->x
    local.get $p
    i32.load offset=0   ;; p->y ... or is it?
    i32.add))
