/**
 * @fileoverview Checks every API test gets for free (issue 15, "links that resolve" and "the spec tells the
 * truth"), wired into `createTestServer`:
 * - **links**: each 2xx JSON answer's links (`self`, `_links.*`, `links.*`, `avatarUrls.*`, `jiraRest`, any
 *   absolute URL to BASE_URL) are fetched right away, while the resource exists, with the same caller's
 *   credentials, once per (caller, link); a REST link must answer 200, a browser page 200 or a redirect to
 *   another page of ours;
 * - **statuses**: each status a documented operation answered must be declared for it in `/openapi.json`.
 * Problems are collected and thrown by `close()`, naming the link and the answer it came from.
 */

/** The app's `fetch` (method syntax: Hono's takes its own Env and execution context after the request). */
interface Fetching {
  fetch(request: Request, ...rest: never[]): Response | Promise<Response>;
}

/** Headers that make up "the same caller" when a link is followed. */
const CALLER_HEADERS = ['authorization', 'cookie', 'x-experimentalapi', 'x-forwarded-for'];
/** Keys whose string value is a link even when relative (`links.next` of an Admin API page is a path). */
const LINK_KEYS = new Set(['self', 'next', 'prev', 'jiraRest', 'base', 'context']);
const LINK_PARENTS = new Set(['_links', 'links', 'avatarUrls']);
/** Links to actions (a migration task's `links.cancel` is POSTed), not resources to read. */
const ACTION_KEYS = new Set(['cancel']);

/** Every link in a JSON value: absolute ones to `baseUrl` anywhere, relative paths under link keys. */
export function linksIn(value: unknown, baseUrl: string, found = new Set<string>(), key = '', parent = '') {
  if (typeof value === 'string') {
    if (ACTION_KEYS.has(key)) return found;
    if (value.startsWith(`${baseUrl}/`)) found.add(value.slice(baseUrl.length));
    else if (
      value.startsWith('/') &&
      !value.startsWith('//') &&
      (LINK_KEYS.has(key) || LINK_PARENTS.has(parent))
    )
      found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) linksIn(item, baseUrl, found, key, parent);
  } else if (value && typeof value === 'object') {
    for (const [k, item] of Object.entries(value)) linksIn(item, baseUrl, found, k, key);
  }
  return found;
}

/** A REST link (JSM, Jira, Admin API, auth) must answer 200. */
const REST_PATH = /^(\/sites\/[^/]+)?\/(rest|admin\/v\d+)\//;

/**
 * Whether a followed link resolved: REST links answer 200. Browser pages (`_links.web`, `_links.agent`, a product's
 * site URL) answer 200 or send the caller on to another page of ours (a login form for an API client, the portal
 * for the site URL): what a browser following the link would get.
 */
function resolves(link: string, answer: Response): boolean {
  if (answer.status === 200) return true;
  if (REST_PATH.test(link)) return false;
  const location = answer.headers.get('location') ?? '';
  return answer.status >= 300 && answer.status < 400 && location.startsWith('/');
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

/** An OpenAPI path template as a regex; templates with more literal segments are tried first. */
function templateMatchers(document: OpenApiDocument) {
  return Object.keys(document.paths)
    .map((template) => ({
      template,
      literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      regex: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
      ),
    }))
    .sort((a, b) => b.literals - a.literals);
}

export interface ResponseAudit {
  /** Problems found so far (links that did not answer 200, undeclared statuses once `checkStatuses` ran). */
  problems: string[];
  /** Compares every recorded (operation, status) with `/openapi.json`. */
  checkStatuses(): Promise<void>;
}

/**
 * Wraps `app.fetch` (which `app.request` calls too) so every answer is recorded and its links followed.
 * `links: false` or `statuses: false` turns a check off (tests that count statements or flood the app).
 */
export function auditResponses(
  app: Fetching,
  baseUrl: string,
  options: { links?: boolean; statuses?: boolean } = {},
): ResponseAudit {
  const original = app.fetch;
  const problems: string[] = [];
  const followed = new Set<string>();
  // method → path → statuses seen, with one example request each
  const seen = new Map<string, { method: string; path: string; status: number }>();

  async function followLinks(request: Request, response: Response): Promise<void> {
    let body: unknown;
    try {
      body = await response.clone().json();
    } catch {
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of CALLER_HEADERS) {
      const value = request.headers.get(name);
      if (value) headers[name] = value;
    }
    const caller = `${headers.authorization ?? ''}|${headers.cookie ?? ''}`;
    const source = `${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`;
    for (const link of linksIn(body, baseUrl)) {
      if (followed.has(`${caller} ${link}`)) continue;
      followed.add(`${caller} ${link}`);
      const answer = await original(new Request(`${baseUrl}${link}`, { headers }));
      if (!resolves(link, answer))
        problems.push(
          `link ${link} answered ${answer.status} to the caller of ${source} (${response.status})`,
        );
      await answer.body?.cancel();
    }
  }

  app.fetch = async (request: Request, ...rest: never[]) => {
    const response = await original(request, ...rest);
    const url = new URL(request.url);
    if (options.statuses !== false) {
      const key = `${request.method} ${url.pathname} ${response.status}`;
      if (!seen.has(key))
        seen.set(key, { method: request.method, path: url.pathname, status: response.status });
    }
    const json = response.headers.get('content-type')?.includes('application/json');
    if (options.links !== false && response.status >= 200 && response.status < 300 && json)
      await followLinks(request, response);
    return response;
  };

  return {
    problems,
    async checkStatuses() {
      if (options.statuses === false || seen.size === 0) return;
      const document = (await (
        await original(new Request(`${baseUrl}/openapi.json`))
      ).json()) as OpenApiDocument;
      const matchers = templateMatchers(document);
      const reported = new Set<string>();
      for (const { method, path, status } of seen.values()) {
        const match = matchers.find(
          (m) => m.regex.test(path) && document.paths[m.template]?.[method.toLowerCase()] !== undefined,
        );
        if (!match) continue;
        const declared = document.paths[match.template]![method.toLowerCase()]!.responses ?? {};
        const operation = `${method} ${match.template} ${status}`;
        if (String(status) in declared || reported.has(operation)) continue;
        reported.add(operation);
        problems.push(
          `${method} ${match.template} answered ${status}, not declared in /openapi.json (${path})`,
        );
      }
    },
  };
}
