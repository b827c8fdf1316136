// Internal links must work under any base path (SITE_BASE), so every page builds
// them through here instead of writing absolute "/..." URLs by hand.

/** Normalises a base path: '' or '/' → '/', 'course' or '/course' → '/course/'. */
export function normalizeBase(value: string): string {
  const trimmed = value.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** Joins the site's base path and a site-relative path, e.g. ('/course/', 'lessons/x/'). */
export function joinBase(base: string, path: string): string {
  const left = base.endsWith('/') ? base : `${base}/`;
  const right = path.replace(/^\/+/, '');
  return left + right;
}

/** The URL of a content entry (a lesson) under `base`, with the trailing slash the site uses. */
export function entryUrl(base: string, id: string): string {
  return joinBase(base, id.endsWith('/') ? id : `${id}/`);
}

/** Which chapter a lesson id belongs to: 'lessons/03-stack-machine/01-x' → '03-stack-machine'. */
export function chapterOf(id: string): string | undefined {
  return /^lessons\/([^/]+)\//.exec(id)?.[1];
}
