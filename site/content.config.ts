// Content collections. Lessons are data: MDX files under lessons/ whose frontmatter is
// checked by the schema below at build time, and a chapter list in lessons/chapters.json.
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { chapterSchema, courseFrontmatter } from './lib/lesson-schema.ts';

export const collections = {
  // Starlight renders the `docs` collection; ours is read from lessons/, not site/content/docs.
  docs: defineCollection({
    loader: glob({ base: '.', pattern: 'lessons/**/[^_]*.{md,mdx}' }),
    schema: docsSchema({ extend: courseFrontmatter }),
  }),
  // Starlight reads its UI strings from here (site/content/i18n/); en.json is empty, so its defaults stay.
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
  chapters: defineCollection({
    loader: file('lessons/chapters.json'),
    schema: chapterSchema,
  }),
};
