// RFC 9457 problem details: the one shape every error response takes.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { FieldError } from '../domain/declaration/declaration.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problem = (
  status: number,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem => ({
  type: `https://clearway.example/problems/${status}`,
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  ...extensions,
});

export const problemResponse = (
  body: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 => ({
  statusCode: body.status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify(body),
});
