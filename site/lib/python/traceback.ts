// Trims the traceback of an error raised by a Python cell's code to what the learner wrote.
// Pyodide runs the cell's code from its own Python functions (`_pyodide/_base.py`'s
// eval_code_async and CodeRunner; sometimes its event loop, `pyodide/webloop.py`, and
// asyncio), so every traceback starts with their frames before the first frame of the
// cell. Those frames say nothing about the learner's code: each "Traceback (most recent
// call last):" block loses the frames before its first frame in the cell's file. Frames
// after it stay (a library function the cell called, e.g. json.loads, is part of the
// story). A block with no frame of the cell is left whole: the error came from elsewhere.
// A syntax error left with only its location (no function: the code never ran) loses the
// "Traceback" line too, as when Python itself runs a script that does not compile.

/** The file name a cell's code is compiled under (Pyodide's `filename` option). */
export const CELL_FILE = 'cell.py';

const HEADER = 'Traceback (most recent call last):';
const FRAME = /^ {2}File "(.*)", line \d+(, in .*)?$/;
/** A line that belongs to the frame above it. */
const UNDER_FRAME = /^ {4}|^ {2}\[Previous line repeated/;

/** A frame: its `File "…", line N` line and the lines under it (source, carets, repeats). */
interface Frame {
  readonly file: string;
  readonly ran: boolean;
  readonly lines: string[];
}

/** Returns `text` (a Python traceback, as Pyodide reports it) without Pyodide's own frames. */
export function trimTraceback(text: string, cellFile: string = CELL_FILE): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i] !== HEADER) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    i++;
    const frames: Frame[] = [];
    for (;;) {
      const m = FRAME.exec(lines[i] ?? '');
      if (m) {
        frames.push({ file: m[1]!, ran: m[2] !== undefined, lines: [lines[i]!] });
        i++;
      } else if (frames.length && UNDER_FRAME.test(lines[i] ?? '')) {
        // Source, carets, "...<N lines>..." and "[Previous line repeated N more times]".
        frames.at(-1)!.lines.push(lines[i]!);
        i++;
      } else break;
    }
    const first = frames.findIndex((f) => f.file === cellFile);
    const kept = first < 0 ? frames : frames.slice(first);
    if (first < 0 || kept.some((f) => f.ran)) out.push(HEADER);
    for (const f of kept) out.push(...f.lines);
  }
  return out.join('\n');
}
