// The execution layer's public surface (https://webassembly.github.io/spec/core/exec/index.html):
// instantiate a module, call its exports, or drive a Machine step by step and inspect it.

export { Trap, LinkError, TrapMessage } from './trap.ts';
export { DEFAULT_LIMITS, limitsWith, type ResourceLimits } from './limits.ts';
export { MemoryInstance, PAGE_SIZE } from './memory.ts';
export { TableInstance } from './table.ts';
export { GlobalInstance, type HostValue, type TypedValue } from './values.ts';
export { Instance, WasmFunction, HostFunction, type FuncInstance, type ExternValue, type HostCallback } from './runtime.ts';
export {
  instantiate, startFunction, hostFunction, hostGlobal, hostMemory, hostTable,
  type Imports, type ImportValue, type InstantiateOptions,
} from './instantiate.ts';
export { invoke, callFunction, callFunctionTyped, exportedFunction, type InvokeOptions } from './invoke.ts';
export { TagInstance, ExceptionInstance, WasmThrow, JS_TAG, type HostErrorHook } from './exceptions.ts';
export { handlerAt, type CatchEntry, type Handler } from './handlers.ts';
export { NULL_EXNREF, type ThrowRecord, type UnwindFrame } from './throw.ts';
export { Machine, HostError, type Status, type StepResult } from './machine.ts';
export { frames, frameAt, frameCount, currentFrame, globalValues, type MachineFrameView, type LabelInfo } from './inspect.ts';
export { CANONICAL_NAN_F32, CANONICAL_NAN_F64_HI } from './numeric.ts';

// For the trace layer: the code layout (layout.ts) and the analysis a paused view needs
// (operand types and labels at a position), so no other layer decodes compiled code.
export { OPC, TABLE64, TABLE64_BASE, branchEntry, callFunc, callSite, callType, entryCarry, entryHeight, internalOp, memAccessOp, memIndex, memOffset, tableIndex } from './layout.ts';
export { analyze, moduleTypes, positionOf } from './compile.ts';
export type { CompiledFunc, ModuleTypes, PositionAnalysis } from './compile.ts';
export { MAX_PAGES } from './memory.ts';
export { stackTypes } from './optypes.ts';
export { typedValue } from './values.ts';
