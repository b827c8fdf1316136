// The lesson frontmatter contract, shared by the content collection and by tests.
// Starlight supplies title, sidebar order and the rest; these fields are the course's own.
// A lesson must say how long it takes and what it teaches; a splash page (the course home)
// is not a lesson and needs neither.
import { z } from 'astro/zod';

export const lessonFrontmatter = z.object({
  template: z.literal('doc').optional(),
  /** One or two sentences: shown under the title, in search results and link previews. */
  description: z.string().min(20),
  /** Estimated time to work through the lesson, in minutes. */
  minutes: z.number().int().positive().max(120),
  /** What the learner will be able to do afterwards, each a short sentence. */
  outcomes: z.array(z.string().min(3)).min(1),
});

export const splashFrontmatter = z.object({
  template: z.literal('splash'),
});

export const courseFrontmatter = z.union([lessonFrontmatter, splashFrontmatter]);

export const chapterSchema = z.object({
  id: z.string().regex(/^\d\d-[a-z0-9-]+$/, 'chapter ids look like 03-stack-machine'),
  order: z.number().int().positive(),
  title: z.string().min(1),
  summary: z.string().min(1),
});

export type Chapter = z.infer<typeof chapterSchema>;
