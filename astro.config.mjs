// Site configuration. The course is a static site: `npm run build` writes dist/.
// SITE_BASE (e.g. /course/) and SITE_URL let a teacher host it under any sub-path.
import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import svelte from '@astrojs/svelte';
import { normalizeBase } from './site/lib/paths.ts';
import pyodide from './site/integrations/pyodide.ts';

const base = normalizeBase(process.env.SITE_BASE ?? '/');
const chapters = JSON.parse(readFileSync(new URL('./lessons/chapters.json', import.meta.url), 'utf8'));

// One sidebar group per chapter that has lessons; the chapter list is content (lessons/chapters.json).
const sidebar = chapters
  .filter((chapter) => existsSync(new URL(`./lessons/${chapter.id}/`, import.meta.url)))
  .sort((a, b) => a.order - b.order)
  .map((chapter) => ({
    label: `${chapter.order}. ${chapter.title}`,
    items: [{ autogenerate: { directory: `lessons/${chapter.id}` } }],
  }));

export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:4321',
  base,
  trailingSlash: 'always',
  srcDir: './site',
  publicDir: './public',
  outDir: process.env.SITE_OUT || './dist',
  integrations: [
    starlight({
      title: 'wasmstep',
      description: 'WebAssembly, one instruction at a time: a course where you watch the machine run.',
      logo: { src: './site/assets/logo.svg', alt: '' },
      favicon: '/favicon.svg',
      customCss: ['./site/styles/theme.css'],
      sidebar,
      components: {
        PageTitle: './site/components/LessonTitle.astro',
        // The sidebar marks the lessons read and offers to reset progress.
        Sidebar: './site/components/Sidebar.astro',
        // Links to the Playground and the Module explorer, in the header and the mobile menu.
        SocialIcons: './site/components/SiteLinks.astro',
      },
      expressiveCode: {
        // Shiki has no Caddyfile grammar: show those blocks as plain text.
        shiki: { langAlias: { wat: 'wasm', wast: 'wasm', caddy: 'txt' } },
      },
      lastUpdated: false,
      // Our own 404 page (site/pages/404.astro): the lessons/ collection has no "404" entry.
      disable404Route: true,
      pagination: true,
    }),
    svelte(),
    // Self-hosted Pyodide for the live Python cell: copied into vendor/pyodide/, not committed.
    pyodide(),
  ],
  vite: {
    // The engine is plain TypeScript with .ts import specifiers.
    resolve: { extensions: ['.ts', '.js', '.mjs'] },
    build: {
      rollupOptions: {
        // Astro's MDX pages start with its own "use astro:head-inject" directive, which the
        // bundler reports once per lesson; Astro handles it. Every other warning still shows.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
});
