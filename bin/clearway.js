#!/usr/bin/env node
// The `clearway` command: runs the TypeScript sources under cli/ through tsx, which `npm ci` installs.
import { register } from 'tsx/esm/api';

// Output piped into a reader that stops early (`clearway list | head`) ends the command quietly.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
register();
const { main } = await import('../cli/main.ts');
await main(process.argv);
