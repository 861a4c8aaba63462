// The typed API client: generated from the stack's own OpenAPI document (schema.d.ts), with the staff
// token added to every request. Failures become ApiError carrying the problem document, so pages show
// the API's own words (detail and field errors) instead of a blank page.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../../shared/http/api-types';
import { currentToken, expireSession } from '../auth/session';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title);
    this.status = status;
    this.problem = problem;
  }
}

const isProblem = (value: unknown): value is Problem =>
  typeof value === 'object' && value !== null && 'status' in value && 'title' in value;

const auth: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // The token expired or was revoked: back to sign-in, keeping the page the user was on.
    if (response.status === 401) expireSession();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** The data of a call, or an ApiError with the problem the API answered. */
export const unwrap = async <T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> => {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  if (isProblem(error)) throw new ApiError(response.status, error);
  throw new ApiError(response.status, {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    detail: `The server answered ${response.status}.`,
  });
};
