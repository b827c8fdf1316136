// The trace layer's public surface: time-travel debugging sessions over a call, their
// JSON snapshots (docs/TRACE.md), and plain-English narration of every instruction.

export { Session, TraceError, type SessionOptions, type SessionStatus, type Stop, type StopReason } from './session.ts';
export type { Breakpoint, BreakpointSpec } from './breakpoints.ts';
export type {
  Snapshot, LastStep, Location, StackValue, LabelView, LocalView, FrameView, GlobalView, TableView, MemoryView, TrapView,
  MemoryAccess, BranchInfo, CallInfo, ReturnInfo, VariableChange, GrowInfo, TableAccess, SegmentUse, TextSpanView, ByteSpanView,
} from './snapshot.ts';
export { SNAPSHOT_VERSION } from './snapshot.ts';
export type { ValueView, RefView, V128Lanes, V128Shape } from './value-views.ts';
export { f32Text, f64Text } from './value-views.ts';
export { narrate, describe, narrationKind, type NarrationKind } from './narrate.ts';
export type { ByteRange } from './pages.ts';
