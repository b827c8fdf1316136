// The quiz rules (site/lib/quiz.ts): how typed answers are compared, and which malformed
// quizzes are refused; and the key under which a lesson's progress is kept, under any base.
import { describe, expect, it } from 'vitest';
import { assertQuiz, codeRuns, normalizeAnswer, quizProblems, shortAnswerIsRight, type ShortQuestion } from '../../site/lib/quiz.ts';
import { lessonKey } from '../../site/lib/progress.ts';

const short = (answer: string | string[], hex = false): ShortQuestion => ({ kind: 'short', prompt: 'p?', answer, hex, explain: 'because' });

describe('short answers', () => {
  it('ignore case, brackets, commas and spacing', () => {
    expect(normalizeAnswer(' [7, 1,2] ')).toBe('7 1 2');
    expect(shortAnswerIsRight(short('7 1 2'), '(7 1 2)')).toBe(true);
    expect(shortAnswerIsRight(short('7 1 2'), '7 2 1')).toBe(false);
    expect(shortAnswerIsRight(short('i32.add'), 'I32.ADD')).toBe(true);
  });

  it('compare numbers by value, in decimal or 0x hex', () => {
    expect(shortAnswerIsRight(short('42'), '0x2A')).toBe(true);
    expect(shortAnswerIsRight(short('-1'), '-0x1')).toBe(true);
    expect(shortAnswerIsRight(short('10'), '1_0')).toBe(true);
    expect(shortAnswerIsRight(short('10'), 'a')).toBe(false);
  });

  it('read bare numbers as hex bytes when asked', () => {
    expect(shortAnswerIsRight(short('0a', true), 'A')).toBe(true);
    expect(shortAnswerIsRight(short('0a', true), '0x0a')).toBe(true);
    expect(shortAnswerIsRight(short('ac 02', true), 'AC, 2')).toBe(true);
    expect(shortAnswerIsRight(short('10', true), '16')).toBe(false);
    expect(shortAnswerIsRight(short('10', true), '0x10')).toBe(true);
  });

  it('accept any of several answers, never an empty one', () => {
    expect(shortAnswerIsRight(short(['5', 'five']), 'Five')).toBe(true);
    expect(shortAnswerIsRight(short('5'), '   ')).toBe(false);
  });
});

describe('quiz data', () => {
  const good = [
    { kind: 'choice', prompt: 'Which?', choices: ['a', { text: 'b', why: 'no' }], answer: 0, explain: 'a is right' },
    { kind: 'short', prompt: 'What?', answer: '5', explain: 'five' },
  ];

  it('accepts a well-formed quiz', () => {
    expect(quizProblems(good)).toEqual([]);
    expect(() => assertQuiz(good)).not.toThrow();
  });

  it('names each problem and its question', () => {
    expect(quizProblems([])).toEqual(['questions must be a non-empty array']);
    expect(quizProblems([{ ...good[0], answer: 2 }])[0]).toMatch(/question 1: "answer" must be the index/);
    expect(quizProblems([good[0], { ...good[1], explain: '' }])[0]).toMatch(/question 2: "explain"/);
    expect(quizProblems([{ ...good[0], choices: ['a', 'a'] }])[0]).toMatch(/same text/);
    expect(quizProblems([{ ...good[1], kind: 'essay' }])[0]).toMatch(/"kind"/);
    expect(quizProblems([{ ...good[1], answer: ['  ', '[]'] }])[0]).toMatch(/"answer"/);
    expect(() => assertQuiz([{ kind: 'choice' }], 'Quiz "x"')).toThrow(/^Quiz "x": question 1/);
  });

  it('splits text into plain and code runs at backticks', () => {
    expect(codeRuns('pops `i32` values, `2` of them')).toEqual([
      { code: false, text: 'pops ' },
      { code: true, text: 'i32' },
      { code: false, text: ' values, ' },
      { code: true, text: '2' },
      { code: false, text: ' of them' },
    ]);
  });
});

describe('progress keys', () => {
  it('are paths relative to the base, whatever the base', () => {
    expect(lessonKey('/', '/lessons/01-start/01-welcome/')).toBe('lessons/01-start/01-welcome/');
    expect(lessonKey('/course/', '/course/lessons/01-start/01-welcome/')).toBe('lessons/01-start/01-welcome/');
    expect(lessonKey('/course', '/course/lessons/x')).toBe('lessons/x/');
    expect(lessonKey('/course/', '/other/page/')).toBe('other/page/');
  });
});
