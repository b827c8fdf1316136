// The data a lesson gives the Quiz island, and the rules for checking an answer. Questions
// are plain data (written in MDX as an `export const`), checked here so a malformed quiz
// fails the build: the island calls `assertQuiz` while it is rendered on the server.
// Text fields may mark `code` with backticks; the island renders those as <code> elements
// (never as HTML).

/** A multiple-choice question: one right choice, picked with radio buttons. */
export interface ChoiceQuestion {
  readonly kind: 'choice';
  /** The question, one sentence. */
  readonly prompt: string;
  /** WebAssembly text (or bytes) the question is about, shown as a code block. */
  readonly code?: string;
  /** The choices, in the order shown: text, or text with a reply for a learner who picks it. */
  readonly choices: readonly (string | { readonly text: string; readonly why?: string })[];
  /** Index of the right choice (0-based). */
  readonly answer: number;
  /** Why the right answer is right; shown once the learner gets it or asks for it. */
  readonly explain: string;
}

/** A short-answer question: the learner types a value, a stack, a byte… */
export interface ShortQuestion {
  readonly kind: 'short';
  readonly prompt: string;
  readonly code?: string;
  /** Every accepted answer (compared after `normalizeAnswer`). */
  readonly answer: string | readonly string[];
  /** Read bare numbers as hexadecimal (for questions about bytes): then "0a", "a" and "0x0A" agree. */
  readonly hex?: boolean;
  /** Shown next to the input, e.g. "bottom first, separated by spaces". */
  readonly hint?: string;
  readonly explain: string;
}

export type QuizQuestion = ChoiceQuestion | ShortQuestion;

/** The problems with a list of questions, each naming the question; empty when it is fine. */
export function quizProblems(questions: unknown): string[] {
  if (!Array.isArray(questions) || questions.length === 0) return ['questions must be a non-empty array'];
  const problems: string[] = [];
  questions.forEach((q: unknown, i) => {
    const at = `question ${i + 1}`;
    if (typeof q !== 'object' || q === null) {
      problems.push(`${at} is not an object`);
      return;
    }
    const r = q as Record<string, unknown>;
    const text = (key: string, optional = false): void => {
      const v = r[key];
      if (v === undefined && optional) return;
      if (typeof v !== 'string' || v.trim() === '') problems.push(`${at}: "${key}" must be a non-empty string`);
    };
    text('prompt');
    text('explain');
    text('code', true);
    if (r.kind === 'choice') {
      const choices = r.choices;
      if (!Array.isArray(choices) || choices.length < 2) {
        problems.push(`${at}: "choices" needs at least two entries`);
        return;
      }
      choices.forEach((c: unknown, k) => {
        const ok =
          (typeof c === 'string' && c.trim() !== '') ||
          (typeof c === 'object' && c !== null && typeof (c as { text?: unknown }).text === 'string' &&
            ((c as { why?: unknown }).why === undefined || typeof (c as { why?: unknown }).why === 'string'));
        if (!ok) problems.push(`${at}: choice ${k + 1} must be a string or { text, why? }`);
      });
      const texts = choices.map((c: unknown) => (typeof c === 'string' ? c : (c as { text?: unknown })?.text));
      if (new Set(texts).size !== texts.length) problems.push(`${at}: two choices have the same text`);
      if (!Number.isInteger(r.answer) || (r.answer as number) < 0 || (r.answer as number) >= choices.length) {
        problems.push(`${at}: "answer" must be the index (0-based) of one of the ${choices.length} choices`);
      }
    } else if (r.kind === 'short') {
      const answers = typeof r.answer === 'string' ? [r.answer] : r.answer;
      if (!Array.isArray(answers) || answers.length === 0 || answers.some((a) => typeof a !== 'string' || normalizeAnswer(a, r.hex === true) === '')) {
        problems.push(`${at}: "answer" must be a non-empty string or a list of them`);
      }
      if (r.hex !== undefined && typeof r.hex !== 'boolean') problems.push(`${at}: "hex" must be true or false`);
      text('hint', true);
    } else {
      problems.push(`${at}: "kind" must be "choice" or "short"`);
    }
  });
  return problems;
}

/** Throws with every problem listed, so a bad quiz stops the build with a useful message. */
export function assertQuiz(questions: unknown, where = 'Quiz'): asserts questions is readonly QuizQuestion[] {
  const problems = quizProblems(questions);
  if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
}

/**
 * An answer reduced to a canonical form: lower case, brackets and commas dropped, tokens
 * separated by one space, and each number written in decimal (so "[2, 3]" matches "2 3",
 * and "0x2A" matches "42"; with `hex`, bare numbers are hexadecimal bytes).
 */
export function normalizeAnswer(text: string, hex = false): string {
  return text
    .toLowerCase()
    .replace(/[[\](){},;]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t) => canonicalNumber(t, hex) ?? t)
    .join(' ');
}

function canonicalNumber(token: string, hex: boolean): string | null {
  const t = token.replace(/_/g, '');
  const m = /^([+-]?)(0x)?([0-9a-f]+)$/.exec(t);
  if (m === null) return null;
  const [, sign, prefix, digits] = m;
  if (prefix === undefined && !hex && !/^[0-9]+$/.test(digits!)) return null;
  const value = BigInt((prefix !== undefined || hex ? '0x' : '') + digits);
  return (sign === '-' && value !== 0n ? '-' : '') + value.toString();
}

/** Whether a typed answer is one of the accepted answers. */
export function shortAnswerIsRight(q: ShortQuestion, typed: string): boolean {
  const given = normalizeAnswer(typed, q.hex === true);
  if (given === '') return false;
  const accepted = typeof q.answer === 'string' ? [q.answer] : q.answer;
  return accepted.some((a) => normalizeAnswer(a, q.hex === true) === given);
}

/** A choice's text and its reply for a learner who picks it. */
export function choiceOf(q: ChoiceQuestion, index: number): { text: string; why: string | undefined } {
  const c = q.choices[index];
  if (c === undefined) return { text: '', why: undefined };
  return typeof c === 'string' ? { text: c, why: undefined } : { text: c.text, why: c.why };
}

/** Splits text at backticks into plain and code runs, for rendering without HTML. */
export function codeRuns(text: string): { code: boolean; text: string }[] {
  return text.split('`').map((t, i) => ({ code: i % 2 === 1, text: t })).filter((r) => r.text !== '');
}
