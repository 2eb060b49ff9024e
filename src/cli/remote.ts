import { type Command, Option } from 'commander';

/** Where and as whom a remote command talks to a running Gatehouse. */
export interface RemoteOptions {
  url: string;
  apiKey?: string;
}

/** Raised for a failed call; the message is what the server said, in one line. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/**
 * Adds `--url` (`GATEHOUSE_URL`, default http://127.0.0.1:8080) and `--api-key` (`GATEHOUSE_API_KEY`) to a
 * command that acts on a running instance over its HTTP API, so it works against a remote server too and
 * never opens the database itself.
 */
export function withRemoteOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--url <url>', 'base URL of the running Gatehouse')
        .env('GATEHOUSE_URL')
        .default('http://127.0.0.1:8080'),
    )
    .addOption(new Option('--api-key <key>', 'org API key (Bearer)').env('GATEHOUSE_API_KEY'));
}

function describeFailure(status: number, body: unknown): string {
  const admin = (body as { errors?: Array<{ code?: string; detail?: string; meta?: { code?: string } }> })
    ?.errors?.[0];
  if (admin?.detail) return `${admin.detail} (${admin.meta?.code ?? admin.code ?? status})`;
  const jsm = body as { errorMessage?: string; i18nErrorMessage?: { i18nKey?: string } };
  if (jsm?.errorMessage) return `${jsm.errorMessage} (${jsm.i18nErrorMessage?.i18nKey ?? status})`;
  const plain = body as { message?: string; code?: string };
  if (plain?.message) return `${plain.message} (${plain.code ?? status})`;
  return `HTTP ${status}`;
}

/** The one-line message for a server that did not answer: the URL tried and the cause (e.g. ECONNREFUSED). */
export function describeUnreachable(base: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.message ?? cause?.code ?? (error as Error).message;
  return `Cannot reach Gatehouse at ${base} (${reason}). Is it running? Set --url or GATEHOUSE_URL.`;
}

/** A small JSON client of the Gatehouse HTTP API for CLI commands. */
export function createRemoteClient(options: RemoteOptions) {
  const base = options.url.replace(/\/$/, '');
  return {
    /** @throws {RemoteError} when the server is unreachable or answers with an error. */
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new RemoteError(describeUnreachable(base, error));
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!response.ok) {
        const hint =
          response.status === 401 ? ' Pass an org API key with --api-key or GATEHOUSE_API_KEY.' : '';
        throw new RemoteError(`${describeFailure(response.status, parsed)}.${hint}`, response.status);
      }
      return parsed as T;
    },
  };
}
