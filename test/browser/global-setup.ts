// The browser tier drives the built console: build it once before the tests (as `npm start` does).
import { build } from 'vite';

export default async function setup(): Promise<void> {
  await build({ configFile: 'console/vite.config.ts', logLevel: 'warn' });
}
