// The `env` module that wasm2js output imports ("Older browsers"). An i64 crosses into
// JavaScript as two i32 halves: a function returns the low half and hands the high half
// to setTempRet0 just before it returns; the caller reads it with getTempRet0.
let tempRet0 = 0;

export function setTempRet0(value) {
  tempRet0 = value | 0;
}

export function getTempRet0() {
  return tempRet0;
}
