// The interpreter's limits in the browser (engine/exec/limits.ts): a course page must stay
// responsive and within a tab's memory whatever module it is given. Memory is capped at
// 256 MiB (memory.grow beyond returns -1, a larger minimum fails to instantiate), tables at
// a million elements; call depth keeps the engine's default. Text given as source is
// limited to 16 Mi characters (load.ts); a binary to the engine's default of 64 MiB, and its
// disassembly to the engine's text default (which fits the disassembly of real modules).
import { limitsWith } from '../../../engine/index.ts';

/** 256 MiB in 64 KiB pages. */
export const STEPPER_MAX_MEMORY_PAGES = 4096;

export const STEPPER_LIMITS = limitsWith({ maxMemoryPages: STEPPER_MAX_MEMORY_PAGES, maxTableSize: 1 << 20 });

/** Longest WebAssembly text the stepper parses as source (a lesson's or a reader's). */
export const STEPPER_MAX_TEXT_LENGTH = 16 * 1024 * 1024;
