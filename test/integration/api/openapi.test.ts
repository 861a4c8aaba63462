import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeclarationSchema } from '../../../shared/domain/declaration/declaration.js';
import { openApiDocument } from '../../../shared/http/openapi.js';
import { routes } from '../../../shared/http/routes/index.js';
import { type HttpHandler, invoke } from '../../fixtures/http.js';
import { applyEnv, handlerEnv } from '../support.js';

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, unknown>;
        parameters?: { name: string; in: string }[];
        security?: unknown[];
        description?: string;
        requestBody?: { content: Record<string, unknown> };
      }
    >
  >;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
  webhooks?: Record<string, unknown>;
};

/** Every `$ref` in the document, so each can be checked to resolve. */
const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => (key === '$ref' ? [String(item)] : refsIn(item)));
  }
  return [];
};

const resolve = (doc: Doc, ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);

describe('the openapi function', () => {
  let restoreEnv: () => void;
  let handler: HttpHandler;

  beforeAll(async () => {
    restoreEnv = applyEnv(handlerEnv());
    ({ handler } = (await import('../../../functions/openapi/handler.js')) as unknown as {
      handler: HttpHandler;
    });
  });

  afterAll(() => restoreEnv?.());

  describe('GET /openapi.json', () => {
    let doc: Doc;

    beforeAll(async () => {
      const response = await invoke(handler, { routeKey: 'GET /openapi.json' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      doc = response.body as unknown as Doc;
    });

    it('is an OpenAPI 3.1 document with every route of the topology', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info).toMatchObject({ title: expect.stringContaining('NL'), version: expect.any(String) });
      for (const route of routes) {
        const operation = doc.paths[route.path.replace('+}', '}')]?.[route.method.toLowerCase()];
        expect(operation, `${route.method} ${route.path}`).toBeDefined();
        expect(Object.keys(operation?.responses ?? {}).length).toBeGreaterThan(0);
      }
    });

    it('declares each path parameter, and a bearer token on exactly the routes that need one', () => {
      for (const route of routes) {
        // A greedy parameter (`{path+}`) is an ordinary one in OpenAPI.
        const operation =
          doc.paths[route.path.replace(/\{([^}]+)\+\}/g, '{$1}')]?.[route.method.toLowerCase()];
        for (const [, name] of route.path.matchAll(/\{([^}+]+)\+?\}/g)) {
          expect(operation?.parameters).toContainEqual(expect.objectContaining({ name, in: 'path' }));
        }
        expect(operation?.security).toEqual(route.roles.length > 0 ? [{ bearer: [] }] : []);
        if (route.roles.length > 0)
          expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
      }
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it('documents a body in the media type its route takes: ITMATT as XML, the items as JSON', () => {
      const itmatt = doc.paths['/v1/postal/itmatt']?.post;
      const items = doc.paths['/v1/postal/items']?.post;
      expect(Object.keys(itmatt?.requestBody?.content ?? {})).toEqual(['application/xml']);
      expect(itmatt?.responses['415']).toMatchObject({
        description: expect.stringContaining('application/xml'),
      });
      expect(Object.keys(items?.requestBody?.content ?? {})).toEqual(['application/json']);
      expect(items?.responses['415']).toMatchObject({
        description: expect.stringContaining('application/json'),
      });
    });

    it('resolves every $ref', () => {
      const refs = refsIn(doc);
      expect(refs.length).toBeGreaterThan(10);
      for (const ref of refs) expect(resolve(doc, ref), ref).toBeDefined();
    });

    it('describes the declaration from the same zod schema the intake validates with', () => {
      const declaration = doc.components.schemas.Declaration as {
        required: string[];
        additionalProperties: boolean;
        properties: Record<string, { maxItems?: number; items?: unknown }>;
      };
      expect(declaration.additionalProperties).toBe(false);
      expect(declaration.required.sort()).toEqual(
        Object.entries(DeclarationSchema.shape)
          .filter(([, field]) => !field.safeParse(undefined).success)
          .map(([key]) => key)
          .sort(),
      );
      expect(declaration.properties.items?.maxItems).toBe(999);
      expect(doc.paths['/v1/declarations']?.get?.parameters?.map((parameter) => parameter.name)).toEqual([
        'status',
        'lane',
        'platformId',
        'reference',
        'order',
        'from',
        'to',
        'cursor',
        'limit',
      ]);
      expect(doc.webhooks).toHaveProperty('declarationEvent');
    });

    it('types the declaration view: its assessment and payments by their schemas, history.from nullable', () => {
      const view = doc.components.schemas.DeclarationView as {
        properties: Record<string, Record<string, unknown>>;
      };
      expect(JSON.stringify(view.properties.assessment)).toContain('#/components/schemas/Assessment');
      expect(view.properties.payments?.items).toEqual({ $ref: '#/components/schemas/Payment' });
      const historyEntry = (view.properties.history?.items ?? {}) as {
        properties: Record<string, Record<string, unknown>>;
      };
      expect(JSON.stringify(historyEntry.properties.from)).toContain('null');
      expect(doc.components.schemas.Assessment).toHaveProperty('properties.totals');
    });

    it('documents Retry-After on every 429 and 503, and the fields problems add', () => {
      const answers = Object.values(doc.paths).flatMap((operations) =>
        Object.values(operations).flatMap((operation) =>
          ['429', '503'].flatMap((status) => {
            const answer = operation.responses[status] as { headers?: Record<string, unknown> } | undefined;
            return answer ? [answer] : [];
          }),
        ),
      );
      expect(answers.length).toBeGreaterThan(10);
      expect(answers.every((answer) => answer.headers?.['Retry-After'] !== undefined)).toBe(true);
      const problem = doc.components.schemas.Problem as { properties: Record<string, unknown> };
      expect(Object.keys(problem.properties)).toEqual(
        expect.arrayContaining([
          'errors',
          'currentStatus',
          'openChecks',
          'existingId',
          'amountDue',
          'limit',
          'stored',
        ]),
      );
    });
  });

  it('documents a route from its contract alone: summary, roles, path parameters and common errors', () => {
    // Act
    const doc = openApiDocument({
      country: 'NL',
      routes: [
        ...routes,
        {
          method: 'POST',
          path: '/v1/declarations/{id}/labels',
          function: 'declarations',
          roles: ['platform'],
          summary: 'Print shipping labels',
          tag: 'Declarations',
          responses: { 200: { description: 'The labels' } },
        },
      ],
    }) as unknown as Doc;

    // Assess
    const operation = doc.paths['/v1/declarations/{id}/labels']?.post;
    expect(operation?.description).toContain('Roles: platform.');
    expect(operation?.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }));
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '500', '503']),
    );
  });

  describe('GET /docs', () => {
    it('serves a small page that loads the reference renderer from this API, not from elsewhere', async () => {
      // Act
      const page = await invoke(handler, { routeKey: 'GET /docs' });

      // Assess
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('docs/swagger-ui-bundle.js');
      expect(page.text).not.toMatch(/https?:\/\//);
      expect(page.text.length).toBeLessThan(2000);
    });

    it('sends /docs/ to /docs, where the page resolves its relative links', async () => {
      const response = await invoke(handler, { routeKey: 'GET /docs', rawPath: '/docs/' });
      expect(response.statusCode).toBe(308);
      expect(new URL(response.headers.location ?? '', 'https://api.example/prod/docs/').pathname).toBe(
        '/prod/docs',
      );
    });

    it("turns off Swagger UI's online validator, so the page calls nothing outside this API", async () => {
      const response = await invoke(handler, {
        routeKey: 'GET /docs/{asset}',
        pathParameters: { asset: 'init.js' },
      });
      expect(response.text).toMatch(/validatorUrl:\s*null/);
    });

    it.each([
      ['swagger-ui-bundle.js', 'text/javascript'],
      ['swagger-ui.css', 'text/css'],
      ['init.js', 'text/javascript'],
    ])('serves %s from the swagger-ui-dist package', async (asset, type) => {
      const response = await invoke(handler, { routeKey: 'GET /docs/{asset}', pathParameters: { asset } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain(type);
      expect(response.text.length).toBeGreaterThan(100);
    });

    it.each(['../package.json', 'index.html', 'swagger-ui-bundle.js.map'])(
      'answers 404 for %s',
      async (asset) => {
        const response = await invoke(handler, { routeKey: 'GET /docs/{asset}', pathParameters: { asset } });
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toBe('application/problem+json');
      },
    );
  });
});
