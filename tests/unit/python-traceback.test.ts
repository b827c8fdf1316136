// The Python cell's traceback trimming (site/lib/python/traceback.ts) on tracebacks of real
// errors captured from Pyodide (tests/unit/fixtures/pyodide-tracebacks.json): Pyodide's own
// frames go, the learner's frames, their source lines and the error stay, chained
// exceptions keep every block; and fetchCounted (site/lib/python/fetch-progress.ts), which
// counts the bytes of Pyodide's files as they arrive.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchCounted } from '../../site/lib/python/fetch-progress.ts';
import { CELL_FILE, trimTraceback } from '../../site/lib/python/traceback.ts';

interface Captured {
  readonly code: string;
  readonly traceback: string;
}
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'pyodide-tracebacks.json'), 'utf8')) as {
  'cell.py': Record<string, Captured>;
  '<exec>': Record<string, Captured>;
};
const cell = fixtures['cell.py'];
const tb = (name: string): string => trimTraceback(cell[name]!.traceback);

describe('trimTraceback', () => {
  it('names the file the cell compiles its code under', () => {
    expect(CELL_FILE).toBe('cell.py');
  });

  it('drops Pyodide’s frames and keeps the learner’s, with their source lines', () => {
    expect(tb('zero')).toBe(
      ['Traceback (most recent call last):', '  File "cell.py", line 3, in <module>', '    1 / 0', '    ~~^~~', 'ZeroDivisionError: division by zero', ''].join('\n'),
    );
    expect(tb('nested')).toBe(
      [
        'Traceback (most recent call last):',
        '  File "cell.py", line 7, in <module>',
        '    g()',
        '    ~^^',
        '  File "cell.py", line 5, in g',
        '    return f(0)',
        '  File "cell.py", line 2, in f',
        '    return 10 / n',
        '           ~~~^~~',
        'ZeroDivisionError: division by zero',
        '',
      ].join('\n'),
    );
  });

  it('shows a syntax error as Python shows one in a script: where, the caret and the error, no Traceback line', () => {
    expect(tb('syntax')).toBe(['  File "cell.py", line 1', '    print("hi"', '         ^', "SyntaxError: '(' was never closed", ''].join('\n'));
    expect(tb('indent')).toBe(
      ['  File "cell.py", line 2', '    print(1)', '    ^^^^^', "IndentationError: expected an indented block after 'if' statement on line 1", ''].join('\n'),
    );
  });

  it('keeps both blocks of a chained exception, each with only the learner’s frames', () => {
    const text = tb('chained');
    expect(text).toBe(
      [
        'Traceback (most recent call last):',
        '  File "cell.py", line 2, in <module>',
        '    {}["k"]',
        '    ~~^^^^^',
        "KeyError: 'k'",
        '',
        'The above exception was the direct cause of the following exception:',
        '',
        'Traceback (most recent call last):',
        '  File "cell.py", line 4, in <module>',
        '    raise ValueError("bad") from e',
        'ValueError: bad',
        '',
      ].join('\n'),
    );
    expect(tb('during')).toContain('During handling of the above exception, another exception occurred:');
    expect(tb('during').match(/^Traceback \(most recent call last\):$/gm)).toHaveLength(2);
  });

  it('keeps the library frames the learner’s code called into, after its own', () => {
    const text = tb('stdlib');
    expect(text.startsWith('Traceback (most recent call last):\n  File "cell.py", line 2, in <module>\n    json.loads("{")\n')).toBe(true);
    expect(text).toContain('  File "/lib/python314.zip/json/decoder.py", line 361, in raw_decode\n');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^json\.decoder\.JSONDecodeError: Expecting property name/);
  });

  it('keeps "[Previous line repeated …]" with the frame it repeats', () => {
    expect(tb('recursion')).toMatch(/ {4}~\^\^\n {2}\[Previous line repeated 992 more times\]\nRecursionError: maximum recursion depth exceeded\n$/);
  });

  it('drops the event loop’s and asyncio’s frames too', () => {
    for (const name of ['exit', 'exitFromLoop', 'awaited']) {
      expect(tb(name).split('\n')[1], name).toMatch(/^ {2}File "cell\.py", line \d+, in <module>$/);
    }
    expect(tb('exitFromLoop')).toBe(tb('exit'));
  });

  it('leaves no Pyodide frame in any captured traceback, and every line of the learner’s', () => {
    for (const [name, { traceback }] of Object.entries(cell)) {
      const text = trimTraceback(traceback);
      expect(text, name).not.toMatch(/_pyodide|webloop|asyncio/);
      for (const line of traceback.split('\n').filter((l) => l.startsWith('  File "cell.py"'))) expect(text, name).toContain(line);
      // The error itself, the last line, is untouched.
      expect(text.trimEnd().split('\n').at(-1), name).toBe(traceback.trimEnd().split('\n').at(-1));
    }
  });

  it('trims code run under another file name when told it', () => {
    const exec = fixtures['<exec>'];
    expect(trimTraceback(exec.zero!.traceback, '<exec>')).toBe(
      ['Traceback (most recent call last):', '  File "<exec>", line 3, in <module>', 'ZeroDivisionError: division by zero', ''].join('\n'),
    );
    expect(trimTraceback(exec.syntax!.traceback, '<exec>')).toMatch(/^ {2}File "<exec>", line 1\n/);
  });

  it('leaves a traceback with no frame of the cell whole', () => {
    const exec = fixtures['<exec>'];
    expect(trimTraceback(exec.zero!.traceback)).toBe(exec.zero!.traceback);
    expect(trimTraceback('not a traceback')).toBe('not a traceback');
  });
});

describe('fetchCounted', () => {
  it('returns the body whole and reports every chunk as it arrives', async () => {
    const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5]), new Uint8Array([6])];
    const fake = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const c of chunks) controller.enqueue(c);
            controller.close();
          },
        }),
        { headers: { 'content-type': 'application/wasm' } },
      )) as typeof fetch;
    const seen: number[] = [];
    const file = await fetchCounted('http://x/pyodide.asm.wasm', (n) => seen.push(n), fake);
    expect(seen).toEqual([3, 2, 1]);
    expect([...file.bytes]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(file.type).toBe('application/wasm');
  });

  it('throws on an HTTP error, naming the file', async () => {
    const fake = (async () => new Response('missing', { status: 404 })) as typeof fetch;
    await expect(fetchCounted('http://x/python_stdlib.zip', () => {}, fake)).rejects.toThrow('http://x/python_stdlib.zip: HTTP 404');
  });
});
