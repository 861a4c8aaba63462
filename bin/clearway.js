#!/usr/bin/env node
// The `clearway` command: runs the TypeScript sources under cli/ through tsx, which `npm ci` installs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv);
