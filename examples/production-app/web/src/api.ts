// The API is served by the same origin as this page (nginx in production, the Vite proxy in development),
// so requests use a relative path: there is no API URL to configure, and none to get wrong at build time.
const API_BASE = '/api';

export interface User {
  id: string;
  email: string;
  displayName: string;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'archived';
  owner: string;
  lastEditedBy: string | null;
}

/** An API answer that was not 2xx; `requestId` is what support needs to find the request in the logs. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly requestId: string | null,
  ) {
    super(`${code} (HTTP ${status})`);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${API_BASE}${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const payload: unknown = await response.json().catch(() => null);
    const code =
      typeof payload === 'object' && payload !== null && 'error' in payload && typeof payload.error === 'string'
        ? payload.error
        : 'unexpected_response';
    throw new ApiError(response.status, code, response.headers.get('x-request-id'));
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  me: () => call<User>('GET', '/auth/me'),
  login: (email: string, password: string) => call<User>('POST', '/auth/login', { email, password }),
  logout: () => call<void>('POST', '/auth/logout'),
  projects: () => call<{ projects: Project[] }>('GET', '/projects'),
  createProject: (name: string, description: string) => call<Project>('POST', '/projects', { name, description }),
};
