import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  consoleFiles,
  contentSecurityPolicy,
  preferredEncoding,
} from '../../../shared/http/console-assets.js';

const built = () => {
  const directory = mkdtempSync(join(tmpdir(), 'console-dist-'));
  mkdirSync(join(directory, 'assets'));
  writeFileSync(join(directory, 'index.html'), '<!doctype html><title>Console</title>');
  writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log("app");'.repeat(50));
  writeFileSync(join(directory, 'secret.txt'), 'not served');
  return directory;
};

describe('consoleFiles', () => {
  it('serves the page and hashed assets, compressed as the client accepts', () => {
    // Prepare
    const files = consoleFiles(built());

    // Act
    const page = files.page();
    const br = files.asset('assets/index-abc123.js', 'br');
    const gzip = files.asset('assets/index-abc123.js', 'gzip');

    // Assess
    expect(page).toMatchObject({ contentType: 'text/html; charset=utf-8', base64: false, immutable: false });
    expect(br).toMatchObject({ encoding: 'br', base64: true, immutable: true });
    expect(brotliDecompressSync(Buffer.from(br?.body ?? '', 'base64')).toString()).toContain('console.log');
    expect(gunzipSync(Buffer.from(gzip?.body ?? '', 'base64')).toString()).toContain('console.log');
    expect(Buffer.from(br?.body ?? '', 'base64').length).toBeLessThan(200);
  });

  it.each([
    'assets/../secret.txt',
    '../secret.txt',
    'secret.txt',
    'assets/missing.js',
    'assets/a.exe',
    'assets/',
  ])('serves nothing for %s', (path) => {
    expect(consoleFiles(built()).asset(path)).toBeUndefined();
  });
});

describe('preferredEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    [undefined, 'identity'],
    ['identity', 'identity'],
  ])('picks the best of %s', (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts and styles from the stack only, and the sign-in origin for connections', () => {
    const policy = contentSecurityPolicy('https://auth.example.com');
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("connect-src 'self' https://auth.example.com");
    expect(policy).toContain("frame-ancestors 'none'");
  });
});
